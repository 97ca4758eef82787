"""The five real reports, transcribed into examples/, come out with their numbers.

The expected figures below are copied by hand from the published reports
(../shared/seeds), row by row as printed, independently of the generator.
"""

from __future__ import annotations

import re

import pytest
from helpers import DATA, EXAMPLES, build, invoke, paragraphs, row_cells, rows_text, tables
from spec_tables import PROACTIVE

ZERO7 = [0] * 7
ZERO15 = [0] * 15


def table_two(fmt: str, figures: dict[str, list[str]], labels: dict[str, str] | None = None) -> list:
    """Table 二 as printed: the official blocks (spec_tables), a seed's figures, 0 elsewhere."""
    rows: list[list[str]] = []
    for header, columns, items in PROACTIVE[fmt]:
        rows += [[header], ["信息内容", *((labels or {}).get(c, c) for c in columns)]]
        rows += [[item, *figures.get(item, ["0"] * len(columns))] for item in items]
    return rows


SEEDS = {
    "yueqing-commerce-2020": {
        "title": "乐清市商务局2020年政府信息公开工作年度报告",
        "proactive": table_two("2019", {"政府集中采购": ["1", "380000元"]}),
        "requests": {},
        "appeals": ZERO15,
    },
    "yueqing-affairs-2020": {
        "title": "乐清市机关事务管理中心2020年政府信息公开工作年度报告",
        "proactive": table_two("2019", {"政府集中采购": ["4", "179.8万元"]}),
        "requests": {},
        "appeals": ZERO15,
    },
    "yongkang-commerce-2020": {
        "title": "永康市商务局2020年政府信息公开工作年度报告",
        "proactive": table_two("2019", {"规范性文件": ["11", "11", "11"], "政府集中采购": ["1", "500000"]}),
        "requests": {},
        "appeals": ZERO15,
        "closing": ["永康市商务局", "2021年1月25日"],
    },
    "mouxian-commerce-2021": {
        "title": "某县商务局2021年政府信息公开工作年度报告",
        "proactive": table_two("2021", {}, {"本年收费金额（单位：万元）": "本年收费金额（单位：万元，保留4位小数）"}),
        "requests": {},
        "appeals": ZERO15,
    },
    "yueqing-city-2020": {
        "title": "乐清市人民政府2020年政府信息公开工作年度报告",
        "proactive": table_two("2019", {
            "规范性文件": ["83", "83", "398"],
            "行政许可": ["1063", "减167", "181101"],
            "其他对外管理服务事项": ["839", "减79", "1074681"],
            "行政处罚": ["3947", "增67", "14682"],
            "行政强制": ["141", "增1", "4186"],
            "行政事业性收费": ["42", "0"],
            "政府集中采购": ["2206", "253900万元"],
        }),
        # Rows as printed in the published report, (七)总计 and 结转 aside (below).
        "requests": {
            "一、本年新收政府信息公开申请数量": [379, 24, 0, 0, 0, 2, 405],
            "二、上年结转政府信息公开申请数量": [3, 3, 0, 0, 0, 0, 6],
            "（一）予以公开": [150, 2, 0, 0, 0, 1, 153],
            "（二）部分公开（区分处理的，只计这一情形，不计其他情形）": [67, 5, 0, 0, 0, 1, 73],
            "4.保护第三方合法权益": [9, 0, 0, 0, 0, 0, 9],
            "5.属于三类内部事务信息": [12, 5, 0, 0, 0, 0, 17],
            "6.属于四类过程性信息": [3, 0, 0, 0, 0, 0, 3],
            "7.属于行政执法案卷": [3, 0, 0, 0, 0, 0, 3],
            "8.属于行政查询事项": [1, 0, 0, 0, 0, 0, 1],
            "1.本机关不掌握相关政府信息": [76, 10, 0, 0, 0, 0, 86],
            "3.补正后申请内容仍不明确": [8, 0, 0, 0, 0, 0, 8],
            "1.信访举报投诉类申请": [3, 1, 0, 0, 0, 0, 4],
            "2.重复申请": [40, 1, 0, 0, 0, 0, 41],
        },
        "printed_total": [370, 27, 0, 0, 0, 2, 399],
        "printed_carried_out": [12, 0, 0, 0, 0, 0, 12],
        "appeals": [5, 3, 0, 0, 8, 21, 0, 0, 3, 24, 1, 0, 0, 1, 2],
        "appeal_note": "市政府本级无纠错件；市信访局、市民政局、市教育局各1件",
        "closing": ["乐清市人民政府", "2021年2月1日"],
    },
}

TOTAL_ROW, CARRY_ROW = "（七）总计", "四、结转下年度继续办理"
RECEIVED_ROW, CARRIED_IN_ROW = "一、本年新收政府信息公开申请数量", "二、上年结转政府信息公开申请数量"


@pytest.fixture(scope="module", params=sorted(SEEDS), ids=str)
def seed(request, tmp_path_factory):
    name = request.param
    output = build(EXAMPLES / f"{name}.yaml", tmp_path_factory.mktemp(name))
    return SEEDS[name], output


def test_title(seed):
    expected, output = seed
    assert paragraphs(output)[0][1].replace("\n", "") == expected["title"]


def test_table_two_as_published(seed):
    expected, output = seed
    table = tables(output)[0]
    printed = [row_cells(table, r) for r in range(len(table.rows))]
    assert printed == expected["proactive"]


def test_table_three_as_published(seed):
    expected, output = seed
    rows = {row[2]: [int(x) for x in row[3:]] for row in rows_text(tables(output)[1])[3:]}
    for label, figures in rows.items():
        if label in (TOTAL_ROW, CARRY_ROW):
            continue
        assert figures == expected["requests"].get(label, ZERO7), label
    results = [v for k, v in rows.items() if k not in (RECEIVED_ROW, CARRIED_IN_ROW, TOTAL_ROW, CARRY_ROW)]
    column_sums = [sum(col) for col in zip(*results)]
    assert rows[TOTAL_ROW] == column_sums
    balance = [a + b - t for a, b, t in zip(rows[RECEIVED_ROW], rows[CARRIED_IN_ROW], column_sums)]
    assert rows[CARRY_ROW] == balance
    if "printed_total" in expected:
        # The published report's own total row is wrong; ours is the true sum.
        assert column_sums == [372, 24, 0, 0, 0, 2, 398] != expected["printed_total"]
        assert balance == [10, 3, 0, 0, 0, 0, 13] != expected["printed_carried_out"]


def test_table_four_as_published(seed):
    expected, output = seed
    row = rows_text(tables(output)[2])[3]
    assert [int(re.match(r"\d+", x).group()) for x in row] == expected["appeals"]
    if "appeal_note" in expected:
        assert row[1] == "3①"
        notes = [text for style, text in paragraphs(output) if style == "TableNote"]
        assert notes == [f"注①：“行政复议”“结果纠正”3件，{expected['appeal_note']}"]


def test_closing_block(seed):
    expected, output = seed
    closing = [text for style, text in paragraphs(output) if style == "Closing"]
    assert closing == expected.get("closing", [])


def test_published_city_report_is_rejected(tmp_path):
    """Seed 002 as printed breaks 勾稽关系 in three columns; each is named with its figures."""
    output = tmp_path / "out.docx"
    code, out, err = invoke(DATA / "yueqing-city-2020-as-published.yaml", "-o", output)
    assert code == 1
    assert not output.exists()
    assert "「自然人」列：本年新收 379 + 上年结转 3 = 382，但办理结果总计 372 + 结转下年度 12 = 384" in err
    assert "「商业企业」列：本年新收 24 + 上年结转 3 = 27，但办理结果总计 24 + 结转下年度 0 = 24" in err
    # Each wrong figure once, with the value that balances; 总计 repeats the same mistake.
    assert "结转下年度应为 10" in err and "结转下年度应为 3" in err
    assert "「总计」列" not in err and "「其他」列" not in err
    assert ":60:" in err  # the line of 自然人's 结转下年度
    assert "共 2 处错误" in err


def test_narrative_contradiction_is_flagged():
    """Seed 000 claims 53 withheld items while its table has no application."""
    code, out, err = invoke("check", EXAMPLES / "yueqing-commerce-2020.yaml")
    assert code == 0
    assert "不予公开政府信息53条" in err and "表三中「不予公开」为 0" in err
