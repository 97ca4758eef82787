"""Local wording: a variant file or 表头调整 changes labels, never figures."""

from __future__ import annotations

from helpers import EXAMPLES, build, invoke, row_cells, tables

FEE_LABEL = "本年收费金额（单位：万元，保留4位小数）"


def test_variant_file_overrides_a_header(tmp_path):
    variant = tmp_path / "浙江.yaml"
    variant.write_text('extends: "2021"\nid: 2021-zj\nname: 浙江\nlabels:\n'
                       f"  表二/第二十条第（八）项/本年收费金额: {FEE_LABEL}\n", encoding="utf-8")
    output = build(EXAMPLES / "shili-county-2023.yaml", tmp_path, "--format-file", variant)
    table = tables(output)[0]
    assert row_cells(table, len(table.rows) - 2) == ["信息内容", FEE_LABEL]
    assert row_cells(table, len(table.rows) - 1) == ["行政事业性收费", "1523.4567"]


def test_ambiguous_and_unknown_label_keys(tmp_path):
    source = tmp_path / "a.yaml"
    source.write_text("机关名称: 某县商务局\n年度: 2021\n表头调整:\n  总计: 合计\n  本年收费: 金额\n",
                      encoding="utf-8")
    code, out, err = invoke("check", source)
    assert code == 1
    assert f"{source}:4:3: 错误：「表头调整.总计」：「总计」在表格中出现多次" in err
    assert "表三/本年度办理结果/总计" in err
    assert f"{source}:5:3: 错误：「表头调整.本年收费」：表格中没有「本年收费」" in err
    assert "是不是「本年收费金额」？" in err


def test_broken_variant_file(tmp_path):
    variant = tmp_path / "坏.yaml"
    variant.write_text('extends: "2021"\nlabels:\n  表二/第二十条第（九）项/x: y\n', encoding="utf-8")
    code, out, err = invoke(EXAMPLES / "shili-county-2023.yaml", "-o", tmp_path / "r.docx",
                            "--format-file", variant)
    assert code == 1
    assert "格式定义中找不到「表二/第二十条第（九）项/x」" in err
    assert not (tmp_path / "r.docx").exists()
