/*
 * self.c - self:signal:SIGUSR1 (and SIGUSR2): a program the runtime runs,
 * with BPF_PROG_TEST_RUN like begin/end, each time hawk itself receives the
 * signal (`kill -USR1 $(pidof hawk)` to print a map on demand). The signal
 * number travels in res_probe.period; the runtime installs the handler.
 */
#include "../stdlib.h"

#include <linux/bpf.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

STD_PROBE(self);

static const struct {
	const char *name;
	int sig;
} self_signals[] = {
	{"SIGUSR1", SIGUSR1},
	{"SIGUSR2", SIGUSR2},
};

static int self_expand(struct sema *s, struct ast_node *ap, const char *spec)
{
	const char *rest = strchr(spec, ':');
	struct res_probe *p;
	size_t i;

	if (!rest || strncmp(rest + 1, "signal:", 7)) {
		sema_error(s, ap->loc, "invalid self probe '%s': expected self:signal:SIGNAL",
			   spec);
		return -1;
	}
	rest += 8;
	for (i = 0; i < sizeof(self_signals) / sizeof(self_signals[0]); i++)
		if (!strcmp(rest, self_signals[i].name) || !strcmp(rest, self_signals[i].name + 3))
			break;
	if (i == sizeof(self_signals) / sizeof(self_signals[0])) {
		sema_error(s, ap->loc, "self:signal does not support signal '%s'", rest);
		sema_hint(s, "the signals are SIGUSR1 and SIGUSR2");
		return -1;
	}
	p = sema_add_probe(s, &std_probe_self,
			   arena_printf(s->arena, "self:signal:%s", self_signals[i].name), ap->loc);
	p->func = self_signals[i].name;
	p->period = (uint64_t)self_signals[i].sig;
	p->section = "raw_tp/hawk_self";
	p->prog_type = BPF_PROG_TYPE_RAW_TRACEPOINT;
	return 0;
}

const struct probe_ops std_probe_self = {
	.name = "self",
	.expand = self_expand,
	.is_self = true,
};
