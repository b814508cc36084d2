/*
 * stdlib.h - helpers shared by stdlib modules (probe types, builtins and
 * aggregations). Modules include lang/ for checking, codegen/cg.h for
 * lowering and runtime/ for printing; this header ties the three together.
 */
#ifndef HAWK_STDLIB_H
#define HAWK_STDLIB_H

#include "../lang/modules.h"
#include "../lang/sema.h"
#include "../lang/types.h"
#include "../codegen/cg.h"

/* Lays out an event's payload from the argument nodes starting at `args`
 * (their checked types; integers are widened to 64 bits). */
void std_event_layout(struct sema *s, struct res_event *ev, struct ast_node *args);
/* Lowers the argument nodes and writes the event. */
void std_event_emit(struct cg *cg, const struct res_event *ev, struct ast_node *args);
/* Is n an integer known at compile time (literals, $N, arithmetic on them)?
 * If so, sema_const_int() gives its value without an error. */
bool std_is_const(const struct ast_node *n);
/* Checks that a call argument is an integer; reports and returns -1 if not. */
int std_want_int(struct sema *s, struct ast_node *call, int i);
/* The map named by a call's first argument (print(@m), clear(@m)...), or NULL
 * after an error. */
struct res_map *std_map_arg(struct sema *s, struct ast_node *call);

/* agg_ops.lower_combine/lower_result for aggregations whose value is one
 * u64 summed over the CPUs (count, sum). */
void std_agg_add_combine(struct cg *cg, const struct hk_type *t, LLVMValueRef acc,
			 LLVMValueRef cpu);
LLVMValueRef std_agg_load_result(struct cg *cg, const struct hk_type *t, LLVMValueRef acc);

/* Checks a printf-style call (printf, cat, system, errorf...): a string
 * literal format, as many arguments as it takes, each of a type its
 * conversion can print. 0 or -1 after a diagnostic. */
int std_check_format(struct sema *s, struct ast_node *call);

/* Every file mapped executable by process pid (pid 0: by every process),
 * each once, as a NULL-terminated array in the arena (count in *count); NULL
 * when the maps of process pid cannot be read (stdlib/probes/usdt.c). */
const char **std_mapped_files(struct arena *a, int pid, int *count);
/* Folds a file's path and identity (device, inode, size, mtime) into the
 * compile-cache salt: a rebuilt binary is not served an old object. */
void std_salt_file(struct sema *s, const char *path);

/* Stacks (stdlib/builtins/stack.c), shared by kstack and ustack: the type of
 * a stack value, the check of the optional (mode), (N), (mode, N) arguments
 * (types n), and the code that fills one with bpf_get_stack(flags) (with
 * BPF_F_USER_STACK it also records the process id in the header). */
struct hk_type *std_stack_type(struct sema *s, const char *mode, uint32_t limit, bool user);
int std_stack_check(struct sema *s, struct ast_node *n, bool user);
LLVMValueRef std_stack_lower(struct cg *cg, struct ast_node *n, uint64_t flags);

/* Processes whose user addresses are printed later (usym, ustack): the
 * first value taken in each pid also sends an event, so the runtime reads
 * that process's memory map while it lives (stdlib/builtins/usym.c). In
 * check: register that event (ops->event must be std_note_user_pid_seen);
 * in lower: send it for pid (an i64) unless the pid was seen already. */
struct res_event *std_note_user_pid_event(struct sema *s, const struct builtin_ops *ops,
					  struct ast_node *n);
void std_note_user_pid(struct cg *cg, const struct res_event *ev, LLVMValueRef pid);
/* The test alone: the builder is left where pid is new (its code must end
 * with a branch to the block returned, which the caller then continues
 * at); NULL when there is no pid map. */
LLVMBasicBlockRef std_note_user_pid_first(struct cg *cg, LLVMValueRef pid);
void std_note_user_pid_seen(struct rt *rt, const struct res_event *ev, const void *data,
			    uint32_t len);

/* The declarations of every module, for the registry. */
#define STD_BUILTIN(x) extern const struct builtin_ops std_##x
#define STD_PROBE(x)   extern const struct probe_ops std_probe_##x

#endif
