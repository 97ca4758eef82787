"""Headless Chromium through selenium: the system's browser and driver (Debian's
chromium and chromium-driver), never a download."""

from __future__ import annotations

import shutil


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
