/*
 * sleep_ms N - sleeps N milliseconds with one nanosleep(2) (restarted on
 * EINTR), then exits. A workload for sleep probes and for keeping a process
 * alive for a known time.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "workload.h"

int main(int argc, char **argv)
{
	workload_init();
	if (argc != 2) {
		fprintf(stderr, "usage: sleep_ms N\n");
		return 2;
	}
	long ms = strtol(argv[1], NULL, 0);
	struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L};
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
	return 0;
}
