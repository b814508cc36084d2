# bash completion for hawk (installed as share/bash-completion/completions/hawk).
#
# Completes options, their values (-f, -B, -d, files for -o/--emit-*, probe
# types for --probe-filter), probe types at the start of a probe name (after
# -l or -e), and, once a probe type is typed ("tracepoint:sys"), the probes
# this kernel has, from `hawk -l` (root only: otherwise nothing is offered).

_hawk_probe_types="begin end BEGIN END tracepoint: rawtracepoint: interval: profile: software: hardware:"

_hawk()
{
	local cur prev words cword
	_init_completion -n : 2>/dev/null || {
		cur=${COMP_WORDS[COMP_CWORD]}
		prev=${COMP_WORDS[COMP_CWORD - 1]}
	}

	case $prev in
	-f)
		COMPREPLY=($(compgen -W "text json folded" -- "$cur"))
		return
		;;
	-B)
		COMPREPLY=($(compgen -W "line full none" -- "$cur"))
		return
		;;
	-d | --debug)
		COMPREPLY=($(compgen -W "all ast types codegen codegen-opt libbpf verifier" -- "$cur"))
		return
		;;
	--probe-filter)
		# a regex: the probe types are a start
		COMPREPLY=($(compgen -W "$_hawk_probe_types test:" -- "$cur"))
		compopt -o nospace 2>/dev/null
		return
		;;
	--mode)
		COMPREPLY=($(compgen -W "run test format" -- "$cur"))
		return
		;;
	--no-feature)
		COMPREPLY=($(compgen -W "kprobe_multi uprobe_multi kprobe_session" -- "$cur"))
		return
		;;
	-I)
		COMPREPLY=($(compgen -d -- "$cur"))
		return
		;;
	-o | --output | --emit-elf | --emit-llvm | --traceable-functions | --include)
		COMPREPLY=($(compgen -f -- "$cur"))
		return
		;;
	-p | --pid)
		COMPREPLY=($(compgen -W "$(ls /proc 2>/dev/null | grep '^[0-9]')" -- "$cur"))
		return
		;;
	--debuginfo)
		COMPREPLY=($(compgen -d -- "$cur"))
		return
		;;
	-c | --cmd)
		COMPREPLY=($(compgen -c -- "$cur"))
		return
		;;
	-l | -lv | --list)
		if [[ $cur == *:* ]]; then
			COMPREPLY=($(hawk -l "$cur*" 2>/dev/null))
		else
			COMPREPLY=($(compgen -W "$_hawk_probe_types" -- "$cur"))
		fi
		# the words contain ':': complete them whole
		type __ltrim_colon_completions &>/dev/null && __ltrim_colon_completions "$cur"
		compopt -o nospace 2>/dev/null
		return
		;;
	-e)
		COMPREPLY=($(compgen -W "$_hawk_probe_types" -- "$cur"))
		compopt -o nospace 2>/dev/null
		return
		;;
	esac

	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "-e -h --help -V --version -v --verbose -q --quiet
			-l --list --info -p --pid -c --cmd -o --output -f -B -k --warnings
			--no-warnings --no-cache --unsafe --debuginfo --dry-run --test --fmt
			--probe-filter --mode --traceable-functions -I --include --no-feature
			--usdt-file-activation
			-d --debug --emit-elf --emit-llvm --verify-llvm-ir" -- "$cur"))
		return
	fi
	COMPREPLY=($(compgen -f -- "$cur"))
}

complete -F _hawk hawk
