#!/usr/bin/env python3
"""live_http.py - pvt live over HTTP, as the page and as a hostile site.

Run by live.sh: live_http.py PVT BIN. Starts `pvt live --port 0`, and
checks: bad run requests get 400 with the very line the command line
prints; a cross-site POST, a form's Content-Type, a foreign Host, an
oversized body are refused and start nothing; two runs queue, two
watchers see the same run, a watcher that leaves stops nothing; Stop ends
a run and the next one starts; a full queue says so; Ctrl-C mid-run ends
pvt live with 130 and leaves no process and no folder behind.
"""
import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

PVT, BIN = sys.argv[1], sys.argv[2]
passed = failed = 0
# many short runs: the first events come soon even in a sanitizer build on
# a busy machine, and the whole takes about the budget on a quiet one
LONG = ["--models", "sequential,thread,gil", "--workers", "1,2,3,4,5,6,7,8",
        "--size", "1Mi", "--repeat", "10"]


def check(what, ok, detail=""):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print("FAIL: %s %s" % (what, detail), file=sys.stderr, flush=True)


class Server:
    def __init__(self, tmp):
        env = dict(os.environ, TMPDIR=tmp)
        self.p = subprocess.Popen([PVT, "live", "--port", "0"], env=env,
                                  stdout=subprocess.PIPE, text=True)
        line = self.p.stdout.readline()
        m = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        if not m:
            self.p.kill()
            sys.exit("live_http.py: no URL from pvt live: %r" % line)
        self.port = int(m.group(1))
        self.origin = "http://127.0.0.1:%d" % self.port

    def request(self, method, path, body=None, headers=None):
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        h = {"Origin": self.origin, "Content-Type": "application/json"}
        if method == "GET":
            h = {}
        h.update(headers or {})
        data = body if isinstance(body, (bytes, str)) or body is None \
            else json.dumps(body)
        c.request(method, path, body=data, headers=h)
        r = c.getresponse()
        out = r.status, dict(r.getheaders()), r.read()
        c.close()
        return out

    def run(self, req, headers=None):
        st, _, body = self.request("POST", "/api/run", req, headers)
        return st, json.loads(body) if body.startswith(b"{") else body

    def stop(self, id_):
        return self.request("POST", "/api/stop?id=%d" % id_, "{}")[0]

    def state(self):
        return json.loads(self.request("GET", "/api/state")[2])


class Watcher(threading.Thread):
    """A page's event stream: every event, as it comes."""

    def __init__(self, port):
        super().__init__(daemon=True)
        # a page that has gone is noticed at the next ping: until then
        # its place may still be taken
        for _ in range(100):
            self.c = http.client.HTTPConnection("127.0.0.1", port,
                                                timeout=60)
            self.c.request("GET", "/events")
            self.sock = self.c.sock
            self.r = self.c.getresponse()
            if self.r.status != 503:
                break
            self.c.close()
            time.sleep(0.1)
        self.events, self.lock = [], threading.Lock()
        self.start()

    def run(self):
        try:
            for raw in self.r:
                line = raw.decode().rstrip("\n")
                if line.startswith("data: "):
                    with self.lock:
                        self.events.append(json.loads(line[6:]))
        except (OSError, ValueError, http.client.HTTPException):
            pass

    def close(self):
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass			# the server closed it already
        self.c.close()

    def wait_for(self, pred, timeout=30):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            with self.lock:
                for e in self.events:
                    if pred(e):
                        return e
            time.sleep(0.05)
        return None


class SlowPage:
    """A page that reads nothing until two runs are over, through a small
    socket buffer: once it reads, it must get both runs, in order."""

    def __init__(self, port):
        self.k = socket.socket()
        self.k.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 2048)
        self.k.connect(("127.0.0.1", port))
        self.k.sendall(b"GET /events HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n\r\n"
                       % port)

    def read_until(self, pred, timeout=30):
        """The events up to the first for which pred holds."""
        buf, events = b"", []
        self.k.settimeout(1)
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            try:
                chunk = self.k.recv(65536)
            except socket.timeout:
                continue
            if not chunk:
                break
            buf += chunk
            events = [json.loads(m.group(1)) for m in
                      re.finditer(rb"^data: (\{.*\})\r?$", buf, re.M)]
            if any(pred(e) for e in events):
                break
        self.k.close()
        return events


def cli_line(*args):
    """The one line the scenario's binary prints for these options."""
    p = subprocess.run([os.path.join(BIN, "square"), *args], text=True,
                       capture_output=True)
    return p.returncode, p.stderr.strip()


def group_alive(pgid):
    try:
        os.killpg(pgid, 0)
        return True
    except ProcessLookupError:
        return False


def descendants(pid):
    out = subprocess.run(["ps", "-e", "-o", "pid=,ppid=,pgid="],
                         capture_output=True, text=True).stdout
    rows = [tuple(map(int, l.split())) for l in out.splitlines()]
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        for c, pp, g in rows:
            if pp == p:
                found.append((c, g))
                todo.append(c)
    return found


def test_usage():
    for args, want in ((["--port", "70000"], "pvt: live: --port: "),
                       (["--bind", "example.org"],
                        "pvt: live: --bind: 'example.org' is not a numeric"),
                       (["--frobnicate"], "pvt: live: unknown option")):
        p = subprocess.run([PVT, "live", *args], capture_output=True,
                           text=True, timeout=10)
        check("pvt live %s: exit 2" % args, p.returncode == 2, p.stderr)
        check("pvt live %s: one line" % args,
              p.stderr.startswith(want) and p.stderr.count("\n") == 1,
              p.stderr)
    p = subprocess.run([PVT, "live", "--help"], capture_output=True,
                       text=True, timeout=10)
    check("pvt live --help", p.returncode == 0 and "--bind" in p.stdout)


def test_page(s):
    st, h, body = s.request("GET", "/")
    check("the page: 200", st == 200)
    check("the page: a CSP that allows only itself",
          "script-src 'self'" in h.get("Content-Security-Policy", ""))
    check("the page: nothing from elsewhere",
          not re.search(rb"(src|href)=\"(https?:)?//", body))
    for path in ("/live.js", "/live.css"):
        check(path, s.request("GET", path)[0] == 200)
    claims = json.loads(s.request("GET", "/api/claims")[2])
    names = [c["name"] for c in claims["claims"]]
    check("claims: every scenario, square among them",
          "square" in names and len(names) >= 10, names)
    check("a missing page: 404", s.request("GET", "/nope")[0] == 404)
    check("a foreign Host: 421", s.request(
        "GET", "/", headers={"Host": "evil.example:%d" % s.port})[0] == 421)


def test_bad_requests(s):
    square = {"scenario": "square"}
    for args in (["--workers", "0"], ["--models", "bogus"],
                 ["--size", "1x"], ["--frobnicate"], ["--repeat"],
                 ["--workers", "1,2", "extra"]):
        rc, line = cli_line("--out", os.path.join(TMP, "never"), *args)
        st, body = s.run(dict(square, args=args))
        check("%s: the command line exits 2 with one line" % args,
              rc == 2 and line.count("\n") == 0, line)
        check("%s: 400 with the command line's message" % args,
              st == 400 and body.get("error") == line, (st, body, line))
    check("nothing written by the refused command lines",
          not os.path.exists(os.path.join(TMP, "never")))
    for req, want in (
            ({"scenario": "nope"}, "unknown scenario 'nope'"),
            (dict(square, args=["--out", "/tmp/x"]), "--out: chosen by"),
            (dict(square, args=["--workers", "64"]), "--workers: at most"),
            (dict(square, args=["--repeat", "500"]), "--repeat: at most"),
            (dict(square, args=["--workers", "2"], model="thread",
                  workers=2, prediction="fast"), "is not a speedup"),
            (dict(square, args=["--models", "sequential,thread"],
                  model="gil", workers=2), "'gil' is not one of"),
            (dict(square, extra=1), "unknown field 'extra'"),
            (dict(square, args=["x"] * 40), "more than 32"),
            ('{"scenario": "square"', "expected"),
            ('{"scenario": "sq\\u0000"}', "control character"),
            ('[]', "expected '{'"),
            ('{"scenario": "square"} x', "text after")):
        st, body = s.run(req)
        err = body.get("error", "") if isinstance(body, dict) else ""
        check("refused %s" % str(req)[:60], st == 400 and want in err,
              (st, body))
        check("one line for %s" % str(req)[:40], "\n" not in err)
    st, _ = s.run("x" * 9000)
    check("a body over 8 KiB: 413", st == 413, st)
    check("no run started by a bad request",
          s.state()["running"] is None and not s.state()["queue"])


def test_cross_site(s):
    req = {"scenario": "square", "args": ["--workers", "1"]}
    cases = (({"Origin": "http://evil.example"}, 403),
             ({"Origin": "null"}, 403),
             ({"Origin": ""}, 403),
             ({"Sec-Fetch-Site": "cross-site"}, 403),
             ({"Content-Type": "text/plain"}, 415),
             ({"Content-Type": "application/x-www-form-urlencoded"}, 415),
             ({"Content-Type": "multipart/form-data; boundary=x"}, 415),
             ({"Host": "evil.example:%d" % s.port,
               "Origin": "http://evil.example:%d" % s.port}, 421))
    for headers, want in cases:
        st, _ = s.run(req, headers)
        check("cross-site %s: %d" % (headers, want), st == want, st)
    # a form posts without Content-Type: application/json, and no Origin
    c = http.client.HTTPConnection("127.0.0.1", s.port, timeout=10)
    c.request("POST", "/api/run", body="scenario=square",
              headers={"Content-Type": "application/x-www-form-urlencoded"})
    check("a form's POST: refused", c.getresponse().status == 403)
    c.close()
    st = s.request("POST", "/api/stop?id=1", "{}",
                   {"Origin": "http://evil.example"})[0]
    check("a cross-site Stop: 403", st == 403, st)
    check("nothing started from another site",
          s.state()["running"] is None and not s.state()["queue"])


def test_queue_and_stop(s):
    w1, w2 = Watcher(s.port), Watcher(s.port)
    slow = SlowPage(s.port)
    st, a = s.run({"scenario": "square", "args": LONG, "model": "gil",
                   "workers": 2, "prediction": "1.9"})
    check("run A accepted: 202, runs now", st == 202 and a["position"] == 0,
          (st, a))
    st, b = s.run({"scenario": "square", "args": [
        "--models", "sequential,thread,gil", "--workers", "2", "--size",
        "1Mi", "--repeat", "2"], "model": "thread", "workers": 2,
        "prediction": "1.5"})
    check("run B accepted: 202, waits", st == 202 and b["position"] == 1,
          (st, b))
    state = s.state()
    check("the state: A runs, B waits",
          state["running"] and state["running"]["id"] == a["id"] and
          [j["id"] for j in state["queue"]] == [b["id"]], state)
    for w in (w1, w2):
        check("both watchers see A start", w.wait_for(
            lambda e: e["t"] == "start" and e["job"]["id"] == a["id"]))
        check("both watchers see A's lanes", w.wait_for(
            lambda e: e["t"] == "run" and "lanes" in e))
    w1.close()			# a page closed: the run goes on
    late = Watcher(s.port)	# a page opened late is replayed the run
    check("a late watcher is replayed A's start", late.wait_for(
        lambda e: e["t"] == "start" and e["job"]["id"] == a["id"], 5))
    check("a late watcher sees the queue", late.wait_for(
        lambda e: e["t"] == "state" and e["queue"], 5))
    late.close()
    pids = descendants(s.p.pid)
    check("A runs in a process group of its own",
          pids and all(g != os.getpgid(s.p.pid) for _, g in pids), pids)
    t = time.monotonic()
    check("Stop A: 200", s.stop(a["id"]) == 200)
    res = w2.wait_for(lambda e: e["t"] == "result" and e["id"] == a["id"],
                      10)
    check("A ends as stopped, within 3 s",
          res and res["status"] == "stopped" and time.monotonic() - t < 3,
          (res and res["status"], time.monotonic() - t,
           [e["t"] for e in w2.events[-5:]]))
    check("A's process group is gone", not any(group_alive(g)
                                               for _, g in pids))
    res = w2.wait_for(lambda e: e["t"] == "result" and e["id"] == b["id"])
    check("B runs next and is done", res and res["status"] == "done",
          res and res["status"])
    check("B's measured speedup is a number", res and isinstance(
        res["measured"], float) and res["measured"] > 0,
        res and res["measured"])
    check("B's summary has its rows", res and len(res["summary"]["rows"]) == 3)
    check("B: a verdict table or none, never an error",
          res and (res["verdicts"] is None or res["verdicts"]["rows"]))
    check("no process left after B", not descendants(s.p.pid),
          descendants(s.p.pid))
    check("Stop of a run that is over: 404", s.stop(a["id"]) == 404)
    seen = [(e["t"], e.get("id") or e.get("job", {}).get("id"))
            for e in slow.read_until(lambda e: e["t"] == "result" and
                                     e["id"] == b["id"])
            if e["t"] in ("start", "result")]
    check("a page that read late gets every run's start and result, "
          "in order", seen == [("start", a["id"]), ("result", a["id"]),
                               ("start", b["id"]), ("result", b["id"])],
          seen)
    w2.close()


def test_full_queue(s):
    ids = []
    for i in range(1 + 8):
        st, j = s.run({"scenario": "square", "args": LONG})
        check("run %d accepted" % i, st == 202, (st, j))
        ids.append(j.get("id"))
    st, j = s.run({"scenario": "square", "args": LONG})
    check("a full queue: 429 and says so",
          st == 429 and "wait for one to end" in j.get("error", ""), (st, j))
    for id_ in reversed(ids):
        check("remove or stop run %s" % id_, s.stop(id_) == 200)
    end = time.monotonic() + 10
    while time.monotonic() < end and s.state()["running"]:
        time.sleep(0.1)
    check("all gone", not s.state()["running"] and not s.state()["queue"])


def test_hostile(s):
    watchers = []
    for _ in range(40):
        c = http.client.HTTPConnection("127.0.0.1", s.port, timeout=10)
        c.request("GET", "/events")
        watchers.append((c, c.getresponse()))
    codes = [r.status for _, r in watchers]
    check("at most 32 pages at once, the others 503",
          codes.count(200) == 32 and codes.count(503) == 8, codes)
    for c, _ in watchers:
        c.close()
    for junk in (b"\x00\xff\xfe junk\r\n\r\n", b"GET / HTTP/1.1\r\n" +
                 b"X: " + b"a" * 100000 + b"\r\n\r\n",
                 b"POST /api/run HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n"
                 b"Origin: http://127.0.0.1:%d\r\nContent-Type: "
                 b"application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                 % (s.port, s.port) + b"4000\r\n" + b"{" * 0x4000 + b"\r\n",
                 b"GET /events HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n" % s.port):
        k = socket.create_connection(("127.0.0.1", s.port), timeout=5)
        try:
            k.sendall(junk)
            k.shutdown(socket.SHUT_WR)
            while k.recv(65536):
                pass
        except OSError:
            pass
        k.close()
    slow = []
    for _ in range(10):		# headers that never end
        k = socket.create_connection(("127.0.0.1", s.port), timeout=5)
        k.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1")
        slow.append(k)
    st, _, _ = s.request("GET", "/api/state")
    check("still answers after hostile clients", st == 200, st)
    for k in slow:
        k.close()
    check("still running", s.p.poll() is None)


def test_budget(s):
    w = Watcher(s.port)
    st, j = s.run({"scenario": "square", "args": [
        "--models", "sequential,process,thread,gil", "--workers", "1,2,4,8",
        "--size", "64Mi", "--repeat", "10"]})
    check("a run longer than the budget: accepted", st == 202, st)
    res = w.wait_for(lambda e: e["t"] == "result" and e["id"] == j["id"], 40)
    check("it is stopped at the 20 s budget",
          res and res["status"] == "over budget" and
          20 <= res["elapsed_s"] < 20 + 3, res and (res["status"],
                                                     res["elapsed_s"]))
    check("nothing of it left", not descendants(s.p.pid))
    w.close()


def test_ctrl_c(tmp):
    s = Server(tmp)
    w = Watcher(s.port)
    st, a = s.run({"scenario": "square", "args": LONG})
    check("a run to interrupt", st == 202)
    e = w.wait_for(lambda e: e["t"] == "run")
    pids = descendants(s.p.pid)
    check("the run has its processes", bool(pids), (e, w.r.status))
    t = time.monotonic()
    s.p.send_signal(signal.SIGINT)
    rc = s.p.wait(timeout=10)
    check("Ctrl-C: exit 130 within 3 s", rc == 130 and
          time.monotonic() - t < 3, (rc, time.monotonic() - t))
    alive = [p for p, _ in pids if os.path.exists("/proc/%d" % p)]
    check("Ctrl-C: no process of the run left", not alive, alive)
    check("Ctrl-C: no run folder left",
          not [f for f in os.listdir(tmp) if f.startswith("pvt-live.")],
          os.listdir(tmp))


def main():
    global TMP
    with tempfile.TemporaryDirectory(prefix="pvt-live-test.") as tmp:
        TMP = tmp
        test_usage()
        s = Server(tmp)
        try:
            test_page(s)
            test_bad_requests(s)
            test_cross_site(s)
            test_queue_and_stop(s)
            test_full_queue(s)
            test_hostile(s)
            test_budget(s)
        finally:
            s.p.send_signal(signal.SIGTERM)
            rc = s.p.wait(timeout=10)
            check("SIGTERM: exit 143", rc == 143, rc)
        check("no run folder left", not [
            f for f in os.listdir(tmp) if f.startswith("pvt-live.")])
        test_ctrl_c(tmp)
    print("live: %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
