/*
 * tid_check - calls getpgid(getpid()) once from the main thread, then once
 * from a second thread, then exits.
 *
 * A workload for the pid/tid builtins: on tracepoint:syscalls:sys_enter_getpgid
 * args->pid is the process id, so a probe can compare it with pid (equal in
 * both threads) and with tid (equal only in the main thread).
 */
#include <pthread.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "workload.h"

static void *thread_main(void *arg)
{
	(void)arg;
	syscall(SYS_getpgid, getpid());
	return NULL;
}

int main(void)
{
	pthread_t t;

	workload_init();
	syscall(SYS_getpgid, getpid());
	if (pthread_create(&t, NULL, thread_main, NULL) != 0) {
		fprintf(stderr, "tid_check: pthread_create failed\n");
		return 1;
	}
	pthread_join(t, NULL);
	return 0;
}
