"""Every example builds; every table cell equals the YAML's figures.

Expected totals are computed here, independently of generator.model, from the
YAML as plain PyYAML reads it and the official row list in spec_tables.
"""

from __future__ import annotations

import re

import pytest
import yaml
from docx.oxml.ns import qn
from helpers import OFFICIAL_EXAMPLES, build, paragraphs, row_cells, rows_text, span, tables
from spec_tables import (
    APPEAL_GROUPS,
    APPLICANTS,
    CARRIED_IN,
    OUTCOMES,
    PROACTIVE,
    RECEIVED,
    RESULTS,
    SECTIONS,
    request_rows,
)

EXAMPLE_FILES = OFFICIAL_EXAMPLES


def format_of(data: dict) -> str:
    return "2019" if data["年度"] <= 2020 else "2021"


def dig(mapping: dict, path: tuple) -> int:
    value = mapping
    for key in path:
        value = (value or {}).get(key)
    if isinstance(value, dict):
        value = value.get("数量", 0)
    return value or 0


def expected_requests(data: dict, fmt: str) -> dict[str, list[int]]:
    """Row label → seven printed figures, computed from scratch."""
    section = data.get("收到和处理政府信息公开申请情况") or {}
    out: dict[str, list[int]] = {}
    columns = []
    for applicant in APPLICANTS:
        entered = section.get(applicant) or {}
        received, carried_in = dig(entered, RECEIVED[1]), dig(entered, CARRIED_IN[1])
        results = [dig(entered, path) for _, path in RESULTS[fmt]]
        handled = sum(results)
        carried_out = entered.get("结转下年度", received + carried_in - handled)
        columns.append([received, carried_in, *results, handled, carried_out])
    for i, (label, _) in enumerate(request_rows(fmt)):
        values = [column[i] for column in columns]
        out[label] = values + [sum(values)]
    return out


def printed(value, column: str) -> str:
    if value is None:
        return "0"
    if column == "本年增/减" and isinstance(value, int):
        return f"增{value}" if value > 0 else f"减{-value}" if value < 0 else "0"
    return str(value)


@pytest.fixture(scope="module", params=EXAMPLE_FILES, ids=lambda p: p.stem)
def example(request, tmp_path_factory):
    source = request.param
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    output = build(source, tmp_path_factory.mktemp(source.stem))
    return data, output


def test_title_and_headings(example):
    data, output = example
    paras = paragraphs(output)
    style, title = paras[0]
    assert style == "Title"
    own = data.get("标题")
    if own:  # the office's own title, with its own line break
        assert title == ("\n".join(own) if isinstance(own, list) else own)
        assert data["机关名称"] in title and f"{data['年度']}年" in title
    else:
        assert title.replace("\n", "") == f"{data['机关名称']}{data['年度']}年政府信息公开工作年度报告"
        # A title too long for one line breaks after the year, never inside a word.
        assert title.count("\n") <= 1
        if "\n" in title:
            assert title.endswith("年\n政府信息公开工作年度报告")
    headings = [text for style, text in paras if style == "Heading1"]
    assert headings == SECTIONS


def test_table_two(example):
    data, output = example
    fmt = format_of(data)
    given = data.get("主动公开政府信息情况") or {}
    overrides = data.get("表头调整") or {}
    table = tables(output)[0]
    r = 0
    for header, columns, items in PROACTIVE[fmt]:
        assert row_cells(table, r) == [header]
        keys = [c.split("（")[0] for c in columns]
        labels = [overrides.get(key, c) for key, c in zip(keys, columns)]
        assert row_cells(table, r + 1) == ["信息内容", *labels]
        for k, item in enumerate(items):
            figures = [printed((given.get(item) or {}).get(key), key) for key in keys]
            assert row_cells(table, r + 2 + k) == [item, *figures]
        r += 2 + len(items)
    assert r == len(table.rows)


def test_table_three(example):
    data, output = example
    fmt = format_of(data)
    table = tables(output)[1]
    rows = rows_text(table)
    assert rows[0][0] == "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    assert rows[0][3:] == ["申请人情况"] * 7
    assert rows[1][3:] == ["自然人"] + ["法人或其他组织"] * 5 + ["总计"]
    assert rows[2][3:] == APPLICANTS[:1] + APPLICANTS[1:] + ["总计"]
    expected = expected_requests(data, fmt)
    body = rows[3:]
    assert [row[2] for row in body] == [label for label, _ in request_rows(fmt)]
    for row in body:
        assert [int(x) for x in row[3:]] == expected[row[2]], row[2]


def test_table_three_merges(example):
    data, output = example
    fmt = format_of(data)
    table = tables(output)[1]
    assert span(table, 0, 0) == (3, 3)
    assert span(table, 0, 3) == (1, 7)
    assert span(table, 1, 3) == (2, 1)
    assert span(table, 1, 4) == (1, 5)
    assert span(table, 1, 9) == (2, 1)
    assert span(table, 3, 0) == (1, 3)  # 一、本年新收…
    assert span(table, 5, 0) == ({"2019": 20, "2021": 22}[fmt], 1)  # 三、本年度办理结果
    assert span(table, 5, 1) == (1, 2)  # （一）予以公开
    assert span(table, 7, 1) == (8, 1)  # （三）不予公开
    assert span(table, 15, 1) == (3, 1)  # （四）无法提供
    assert span(table, 18, 1) == (5, 1)  # （五）不予处理
    assert span(table, 23, 1) == ((1, 2) if fmt == "2019" else (3, 1))  # （六）其他处理
    last = len(table.rows) - 1
    assert span(table, last, 0) == (1, 3)
    # The three header rows repeat on a new page; body rows do not.
    repeat = [row._tr.trPr is not None and row._tr.trPr.find(qn("w:tblHeader")) is not None
              for row in table.rows]
    assert repeat == [True] * 3 + [False] * (len(table.rows) - 3)


def test_table_four(example):
    data, output = example
    table = tables(output)[2]
    rows = rows_text(table)
    assert rows[0] == ["行政复议"] * 5 + ["行政诉讼"] * 10
    assert rows[1] == OUTCOMES + ["未经复议直接起诉"] * 5 + ["复议后起诉"] * 5
    assert rows[2] == OUTCOMES * 3
    assert span(table, 1, 0) == (2, 1)
    section = data.get("政府信息公开行政复议、行政诉讼情况") or {}
    expected = []
    for group in APPEAL_GROUPS:
        figures = [dig(section, (*group, outcome)) for outcome in OUTCOMES[:4]]
        expected += figures + [sum(figures)]
    figures = [int(re.match(r"\d+", x).group()) for x in rows[3]]
    assert figures == expected
