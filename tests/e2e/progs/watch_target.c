/*
 * watch_target N [DELAY_MS] - prints the address of its global `watched`
 * ("0x..." and a newline, flushed), waits DELAY_MS (default 1500) so that a
 * tracer can attach a watchpoint there, then writes `watched` N times, 10 ms
 * apart, and exits. A workload for watchpoint:ADDR:8:w with -p.
 *
 * watch_target selftest - exits 0 when a hardware breakpoint on `watched`
 * fires here (perf_event_open on itself, then one write), else 1 with the
 * reason: some virtual machines accept breakpoints that never fire.
 */
#include <linux/hw_breakpoint.h>
#include <linux/perf_event.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "workload.h"

volatile unsigned long watched;

static int selftest(void)
{
	struct perf_event_attr attr;
	memset(&attr, 0, sizeof(attr));
	attr.type = PERF_TYPE_BREAKPOINT;
	attr.size = sizeof(attr);
	attr.bp_type = HW_BREAKPOINT_W;
	attr.bp_addr = (uint64_t)(uintptr_t)&watched;
	attr.bp_len = HW_BREAKPOINT_LEN_8;
	attr.sample_period = 1;
	attr.exclude_kernel = 1;
	attr.exclude_hv = 1;
	int fd = (int)syscall(SYS_perf_event_open, &attr, 0, -1, -1, 0);
	if (fd < 0) {
		perror("watch_target: perf_event_open(PERF_TYPE_BREAKPOINT)");
		return 1;
	}
	for (int i = 0; i < 3; i++)
		watched = (unsigned long)i + 1;
	uint64_t count = 0;
	if (read(fd, &count, sizeof(count)) != sizeof(count) || count == 0) {
		fprintf(stderr, "watch_target: hardware breakpoints never fire on this machine\n");
		return 1;
	}
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	workload_init();
	if (argc == 2 && strcmp(argv[1], "selftest") == 0)
		return selftest();
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
