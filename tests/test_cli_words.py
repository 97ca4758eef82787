"""The command line speaks Chinese throughout: help placeholders, aligned
columns, a mistyped command, what a command did, and an audit an office can
open in Excel."""

from __future__ import annotations

import csv
import io
import re
import unicodedata

import pytest
from helpers import EXAMPLES, invoke

COMMANDS = ["", "render", "check", "init", "merge", "build", "import", "audit", "labels", "schema", "serve"]
# Names of formats and things that are written in Latin letters in Chinese text too.
LATIN_WORDS = {"YAML", "JSON", "PDF", "CSV", "HTML", "SVG", "PNG", "CPU", "BOM", "HTTP", "LibreOffice", "Word",
               "WPS", "Excel", "Schema", "Ctrl", "Tab"}


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


@pytest.mark.parametrize("command", COMMANDS, ids=[c or "mkreport" for c in COMMANDS])
def test_help_is_chinese_and_aligned(command):
    code, out, err = invoke(*([command] if command else []), "--help")
    assert code == 0
    capitals = {w for w in re.findall(r"\b[A-Z][A-Za-z]{2,}\b", out) if w not in LATIN_WORDS}
    assert not capitals, capitals  # SOURCE, FILE, TEXT, INTEGER RANGE, [required] …
    assert "required" not in out and "<=x<=" not in out
    # In each list, the explanations start in one column, counted in printed width.
    for section in re.split(r"\n(?=\S)", out):
        starts = []
        for line in section.splitlines()[1:]:
            m = re.match(r"  (?:-|[a-z])\S*(?: \S+)?\s{2,}(?=\S)", line)
            if m and not line.startswith("   "):
                starts.append(width(line[:m.end()]))
        if len(starts) > 1:
            assert len(set(starts)) == 1, (section, starts)


@pytest.mark.parametrize(("typed", "meant"), [("chek", "check"), ("bulid", "build"), ("improt", "import"),
                                              ("serv", "serve")])
def test_a_mistyped_command_is_named(typed, meant, tmp_path):
    code, out, err = invoke(typed, tmp_path / "x.yaml")
    assert code == 2
    assert f"是不是 {meant}？" in err and "多余的参数" not in err


def test_a_file_named_like_a_command_is_still_a_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "chek").write_text((EXAMPLES / "mouxian-commerce-2021.yaml").read_text(encoding="utf-8"),
                                   encoding="utf-8")
    code, out, err = invoke("chek", "-o", "r.docx")
    assert code == 0, err


def test_check_says_what_happened(tmp_path):
    path = tmp_path / "a.yaml"
    path.write_text("机关名称: 某局\n年度: 2023\n政府信息公开行政复议、行政诉讼情况:\n  行政复议:\n    结果维持: 2件\n",
                    encoding="utf-8")
    code, out, err = invoke("check", path)
    assert code == 1
    assert "未生成文件" not in err and err.rstrip().endswith("共 1 处错误，请改正后再生成报告。")
    code, out, err = invoke(path, "-o", tmp_path / "r.docx")
    assert err.rstrip().endswith("共 1 处错误，未生成文件。")


def test_audit_csv_opens_in_excel_and_counts_the_reports(tmp_path):
    output = tmp_path / "问题清单.csv"
    code, out, err = invoke("audit", EXAMPLES, "--format", "csv", "-o", output)
    data = output.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # Excel on a Chinese Windows reads UTF-8 by its BOM
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == ["文件", "规则", "严重程度", "位置", "问题", "报告中写的", "应为"]
    # Folders are read with their subfolders; a format variant kept there is not a report.
    reports = len([p for p in EXAMPLES.rglob("*.yaml") if "\nextends:" not in "\n" + p.read_text(encoding="utf-8")])
    assert reports < len(list(EXAMPLES.rglob("*.yaml")))
    assert re.search(rf"共 {reports} 份报告：\d+ 份有错误，\d+ 份只有警告，\d+ 份没有错误和警告", err), err
    assert out == ""
    code, text, _ = invoke("audit", EXAMPLES)
    assert text.rstrip().splitlines()[-1].startswith(f"共 {reports} 份报告：")


def test_audit_never_writes_over_a_report_it_reads(tmp_path):
    folder = tmp_path / "各单位"
    (folder / "乡镇").mkdir(parents=True)
    unit = folder / "乡镇" / "甲.yaml"
    unit.write_bytes((EXAMPLES / "mouxian-commerce-2021.yaml").read_bytes())
    before = unit.read_bytes()
    code, out, err = invoke("audit", folder, "--format", "csv", "-o", unit)
    assert code == 1 and "拒绝覆盖" in err
    assert unit.read_bytes() == before


def test_audit_of_a_folder_leaves_out_the_drafts_serve_keeps(tmp_path):
    (tmp_path / "甲.yaml").write_bytes((EXAMPLES / "mouxian-commerce-2021.yaml").read_bytes())
    (tmp_path / "甲.草稿.yaml").write_text("机关名称: [\n", encoding="utf-8")  # half-typed
    code, out, err = invoke("audit", tmp_path)
    assert "草稿" not in out and "共 1 份报告" in out, out
