/*
 * getppid_loop N - calls getppid(2) N times (N = 0: until killed), then exits.
 *
 * A workload for tracepoint:syscalls:sys_enter_getppid: nothing else in the
 * program makes that syscall, so a probe filtered on comm "getppid_loop"
 * sees exactly N events. Calls the raw syscall so that no libc caching can
 * hide a call.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "workload.h"

int main(int argc, char **argv)
{
	workload_init();
	if (argc != 2) {
		fprintf(stderr, "usage: getppid_loop N   (N = 0: forever)\n");
		return 2;
	}
	long n = strtol(argv[1], NULL, 0);
	for (long i = 0; n == 0 || i < n; i++)
		syscall(SYS_getppid);
	return 0;
}
