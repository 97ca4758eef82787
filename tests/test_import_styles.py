"""Reports printed in the styles offices use, read back by import: rebuilt from the
imported file, each prints the same headings and paragraphs as the published one,
nothing added and nothing lost, with the same figures.

The reports are invented; each is built with the real command as .docx, web page
and (for some) PDF, imported, rebuilt, and the two Word files compared paragraph
by paragraph."""

from __future__ import annotations

import shutil
from pathlib import Path

import docx
import pytest
import yaml
from helpers import invoke

from generator.checks.validate import check_file

HAVE_OFFICE = shutil.which("soffice") is not None
PRINTED_STYLES = ("Title", "Heading1", "Heading2", "BodyText")

TABLES = """
主动公开政府信息情况:
  行政规范性文件: {本年制发件数: 5, 本年废止件数: 2, 现行有效件数: 31}
  行政许可: {本年处理决定数量: 264}
  行政处罚: {本年处理决定数量: 38}
收到和处理政府信息公开申请情况:
  自然人:
    本年新收: 17
    上年结转: 2
    予以公开: 9
    部分公开: 1
    无法提供: {本机关不掌握相关政府信息: 6}
    不予处理: {重复申请: 1}
  商业企业: {本年新收: 3, 予以公开: 2, 结转下年度: 1}
政府信息公开行政复议、行政诉讼情况:
  行政复议: {结果维持: 2, 尚未审结: 1}
  行政诉讼:
    未经复议直接起诉: {结果维持: 1}
"""

# Own chapters between 一 and the tables, as some provinces order them; the
# applications paragraph goes into 「四、政府信息公开申请情况」 by itself.
NARRATIVE_FIRST = """机关名称: 某省水利厅
年度: 2024
发布日期: 2025-01-21
章节:
  - 总体情况
  - 工作机制保障
  - 主动公开工作情况
  - 政府信息公开申请情况
  - 政府信息管理
  - 政府信息公开平台建设
  - 主动公开政府信息情况
  - 收到和处理政府信息公开申请情况
  - 政府信息公开行政复议、行政诉讼情况
  - 存在的主要问题及改进情况
  - 其他需要报告的事项
总体情况:
  概述: 2024年，某省水利厅深入贯彻落实《中华人民共和国政府信息公开条例》，现将有关情况报告如下。
工作机制保障:
  - 调整厅政务公开工作领导小组，明确分管领导和专职人员。
  - 每季度通报政务公开重点任务进展。
主动公开工作情况:
  概述: 全年通过厅网站主动公开政府信息412条。
  小标题:
    - 水旱灾害防御信息: 汛期每日发布雨情、水情和工情信息。
    - 政策解读: 发布政策解读材料15篇，其中图解8篇。
政府信息公开申请情况:
  - 严格执行登记、审核、办理、答复、归档流程。
政府信息管理:
  - 完成政府信息公开目录动态调整。
政府信息公开平台建设:
  - 完成厅网站适老化改造。
""" + TABLES + """
存在的主要问题及改进情况:
  主要问题: 政策解读形式较为单一，图解、视频等群众喜闻乐见的解读形式运用不多。
  改进措施: 推广图解、视频等解读形式，做到政策文件与解读材料同步起草、同步发布。
其他需要报告的事项:
  信息处理费: {收费通知件数: 0, 收费金额: 0}
  事项: 本年度按要求完成政务公开第三方评估整改。
"""

# The title broken after 「人民政府」, sub-headings run in, an own sentence on fees
# in 事项 before an own sub-heading of 六.
RUN_IN = """机关名称: 某市某区人民政府
年度: 2024
标题:
  - 某市某区人民政府
  - 2024年政府信息公开工作年度报告
小标题样式: 接排
总体情况:
  概述: 2024年，区政府深入贯彻落实《条例》，现将有关情况报告如下。
  主动公开: 全年主动公开政府信息2310条。
  依申请公开: 规范办理流程，全部按期答复。
  政府信息管理: 动态调整公开目录。
  政府信息公开平台建设: 完成门户网站集约化改造。
  监督保障: 开展业务培训3次。
  小标题:
    - 基层政务公开: 推进街道政务公开专区建设。
""" + TABLES + """
存在的主要问题及改进情况:
  主要问题: 政策解读形式较为单一。
  改进措施: 推广图解、视频等解读形式。
其他需要报告的事项:
  事项: 本年度未发生政府信息公开收费事项。
  小标题:
    - 创新举措: 设立政务公开体验日。
"""

YEAR_FIRST = """机关名称: 某省某委
年度: 2024
标题: 2024年某省某委政府信息公开工作年度报告
总体情况:
  概述: 2024年，我委认真贯彻落实《条例》。
  主动公开: 全年主动公开政府信息580条。
  政府信息管理: 开展规范性文件清理。
""" + TABLES + """
存在的主要问题及改进情况:
  概述: 公开质量有待提升，下一步加强审核。
"""

# No 「工作」 in the title; 「无其他需要报告的事项。」 printed after the fee statement.
NO_WORK = """机关名称: 某某县交通运输局
年度: 2023
标题: 某某县交通运输局2023年政府信息公开年度报告
总体情况:
  概述: 2023年，我局认真贯彻落实《条例》。
""" + TABLES + """
存在的主要问题及改进情况:
  主要问题: 信息发布不够及时。
其他需要报告的事项:
  信息处理费: {收费通知件数: 0, 收费金额: 0}
  事项: 无其他需要报告的事项。
"""

SUMMARY_OFF = """机关名称: 某省水利厅
年度: 2024
总体情况:
  概述: 2024年，我厅认真贯彻落实《条例》。
  申请情况概述: 不写
  主动公开: 全年主动公开政府信息412条。
  依申请公开: 全年收到申请20件，均在法定期限内答复。
""" + TABLES + """
存在的主要问题及改进情况:
  主要问题: 政策解读形式较为单一。
其他需要报告的事项:
  信息处理费: 不写
  事项: 本年度按要求完成政务公开第三方评估整改。
"""

# Only 概述 under 一; 六 holds the office's own sentence on fees instead of
# mkreport's (ITEMS: that sentence alone, or followed by 「无其他需要报告的事项。」).
OWN_FEE_ALONE = """机关名称: 某市某区人民政府
年度: 2024
总体情况:
  概述:
    - 2024年，区政府认真贯彻落实《条例》，全面推进政务公开。
    - 全年主动公开政府信息412条。
""" + TABLES + """
存在的主要问题及改进情况:
  主要问题: 政策解读形式较为单一。
其他需要报告的事项:
  事项: ITEMS
"""
OWN_FEE = "本年度未发生政府信息公开收费事项。"

# The applications paragraph under an own sub-heading of an own chapter.
SUMMARY_UNDER_OWN = """机关名称: 某市某区人民政府
年度: 2024
小标题样式: 接排
章节: [总体情况, 工作机制, 依申请公开工作, 主动公开政府信息情况, 收到和处理政府信息公开申请情况,
       政府信息公开行政复议、行政诉讼情况, 存在的主要问题及改进情况, 其他需要报告的事项]
总体情况:
  概述: 2024年，区政府认真贯彻落实《条例》。
  申请情况所在小标题: 答复规范
工作机制:
  - 调整领导小组。
依申请公开工作:
  概述: 全年依申请公开工作平稳有序。
  小标题:
    - 办理流程: 严格执行登记、审核、办理、答复流程。
    - 答复规范: 推行答复文书合法性审查。
""" + TABLES + """
存在的主要问题及改进情况:
  主要问题: 政策解读形式较为单一。
其他需要报告的事项:
  信息处理费: {收费通知件数: 1, 收费金额: 0}
  小标题:
    - 创新举措: 设立政务公开体验日。
"""

# Sub-headings without numbers, in bold; one of them written with its own number.
UNNUMBERED = """机关名称: 某省水利厅
年度: 2024
小标题样式: STYLE
小标题字体: 加粗
总体情况:
  概述: 2024年，我厅认真贯彻落实《条例》。
  主动公开: 全年主动公开政府信息412条。
  依申请公开: 规范办理流程，全部按期答复。
  小标题:
    - 水旱灾害防御信息: 汛期每日发布雨情、水情和工情信息。
""" + TABLES + """
存在的主要问题及改进情况:
  主要问题: 政策解读形式较为单一。
  小标题:
    - （二）下一步工作: 推广图解、视频等解读形式。
其他需要报告的事项:
  信息处理费: {收费通知件数: 0, 收费金额: 0}
"""


def printed(path: Path) -> list[tuple[str, str]]:
    """(style, text) of every title, heading and body paragraph of a Word file."""
    return [(p.style.style_id, p.text) for p in docx.Document(str(path)).paragraphs
            if p.style.style_id in PRINTED_STYLES]


def figures(report) -> tuple:
    return ({k: v.value for k, v in report.proactive.items()}, dict(report.requests.cells),
            {k: (v.value, v.note) for k, v in report.appeals.items()})


def round_trip(text: str, kind: str, tmp_path: Path) -> tuple[dict, dict]:
    """Publish ``text`` as ``kind``, import it, rebuild it; the rebuilt report prints
    what the published one printed. Returns the source and the imported data."""
    source = tmp_path / "原稿.yaml"
    source.write_text(text, encoding="utf-8")
    published = tmp_path / f"发布{kind}"
    code, _, err = invoke(source, "-o", published)
    assert code == 0, err
    imported = tmp_path / "导入.yaml"
    code, _, err = invoke("import", published, "-o", imported)
    assert code == 0, err
    theirs = check_file(imported)
    assert not theirs.errors, [str(p) for p in theirs.errors]
    assert figures(theirs.report) == figures(check_file(source).report)
    original, again = tmp_path / "原稿.docx", tmp_path / "重建.docx"
    assert invoke(source, "-o", original)[0] == 0
    code, _, err = invoke(imported, "-o", again)
    assert code == 0, err
    assert printed(again) == printed(original)
    return yaml.safe_load(text), yaml.safe_load(imported.read_text(encoding="utf-8"))


KINDS = [".docx", ".html",
         pytest.param(".pdf", marks=pytest.mark.skipif(not HAVE_OFFICE, reason="LibreOffice not installed"))]


@pytest.mark.parametrize("kind", KINDS)
def test_narrative_first_with_own_chapters(kind, tmp_path):
    source, data = round_trip(NARRATIVE_FIRST, kind, tmp_path)
    assert data["章节"] == source["章节"]
    for own in ("工作机制保障", "政府信息公开申请情况", "政府信息管理", "政府信息公开平台建设"):
        assert data[own] == source[own]
    assert data["主动公开工作情况"] == {"概述": ["全年通过厅网站主动公开政府信息412条。"],
                                "小标题": [{"水旱灾害防御信息": ["汛期每日发布雨情、水情和工情信息。"]},
                                         {"政策解读": ["发布政策解读材料15篇，其中图解8篇。"]}]}
    # The applications paragraph is mkreport's, in the chapter it goes to by itself.
    assert data["总体情况"] == {"概述": [source["总体情况"]["概述"]]}
    assert "标题" not in data and "表头调整" not in data
    assert data["其他需要报告的事项"]["事项"] == [source["其他需要报告的事项"]["事项"]]


def audit(text: str, folder: Path) -> str:
    """What ``mkreport audit`` says of ``text`` published as a Word file."""
    folder.mkdir()
    source = folder / "原稿.yaml"
    source.write_text(text, encoding="utf-8")
    published = folder / "发布.docx"
    assert invoke(source, "-o", published)[0] == 0
    code, out, _ = invoke("audit", published)
    assert code == 0, out
    return out


def test_audit_reads_through_the_same_import(tmp_path):
    """Own chapters are no empty 总体情况; a 六 that says nothing of fees is found."""
    assert "没有发现问题" in audit(NARRATIVE_FIRST, tmp_path / "一")
    assert "第六部分没有说明信息处理费的收取情况" in audit(SUMMARY_OFF, tmp_path / "二")


@pytest.mark.parametrize("kind", KINDS)
def test_run_in_with_title_broken_after_the_government(kind, tmp_path):
    source, data = round_trip(RUN_IN, kind, tmp_path)
    assert data["机关名称"] == "某市某区人民政府" and data["年度"] == 2024
    assert data["标题"] == source["标题"]
    assert data["小标题样式"] == "接排"
    other = data["其他需要报告的事项"]
    assert other["事项"] == ["本年度未发生政府信息公开收费事项。"] and "信息处理费" not in other
    assert other["创新举措"] == ["设立政务公开体验日。"]


@pytest.mark.parametrize("text, agency, year, title", [
    (YEAR_FIRST, "某省某委", 2024, "2024年某省某委政府信息公开工作年度报告"),
    (NO_WORK, "某某县交通运输局", 2023, "某某县交通运输局2023年政府信息公开年度报告"),
], ids=["year-first", "no-work"])
@pytest.mark.parametrize("kind", [".docx", ".html"])
def test_titles_in_other_words(text, agency, year, title, kind, tmp_path):
    _, data = round_trip(text, kind, tmp_path)
    assert (data["机关名称"], data["年度"], data["标题"]) == (agency, year, title)


def test_nothing_else_printed_beside_the_fee_statement_is_kept(tmp_path):
    """The fee statement is mkreport's own sentence (no figures needed to print it
    again); 「无其他需要报告的事项。」 after it is text of the office's."""
    _, data = round_trip(NO_WORK, ".docx", tmp_path)
    assert data["其他需要报告的事项"] == {"事项": ["无其他需要报告的事项。"]}


@pytest.mark.parametrize("kind", [".docx", ".html"])
def test_summary_and_fee_statement_left_out(kind, tmp_path):
    _, data = round_trip(SUMMARY_OFF, kind, tmp_path)
    assert data["总体情况"]["申请情况概述"] == "不写"
    assert data["总体情况"]["依申请公开"] == ["全年收到申请20件，均在法定期限内答复。"]
    assert data["其他需要报告的事项"] == {"信息处理费": "不写", "事项": ["本年度按要求完成政务公开第三方评估整改。"]}


@pytest.mark.parametrize("items", [[OWN_FEE], [OWN_FEE, "无其他需要报告的事项。"]], ids=["alone", "nothing-else"])
@pytest.mark.parametrize("kind", [".docx", ".html"])
def test_only_an_overview_paragraph_and_an_own_fee_sentence(items, kind, tmp_path):
    source, data = round_trip(OWN_FEE_ALONE.replace("ITEMS", str(items)), kind, tmp_path)
    assert data["总体情况"] == {"概述": source["总体情况"]["概述"]}
    assert data["其他需要报告的事项"] == {"事项": items}


@pytest.mark.parametrize("own", [["推行答复文书合法性审查。"], []], ids=["with-text", "sentence-only"])
@pytest.mark.parametrize("kind", [".docx", ".html"])
def test_summary_under_a_sub_heading_of_an_own_chapter(own, kind, tmp_path):
    """Also when the applications paragraph is all there is under the sub-heading."""
    text = SUMMARY_UNDER_OWN.replace("答复规范: 推行答复文书合法性审查。", f"答复规范: {own}")
    _, data = round_trip(text, kind, tmp_path)
    assert data["总体情况"]["申请情况所在小标题"] == "答复规范"
    assert data["依申请公开工作"] == {"概述": ["全年依申请公开工作平稳有序。"],
                                "小标题": [{"办理流程": ["严格执行登记、审核、办理、答复流程。"]}, {"答复规范": own}]}


@pytest.mark.parametrize("style", ["不编号", "接排不编号"])
@pytest.mark.parametrize("kind", [".docx", ".html"])
def test_unnumbered_bold_sub_headings(style, kind, tmp_path):
    _, data = round_trip(UNNUMBERED.replace("STYLE", style), kind, tmp_path)
    assert data["小标题样式"] == style and data["小标题字体"] == "加粗"
    assert data["总体情况"]["小标题"] == [{"水旱灾害防御信息": ["汛期每日发布雨情、水情和工情信息。"]}]
    assert data["存在的主要问题及改进情况"]["小标题"] == [{"（二）下一步工作": ["推广图解、视频等解读形式。"]}]


def test_report_without_chapter_five_is_read(tmp_path):
    """A chapter with nothing in it is not printed; the report is read all the same."""
    text = YEAR_FIRST[:YEAR_FIRST.index("存在的主要问题及改进情况:")]
    _, data = round_trip(text, ".docx", tmp_path)
    assert "存在的主要问题及改进情况" not in data and "章节" not in data
