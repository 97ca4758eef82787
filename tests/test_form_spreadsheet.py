"""mkreport serve's form behaves like a spreadsheet, in a real headless Chromium
at the real HTTP server: typing replaces a cell's figure, a slip is seen at a
glance with its message beside it, the list of problems is reachable from the
top, last year's report can be chosen (not only dragged) and is kept as
上年报告, a PDF reads on a plain install, unsaved changes survive as a draft,
and the page is usable at 1000 and 1400 pixels.

Needs Debian's chromium and chromium-driver and the selenium package (CI installs
them); without them the browser tests are skipped locally and fail on CI.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from browser import Page, chrome, chromium_paths, last_year_and_a_new_folder
from helpers import EXAMPLES, ROOT, invoke, post_to_served

from generator.rendering import pdf
from generator.serving import form, server

try:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
except ImportError:  # pragma: no cover - reported by the skip below
    ActionChains = By = Keys = None

MISSING = By is None or None in chromium_paths()
browser = pytest.mark.skipif(MISSING and not os.environ.get("CI"), reason="needs selenium, chromium and chromedriver")

REQUESTS = "收到和处理政府信息公开申请情况"
HANG_GUARD = 120


@pytest.fixture(scope="module")
def driver():
    if MISSING and not os.environ.get("CI"):
        pytest.skip("needs selenium, chromium and chromedriver")
    started = chrome(1400, 1000)
    yield started
    started.quit()


@pytest.fixture
def page(driver, tmp_path):
    driver.set_window_size(1400, 1000)
    shutil.copy(EXAMPLES / "shili-county-2023.yaml", tmp_path / "county.yaml")
    opened = Page(driver, tmp_path / "county.yaml")
    yield opened
    opened.close()


def saved_by_serve(source: Path, path: Path) -> None:
    """``source`` as serve writes it (so a save needs no 「手工编辑过」 confirmation)."""
    shutil.copy(source, path)
    session = server.Session(path)
    session.save(session.open()["data"], confirmed=True, version=session.version)


def typed(driver, text: str) -> None:
    """Keys as the clerk types them, to whatever has the focus."""
    ActionChains(driver).send_keys(text).perform()


def style(driver, element, pseudo: str | None = None) -> dict:
    return driver.execute_script("""
        const s = getComputedStyle(arguments[0], arguments[1]);
        return {background: s.backgroundColor, border: s.borderTopColor + ' ' + s.borderTopWidth + ' ' + s.borderTopStyle,
                content: s.content};
    """, element, pseudo)


def rect(driver, element) -> dict:
    return driver.execute_script("const r = arguments[0].getBoundingClientRect();"
                                 "return {top: r.top, bottom: r.bottom, left: r.left, right: r.right, width: r.width};",
                                 element)


# -- typing into a cell ------------------------------------------------------------------

@browser
def test_clicking_a_zero_and_typing_3_gives_3(page):
    """The clerk clicks a cell showing 0 and types 3: the cell says 3 (not 30, as
    when the caret landed before the 0), also when the click is right of centre
    (not 02), and the totals follow."""
    driver = page.driver
    cell = page.field(REQUESTS, "科研机构", "上年结转")
    assert cell.get_attribute("value") == "0"
    cell.click()
    typed(driver, "3")
    assert cell.get_attribute("value") == "3"

    right = page.field(REQUESTS, "法律服务机构", "上年结转")
    assert right.get_attribute("value") == "0"
    width = rect(driver, right)["width"]
    ActionChains(driver).move_to_element_with_offset(right, int(width / 2) - 4, 0).click().perform()
    typed(driver, "2")
    assert right.get_attribute("value") == "2"

    # Tab into the next cell and type: the figure there is replaced too.
    typed(driver, Keys.TAB)
    typed(driver, "7")
    assert page.field(REQUESTS, "其他", "上年结转").get_attribute("value") == "7"
    page.settled()
    code_text = page.session.text(page.session.data)
    assert "上年结转: 3" in code_text and "上年结转: 2" in code_text and "上年结转: 7" in code_text


# -- a slip seen at a glance -----------------------------------------------------------------

@browser
@pytest.mark.parametrize("slip", ["2件", "１", ""])
def test_a_bad_cell_is_marked_and_its_message_is_beside_it(page, slip):
    """A slip deep in table 三 (inside the merged 「三、本年度办理结果」 and
    「（三）不予公开」 cells): the figure's own background and border differ from a
    good one's, a ✕ stands in its corner, and its message, naming the column, is
    on screen with it; the table's totals say why they cannot be computed."""
    driver = page.driver
    bad = page.field(REQUESTS, "商业企业", "不予公开", "属于国家秘密")
    good = page.field(REQUESTS, "科研机构", "不予公开", "属于国家秘密")
    below = page.field(REQUESTS, "商业企业", "不予公开", "其他法律行政法规禁止公开")
    before = style(driver, bad)
    assert before == style(driver, good)
    page.type(bad, slip)
    page.settled()
    cell = bad.find_element(By.XPATH, "..")
    column = "「商业企业」列的「不予公开·属于国家秘密」"
    expected = column + "还没有填写" if slip == "" else slip

    def message():
        return next(m for m in driver.find_elements(By.CSS_SELECTOR, "table.requests .msg")
                    if column in m.text and expected in m.text)

    page.wait(message)
    driver.execute_script("document.activeElement.blur()")  # both as they look when the clerk has moved on
    marked, plain = style(driver, bad), style(driver, good)
    assert marked["background"] != plain["background"]
    assert marked["border"] != plain["border"]
    assert "✕" in style(driver, cell, "::after")["content"]
    assert style(driver, good.find_element(By.XPATH, ".."), "::after")["content"] in ("none", "normal")

    for where in ("center", "end"):
        driver.execute_script("document.activeElement.blur(); arguments[0].scrollIntoView({block: arguments[1]});",
                              bad, where)
        bad.click()  # the clerk goes to the cell: its message comes into view with it
        height = driver.execute_script("return innerHeight")
        shown_cell, shown_message = rect(driver, bad), page.wait(lambda: rect(driver, message()))
        assert 0 <= shown_cell["top"] and shown_cell["bottom"] <= height
        assert 0 <= shown_message["top"] and shown_message["bottom"] <= height, where
        assert 0 <= shown_message["top"] - shown_cell["bottom"] < 60  # right under the figure's row
    # The merged cells on the left stretch over the message: the next row's figure
    # is still right under the bad one.
    assert abs(rect(driver, below)["left"] - rect(driver, bad)["left"]) < 1
    # Totals that cannot be computed say why, at the table and on each 「？」.
    note = driver.find_element(By.CSS_SELECTOR, "table.requests").find_element(
        By.XPATH, "ancestor::fieldset").find_element(By.CSS_SELECTOR, ".totals-note")
    assert note.is_displayed() and "有格子填错" in note.text and "总计暂不能计算" in note.text
    unknown = [c for c in driver.find_elements(By.CSS_SELECTOR, "table.requests td.calc") if c.text == "？"]
    assert unknown and all("总计暂不能计算" in c.get_attribute("title") for c in unknown)
    # Table 一's totals do not depend on table 三: they are still shown.
    assert not [c for c in driver.find_elements(By.CSS_SELECTOR, "table.proactive td.calc") if c.text == "？"]


@browser
def test_every_problem_is_reachable_from_the_top(page):
    """Two slips far apart: the button at the top of the page goes to each in turn,
    whatever has been scrolled."""
    driver = page.driver
    first = page.field(REQUESTS, "自然人", "本年新收")
    second = page.field("政府信息公开行政复议、行政诉讼情况", "行政诉讼", "复议后起诉", "结果维持")
    page.type(first, "1２")
    page.type(second, "两件")
    page.settled()
    jump = page.wait(lambda: driver.find_element(By.ID, "next-problem"))
    page.wait(jump.is_displayed)
    driver.execute_script("window.scrollTo(0, document.body.scrollHeight)")
    top = rect(driver, jump)
    assert 0 <= top["top"] < 100  # at the top of the window, wherever the page is scrolled
    jump.click()
    page.wait(lambda: driver.switch_to.active_element == first)
    jump.click()
    page.wait(lambda: driver.switch_to.active_element == second)
    jump.click()
    page.wait(lambda: driver.switch_to.active_element == first)
    listed = driver.find_element(By.ID, "summary").text
    assert "「自然人」列的「本年新收」" in listed and "「行政诉讼·复议后起诉」的「结果维持」" in listed


# -- last year's report: chosen, not only dragged ------------------------------------------------

def record_clicks(driver, selector: str) -> None:
    """Count clicks on a file input, without opening the system's file chooser."""
    driver.execute_script("""
        const input = document.querySelector(arguments[0]);
        window.chooserClicks = 0;
        input.addEventListener('click', (event) => { window.chooserClicks += 1; event.preventDefault(); });
    """, selector)


@browser
def test_the_drop_zone_opens_a_file_chooser(driver, tmp_path):
    """On a remote desktop where dragging does not work: clicking the zone (or Enter
    on it) opens the file chooser, and the chosen report fills the form."""
    driver.set_window_size(1400, 1000)
    last, folder = last_year_and_a_new_folder(tmp_path)
    page = Page(driver, folder / "2024.yaml")
    try:
        record_clicks(driver, "#pick")
        zone = driver.find_element(By.ID, "drop")
        zone.click()
        assert driver.execute_script("return window.chooserClicks") == 1
        zone.send_keys(Keys.ENTER)
        assert driver.execute_script("return window.chooserClicks") == 2
        driver.find_element(By.ID, "pick").send_keys(str(last))
        page.wait(lambda: page.field("机关名称").get_attribute("value") == "示例县人民政府")
        assert page.field(REQUESTS, "自然人", "上年结转").get_attribute("value") == "8"
        assert not (folder / "2024.yaml").exists()  # nothing is saved until the clerk saves
    finally:
        page.close()


@browser
def test_a_dropped_report_becomes_last_years_report_when_the_clerk_says_so(driver, tmp_path):
    """After a drop the page asks whether to check against that report; yes copies
    it beside the file as 「上年报告-原文件名」 and names it as 上年报告, so the
    cross-year checks run and the saved file checks against it."""
    driver.set_window_size(1400, 1000)
    last, folder = last_year_and_a_new_folder(tmp_path)
    page = Page(driver, folder / "2024.yaml")
    try:
        driver.find_element(By.ID, "pick").send_keys(str(last))
        page.wait(lambda: page.field("机关名称").get_attribute("value") == "示例县人民政府")
        keep = page.wait(lambda: next(b for b in driver.find_elements(By.CSS_SELECTOR, "#notice button")
                                      if b.text.startswith("用它核对")))
        keep.click()
        copy = folder / "上年报告-2023年报告.docx"
        page.wait(lambda: page.field("上年报告").get_attribute("value") == copy.name)
        assert copy.read_bytes() == last.read_bytes()
        # The cross-year check runs: 上年结转 typed unlike last year's 结转下年度 is said.
        page.type(page.field(REQUESTS, "自然人", "上年结转"), "9")
        page.wait(lambda: "上年报告的结转下年度继续办理为 8 件" in driver.find_element(By.ID, "summary").text)
        page.type(page.field(REQUESTS, "自然人", "上年结转"), "8")
        page.settled()
        driver.find_element(By.ID, "save").click()
        page.wait(lambda: "已保存" in page.notice())
    finally:
        page.close()
    saved = (folder / "2024.yaml").read_text(encoding="utf-8")
    assert f"上年报告: {copy.name}" in saved
    # The command line checks the saved file against the copy, as the page did.
    mismatched = folder / "另一份.yaml"
    mismatched.write_text(saved.replace("上年结转: 8", "上年结转: 9", 1), encoding="utf-8")
    code, _, err = invoke("check", mismatched)
    assert "上年结转 9 件，但上年报告的结转下年度继续办理为 8 件" in err, err


@browser
def test_the_previous_report_field_is_a_file_chooser(driver, tmp_path):
    """上年报告 is chosen, not typed as a path: a file already beside the report is
    named as it is; one from elsewhere is copied beside it, never over a file."""
    driver.set_window_size(1400, 1000)
    folder = tmp_path / "2024"
    folder.mkdir()
    shutil.copy(EXAMPLES / "shili-county-2023.yaml", folder / "2023.yaml")
    elsewhere = tmp_path / "downloads"
    elsewhere.mkdir()
    shutil.copy(EXAMPLES / "shili-county-2023.yaml", elsewhere / "2023.yaml")
    page = Page(driver, folder / "2024.yaml", year=2024)
    try:
        field = driver.find_element(By.CSS_SELECTOR, ".previous-field")
        assert "相对于本文件" not in field.text
        record_clicks(driver, ".previous-file")
        field.find_element(By.CSS_SELECTOR, ".choose-previous").click()
        assert driver.execute_script("return window.chooserClicks") == 1
        field.find_element(By.CSS_SELECTOR, ".previous-file").send_keys(str(folder / "2023.yaml"))
        page.wait(lambda: page.field("上年报告").get_attribute("value") == "2023.yaml")
        assert sorted(p.name for p in folder.iterdir() if "草稿" not in p.name) == ["2023.yaml"]
        # The same name from another folder, with other content: copied, the file here untouched.
        (elsewhere / "2023.yaml").write_text((elsewhere / "2023.yaml").read_text(encoding="utf-8")
                                             .replace("示例县人民政府办公室政务公开科", "另一个科"), encoding="utf-8")
        field = driver.find_element(By.CSS_SELECTOR, ".previous-field")
        field.find_element(By.CSS_SELECTOR, ".previous-file").send_keys(str(elsewhere / "2023.yaml"))
        page.wait(lambda: page.field("上年报告").get_attribute("value") == "上年报告-2023.yaml")
        assert (folder / "2023.yaml").read_bytes() == (EXAMPLES / "shili-county-2023.yaml").read_bytes()
        assert "另一个科" in (folder / "上年报告-2023.yaml").read_text(encoding="utf-8")
        # Something that is not a report is refused, and nothing is written.
        junk = elsewhere / "notes.txt"
        junk.write_text("这不是年度报告。\n", encoding="utf-8")
        field = driver.find_element(By.CSS_SELECTOR, ".previous-field")
        field.find_element(By.CSS_SELECTOR, ".previous-file").send_keys(str(junk))
        page.wait(lambda: "notes.txt 读不出来" in page.notice())
        broken = elsewhere / "坏.pdf"
        broken.write_bytes(b"%PDF-1.4 not really")
        field = driver.find_element(By.CSS_SELECTOR, ".previous-field")
        field.find_element(By.CSS_SELECTOR, ".previous-file").send_keys(str(broken))
        page.wait(lambda: "坏.pdf 读不出来" in page.notice())
        assert "上年报告.pdf" not in page.notice() and str(tmp_path) not in page.notice()
        assert not [p for p in folder.iterdir() if "notes" in p.name or "坏" in p.name]
    finally:
        page.close()


# -- a PDF on a plain install ------------------------------------------------------------------

# The child sees only what a plain `pip install mkreport` brings: the standard
# library and the distributions the project's default dependencies require,
# transitively; any other import (the [test] extra's docx2python, reportlab …)
# fails as it would there.
PLAIN = r"""
import importlib.abc, importlib.metadata as md, sys
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

def closure(name, seen):
    name = canonicalize_name(name)
    if name in seen:
        return
    seen.add(name)
    try:
        requires = md.requires(name) or []
    except md.PackageNotFoundError:
        return
    for text in requires:
        req = Requirement(text)
        if req.marker is None or req.marker.evaluate({"extra": ""}):
            closure(req.name, seen)

allowed = set()
closure("mkreport", allowed)
blocked = {module for module, dists in md.packages_distributions().items()
           if not any(canonicalize_name(d) in allowed for d in dists)}

class Plain(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in blocked:
            raise ModuleNotFoundError(f"No module named {name!r} (not installed by a plain install)", name=name)
        return None

sys.meta_path.insert(0, Plain())
"""


def plain_python(code: str, *argv: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", PLAIN + code, *argv], cwd=cwd, capture_output=True, text=True,
                          timeout=HANG_GUARD, env=dict(os.environ, PYTHONPATH=str(ROOT)))


def serve_process(source: Path, plain: bool = False) -> tuple[subprocess.Popen, str]:
    """The real ``mkreport serve`` in a subprocess (with only a plain install's
    packages when ``plain``): the process and its address."""
    code = (PLAIN if plain else "") + "import sys\nfrom generator.cli import main\nmain(sys.argv[1:])\n"
    process = subprocess.Popen([sys.executable, "-c", code, "serve", str(source), "--no-browser"],
                               cwd=source.parent, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env=dict(os.environ, PYTHONPATH=str(ROOT)))
    timer = threading.Timer(HANG_GUARD, process.kill)  # a guard against a hang
    timer.start()
    try:
        for line in process.stdout:
            found = re.search(r"http://\S+", line)
            if found:
                return process, found.group()
    finally:
        timer.cancel()
    process.kill()
    raise AssertionError("mkreport serve did not start: " + process.stderr.read())


def interrupt(process: subprocess.Popen) -> str:
    """Ctrl+C, as the clerk ends serve: what it printed after that."""
    process.send_signal(signal.SIGINT)
    out, _ = process.communicate(timeout=HANG_GUARD)
    return out


@browser
@pytest.mark.skipif(pdf.soffice() is None and not os.environ.get("CI"), reason="needs LibreOffice")
def test_a_pdf_chosen_on_a_plain_install_fills_the_form(driver, tmp_path):
    """Last year's report as a PDF made by LibreOffice from a generated Word file,
    chosen on the page of `mkreport serve` running with a plain install's packages."""
    driver.set_window_size(1400, 1000)
    # The emulation holds: the [test] extra is not there, the default dependencies are.
    result = plain_python("import docx2python", cwd=tmp_path)
    assert result.returncode != 0 and "plain install" in result.stderr
    result = plain_python("import pdfplumber, pypdfium2, generator.importing.pdf", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    last = tmp_path / "2023年报告.pdf"
    code, _, err = invoke(EXAMPLES / "shili-county-2023.yaml", "-o", last)
    assert code == 0, err
    folder = tmp_path / "2024"
    folder.mkdir()
    process, url = serve_process(folder / "2024.yaml", plain=True)
    try:
        page = Page(driver, folder / "2024.yaml", url=url)
        driver.find_element(By.ID, "pick").send_keys(str(last))
        page.wait(lambda: page.field("机关名称").get_attribute("value") == "示例县人民政府", seconds=60)
        assert page.field("联系方式", "邮编").get_attribute("value") == "310000"
        assert page.field(REQUESTS, "自然人", "上年结转").get_attribute("value") == "8"
        assert "需要安装" not in page.notice()
    finally:
        said = interrupt(process)
    assert "Traceback" not in said


# -- unsaved changes are never lost silently ------------------------------------------------------

def post(url: str, api: str, body: dict) -> tuple[int, dict]:
    return post_to_served(url, api, body, HANG_GUARD)


def test_ctrl_c_with_unsaved_changes_says_where_the_draft_is(tmp_path):
    source = tmp_path / "县.yaml"
    saved_by_serve(EXAMPLES / "shili-county-2023.yaml", source)
    before = source.read_bytes()
    process, url = serve_process(source)
    try:
        status, state = post(url, "state", {})
        assert status == 200 and state["draft"] is None
        data = state["data"]
        data["编制单位"] = "没有保存的改动"
        assert post(url, "check", {"data": data})[0] == 200
    finally:
        said = interrupt(process)
    draft = tmp_path / "县.草稿.yaml"
    assert "没有保存" in said and str(draft) in said and "恢复" in said
    assert source.read_bytes() == before
    assert "没有保存的改动" in draft.read_text(encoding="utf-8")
    assert invoke("check", draft)[0] == 0  # the draft is a report file like any other

    # Opened again, the page is offered the draft; the file itself is what it was.
    process, url = serve_process(source)
    try:
        status, state = post(url, "state", {})
        assert state["data"]["编制单位"] != "没有保存的改动"
        assert state["draft"]["name"] == draft.name and state["draft"]["data"]["编制单位"] == "没有保存的改动"
        # Until the clerk answers, other changes do not overwrite the draft.
        state["data"]["机关名称"] = "别的改动"
        post(url, "check", {"data": state["data"]})
        assert "没有保存的改动" in draft.read_text(encoding="utf-8")
        assert post(url, "draft", {"restore": False})[0] == 200
        assert not draft.exists()
    finally:
        interrupt(process)


def test_a_stopped_server_with_everything_saved_leaves_no_draft(tmp_path):
    source = tmp_path / "县.yaml"
    saved_by_serve(EXAMPLES / "shili-county-2023.yaml", source)
    process, url = serve_process(source)
    try:
        _, state = post(url, "state", {})
        data = state["data"]
        data["编制单位"] = "改了又保存"
        post(url, "check", {"data": data})
        assert (tmp_path / "县.草稿.yaml").exists()
        status, saved = post(url, "save", {"data": data, "version": state["version"]})
        assert status == 200, saved
    finally:
        said = interrupt(process)
    assert "草稿" not in said and "没有保存" not in said
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.schema.json", "县.yaml"]


@browser
def test_a_reload_shows_the_file_and_offers_the_draft(driver, tmp_path):
    """Typed, not saved, the server stopped: the next page shows the file as it is
    and offers the draft; 「恢复草稿」 brings the typing back, and saving it
    removes the draft."""
    driver.set_window_size(1400, 1000)
    source = tmp_path / "county.yaml"
    saved_by_serve(EXAMPLES / "shili-county-2023.yaml", source)
    draft = tmp_path / "county.草稿.yaml"
    page = Page(driver, source)
    try:
        page.type(page.field("编制单位"), "还没保存的编制单位")
        page.wait(lambda: draft.exists() and "还没保存的编制单位" in draft.read_text(encoding="utf-8"))
    finally:
        page.close()
    page = Page(driver, source)
    try:
        assert page.field("编制单位").get_attribute("value") != "还没保存的编制单位"
        offer = page.wait(lambda: driver.find_element(By.ID, "draft"))
        page.wait(offer.is_displayed)
        assert draft.name in offer.text
        next(b for b in offer.find_elements(By.TAG_NAME, "button") if b.text == "恢复草稿").click()
        page.wait(lambda: page.field("编制单位").get_attribute("value") == "还没保存的编制单位")
        assert "未保存" in page.status()
        page.settled()
        driver.find_element(By.ID, "save").click()
        page.wait(lambda: "已保存" in page.notice())
        page.wait(lambda: not draft.exists())
    finally:
        page.close()
    assert "还没保存的编制单位" in source.read_text(encoding="utf-8")


# -- small things that misled -----------------------------------------------------------------

@browser
def test_cancelling_the_save_question_is_not_an_error(page):
    driver = page.driver
    page.type(page.field("编制单位"), "某县政府办公室")
    page.settled()
    before = page.session.path.read_bytes()
    driver.find_element(By.ID, "save").click()
    page.wait(lambda: driver.switch_to.alert)
    driver.switch_to.alert.dismiss()
    notice = driver.find_element(By.ID, "notice")
    page.wait(lambda: "没有保存" in notice.text)
    assert "error" not in notice.get_attribute("class") and "确定要保存吗" not in notice.text
    assert page.session.path.read_bytes() == before


@browser
def test_the_date_example_matches_the_reports_year(driver, tmp_path):
    driver.set_window_size(1400, 1000)
    page = Page(driver, tmp_path / "新.yaml", year=2025)
    try:
        date = page.field("发布日期")
        assert date.get_attribute("placeholder") == "2026-01-20"
        driver.find_element(By.CSS_SELECTOR, "select[data-path='[\"年度\"]'] option[value='2023']").click()
        page.wait(lambda: page.field("发布日期").get_attribute("placeholder") == "2024-01-20")
        driver.find_element(By.CSS_SELECTOR, "select[data-path='[\"年度\"]'] option[value='2020']").click()
        page.wait(lambda: "本年新制作数量" in driver.find_element(By.CSS_SELECTOR, "table.proactive").text)
        assert page.field("发布日期").get_attribute("placeholder") == "2021-01-20"
    finally:
        page.close()


# -- 1000 and 1400 pixels ------------------------------------------------------------------------

HEADER_LINES = """
    return Array.from(document.querySelectorAll('table.grid th.head')).filter((th) => th.offsetParent).map((th) => {
        const lines = new Map();
        const walker = document.createTreeWalker(th, NodeFilter.SHOW_TEXT);
        let node;
        while ((node = walker.nextNode())) {
            for (let i = 0; i < node.length; i++) {
                const range = document.createRange();
                range.setStart(node, i);
                range.setEnd(node, i + 1);
                const box = range.getBoundingClientRect();
                if (!box.width || !node.data[i].trim()) continue;
                const top = Math.round(box.top);
                lines.set(top, (lines.get(top) || '') + node.data[i]);
            }
        }
        return [th.textContent.replace(/\\s/g, ''), Array.from(lines.values())];
    });
"""


def header_lines_ok(driver) -> None:
    """No column header falls into lone characters; a short header breaks only
    between its words (「商业/企业」, never 「商业企/业」)."""
    for text, lines in driver.execute_script(HEADER_LINES):
        assert all(len(line) > 1 for line in lines) or len(text) == 1, (text, lines)
        if len(text) <= 10 and len(lines) > 1:
            pieces = form.segments(text)
            ends = {len("".join(pieces[:i])) for i in range(len(pieces) + 1)}
            breaks = {len("".join(lines[:i])) for i in range(len(lines) + 1)}
            assert breaks <= ends, (text, lines, pieces)


@browser
def test_a_usable_page_at_1000_and_1400_pixels(page):
    """At 1000 pixels the form and the preview are tabs, each the whole width (the
    preview no longer falls to the bottom of a long page); at 1400 they stand side
    by side. Either way table 三's headers break only between words."""
    driver = page.driver
    page.wait(lambda: driver.execute_script("return innerWidth") == 1400)
    header_lines_ok(driver)
    editor, preview = driver.find_element(By.ID, "editor"), driver.find_element(By.ID, "preview")
    assert editor.is_displayed() and preview.is_displayed()
    assert not driver.find_element(By.ID, "tab-preview").is_displayed()
    side, form_side = rect(driver, preview), rect(driver, editor)
    assert side["left"] >= form_side["right"] and side["top"] < 150 and side["width"] > 450
    table = driver.find_element(By.CSS_SELECTOR, "table.requests")
    assert rect(driver, table)["right"] <= form_side["right"] + 1  # table 三 fits beside the preview

    driver.set_window_size(1000, 900)
    page.wait(lambda: driver.execute_script("return innerWidth") == 1000)
    header_lines_ok(driver)
    preview = driver.find_element(By.ID, "preview")
    assert not preview.is_displayed()  # not fallen to the bottom of the page: on its own tab
    tab = driver.find_element(By.ID, "tab-preview")
    assert tab.is_displayed()
    tab.click()
    page.wait(preview.is_displayed)
    shown = rect(driver, preview)
    assert shown["top"] < 150 and shown["width"] > 900
    assert not driver.find_element(By.ID, "editor").is_displayed()
    driver.find_element(By.ID, "tab-form").click()
    page.wait(lambda: driver.find_element(By.ID, "editor").is_displayed() and not preview.is_displayed())
    # A problem listed at the top brings the form back from the preview tab.
    page.type(page.field(REQUESTS, "商业企业", "本年新收"), "30件")
    page.settled()
    tab.click()
    driver.find_element(By.ID, "next-problem").click()
    page.wait(lambda: driver.find_element(By.ID, "editor").is_displayed())
    assert driver.switch_to.active_element == page.field(REQUESTS, "商业企业", "本年新收")



def test_a_draft_beside_a_file_is_not_built_as_a_report_of_its_own(tmp_path):
    """`mkreport build 文件夹/` over the folder where serve left a draft builds the
    report once, not also 「县.草稿.docx」."""
    folder = tmp_path / "各单位"
    folder.mkdir()
    shutil.copy(EXAMPLES / "shili-county-2023.yaml", folder / "县.yaml")
    shutil.copy(EXAMPLES / "shili-county-2023.yaml", folder / "县.草稿.yaml")
    outdir = tmp_path / "报告"
    code, _, err = invoke("build", folder, "-o", outdir)
    assert code == 0, err
    assert sorted(p.name for p in outdir.glob("*.docx")) == ["县.docx"]
