#!/bin/sh
# minidebuginfo.sh IN OUT - copies of the binary IN as Fedora ships binaries
# (find-debuginfo's MiniDebugInfo step), in the current directory:
#   OUT        stripped of .symtab, with .gnu_debugdata: an xz-compressed ELF
#              file whose .symtab keeps the functions .dynsym does not name
#   OUT.plain  the same stripped file without .gnu_debugdata (the control)
#   OUT.trunc  with the xz data cut in half (corrupt: must be ignored)
# Fails (exit 1) unless OUT really has no symbols of its own and carries the
# section.
set -eu
in=$1
out=$2
nm -D --format=posix --defined-only "$in" | awk '{ print $1 }' | sort >mdi.dynsyms
nm --format=posix --defined-only "$in" | awk '$2 == "T" || $2 == "t" { print $1 }' | sort >mdi.funcsyms
comm -13 mdi.dynsyms mdi.funcsyms >mdi.keep
objcopy --only-keep-debug "$in" mdi.debug
objcopy -S --remove-section .gdb_index --remove-section .comment --keep-symbols=mdi.keep \
	mdi.debug mdi.elf
rm -f mdi.elf.xz
xz mdi.elf
objcopy --strip-all "$in" "$out.plain"
objcopy --add-section .gnu_debugdata=mdi.elf.xz "$out.plain" "$out"
head -c $(($(wc -c <mdi.elf.xz) / 2)) mdi.elf.xz >mdi.trunc.xz
objcopy --add-section .gnu_debugdata=mdi.trunc.xz "$out.plain" "$out.trunc"
if nm "$out" 2>/dev/null | grep -q . || ! readelf -S "$out" | grep -q '\.gnu_debugdata'; then
	echo "minidebuginfo.sh: $out is not a stripped file with .gnu_debugdata" >&2
	exit 1
fi
