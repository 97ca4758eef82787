"""Narrative as printed: run-in sub-headings, local heading wording, and chapters in
a provincial order, read back from documents of every kind."""

from __future__ import annotations

import shutil
from pathlib import Path

import docx
import pytest
import yaml
from helpers import DATA, invoke

from generator.checks.validate import check_file

HAVE_OFFICE = shutil.which("soffice") is not None
RUN_IN = DATA / "run-in-aspects-2024.yaml"


def paragraph_texts(path: Path) -> list[str]:
    return [p.text for p in docx.Document(str(path)).paragraphs]


@pytest.mark.parametrize("kind", [".docx", ".html", ".pdf"])
def test_run_in_aspects_import_to_the_five_keys_and_print_the_same(kind, tmp_path):
    if kind == ".pdf" and not HAVE_OFFICE:
        pytest.skip("LibreOffice not installed")
    published = tmp_path / f"发布{kind}"
    assert invoke(RUN_IN, "-o", published)[0] == 0
    imported = tmp_path / "导入.yaml"
    code, _, err = invoke("import", published, "-o", imported)
    assert code == 0, err
    assert "小标题样式: 接排" in err
    data = yaml.safe_load(imported.read_text(encoding="utf-8"))
    source = yaml.safe_load(RUN_IN.read_text(encoding="utf-8"))
    assert data["小标题样式"] == "接排"
    assert data["表头调整"] == source["表头调整"]
    overview = data["总体情况"]
    for aspect in ("主动公开", "依申请公开", "政府信息管理", "政府信息公开平台建设", "监督保障"):
        expected = source["总体情况"][aspect]
        assert overview[aspect] == (expected if isinstance(expected, list) else [expected])
    assert "小标题" not in overview
    # Rebuilt, the report prints every paragraph as the published one.
    again, original = tmp_path / "again.docx", tmp_path / "original.docx"
    assert invoke(imported, "-o", again)[0] == 0
    assert invoke(RUN_IN, "-o", original)[0] == 0
    assert paragraph_texts(again) == paragraph_texts(original)
    # Nothing about missing aspects: they are all there.
    code, out, _ = invoke("audit", published)
    assert "方面" not in out and code == 0, out


def test_run_in_heading_starts_its_paragraph_in_the_heading_face(tmp_path):
    output = tmp_path / "r.docx"
    assert invoke(RUN_IN, "-o", output)[0] == 0
    paragraph = next(p for p in docx.Document(str(output)).paragraphs if p.text.startswith("（一）主动公开情况。"))
    lead, body = paragraph.runs[0], paragraph.runs[1]
    assert lead.text == "（一）主动公开情况。" and body.text.startswith("全年主动公开政府信息1203条")
    assert lead._r.rPr.rFonts.get(docx.oxml.ns.qn("w:eastAsia")) == "楷体_GB2312"
    html = tmp_path / "r.html"
    assert invoke(RUN_IN, "-o", html)[0] == 0
    assert '<p><span class="lead">（一）主动公开情况。</span>全年主动公开政府信息1203条' in html.read_text(encoding="utf-8")


def test_paragraphs_that_only_start_with_a_number_stay_paragraphs(tmp_path):
    """「（一）」 paragraphs numbered out of order, or with half-width brackets, are text."""
    text = RUN_IN.read_text(encoding="utf-8").replace("小标题样式: 接排\n", "")
    text = text.replace("  概述: 2024年，区政府认真贯彻落实《条例》，现将有关情况报告如下。",
                        "  概述:\n    - （二）加强组织领导。成立工作专班。\n    - (三)完善制度。修订办法2项。")
    source = tmp_path / "s.yaml"
    source.write_text(text, encoding="utf-8")
    published = tmp_path / "s.docx"
    assert invoke(source, "-o", published)[0] == 0
    imported = tmp_path / "i.yaml"
    assert invoke("import", published, "-o", imported)[0] == 0
    data = yaml.safe_load(imported.read_text(encoding="utf-8"))
    assert data["总体情况"]["概述"] == ["（二）加强组织领导。成立工作专班。", "(三)完善制度。修订办法2项。"]


NARRATIVE_FIRST = """某省某某委员会2024年政府信息公开工作年度报告
一、总体情况
2024年，我委认真贯彻落实《条例》，现将有关情况报告如下。
二、工作机制保障
调整政务公开工作领导小组。
三、主动公开工作情况
全年主动公开政府信息350条。
四、政府信息管理
完成政府信息公开目录动态调整。
五、主动公开政府信息情况
第二十条第（一）项
信息内容\t本年制发件数\t本年废止件数\t现行有效件数
规章\t0\t0\t0
行政规范性文件\t3\t1\t20
第二十条第（五）项
信息内容\t本年处理决定数量
行政许可\t57
第二十条第（六）项
信息内容\t本年处理决定数量
行政处罚\t4
行政强制\t0
第二十条第（八）项
信息内容\t本年收费金额（单位：万元）
行政事业性收费\t0
六、收到和处理政府信息公开申请情况
（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）\t申请人情况
自然人\t法人或其他组织\t总计
商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他
{rows}
七、政府信息公开行政复议、行政诉讼情况
行政复议\t行政诉讼
结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t未经复议直接起诉\t复议后起诉
结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t结果维持\t结果纠正\t其他结果\t尚未审结\t总计
1\t0\t0\t0\t1\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0
八、存在的主要问题及改进情况
政策解读形式较为单一，下一步推广图解解读。
九、其他需要报告的事项
本年度未收取信息处理费。
"""

ROWS = [("一、本年新收政府信息公开申请数量", 9), ("二、上年结转政府信息公开申请数量", 1),
        ("三、本年度办理结果\t（一）予以公开", 6), ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", 0),
        ("（三）不予公开\t1.属于国家秘密", 0), ("2.其他法律行政法规禁止公开", 0), ("3.危及“三安全一稳定”", 0),
        ("4.保护第三方合法权益", 0), ("5.属于三类内部事务信息", 0), ("6.属于四类过程性信息", 0),
        ("7.属于行政执法案卷", 0), ("8.属于行政查询事项", 0), ("（四）无法提供\t1.本机关不掌握相关政府信息", 3),
        ("2.没有现成信息需要另行制作", 0), ("3.补正后申请内容仍不明确", 0), ("（五）不予处理\t1.信访举报投诉类申请", 0),
        ("2.重复申请", 0), ("3.要求提供公开出版物", 0), ("4.无正当理由大量反复申请", 0),
        ("5.要求行政机关确认或重新出具已获取信息", 0),
        ("（六）其他处理\t1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", 0),
        ("2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", 0), ("3.其他", 0),
        ("（七）总计", 9), ("四、结转下年度继续办理", 1)]


def test_narrative_chapters_first_then_the_tables(tmp_path):
    """A provincial order: own narrative chapters first, the table chapters renumbered."""
    rows = "\n".join(f"{label}\t{n}\t0\t0\t0\t0\t0\t{n}" for label, n in ROWS)
    source = tmp_path / "报告.txt"
    source.write_text(NARRATIVE_FIRST.format(rows=rows), encoding="utf-8")
    imported = tmp_path / "i.yaml"
    code, _, err = invoke("import", source, "-o", imported)
    assert code == 0, err
    report = check_file(imported).report
    assert report.agency == "某省某某委员会"
    assert report.proactive[("行政规范性文件", "现行有效件数")].value == 20
    assert report.proactive[("行政许可", "本年处理决定数量")].value == 57
    fmt = report.fmt
    assert report.requests.get(fmt.row_with_role("received")[0], fmt.total_applicant()) == 9
    assert report.appeals_total("reviews") == 1
    assert report.problems["概述"] == ["政策解读形式较为单一，下一步推广图解解读。"]


def test_a_document_without_table_three_says_which_chapter_is_missing(tmp_path):
    rows = "\n".join(f"{label}\t{n}\t0\t0\t0\t0\t0\t{n}" for label, n in ROWS)
    text = NARRATIVE_FIRST.format(rows=rows)
    cut = text[:text.index("六、收到和处理")] + text[text.index("七、政府信息公开行政复议"):]
    source = tmp_path / "缺表三.txt"
    source.write_text(cut, encoding="utf-8")
    code, _, err = invoke("import", source, "-o", tmp_path / "x.yaml")
    assert code == 1 and "找不到「三、收到和处理政府信息公开申请情况」" in err and "--format-file" in err
    assert not (tmp_path / "x.yaml").exists()


def test_an_unreadable_previous_report_says_why(tmp_path):
    broken = tmp_path / "上年.pdf"
    broken.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    code, out, err = invoke("check", RUN_IN, "--previous", broken)
    assert code == 0
    assert "无法读取（" in out + err and "已损坏或不是 PDF" in out + err
