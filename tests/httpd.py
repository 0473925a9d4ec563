#!/usr/bin/env python3
"""httpd.py: a small HTTP server for ianawatch's tests, which serves real registry snapshots and
misbehaves on demand. Python 3 standard library only.

Usage:
    python3 tests/httpd.py --root DIR [--port-file FILE] [--lifetime SECONDS]
                           [--parent-pid PID] [--tls-cert PEM] [--verbose]

It listens on 127.0.0.1, on an ephemeral port which it prints on stdout (one line) and, with
--port-file, writes to FILE atomically (temporary file + rename), so a test can poll for the file.
It exits by itself after --lifetime seconds (default 120), or as soon as the process given by
--parent-pid is gone, so no server outlives a crashed test. SIGTERM stops it at once.
With --tls-cert (a PEM holding certificate and key) it speaks HTTPS instead.

Files: GET /f/NAME serves DIR/NAME; when only DIR/NAME.gz exists, its decompressed content is
served (so the committed tests/data/*.xml.gz fixtures can be used directly). NAME may not contain
'/'. GET /current serves the file chosen with /_control/current (see below). Three names are
documents made from DIR's real ones (see SYNTHETIC): future.xml (2025-02-13 dated
<updated>2099-01-01</updated>), duplicated.xml (2025-02-13 with every record ten times) and
rolled-back.xml (2025-01-23 byte for byte, to serve after a newer version).

Every file response carries an ETag (derived from the content) and a Last-Modified (the file's
mtime) and answers 304 to a matching If-None-Match, or, when no If-None-Match was sent, to an
If-Modified-Since not older than Last-Modified. The body is gzip-encoded (Content-Encoding: gzip)
when the request says Accept-Encoding: gzip. Query parameters of /f/NAME and /current change that:

    fail=N         the first N requests for this exact URL (path and query) fail ...
    code=C         ... with status C (default 500), a short text/plain body ...
    retry_after=S  ... and a Retry-After: S header
    gzip=0         never gzip; gzip=force: gzip even if the client did not ask
    truncate=B     announce the full Content-Length, send only B bytes, close the connection
    stall=B        announce the full Content-Length, send B bytes, then send nothing more until
                   the client gives up
    trickle=MS     send the body 64 bytes at a time, one piece every MS milliseconds ...
    piece=B        ... or B bytes at a time (trickle=1000&piece=1: a byte a second)
    type=CT        Content-Type (default text/xml)
    etag=0, lm=0   leave out ETag / Last-Modified

Other endpoints:
    /html                   200, text/html: an error page as some proxies and CDNs serve it
    /loop                   302 to /loop, forever (a redirect loop)
    /redirect?to=PATH       301 to PATH (a good redirect)
    /bomb?mib=N             200, Content-Encoding: gzip, whose content expands to N MiB of zeros
                            (default 80) from about N KiB on the wire
    /badgzip                200, Content-Encoding: gzip, whose content is not gzip
    /status/C               status C with a short body
    /echo                   200, text/plain: the request line and headers as received
    /bighead?kib=N&lines=L  200 with L (default 1) headers of N KiB each (default 1024)
    /_control/current?file=NAME   choose what /current serves (to simulate nightly versions)
    /_control/reset         forget the fail=N counters

A request through a proxy (absolute URI in the request line, as http_proxy makes clients send)
is served as if it were for the path alone, with an X-Proxied: 1 response header.
"""

import argparse
import email.utils
import gzip
import hashlib
import http.server
import os
import re
import select
import ssl
import sys
import threading
import time
import urllib.parse
import zlib


class State:
    """What the handlers share: counters per URL, the /current choice, a content cache."""

    def __init__(self, root):
        self.root = root
        self.lock = threading.Lock()
        self.counters = {}
        self.current = None
        self.cache = {}
        self.bombs = {}

    def count(self, key):
        with self.lock:
            n = self.counters.get(key, 0) + 1
            self.counters[key] = n
            return n

    def load(self, name):
        """(content, etag, mtime) of a served file, or None."""
        if not name or "/" in name or name.startswith("."):
            return None
        if name in SYNTHETIC:
            return self.synthetic(name)
        path = os.path.join(self.root, name)
        compressed = False
        if not os.path.isfile(path):
            path += ".gz"
            compressed = True
            if not os.path.isfile(path):
                return None
        st = os.stat(path)
        key = (path, st.st_mtime_ns, st.st_size)
        with self.lock:
            hit = self.cache.get(key)
        if hit:
            return hit
        with open(path, "rb") as f:
            data = f.read()
        if compressed:
            data = gzip.decompress(data)
        etag = '"%s"' % hashlib.sha256(data).hexdigest()[:20]
        entry = (data, etag, int(st.st_mtime))
        with self.lock:
            self.cache[key] = entry
        return entry

    def synthetic(self, name):
        """A bad document made from a real one (see SYNTHETIC), cached like a file."""
        base, make = SYNTHETIC[name]
        with self.lock:
            hit = self.cache.get(name)
        if hit:
            return hit
        entry = self.load(base)
        if entry is None:
            return None
        data = make(entry[0])
        entry = (data, '"%s"' % hashlib.sha256(data).hexdigest()[:20], entry[2])
        with self.lock:
            self.cache[name] = entry
        return entry

    def bomb(self, mib):
        with self.lock:
            hit = self.bombs.get(mib)
        if hit:
            return hit
        co = zlib.compressobj(9, zlib.DEFLATED, 31)  # wbits 31: gzip framing
        chunk = bytes(1 << 20)
        parts = [co.compress(chunk) for _ in range(mib)]
        parts.append(co.flush())
        data = b"".join(parts)
        with self.lock:
            self.bombs[mib] = data
        return data


def repeat_records(data, times):
    """Every <record> element repeated `times` times, in place."""
    text = data.decode("utf-8")
    return re.sub(r"<record\b.*?</record>\s*", lambda m: m.group(0) * times, text,
                  flags=re.S).encode("utf-8")


# Documents the registry must never accept as they are, made from the committed snapshots:
# name -> (real file, transformation).
SYNTHETIC = {
    # 2025-02-13 dated in the future: would block every later update.
    "future.xml": ("2025-02-13.xml",
                   lambda d: d.replace(b"<updated>2025-02-13</updated>",
                                       b"<updated>2099-01-01</updated>", 1)),
    # 2025-02-13 with every record ten times: growth far beyond the registry's.
    "duplicated.xml": ("2025-02-13.xml", lambda d: repeat_records(d, 10)),
    # The 2025-01-23 version byte for byte, under another name: served after 2025-02-13, a
    # rollback.
    "rolled-back.xml": ("2025-01-23.xml", lambda d: d),
}


def etag_matches(header, etag):
    """If-None-Match uses the weak comparison: W/ prefixes are ignored."""
    def strip(t):
        t = t.strip()
        return t[2:] if t.startswith("W/") else t
    for t in header.split(","):
        if t.strip() == "*" or strip(t) == strip(etag):
            return True
    return False


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "ianawatch-test-httpd/1"
    state = None
    verbose = False

    def log_message(self, fmt, *args):
        if self.verbose:
            sys.stderr.write("httpd: %s\n" % (fmt % args))

    # -- helpers ---------------------------------------------------------------------------

    def simple(self, code, body, ctype="text/plain; charset=utf-8", headers=()):
        data = body.encode() if isinstance(body, str) else body
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        for k, v in headers:
            self.send_header(k, v)
        if self.proxied:
            self.send_header("X-Proxied", "1")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def accepts_gzip(self):
        for part in self.headers.get("Accept-Encoding", "").split(","):
            fields = part.strip().split(";")
            if fields[0].strip().lower() in ("gzip", "x-gzip"):
                q = [f for f in fields[1:] if f.strip().startswith("q=")]
                if not q or float(q[0].strip()[2:]) > 0:
                    return True
        return False

    def wait_for_client_to_leave(self, limit):
        """Sends nothing until the client closes the connection (or `limit` seconds)."""
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            r, _, _ = select.select([self.connection], [], [], 0.2)
            if r:
                try:
                    if not self.connection.recv(4096):
                        return
                except OSError:
                    return

    # -- routes ----------------------------------------------------------------------------

    def do_HEAD(self):
        self.do_GET()

    def do_GET(self):
        self.proxied = False
        target = self.path
        if "://" in target.split("?", 1)[0]:
            self.proxied = True
            parts = urllib.parse.urlsplit(target)
            target = parts.path + ("?" + parts.query if parts.query else "")
        url = urllib.parse.urlsplit(target)
        q = dict(urllib.parse.parse_qsl(url.query))
        path = url.path
        try:
            if path.startswith("/f/"):
                self.serve_file(path[3:], q, target)
            elif path == "/current":
                self.serve_file(self.state.current, q, target)
            elif path == "/html":
                self.simple(200, "<!DOCTYPE html>\n<html><head><title>503 Service Unavailable"
                            "</title></head><body><h1>Service Unavailable</h1><p>Please try "
                            "again later.</p></body></html>\n", "text/html; charset=utf-8")
            elif path == "/loop":
                self.simple(302, "", headers=[("Location", "/loop")])
            elif path == "/redirect":
                self.simple(301, "", headers=[("Location", q.get("to", "/"))])
            elif path == "/bomb":
                data = self.state.bomb(int(q.get("mib", "80")))
                self.simple(200, data, "text/xml", headers=[("Content-Encoding", "gzip")])
            elif path == "/badgzip":
                self.simple(200, b"this is not gzip data at all, just text" * 10, "text/xml",
                            headers=[("Content-Encoding", "gzip")])
            elif path.startswith("/status/"):
                code = int(path[len("/status/"):])
                self.simple(code, "status %d\n" % code)
            elif path == "/bighead":
                big = "x" * (1024 * int(q.get("kib", "1024")))
                self.simple(200, "big header\n", headers=[("X-Big-%d" % i, big)
                                                          for i in range(int(q.get("lines", "1")))])
            elif path == "/echo":
                lines = [self.requestline] + ["%s: %s" % (k, v) for k, v in self.headers.items()]
                self.simple(200, "\n".join(lines) + "\n")
            elif path == "/_control/current":
                if self.state.load(q.get("file")) is None:
                    self.simple(404, "no such file\n")
                else:
                    self.state.current = q.get("file")
                    self.simple(200, "current: %s\n" % self.state.current)
            elif path == "/_control/reset":
                with self.state.lock:
                    self.state.counters.clear()
                self.simple(200, "reset\n")
            else:
                self.simple(404, "not found\n")
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def serve_file(self, name, q, key):
        n = self.state.count(key)
        if n <= int(q.get("fail", "0")):
            code = int(q.get("code", "500"))
            hdrs = [("Retry-After", q["retry_after"])] if "retry_after" in q else []
            self.simple(code, "failure %d of %s\n" % (n, q["fail"]), headers=hdrs)
            return
        entry = self.state.load(name)
        if entry is None:
            self.simple(404, "no such file\n")
            return
        data, etag, mtime = entry
        lastmod = email.utils.formatdate(mtime, usegmt=True)
        validators = []
        if q.get("etag", "1") != "0":
            validators.append(("ETag", etag))
        if q.get("lm", "1") != "0":
            validators.append(("Last-Modified", lastmod))

        inm = self.headers.get("If-None-Match")
        ims = self.headers.get("If-Modified-Since")
        fresh = False
        if inm is not None:
            fresh = q.get("etag", "1") != "0" and etag_matches(inm, etag)
        elif ims is not None and q.get("lm", "1") != "0":
            try:
                fresh = email.utils.parsedate_to_datetime(ims).timestamp() >= mtime
            except (TypeError, ValueError):
                fresh = False
        if fresh:
            self.send_response(304)
            for k, v in validators:
                self.send_header(k, v)
            self.end_headers()
            return

        headers = list(validators)
        mode = q.get("gzip", "1")
        if mode == "force" or (mode != "0" and self.accepts_gzip()):
            data = gzip.compress(data, 6)
            headers.append(("Content-Encoding", "gzip"))
        headers.append(("Vary", "Accept-Encoding"))
        if self.proxied:
            headers.append(("X-Proxied", "1"))

        self.send_response(200)
        self.send_header("Content-Type", q.get("type", "text/xml"))
        self.send_header("Content-Length", str(len(data)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        if self.command == "HEAD":
            return
        if "truncate" in q:
            self.wfile.write(data[:int(q["truncate"])])
            self.wfile.flush()
            self.close_connection = True
        elif "stall" in q:
            self.wfile.write(data[:int(q["stall"])])
            self.wfile.flush()
            self.wait_for_client_to_leave(60)
            self.close_connection = True
        elif "trickle" in q:
            pause = int(q["trickle"]) / 1000.0
            piece = int(q.get("piece", "64"))
            for i in range(0, len(data), piece):
                self.wfile.write(data[i:i + piece])
                self.wfile.flush()
                time.sleep(pause)
        else:
            self.wfile.write(data)


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request, client_address):
        # A client that hangs up early (every stall and cap test does) is expected.
        if Handler.verbose:
            super().handle_error(request, client_address)


def watchdog(lifetime, parent_pid):
    deadline = time.monotonic() + lifetime
    while True:
        time.sleep(0.2)
        if time.monotonic() >= deadline:
            os._exit(0)
        if parent_pid and os.getppid() != parent_pid:
            os._exit(0)


def main():
    ap = argparse.ArgumentParser(description="HTTP test server for ianawatch")
    ap.add_argument("--root", required=True, help="folder of the files served under /f/")
    ap.add_argument("--port-file", help="write the port number to this file")
    ap.add_argument("--lifetime", type=float, default=120.0, help="exit after this many seconds")
    ap.add_argument("--parent-pid", type=int, default=0, help="exit when this process is gone")
    ap.add_argument("--tls-cert", help="serve HTTPS with this PEM (certificate and key)")
    ap.add_argument("--verbose", action="store_true", help="log requests on stderr")
    args = ap.parse_args()

    Handler.state = State(args.root)
    Handler.verbose = args.verbose
    httpd = Server(("127.0.0.1", 0), Handler)
    if args.tls_cert:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(args.tls_cert)
        httpd.socket = ctx.wrap_socket(httpd.socket, server_side=True)
    port = httpd.server_address[1]

    threading.Thread(target=watchdog, args=(args.lifetime, args.parent_pid), daemon=True).start()
    if args.port_file:
        tmp = args.port_file + ".tmp"
        with open(tmp, "w") as f:
            f.write("%d\n" % port)
        os.rename(tmp, args.port_file)
    print(port, flush=True)
    httpd.serve_forever(poll_interval=0.1)


if __name__ == "__main__":
    main()
