"""mkreport serve in a real headless Chromium: what a clerk does with the page.

Needs Debian's chromium and chromium-driver and the selenium package (CI installs
them); without them these tests are skipped locally and fail on CI.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
from pathlib import Path

import pytest
from browser import Page, chrome, chromium_paths, last_year_and_a_new_folder
from helpers import EXAMPLES, invoke

from generator.serving import server

try:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
except ImportError:  # pragma: no cover - reported by the skip below
    By = Keys = None

MISSING = By is None or None in chromium_paths()
pytestmark = pytest.mark.skipif(MISSING and not os.environ.get("CI"),
                                reason="needs selenium, chromium and chromedriver")

REQUESTS = "收到和处理政府信息公开申请情况"


@pytest.fixture(scope="module")
def driver():
    browser = chrome(1400, 1000)
    yield browser
    browser.quit()


@pytest.fixture
def page(driver, tmp_path):
    shutil.copy(EXAMPLES / "shili-county-2023.yaml", tmp_path / "county.yaml")
    opened = Page(driver, tmp_path / "county.yaml")
    yield opened
    opened.close()


def test_typing_a_figure_updates_the_totals(page):
    cell = page.field(REQUESTS, "自然人", "予以公开")
    row, col = int(cell.get_attribute("data-r")), int(cell.get_attribute("data-c"))
    table = page.driver.find_element(By.CSS_SELECTOR, "table.requests")
    last_col = max(int(c.get_attribute("data-c")) for c in table.find_elements(By.CSS_SELECTOR, "[data-c]"))
    total_row = next(int(c.get_attribute("data-r")) for c in table.find_elements(By.CSS_SELECTOR, "td.calc")
                     if int(c.get_attribute("data-c")) == col)
    # The example's figures: 予以公开 48+15+2+1+2+3 = 71; 自然人's （七）总计 118.
    assert page.computed("requests", row, last_col) == "71"
    assert page.computed("requests", total_row, col) == "118"
    page.type(cell, "50")
    page.wait(lambda: page.computed("requests", row, last_col) == "73")
    page.wait(lambda: page.computed("requests", total_row, col) == "120")
    carried = page.field(REQUESTS, "自然人", "结转下年度")
    page.wait(lambda: carried.get_attribute("placeholder") == "6")  # 120 + 6 − 120


def test_unbalanced_column_shows_its_message_there(page):
    page.type(page.field(REQUESTS, "商业企业", "结转下年度"), "5")
    column = json.dumps([REQUESTS, "商业企业"], ensure_ascii=False, separators=(",", ":"))
    marker = page.driver.find_element(By.CSS_SELECTOR, f"td.col-msg[data-path='{column}']")
    page.wait(lambda: "bad" in marker.get_attribute("class"))
    messages = page.driver.find_element(By.CSS_SELECTOR, "fieldset.table-section .table-msgs[data-msgs-for*='收到']")
    assert "「商业企业」列" in messages.text and "结转下年度应为 3" in messages.text
    others = page.driver.find_elements(By.CSS_SELECTOR, "td.col-msg.bad")
    assert len(others) == 1
    assert "1 处错误" in page.status()


def test_paste_from_excel_fills_table_three(page):
    start = page.field(REQUESTS, "自然人", "不予公开", "属于国家秘密")
    block = "7\t1\t0\n8\t2\t12件\n"  # two rows, three columns, one slip
    page.driver.execute_script("""
        const target = arguments[0];
        const data = new DataTransfer();
        data.setData('text/plain', arguments[1]);
        target.focus();
        target.dispatchEvent(new ClipboardEvent('paste', {clipboardData: data, bubbles: true, cancelable: true}));
    """, start, block)
    assert page.field(REQUESTS, "自然人", "不予公开", "属于国家秘密").get_attribute("value") == "7"
    assert page.field(REQUESTS, "商业企业", "不予公开", "属于国家秘密").get_attribute("value") == "1"
    assert page.field(REQUESTS, "科研机构", "不予公开", "其他法律行政法规禁止公开").get_attribute("value") == "12件"
    hint = page.wait(lambda: [e.text for e in page.driver.find_elements(By.CSS_SELECTOR, "table.requests .msg")
                              if "12件" in e.text or "件" in e.text])
    assert hint
    code, _, err = invoke("check", page.session.path)  # the file itself is untouched until saved
    assert code == 0


def test_keys_move_between_cells_like_a_spreadsheet(page):
    cell = page.field(REQUESTS, "自然人", "本年新收")
    cell.click()
    cell.send_keys(Keys.ARROW_DOWN)
    active = page.driver.switch_to.active_element
    assert json.loads(active.get_attribute("data-path")) == [REQUESTS, "自然人", "上年结转"]
    active.send_keys(Keys.ENTER)
    active = page.driver.switch_to.active_element
    assert json.loads(active.get_attribute("data-path")) == [REQUESTS, "自然人", "予以公开"]
    active.send_keys(Keys.END, Keys.ARROW_RIGHT)
    active = page.driver.switch_to.active_element
    assert json.loads(active.get_attribute("data-path")) == [REQUESTS, "商业企业", "予以公开"]
    active.send_keys(Keys.TAB)
    active = page.driver.switch_to.active_element
    assert json.loads(active.get_attribute("data-path")) == [REQUESTS, "科研机构", "予以公开"]


def test_a_new_report_typed_in_the_page_saves_as_the_hand_written_file(driver, tmp_path):
    new = tmp_path / "新报告.yaml"
    page = Page(driver, new)
    try:
        page.type(page.field("机关名称"), "某县统计局")
        page.driver.find_element(By.CSS_SELECTOR, "select[data-path='[\"年度\"]'] option[value='2023']").click()
        page.type(page.field("发布日期"), "2024-01-18")
        overview = page.field("总体情况", "概述")
        overview.find_element(By.CSS_SELECTOR, "button.add").click()
        page.driver.switch_to.active_element.send_keys("2023年，我局认真贯彻《条例》。")
        page.type(page.field("主动公开政府信息情况", "规章", "现行有效件数"), "3")
        page.type(page.field(REQUESTS, "自然人", "本年新收"), "4")
        page.type(page.field(REQUESTS, "自然人", "予以公开"), "3")
        page.type(page.field(REQUESTS, "自然人", "无法提供", "本机关不掌握相关政府信息"), "1")
        page.settled()
        page.driver.find_element(By.ID, "save").click()
        page.wait(lambda: new.exists() and "已保存" in page.driver.find_element(By.ID, "notice").text)
    finally:
        page.close()
    by_hand = tmp_path / "手写.yaml"
    by_hand.write_text(
        "机关名称: 某县统计局\n年度: 2023\n发布日期: 2024-01-18\n"
        "总体情况:\n  概述:\n    - 2023年，我局认真贯彻《条例》。\n"
        "主动公开政府信息情况:\n  规章: {现行有效件数: 3}\n"
        "收到和处理政府信息公开申请情况:\n  自然人:\n    本年新收: 4\n    予以公开: 3\n"
        "    无法提供: {本机关不掌握相关政府信息: 1}\n", encoding="utf-8")
    ours, theirs = tmp_path / "ours.docx", tmp_path / "theirs.docx"
    code, _, err = invoke(new, "-o", ours)
    assert code == 0, err
    assert invoke(by_hand, "-o", theirs)[0] == 0
    assert ours.read_bytes() == theirs.read_bytes()


def test_choosing_a_2020_report_redraws_the_tables_in_the_2019_format(driver, tmp_path):
    page = Page(driver, tmp_path / "新.yaml")
    try:
        page.type(page.field("机关名称"), "某县统计局")
        page.driver.find_element(By.CSS_SELECTOR, "select[data-path='[\"年度\"]'] option[value='2020']").click()
        page.wait(lambda: "本年新制作数量" in page.driver.find_element(By.CSS_SELECTOR, "table.proactive").text)
        page.wait(lambda: "没有错误" in page.status())  # the 2021 zeros had nowhere to go, and were left out
        page.type(page.field(REQUESTS, "自然人", "本年新收"), "2")
        page.type(page.field(REQUESTS, "自然人", "予以公开"), "2")
        page.settled()
        page.wait(lambda: "没有错误" in page.status())
    finally:
        page.close()


def test_dropping_last_years_report_starts_this_year(driver, tmp_path):
    last, folder = last_year_and_a_new_folder(tmp_path)
    page = Page(driver, folder / "2024.yaml")
    try:
        page.driver.execute_script("""
            const bytes = Uint8Array.from(atob(arguments[0]), (c) => c.charCodeAt(0));
            const data = new DataTransfer();
            data.items.add(new File([bytes], arguments[1]));
            document.getElementById('drop').dispatchEvent(
                new DragEvent('drop', {dataTransfer: data, bubbles: true, cancelable: true}));
        """, base64.b64encode(last.read_bytes()).decode(), last.name)
        page.wait(lambda: page.field("机关名称").get_attribute("value") == "示例县人民政府")
        assert page.field("联系方式", "邮编").get_attribute("value") == "310000"
        assert page.field(REQUESTS, "自然人", "上年结转").get_attribute("value") == "8"
        assert "已按 2023年报告.docx 填好" in page.driver.find_element(By.ID, "notice").text
        # The file is written only when the clerk saves; until then the changes are in the draft.
        page.wait(lambda: [p.name for p in folder.iterdir()] == ["2024.草稿.yaml"])
        assert "示例县人民政府" in (folder / "2024.草稿.yaml").read_text(encoding="utf-8")
    finally:
        page.close()


def test_a_stopped_server_is_said_in_chinese(driver, tmp_path):
    shutil.copy(EXAMPLES / "shili-county-2023.yaml", tmp_path / "county.yaml")
    page = Page(driver, tmp_path / "county.yaml")
    page.close()
    page.type(page.field("机关名称"), "某县")
    notice = page.driver.find_element(By.ID, "notice")
    page.wait(lambda: "连接不上 mkreport" in notice.text)


def saved_by_serve(source: Path, path: Path, change=None) -> None:
    """``source`` as serve writes it (so the page needs no 「手工编辑过」 confirmation)."""
    shutil.copy(source, path)
    session = server.Session(path)
    data = session.open()["data"]
    if change:
        change(data)
    session.save(data, confirmed=True, version=session.version)


def notice_button(page: Page, label: str):
    return page.wait(lambda: next(b for b in page.driver.find_elements(By.CSS_SELECTOR, "#notice button")
                                  if b.text == label))


def test_two_tabs_on_one_file_never_undo_each_others_save(driver, tmp_path):
    """Tab B, opened before tab A saved, cannot silently overwrite A's save: it is
    told so and offered 「重新载入」 or 「仍然保存（覆盖）」."""
    path = tmp_path / "county.yaml"
    saved_by_serve(EXAMPLES / "shili-county-2023.yaml", path)
    page = Page(driver, path)
    tab_a = driver.current_window_handle
    driver.switch_to.new_window("tab")
    tab_b = driver.current_window_handle
    try:
        driver.get(server.address(page.httpd, page.session))
        page.wait(lambda: "没有错误" in page.status())
        driver.switch_to.window(tab_a)
        page.type(page.field("编制单位"), "甲窗口的修改")
        page.settled()
        driver.find_element(By.ID, "save").click()
        page.wait(lambda: "已保存" in driver.find_element(By.ID, "notice").text)
        assert "甲窗口的修改" in path.read_text(encoding="utf-8")

        driver.switch_to.window(tab_b)
        page.type(page.field("发布日期"), "2024-01-21")
        page.settled()
        driver.find_element(By.ID, "save").click()
        page.wait(lambda: "另一个页面" in driver.find_element(By.ID, "notice").text)
        text = path.read_text(encoding="utf-8")
        assert "甲窗口的修改" in text and "2024-01-21" not in text
        notice_button(page, "重新载入").click()
        page.wait(lambda: page.field("编制单位").get_attribute("value") == "甲窗口的修改")
        page.type(page.field("发布日期"), "2024-01-21")
        page.settled()
        driver.find_element(By.ID, "save").click()
        page.wait(lambda: "已保存" in driver.find_element(By.ID, "notice").text)
        text = path.read_text(encoding="utf-8")
        assert "甲窗口的修改" in text and "2024-01-21" in text

        # Tab A is now behind: refused, and the clerk chooses to keep this page's data.
        driver.switch_to.window(tab_a)
        page.type(page.field("机关名称"), "甲窗口的机关")
        page.settled()
        driver.find_element(By.ID, "save").click()
        notice_button(page, "仍然保存（覆盖）").click()
        page.wait(lambda: "已保存" in driver.find_element(By.ID, "notice").text)
        text = path.read_text(encoding="utf-8")
        assert "甲窗口的机关" in text and "2024-01-21" not in text
    finally:
        driver.switch_to.window(tab_b)
        driver.close()
        driver.switch_to.window(tab_a)
        page.close()


def test_a_paragraph_under_a_block_key_is_shown_kept_and_deleted_only_on_request(driver, tmp_path):
    paragraph = "我局高度重视政府信息公开工作。"
    path = tmp_path / "county.yaml"
    saved_by_serve(EXAMPLES / "shili-county-2023.yaml", path, lambda data: data.update({"总体情况": paragraph}))
    page = Page(driver, path)
    try:
        shown = page.wait(lambda: driver.find_element(By.CSS_SELECTOR, ".misplaced textarea"))
        assert shown.get_attribute("value") == paragraph and shown.get_attribute("readonly")
        box = shown.find_element(By.XPATH, "..")
        page.wait(lambda: "分项填写" in box.text)
        overview = page.field("总体情况", "概述")
        assert not overview.find_element(By.CSS_SELECTOR, "button.add").is_enabled()
        page.type(page.field("编制单位"), "县政府办公室")
        page.settled()
        driver.find_element(By.ID, "save").click()
        page.wait(lambda: "已保存" in driver.find_element(By.ID, "notice").text)
        code, _, err = invoke("check", path)
        assert code == 1 and paragraph in path.read_text(encoding="utf-8") and "总体情况" in err

        next(b for b in box.find_elements(By.TAG_NAME, "button") if b.text == "删除这项内容").click()
        driver.switch_to.alert.accept()
        add = overview.find_element(By.CSS_SELECTOR, "button.add")
        page.wait(add.is_enabled)
        add.click()
        driver.switch_to.active_element.send_keys("2023年，我局认真贯彻《条例》。")
        page.settled()
        page.wait(lambda: "没有错误" in page.status())
        driver.find_element(By.ID, "save").click()
        page.wait(lambda: "已保存" in driver.find_element(By.ID, "notice").text)
    finally:
        page.close()
    assert invoke("check", path)[0] == 0
    text = path.read_text(encoding="utf-8")
    assert paragraph not in text and "2023年，我局认真贯彻《条例》。" in text
