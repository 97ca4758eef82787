"""The rules a report is checked by, each with a stable id and a severity.

``check`` (for an input file) and ``audit`` (for a printed report) apply the
same rules and say the same words; an office filters and counts findings by
these ids in ``audit --format json|csv``. An id never changes meaning: a rule
that changes gets a new id.
"""

from __future__ import annotations

from dataclasses import dataclass

ERROR, WARNING, HINT = "错误", "警告", "提示"


@dataclass(frozen=True)
class Rule:
    id: str
    severity: str
    title: str  # what it finds, as the README's table lists it


_ALL = (
    Rule("ARITH-01", ERROR, "表三某一列的勾稽关系不平：第一项加第二项之和，不等于第三项加第四项之和"),
    Rule("ARITH-02", ERROR, "印出的（七）总计、总计列或表四的总计与各项之和不符"),
    Rule("ARITH-03", ERROR, "结转下年度算出来是负数：办理结果多于本年新收与上年结转之和"),
    Rule("FORM-01", ERROR, "年度与表格格式不符（如 2021 年度用了 2019 年格式的表）"),
    Rule("TEXT-01", WARNING, "文字中的数字与表三不一致（新收、上年结转、各项办理结果、结转下年度）"),
    Rule("TEXT-02", WARNING, "文字中的数字与表四不一致（行政复议、行政诉讼件数）"),
    Rule("TEXT-03", WARNING, "文字中的数字与表二不一致（制发、废止、现行有效件数，处理决定数量）"),
    Rule("TEXT-04", HINT, "文字中的数字按另一种读法与表格一致（只计已审结的，或把上年结转计入收到的申请）"),
    Rule("TEXT-05", WARNING, "文字中的增减件数、百分比与数字算出的不一致"),
    Rule("TEXT-06", WARNING, "信息处理费的说明与收费数字、表三「逾期未缴费」不一致"),
    Rule("EVAL-01", WARNING, "总体情况或存在的问题等部分没有内容（或只写了「无」）"),
    Rule("EVAL-02", WARNING, "总体情况缺少国务院办公厅格式要求的某个方面"),
    Rule("EVAL-03", WARNING, "第五部分太短，没有写明存在的问题和改进措施"),
    Rule("EVAL-04", WARNING, "第六部分写「无」，表格中却有收费或收费通知"),
    Rule("EVAL-05", WARNING, "表三、表四中有空着或写「/」的格子"),
    Rule("EVAL-06", WARNING, "与上年报告重复的文字占全文一半以上"),
    Rule("EVAL-07", WARNING, "发布日期晚于规定期限"),
    Rule("EVAL-08", WARNING, "与上年报告几乎相同的段落"),
    Rule("EVAL-09", WARNING, "2021 年格式的报告没有说明信息处理费的收取情况"),
    Rule("YEAR-01", WARNING, "与上年报告接不上：上年结转不等于上年的结转下年度，或现行有效件数对不上"),
    Rule("YEAR-02", WARNING, "与上年相比差了十倍以上（多写或漏写了一位）"),
    Rule("YEAR-03", HINT, "与上年相比变化很大（五倍以上或五分之一以下），请核对"),
    Rule("YEAR-04", WARNING, "同一单位的历年报告中缺少某个年度"),
    Rule("YEAR-05", WARNING, "同一单位同一年度有两份数字不同的报告"),
)
RULES: dict[str, Rule] = {r.id: r for r in _ALL}


def severity(rule_id: str) -> str:
    return RULES[rule_id].severity
