"""A screenshot of the ``mkreport serve`` page for the README, taken in headless Chromium.

    .venv/bin/pip install -e '.[test]'      # selenium
    .venv/bin/python scripts/screenshot_serve.py docs/serve-1400.png --width 1400
    .venv/bin/python scripts/screenshot_serve.py docs/serve-1000.png --width 1000 --slip 30件

Opens a copy of examples/shili-county-2023.yaml, scrolls to table 三 and leaves
one column unbalanced (or, with --slip, types a slip into 商业企业's 本年新收),
so that the picture shows a message where it stands.
Needs Debian's chromium and chromium-driver (or Chrome and its driver on PATH).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from browser import chrome  # noqa: E402  (tests/browser.py: one way to start Chromium)

from generator.serving import server  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", type=Path, nargs="?", default=ROOT / "docs" / "serve.png")
    parser.add_argument("--width", type=int, default=1600, help="window width in pixels")
    parser.add_argument("--slip", help="text typed into 商业企业's 本年新收 instead of unbalancing the column")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "示例县2023.yaml"
        shutil.copy(ROOT / "examples" / "shili-county-2023.yaml", source)
        session = server.Session(source)
        httpd = server.make_server(session)
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        driver = chrome(args.width, 1100)
        try:
            from selenium.webdriver.common.by import By

            driver.get(server.address(httpd, session))
            key = "本年新收" if args.slip else "结转下年度"
            cell = f'[data-path=\'["收到和处理政府信息公开申请情况","商业企业","{key}"]\']'
            box = _wait(driver, By.CSS_SELECTOR, cell)
            box.click()
            box.send_keys(args.slip or "5")
            time.sleep(1.5)
            driver.execute_script("document.activeElement.blur()")
            driver.execute_script(
                "const t = document.querySelector('table.requests');"
                "(arguments[0] ? t.closest('fieldset') : t).scrollIntoView({block: 'start'}); window.scrollBy(0, -60);",
                bool(args.slip))  # with a slip: the note above the table too
            time.sleep(0.5)
            args.output.parent.mkdir(parents=True, exist_ok=True)
            driver.save_screenshot(str(args.output))
        finally:
            driver.quit()
            httpd.shutdown()
    print(f"已保存 {args.output}")


def _wait(driver, by, what, seconds: float = 10.0):
    end = time.monotonic() + seconds
    while True:
        found = driver.find_elements(by, what)
        if found:
            return found[0]
        if time.monotonic() > end:
            raise TimeoutError(what)
        time.sleep(0.1)


if __name__ == "__main__":
    main()
