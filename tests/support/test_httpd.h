/* test_httpd.h: tests/httpd.py as a child of a cmocka test: started on a free port on
 * 127.0.0.1, serving tests/data (and misbehaving on demand, see httpd.py), stopped at the end.
 * The server also stops by itself when the test process is gone or after 120 s. */
#ifndef IW_TEST_HTTPD_H
#define IW_TEST_HTTPD_H

#include <stdint.h>
#include <sys/types.h>

typedef struct test_httpd {
	pid_t pid;
	int port;               /* the port it listens on, once started */
	char dir[256];          /* a private folder for its port file */
	char port_file[300];
} test_httpd;

/* Starts the server (HTTPS with tls_cert, a PEM of certificate and key; plain HTTP when NULL)
 * and waits until it has written its port, at most 10 s. 0, or -1 when it did not start. */
int test_httpd_start(test_httpd *s, const char *tls_cert);
/* Stops the server and removes its folder; a server never started is fine. */
void test_httpd_stop(test_httpd *s);

/* Milliseconds on the monotonic clock, for tests that time what they wait for. */
int64_t test_now_ms(void);

#endif
