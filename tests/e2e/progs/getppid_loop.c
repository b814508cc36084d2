/*
 * getppid_loop N [INTERVAL_US] - calls getppid(2) N times (N = 0: until
 * killed), then exits. With INTERVAL_US, sleeps that many microseconds after
 * each call (a steady trickle of events that leaves the CPU idle).
 *
 * A workload for tracepoint:syscalls:sys_enter_getppid: nothing else in the
 * program makes that syscall, so a probe filtered on comm "getppid_loop"
 * sees exactly N events. Calls the raw syscall so that no libc caching can
 * hide a call.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "workload.h"

int main(int argc, char **argv)
{
	workload_init();
	if (argc != 2 && argc != 3) {
		fprintf(stderr, "usage: getppid_loop N [INTERVAL_US]   (N = 0: forever)\n");
		return 2;
	}
	long n = strtol(argv[1], NULL, 0);
	long us = argc == 3 ? strtol(argv[2], NULL, 0) : 0;
	struct timespec pause = {.tv_sec = us / 1000000, .tv_nsec = (us % 1000000) * 1000};

	for (long i = 0; n == 0 || i < n; i++) {
		syscall(SYS_getppid);
		if (us > 0)
			nanosleep(&pause, NULL);
	}
	return 0;
}
