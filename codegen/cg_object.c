/*
 * cg_object.c - turns an LLVM module into a libbpf-loadable BPF ELF object.
 *
 * The BPF backend writes .BTF and .BTF.ext only when the module has a
 * DICompileUnit, and puts a program into BTF (FUNC + func_info + line_info)
 * only when its function has a DISubprogram in a full-debug unit; a global in
 * ".maps" becomes a BTF VAR in the ".maps" DATASEC only when it carries a
 * DIGlobalVariableExpression (!dbg). So everything here builds IR and debug
 * info side by side, in the shapes clang produces for libbpf-style C:
 *
 *   __uint(type, T)    -> member `type`, pointer to an int array of T elements
 *   __type(key, K)     -> member `key`, pointer to K
 *
 * Invariants are listed in cg_object.h. No DWARF sections are emitted (see
 * cg_object_init): libbpf and the verifier need only BTF, and skipping DWARF
 * saves emission time and object size at every start-up.
 */
#define _GNU_SOURCE /* asprintf */
#include "cg_object.h"

#include <dlfcn.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/bpf.h>
#include <llvm-c/Analysis.h>
#include <llvm-c/ErrorHandling.h>
#include <llvm-c/Target.h>
#include <llvm-c/Transforms/PassBuilder.h>
#include <llvm/Config/llvm-config.h> /* LLVM_VERSION_STRING (a C header) */
#include <unistd.h>

#define CG_TRIPLE "bpfel"
/* v3: 32-bit ALU and JMP32 (kernel 5.1+); atomic fetch ops (5.12+) only when
 * an atomicrmw's result is used. */
#define CG_CPU "v3"

enum {
	DW_ATE_signed = 0x05,
	DW_ATE_signed_char = 0x06,
	DW_ATE_unsigned = 0x07,
};

static bool bpf_target_ready;

/* Initialises only the BPF target, once per process (codegen is single-threaded). */
/* LLVM gives up on a program it cannot lower (e.g. "Branch target out of
 * insn range" for a huge probe) by aborting: say it as hawk and exit 1
 * instead. Nothing is loaded or attached while LLVM runs. */
static void llvm_fatal(const char *reason)
{
	fflush(stdout);
	fprintf(stderr, "error: the BPF backend cannot compile this program: %s\n", reason);
	fprintf(stderr, "note: a probe may be too large; split it into several probes\n");
	exit(1);
}

/* The directory of the running hawk binary into buf ("" if unknown). */
static void self_dir(char *buf, size_t len)
{
	ssize_t n = readlink("/proc/self/exe", buf, len - 1);
	char *slash;

	buf[n > 0 ? n : 0] = '\0';
	slash = strrchr(buf, '/');
	if (slash)
		*slash = '\0';
	else
		buf[0] = '\0';
}

void cg_llvm_load(void)
{
	static bool loaded;
	char dir[PATH_MAX], path[PATH_MAX + 64], err[PATH_MAX + 128] = "";
	void *h = NULL;

	/* linked (the unit tests), or loaded already */
	if (loaded || &LLVMContextCreate)
		return;
	self_dir(dir, sizeof(dir));
	/* beside the binary (the build tree), then where it is installed */
	for (int i = 0; i < 3 && !h; i++) {
		if (i == 0)
			snprintf(path, sizeof(path), "%s/libhawk-llvm.so", dir);
		else if (i == 1)
			snprintf(path, sizeof(path), "%s/../lib/hawk/libhawk-llvm.so", dir);
		else
			snprintf(path, sizeof(path), "%s/libhawk-llvm.so", HAWK_LLVM_LIBDIR);
		h = dlopen(path, RTLD_NOW | RTLD_GLOBAL);
		if (!h && !err[0]) /* the first reason (dlerror's text is reused) */
			snprintf(err, sizeof(err), "%s", dlerror());
	}
	if (!h) {
		fprintf(stderr, "error: cannot load hawk's compiler (libhawk-llvm.so): %s\n", err);
		fprintf(stderr, "note: it belongs beside the hawk binary or in %s\n",
			HAWK_LLVM_LIBDIR);
		exit(1);
	}
	loaded = true;
}

static void init_bpf_target(void)
{
	if (bpf_target_ready)
		return;
	cg_llvm_load();
	LLVMInstallFatalErrorHandler(llvm_fatal);
	LLVMInitializeBPFTargetInfo();
	LLVMInitializeBPFTarget();
	LLVMInitializeBPFTargetMC();
	LLVMInitializeBPFAsmPrinter();
	bpf_target_ready = true;
}

static const char *obj_name(struct cg_object *o)
{
	size_t len;
	const char *n = o->mod ? LLVMGetModuleIdentifier(o->mod, &len) : NULL;

	return n ? n : "?";
}

static void set_err(struct cg_object *o, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(o->errmsg, sizeof(o->errmsg), "BPF object '%s': ", obj_name(o));

	if (n < 0 || (size_t)n >= sizeof(o->errmsg))
		return;
	va_start(ap, fmt);
	vsnprintf(o->errmsg + n, sizeof(o->errmsg) - n, fmt, ap);
	va_end(ap);
}

/* A malloc'ed copy of "BPF object 'name': <what>: <detail>" for *err. */
static char *dup_err(struct cg_object *o, const char *what, const char *detail)
{
	char *s;

	if (asprintf(&s, "BPF object '%s': %s%s%s", obj_name(o), what, detail ? ": " : "",
		     detail ? detail : "") < 0)
		return NULL;
	/* LLVM's messages often end in a newline; ours do not. */
	for (size_t n = strlen(s); n && s[n - 1] == '\n'; n--)
		s[n - 1] = '\0';
	return s;
}

static bool is_ident(const char *s)
{
	if (!s || !(*s == '_' || (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z')))
		return false;
	for (s++; *s; s++)
		if (!(*s == '_' || (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9')))
			return false;
	return true;
}

/* Refuses names the kernel's BTF check would reject, and names already taken
 * (LLVM would rename the new symbol and libbpf would not find it). */
static bool check_name(struct cg_object *o, const char *kind, const char *name)
{
	if (!is_ident(name)) {
		set_err(o, "%s name '%s' is not a C identifier", kind, name ? name : "(null)");
		return false;
	}
	if (LLVMGetNamedGlobal(o->mod, name) || LLVMGetNamedFunction(o->mod, name)) {
		set_err(o, "%s name '%s' is already defined", kind, name);
		return false;
	}
	return true;
}

int cg_object_init(struct cg_object *o, const char *module_name)
{
	LLVMTargetRef target;
	LLVMTargetDataRef td;
	LLVMTypeRef i32;
	char *msg = NULL;
	const char *producer = "hawk";

	memset(o, 0, sizeof(*o));
	if (!module_name || !*module_name)
		module_name = "hawk";
	init_bpf_target();

	o->ctx = LLVMContextCreate();
	o->mod = LLVMModuleCreateWithNameInContext(module_name, o->ctx);
	if (LLVMGetTargetFromTriple(CG_TRIPLE, &target, &msg)) {
		set_err(o, "no LLVM target for %s: %s", CG_TRIPLE, msg ? msg : "?");
		LLVMDisposeMessage(msg);
		return -1;
	}
	o->tm = LLVMCreateTargetMachine(target, CG_TRIPLE, CG_CPU, "", LLVMCodeGenLevelDefault,
					LLVMRelocStatic, LLVMCodeModelDefault);
	if (!o->tm) {
		set_err(o, "cannot create a target machine for %s/%s", CG_TRIPLE, CG_CPU);
		return -1;
	}
	LLVMSetTarget(o->mod, CG_TRIPLE);
	td = LLVMCreateTargetDataLayout(o->tm);
	LLVMSetModuleDataLayout(o->mod, td);
	LLVMDisposeTargetData(td);

	/*
	 * Module flags. "Debug Info Version" makes the debug info valid. No
	 * "Dwarf Version": with the "CodeView" flag set and no DWARF version,
	 * AsmPrinter creates no DWARF writer (CodeView itself is emitted only
	 * for Windows targets), while BPFAsmPrinter's BTF writer runs regardless.
	 */
	i32 = LLVMInt32TypeInContext(o->ctx);
	LLVMAddModuleFlag(o->mod, LLVMModuleFlagBehaviorWarning, "Debug Info Version", 18,
			  LLVMValueAsMetadata(LLVMConstInt(i32, LLVMDebugMetadataVersion(), 0)));
	LLVMAddModuleFlag(o->mod, LLVMModuleFlagBehaviorWarning, "CodeView", 8,
			  LLVMValueAsMetadata(LLVMConstInt(i32, 1, 0)));

	o->di = LLVMCreateDIBuilder(o->mod);
	o->di_file = LLVMDIBuilderCreateFile(o->di, module_name, strlen(module_name), "", 0);
	o->di_cu = LLVMDIBuilderCreateCompileUnit(o->di, LLVMDWARFSourceLanguageC11, o->di_file,
						  producer, strlen(producer), 1, "", 0, 0, "", 0,
						  LLVMDWARFEmissionFull, 0, 0, 0, "", 0, "", 0);

	/* Types every object needs: "int" for map definitions, i64(void *) for programs. */
	o->di_int32 = cg_di_int(o, "int", 4, true);
	LLVMMetadataRef sig[2] = {
		cg_di_int(o, "long", 8, true),
		LLVMDIBuilderCreatePointerType(o->di, NULL, 64, 0, 0, NULL, 0),
	};
	o->di_prog_type =
		LLVMDIBuilderCreateSubroutineType(o->di, o->di_file, sig, 2, LLVMDIFlagZero);
	LLVMTypeRef ptr = LLVMPointerTypeInContext(o->ctx, 0);
	o->prog_type = LLVMFunctionType(LLVMInt64TypeInContext(o->ctx), &ptr, 1, 0);
	return 0;
}

void cg_object_dispose(struct cg_object *o)
{
	if (!o)
		return;
	if (o->di)
		LLVMDisposeDIBuilder(o->di);
	if (o->mod)
		LLVMDisposeModule(o->mod);
	if (o->tm)
		LLVMDisposeTargetMachine(o->tm);
	if (o->ctx)
		LLVMContextDispose(o->ctx);
	memset(o, 0, sizeof(*o));
}

LLVMMetadataRef cg_di_int(struct cg_object *o, const char *name, unsigned bytes, bool is_signed)
{
	return LLVMDIBuilderCreateBasicType(o->di, name, strlen(name), (uint64_t)bytes * 8,
					    is_signed ? DW_ATE_signed : DW_ATE_unsigned,
					    LLVMDIFlagZero);
}

LLVMMetadataRef cg_di_bytes(struct cg_object *o, unsigned size)
{
	LLVMMetadataRef chr = LLVMDIBuilderCreateBasicType(o->di, "char", 4, 8, DW_ATE_signed_char,
							   LLVMDIFlagZero);
	LLVMMetadataRef range = LLVMDIBuilderGetOrCreateSubrange(o->di, 0, size);

	return LLVMDIBuilderCreateArrayType(o->di, (uint64_t)size * 8, 8, chr, &range, 1);
}

/* The DI type for a key or value known only by its size. */
static LLVMMetadataRef di_sized(struct cg_object *o, uint32_t size)
{
	switch (size) {
	case 1:
		return cg_di_int(o, "__u8", 1, false);
	case 2:
		return cg_di_int(o, "__u16", 2, false);
	case 4:
		return cg_di_int(o, "__u32", 4, false);
	case 8:
		return cg_di_int(o, "__u64", 8, false);
	default:
		return cg_di_bytes(o, size);
	}
}

/* A struct member `name` of pointer type to `pointee`, at member index i. */
static LLVMMetadataRef map_member(struct cg_object *o, const char *name, LLVMMetadataRef pointee,
				  unsigned i)
{
	LLVMMetadataRef p = LLVMDIBuilderCreatePointerType(o->di, pointee, 64, 0, 0, NULL, 0);

	return LLVMDIBuilderCreateMemberType(o->di, o->di_file, name, strlen(name), o->di_file, 0,
					     64, 0, (uint64_t)i * 64, LLVMDIFlagZero, p);
}

/* __uint(name, val): `int (*name)[val]`. */
static LLVMMetadataRef map_uint(struct cg_object *o, const char *name, uint32_t val, unsigned i)
{
	LLVMMetadataRef range = LLVMDIBuilderGetOrCreateSubrange(o->di, 0, val);
	LLVMMetadataRef arr =
		LLVMDIBuilderCreateArrayType(o->di, (uint64_t)val * 32, 32, o->di_int32, &range, 1);

	return map_member(o, name, arr, i);
}

static bool map_has_btf_kv(int type)
{
	switch (type) {
	case BPF_MAP_TYPE_HASH:
	case BPF_MAP_TYPE_ARRAY:
	case BPF_MAP_TYPE_PERCPU_HASH:
	case BPF_MAP_TYPE_PERCPU_ARRAY:
	case BPF_MAP_TYPE_LRU_HASH:
	case BPF_MAP_TYPE_LRU_PERCPU_HASH:
		return true;
	default:
		return false;
	}
}

LLVMValueRef cg_object_map_def(struct cg_object *o, const char *name, const struct cg_map_def *def)
{
	LLVMMetadataRef members[6], st, gve;
	LLVMTypeRef ty;
	LLVMValueRef g;
	unsigned n = 0;
	bool kv = def->type != BPF_MAP_TYPE_RINGBUF;

	if (!check_name(o, "map", name))
		return NULL;
	members[n] = map_uint(o, "type", (uint32_t)def->type, n), n++;
	if (def->max_entries)
		members[n] = map_uint(o, "max_entries", def->max_entries, n), n++;
	if (def->map_flags)
		members[n] = map_uint(o, "map_flags", def->map_flags, n), n++;
	if (kv && map_has_btf_kv(def->type)) {
		if (def->key_size || def->key_type)
			members[n] = map_member(
				o, "key",
				def->key_type ? def->key_type : di_sized(o, def->key_size), n),
			n++;
		if (def->value_size || def->value_type)
			members[n] = map_member(o, "value",
						def->value_type ? def->value_type
								: di_sized(o, def->value_size),
						n),
			n++;
	} else if (kv) {
		if (def->key_size)
			members[n] = map_uint(o, "key_size", def->key_size, n), n++;
		if (def->value_size)
			members[n] = map_uint(o, "value_size", def->value_size, n), n++;
	}

	st = LLVMDIBuilderCreateStructType(o->di, o->di_file, NULL, 0, o->di_file, 0,
					   (uint64_t)n * 64, 0, LLVMDIFlagZero, NULL, members, n, 0,
					   NULL, NULL, 0);
	/* The IR global has the struct's size: n pointers, all null. */
	ty = LLVMArrayType2(LLVMPointerTypeInContext(o->ctx, 0), n);
	g = LLVMAddGlobal(o->mod, ty, name);
	LLVMSetInitializer(g, LLVMConstNull(ty));
	LLVMSetSection(g, ".maps");
	LLVMSetAlignment(g, 8);
	LLVMSetLinkage(g, LLVMExternalLinkage);
	gve = LLVMDIBuilderCreateGlobalVariableExpression(
		o->di, o->di_cu, name, strlen(name), name, strlen(name), o->di_file, 0, st, 0,
		LLVMDIBuilderCreateExpression(o->di, NULL, 0), NULL, 0);
	LLVMGlobalSetMetadata(g, LLVMGetMDKindIDInContext(o->ctx, "dbg", 3), gve);
	return g;
}

LLVMValueRef cg_object_map(struct cg_object *o, const char *name, int map_type,
			   uint32_t max_entries, uint32_t key_size, uint32_t value_size,
			   uint32_t map_flags)
{
	struct cg_map_def def = {
		.type = map_type,
		.max_entries = max_entries,
		.key_size = key_size,
		.value_size = value_size,
		.map_flags = map_flags,
	};

	return cg_object_map_def(o, name, &def);
}

LLVMValueRef cg_object_prog(struct cg_object *o, const char *name, const char *section)
{
	LLVMMetadataRef sp, ctx_ty;
	LLVMValueRef fn;
	size_t len;

	if (!check_name(o, "program", name))
		return NULL;
	if (!section || !*section) {
		set_err(o, "program '%s' has no ELF section", name);
		return NULL;
	}
	len = strlen(name);
	fn = LLVMAddFunction(o->mod, name, o->prog_type);
	LLVMSetLinkage(fn, LLVMExternalLinkage);
	LLVMSetSection(fn, section);
	LLVMSetValueName2(LLVMGetParam(fn, 0), "ctx", 3);

	sp = LLVMDIBuilderCreateFunction(o->di, o->di_file, name, len, NULL, 0, o->di_file, 1,
					 o->di_prog_type, 0, 1, 1, LLVMDIFlagPrototyped, 1);
	/* A named parameter: the kernel rejects FUNC_PROTO args without names.
	 * AlwaysPreserve puts it in the subprogram's retainedNodes, where the
	 * BTF writer looks for argument names. */
	ctx_ty = LLVMDIBuilderCreatePointerType(o->di, NULL, 64, 0, 0, NULL, 0);
	LLVMDIBuilderCreateParameterVariable(o->di, sp, "ctx", 3, 1, o->di_file, 1, ctx_ty, 1,
					     LLVMDIFlagZero);
	LLVMSetSubprogram(fn, sp);
	return fn;
}

LLVMValueRef cg_object_subprog(struct cg_object *o, const char *name, unsigned nparams)
{
	static const char *const pnames[] = {"a0", "a1", "a2", "a3", "a4"};
	LLVMMetadataRef sig[6], sp, pty;
	LLVMTypeRef ptr = LLVMPointerTypeInContext(o->ctx, 0), params[5], fty;
	LLVMValueRef fn;
	unsigned i;

	if (nparams > 5) {
		set_err(o, "subprogram '%s' has %u parameters (at most 5)", name, nparams);
		return NULL;
	}
	if (!check_name(o, "subprogram", name))
		return NULL;
	pty = LLVMDIBuilderCreatePointerType(o->di, NULL, 64, 0, 0, NULL, 0);
	sig[0] = cg_di_int(o, "long", 8, true);
	for (i = 0; i < nparams; i++) {
		params[i] = ptr;
		sig[i + 1] = pty;
	}
	fty = LLVMFunctionType(LLVMInt64TypeInContext(o->ctx), params, nparams, 0);
	fn = LLVMAddFunction(o->mod, name, fty);
	/* static, in .text: libbpf appends it to every program that calls it */
	LLVMSetLinkage(fn, LLVMInternalLinkage);
	LLVMSetSection(fn, ".text");
	sp = LLVMDIBuilderCreateFunction(
		o->di, o->di_file, name, strlen(name), NULL, 0, o->di_file, 1,
		LLVMDIBuilderCreateSubroutineType(o->di, o->di_file, sig, nparams + 1,
						  LLVMDIFlagZero),
		1, 1, 1, LLVMDIFlagPrototyped, 1);
	for (i = 0; i < nparams; i++) {
		LLVMSetValueName2(LLVMGetParam(fn, i), pnames[i], 2);
		LLVMDIBuilderCreateParameterVariable(o->di, sp, pnames[i], 2, i + 1, o->di_file, 1,
						     pty, 1, LLVMDIFlagZero);
	}
	LLVMSetSubprogram(fn, sp);
	return fn;
}

void cg_object_set_loc(struct cg_object *o, LLVMBuilderRef b, LLVMValueRef fn, unsigned line,
		       unsigned col)
{
	LLVMMetadataRef sp = LLVMGetSubprogram(fn);

	if (!sp)
		return;
	LLVMSetCurrentDebugLocation2(b,
				     LLVMDIBuilderCreateDebugLocation(o->ctx, line, col, sp, NULL));
}

LLVMValueRef cg_helper_call(struct cg_object *o, LLVMBuilderRef b, int helper_id, LLVMTypeRef ret,
			    LLVMValueRef *args, unsigned nargs)
{
	LLVMTypeRef types[5], fty;
	LLVMValueRef callee;

	if (nargs > 5) { /* BPF helpers take at most five arguments */
		set_err(o, "helper %d called with %u arguments (at most 5)", helper_id, nargs);
		return NULL;
	}
	for (unsigned i = 0; i < nargs; i++)
		types[i] = LLVMTypeOf(args[i]);
	fty = LLVMFunctionType(ret, types, nargs, 0);
	callee = LLVMConstIntToPtr(LLVMConstInt(LLVMInt64TypeInContext(o->ctx), helper_id, 0),
				   LLVMPointerTypeInContext(o->ctx, 0));
	return LLVMBuildCall2(b, fty, callee, args, nargs, "");
}

static void add_license(struct cg_object *o)
{
	const char *lic = o->license ? o->license : "GPL";
	LLVMValueRef init, g;

	if (LLVMGetNamedGlobal(o->mod, "_license"))
		return;
	/* With its NUL: the kernel reads a C string. */
	init = LLVMConstStringInContext(o->ctx, lic, (unsigned)strlen(lic), 0);
	g = LLVMAddGlobal(o->mod, LLVMTypeOf(init), "_license");
	LLVMSetInitializer(g, init);
	LLVMSetSection(g, "license");
	LLVMSetLinkage(g, LLVMExternalLinkage);
	LLVMSetAlignment(g, 1);
}

/* BPF has no exceptions: without nounwind every function gets an .eh_frame
 * entry, which is work and bytes that libbpf then ignores. */
static void mark_nounwind(struct cg_object *o)
{
	unsigned kind = LLVMGetEnumAttributeKindForName("nounwind", 8);
	LLVMAttributeRef nounwind = LLVMCreateEnumAttribute(o->ctx, kind, 0);

	for (LLVMValueRef fn = LLVMGetFirstFunction(o->mod); fn; fn = LLVMGetNextFunction(fn))
		if (!LLVMIsDeclaration(fn))
			LLVMAddAttributeAtIndex(fn, LLVMAttributeFunctionIndex, nounwind);
}

int cg_object_optimize(struct cg_object *o, char **err)
{
	LLVMPassBuilderOptionsRef opts;
	LLVMErrorRef e;
	char *msg = NULL;

	*err = NULL;
	if (o->optimized)
		return 0;
	add_license(o);
	mark_nounwind(o);
	LLVMDIBuilderFinalize(o->di);
	if (LLVMVerifyModule(o->mod, LLVMReturnStatusAction, &msg)) {
		*err = dup_err(o, "invalid LLVM IR", msg);
		LLVMDisposeMessage(msg);
		return -1;
	}
	LLVMDisposeMessage(msg);

	opts = LLVMCreatePassBuilderOptions();
	LLVMPassBuilderOptionsSetVerifyEach(opts, o->verify_each);
	e = LLVMRunPasses(o->mod, "default<O2>", o->tm, opts);
	LLVMDisposePassBuilderOptions(opts);
	if (e) {
		msg = LLVMGetErrorMessage(e);
		*err = dup_err(o, "O2 pipeline failed", msg);
		LLVMDisposeErrorMessage(msg);
		return -1;
	}
	o->optimized = true;
	return 0;
}

int cg_object_emit(struct cg_object *o, void **out, size_t *out_len, char **err)
{
	LLVMMemoryBufferRef buf = NULL;
	char *msg = NULL;
	size_t len;

	*out = NULL;
	*out_len = 0;
	if (cg_object_optimize(o, err))
		return -1;
	if (LLVMTargetMachineEmitToMemoryBuffer(o->tm, o->mod, LLVMObjectFile, &msg, &buf)) {
		*err = dup_err(o, "BPF code generation failed", msg);
		LLVMDisposeMessage(msg);
		return -1;
	}
	len = LLVMGetBufferSize(buf);
	*out = malloc(len);
	if (!*out) {
		LLVMDisposeMemoryBuffer(buf);
		*err = dup_err(o, "out of memory for the ELF object", NULL);
		return -1;
	}
	memcpy(*out, LLVMGetBufferStart(buf), len);
	*out_len = len;
	LLVMDisposeMemoryBuffer(buf);
	return 0;
}

const char *cg_llvm_version(void)
{
	static char buf[32];
	/* the headers' version: the static libraries are the same build, and
	 * --info need not load them */
	snprintf(buf, sizeof(buf), "%s", LLVM_VERSION_STRING);
	return buf;
}
