"""City-wide work: merging units, building a folder, identical output."""

from __future__ import annotations

import datetime
import re
import shutil
import zipfile

import yaml
from helpers import DATA, EXAMPLES, build, invoke, rows_text, tables

UNITS = ["yueqing-commerce-2020.yaml", "yueqing-affairs-2020.yaml", "yongkang-commerce-2020.yaml",
         "yueqing-city-2020.yaml"]


def _figures(row: list[str]) -> list[int]:
    return [int(re.match(r"\d+", x).group()) for x in row]


def test_merge_sums_every_cell(tmp_path):
    merged = tmp_path / "全市.yaml"
    code, out, err = invoke("merge", *(EXAMPLES / u for u in UNITS), "--name", "某市人民政府",
                            "-o", merged)
    assert code == 0, err
    text = merged.read_text(encoding="utf-8")
    assert "1. 乐清市商务局（yueqing-commerce-2020.yaml）" in text
    assert yaml.safe_load(text)["机关名称"] == "某市人民政府"
    report = build(merged, tmp_path)
    units = []
    for u in UNITS:
        (tmp_path / u).mkdir()
        units.append(build(EXAMPLES / u, tmp_path / u))

    # Table 三 and 四: every printed figure, totals included, is the sum of the units'.
    for index, first_row in ((1, 3), (2, 3)):
        ours = rows_text(tables(report)[index])[first_row:]
        theirs = [rows_text(tables(u)[index])[first_row:] for u in units]
        for r, row in enumerate(ours):
            labels = len(row) - 7 if index == 1 else 0
            assert row[:labels] == theirs[0][r][:labels]
            sums = [sum(col) for col in zip(*(_figures(t[r][labels:]) for t in theirs))]
            assert _figures(row[labels:]) == sums, row

    # Table 二: counts add up; 采购总金额 adds up in 万元 (380000元 + 179.8万元 + 500000 + 253900万元).
    ours = rows_text(tables(report)[0])
    theirs = [rows_text(tables(u)[0]) for u in units]
    for r, row in enumerate(ours):
        if row[0] in ("规范性文件", "行政许可", "行政处罚", "行政强制", "其他对外管理服务事项"):
            for c in (1, 3):
                assert int(row[c]) == sum(int(t[r][c]) for t in theirs)
        if row[0] == "政府集中采购":
            assert row[1] == str(1 + 4 + 1 + 2206)
            assert row[2] == "254167.8万元"


def test_merge_refuses_mixed_years_and_bad_units(tmp_path):
    code, out, err = invoke("merge", EXAMPLES / "yueqing-city-2020.yaml", EXAMPLES / "shili-county-2023.yaml",
                            "--name", "x")
    assert code == 1 and "只能合并同一年度的报告" in err
    code, out, err = invoke("merge", EXAMPLES / "yueqing-city-2020.yaml",
                            DATA / "yueqing-city-2020-as-published.yaml", "--name", "x")
    assert code == 1 and "yueqing-city-2020-as-published.yaml:60:12" in err


def test_build_folder_carries_on_past_bad_files(tmp_path):
    folder = tmp_path / "各单位"
    folder.mkdir()
    for example in EXAMPLES.glob("*.yaml"):
        shutil.copy(example, folder)
    shutil.copytree(EXAMPLES / "variants", folder / "variants")  # named by 格式文件
    shutil.copy(DATA / "yueqing-city-2020-as-published.yaml", folder / "乐清市政府-原样.yaml")
    (folder / "坏文件.yaml").write_text("机关名称：某局\n年度: 2021\n", encoding="utf-8")
    outdir = tmp_path / "报告"
    code, out, err = invoke("build", folder, "-o", outdir)
    assert code == 1
    built = sorted(p.stem for p in outdir.glob("*.docx"))
    assert built == sorted(p.stem for p in EXAMPLES.glob("*.yaml"))
    examples = len(list(EXAMPLES.glob("*.yaml")))
    assert f"共 {examples + 2} 个文件：成功 {examples} 个，失败 2 个。" in err
    assert "乐清市政府-原样.yaml：" in err and "两者不等" in err
    assert "坏文件.yaml：" in err and "键后面用了中文全角冒号" in err


def test_identical_input_gives_identical_bytes(tmp_path):
    for kind in ("docx", "html"):
        first, second = tmp_path / f"a.{kind}", tmp_path / f"b.{kind}"
        for output in (first, second):
            code, out, err = invoke(EXAMPLES / "shili-county-2023.yaml", "-o", output)
            assert code == 0, err
        assert first.read_bytes() == second.read_bytes()
    # Not merely the same second: nothing in the file depends on when it was made.
    with zipfile.ZipFile(first.with_suffix(".docx")) as z:
        assert {info.date_time for info in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert str(datetime.date.today().year) not in z.read("docProps/core.xml").decode()
