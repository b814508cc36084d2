/*
 * watch_target N [DELAY_MS] - prints the address of its global `watched`
 * ("0x..." and a newline, flushed), waits DELAY_MS (default 1500) so that a
 * tracer can attach a watchpoint there, then writes `watched` N times, 10 ms
 * apart, and exits. A workload for watchpoint:ADDR:8:w with -p.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "workload.h"

volatile unsigned long watched;

int main(int argc, char **argv)
{
	workload_init();
	if (argc != 2 && argc != 3) {
		fprintf(stderr, "usage: watch_target N [DELAY_MS]\n");
		return 2;
	}
	long n = strtol(argv[1], NULL, 0);
	long ms = argc == 3 ? strtol(argv[2], NULL, 0) : 1500;
	struct timespec delay = {.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000};
	struct timespec gap = {.tv_sec = 0, .tv_nsec = 10 * 1000000};

	printf("%p\n", (void *)&watched);
	fflush(stdout);
	nanosleep(&delay, NULL);
	for (long i = 0; i < n; i++) {
		watched = (unsigned long)i + 1;
		nanosleep(&gap, NULL);
	}
	return 0;
}
