"""The portal page in a real headless Chromium: no line of a paragraph is stretched.

Justified Chinese text next to an unbreakable Latin run (a web address, an e-mail
address) pushes the run to the next line and spreads the short line left behind
across the full width: 「电　子　邮　件　：」. Every paragraph after the title is
measured character by character at a phone's, a small window's and a wide
window's width: between the right edge of one character (its natural advance)
and the left edge of the next on the same line there is at most half a
character's width. The same page shows as the live preview of ``mkreport serve``.

Needs Debian's chromium and chromium-driver and the selenium package (CI installs
them); without them these tests are skipped locally and fail on CI.
"""

from __future__ import annotations

import os
import shutil

import pytest
from browser import Page, chrome, chromium_paths
from helpers import EXAMPLES, invoke

try:
    from selenium.webdriver.common.by import By
except ImportError:  # pragma: no cover - reported by the skip below
    By = None

MISSING = By is None or None in chromium_paths()
pytestmark = pytest.mark.skipif(MISSING and not os.environ.get("CI"),
                                reason="needs selenium, chromium and chromedriver")

WIDTHS = (390, 800, 1400)
EXAMPLE_FILES = sorted(EXAMPLES.glob("*.yaml"))
COUNTY = EXAMPLES / "shili-county-2023.yaml"
LONG_URL = "https://www.shili.gov.cn/art/2024/1/20/art_1229012345_59876543.html?source=zwgk&channel=annual-report"
LONG_MAIL = "zhengwugongkai.bangongshi@shili-county.example.gov.cn"
# Widest gap allowed, in em. The stretched line 「号，邮编：310000，电话：0571-12345678，
# 电子邮件：」 of the justified page opens gaps of 0.6 em at 800px and 0.7 em at
# 1400px (3 em at 390px); the examples' other justified paragraphs stay under 0.4 em,
# and left-aligned text under 0.05 em.
MAX_GAP_EM = 0.5

# For every <p> after the title: each character's box (a Range per character),
# grouped into lines by their top; the gap between two neighbours on a line is
# the distance between their left edges less the first one's natural advance
# (measured on a canvas in the same font). Returns the widest gap for its em
# size, with its line, and the paragraphs wider than their box.
GAPS = r"""
const canvas = document.createElement('canvas').getContext('2d');
const advances = new Map();
function advance(ch, style) {
  const font = `${style.fontStyle} ${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
  const key = font + '\u0000' + ch;
  if (!advances.has(key)) { canvas.font = font; advances.set(key, canvas.measureText(ch).width); }
  return advances.get(key);
}
const title = document.querySelector('h1');
const paragraphs = Array.from(document.querySelectorAll('p')).filter(
  p => title && (title.compareDocumentPosition(p) & Node.DOCUMENT_POSITION_FOLLOWING));
let worst = null;
const overflowing = [];
paragraphs.forEach((p, index) => {
  if (p.scrollWidth > p.clientWidth + 1) overflowing.push(p.textContent.slice(0, 40));
  const chars = [];
  const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const style = getComputedStyle(node.parentElement);
    const em = parseFloat(style.fontSize);
    let offset = 0;
    for (const ch of node.data) {
      const range = document.createRange();
      range.setStart(node, offset);
      range.setEnd(node, offset + ch.length);
      offset += ch.length;
      const box = range.getClientRects()[0];
      if (box) chars.push({ch, left: box.left, top: box.top, em, natural: advance(ch, style)});
    }
  }
  let line = [];
  const lines = [line];
  for (const c of chars) {
    if (line.length && Math.abs(c.top - line[line.length - 1].top) > c.em / 2) lines.push(line = []);
    line.push(c);
  }
  for (const row of lines) {
    for (let k = 1; k < row.length; k++) {
      const a = row[k - 1], b = row[k];
      const gap = b.left - a.left - a.natural;
      if (worst === null || gap / a.em > worst.gap / worst.em) {
        worst = {gap, em: a.em, at: a.ch + b.ch, line: row.map(c => c.ch).join(''), paragraph: index};
      }
    }
  }
});
return {worst, overflowing, paragraphs: paragraphs.length, width: window.innerWidth};
"""


@pytest.fixture(scope="module")
def driver():
    browser = chrome(1400, 1000)
    yield browser
    browser.quit()


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    """The HTML page of every example, and of the county example with a web
    address and an e-mail address longer than a phone's line, built by the real
    command."""
    folder = tmp_path_factory.mktemp("pages")
    long = folder / "long-address.yaml"
    text = COUNTY.read_text(encoding="utf-8")
    assert "网址: http://www.example.gov.cn/" in text and "电子邮件: zwgk@example.gov.cn" in text
    long.write_text(text.replace("网址: http://www.example.gov.cn/", "网址: " + LONG_URL)
                    .replace("电子邮件: zwgk@example.gov.cn", "电子邮件: " + LONG_MAIL), encoding="utf-8")
    built = {}
    for source in [*EXAMPLE_FILES, long]:
        page = folder / (source.stem + ".html")
        code, _, err = invoke(source, "-o", page)
        assert code == 0, err
        built[source.stem] = page
    return built


def measure(driver) -> dict:
    result = driver.execute_script(GAPS)
    assert result["paragraphs"] >= 5 and result["worst"] is not None, result
    return result


def assert_not_stretched(result: dict) -> None:
    worst = result["worst"]
    assert worst["gap"] <= MAX_GAP_EM * worst["em"], (
        f"宽 {result['width']}px：「{worst['at']}」之间空出 {worst['gap']:.1f}px，超过半个字（{worst['em']:.1f}px 的一半），"
        f"这一行被拉开了：{worst['line']}")
    assert not result["overflowing"], f"宽 {result['width']}px：段落超出页面：{result['overflowing']}"


def open_at(driver, page, width: int) -> None:
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": width, "height": 1000, "deviceScaleFactor": 1, "mobile": False})
    driver.get(page.as_uri())
    assert driver.execute_script("return window.innerWidth") == width


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", [p.stem for p in EXAMPLE_FILES] + ["long-address"])
def test_no_line_is_stretched(driver, pages, name, width):
    open_at(driver, pages[name], width)
    result = measure(driver)
    assert_not_stretched(result)
    if name == "long-address":  # the addresses are printed whole, broken where the line ends
        text = driver.execute_script("return document.querySelector('h1 ~ p').textContent")
        assert LONG_URL in text and LONG_MAIL in text


# Table cells holding a figure whose text box spans more than one line, and whether
# the page itself (not a table's scrolling box) is wider than the window.
BROKEN_FIGURES = r"""
const broken = [];
for (const cell of document.querySelectorAll('td')) {
  const text = cell.textContent.trim();
  if (!text || !Array.from(text).every(ch => ch >= '0' && ch <= '9')) continue;
  const range = document.createRange();
  range.selectNodeContents(cell);
  const tops = new Set(Array.from(range.getClientRects(), box => Math.round(box.top)));
  if (tops.size > 1) broken.push(text);
}
return {broken, wide: document.documentElement.scrollWidth > window.innerWidth};
"""


@pytest.mark.parametrize("name", [p.stem for p in EXAMPLE_FILES])
def test_figures_stay_whole_on_a_phone(driver, pages, name):
    """At 390px the tables scroll sideways rather than splitting 120 into 12 / 0."""
    open_at(driver, pages[name], 390)
    result = driver.execute_script(BROKEN_FIGURES)
    assert result == {"broken": [], "wide": False}


def test_serve_preview_is_not_stretched(driver, tmp_path):
    driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    shutil.copy(COUNTY, tmp_path / "county.yaml")
    page = Page(driver, tmp_path / "county.yaml")
    try:
        frame = driver.find_element(By.ID, "preview")
        page.wait(lambda: "preview?" in (frame.get_attribute("src") or ""))
        driver.switch_to.frame(frame)
        try:
            page.wait(lambda: driver.execute_script(
                "return document.readyState === 'complete' && document.querySelectorAll('h1 ~ p').length > 5"))
            result = measure(driver)
        finally:
            driver.switch_to.default_content()
        assert 300 < result["width"] < 1400
        assert_not_stretched(result)
    finally:
        page.close()
