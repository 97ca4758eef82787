"""init, --from, cross-year checks, and text that is only ever text."""

from __future__ import annotations

import yaml
from helpers import EXAMPLES, build, invoke, paragraphs, rows_text, tables, two_years
from spec_tables import APPLICANTS, request_rows


def test_init_lists_every_key_and_builds_once_named(tmp_path):
    starter = tmp_path / "新.yaml"
    code, out, err = invoke("init", "--year", "2021", "-o", starter)
    assert code == 0, err
    text = starter.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=report.schema.json\n")
    assert (tmp_path / "report.schema.json").exists()
    data = yaml.safe_load(text)
    assert data["年度"] == 2021
    requests = data["收到和处理政府信息公开申请情况"]
    assert list(requests) == APPLICANTS
    assert requests["自然人"]["其他处理"] == {"逾期不补正": 0, "逾期未缴费": 0, "其他": 0}
    assert "# - 在这里写第一段" in text
    lines = text.splitlines()
    for before, line in zip(lines, lines[1:]):
        if ":" in line and not line.lstrip().startswith("#"):
            assert " # " in line or before.lstrip().startswith("# "), f"key without a comment: {line}"

    code, out, err = invoke("check", starter)
    assert code == 1 and "「机关名称」还没有填写" in err

    starter.write_text(text.replace("机关名称:\n", "机关名称: 某县商务局\n"), encoding="utf-8")
    output = build(starter, tmp_path)
    body = rows_text(tables(output)[1])[3:]
    assert [row[2] for row in body] == [label for label, _ in request_rows("2021")]
    assert all(x == "0" for row in body for x in row[3:])


def test_init_2020_uses_the_trial_format(tmp_path):
    code, out, err = invoke("init", "--year", "2020")
    assert code == 0
    data = yaml.safe_load(out)
    assert data["收到和处理政府信息公开申请情况"]["自然人"]["其他处理"] == 0
    assert data["主动公开政府信息情况"]["政府集中采购"] == {"采购项目数量": 0, "采购总金额": 0}
    # Named, the starter of either format checks without errors.
    starter = tmp_path / "2020.yaml"
    starter.write_text(out.replace("机关名称:\n", "机关名称: 某县商务局\n"), encoding="utf-8")
    code, _, err = invoke("check", starter)
    assert code == 0, err


def test_init_refuses_to_overwrite(tmp_path):
    target = tmp_path / "a.yaml"
    target.write_text("keep me", encoding="utf-8")
    code, out, err = invoke("init", "-o", target)
    assert code == 1 and "已经存在" in err
    assert target.read_text(encoding="utf-8") == "keep me"


def test_init_from_last_year_carries_over(tmp_path):
    starter = tmp_path / "乐清市人民政府2021.yaml"
    code, out, err = invoke("init", "--from", EXAMPLES / "yueqing-city-2020.yaml", "-o", starter)
    assert code == 0, err
    data = yaml.safe_load(starter.read_text(encoding="utf-8"))
    assert data["年度"] == 2021
    assert data["机关名称"] == "乐清市人民政府"
    assert data["联系方式"]["电话"] == "0577-61880550"
    # Last year's 结转下年度, computed (10 / 3 / 0 …), becomes this year's 上年结转.
    carried = [data["收到和处理政府信息公开申请情况"][a]["上年结转"] for a in APPLICANTS]
    assert carried == [10, 3, 0, 0, 0, 0]
    assert (tmp_path / data["上年报告"]).resolve() == (EXAMPLES / "yueqing-city-2020.yaml").resolve()
    code, out, err = invoke("check", starter)
    assert "上年报告" not in err and "上年结转" not in err


def _next_year(tmp_path, edit: str, old: str = "") -> tuple[int, str]:
    starter = tmp_path / "next.yaml"
    invoke("init", "--from", EXAMPLES / "shili-county-2023.yaml", "-o", starter)
    text = starter.read_text(encoding="utf-8")
    if old:
        assert old in text
        text = text.replace(old, edit, 1)
    starter.write_text(text, encoding="utf-8")
    code, out, err = invoke("check", starter)
    return code, err


def test_carry_over_mismatch_is_a_warning_at_its_line(tmp_path):
    code, err = _next_year(tmp_path, "    上年结转: 9 ", "    上年结转: 8 ")
    assert code == 0
    line = next(i for i, t in enumerate((tmp_path / "next.yaml").read_text(encoding="utf-8").splitlines(), 1)
                if t.startswith("    上年结转: 9 "))
    assert f"next.yaml:{line}:" in err
    assert "「自然人」上年结转 9 件，但上年报告的结转下年度继续办理为 8 件" in err
    code, out, err = invoke("check", "--strict", tmp_path / "next.yaml")
    assert code == 1


def test_documents_in_force_chain(tmp_path):
    old = "  行政规范性文件:\n    本年制发件数: 0"
    code, err = _next_year(tmp_path, "  行政规范性文件:\n    本年制发件数: 2", old)
    assert "「行政规范性文件」现行有效件数 64，但按上年 64 + 本年制发 2 − 本年废止 0 应为 66" in err


def test_previous_option_and_wrong_year(tmp_path):
    code, out, err = invoke("check", EXAMPLES / "shili-county-2023.yaml",
                            "--previous", EXAMPLES / "mouxian-commerce-2021.yaml")
    assert "上年报告是 2021 年度的，本报告是 2023 年度" in err


def test_template_syntax_in_text_prints_literally(tmp_path):
    source = tmp_path / "a.yaml"
    source.write_text(
        "机关名称: '{{ 机关 }}局'\n年度: 2021\n总体情况:\n  概述:\n"
        "    - '{{ 1 + 1 }} 与 {% if x %}不执行{% endif %} 原样打印'\n"
        "其他需要报告的事项:\n  事项: <b>不是标签</b> & 符号\n", encoding="utf-8")
    output = build(source, tmp_path)
    texts = [t for _, t in paragraphs(output)]
    assert texts[0] == "{{ 机关 }}局2021年\n政府信息公开工作年度报告"  # a long title breaks after 年
    assert "{{ 1 + 1 }} 与 {% if x %}不执行{% endif %} 原样打印" in texts
    assert "<b>不是标签</b> & 符号" in texts


def test_sub_headings_are_numbered_in_order(tmp_path):
    """Both formats print the aspects written (and 依申请公开, which the computed
    sentence fills), numbered without gaps: an aspect left empty is not printed
    (2021 warns that it is missing)."""
    for year, expected in ((2020, ["（一）主动公开", "（二）依申请公开", "（三）监督保障"]),
                           (2021, ["（一）主动公开", "（二）依申请公开", "（三）监督保障"])):
        source = tmp_path / f"{year}.yaml"
        source.write_text(f"机关名称: 某局\n年度: {year}\n总体情况:\n  主动公开: [甲]\n  监督保障: [乙]\n",
                          encoding="utf-8")
        paras = paragraphs(build(source, tmp_path))
        assert [t for s, t in paras if s == "Heading2"] == expected
        summary = next(i for i, (_, t) in enumerate(paras) if t.startswith("本年度未收到政府信息公开申请"))
        assert paras[summary - 1][1] == "（二）依申请公开"


def test_item_count_chain_in_the_2019_format(tmp_path):
    """2019 format: this year's 上一年项目数量 = last year's 上一年项目数量 + 本年增/减."""
    this = two_years(tmp_path, "某市人民政府", 2020,
                     "主动公开政府信息情况:\n  行政许可: {上一年项目数量: 1100, 本年增/减: -37}\n",
                     "主动公开政府信息情况:\n  行政许可: {上一年项目数量: 1063, 本年增/减: -167}\n"
                     "  行政处罚: {上一年项目数量: 5}\n")
    code, out, err = invoke("check", this)
    assert code == 0 and "行政许可" not in err
    this.write_text(this.read_text(encoding="utf-8").replace("1063", "1062"), encoding="utf-8")
    code, out, err = invoke("check", this)
    assert f"{this}:5:" in err
    assert "「行政许可」上一年项目数量 1062，但上年报告为 1100（上一年项目数量）− 37（本年增/减）= 1063" in err


def test_carried_out_would_be_negative(tmp_path):
    source = tmp_path / "a.yaml"
    source.write_text("机关名称: 某局\n年度: 2021\n收到和处理政府信息公开申请情况:\n  自然人:\n"
                      "    本年新收: 2\n    予以公开: 3\n", encoding="utf-8")
    code, out, err = invoke(source, "-o", tmp_path / "a.docx")
    assert code == 1
    assert f"{source}:4:3: 错误：「收到和处理政府信息公开申请情况.自然人」" in err
    assert "「自然人」列的办理结果多于本年新收与上年结转之和，结转下年度会成为负数" in err


def test_format_can_be_named(tmp_path):
    source = tmp_path / "a.yaml"
    source.write_text('机关名称: 某局\n年度: 2020\n格式: "2021"\n', encoding="utf-8")
    output = build(source, tmp_path)
    assert rows_text(tables(output)[0])[1][1] == "本年制发件数"
