#!/usr/bin/python3
"""live.py - pvt live driven in a real browser (Chromium, chromium-driver).

Starts build/bin/pvt-live on a free port, opens its page, picks square,
enters a prediction, clicks Run and waits for the result; asserts that the
worker lanes were drawn for every model, that the speedup bars were filled
and that the measured figure and the verdict (or "no verdict") are shown;
keeps screenshots of the page while the run goes and at its end; stops the
server with SIGINT and asserts it left no process behind.

  live.py --live build/bin/pvt-live --out DIR
      square with thread and gil at 2 workers at a small size (the test)
  live.py --live build/bin/pvt-live --out DIR --defaults
      square's claim at the page's own defaults (the reference screenshots)

Prints the time from the click to the result on the page. Needs Debian's
chromium, chromium-driver and python3-selenium.
"""
import argparse
import os
import re
import sys
import time

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from livelib import check, start_server, stop_server

def browser():
    opts = webdriver.ChromeOptions()
    opts.binary_location = "/usr/bin/chromium"
    for a in ("--headless=new", "--no-sandbox", "--disable-gpu",
              "--window-size=1600,1000", "--force-device-scale-factor=1"):
        opts.add_argument(a)
    d = webdriver.Chrome(service=Service("/usr/bin/chromedriver"),
                         options=opts)
    # a projector's 16:9, whatever the window around it
    d.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": 1600, "height": 900, "deviceScaleFactor": 1,
        "mobile": False})
    return d


def set_checks(d, group, wanted):
    for box in d.find_elements(By.CSS_SELECTOR, "input[name=%s]" % group):
        if box.is_selected() != (box.get_attribute("value") in wanted):
            box.click()


def lanes(d):
    """{model: number of intervals drawn} of the lane panels."""
    return {p.get_attribute("data-model"): int(p.get_attribute("data-rects"))
            for p in d.find_elements(By.CSS_SELECTOR, "#lanes .lane-panel")}


def visible(d, id_):
    return d.find_element(By.ID, id_).is_displayed()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--live", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--defaults", action="store_true")
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    srv, port = start_server(a.live)
    d = browser()
    try:
        run(d, port, a)
        if not a.defaults:
            verdict_claim(d)
            stop_button(d)
    finally:
        d.quit()
    return stop_server(srv)


def run(d, port, a):
    d.get("http://127.0.0.1:%d/" % port)
    wait = WebDriverWait(d, 20)
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR,
                                         "#claim-list button"))
    d.find_element(By.CSS_SELECTOR, "button[data-claim=square]").click()
    if a.defaults:
        models = ["process", "thread", "gil"]
    else:
        models = ["thread", "gil"]
        set_checks(d, "model", models)
        set_checks(d, "workers", ["2"])
        opt = d.find_element(By.ID, "options")
        opt.clear()
        opt.send_keys("--size 1Mi --repeat 3")
    Select(d.find_element(By.ID, "q-model")).select_by_value("thread")
    Select(d.find_element(By.ID, "q-workers")).select_by_value("2")
    check("Run waits for a prediction",
          not d.find_element(By.ID, "run").is_enabled())
    d.find_element(By.ID, "prediction").send_keys("1.8")
    check("Run is enabled once predicted",
          d.find_element(By.ID, "run").is_enabled())

    d.find_element(By.ID, "run").click()
    t0 = time.monotonic()
    if a.defaults:		# the reference shot: three models' lanes
        shot = os.path.join(a.out, "live-running.png")
        if os.path.exists(shot):
            os.remove(shot)
        WebDriverWait(d, 30, poll_frequency=0.05).until(
            lambda d: len(lanes(d)) >= 3 or visible(d, "result"))
        time.sleep(0.4)		# the lanes' replay
        if not visible(d, "result"):
            d.save_screenshot(shot)
        check("the shot during the run was taken before its end",
              os.path.exists(shot))

    WebDriverWait(d, 40, poll_frequency=0.05).until(
        lambda d: visible(d, "result"))
    t1 = time.monotonic()
    time.sleep(0.8)		# the bars' transition, for the screenshot
    d.save_screenshot(os.path.join(a.out, "live-done.png"))

    live = d.find_element(By.ID, "live")
    counted = {k: int(live.get_attribute("data-" + k) or 0)
               for k in ("progress", "lanes")}
    counts = 3 if a.defaults else 1
    check("the page got progress and the lanes of every configuration (%s)"
          % counted, counted["progress"] > 0 and
          counted["lanes"] == 1 + counts * len(models))
    drawn = lanes(d)
    for m in ["sequential"] + models:
        check("lanes drawn for %s (%d intervals)" % (m, drawn.get(m, 0)),
              drawn.get(m, 0) > 0)
    rows = len(d.find_elements(By.CSS_SELECTOR,
                               "#lanes .lane-panel[data-model=thread] svg"))
    want = 4 if a.defaults else 2
    check("thread's lanes: one per worker of its last run (%d)" % rows,
          rows == want)
    widths = d.execute_script(
        "return [...document.querySelectorAll('#lanes rect')]"
        ".filter(r => +r.getAttribute('width') > 0).length")
    check("the lanes have grown to their width (%d)" % widths, widths > 0)
    bars = d.execute_script(
        "return [...document.querySelectorAll('#bars .bar')]"
        ".map(b => parseFloat(b.style.width))")
    check("every speedup bar has a length (%s)" % bars,
          bars and all(b > 0 for b in bars))
    status = d.find_element(By.ID, "status").text
    check("the run is done (%r)" % status, status.startswith("done"))
    predicted = d.find_element(By.ID, "predicted").text
    measured = d.find_element(By.ID, "measured").text
    check("the prediction is shown (%r)" % predicted, predicted == "1.8×")
    check("the measured speedup is shown (%r)" % measured,
          re.fullmatch(r"\d+\.\d\d×", measured) is not None)
    verdicts = [v.text for v in d.find_elements(By.CSS_SELECTOR,
                                                "#verdicts .verdict")]
    check("a verdict or 'no verdict' is shown (%s)" % verdicts,
          bool(verdicts) and all(v in ("holds", "does not hold",
                                       "inconclusive", "no verdict")
                                 for v in verdicts))
    check("the lesson is revealed", bool(d.find_element(By.ID, "lesson").text))
    page = d.find_element(By.TAG_NAME, "body").get_attribute(
        "data-click-to-result")
    print("click to result: %.2f s (measured by the test), %s s (by the "
          "page)" % (t1 - t0, page), flush=True)


def verdict_claim(d):
    """A claim without a speedup: the class predicts its verdict."""
    d.find_element(By.CSS_SELECTOR, "button[data-claim=race]").click()
    check("race asks whether the claim holds",
          visible(d, "q-verdict") and not visible(d, "q-speedup"))
    d.find_element(By.CSS_SELECTOR, "input[name=holds][value=holds]").click()
    d.find_element(By.ID, "run").click()
    WebDriverWait(d, 40, poll_frequency=0.05).until(
        lambda d: visible(d, "result") and
        d.find_element(By.ID, "live-title").text.startswith("#2 race"))
    predicted = d.find_element(By.ID, "predicted").text
    measured = d.find_element(By.ID, "measured").text
    status = d.find_element(By.ID, "status").text
    check("race is done (%r)" % status, status.startswith("done"))
    check("race: the prediction is shown (%r)" % predicted,
          predicted == "holds")
    chips = [v.text for v in d.find_elements(By.CSS_SELECTOR,
                                             "#verdicts .verdict")]
    check("race: the overall verdict, or none without verdicts (%r, %s)"
          % (measured, chips),
          measured in ("holds", "does not hold", "inconclusive") or
          (measured == "—" and chips == ["no verdict"]))
    check("race: its narration is open",
          d.find_element(By.ID, "narration").is_displayed())


def stop_button(d):
    """Stop on the page ends the run on the screen."""
    d.find_element(By.CSS_SELECTOR, "button[data-claim=square]").click()
    opt = d.find_element(By.ID, "options")
    opt.clear()
    opt.send_keys("--size 64Mi --repeat 10")
    d.find_element(By.ID, "prediction").send_keys("1.5")
    d.find_element(By.ID, "run").click()
    WebDriverWait(d, 30, poll_frequency=0.05).until(
        lambda d: visible(d, "stop-run") and
        d.find_element(By.ID, "live-title").text.startswith("#3 square"))
    t = time.monotonic()
    d.find_element(By.ID, "stop-run").click()
    WebDriverWait(d, 30, poll_frequency=0.05).until(
        lambda d: visible(d, "result") and
        d.find_element(By.ID, "live-title").text.startswith("#3 square"))
    status = d.find_element(By.ID, "status").text
    check("Stop ends the run within 3 s (%r, %.1f s)" %
          (status, time.monotonic() - t),
          status.startswith("stopped") and time.monotonic() - t < 3)
    check("the Stop button is gone", not visible(d, "stop-run"))


if __name__ == "__main__":
    sys.exit(main())
