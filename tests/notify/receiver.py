#!/usr/bin/env python3
"""receiver.py: a webhook receiver for ianawatch's notification tests. Standard library only.

Usage: python3 receiver.py --dir DIR [--lifetime SECONDS] [--parent-pid PID]

Listens on 127.0.0.1 on an ephemeral port, written to DIR/port (atomically). Every POST is
answered by its path:
    /ok/...            200; the request is recorded
    /fail/...          500 (recorded too, with "status": 500)
    /failn/N/...       500 for the first N requests to this path, then 200
    /stall/S/...       reads the request, then sends nothing for S seconds before a 200
    /stalln/N/S/...    stalls so for the first N requests to this path, then answers at once
A recorded request is DIR/req-NNNN.json: {"path", "status", "headers": {name: value}, "body"}
(the body decoded as UTF-8). It exits after --lifetime seconds (default 120) or when the
parent process is gone.
"""
import argparse
import http.server
import json
import os
import threading
import time

COUNTS = {}
LOCK = threading.Lock()
SEQ = [0]


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def record(self, status, body):
        with LOCK:
            SEQ[0] += 1
            n = SEQ[0]
        rec = {"path": self.path, "status": status,
               "headers": {k: v for k, v in self.headers.items()},
               "body": body.decode("utf-8", "replace")}
        tmp = os.path.join(self.server.dir, ".tmp-%d" % n)
        with open(tmp, "w") as f:
            json.dump(rec, f)
        os.rename(tmp, os.path.join(self.server.dir, "req-%04d.json" % n))

    def answer(self, status):
        body = b"ok\n" if status == 200 else b"failed\n"
        self.send_response(status)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length)
        parts = self.path.split("?")[0].strip("/").split("/")
        status = 200
        if parts[0] == "fail":
            status = 500
        elif parts[0] == "failn":
            with LOCK:
                seen = COUNTS.get(self.path, 0)
                COUNTS[self.path] = seen + 1
            status = 500 if seen < int(parts[1]) else 200
        elif parts[0] == "stall":
            time.sleep(float(parts[1]))
        elif parts[0] == "stalln":
            with LOCK:
                seen = COUNTS.get(self.path, 0)
                COUNTS[self.path] = seen + 1
            if seen < int(parts[1]):
                time.sleep(float(parts[2]))
        self.record(status, body)
        self.answer(status)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", required=True)
    ap.add_argument("--lifetime", type=float, default=120)
    ap.add_argument("--parent-pid", type=int, default=0)
    a = ap.parse_args()
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.daemon_threads = True
    srv.dir = a.dir
    tmp = os.path.join(a.dir, ".port")
    with open(tmp, "w") as f:
        f.write("%d\n" % srv.server_address[1])
    os.rename(tmp, os.path.join(a.dir, "port"))
    start = time.time()

    def watchdog():
        while time.time() - start < a.lifetime:
            if a.parent_pid:
                try:
                    os.kill(a.parent_pid, 0)
                except OSError:
                    break
            time.sleep(0.5)
        srv.shutdown()

    threading.Thread(target=watchdog, daemon=True).start()
    srv.serve_forever()


if __name__ == "__main__":
    main()
