"""Redo the README's phone screenshots: ``.venv/bin/python docs/images/capture.py``.

Publishes the bundled sample into a temporary folder, serves it with ``civicmap serve``,
starts the app as ``make run`` does, and photographs both at a phone's size (390 × 844 at
twice the pixel density, touch) in headless Chromium with software WebGL:

- ``site-phone.png``: the published site opened on a parcel's link (``?p=006-0602-005-0000``),
  its answer card open as a sheet over the map;
- ``app-phone.png``: the app's first screen.

Each PNG is reduced to a 256-colour palette to stay small. Needs ``make setup`` and Debian's
``chromium`` (``make browser``); every request to another host is aborted.
"""

from __future__ import annotations

import argparse
import io
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import ExitStack
from pathlib import Path

from PIL import Image
from playwright.sync_api import Browser, Page, ViewportSize, expect, sync_playwright

ROOT = Path(__file__).resolve().parents[2]
OUT = Path(__file__).resolve().parent
SAMPLE = ROOT / "data" / "sacramento" / "sample" / "downtown_sample.zip"
BIN = Path(sys.executable).parent
CHROMIUM = "/usr/bin/chromium"
BROWSER_ARGS = [
    "--headless",
    "--no-sandbox",
    "--use-angle=swiftshader",
    "--enable-unsafe-swiftshader",
]
PHONE: ViewportSize = {"width": 390, "height": 844}
PARCEL = "006-0602-005-0000"
LOCAL = ("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:", "about:")


def free_port() -> int:
    """A port nothing on this machine listens on."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(url: str, timeout: float = 90.0) -> None:
    """Wait until ``url`` answers 200."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as answer:  # loopback only
                if answer.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise SystemExit(f"{url} did not answer within {timeout:.0f} s")
        time.sleep(0.5)


def start(stack: ExitStack, args: list[str]) -> None:
    """Start a server for the length of ``stack``; stop it (and only it) at the end."""
    process = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def stop() -> None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()

    stack.callback(stop)


def save(png: bytes, path: Path) -> None:
    """Write a screenshot as a 256-colour PNG."""
    image = Image.open(io.BytesIO(png)).convert("RGB")
    image.quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(path, optimize=True)
    print(f"wrote {path.relative_to(ROOT)} ({path.stat().st_size // 1024} KB)")


def phone_page(browser: Browser, url: str) -> Page:
    """A fresh phone-sized page that never leaves this machine."""
    context = browser.new_context(
        viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True
    )
    context.route(lambda u: not u.startswith(LOCAL), lambda route: route.abort())
    page = context.new_page()
    page.goto(url, wait_until="domcontentloaded")
    return page


def main() -> None:
    """Publish, serve, start the app, photograph both, stop what was started."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--settle", type=float, default=3.0, help="seconds to let maps settle")
    args = parser.parse_args()
    site_port, app_port = free_port(), free_port()
    with ExitStack() as stack:
        site = Path(stack.enter_context(tempfile.TemporaryDirectory())) / "site"
        subprocess.run(
            [BIN / "civicmap", "publish", SAMPLE, "--out", site, "--quiet"], cwd=ROOT, check=True
        )
        start(stack, [str(BIN / "civicmap"), "serve", str(site), "--port", str(site_port)])
        start(
            stack,
            [str(BIN / "python"), "-m", "panels.serve", "run", "app.py",
             "--server.port", str(app_port), "--server.address", "127.0.0.1"],
        )  # fmt: skip
        site_url, app_url = f"http://127.0.0.1:{site_port}/", f"http://127.0.0.1:{app_port}/"
        wait_for(site_url)
        wait_for(app_url + "_stcore/health")
        driver = stack.enter_context(sync_playwright())
        browser = driver.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        stack.callback(browser.close)

        page = phone_page(browser, f"{site_url}?p={PARCEL}")
        page.wait_for_function("() => window.cmMap && window.cmMap.areTilesLoaded()")
        expect(page.locator("#card-heading")).to_contain_text(PARCEL, timeout=60_000)
        page.wait_for_timeout(args.settle * 1000)
        save(page.screenshot(), OUT / "site-phone.png")

        page = phone_page(browser, app_url)
        app = page.locator('[data-testid="stApp"]')
        expect(app).to_have_attribute("data-test-script-state", "notRunning", timeout=120_000)
        map_frame = page.frame_locator("iframe").first
        parcels = map_frame.locator(".leaflet-container path.leaflet-interactive").first
        expect(parcels).to_be_attached(timeout=120_000)
        page.wait_for_timeout(args.settle * 1000)
        save(page.screenshot(), OUT / "app-phone.png")


if __name__ == "__main__":
    main()
