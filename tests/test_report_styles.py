"""Reports printed the way offices publish them, in each style: every heading
and paragraph of the built .docx and .html is compared with what the input
asked for, written out here by hand — nothing extra, nothing missing.

The reports are invented for these tests; no real report is copied.
"""

from __future__ import annotations

import html as html_text
import textwrap
from pathlib import Path

import docx
import lxml.html
import pytest

from tests.helpers import invoke

TABLES = ["主动公开政府信息情况", "收到和处理政府信息公开申请情况", "政府信息公开行政复议、行政诉讼情况"]
NO_APPEALS = "本年度未发生因政府信息公开引起的行政复议、行政诉讼。"
STYLES = {"Title": "title", "Heading1": "h1", "Heading2": "h2", "BodyText": "p", "Closing": "closing"}


def docx_body(path: Path) -> list[tuple[str, str]]:
    """(kind, text) of every paragraph outside the tables; the blank line before the
    signature is layout, not content."""
    out = []
    for p in docx.Document(str(path)).paragraphs:
        kind = STYLES.get(p.style.style_id, p.style.style_id)
        if kind == "p" and not p.text:
            continue
        out.append((kind, p.text.replace("\n", "|")))
    return out


def html_body(path: Path) -> list[tuple[str, str]]:
    tags = {"h1": "title", "h2": "h1", "h3": "h2"}
    out = []
    for element in lxml.html.parse(str(path)).getroot().iter("h1", "h2", "h3", "p"):
        if element.tag == "h1":
            text = "|".join(t.strip() for t in element.itertext())
        else:
            text = element.text_content()
        kind = tags.get(element.tag) or ("closing" if "closing" in (element.get("class") or "") else "p")
        out.append((kind, text))
    return out


def build_both(tmp_path: Path, text: str, name: str = "in.yaml", files: dict[str, str] | None = None
               ) -> tuple[list, list, str]:
    source = tmp_path / name
    source.write_text(textwrap.dedent(text), encoding="utf-8")
    for other, content in (files or {}).items():
        (tmp_path / other).write_text(textwrap.dedent(content), encoding="utf-8")
    code, _, err = invoke(str(source), "-o", str(tmp_path / "out.docx"))
    assert code == 0, err
    code, _, err2 = invoke(str(source), "-o", str(tmp_path / "out.html"))
    assert code == 0, err2
    body = docx_body(tmp_path / "out.docx")
    assert body == html_body(tmp_path / "out.html")
    return body, [], err


def chapters(*titles: str) -> list[tuple[str, str]]:
    numbers = "一二三四五六七八九十"
    return [("h1", f"{numbers[i]}、{t}") for i, t in enumerate(titles)]


NARRATIVE_FIRST = """\
    机关名称: 某省水利厅
    年度: 2024
    发布日期: 2025-01-15
    标题:
      - 某省水利厅
      - 2024年政府信息公开工作年度报告
    章节:
      - 总体情况
      - 工作机制保障
      - 主动公开工作情况
      - 政府信息公开申请情况
      - 主动公开政府信息情况
      - 收到和处理政府信息公开申请情况
      - 政府信息公开行政复议、行政诉讼情况
      - 存在的主要问题及改进情况
      - 其他需要报告的事项
    总体情况:
      概述: 2024年，全厅深入贯彻《条例》，全面推进政务公开。
      申请情况所在小标题: 政府信息公开申请情况
    工作机制保障:
      - 调整政务公开工作领导小组，明确分管领导和专职人员。
    主动公开工作情况:
      概述: 全年主动公开政府信息356条。
      小标题:
        - 重点领域信息公开: 及时公开水利工程建设项目信息42条。
        - 政策解读:
            - 发布政策解读材料12篇。
            - 开展在线访谈3次。
    政府信息公开申请情况:
      - 严格执行登记、审核、办理、答复、归档制度。
    收到和处理政府信息公开申请情况:
      自然人:
        本年新收: 5
        予以公开: 3
        无法提供:
          本机关不掌握相关政府信息: 2
    存在的主要问题及改进情况:
      主要问题: 政策解读形式较为单一。
      改进措施: 推广图解、视频等解读形式。
    其他需要报告的事项:
      事项:
        - 本年度未发生政府信息公开收费事项。
"""


def test_narrative_first_chapters(tmp_path):
    body, _, _ = build_both(tmp_path, NARRATIVE_FIRST)
    one, two, three, four, five, six, seven, eight, nine = chapters(
        "总体情况", "工作机制保障", "主动公开工作情况", "政府信息公开申请情况", *TABLES,
        "存在的主要问题及改进情况", "其他需要报告的事项")
    assert body == [
        ("title", "某省水利厅|2024年政府信息公开工作年度报告"),
        one, ("p", "2024年，全厅深入贯彻《条例》，全面推进政务公开。"),
        two, ("p", "调整政务公开工作领导小组，明确分管领导和专职人员。"),
        three, ("p", "全年主动公开政府信息356条。"),
        ("h2", "（一）重点领域信息公开"), ("p", "及时公开水利工程建设项目信息42条。"),
        ("h2", "（二）政策解读"), ("p", "发布政策解读材料12篇。"), ("p", "开展在线访谈3次。"),
        four, ("p", "严格执行登记、审核、办理、答复、归档制度。"),
        ("p", "本年度共收到政府信息公开申请5件；办理完毕5件，其中予以公开3件，无法提供2件。" + NO_APPEALS),
        five, six, seven,
        eight, ("h2", "（一）存在的主要问题"), ("p", "政策解读形式较为单一。"),
        ("h2", "（二）改进措施"), ("p", "推广图解、视频等解读形式。"),
        # The office's own fee sentence, recognised by what it says: printed alone.
        nine, ("p", "本年度未发生政府信息公开收费事项。"),
        ("closing", "某省水利厅"), ("closing", "2025年1月15日"),
    ]


def test_narrative_first_from_a_variant_file(tmp_path):
    """The province's variant file orders the chapters; the input only fills them."""
    variant = """\
        extends: "2021"
        id: 2021-moushui
        name: 某省2021年版格式
        title: "{年度}年{机关名称}政府信息公开工作年度报告"
        chapters: [overview, 工作机制保障, proactive, requests, appeals, problems, other]
    """
    text = """\
        机关名称: 某省林业局
        年度: 2023
        格式文件: v.yaml
        总体情况:
          概述: 概括。
          申请情况概述: 不写
        工作机制保障:
          概述: 机制开头。
          小标题:
            - 组织领导: 成立领导小组。
        存在的主要问题及改进情况:
          主要问题: 问题。
        其他需要报告的事项:
          信息处理费:
            说明: 本年度未收取信息处理费。
    """
    body, _, _ = build_both(tmp_path, text, files={"v.yaml": variant})
    assert body == [
        ("title", "2023年某省林业局|政府信息公开工作年度报告"),
        *chapters("总体情况")[:1], ("p", "概括。"),
        ("h1", "二、工作机制保障"), ("p", "机制开头。"), ("h2", "（一）组织领导"), ("p", "成立领导小组。"),
        ("h1", "三、" + TABLES[0]), ("h1", "四、" + TABLES[1]), ("h1", "五、" + TABLES[2]),
        ("h1", "六、存在的主要问题及改进情况"), ("h2", "（一）存在的主要问题"), ("p", "问题。"),
        ("h1", "七、其他需要报告的事项"), ("p", "本年度未收取信息处理费。"),
    ]


RUN_IN = """\
    机关名称: 某市某区人民政府
    年度: 2024
    小标题样式: {style}
    小标题字体: {face}
    总体情况:
      主动公开:
        - 全年公开政府信息1200条。
        - 更新目录两次。
      依申请公开: 严格按时答复。
    存在的主要问题及改进情况:
      小标题:
        - 存在问题: 解读不够。
        - 二、下一步计划: 加强培训。
    其他需要报告的事项:
      信息处理费:
        收费金额: 0
      创新举措: 开展政府开放日。
"""


@pytest.mark.parametrize("style, face, heads", [
    ("接排", "楷体", ["（一）主动公开。", "（二）依申请公开。", "（一）存在问题。", "二、下一步计划。",
                     "（一）收取信息处理费情况。", "（二）创新举措。"]),
    ("接排不编号", "加粗", ["主动公开。", "依申请公开。", "存在问题。", "二、下一步计划。",
                           "收取信息处理费情况。", "创新举措。"]),
])
def test_run_in_sub_headings(tmp_path, style, face, heads):
    body, _, _ = build_both(tmp_path, RUN_IN.format(style=style, face=face))
    summary = "本年度未收到政府信息公开申请，也没有上年结转的申请。" + NO_APPEALS
    assert body == [
        ("title", "某市某区人民政府2024年|政府信息公开工作年度报告"),
        ("h1", "一、总体情况"),
        ("p", heads[0] + "全年公开政府信息1200条。"), ("p", "更新目录两次。"),
        # The applications paragraph opens its aspect; the office's own text follows.
        ("p", heads[1] + summary), ("p", "严格按时答复。"),
        *chapters("", *TABLES)[1:],
        ("h1", "五、存在的主要问题及改进情况"), ("p", heads[2] + "解读不够。"), ("p", heads[3] + "加强培训。"),
        ("h1", "六、其他需要报告的事项"),
        ("p", heads[4] + "本年度未收取信息处理费。"), ("p", heads[5] + "开展政府开放日。"),
    ]
    # The heading's face: 楷体 or the body face in bold, in Word and on the web page.
    lead = next(p for p in docx.Document(str(tmp_path / "out.docx")).paragraphs if p.text.startswith(heads[0]))
    first = lead.runs[0]
    assert first.text == heads[0]
    if face == "加粗":
        assert first.bold and "bold" in (tmp_path / "out.html").read_text(encoding="utf-8")
    else:
        assert not first.bold and first.font.name == "楷体_GB2312"


def test_unnumbered_sub_headings_on_their_own_line(tmp_path):
    text = """\
        机关名称: 某县统计局
        年度: 2022
        小标题样式: 不编号
        总体情况:
          小标题:
            - 主动公开情况: 公开统计公报4期。
            - 依申请公开情况: 无申请。
    """
    body, _, _ = build_both(tmp_path, text)
    summary = "本年度未收到政府信息公开申请，也没有上年结转的申请。" + NO_APPEALS
    assert body[:6] == [
        ("title", "某县统计局2022年|政府信息公开工作年度报告"),
        ("h1", "一、总体情况"), ("h2", "主动公开情况"), ("p", "公开统计公报4期。"),
        ("h2", "依申请公开情况"), ("p", summary),
    ]
    assert body[6] == ("p", "无申请。")


@pytest.mark.parametrize("title, printed", [
    ("2024年某省发展和改革委员会政府信息公开工作年度报告",
     "2024年某省发展和改革委员会|政府信息公开工作年度报告"),
    # One line too long for the page breaks after the agency and its year.
    ("某县交通运输局2023年政府信息公开年度报告", "某县交通运输局2023年|政府信息公开年度报告"),
    (["某市某某区人民政府", "2024年政府信息公开工作年度报告"],
     "某市某某区人民政府|2024年政府信息公开工作年度报告"),
])
def test_own_title_forms(tmp_path, title, printed):
    agency = "某省发展和改革委员会" if "发展" in printed else "某县交通运输局" if "交通" in printed else "某市某某区人民政府"
    year = 2023 if "2023" in printed else 2024
    written = f"标题: {title}" if isinstance(title, str) else "标题:\n" + "".join(f"  - {t}\n" for t in title)
    body, _, err = build_both(tmp_path, f"机关名称: {agency}\n年度: {year}\n{written}\n")
    assert body[0] == ("title", printed)
    assert "标题中没有" not in err


def test_title_without_the_agency_is_warned(tmp_path):
    _, _, err = build_both(tmp_path, "机关名称: 某县交通运输局\n年度: 2024\n标题: 2024年政府信息公开工作年度报告\n")
    assert "标题中没有机关名称「某县交通运输局」" in err


def test_only_an_overview_paragraph_prints_no_empty_heading(tmp_path):
    """What import gives for most reports: only 概述 under 一, nothing under 五."""
    text = """\
        机关名称: 某县民政局
        年度: 2023
        总体情况:
          概述: 2023年，我局认真落实《条例》。
        其他需要报告的事项:
          信息处理费:
            说明: 本年度未收取信息处理费。
    """
    body, _, err = build_both(tmp_path, text)
    summary = "本年度未收到政府信息公开申请，也没有上年结转的申请。" + NO_APPEALS
    assert body == [
        ("title", "某县民政局2023年|政府信息公开工作年度报告"),
        ("h1", "一、总体情况"), ("p", "2023年，我局认真落实《条例》。"), ("p", summary),
        *chapters("", *TABLES)[1:],
        # 五 is empty: not printed, and 六 follows as 五.
        ("h1", "五、其他需要报告的事项"), ("p", "本年度未收取信息处理费。"),
    ]
    # check says what audit says about the empty part, in the same words.
    assert "「存在的主要问题及改进情况」：这一部分没有内容（或只写了「无」）" in err
    assert "总体情况缺少「主动公开」方面的内容" in err
    code, out, _ = invoke("audit", str(tmp_path / "in.yaml"))
    assert "这一部分没有内容（或只写了「无」）" in out


def test_check_and_audit_say_the_same_of_a_built_report(tmp_path):
    text = """\
        机关名称: 某县民政局
        年度: 2023
        总体情况:
          概述: 概括。
    """
    build_both(tmp_path, text)
    code, err_check = invoke("check", str(tmp_path / "in.yaml"))[0], invoke("check", str(tmp_path / "in.yaml"))[2]
    code, audit_out, _ = invoke("audit", str(tmp_path / "out.docx"))
    for words in ("这一部分没有内容（或只写了「无」）",):
        assert words in err_check and words in audit_out


@pytest.mark.parametrize("summary, expected", [
    ("不写", []),
    ("全年共受理群众申请5件，均按期答复。", ["全年共受理群众申请5件，均按期答复。"]),
])
def test_applications_summary_off_or_own(tmp_path, summary, expected):
    text = f"""\
        机关名称: 某县审计局
        年度: 2024
        总体情况:
          概述: 概括。
          申请情况概述: {summary}
        收到和处理政府信息公开申请情况:
          自然人: {{本年新收: 5, 予以公开: 5}}
        存在的主要问题及改进情况:
          主要问题: 问题。
    """
    body, _, err = build_both(tmp_path, text)
    one = body[body.index(("h1", "一、总体情况")) + 1: body.index(("h1", "二、" + TABLES[0]))]
    assert one == [("p", "概括。")] + [("p", t) for t in expected]
    assert "文字与表三不一致" not in err


def test_own_applications_summary_is_checked_against_table_three(tmp_path):
    text = """\
        机关名称: 某县审计局
        年度: 2024
        总体情况:
          概述: 概括。
          申请情况概述: 本年度共收到政府信息公开申请9件。
        收到和处理政府信息公开申请情况:
          自然人: {本年新收: 5, 予以公开: 5}
    """
    _, _, err = build_both(tmp_path, text)
    assert "文字与表三不一致" in err and "9" in err


@pytest.mark.parametrize("other, expected", [
    # The office's own fee sentence, alone: no 「无其他需要报告的事项。」 after it.
    ("  信息处理费:\n    说明: 本机关未向申请人收取任何费用。", ["本机关未向申请人收取任何费用。"]),
    # A sentence in 事项 about fees without the word 信息处理费: nothing automatic in front.
    ("  事项: 未发生收费情况。", ["未发生收费情况。"]),
    ("  事项: 本年度未发生政府信息公开收费事项。", ["本年度未发生政府信息公开收费事项。"]),
    # Nothing at all: the automatic fee sentence, and that is all.
    ("  事项: []", ["本年度未收取信息处理费。"]),
    # No fee statement: 六 would be empty, so the one generated sentence says so.
    ("  信息处理费: 不写", ["无其他需要报告的事项。"]),
])
def test_six_prints_what_the_office_wrote(tmp_path, other, expected):
    text = "机关名称: 某县档案馆\n年度: 2024\n其他需要报告的事项:\n" + other + "\n"
    body, _, _ = build_both(tmp_path, text)
    heading = next(i for i, (k, t) in enumerate(body) if k == "h1" and t.endswith("其他需要报告的事项"))
    assert body[heading + 1:] == [("p", t) for t in expected]


def test_fee_off_is_warned(tmp_path):
    _, _, err = build_both(tmp_path, "机关名称: 某县档案馆\n年度: 2024\n其他需要报告的事项:\n  信息处理费: 不写\n")
    assert "第六部分没有说明信息处理费的收取情况" in err


def test_chapter_list_problems_are_named(tmp_path):
    source = tmp_path / "bad.yaml"
    source.write_text("机关名称: 某局\n年度: 2024\n章节:\n  - 总体情况\n  - 二、工作机制\n  - 总体情况\n"
                      "  - 主动公开政府信息情况\n", encoding="utf-8")
    code, _, err = invoke("check", str(source))
    assert code == 1
    assert "bad.yaml:5:5" in err and "「二、工作机制」带了编号" in err
    assert "「总体情况」写了两次" in err
    assert "缺少「收到和处理政府信息公开申请情况」（requests）" in err
    assert "Traceback" not in err and not (tmp_path / "bad.docx").exists()


def test_variant_chapter_problems_are_chinese(tmp_path):
    (tmp_path / "v.yaml").write_text('extends: "2021"\nid: x\nname: 某省\nchapters: [overview, 背景, overview]\n'
                                     'title: "{机关}年报"\n', encoding="utf-8")
    source = tmp_path / "in.yaml"
    source.write_text("机关名称: 某局\n年度: 2024\n格式文件: v.yaml\n", encoding="utf-8")
    code, _, err = invoke("check", str(source))
    assert code == 1 and "Traceback" not in err
    assert "v.yaml:4:11" in err or "v.yaml:4" in err
    assert "写了两次" in err and "缺少" in err and "只能用 {机关名称} 和 {年度}" in err


EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def test_narrative_first_example(tmp_path):
    code, _, err = invoke(str(EXAMPLES / "shili-province-narrative-2024.yaml"), "-o", str(tmp_path / "a.docx"))
    assert code == 0, err
    body = docx_body(tmp_path / "a.docx")
    assert body[0] == ("title", "2024年示例省生态环境厅|政府信息公开工作年度报告")
    assert [t for k, t in body if k == "h1"] == [
        "一、总体情况", "二、工作机制保障", "三、主动公开工作情况", "四、政府信息公开申请情况", "五、政府信息管理",
        "六、政府信息公开平台建设", "七、主动公开政府信息情况", "八、收到和处理政府信息公开申请情况",
        "九、政府信息公开行政复议、行政诉讼情况", "十、存在的主要问题及改进情况", "十一、其他需要报告的事项"]
    four = body[body.index(("h1", "四、政府信息公开申请情况")) + 1:body.index(("h1", "五、政府信息管理"))]
    assert four == [
        ("p", "严格执行登记、审核、办理、答复、归档的工作流程，所有申请均在法定期限内答复，答复文书要素齐全、告知救济途径。"),
        ("p", "本年度共收到政府信息公开申请52件，上年结转2件；办理完毕51件，其中予以公开26件，部分公开4件，不予公开1件，"
              "无法提供16件，不予处理3件，其他处理1件；结转下年度继续办理3件。"
              "本年度因政府信息公开被申请行政复议3件、被提起行政诉讼1件。")]
    # The opening paragraph names the chapters as printed.
    assert "全文由总体情况、工作机制保障、主动公开工作情况、政府信息公开申请情况、政府信息管理、政府信息公开平台建设、" \
           "主动公开政府信息情况、收到和处理政府信息公开申请情况、政府信息公开行政复议、行政诉讼情况、" \
           "存在的主要问题及改进情况、其他需要报告的事项等十一部分组成" in body[1][1]


def test_run_in_example(tmp_path):
    code, _, err = invoke(str(EXAMPLES / "shili-district-runin-2024.yaml"), "-o", str(tmp_path / "a.docx"))
    assert code == 0, err
    body = docx_body(tmp_path / "a.docx")
    assert body[0] == ("title", "示例市示例区人民政府|2024年政府信息公开工作年度报告")
    assert not [t for k, t in body if k == "h2"]
    six = body[body.index(("h1", "六、其他需要报告的事项")) + 1:]
    assert six[:2] == [("p", "本年度未发生政府信息公开收费情况。"),
                       ("p", "（一）创新举措。在区政务服务中心设立政务公开专区，提供政府信息查阅、政策咨询和依申请公开代办服务。")]
    assert "无其他需要报告的事项" not in str(six) and "本年度未收取信息处理费" not in str(six)


def test_next_year_starts_in_the_same_style(tmp_path):
    """init --from carries the chapters, the title form and the sub-heading style."""
    source = tmp_path / "2024.yaml"
    source.write_text(textwrap.dedent(NARRATIVE_FIRST).replace("机关名称: 某省水利厅", "机关名称: 某省水利厅\n小标题样式: 接排"),
                      encoding="utf-8")
    code, _, err = invoke("init", "--from", str(source), "-o", str(tmp_path / "2025.yaml"))
    assert code == 0, err
    import yaml
    data = yaml.safe_load((tmp_path / "2025.yaml").read_text(encoding="utf-8"))
    assert data["年度"] == 2025
    assert data["标题"] == ["某省水利厅", "2025年政府信息公开工作年度报告"]
    assert data["小标题样式"] == "接排"
    assert data["章节"][:4] == ["总体情况", "工作机制保障", "主动公开工作情况", "政府信息公开申请情况"]
    assert "工作机制保障" in data  # offered to be filled in again
    code, _, err = invoke("check", str(tmp_path / "2025.yaml"))
    assert code == 0, err


def test_serve_shows_own_chapters_in_order_and_saves_them(tmp_path):
    """The browser form of a narrative-first report: the office's chapters are fields
    in print order, and saving writes a file that builds the same report."""
    import shutil

    from test_serve import Running, example_data

    shutil.copytree(EXAMPLES / "variants", tmp_path / "variants")
    path = tmp_path / "厅.yaml"
    shutil.copy(EXAMPLES / "shili-province-narrative-2024.yaml", path)
    served = Running(path)
    try:
        data = example_data("shili-province-narrative-2024.yaml")
        status, _, page = served.request("POST", "/api/form", json_body={"data": data})
        html = page.decode("utf-8")
        assert status == 200, html
        places = [html.find(t) for t in ("一、总体情况", "二、工作机制保障", "五、政府信息管理", "六、政府信息公开平台建设",
                                         "七、主动公开政府信息情况", "十、存在的主要问题及改进情况")]
        assert -1 not in places and places == sorted(places)
        # A chapter written with 概述 and 小标题 is edited as those two, one as paragraphs as a list.
        unescaped = html_text.unescape(html)
        assert '["主动公开工作情况","概述"]' in unescaped and '["主动公开工作情况","小标题"]' in unescaped
        assert '["工作机制保障"]' in unescaped
        status, result = served.api("save", data=data, confirmed=True)
        assert status == 200, result
    finally:
        served.close()
    ours, theirs = tmp_path / "ours.docx", tmp_path / "theirs.docx"
    assert invoke(str(path), "-o", str(ours))[0] == 0
    assert invoke(str(EXAMPLES / "shili-province-narrative-2024.yaml"), "-o", str(theirs))[0] == 0
    assert docx_body(ours) == docx_body(theirs)


def test_a_chapter_list_of_hundreds_is_refused_with_its_count(tmp_path):
    source = tmp_path / "多.yaml"
    source.write_text("机关名称: 某局\n年度: 2024\n章节:\n" + "".join(f"  - 部分{i}\n" for i in range(500)),
                      encoding="utf-8")
    code, _, err = invoke("check", str(source))
    assert code == 1 and "多.yaml:3:1" in err and "项数太多：写了 500 项，最多 20 项" in err
