"""Every real report can be written: own sub-headings, local wording, true fee statements."""

from __future__ import annotations

import copy
import re

import docx
import pytest
import yaml
from helpers import EXAMPLES, build, invoke, paragraphs, row_cells, tables

from generator import formats
from generator.reading import schema as S

FULL_2021 = EXAMPLES / "shili-county-2023.yaml"
FULL_2019 = EXAMPLES / "yueqing-commerce-2020.yaml"


def _data(path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _write(tmp_path, data, name="in.yaml"):
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _every_part_written(data, fmt):
    """Text under every narrative key, so that every sub-heading is printed."""
    data = copy.deepcopy(data)
    for name, parts in (("overview", fmt.overview_aspects), ("problems", fmt.problem_parts),
                        ("other", fmt.other_parts)):
        section = data.setdefault(fmt.section_key(name), {})
        for part in parts:
            section[part.key] = [f"{part.key}的内容。"]
    return data


def _document_text(path):
    document = docx.Document(str(path))
    texts = [p.text for p in document.paragraphs]
    texts += [c.text.replace("\n", "") for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join(texts)


@pytest.mark.parametrize("source", [FULL_2021, FULL_2019], ids=["2021", "2019"])
def test_every_printed_label_can_be_renamed(source, tmp_path):
    data = _data(source)
    fmt = formats.for_year(data[S.YEAR])
    data = _every_part_written(data, fmt)
    if fmt.fee_statement:  # the fee sub-heading is printed when 六 has sub-headings
        data[fmt.section_key("other")][S.FEE] = {S.FEE_AMOUNT: 10}
    paths = sorted({p for ps in formats.label_paths(fmt).values() for p in ps})
    assert len(paths) > 60
    renamed = {path: f"新标签{n:03d}" for n, path in enumerate(paths)}
    keys_before = copy.deepcopy({k: v for k, v in data.items()})
    data[S.LABELS] = renamed
    source_file = _write(tmp_path, data)

    output = build(source_file, tmp_path)
    text = _document_text(output)
    html_file = tmp_path / "out.html"
    code, _, err = invoke(source_file, "-o", html_file)
    assert code == 0, err
    page = html_file.read_text(encoding="utf-8").replace("<br>", "")
    missing = [p for p, label in renamed.items() if label not in text]
    assert not missing, missing
    missing = [p for p, label in renamed.items() if label not in page]
    assert not missing, missing
    # The input keys did not change: the same file without 表头调整 still builds.
    assert {k: v for k, v in data.items() if k != S.LABELS} == keys_before


def test_short_names_rename_rows_and_sections(tmp_path):
    data = _data(FULL_2021)
    data[S.LABELS] = {"行政规范性文件": "规范性文件",
                      "存在的主要问题及改进情况": "存在的主要问题及整改措施",
                      "政府信息公开行政复议、行政诉讼情况": "因政府信息公开工作被申请行政复议和提起行政诉讼情况"}
    output = build(_write(tmp_path, data), tmp_path)
    headings = [t for s, t in paragraphs(output) if s == "Heading1"]
    assert "五、存在的主要问题及整改措施" in headings
    assert "四、因政府信息公开工作被申请行政复议和提起行政诉讼情况" in headings
    assert row_cells(tables(output)[0], 3)[0] == "规范性文件"


def test_ambiguous_short_name_lists_full_paths(tmp_path):
    data = _data(FULL_2021)
    data[S.LABELS] = {"其他": "其他组织"}
    code, _, err = invoke("check", _write(tmp_path, data))
    assert code == 1
    assert "「其他」在表格中出现多次" in err and "表三表头/法人或其他组织/其他" in err


def test_variant_with_partial_sections_and_one_row_other(tmp_path):
    variant = tmp_path / "某省.yaml"
    variant.write_text(
        'extends: "2021"\nid: 2021-mousheng\nname: 2021年格式（某省）\n'
        "sections:\n  problems: 五、存在的主要问题及整改措施\n"
        "replace:\n  表三/本年度办理结果/其他处理: {key: 其他处理, label: （六）其他处理}\n"
        "labels:\n  表二/第二十条第（一）项/行政规范性文件: 规范性文件\n", encoding="utf-8")
    data = _data(FULL_2021)
    for applicant in data["收到和处理政府信息公开申请情况"].values():
        other = applicant.pop("其他处理", None)
        if isinstance(other, dict):
            applicant["其他处理"] = sum(other.values())
    data[S.VARIANT] = variant.name
    output = build(_write(tmp_path, data), tmp_path)
    headings = [t for s, t in paragraphs(output) if s == "Heading1"]
    assert "五、存在的主要问题及整改措施" in headings
    assert "四、政府信息公开行政复议、行政诉讼情况" in headings  # untouched sections stay
    cells = [c for r in range(len(tables(output)[1].rows)) for c in row_cells(tables(output)[1], r)]
    assert "（六）其他处理" in cells and not any(c.startswith("1.申请人无正当理由") for c in cells)


def _minimal(**sections):
    data = {S.AGENCY: "某县发展和改革局", S.YEAR: 2023}
    data.update(sections)
    return data


def _body(output):
    return [(s, t) for s, t in paragraphs(output) if s in ("Heading1", "Heading2", "BodyText")]


def test_own_sub_headings_in_one_five_and_six(tmp_path):
    data = _minimal(**{
        "总体情况": {"概述": "总的情况。", S.OWN: [{"加强组织领导": ["成立领导小组。", "明确分工。"]},
                                                {"规范依申请公开": "按时答复。"},
                                                {"强化平台建设": "改版网站。"}]},
        "收到和处理政府信息公开申请情况": {"自然人": {"本年新收": 2, "予以公开": 2}},
        "存在的主要问题及改进情况": {"主要问题": "形式单一。", S.OWN: [{"下一步工作计划": "加强培训。"}]},
        "其他需要报告的事项": {"建议提案办理结果公开情况": "公开12件。", S.OWN: [{"创新做法": "开展开放日。"}]},
    })
    output = build(_write(tmp_path, data), tmp_path)
    body = _body(output)
    texts = [t for _, t in body]
    one = texts[texts.index("一、总体情况"):texts.index("二、主动公开政府信息情况")]
    assert one == ["一、总体情况", "总的情况。", "（一）加强组织领导", "成立领导小组。", "明确分工。",
                   "（二）规范依申请公开",
                   "本年度共收到政府信息公开申请2件；办理完毕2件，其中予以公开2件。"
                   "本年度未发生因政府信息公开引起的行政复议、行政诉讼。",
                   "按时答复。", "（三）强化平台建设", "改版网站。"]
    five = texts[texts.index("五、存在的主要问题及改进情况"):texts.index("六、其他需要报告的事项")]
    assert five == ["五、存在的主要问题及改进情况", "（一）存在的主要问题", "形式单一。",
                    "（二）下一步工作计划", "加强培训。"]
    six = texts[texts.index("六、其他需要报告的事项"):]
    assert six == ["六、其他需要报告的事项", "（一）收取信息处理费情况", "本年度未收取信息处理费。",
                   "（二）人大代表建议和政协提案办理结果公开情况", "公开12件。",
                   "（三）创新做法", "开展开放日。"]
    # No warning about the five aspects: the agency covers them under its own headings.
    code, _, err = invoke("check", _write(tmp_path, data, "again.yaml"))
    assert code == 0 and "缺少" not in err


def test_applications_sentence_goes_where_the_clerk_says(tmp_path):
    data = _minimal(**{"总体情况": {S.OWN: [{"甲": "甲的内容。"}, {"乙": "乙的内容。"}],
                                    S.SUMMARY_UNDER: "乙"}})
    texts = [t for _, t in _body(build(_write(tmp_path, data), tmp_path))]
    assert texts[texts.index("（二）乙") + 1].startswith("本年度未收到政府信息公开申请")
    # Without a 依申请 heading and without a choice, it follows the opening paragraphs of 一.
    data = _minimal(**{"总体情况": {S.OWN: [{"甲": "甲的内容。"}]}})
    texts = [t for _, t in _body(build(_write(tmp_path, data, "b.yaml"), tmp_path))]
    assert texts[texts.index("一、总体情况") + 1].startswith("本年度未收到政府信息公开申请")
    data = _minimal(**{"总体情况": {S.OWN: [{"甲": "x"}], S.SUMMARY_UNDER: "丙"}})
    code, _, err = invoke("check", _write(tmp_path, data, "c.yaml"))
    assert code == 1 and "没有叫「丙」的小标题或部分" in err


def test_more_than_ten_sub_headings_are_numbered(tmp_path):
    own = [{f"标题{n}": "内容。"} for n in range(1, 13)]
    data = _minimal(**{"存在的主要问题及改进情况": {S.OWN: own}})
    texts = [t for _, t in _body(build(_write(tmp_path, data), tmp_path))]
    assert "（十一）标题11" in texts and "（十二）标题12" in texts


def _six(tmp_path, other, name="in.yaml", **extra):
    data = _minimal(**{"其他需要报告的事项": other}, **extra)
    path = _write(tmp_path, data, name)
    code, _, err = invoke(path, "-o", tmp_path / (name + ".docx"))
    assert code == 0, err
    texts = [t for _, t in _body(tmp_path / (name + ".docx"))]
    heading = next(t for t in texts if t.endswith("、其他需要报告的事项"))
    return texts[texts.index(heading) + 1:], err


def test_fee_amount_without_notices_prints_no_count(tmp_path):
    six, err = _six(tmp_path, {S.FEE: {S.FEE_AMOUNT: 3940}})
    # The fee statement is 六's content: 「无其他需要报告的事项。」 only when 六 would be empty.
    assert six == ["本年度收取信息处理费3940元。"]
    assert "信息处理费" not in err


def test_own_fee_sentence_replaces_the_automatic_one(tmp_path):
    six, err = _six(tmp_path, {S.FEE: {S.FEE_TEXT: "本年度发出收费通知2件，收取信息处理费3940元。"},
                               S.ITEMS: "无。"})
    assert six == ["本年度发出收费通知2件，收取信息处理费3940元。", "无。"]
    assert "信息处理费" not in err


def test_fee_sentence_in_items_is_not_contradicted(tmp_path):
    six, err = _six(tmp_path, {S.ITEMS: "本机关收取信息处理费3940元。"})
    assert six == ["本机关收取信息处理费3940元。"]
    assert "未收取" not in "".join(six)


def test_fee_statements_that_contradict_the_figures_are_flagged(tmp_path):
    _, err = _six(tmp_path, {S.FEE: {S.FEE_AMOUNT: 0}, S.ITEMS: "本年度收取信息处理费3940元。"})
    assert "信息处理费的说明与数字不一致" in err and "3940" in err
    _, err = _six(tmp_path, {S.FEE: {S.FEE_NOTICES: 2, S.FEE_AMOUNT: 100,
                                      S.FEE_TEXT: "本年度未收取信息处理费。"}}, "b.yaml")
    assert "说没有收取信息处理费，但填的收费金额是 100 元" in err
    requests = {"收到和处理政府信息公开申请情况": {"自然人": {"本年新收": 3, "其他处理": {"逾期未缴费": 3}}}}
    _, err = _six(tmp_path, {S.FEE: {S.FEE_TEXT: "本年度发出收费通知1件。"}}, "c.yaml", **requests)
    assert "表三有 3 件因逾期未缴费不再处理，说明中的收费通知却只有 1 件" in err


def test_opening_as_paragraphs(tmp_path):
    data = _minimal(**{S.OPENING: ["第一段。", "第二段。"]})
    texts = [t for _, t in _body(build(_write(tmp_path, data), tmp_path))]
    assert texts[:3] == ["第一段。", "第二段。", "一、总体情况"]


def _check_requests(tmp_path, year: int, applicant: str, rows: str) -> tuple[int, str]:
    """``mkreport check`` on a file whose table 三 holds ``rows`` under ``applicant``."""
    source = tmp_path / "a.yaml"
    source.write_text(f"机关名称: 某局\n年度: {year}\n收到和处理政府信息公开申请情况:\n  {applicant}:\n{rows}",
                      encoding="utf-8")
    code, _, err = invoke("check", source)
    return code, err


def test_messages_for_the_other_formats_shapes(tmp_path):
    code, err = _check_requests(tmp_path, 2021, "自然人", "    本年新收: 1460\n    其他处理: 1458\n")
    assert code == 1
    assert "「逾期不补正: …」、「逾期未缴费: …」、「其他: …」" in err
    assert "映射" not in err
    code, err = _check_requests(tmp_path, 2020, "自然人", "    其他处理:\n      逾期不补正: 1\n")
    assert code == 1 and "这里直接写一个数字（各项之和）" in err


def test_wrong_carried_out_is_reported_once_with_the_balancing_value(tmp_path):
    code, err = _check_requests(tmp_path, 2021, "自然人", "    本年新收: 5\n    予以公开: 3\n    结转下年度: 1\n")
    assert code == 1
    assert err.count("两者不等") == 1
    assert "结转下年度应为 2" in err


def test_allowed_keys_never_offer_computed_ones(tmp_path):
    code, err = _check_requests(tmp_path, 2021, "甲乙丙丁", "    本年新收: 1\n")
    assert code == 1 and "这一层可以写：" in err
    hint = re.search(r"这一层可以写：(.*)", err).group(1)
    assert "总计" not in hint


def test_province_style_example_prints_its_variant(tmp_path):
    output = build(EXAMPLES / "shili-province-style-2022.yaml", tmp_path)
    headings = [t for s, t in paragraphs(output) if s == "Heading1"]
    assert headings[3] == "四、因政府信息公开工作被申请行政复议和提起行政诉讼情况"
    assert headings[4] == "五、存在的主要问题及整改措施"
    assert row_cells(tables(output)[0], 3) == ["规范性文件", "2", "3", "14"]
    cells = [c for r in range(len(tables(output)[1].rows)) for c in row_cells(tables(output)[1], r)]
    assert "（六）其他处理" in cells
    # 其他处理 typed as one figure per applicant: 3 + 1 in its row, 4 in 总计.
    row = next(r for r in range(len(tables(output)[1].rows))
               if "（六）其他处理" in row_cells(tables(output)[1], r))
    assert row_cells(tables(output)[1], row)[-7:] == ["3", "1", "0", "0", "0", "0", "4"]
