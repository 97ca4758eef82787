"""报告图解: every number in the picture is the model's, read back from the SVG's text."""

from __future__ import annotations

import shutil
import struct
import sys

import pytest
from helpers import EXAMPLES, invoke, two_years
from lxml import etree

from generator.checks.validate import check_file
from generator.rendering.layout import number_text

SVG = "{http://www.w3.org/2000/svg}"


def _svg(source, tmp_path, *extra):
    output = tmp_path / "图解.svg"
    code, _, err = invoke(source, "-o", output, *extra)
    assert code == 0, err
    return etree.fromstring(output.read_bytes())


def _shown(root) -> dict[str, list[str]]:
    """Label → the numbers printed for it (the visible text, not only the data attributes)."""
    out: dict[str, list[str]] = {}
    for group in root.iter(SVG + "g"):
        value = "".join(t.text or "" for t in group.iter(SVG + "tspan") if t.get("class") == "value")
        assert value == group.get("data-value"), etree.tostring(group)
        texts = [t.text for t in group.iter(SVG + "text") if t.text]
        out.setdefault(group.get("data-label"), []).append(value)
        if len(texts) > 1:
            out.setdefault(f"{group.get('data-label')}·{texts[1]}", []).append(value)
    return out


@pytest.mark.parametrize("example", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.stem)
def test_numbers_in_the_picture_are_the_models(example, tmp_path):
    shutil.copytree(EXAMPLES / "variants", tmp_path / "variants")
    source = tmp_path / example.name
    shutil.copy(example, source)
    root = _svg(source, tmp_path)
    shown = _shown(root)
    report = check_file(source).report
    fmt = report.fmt
    received = report.request_figure(fmt.row_with_role("received")[0][-1])
    assert shown["本年新收申请"] == [str(received)]
    assert shown["上年结转"] == [str(report.request_figure(fmt.row_with_role("carried_in")[0][-1]))]
    assert shown["结转下年度"] == [str(report.request_figure(fmt.row_with_role("carried_out")[0][-1]))]
    if received + report.request_figure(fmt.row_with_role("carried_in")[0][-1]):
        for child in fmt.result_group().children:
            if not child.total:
                label = child.label.split("）", 1)[1].split("（")[0]
                assert shown[label] == [str(report.request_figure(child.key))]
    assert shown["行政复议"] == [str(report.appeals_total("reviews"))]
    assert shown["行政诉讼"] == [str(report.appeals_total("lawsuits"))]
    # Table 二's figures, each under its row label.
    printed = {number_text(c.value, "amount" if isinstance(c.value, float) else "") for c in
               report.proactive.values()}
    cards = [v for k, vs in shown.items() for v in vs if k in {b.row_label(r) for b in fmt.blocks for r in b.rows}]
    assert cards and set(cards) <= printed | {str(c.value) for c in report.proactive.values()}
    # Text stays text: the agency and the title can be searched.
    words = "".join(t.text or "" for t in root.iter(SVG + "text"))
    assert report.agency in words and "政府信息公开工作年度报告图解" in words


def test_changing_a_figure_changes_the_picture(tmp_path):
    text = (EXAMPLES / "shili-county-2023.yaml").read_text(encoding="utf-8")
    first, second = tmp_path / "a.yaml", tmp_path / "b.yaml"
    first.write_text(text, encoding="utf-8")
    second.write_text(text.replace("    本年新收: 120", "    本年新收: 125", 1), encoding="utf-8")
    assert _shown(_svg(first, tmp_path))["本年新收申请"] == ["164"]
    assert _shown(_svg(second, tmp_path))["本年新收申请"] == ["169"]
    pictures = []
    for source in (first, second):
        output = tmp_path / f"{source.stem}.png"
        assert invoke(source, "-o", output)[0] == 0
        pictures.append(output.read_bytes())
    assert pictures[0] != pictures[1]


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_png_is_phone_wide_and_doubles_for_print(tmp_path):
    for scale, width in (("1", 750), ("2", 1500)):
        output = tmp_path / f"x{scale}.png"
        code, _, err = invoke(EXAMPLES / "mouxian-commerce-2021.yaml", "-o", output, "--scale", scale,
                              "--theme", "blue")
        assert code == 0, err
        assert _png_size(output.read_bytes())[0] == width


def test_missing_renderer_says_what_to_install(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "resvg_py", None)  # as if the extra were not installed
    code, _, err = invoke(EXAMPLES / "mouxian-commerce-2021.yaml", "-o", tmp_path / "x.png")
    assert code == 1 and "resvg-py" in err and not (tmp_path / "x.png").exists()


def test_build_makes_the_picture_beside_each_report(tmp_path):
    folder = tmp_path / "单位"
    folder.mkdir()
    shutil.copy(EXAMPLES / "mouxian-commerce-2021.yaml", folder)
    code, _, err = invoke("build", folder, "-o", tmp_path / "out", "--graphic")
    assert code == 0, err
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["mouxian-commerce-2021-图解.png",
                                                                      "mouxian-commerce-2021.docx"]


def test_last_year_shows_the_change(tmp_path):
    now = two_years(tmp_path, "某县商务局", 2023,
                    "主动公开政府信息情况:\n  行政许可: {本年处理决定数量: 30}\n"
                    "收到和处理政府信息公开申请情况:\n  自然人: {本年新收: 5, 予以公开: 5}\n",
                    "主动公开政府信息情况:\n  行政许可: {本年处理决定数量: 35}\n"
                    "收到和处理政府信息公开申请情况:\n  自然人: {本年新收: 2, 予以公开: 2}\n")
    words = "".join(t.text or "" for t in _svg(now, tmp_path).iter(SVG + "text"))
    assert "较上年增加5" in words and "较上年减少3" in words
