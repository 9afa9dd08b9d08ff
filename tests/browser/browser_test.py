#!/usr/bin/env python3
"""Renders the HTML pages in headless Chromium and checks them as a reader's browser sees them.

The pages are written by the unit tests tagged [html-pages] (every fixture's scan, gate and
history page, a hostile repository's page, the fleet dashboard and its per-repository pages),
with a manifest of what each page must show. For each page this driver checks, through the
DevTools protocol over a pipe (--remote-debugging-pipe: no port, no websocket, standard
library only): no console error, no exception, no CSP violation, no request but the page
itself; one chart mark per parameter; every evidence row and link in the DOM; hostile names
shown as text and no element they could have injected; the sort script runs; and a screenshot
that is not blank: pixels inside the overall badge and the first chart bar have their colours,
light and dark mode differ, and print media is black on white.

Usage: browser_test.py UNIT_TESTS_BINARY OUT_DIR [SCREENSHOT_COPY]
  SCREENSHOT_COPY: where the README's screenshot goes when MLM_UPDATE_SNAPSHOTS=1.
"""
import base64
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import time
import zlib


def find_chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


class Browser:
    """Chromium with the DevTools protocol on file descriptors 3 (in) and 4 (out)."""

    def __init__(self, binary, profile):
        to_chrome_r, self.to_chrome = os.pipe()
        self.from_chrome, from_chrome_w = os.pipe()

        def wire():
            # Move both ends out of the way first: either could already be fd 3 or 4.
            a, b = os.dup(to_chrome_r), os.dup(from_chrome_w)
            hi_a, hi_b = os.dup2(a, 100), os.dup2(b, 101)
            os.dup2(hi_a, 3)
            os.dup2(hi_b, 4)

        args = [binary, "--headless", "--no-sandbox", "--disable-gpu", "--remote-debugging-pipe",
                "--user-data-dir=" + profile, "--no-first-run", "--no-default-browser-check",
                "--disable-extensions", "--disable-background-networking", "--disable-sync",
                "--disable-component-update", "--disable-default-apps", "--hide-scrollbars",
                "--mute-audio", "--disable-dev-shm-usage", "about:blank"]
        self.proc = subprocess.Popen(args, preexec_fn=wire, pass_fds=(3, 4), stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self.next_id = 0
        self.buffer = b""
        self.events = []

    def _read_message(self, deadline):
        while b"\0" not in self.buffer:
            if time.time() > deadline:
                raise TimeoutError("no answer from Chromium")
            chunk = os.read(self.from_chrome, 1 << 16)
            if not chunk:
                raise RuntimeError("Chromium closed the protocol pipe")
            self.buffer += chunk
        raw, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(raw)

    def call(self, method, params=None, session=None, timeout=60):
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        os.write(self.to_chrome, json.dumps(msg).encode() + b"\0")
        deadline = time.time() + timeout
        while True:
            m = self._read_message(deadline)
            if m.get("id") == self.next_id:
                if "error" in m:
                    raise RuntimeError(f"{method}: {m['error']}")
                return m.get("result", {})
            self.events.append(m)

    def wait_event(self, method, session, timeout=60):
        deadline = time.time() + timeout
        for i, m in enumerate(self.events):
            if m.get("method") == method and m.get("sessionId") == session:
                return self.events.pop(i)
        while True:
            m = self._read_message(deadline)
            if m.get("method") == method and m.get("sessionId") == session:
                return m
            self.events.append(m)

    def close(self):
        try:
            self.call("Browser.close", timeout=10)
        except Exception:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def decode_png(data, max_rows=None):
    """8-bit RGB or RGBA PNG -> (width, height, rows of (r, g, b) tuples), the first max_rows only."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, width, height, ctype = 8, b"", 0, 0, 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, ctype = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and ctype in (2, 6), f"unexpected PNG format depth={depth} type={ctype}"
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    bpp = 4 if ctype == 6 else 3
    raw = zlib.decompress(idat)
    stride = width * bpp
    rows, prev, i = [], bytearray(stride), 0
    for _ in range(min(height, max_rows or height)):
        f = raw[i]
        line = bytearray(raw[i + 1:i + 1 + stride])
        i += 1 + stride
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b = prev[x]
            c = prev[x - bpp] if x >= bpp else 0
            if f == 1:
                line[x] = (line[x] + a) & 255
            elif f == 2:
                line[x] = (line[x] + b) & 255
            elif f == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append([tuple(line[x:x + 3]) for x in range(0, stride, bpp)])
        prev = line
    return width, height, rows


# Collected in the page: what the checks below compare with the manifest.
DOM_FACTS = r"""JSON.stringify({
  marks: Array.from(document.querySelectorAll('svg.parameters .mark, svg.stacked .mark')).map(e => e.dataset.parameter),
  steps: Array.from(document.querySelectorAll('svg.step')).map(e => e.dataset.parameter),
  stepTitles: document.querySelectorAll('svg.step circle title').length,
  evidenceRows: document.querySelectorAll('tr.ev').length,
  evidenceLinks: document.querySelectorAll('tr.ev a.loc').length,
  links: Array.from(document.querySelectorAll('a[href]')).map(a => a.getAttribute('href')),
  repoLinks: document.querySelectorAll('tr.repository a').length,
  scripts: document.scripts.length,
  injected: document.querySelectorAll('img, iframe, object, embed, b, i, [onerror], [onload]').length,
  text: document.body.innerText,
  badge: (e => e ? (r => [r.x + 4, r.y + r.height / 2])(e.getBoundingClientRect()) : null)(document.querySelector('.badge.big')),
  firstBar: (e => e ? (r => [r.x + Math.min(r.width / 2, 20), r.y + r.height / 2])(e.getBoundingClientRect()) : null)(
    Array.from(document.querySelectorAll('svg .mark')).find(e => e.getBoundingClientRect().width > 8)),
})"""


class Checker:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def check(self, ok, what):
        if ok:
            self.passed += 1
        else:
            self.failed += 1
            print("FAIL:", what)


def screenshot(browser, session, width, height, dark, media=""):
    browser.call("Emulation.setEmulatedMedia", {"media": media, "features": [{"name": "prefers-color-scheme",
                                                               "value": "dark" if dark else "light"}]}, session)
    shot = browser.call("Page.captureScreenshot", {"format": "png", "clip": {"x": 0, "y": 0, "width": width,
                                                                            "height": height, "scale": 1}}, session)
    return base64.b64decode(shot["data"])


def check_page(browser, c, out_dir, page, screenshot_to):
    name = page["file"]
    path = os.path.join(out_dir, page["file"])
    url = "file://" + os.path.abspath(path)
    target = browser.call("Target.createTarget", {"url": "about:blank"})["targetId"]
    session = browser.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
    for domain in ("Page", "Runtime", "Log", "Network"):
        browser.call(domain + ".enable", {}, session)
    width, height = 1000, 1000
    browser.call("Emulation.setDeviceMetricsOverride", {"width": width, "height": height, "deviceScaleFactor": 1,
                                                        "mobile": False}, session)
    browser.events.clear()
    browser.call("Page.navigate", {"url": url}, session)
    browser.wait_event("Page.loadEventFired", session)
    facts = json.loads(browser.call("Runtime.evaluate", {"expression": DOM_FACTS, "returnByValue": True}, session)
                       ["result"]["value"])

    if page["kind"] == "fleet":
        # The sort script runs (its hash is in the policy): a click reorders by the column.
        sorted_ok = browser.call("Runtime.evaluate", {"returnByValue": True, "expression": r"""(() => {
            const b = document.querySelectorAll('table.sortable th button')[1];
            b.click();
            const v = Array.from(document.querySelectorAll('table.sortable tbody tr')).map(r => parseFloat(r.cells[1].dataset.v));
            return b.dataset.dir === 'asc' && v.every((x, i) => i === 0 || v[i - 1] <= x);
        })()"""}, session)["result"]["value"]
        c.check(sorted_ok, f"{name}: clicking a column header sorts the table")

    light = screenshot(browser, session, width, height, dark=False)
    dark = screenshot(browser, session, width, height, dark=True)
    # Printed, even from a dark-mode browser, the page is black on white.
    printed = screenshot(browser, session, width, 20, dark=True, media="print")
    time.sleep(0.05)
    # Everything the page did, now that it is done: console, exceptions, log, requests.
    events = [e for e in browser.events if e.get("sessionId") == session]
    errors = [e for e in events if e["method"] == "Runtime.exceptionThrown"
              or (e["method"] == "Runtime.consoleAPICalled" and e["params"]["type"] in ("error", "assert"))
              or (e["method"] == "Log.entryAdded" and e["params"]["entry"]["level"] in ("error", "warning"))]
    c.check(not errors, f"{name}: no console errors, exceptions or CSP violations ({errors[:2]})")
    requests = [e["params"]["request"]["url"] for e in events if e["method"] == "Network.requestWillBeSent"]
    c.check(all(u == url for u in requests), f"{name}: no request but the page itself ({requests[:3]})")

    params = page["parameters"]
    if page["kind"] in ("scan", "gate"):
        c.check(facts["marks"] == params, f"{name}: one chart mark per parameter ({facts['marks']} vs {params})")
        c.check(facts["evidenceRows"] == page["evidence_rows"],
                f"{name}: every evidence row in the DOM ({facts['evidenceRows']} vs {page['evidence_rows']})")
        c.check(facts["evidenceLinks"] == page["links"],
                f"{name}: every evidence path a link ({facts['evidenceLinks']} vs {page['links']})")
        c.check(all(h.startswith("https://example.com/org/repo/blob/") or h.startswith("#") for h in facts["links"]),
                f"{name}: links go to the link base or within the page")
        c.check(facts["scripts"] == 0, f"{name}: no script on a scan page")
    elif page["kind"] == "history":
        c.check(facts["steps"] == params, f"{name}: one step chart per parameter ({facts['steps']} vs {params})")
        c.check(facts["stepTitles"] > 0, f"{name}: points carry hover text")
    elif page["kind"] == "fleet":
        c.check(facts["marks"] == params, f"{name}: one stacked bar per parameter ({facts['marks']})")
        c.check(facts["repoLinks"] == page["links"], f"{name}: every repository links to its page")
        c.check(facts["scripts"] == 1, f"{name}: only the sort script")
        for href in facts["links"]:
            c.check(os.path.exists(os.path.join(out_dir, href.replace("%20", " "))) or "%" in href,
                    f"{name}: link {href} points to a page that exists")
    for text in page["texts"]:
        c.check(text in facts["text"], f"{name}: {text!r} shown as text")
    c.check(facts["injected"] == 0, f"{name}: no element injected by the repository")

    # Not blank: the overall badge and the first chart bar are drawn in their colours, not the
    # background; the dark theme changes the background.
    needed = [int(facts[w][1]) + 1 for w in ("badge", "firstBar") if facts[w] is not None]
    _, _, rows = decode_png(light, max(needed + [400]))
    _, _, dark_rows = decode_png(dark, 10)
    background = rows[5][5]
    c.check(background != dark_rows[5][5], f"{name}: dark mode changes the background ({background})")
    printed_bg = decode_png(printed, 10)[2][5][5]
    c.check(printed_bg == (255, 255, 255), f"{name}: printed on white ({printed_bg})")
    for what in ("badge", "firstBar"):
        at = facts[what]
        if at is None:
            continue
        x, y = int(at[0]), int(at[1])
        if 0 <= y < len(rows) and 0 <= x < len(rows[0]):
            c.check(rows[y][x] != background, f"{name}: the {what} is painted at {x},{y} ({rows[y][x]})")
    distinct = len({p for row in rows[::20] for p in row[::20]})
    c.check(distinct > 8, f"{name}: the screenshot has content ({distinct} colours sampled)")
    if screenshot_to:
        # The README's picture: the top of the page (level, chart, table), kept small.
        browser.call("Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": "light"}]}, session)
        with open(screenshot_to, "wb") as f:
            f.write(screenshot(browser, session, width, 700, dark=False))
    browser.call("Target.closeTarget", {"targetId": target})


def main():
    unit_tests, out_dir = sys.argv[1], sys.argv[2]
    readme_copy = sys.argv[3] if len(sys.argv) > 3 else None
    chromium = find_chromium()
    if not chromium:
        print("FAIL: Chromium is not installed; run `bash .ci/setup-browser` (apt-get install chromium)")
        return 1
    env = dict(os.environ, MLM_HTML_PAGES_DIR=out_dir)
    run = subprocess.run([unit_tests, "[html-pages]"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if run.returncode != 0:
        print(run.stdout[-4000:])
        print("FAIL: the pages could not be written")
        return 1
    pages = json.load(open(os.path.join(out_dir, "manifest.json")))
    # The repository pages of the batch are checked too: same kind as a scan page, as text only.
    c = Checker()
    profile = tempfile.mkdtemp(prefix="mlm-browser-")
    browser = Browser(chromium, profile)
    started = time.time()
    try:
        for page in pages:
            shot = os.path.join(out_dir, "screenshot.png") if page["file"] == "rising-maturity.scan.html" else None
            check_page(browser, c, out_dir, page, shot)
    finally:
        browser.close()
        shutil.rmtree(profile, ignore_errors=True)
    c.check(os.path.exists(os.path.join(out_dir, "screenshot.png")), "the README screenshot was taken")
    if readme_copy and os.environ.get("MLM_UPDATE_SNAPSHOTS") and os.path.exists(os.path.join(out_dir, "screenshot.png")):
        shutil.copyfile(os.path.join(out_dir, "screenshot.png"), readme_copy)
    print(f"browser: {len(pages)} pages in {time.time() - started:.1f} s; {c.passed} passed, {c.failed} failed")
    return 0 if c.failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
