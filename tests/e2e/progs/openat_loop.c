/*
 * openat_loop PATH N - calls openat(AT_FDCWD, PATH, O_RDONLY) N times, closing
 * the file when the open succeeds. PATH need not exist: the syscall (and its
 * tracepoint) happens either way.
 *
 * Linked statically (see CMakeLists.txt) so the dynamic loader makes no
 * openat calls of its own: a probe filtered on comm "openat_loop" sees
 * exactly N events.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "workload.h"

int main(int argc, char **argv)
{
	workload_init();
	if (argc != 3) {
		fprintf(stderr, "usage: openat_loop PATH N\n");
		return 2;
	}
	long n = strtol(argv[2], NULL, 0);
	for (long i = 0; i < n; i++) {
		int fd = (int)syscall(SYS_openat, AT_FDCWD, argv[1], O_RDONLY);
		if (fd >= 0)
			close(fd);
	}
	return 0;
}
