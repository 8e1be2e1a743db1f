#!/usr/bin/python3
"""live_firefox.py - pvt live in Firefox, driven over Marionette.

Debian ships no geckodriver, so this speaks Firefox's own remote protocol
(Marionette: length-prefixed JSON over TCP) directly. Starts pvt-live and
a headless firefox-esr with a fresh profile, opens the page, sets up
square with thread and gil at 2 workers at a small size, predicts, clicks
Run and waits for the result; asserts the lanes, the bars, the measured
figure and the verdict as the Chromium test does, and keeps a screenshot.

  live_firefox.py --live build/bin/pvt-live --out DIR
"""
import argparse
import base64
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

from livelib import check, start_server, stop_server

class Marionette:
    def __init__(self, port):
        self.s = socket.create_connection(("127.0.0.1", port), timeout=60)
        self.buf = b""
        self.id = 0
        self.read()			# the server's hello

    def read(self):
        while b":" not in self.buf:
            self.buf += self.s.recv(65536)
        n, _, rest = self.buf.partition(b":")
        n = int(n)
        while len(rest) < n:
            rest += self.s.recv(max(65536, n - len(rest)))
        self.buf = rest[n:]
        return json.loads(rest[:n])

    def cmd(self, name, params=None):
        self.id += 1
        data = json.dumps([0, self.id, name, params or {}]).encode()
        self.s.sendall(b"%d:%s" % (len(data), data))
        while True:
            msg = self.read()
            if msg[0] == 1 and msg[1] == self.id:
                if msg[2]:
                    raise RuntimeError("%s: %s" % (name, msg[2]))
                return msg[3]

    def js(self, script, *args):
        return self.cmd("WebDriver:ExecuteScript",
                        {"script": script, "args": list(args)})["value"]


def start_firefox(profile):
    with open(os.path.join(profile, "user.js"), "w") as f:
        for k, v in (("marionette.port", 0),
                     ("browser.shell.checkDefaultBrowser", False),
                     ("datareporting.policy.dataSubmissionEnabled", False),
                     ("app.update.disabledForTesting", True),
                     ("network.proxy.type", 0)):
            f.write("user_pref(%s, %s);\n" % (json.dumps(k), json.dumps(v)))
    ff = subprocess.Popen(["firefox-esr", "--headless", "--marionette",
                           "--no-remote", "--profile", profile,
                           "about:blank"], stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL, start_new_session=True)
    port_file = os.path.join(profile, "MarionetteActivePort")
    for _ in range(600):
        if os.path.exists(port_file):
            with open(port_file) as f:
                text = f.read().strip()
            if text:
                return ff, int(text)
        time.sleep(0.1)
    os.killpg(ff.pid, signal.SIGKILL)
    sys.exit("live_firefox.py: Firefox did not start Marionette")


SETUP = """
const set = (group, wanted) => {
  for (const b of document.querySelectorAll(`input[name=${group}]`))
    if (b.checked !== wanted.includes(b.value)) b.click();
};
document.querySelector('button[data-claim=square]').click();
set('model', ['thread', 'gil']);
set('workers', ['2']);
document.getElementById('options').value = '--size 1Mi --repeat 3';
for (const [id, v] of [['q-model', 'thread'], ['q-workers', '2']]) {
  const s = document.getElementById(id);
  s.value = v;
  s.dispatchEvent(new Event('change'));
}
const before = document.getElementById('run').disabled;
const p = document.getElementById('prediction');
p.value = '1.8';
p.dispatchEvent(new Event('input'));
const after = document.getElementById('run').disabled;
document.getElementById('run').click();
return [before, after];
"""

FACTS = """
const q = (s) => [...document.querySelectorAll(s)];
return {
  result: !document.getElementById('result').hidden,
  lanes: Object.fromEntries(q('#lanes .lane-panel').map(
    (p) => [p.dataset.model, +p.dataset.rects])),
  grown: q('#lanes rect').filter((r) => +r.getAttribute('width') > 0).length,
  bars: q('#bars .bar').map((b) => parseFloat(b.style.width)),
  status: document.getElementById('status').textContent,
  predicted: document.getElementById('predicted').textContent,
  measured: document.getElementById('measured').textContent,
  verdicts: q('#verdicts .verdict').map((v) => v.textContent),
  clickToResult: document.body.dataset.clickToResult || null,
  progressEvents: +document.getElementById('live').dataset.progress,
  laneEvents: +document.getElementById('live').dataset.lanes,
};
"""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--live", required=True)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    if not shutil.which("firefox-esr"):
        print("live_firefox.py: firefox-esr is not installed")
        return 1
    os.makedirs(a.out, exist_ok=True)
    srv, live_port = start_server(a.live)
    profile = tempfile.mkdtemp(prefix="pvt-firefox.")
    ff, port = start_firefox(profile)
    try:
        mn = Marionette(port)
        mn.cmd("WebDriver:NewSession", {"capabilities": {}})
        mn.cmd("WebDriver:SetWindowRect", {"width": 1600, "height": 900})
        mn.cmd("WebDriver:Navigate",
               {"url": "http://127.0.0.1:%d/" % live_port})
        end = time.monotonic() + 20
        while time.monotonic() < end and not mn.js(
                "return document.querySelectorAll('#claim-list button')"
                ".length"):
            time.sleep(0.1)
        before, after = mn.js(SETUP)
        t0 = time.monotonic()
        check("Run waits for a prediction, then is enabled",
              before and not after)
        while time.monotonic() - t0 < 40 and not mn.js(FACTS)["result"]:
            time.sleep(0.05)
        t1 = time.monotonic()
        time.sleep(0.8)
        f = mn.js(FACTS)
        shot = mn.cmd("WebDriver:TakeScreenshot", {})["value"]
        with open(os.path.join(a.out, "live-firefox.png"), "wb") as out:
            out.write(base64.b64decode(shot))
        check("progress and the lanes of all 3 configurations came "
              "(%s, %s)" % (f["progressEvents"], f["laneEvents"]),
              f["progressEvents"] > 0 and f["laneEvents"] == 3)
        for model in ("sequential", "thread", "gil"):
            check("lanes drawn for %s (%s)" % (model, f["lanes"].get(model)),
                  f["lanes"].get(model, 0) > 0)
        check("the lanes have grown (%d)" % f["grown"], f["grown"] > 0)
        check("every bar has a length (%s)" % f["bars"],
              f["bars"] and all(b > 0 for b in f["bars"]))
        check("done (%r)" % f["status"], f["status"].startswith("done"))
        check("prediction shown (%r)" % f["predicted"],
              f["predicted"] == "1.8×")
        check("measured shown (%r)" % f["measured"],
              re.fullmatch(r"\d+\.\d\d×", f["measured"]) is not None)
        check("verdict or 'no verdict' shown (%s)" % f["verdicts"],
              bool(f["verdicts"]))
        print("click to result in Firefox: %.2f s (test), %s s (page)" %
              (t1 - t0, f["clickToResult"]), flush=True)
        try:
            mn.cmd("Marionette:Quit", {"flags": ["eForceQuit"]})
        except (OSError, RuntimeError):
            pass
    finally:
        try:
            ff.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass
        try:
            os.killpg(ff.pid, signal.SIGKILL)	# its content processes
        except ProcessLookupError:
            pass
        ff.wait()
        shutil.rmtree(profile, ignore_errors=True)
    return stop_server(srv)


if __name__ == "__main__":
    sys.exit(main())
