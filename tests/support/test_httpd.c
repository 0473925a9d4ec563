/* test_httpd.c: starts and stops tests/httpd.py for the tests that talk HTTP (fetch, ingest). */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "test_httpd.h"
#include "common/banned.h"

#ifndef IW_SOURCE_DIR
#error "IW_SOURCE_DIR must name the source tree"
#endif
#ifndef IW_PYTHON
#define IW_PYTHON "python3"
#endif

int64_t test_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int test_httpd_start(test_httpd *s, const char *tls_cert)
{
	const char *tmp = getenv("TMPDIR");
	char parent[32];
	int64_t deadline;
	FILE *f;

	snprintf(s->dir, sizeof(s->dir), "%s/iw-httpd-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(s->dir))
		return -1;
	snprintf(s->port_file, sizeof(s->port_file), "%s/port", s->dir);
	snprintf(parent, sizeof(parent), "%ld", (long)getpid());
	s->pid = fork();
	if (s->pid < 0)
		return -1;
	if (s->pid == 0) {
		int devnull = open("/dev/null", O_WRONLY);
		if (devnull >= 0)
			dup2(devnull, STDOUT_FILENO);
		/* The parent's pid: the server stops when the test is gone, however it ended. */
		execl(IW_PYTHON, IW_PYTHON, IW_SOURCE_DIR "/tests/httpd.py", "--root",
		      IW_SOURCE_DIR "/tests/data", "--port-file", s->port_file, "--lifetime", "120",
		      "--parent-pid", parent, tls_cert ? "--tls-cert" : (char *)NULL, tls_cert,
		      (char *)NULL);
		_exit(127);
	}
	deadline = test_now_ms() + 10000;
	while (test_now_ms() < deadline) {
		int status;
		if (waitpid(s->pid, &status, WNOHANG) == s->pid) {
			s->pid = 0;
			return -1;
		}
		f = fopen(s->port_file, "r");
		if (f) {
			int ok = fscanf(f, "%d", &s->port) == 1;
			fclose(f);
			if (ok)
				return 0;
		}
		usleep(20000);
	}
	return -1;
}

void test_httpd_stop(test_httpd *s)
{
	if (s->pid > 0) {
		kill(s->pid, SIGTERM);
		waitpid(s->pid, NULL, 0);
		s->pid = 0;
	}
	if (s->dir[0]) {
		unlink(s->port_file);
		rmdir(s->dir);
		s->dir[0] = '\0';
	}
}
