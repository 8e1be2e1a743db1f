#!/usr/bin/python3
"""page.py - load a pvt report in headless Chromium through Selenium
(Debian's chromium-driver) and check what a reader sees.

  tests/browser/page.py PAGE.html CLAIMS MAX_WORDS SCREENSHOT.png

Asserts: the claims table (table.claims) has CLAIMS rows; at most
MAX_WORDS words are visible before anything is unfolded (the text of the
closed <details> is not visible); every image loaded (naturalWidth > 0);
the browser's console holds no error. Keeps a full-page screenshot in
SCREENSHOT.png and prints one line: words, page height, images.
Exit status: 0 all hold, 1 one failed (said on stderr), 2 usage or no
browser.
"""
import json
import os
import sys

try:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.common.exceptions import WebDriverException
except ImportError:
    print("page.py: python3-selenium is not installed (scripts/test "
          "installs it)", file=sys.stderr)
    sys.exit(2)

# Words a reader sees: the rendered text (innerText leaves out what a
# closed <details> hides) split on white space.
VISIBLE = """
const text = document.body.innerText;
const words = text.split(/\\s+/).filter(w => w.length > 0).length;
const images = Array.from(document.images).map(i => ({
    src: i.src.slice(0, 60), width: i.naturalWidth, done: i.complete}));
return {words: words,
        height: document.documentElement.scrollHeight,
        width: document.documentElement.scrollWidth,
        claims: document.querySelectorAll("table.claims tbody tr").length,
        images: images};
"""


def driver():
    opts = webdriver.ChromeOptions()
    opts.binary_location = "/usr/bin/chromium"
    for a in ("--headless", "--no-sandbox", "--disable-gpu",
              "--disable-dev-shm-usage", "--window-size=1280,900",
              "--disable-background-networking", "--no-first-run"):
        opts.add_argument(a)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"),
                            options=opts)


def main(argv):
    if len(argv) != 5:
        print("usage: page.py PAGE.html CLAIMS MAX_WORDS SCREENSHOT.png",
              file=sys.stderr)
        return 2
    page, claims, max_words, shot = argv[1], int(argv[2]), int(argv[3]), \
        argv[4]
    try:
        d = driver()
    except WebDriverException as e:
        print(f"page.py: cannot start chromium-driver: {e.msg}",
              file=sys.stderr)
        return 2
    bad = []
    try:
        d.get("file://" + os.path.abspath(page))
        d.execute_async_script(
            "const done = arguments[0];"
            "Promise.all(Array.from(document.images).map(i => i.decode()"
            ".catch(() => null))).then(() => done());")
        got = d.execute_script(VISIBLE)
        errors = [e for e in d.get_log("browser")
                  if e.get("level") == "SEVERE"]
        # a full-page screenshot: the window as tall as the page
        d.set_window_size(1280, min(got["height"] + 100, 30000))
        d.save_screenshot(shot)
    finally:
        d.quit()
    if got["claims"] != claims:
        bad.append(f"{got['claims']} rows in the claims table, "
                   f"expected {claims}")
    if got["words"] > max_words:
        bad.append(f"{got['words']} visible words, more than {max_words}")
    for i in got["images"]:
        if not i["width"]:
            bad.append(f"image not loaded: {i['src']}")
    for e in errors:
        bad.append(f"console: {e['message']}")
    if not got["images"]:
        bad.append("no image in the page")
    print(json.dumps({"page": page, "words": got["words"],
                      "height_px": got["height"], "width_px": got["width"],
                      "claims": got["claims"],
                      "images": len(got["images"]),
                      "screenshot": shot}))
    for b in bad:
        print(f"page.py: {page}: {b}", file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
