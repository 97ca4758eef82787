"""Published reports read back into input files: our own documents in every form,
the five real seed texts, and documents laid out differently from ours."""

from __future__ import annotations

import shutil
from pathlib import Path

import docx
import pytest
import yaml
from helpers import DATA, EXAMPLES, ROOT, invoke, variant_of

from generator.checks.validate import check_file

SEEDS = ROOT.parent / "shared" / "seeds"
HAVE_OFFICE = shutil.which("soffice") is not None


def figures(report) -> tuple:
    """Every figure of the three tables (computed ones too) and table 四's notes."""
    return ({k: v.value for k, v in report.proactive.items()}, dict(report.requests.cells),
            {k: (v.value, v.note) for k, v in report.appeals.items()})


def paragraph_texts(path: Path) -> list[str]:
    return [p.text for p in docx.Document(str(path)).paragraphs]


def import_to(source: Path, tmp_path: Path, name: str = "导入.yaml", *extra) -> tuple[Path, str]:
    output = tmp_path / name
    code, out, err = invoke("import", source, "-o", output, *extra)
    assert code == 0, err
    return output, err


@pytest.mark.parametrize("kind", [".docx", ".html", ".pdf"])
@pytest.mark.parametrize("example", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.stem)
def test_round_trip(example, kind, tmp_path):
    if kind == ".pdf" and not HAVE_OFFICE:
        pytest.skip("LibreOffice not installed")
    shutil.copytree(EXAMPLES / "variants", tmp_path / "variants")
    source = tmp_path / example.name
    shutil.copy(example, source)
    published = tmp_path / f"发布{kind}"
    code, _, err = invoke(source, "-o", published)
    assert code == 0, err
    variant = ["--format-file", tmp_path / variant_of(source)] if variant_of(source) else []
    imported, _ = import_to(published, tmp_path, "导入.yaml", *variant)
    ours, theirs = check_file(source), check_file(imported)
    assert not theirs.errors, [str(p) for p in theirs.errors]
    assert figures(theirs.report) == figures(ours.report)
    # The same paragraphs, sentences mkreport writes itself included.
    again = tmp_path / "again.docx"
    code, _, err = invoke(imported, "-o", again)
    assert code == 0, err
    original = tmp_path / "original.docx"
    assert invoke(source, "-o", original)[0] == 0
    assert paragraph_texts(again) == paragraph_texts(original)


SEED_EXAMPLES = {"000": "yueqing-commerce-2020", "001": "yueqing-affairs-2020", "003": "yongkang-commerce-2020",
                 "004": "mouxian-commerce-2021"}


@pytest.mark.skipif(not SEEDS.is_dir(), reason="shared/seeds not beside the repository")
@pytest.mark.parametrize("seed", sorted(SEED_EXAMPLES))
def test_seed_texts_import_to_their_figures(seed, tmp_path):
    text = next(SEEDS.glob(f"{seed}_*.txt"))
    imported, _ = import_to(text, tmp_path)
    ours = check_file(EXAMPLES / f"{SEED_EXAMPLES[seed]}.yaml").report
    theirs = check_file(imported).report
    assert theirs is not None
    assert figures(theirs) == figures(ours)


@pytest.mark.skipif(not SEEDS.is_dir(), reason="shared/seeds not beside the repository")
def test_city_report_printed_totals_are_reported_not_copied(tmp_path):
    text = next(SEEDS.glob("002_*.txt"))
    imported, err = import_to(text, tmp_path)
    # The rows as printed, 结转 as printed; the wrong （七）总计 is named, not copied.
    assert figures(check_file(imported).report) == figures(check_file(DATA / "yueqing-city-2020-as-published.yaml").report)
    assert "表三（七）总计「自然人」列印的是 370，各项之和为 372" in err
    assert "表三（七）总计「商业企业」列印的是 27，各项之和为 24" in err
    assert "表三（七）总计「自然人」列印的是 370" in imported.read_text(encoding="utf-8")
    code, _, err = invoke("check", imported)
    assert code == 1 and "结转下年度应为 10" in err


# -- Documents made differently from ours ---------------------------------------

ROWS_2021 = [
    ("一、本年新收政府信息公开申请数量", [5, 2, 0, 0, 0, 0, 7]),
    ("二、上年结转政府信息公开申请数量", [1, 0, 0, 0, 0, 0, 1]),
    ("（一）予以公开", [3, 1, 0, 0, 0, 0, 4]),
    ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", [1, 0, 0, 0, 0, 0, 1]),
    ("1.属于国家秘密", [0] * 7), ("2.其他法律行政法规禁止公开", [0] * 7),
    ("3.危及“三安全一稳定”", [0] * 7), ("4.保护第三方合法权益", [1, 0, 0, 0, 0, 0, 1]),
    ("5.属于三类内部事务信息", [0] * 7), ("6.属于四类过程性信息", [0] * 7),
    ("7.属于行政执法案卷", [0] * 7), ("8.属于行政查询事项", [0] * 7),
    ("1.本机关不掌握相关政府信息", [1, 1, 0, 0, 0, 0, 2]),
    ("2.没有现成信息需要另行制作", [0] * 7), ("3.补正后申请内容仍不明确", [0] * 7),
    ("1.信访举报投诉类申请", [0] * 7), ("2.重复申请", [0] * 7), ("3.要求提供公开出版物", [0] * 7),
    ("4.无正当理由大量反复申请", [0] * 7), ("5.要求行政机关确认或重新出具已获取信息", [0] * 7),
    ("1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", [0] * 7),
    ("2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", [0] * 7),
    ("3.其他", [0] * 7),
    ("（七）总计", [6, 2, 0, 0, 0, 0, 8]),
    ("四、结转下年度继续办理", [0] * 7),
]


def other_document(path: Path, rows=ROWS_2021, relabel=lambda s: s, header=lambda s: s) -> Path:
    """A report as another office's Word file: plain tables without merged cells."""
    document = docx.Document()
    document.add_paragraph("某县交通运输局2023年政府信息公开工作年度报告")
    document.add_paragraph("一、总体情况")
    document.add_paragraph("（一）主动公开")
    document.add_paragraph("全年主动公开政府信息120条。")
    document.add_paragraph("二、主动公开政府信息情况")
    table = document.add_table(rows=0, cols=4)
    for cells in (["第二十条第（一）项"], ["信息内容", *map(header, ["本年制发件数", "本年废止件数", "现行有效件数"])],
                  [relabel("规章"), "0", "0", "0"], [relabel("行政规范性文件"), "1", "0", "9"],
                  ["第二十条第（五）项"], ["信息内容", "本年处理决定数量"], [relabel("行政许可"), "35"],
                  ["第二十条第（六）项"], ["信息内容", "本年处理决定数量"], [relabel("行政处罚"), "12"],
                  [relabel("行政强制"), "0"], ["第二十条第（八）项"], ["信息内容", header("本年收费金额（单位：万元）")],
                  [relabel("行政事业性收费"), "0"]):
        row = table.add_row().cells
        for cell, text in zip(row, cells):
            cell.text = text
    document.add_paragraph("三、收到和处理政府信息公开申请情况")
    table = document.add_table(rows=0, cols=8)
    header = table.add_row().cells
    for cell, text in zip(header, ["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "自然人",
                                   "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]):
        cell.text = text
    for label, numbers in rows:
        row = table.add_row().cells
        for cell, text in zip(row, [relabel(label), *map(str, numbers)]):
            cell.text = text
    document.add_paragraph("四、政府信息公开行政复议、行政诉讼情况")
    table = document.add_table(rows=2, cols=15)
    for cell, value in zip(table.rows[1].cells, [1, 0, 0, 0, 1] + [0] * 10):
        cell.text = str(value)
    document.add_paragraph("五、存在的主要问题及改进情况")
    document.add_paragraph("（一）存在的主要问题")
    document.add_paragraph("解读形式单一。")
    document.add_paragraph("六、其他需要报告的事项")
    document.add_paragraph("本年度未收取信息处理费。")
    document.save(str(path))
    return path


def _requests(path: Path) -> dict:
    report = check_file(path).report
    fmt = report.fmt
    return {row[-1]: report.requests.get(row, fmt.total_applicant()) for row, _ in fmt.request_rows.leaves()}


@pytest.mark.parametrize("relabel", [
    lambda s: s,
    lambda s: " ".join(s),  # a space between every character, as WPS exports some tables
    lambda s: s.replace(".", "、").replace("（", "(").replace("）", ")"),  # other numbering and brackets
    lambda s: s[: len(s) // 2] + "\n" + s[len(s) // 2:] if len(s) > 6 else s,  # wrapped mid-word
], ids=["plain", "spaced", "numbering", "wrapped"])
def test_documents_laid_out_differently(relabel, tmp_path):
    source = other_document(tmp_path / "交通.docx", relabel=relabel)
    imported, _ = import_to(source, tmp_path)
    checked = check_file(imported)
    assert not checked.errors, [str(p) for p in checked.errors]
    report = checked.report
    assert report.agency == "某县交通运输局" and report.year == 2023
    totals = _requests(imported)
    assert totals["本年新收"] == 7 and totals["本机关不掌握相关政府信息"] == 2 and totals["总计"] == 8
    assert report.proactive[("行政许可", "本年处理决定数量")].value == 35
    assert report.overview["主动公开"] == ["全年主动公开政府信息120条。"]


def test_collapsed_other_row_is_placed_and_said(tmp_path):
    rows = [r for r in ROWS_2021 if not r[0].startswith(("1.申请人", "2.申请人", "3.其他"))]
    at = next(i for i, r in enumerate(rows) if r[0] == "（七）总计")
    rows.insert(at, ("（六）其他处理", [1, 0, 0, 0, 0, 0, 1]))
    rows[0] = ("一、本年新收政府信息公开申请数量", [6, 2, 0, 0, 0, 0, 8])
    rows[at + 1] = ("（七）总计", [7, 2, 0, 0, 0, 0, 9])
    source = other_document(tmp_path / "一行.docx", rows=rows)
    imported, err = import_to(source, tmp_path)
    assert "「（六）其他处理」只印了一行" in err
    assert _requests(imported)["其他"] == 1


def test_what_is_not_a_report_is_refused(tmp_path):
    document = docx.Document()
    document.add_paragraph("会议纪要")
    document.save(str(tmp_path / "纪要.docx"))
    code, _, err = invoke("import", tmp_path / "纪要.docx", "-o", tmp_path / "x.yaml")
    assert code == 1 and "无法识别为政府信息公开工作年度报告" in err and "标题" in err
    assert not (tmp_path / "x.yaml").exists()
    # A report whose table 三 is cut short is refused whole, never half-read.
    source = other_document(tmp_path / "缺行.docx", rows=ROWS_2021[:10])
    code, _, err = invoke("import", source, "-o", tmp_path / "y.yaml")
    assert code == 1 and "表三中找不到" in err


# -- Auditing published reports ----------------------------------------------------

@pytest.mark.skipif(not SEEDS.is_dir(), reason="shared/seeds not beside the repository")
def test_audit_finds_what_evaluators_find(tmp_path):
    import csv
    import io
    import json

    code, out, _ = invoke("audit", SEEDS, "--format", "json")
    assert code == 1  # seed 002 does not balance
    findings = json.loads(out)
    city = [f for f in findings if "002_" in f["file"] and f["severity"] == "错误"]
    assert {f["place"] for f in city} >= {"表三·自然人·结转下年度", "表三·商业企业·结转下年度"}
    assert any("（七）总计「自然人」列印的是 370" in f["message"] for f in city)
    commerce = [f for f in findings if "000_" in f["file"]]
    assert any("不予公开政府信息53条" in f["message"] and f["severity"] == "警告" for f in commerce)
    assert not [f for f in findings if "003_" in f["file"] and f["severity"] == "错误"]
    code, out, _ = invoke("audit", SEEDS, "--format", "csv")
    rows = list(csv.reader(io.StringIO(out.removeprefix("\ufeff"))))
    assert rows[0] == ["文件", "规则", "严重程度", "位置", "问题", "报告中写的", "应为"] and len(rows) == len(findings) + 1


def test_audit_with_last_year(tmp_path):
    last = tmp_path / "2022.yaml"
    last.write_text("机关名称: 某县商务局\n年度: 2022\n总体情况:\n  概述: 本年度我局认真贯彻落实政府信息公开条例，"
                    "全面推进决策、执行、管理、服务、结果公开，取得了较好成效。\n"
                    "主动公开政府信息情况:\n  行政许可: {本年处理决定数量: 10}\n"
                    "收到和处理政府信息公开申请情况:\n  自然人: {本年新收: 3, 予以公开: 1, 结转下年度: 2}\n",
                    encoding="utf-8")
    now = tmp_path / "2023.yaml"
    now.write_text("机关名称: 某县商务局\n年度: 2023\n总体情况:\n  概述: 本年度我局认真贯彻落实政府信息公开条例，"
                   "全面推进决策、执行、管理、服务、结果公开，取得了较好成效。\n"
                   "主动公开政府信息情况:\n  行政许可: {本年处理决定数量: 80}\n", encoding="utf-8")
    published = tmp_path / "2023.docx"
    assert invoke(now, "-o", published)[0] == 0
    code, out, _ = invoke("audit", published, "--previous", last)
    assert "上年结转" in out  # last year's 2 carried over are missing
    assert "变化超过 5 倍" in out and "与上年报告几乎相同" in out


def test_saved_portal_page_with_navigation_and_footer(tmp_path):
    page = tmp_path / "report.html"
    assert invoke(EXAMPLES / "yongkang-commerce-2020.yaml", "-o", page)[0] == 0
    text = page.read_text(encoding="utf-8")
    nav = '<div class="nav">' + "".join(f'<a href="#">栏目{i}</a><br>' for i in range(150)) + "</div>"
    text = text.replace("<body>", "<body>" + nav, 1).replace(
        "</body>", "<div><p>版权所有：示例市人民政府</p><p>网站标识码 1234567890</p></div></body>")
    portal = tmp_path / "门户网站.html"
    portal.write_text(text, encoding="utf-8")
    imported, err = import_to(portal, tmp_path)
    # The page's footer is not the report: left out (tests/test_portal_pages.py has more).
    assert "版权所有" not in err and "版权所有" not in imported.read_text(encoding="utf-8")
    ours = check_file(EXAMPLES / "yongkang-commerce-2020.yaml").report
    theirs = check_file(imported).report
    assert figures(theirs) == figures(ours) and theirs.date == ours.date and theirs.other_items == ours.other_items


def imported_and_rebuilt(source: Path, tmp_path: Path):
    """A document imported, checked, and built again: the checked model and table 二."""
    imported, _ = import_to(source, tmp_path)
    checked = check_file(imported)
    assert not checked.errors
    again = tmp_path / "again.docx"
    assert invoke(imported, "-o", again)[0] == 0
    return checked, docx.Document(str(again)).tables[0]


def test_local_short_row_name_is_read_and_kept(tmp_path):
    """Several 2021–2024 reports print 「规范性文件」 for 「行政规范性文件」."""
    source = other_document(tmp_path / "简称.docx", relabel=lambda s: "规范性文件" if s == "行政规范性文件" else s)
    checked, table = imported_and_rebuilt(source, tmp_path)
    assert checked.report.proactive[("行政规范性文件", "现行有效件数")].value == 9
    assert [c.text for c in table.rows[3].cells][0] == "规范性文件"


def test_local_column_headers_are_kept(tmp_path):
    """Seed 004 prints 「本年收费金额（单位：万元，保留4位小数）」; others 「本年新制发件数」."""
    local = {"本年收费金额（单位：万元）": "本年收费金额（单位：万元，保留4位小数）", "本年制发件数": "本年新制发件数"}
    source = other_document(tmp_path / "表头.docx", header=lambda s: local.get(s, s))
    checked, table = imported_and_rebuilt(source, tmp_path)
    assert checked.report.proactive[("行政规范性文件", "本年制发件数")].value == 1
    printed = {c.text for row in table.rows for c in row.cells}
    assert set(local.values()) <= printed and not set(local) & printed


@pytest.mark.skipif(not SEEDS.is_dir(), reason="shared/seeds not beside the repository")
def test_seed_without_county_in_title_and_with_local_fee_header(tmp_path):
    """Seed 004: a stray 「一、总体情况」 above a title that lacks the county name."""
    imported, err = import_to(next(SEEDS.glob("004_*.txt")), tmp_path)
    checked = check_file(imported)
    assert checked.report.agency == "商务局"
    labels = yaml.safe_load(imported.read_text(encoding="utf-8"))["表头调整"]
    assert labels == {"表二/第二十条第（八）项/本年收费金额": "本年收费金额（单位：万元，保留4位小数）"}
