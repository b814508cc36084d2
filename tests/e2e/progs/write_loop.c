/*
 * write_loop N SIZE - writes SIZE bytes to /dev/null N times (one write(2)
 * each), then exits. A workload for tracepoint:syscalls:sys_enter_write:
 * args->count is SIZE for each of the N calls.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "workload.h"

int main(int argc, char **argv)
{
	workload_init();
	if (argc != 3) {
		fprintf(stderr, "usage: write_loop N SIZE\n");
		return 2;
	}
	long n = strtol(argv[1], NULL, 0);
	long size = strtol(argv[2], NULL, 0);
	if (size < 0 || size > (1L << 24)) {
		fprintf(stderr, "write_loop: SIZE must be 0..16M\n");
		return 2;
	}
	char *buf = calloc(1, size ? size : 1);
	int fd = open("/dev/null", O_WRONLY);
	if (!buf || fd < 0) {
		perror("write_loop");
		return 1;
	}
	for (long i = 0; i < n; i++) {
		if (write(fd, buf, size) < 0) {
			perror("write_loop: write");
			return 1;
		}
	}
	close(fd);
	free(buf);
	return 0;
}
