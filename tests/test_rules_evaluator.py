"""What an evaluator marks down (EVAL-03 … EVAL-07): each rule on an invented
report that breaks it and on one that keeps it, through the real commands; and
``check`` of the input file and ``audit`` of the printed report say the same.

The reports here are invented (a county's market regulator), not copies of
real ones.
"""

from __future__ import annotations

import json
from pathlib import Path

import docx
import pytest
from helpers import invoke

from generator.checks.rules import RULES

# The narrative sentences carry no figures: only the rule under test speaks.
OVERVIEW = """总体情况:
  概述:
    - 本局认真贯彻《中华人民共和国政府信息公开条例》，坚持以公开为常态、不公开为例外，推动市场监管领域政务公开工作。
  主动公开:
    - 及时公开行政许可、行政处罚和抽查检查结果，食品安全抽检信息按月集中发布，方便企业和群众查询。
  依申请公开:
    - 规范依申请公开的受理、登记、办理和答复流程，疑难申请经法制机构审核后答复，答复文书统一格式。
  政府信息管理:
    - 建立公开前保密审查和合法性审查制度，对本局制发的行政规范性文件开展清理并公布目录。
  政府信息公开平台建设:
    - 维护县政府门户网站本局专栏，栏目设置与省级标准目录保持一致，信息发布做到及时准确。
  监督保障:
    - 将政务公开工作纳入科室年度考核，明确分管领导和专门人员，定期检查专栏更新情况。
"""
TABLES = """主动公开政府信息情况:
  行政规范性文件: {本年制发件数: 2, 本年废止件数: 1, 现行有效件数: 15}
  行政许可: {本年处理决定数量: 840}
收到和处理政府信息公开申请情况:
  自然人:
    本年新收: 12
    予以公开: 7
    无法提供: {本机关不掌握相关政府信息: 3}
    其他处理: {逾期未缴费: UNPAID}
  商业企业:
    本年新收: 2
    予以公开: 2
政府信息公开行政复议、行政诉讼情况:
  行政复议: {结果维持: 1}
  行政诉讼:
    未经复议直接起诉: {结果维持: 1}
"""
PROBLEMS = """存在的主要问题及改进情况:
  主要问题:
    - 政策解读形式较为单一，图解、视频等群众喜闻乐见的解读形式运用不多。
    - 个别科室信息报送不够及时，专栏部分栏目更新存在滞后。
  改进措施:
    - 丰富政策解读形式，重要政策文件做到解读材料与文件同步起草、同步发布。
    - 加强业务培训，建立信息报送提醒机制，确保专栏信息及时更新。
"""
OTHER = """其他需要报告的事项:
  信息处理费:
    收费通知件数: 1
    收费金额: 0
  事项:
    - 按照县政府办公室的部署，完成本局政务公开标准目录的编制和更新。
"""


def report(*, date: str = "2024-01-26", problems: str = PROBLEMS, other: str = OTHER, unpaid: int = 0,
           year: int = 2023, overview: str = OVERVIEW) -> str:
    """An invented report; each argument replaces one part."""
    tables = TABLES.replace("UNPAID", str(unpaid))
    if not unpaid:
        tables = tables.replace("    其他处理: {逾期未缴费: 0}\n", "").replace("本年新收: 12", "本年新收: 11")
    return (f"机关名称: 某某县市场监督管理局\n年度: {year}\n发布日期: {date}\n"
            + overview + tables + problems + other)


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def check(path: Path, *extra: str) -> tuple[int, str]:
    code, out, err = invoke("check", path, *extra)
    return code, out + err


def audit(*args: str | Path) -> list[dict]:
    """The findings of ``mkreport audit … --format json`` (the per-file ones)."""
    code, out, err = invoke("audit", *args, "--format", "json")
    assert code == 0, out + err
    return [f for f in json.loads(out) if "body" not in f]


def of_rule(findings: list[dict], rule: str) -> list[dict]:
    return [f for f in findings if f["rule"] == rule]


def printed(source: Path, tmp_path: Path, kind: str = ".docx") -> Path:
    """The report as mkreport prints it (the real command)."""
    output = tmp_path / (source.stem + kind)
    code, _, err = invoke(source, "-o", output)
    assert code == 0, err
    return output


def test_the_invented_report_keeps_every_rule(tmp_path):
    path = write(tmp_path, "r.yaml", report(unpaid=1))
    code, said = check(path)
    assert code == 0 and said.rstrip().endswith("检查通过。"), said
    document = printed(path, tmp_path)
    assert not [f for f in audit(document) if f["rule"].startswith("EVAL")], audit(document)


# -- EVAL-03: 五 too thin to say the problems and what will be done ----------------------

THIN_CASES = {
    "no-problems": ("存在的主要问题及改进情况:\n  主要问题:\n    - 本局政府信息公开工作暂无问题。\n",
                    "第五部分写的是「本局政府信息公开工作暂无问题。」，没有写明存在的问题和改进措施"),
    "too-short": ("存在的主要问题及改进情况:\n  主要问题:\n    - 信息更新不够及时。\n  改进措施:\n    - 加强更新。\n",
                  "第五部分只有 14 个字，写不清存在的问题和改进措施"),
    "no-measures": ("存在的主要问题及改进情况:\n  主要问题:\n"
                    "    - 政策解读形式较为单一，图解、视频等群众喜闻乐见的解读形式运用不多。\n"
                    "    - 个别科室信息报送不够及时，专栏部分栏目更新存在滞后。\n",
                    "第五部分没有写改进措施（下一步怎样改进、整改）"),
}


@pytest.mark.parametrize("case", THIN_CASES, ids=list(THIN_CASES))
def test_thin_chapter_five_is_said_by_check_and_by_audit_of_the_print(case, tmp_path):
    problems, message = THIN_CASES[case]
    path = write(tmp_path, "r.yaml", report(problems=problems))
    code, said = check(path)
    assert code == 0
    assert f"警告：「存在的主要问题及改进情况」：{message}" in said, said
    assert said.count(message) == 1
    for document in (path, printed(path, tmp_path)):
        found = of_rule(audit(document), "EVAL-03")
        assert [(f["place"], f["message"], f["severity"]) for f in found] == \
            [("五、存在的主要问题及改进情况", message, RULES["EVAL-03"].severity)], found


def test_chapter_five_with_only_nothing_is_eval_01_alone(tmp_path):
    path = write(tmp_path, "r.yaml", report(problems="存在的主要问题及改进情况:\n  主要问题:\n    - 无\n"))
    code, said = check(path)
    assert "没有内容（或只写了「无」）" in said and "第五部分" not in said, said
    rules = {f["rule"] for f in audit(path)}
    assert "EVAL-01" in rules and "EVAL-03" not in rules


def test_a_real_length_chapter_five_keeps_eval_03():
    from generator import model
    from generator.checks import evaluator
    from generator.formats import load

    data = {"机关名称": "某局", "年度": 2023, "存在的主要问题及改进情况": {
        "主要问题": ["部分基层所政务公开力量薄弱，信息发布不够及时。"],
        "改进措施": ["加强对基层所的业务指导，建立信息发布提醒机制。"]}}
    built, _, _ = model.build(load("2021"), data)
    assert evaluator.thin_problems(built) is None


# -- EVAL-04: 六 says 「无」 while the figures show fees --------------------------------

NOTHING_ELSE = "其他需要报告的事项:\n  信息处理费: 不写\n  事项:\n    - 无其他需要报告的事项。\n"


def test_nothing_else_while_table_three_has_unpaid_fees(tmp_path):
    path = write(tmp_path, "r.yaml", report(other=NOTHING_ELSE, unpaid=1))
    message = "第六部分只写了「无」，但表三有 1 件因逾期未缴费不再处理"
    code, said = check(path)
    assert code == 0 and f"警告：「其他需要报告的事项」：{message}" in said, said
    for document in (path, printed(path, tmp_path)):
        found = of_rule(audit(document), "EVAL-04")
        assert [(f["place"], f["message"], f["stated"]) for f in found] == \
            [("六、其他需要报告的事项", message, "无")], found


def test_nothing_else_without_fees_or_with_a_fee_statement_keeps_eval_04(tmp_path):
    # Nothing charged, nothing dropped for unpaid fees: 「无」 is true.
    quiet = write(tmp_path, "quiet.yaml", report(other=NOTHING_ELSE, unpaid=0))
    # Fees stated by their figures: 六 prints the fee sentence before 「无」.
    stated = write(tmp_path, "stated.yaml", report(
        other="其他需要报告的事项:\n  信息处理费:\n    收费通知件数: 1\n    收费金额: 0\n  事项:\n    - 无\n", unpaid=1))
    for path in (quiet, stated):
        code, said = check(path)
        assert "第六部分只写了" not in said, said
        assert not of_rule(audit(path, printed(path, tmp_path)), "EVAL-04")


# -- EVAL-05: blank or 「/」 cells in tables 三 and 四 of a published report -----------------

def _set_text(cell, text: str) -> None:
    runs = [run for paragraph in cell.paragraphs for run in paragraph.runs]
    assert runs and runs[0].text == "0", cell.text  # only a 0 is left blank here
    runs[0].text = text
    for run in runs[1:]:
        run.text = ""


def test_blank_and_slash_cells_of_a_printed_report_are_each_named(tmp_path):
    source = write(tmp_path, "r.yaml", report())
    document = printed(source, tmp_path)
    assert not of_rule(audit(document), "EVAL-05")  # as mkreport prints it: every cell a figure
    edited = docx.Document(str(document))
    requests, appeals = edited.tables[1], edited.tables[2]
    carried_in = next(row for row in requests.rows if row.cells[0].text.startswith("二、上年结转"))
    # Columns: three label columns, then 自然人, 商业企业, 科研机构, 社会公益组织, 法律服务机构, 其他, 总计.
    _set_text(carried_in.cells[5], "")  # 科研机构
    _set_text(carried_in.cells[7], "/")  # 法律服务机构
    # 行政复议 ×5, then 行政诉讼·未经复议直接起诉: 结果维持, 结果纠正 …
    _set_text(appeals.rows[3].cells[6], "／")
    blanked = tmp_path / "空格.docx"
    edited.save(str(blanked))

    found = of_rule(audit(blanked), "EVAL-05")
    assert [(f["place"], f["message"], f["severity"], f["stated"]) for f in found] == [
        ("表三·科研机构·上年结转", "这一格空着，按 0 读取；没有的数字应填 0", "警告", "空"),
        ("表三·法律服务机构·上年结转", "这一格写的是「/」，按 0 读取；没有的数字应填 0", "警告", "/"),
        ("表四·行政诉讼·未经复议直接起诉·结果纠正", "这一格写的是「／」，按 0 读取；没有的数字应填 0", "警告", "／"),
    ], found
    # The blank cells are read as 0: the figures still add up, nothing else is said of them.
    assert not [f for f in audit(blanked) if f["severity"] == "错误"]
    code, out, err = invoke("import", blanked)
    assert code == 0 and "表三有 2 个格子空着或写「/」等符号，按 0 读取" in err, err
    # An input file has no blank figure to name: a blank one is already an error.
    code, said = check(source)
    assert "按 0 读取" not in said
    # check of the printed report names the same cells in the same words as audit.
    code, said = check(blanked)
    assert said.count("按 0 读取；没有的数字应填 0") == 3 and "「收到和处理政府信息公开申请情况.科研机构.上年结转」" in said


# -- EVAL-06: half the text repeated from last year's report --------------------------------

def _last_year(text: str) -> str:
    return text.replace("年度: 2023", "年度: 2022").replace("发布日期: 2024-01-26", "发布日期: 2023-01-20")


def test_half_the_text_repeated_from_last_year(tmp_path):
    this = report()
    # Last year's: the same words but for one changed character in each paragraph.
    last = _last_year(this).replace("本局", "我局")
    write(tmp_path, "2022.yaml", last)
    path = write(tmp_path, "2023.yaml", this)
    found = of_rule(audit(path, "--previous", tmp_path / "2022.yaml"), "EVAL-06")
    assert len(found) == 1, found
    assert found[0]["place"] == "正文" and found[0]["severity"] == RULES["EVAL-06"].severity
    assert found[0]["message"].startswith("正文约 ") and found[0]["message"].endswith("与上年报告重复，超过一半")
    share = int(found[0]["stated"].rstrip("%"))
    assert 80 <= share <= 100, found
    # Both years in one folder: the run of years says it with last year's year.
    code, out, _ = invoke("audit", tmp_path)
    assert "与 2022 年报告重复，超过一半" in out, out


def test_a_rewritten_report_with_one_paragraph_kept_is_not_half_repeated(tmp_path):
    kept = "    - 及时公开行政许可、行政处罚和抽查检查结果，食品安全抽检信息按月集中发布，方便企业和群众查询。\n"
    assert kept in OVERVIEW
    overview, problems, other = OVERVIEW, PROBLEMS, OTHER
    # Last year said something else in every other paragraph.
    for n, line in enumerate((OVERVIEW + PROBLEMS + OTHER).splitlines(keepends=True)):
        if line.startswith("    - ") and line != kept:
            said = f"    - 上一年度第{'甲乙丙丁戊己庚辛壬癸'[n % 10]}项工作另有重点，围绕营商环境优化开展了专项公开并形成制度成果。\n"
            overview, problems, other = (t.replace(line, said) for t in (overview, problems, other))
    write(tmp_path, "2022.yaml", _last_year(report(overview=overview, problems=problems, other=other)))
    path = write(tmp_path, "2023.yaml", report())
    findings = audit(path, "--previous", tmp_path / "2022.yaml")
    assert not of_rule(findings, "EVAL-06"), findings
    # The one paragraph kept is still named.
    assert [f["message"][:12] for f in of_rule(findings, "EVAL-08")] == ["这一段与上年报告几乎相同"], findings


# -- EVAL-07: published after the deadline ---------------------------------------------

def test_published_after_the_default_deadline(tmp_path):
    path = write(tmp_path, "r.yaml", report(date="2024-04-15"))
    message = "发布日期 2024-04-15 晚于规定期限 2024 年 3 月 31 日"
    code, said = check(path)
    assert code == 0 and f"警告：「发布日期」：{message}" in said, said
    for document in (path, printed(path, tmp_path)):
        found = of_rule(audit(document), "EVAL-07")
        assert [(f["place"], f["message"], f["stated"], f["expected"]) for f in found] == \
            [("发布日期", message, "2024-04-15", "2024-03-31")], found
    # On the last day it is in time.
    on_time = write(tmp_path, "on-time.yaml", report(date="2024-03-31"))
    assert "晚于规定期限" not in check(on_time)[1]
    assert not of_rule(audit(on_time), "EVAL-07")


def test_the_deadline_the_office_names(tmp_path):
    path = write(tmp_path, "r.yaml", report(date="2024-02-10"))
    assert "晚于规定期限" not in check(path)[1]  # by the default 3 月 31 日, in time
    message = "发布日期 2024-02-10 晚于规定期限 2024 年 1 月 31 日"
    code, said = check(path, "--deadline", "01-31")
    assert code == 0 and message in said, said
    document = printed(path, tmp_path)
    for target in (path, document):
        found = of_rule(audit(target, "--deadline", "01-31"), "EVAL-07")
        assert [f["message"] for f in found] == [message], found
        assert not of_rule(audit(target, "--deadline", "02-10"), "EVAL-07")
    code, out, err = invoke("check", path, "--deadline", "13-01")
    assert code == 2 and "参数 --deadline 的值不对：「13-01」不是一年中的日子" in err, err
    code, out, err = invoke("audit", path, "--deadline", "一月底")
    assert code == 2 and "不是「月-日」" in err, err


def test_deadline_help_is_in_chinese():
    for command in ("check", "audit"):
        code, out, _ = invoke(command, "--help")
        assert code == 0 and "--deadline 月-日" in out and "发布期限" in out
