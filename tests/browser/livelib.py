"""livelib.py - what pvt live's browser tests share: checks and the server."""
import re
import signal
import subprocess
import sys

failures = 0


def check(what, ok):
    """Prints ok or FAIL and the check; counts the failures."""
    global failures
    print(("ok   " if ok else "FAIL ") + what, flush=True)
    if not ok:
        failures += 1


def start_server(live):
    """pvt-live on a free port: (process, port)."""
    srv = subprocess.Popen([live, "--port", "0"], stdout=subprocess.PIPE,
                           stderr=sys.stderr, text=True)
    line = srv.stdout.readline()
    m = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
    if not m:
        srv.kill()
        sys.exit("pvt-live did not say where it serves: %r" % line)
    return srv, int(m.group(1))


def stop_server(srv):
    """Ctrl-C: pvt-live must end with 130. Returns the exit status for
    the test: 0 when every check passed."""
    srv.send_signal(signal.SIGINT)
    try:
        rc = srv.wait(timeout=10)
    except subprocess.TimeoutExpired:
        srv.kill()
        rc = srv.wait()
    check("pvt-live ends with 130 on SIGINT (got %d)" % rc, rc == 130)
    return 1 if failures else 0
