"""Figures restated in the clerk's own text, against the tables (TEXT-01 … TEXT-05).

Each report here is invented: small tables with known figures, and one
paragraph that restates them rightly or wrongly. Every case runs the real
``mkreport audit --format json`` (for the rule and both figures) and the real
``mkreport check`` (which must say the same words).

The tables below give: 本年新收 164, 上年结转 9, 予以公开 71, 部分公开 17,
不予公开 19, 无法提供 34, 不予处理 12, 其他处理 7, （七）总计 160, 结转下年度 13;
行政复议 6 (维持 3, 纠正 1, 尚未审结 1), 行政诉讼 4 + 2 = 6 (维持 3, 纠正 1,
尚未审结 1); 行政规范性文件 制发 8, 废止 3, 现行有效 64; 处理决定 许可 5230,
处罚 1832, 强制 96.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import build, invoke

TABLES = """\
主动公开政府信息情况:
  行政规范性文件: {本年制发件数: 8, 本年废止件数: 3, 现行有效件数: 64}
  行政许可: {本年处理决定数量: 5230}
  行政处罚: {本年处理决定数量: 1832}
  行政强制: {本年处理决定数量: 96}
收到和处理政府信息公开申请情况:
  自然人:
    本年新收: 130
    上年结转: 6
    予以公开: 55
    部分公开: 13
    不予公开: {保护第三方合法权益: 15}
    无法提供: {本机关不掌握相关政府信息: 28}
    不予处理: {重复申请: 10}
    其他处理: {逾期不补正: 5}
  商业企业:
    本年新收: 34
    上年结转: 3
    予以公开: 16
    部分公开: 4
    不予公开: {属于国家秘密: 4}
    无法提供: {本机关不掌握相关政府信息: 6}
    不予处理: {重复申请: 2}
    其他处理: {其他: 2}
政府信息公开行政复议、行政诉讼情况:
  行政复议: {结果维持: 3, 结果纠正: 1, 其他结果: 1, 尚未审结: 1}
  行政诉讼:
    未经复议直接起诉: {结果维持: 2, 其他结果: 1, 尚未审结: 1}
    复议后起诉: {结果维持: 1, 结果纠正: 1}
"""


def report(text: str, agency: str = "某县审计局", year: int = 2023, tables: str = TABLES,
           extra: str = "") -> str:
    return (f"机关名称: {agency}\n年度: {year}\n{extra}总体情况:\n  概述:\n"
            f"    - {json.dumps(text, ensure_ascii=False)}\n{tables}")


def text_findings(path: Path, *audit_extra: str) -> list[dict]:
    """The findings of ``audit --format json`` about the text's figures (by rule, or by
    their words: 「文字…」); ``check`` must give the same messages."""
    code, out, err = invoke("audit", path, "--format", "json", *audit_extra)
    assert code in (0, 1), err
    found = [f for f in json.loads(out) if f["rule"].startswith("TEXT") or f["message"].startswith("文字")]
    _, check_out, check_err = invoke("check", path)
    for f in found:
        assert f["message"] in check_out + check_err, (f["message"], check_err)
    return found


def findings(tmp_path: Path, text: str, **kwargs) -> list[tuple[str, str, str]]:
    path = tmp_path / "in.yaml"
    path.write_text(report(text, **kwargs), encoding="utf-8")
    return [(f["rule"], f["stated"], f["expected"]) for f in text_findings(path)]


# -- TEXT-01: table 三 ----------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("本年度共收到政府信息公开申请164件。", []),
    ("本年度共收到政府信息公开申请165件。", [("TEXT-01", "165", "164")]),
    ("全年受理政府信息公开申请164件。", []),
    ("全年共受理政府信息公开申请163件。", [("TEXT-01", "163", "164")]),
    ("我局本年度新收政府信息公开申请164起。", []),
    ("我局本年度接收政府信息公开申请160宗。", [("TEXT-01", "160", "164")]),
    ("另有上年结转申请9件。", []),
    ("上年度结转申请8件。", [("TEXT-01", "8", "9")]),
    ("政府信息公开申请结转下年度继续办理13件。", []),
    ("申请结转至下一年度14件。", [("TEXT-01", "14", "13")]),
    ("另有13件申请结转下年度办理。", []),
    ("另有12件申请结转下年度办理。", [("TEXT-01", "12", "13")]),
    ("本年度政府信息公开申请办理完毕160件。", []),
    ("已办结申请161件。", [("TEXT-01", "161", "160")]),
    ("其中，予以公开71件，部分公开17件，不予公开19件，无法提供34件，不予处理12件，其他处理7件。", []),
    ("其中，予以公开70条，部分公开18宗，不予公开20起，无法提供35个，不予处理13件，其他处理8件。",
     [("TEXT-01", "70", "71"), ("TEXT-01", "18", "17"), ("TEXT-01", "20", "19"), ("TEXT-01", "35", "34"),
      ("TEXT-01", "13", "12"), ("TEXT-01", "8", "7")]),
    # Chinese numerals for small counts.
    ("对政府信息公开申请不予处理十二件，其他处理七件。", []),
    ("对政府信息公开申请不予处理十件，其他处理两件。", [("TEXT-01", "10", "12"), ("TEXT-01", "2", "7")]),
    # One reason among several names the outcome's total; one reason alone, its own row.
    ("因本机关不掌握等原因无法提供30件。", [("TEXT-01", "30", "34")]),
], ids=lambda v: v if isinstance(v, str) else None)
def test_table_three_figures(tmp_path, text, expected):
    assert findings(tmp_path, text) == expected


def test_table_three_message_names_sentence_cell_and_both_figures(tmp_path):
    path = tmp_path / "in.yaml"
    path.write_text(report("本年度共收到政府信息公开申请164件，其中予以公开70件。"), encoding="utf-8")
    [found] = text_findings(path)
    assert found["message"] == "文字与表三不一致：写的是「予以公开70件」，表三中「予以公开」为 71"
    assert (found["severity"], found["stated"], found["expected"]) == ("警告", "70", "71")


@pytest.mark.parametrize("text", [
    # A unit's own share next to the total: one of the numbers is the table's.
    "全县共受理政府信息公开申请164件，其中县政府受理申请58件。",
    # Not figures of this year, nor counts of applications.
    "2022年共收到政府信息公开申请120件，本年度收到164件。",
    "去年收到政府信息公开申请120件，办结118件。",
    "收到申请后15个工作日内予以答复，全年未发生逾期。",
    "依申请公开办理中，领导信箱收到留言和办结留言均为1194条。",
    "收到行政复议申请3件。",
    "予以公开、部分公开共88件。",
    "本年度收到政府信息公开申请近200件。",
    "全年共收到申请164件，其中自然人申请130件，法人或其他组织申请34件。",
    "因本机关不掌握相关政府信息无法提供28件。",
    "主动予以公开政府信息520条。",
])
def test_table_three_what_is_not_the_figure_is_passed_over(tmp_path, text):
    assert findings(tmp_path, text) == []


# -- TEXT-02: table 四 ----------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("本年度因政府信息公开被申请行政复议6件、被提起行政诉讼6件。", []),
    ("本年度因政府信息公开被申请行政复议7件、被提起行政诉讼8件。", [("TEXT-02", "7", "6"), ("TEXT-02", "8", "6")]),
    ("本年度因政府信息公开被提起行政诉讼6起、被申请行政复议六起。", []),
    ("发生政府信息公开行政复议案件两起。", [("TEXT-02", "2", "6")]),
    ("本年度因政府信息公开被申请行政复议6起，其中维持3起，纠正1起，尚未审结1起。", []),
    ("本年度因政府信息公开被申请行政复议6起，其中维持2起，纠正2起，尚未审结2起。",
     [("TEXT-02", "2", "3"), ("TEXT-02", "2", "1"), ("TEXT-02", "2", "1")]),
    # The outcomes of 诉讼 add both kinds of lawsuit: 维持 2 + 1.
    ("本年度因政府信息公开被提起行政诉讼6起，其中维持3起，纠正1起。", []),
    ("本年度因政府信息公开被提起行政诉讼6起，其中维持4起。", [("TEXT-02", "4", "3")]),
], ids=lambda v: v if isinstance(v, str) else None)
def test_table_four_figures(tmp_path, text, expected):
    assert findings(tmp_path, text) == expected


def test_table_four_message_names_the_lawsuit_total(tmp_path):
    path = tmp_path / "in.yaml"
    path.write_text(report("本年度因政府信息公开被提起行政诉讼7件。"), encoding="utf-8")
    [found] = text_findings(path)
    assert found["message"] == ("文字与表四不一致：写的是「行政诉讼7件」，表四中「行政诉讼·总计」"
                                "（各类起诉之和）为 6")


@pytest.mark.parametrize("text, agency", [
    # 维持 after both kinds: whose it is, the sentence does not say.
    ("本年度因政府信息公开被申请行政复议6件、被提起行政诉讼6件，其中维持9件。", "某县审计局"),
    # The office that decides reviews, not one being reviewed.
    ("全年共办理行政复议案件320件，其中政府信息公开类6件。", "某县司法局"),
    # In a county's report, the county government's own share.
    ("全县共收到政府信息公开申请164件；县政府被申请行政复议3件，被提起行政诉讼2件，全部维持。", "某县人民政府"),
])
def test_table_four_what_is_not_the_figure_is_passed_over(tmp_path, text, agency):
    assert findings(tmp_path, text, agency=agency) == []


# -- TEXT-03: table 二 ----------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("全年制发行政规范性文件8件，废止3件，现行有效64件。", []),
    ("开展行政规范性文件清理，废止3件。", []),
    ("全年制发行政规范性文件9件，废止规范性文件4件，现行有效的行政规范性文件65件。",
     [("TEXT-03", "9", "8"), ("TEXT-03", "4", "3"), ("TEXT-03", "65", "64")]),
    ("全年作出行政许可决定5230件，行政处罚决定1832件，行政强制决定96件。", []),
    ("全年作出行政许可决定5231件，行政处罚决定1833件，行政强制决定97件。",
     [("TEXT-03", "5231", "5230"), ("TEXT-03", "1833", "1832"), ("TEXT-03", "97", "96")]),
    # Not the counts of table 二.
    ("公开行政处罚决定信息1900条。", []),
    ("全县现行有效规范性文件64件，其中县政府规范性文件30件。", []),
    ("清理失效规范性文件12件。", []),
], ids=lambda v: v if isinstance(v, str) else None)
def test_table_two_figures(tmp_path, text, expected):
    assert findings(tmp_path, text) == expected


def test_table_two_message_names_row_and_column(tmp_path):
    path = tmp_path / "in.yaml"
    path.write_text(report("全年制发行政规范性文件9件。"), encoding="utf-8")
    [found] = text_findings(path)
    assert found["message"] == ("文字与表二不一致：写的是「制发行政规范性文件9件」，"
                                "表二中「行政规范性文件·本年制发件数」为 8")


def test_table_two_in_the_2019_format_published_counts_too(tmp_path):
    tables = "主动公开政府信息情况:\n  规范性文件: {本年新制作数量: 11, 本年新公开数量: 10, 对外公开总数量: 40}\n"
    assert findings(tmp_path, "全年发布规范性文件11件。", year=2020, tables=tables) == []
    assert findings(tmp_path, "全年发布规范性文件10件。", year=2020, tables=tables) == []
    assert findings(tmp_path, "全年制发规范性文件12件。", year=2020, tables=tables) == [("TEXT-03", "12", "11")]


# -- TEXT-04: another reading ---------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    # 173 = 新收 164 + 上年结转 9.
    ("本年度共收到政府信息公开申请173件。", [("TEXT-04", "173", "164")]),
    ("本年度共收到政府信息公开申请173件（含上年结转9件）。", []),
    # 5 = 6 less the one not yet closed.
    ("本年度因政府信息公开被申请行政复议5件、被提起行政诉讼5件。", [("TEXT-04", "5", "6"), ("TEXT-04", "5", "6")]),
    ("本年度因政府信息公开被申请行政复议5件（均已审结）。", []),
    # Neither reading: a plain mismatch.
    ("本年度共收到政府信息公开申请170件。", [("TEXT-01", "170", "164")]),
], ids=lambda v: v if isinstance(v, str) else None)
def test_alternative_readings_are_hints(tmp_path, text, expected):
    assert findings(tmp_path, text) == expected


def test_alternative_reading_says_which_fits(tmp_path):
    path = tmp_path / "in.yaml"
    path.write_text(report("本年度共收到政府信息公开申请173件，被申请行政复议5件。"), encoding="utf-8")
    found = text_findings(path)
    assert [f["severity"] for f in found] == ["提示", "提示"]
    assert "等于本年新收 164 件加上年结转 9 件" in found[0]["message"]
    assert "等于已审结的件数：总计 6 件减尚未审结 1 件" in found[1]["message"]


# -- TEXT-05: shares and changes ------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    # 71 / 160 = 44.375%: 44.4 (or 44.3, cut) at one place, 44 at none; never 45.
    ("全年办结申请160件，其中予以公开71件，占44.4%。", []),
    ("全年办结申请160件，其中予以公开71件，占44.3%。", []),
    ("全年办结申请160件，其中予以公开71件，占44.38%。", []),
    ("全年办结申请160件，其中予以公开71件，占45%。", [("TEXT-05", "45%", "44%")]),
    ("全年办结申请160件，其中予以公开71件，占44.5%。", [("TEXT-05", "44.5%", "44.4%")]),
    # 17 / 160 = 10.625%.
    ("部分公开17件，占10.63%；不予公开19件，占11.88%。", []),
    ("部分公开17件，占10.65%。", [("TEXT-05", "10.65%", "10.63%")]),
    # Of the applications received: 71 / 164 = 43.29%.
    ("予以公开71件，占收到申请的43.3%。", []),
    ("予以公开71件，占办结总数的43.3%。", [("TEXT-05", "43.3%", "44.4%")]),
], ids=lambda v: v if isinstance(v, str) else None)
def test_shares_are_recomputed(tmp_path, text, expected):
    assert findings(tmp_path, text) == expected


LAST = "收到和处理政府信息公开申请情况:\n  自然人: {{本年新收: {n}, 予以公开: {n}}}\n" \
       "政府信息公开行政复议、行政诉讼情况:\n  行政复议: {{结果维持: {r}}}\n"


def two_years(tmp_path: Path, text: str) -> Path:
    """Last year 185 applications and 4 reviews; this year 187 and 2."""
    (tmp_path / "2022.yaml").write_text(report("概括。", year=2022, tables=LAST.format(n=185, r=4)),
                                        encoding="utf-8")
    path = tmp_path / "2023.yaml"
    path.write_text(report(text, tables=LAST.format(n=187, r=2), extra="上年报告: 2022.yaml\n"), encoding="utf-8")
    return path


@pytest.mark.parametrize("text, expected", [
    # (187 − 185) / 185 = 1.081%: 1.05 is wrong at two places, 1.1 right at one.
    ("本年度共收到政府信息公开申请187件，同比增长1.05%。", [("TEXT-05", "增长1.05%", "增长1.08%")]),
    ("本年度共收到政府信息公开申请187件，同比增长1.08%。", []),
    ("本年度共收到政府信息公开申请187件，同比增长1.1%。", []),
    ("本年度共收到政府信息公开申请187件，同比下降1.1%。", [("TEXT-05", "下降1.1%", "增长1.1%")]),
    ("本年度共收到政府信息公开申请187件，较上年增加2件。", []),
    ("本年度共收到政府信息公开申请187件，较上年增加3件，增长1.6%。",
     [("TEXT-05", "增加3件", "增加2件"), ("TEXT-05", "增长1.6%", "增长1.1%")]),
    ("本年度共收到政府信息公开申请187件，与上年持平。", [("TEXT-05", "持平", "增加2件")]),
    ("本年度因政府信息公开被申请行政复议2件，同比下降50%。", []),
    ("本年度因政府信息公开被申请行政复议2件，同比下降40%。", [("TEXT-05", "下降40%", "下降50%")]),
    # Not said of a figure of the tables: nothing to recompute.
    ("12345热线受理来电1800件，同比增长9%。", []),
], ids=lambda v: v if isinstance(v, str) else None)
def test_changes_against_last_year(tmp_path, text, expected):
    path = two_years(tmp_path, text)
    found = [(f["rule"], f["stated"], f["expected"]) for f in text_findings(path)]
    assert found == expected
    # audit with --previous says the same of the file without 上年报告.
    alone = tmp_path / "alone.yaml"
    alone.write_text(report(text, tables=LAST.format(n=187, r=2)), encoding="utf-8")
    code, out, _ = invoke("audit", alone, "--previous", tmp_path / "2022.yaml", "--format", "json")
    assert [(f["rule"], f["stated"], f["expected"]) for f in json.loads(out) if f["rule"] == "TEXT-05"] == \
        [e for e in expected if e[0] == "TEXT-05"]


def test_change_message_names_both_years(tmp_path):
    [found] = text_findings(two_years(tmp_path, "本年度共收到政府信息公开申请187件，同比增长1.05%。"))
    assert found["message"] == ("文字中的增减与上年报告不一致：写的是「收到政府信息公开申请187件，同比增长1.05%」，"
                                "表三「本年新收」本年 187，上年报告为 185，实际增长1.08%")


def test_change_without_last_years_report_is_not_guessed(tmp_path):
    assert findings(tmp_path, "本年度共收到政府信息公开申请164件，同比增长1.05%。") == []


# -- The same in a published report ---------------------------------------------------------

def test_published_report_is_checked_the_same(tmp_path):
    source = tmp_path / "in.yaml"
    source.write_text(report("本年度因政府信息公开被申请行政复议7件，其中予以公开71件，占45%。"), encoding="utf-8")
    expected = sorted((f["rule"], f["message"]) for f in text_findings(source))
    assert [rule for rule, _ in expected] == ["TEXT-02", "TEXT-05"]
    document = build(source, tmp_path)
    code, out, _ = invoke("audit", document, "--format", "json")
    assert sorted((f["rule"], f["message"]) for f in json.loads(out) if f["rule"].startswith("TEXT")) == expected


# -- Work bounded by the text ---------------------------------------------------------------

def test_long_paragraphs_of_figures_are_read_in_bounded_time(tmp_path):
    import time

    text = "被申请行政复议1件、收到政府信息公开申请一件，予以公开71件，占" * 2000
    path = tmp_path / "in.yaml"
    path.write_text(report(text), encoding="utf-8")
    start = time.perf_counter()
    found = text_findings(path)
    assert time.perf_counter() - start < 20
    assert {f["rule"] for f in found} == {"TEXT-01", "TEXT-02"}


def test_changes_are_checked_across_a_folder_of_years(tmp_path):
    """A folder holding two years of one body: the stated change is checked as with --previous."""
    base = ("机关名称: 某县审计局\n年度: {year}\n总体情况:\n  概述: {text}\n"
            "收到和处理政府信息公开申请情况:\n  自然人: {{本年新收: {n}, 予以公开: {n}}}\n")
    (tmp_path / "2023.yaml").write_text(base.format(year=2023, text="概括。", n=10), encoding="utf-8")
    (tmp_path / "2024.yaml").write_text(
        base.format(year=2024, text="全年共收到政府信息公开申请12件，较上年增加5件。", n=12), encoding="utf-8")
    code, out, _ = invoke("audit", str(tmp_path), "--format", "json")
    found = [f for f in json.loads(out) if f.get("rule") == "TEXT-05"]
    assert len(found) == 1 and found[0]["file"].endswith("2024.yaml") and "实际增加2件" in found[0]["message"]
    (tmp_path / "2024.yaml").write_text(
        base.format(year=2024, text="全年共收到政府信息公开申请12件，较上年增加2件。", n=12), encoding="utf-8")
    code, out, _ = invoke("audit", str(tmp_path), "--format", "json")
    assert not [f for f in json.loads(out) if f.get("rule") == "TEXT-05"]


@pytest.mark.parametrize("text, rule, found", [
    ("本年度未收到政府信息公开申请。", "TEXT-01", True),
    ("本年度未发生因政府信息公开引起的行政复议、行政诉讼。", "TEXT-02", True),
    ("上年未收到政府信息公开申请，本年度有所增加。", "TEXT-01", False),
    ("本年度未收到法人或其他组织的申请。", "TEXT-01", False),
])
def test_text_saying_none_where_the_table_has_some(tmp_path, text, rule, found):
    source = tmp_path / "a.yaml"
    source.write_text("机关名称: 某县审计局\n年度: 2024\n总体情况:\n  概述: " + text + "\n"
                      "收到和处理政府信息公开申请情况:\n  自然人: {本年新收: 3, 予以公开: 3}\n"
                      "政府信息公开行政复议、行政诉讼情况:\n  行政复议: {结果维持: 1}\n", encoding="utf-8")
    code, _, err = invoke("check", str(source))
    assert ("文字与表三不一致" in err or "文字与表四不一致" in err) == found, err
