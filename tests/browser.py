"""Headless Chromium through selenium: the system's browser and driver (Debian's
chromium and chromium-driver), never a download."""

from __future__ import annotations

import json
import shutil
import threading
import time
from pathlib import Path

from helpers import EXAMPLES, invoke


def chromium_paths() -> tuple[str | None, str | None]:
    browser = next((shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome") if shutil.which(n)),
                   None)
    return browser, shutil.which("chromedriver")


def chrome(width: int = 1400, height: int = 1000):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    browser, driver = chromium_paths()
    if browser is None or driver is None:
        raise RuntimeError("需要 chromium 和 chromedriver（Debian：apt-get install chromium chromium-driver）")
    options = webdriver.ChromeOptions()
    options.binary_location = browser
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                 f"--window-size={width},{height}", "--lang=zh-CN", "--force-device-scale-factor=1"):
        options.add_argument(flag)
    # Clipboard access for the paste test, without a prompt.
    options.add_experimental_option("prefs", {"profile.content_settings.exceptions.clipboard": {
        "*": {"setting": 1}}})
    return webdriver.Chrome(service=Service(driver), options=options)


class Page:
    """``mkreport serve``'s server for one file, in this process, and the page
    opened on it in ``driver``."""

    def __init__(self, driver, path: Path, year: int | None = None, url: str | None = None) -> None:
        from generator.serving import server

        self.driver = driver
        self.httpd = None
        if url is None:
            self.session = server.Session(path, year)
            self.httpd = server.make_server(self.session)
            threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
            url = server.address(self.httpd, self.session)
        self.url = url
        driver.get(url)
        self.wait(lambda: "处错误" in self.status() or "没有错误" in self.status())

    def close(self) -> None:
        if self.httpd is not None:
            self.httpd.shutdown()
            self.httpd.server_close()

    def wait(self, condition, seconds: float = 15.0):
        end = time.monotonic() + seconds
        while True:
            try:
                value = condition()
            except Exception:  # the page is redrawing: ask again
                value = None
            if value:
                return value
            if time.monotonic() > end:
                raise AssertionError("页面没有在时限内更新：" + self.status())
            time.sleep(0.1)

    def status(self) -> str:
        from selenium.webdriver.common.by import By

        return self.driver.find_element(By.ID, "status").text

    def notice(self) -> str:
        from selenium.webdriver.common.by import By

        return self.driver.find_element(By.ID, "notice").text

    def field(self, *path) -> object:
        from selenium.webdriver.common.by import By

        selector = f"[data-path='{json.dumps(list(path), ensure_ascii=False, separators=(',', ':'))}']"
        return self.wait(lambda: self.driver.find_element(By.CSS_SELECTOR, selector))

    def type(self, element, text: str) -> None:
        from selenium.webdriver.common.keys import Keys

        element.click()
        element.send_keys(Keys.CONTROL, "a")
        element.send_keys(Keys.DELETE)
        element.send_keys(text)

    def computed(self, table: str, row: int, col: int) -> str:
        from selenium.webdriver.common.by import By

        return self.driver.find_element(By.CSS_SELECTOR, f"[data-cell='{table}:{row}:{col}']").text

    def settled(self) -> None:
        """Wait until the last change has been checked."""
        time.sleep(0.4)
        self.wait(lambda: self.driver.execute_script("return document.readyState") == "complete")
        time.sleep(0.4)


def last_year_and_a_new_folder(tmp_path: Path) -> tuple[Path, Path]:
    """Last year's report as a Word file (the county example, built by the real
    command) and an empty folder for this year's input."""
    last = tmp_path / "2023年报告.docx"
    assert invoke(EXAMPLES / "shili-county-2023.yaml", "-o", last)[0] == 0
    folder = tmp_path / "2024"
    folder.mkdir()
    return last, folder
