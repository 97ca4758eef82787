"""`mkreport audit` over a body's run of years, and on every example as published.

The reports of the chain tests are invented here (not copies of real reports):
each year's figures are chosen so that exactly the named links break.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
from pathlib import Path

import pytest
from helpers import EXAMPLES, invoke, variant_of

from generator.checks import audit
from generator.checks.validate import check_file
from generator.identity import body_key, group, same_body

HAVE_OFFICE = shutil.which("soffice") is not None
VARIANT_EXAMPLES = [p for p in sorted(EXAMPLES.glob("*.yaml")) if "\n格式文件:" in p.read_text(encoding="utf-8")]


# -- Task: every example, as published, audits clean ------------------------------------

@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """Each example built by the real CLI, once per kind; variants beside them."""
    folder = tmp_path_factory.mktemp("examples")
    shutil.copytree(EXAMPLES / "variants", folder / "variants")
    built: dict[tuple[str, str], Path] = {}

    def build(example: Path, kind: str) -> Path:
        if (example.stem, kind) not in built:
            source = folder / example.name
            shutil.copy(example, source)
            output = folder / f"{example.stem}{kind}"
            code, _, err = invoke(source, "-o", output)
            assert code == 0, err
            built[(example.stem, kind)] = output
        return built[(example.stem, kind)]

    build.folder = folder
    return build


def own_warnings(example: Path) -> list[str]:
    """The warnings ``check`` gives the example itself: the audit must find those again."""
    return sorted(p.message for p in check_file(example).warnings)


@pytest.mark.parametrize("kind", [
    ".docx", ".html",
    pytest.param(".pdf", marks=pytest.mark.skipif(not HAVE_OFFICE and not os.environ.get("CI"),
                                                  reason="LibreOffice not installed")),
])
@pytest.mark.parametrize("example", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.stem)
def test_every_example_as_published_audits_clean(example, kind, published):
    document = published(example, kind)
    extra = ["--format-file", published.folder / variant_of(example)] if example in VARIANT_EXAMPLES else []
    code, out, err = invoke("audit", document, "--format", "json", *extra)
    findings = json.loads(out)
    errors = [f["message"] for f in findings if f["severity"] == "错误"]
    warnings = sorted(f["message"] for f in findings if f["severity"] == "警告")
    assert code == 0 and not errors, errors
    # Two examples transcribe real reports with their flaws (seed 000's 「不予公开政府信息53条」,
    # seed 004's missing aspects): those, and nothing else, are found in the document too.
    assert warnings == own_warnings(example)
    assert not [f for f in findings if f["severity"] not in ("警告", "提示")]


@pytest.mark.parametrize("example", [p for p in VARIANT_EXAMPLES if variant_of(p) == "variants/某省2021.yaml"],
                         ids=lambda p: p.stem)
def test_variant_document_without_its_format_file(example, published):
    """Recognised in the official format, 「（六）其他处理」 printed as one row: its
    printed totals are compared as one row, not shifted onto 逾期不补正 and 逾期未缴费."""
    code, out, _ = invoke("audit", published(example, ".docx"))
    assert code == 0, out
    assert "逾期不补正" not in out and "处错误" in out and "0 处错误" in out
    assert "「（六）其他处理」只印了一行" in out


def test_wrong_total_of_a_row_printed_as_one_is_named(tmp_path):
    from test_import import ROWS_2021, other_document

    rows = [r for r in ROWS_2021 if not r[0].startswith(("1.申请人", "2.申请人", "3.其他"))]
    at = next(i for i, r in enumerate(rows) if r[0] == "（七）总计")
    rows.insert(at, ("（六）其他处理", [1, 0, 0, 0, 0, 0, 2]))  # its 总计 printed 2, the row adds up to 1
    rows[0] = ("一、本年新收政府信息公开申请数量", [6, 2, 0, 0, 0, 0, 8])
    rows[at + 1] = ("（七）总计", [7, 2, 0, 0, 0, 0, 9])
    document = other_document(tmp_path / "一行.docx", rows=rows)
    code, out, _ = invoke("audit", document)
    assert code == 1
    assert "表三「其他处理」行的总计印的是 2，各列之和为 1" in out
    assert "逾期不补正" not in out


def test_broken_variant_file_is_said_once(tmp_path, published):
    bad = tmp_path / "坏.yaml"
    bad.write_text("extends: \"2030\"\n", encoding="utf-8")
    code, out, err = invoke("audit", published(EXAMPLES / "shili-county-2023.yaml", ".docx"), "--format-file", bad)
    assert code == 1 and err.count("格式文件") == 1 and not out


# -- Invented reports for the runs of years ----------------------------------------------

def report(agency: str, year: int, *, carried_in: int = 0, received: int = 6, carried_out: int = 0,
           rules: tuple[int, int, int] = (0, 0, 8), norms: tuple[int, int, int] = (0, 0, 20),
           licences: tuple[int, int] = (100, 5), note: str = "") -> str:
    """A small report; 2019 and 2020 in the 2019 format. ``rules`` and ``norms``:
    本年制发, 本年废止, 现行有效 of 规章 and 行政规范性文件 (2021 format);
    ``licences``: 行政许可's 上一年项目数量 and 本年增/减 (2019 format)."""
    if year >= 2021:
        table2 = (f"  规章: {{本年制发件数: {rules[0]}, 本年废止件数: {rules[1]}, 现行有效件数: {rules[2]}}}\n"
                  f"  行政规范性文件: {{本年制发件数: {norms[0]}, 本年废止件数: {norms[1]}, 现行有效件数: {norms[2]}}}\n")
    else:
        table2 = f"  行政许可: {{上一年项目数量: {licences[0]}, 本年增/减: {licences[1]}, 处理决定数量: 30}}\n"
    handled = received + carried_in - carried_out
    return (f"机关名称: {agency}\n年度: {year}\n"
            f"总体情况:\n  概述: {year}年做好政府信息公开工作。{note}\n"
            f"主动公开政府信息情况:\n{table2}"
            f"收到和处理政府信息公开申请情况:\n"
            f"  自然人: {{本年新收: {received}, 上年结转: {carried_in}, 予以公开: {handled}, 结转下年度: {carried_out}}}\n"
            f"存在的主要问题及改进情况:\n  主要问题: 公开形式还不够丰富。\n")


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


DISTRICT = "某某区人民政府"


def four_years(folder: Path) -> None:
    """2021–2024 of one district. Breaks: 上年结转 2021→2022 (3 written, 5 carried
    out); 规章's 现行有效件数 2021→2022 (10, not 8 + 1) and 2022→2023 (12, not 10 + 2 − 1).
    The district is written with its city in front in 2022 and 2024."""
    write(folder, "a.yaml", report(DISTRICT, 2021, carried_out=5, rules=(0, 0, 8)))
    write(folder, "b.yaml", report("某市" + DISTRICT, 2022, carried_in=3, carried_out=2, rules=(1, 0, 10)))
    write(folder, "c.yaml", report(DISTRICT, 2023, carried_in=2, carried_out=1, rules=(2, 1, 12), norms=(1, 0, 21)))
    write(folder, "d.yaml", report("某市" + DISTRICT, 2024, carried_in=1, rules=(0, 0, 12), norms=(0, 1, 20)))


def run(*paths: Path) -> audit.Audit:
    return audit.audit(list(paths), workers=1, progress=False)


def chain_of(result: audit.Audit, body: str):
    found = [c for c in result.chains if same_body(c.body, body)]
    assert len(found) == 1, [c.body for c in result.chains]
    return found[0]


def test_a_run_of_four_years_names_each_break_with_both_years(tmp_path):
    four_years(tmp_path / "区")
    result = run(tmp_path / "区")
    chain = chain_of(result, DISTRICT)
    assert chain.body == "某市某某区人民政府" and chain.years == [2021, 2022, 2023, 2024]
    assert chain.missing == [] and chain.duplicates == [] and chain.breaks == 3
    messages = {(Path(f.file).name, f.place, f.message) for f in chain.findings if f.severity == "警告"}
    assert messages == {
        ("b.yaml", "表三·自然人·上年结转",
         "2022 年报告「自然人」上年结转 3 件，但 2021 年报告的结转下年度继续办理为 5 件"),
        ("b.yaml", "表二·规章·现行有效件数",
         "2022 年报告「规章」现行有效件数 10，但按 2021 年的 8 + 本年制发 1 − 本年废止 0 应为 9"),
        ("c.yaml", "表二·规章·现行有效件数",
         "2023 年报告「规章」现行有效件数 12，但按 2022 年的 10 + 本年制发 2 − 本年废止 1 应为 11"),
    }
    # The chain's findings are the files' findings too, each on the later year's file.
    assert set(chain.findings) <= set(result.findings)
    # No 「机关名称不同」: the city in front is the same district.
    assert not [f for f in result.findings if "机关名称" in f.message]


def test_a_missing_year_is_reported_and_2019_format_chain_checked(tmp_path):
    folder = tmp_path / "缺年"
    write(folder, "2019.yaml", report(DISTRICT, 2019, carried_out=2, licences=(100, 5)))
    write(folder, "2020.yaml", report(DISTRICT, 2020, carried_in=2, licences=(104, 0)))
    write(folder, "2022.yaml", report(DISTRICT, 2022))
    chain = chain_of(run(folder), DISTRICT)
    assert chain.years == [2019, 2020, 2022] and chain.missing == [2021]
    missing = [f for f in chain.findings if "缺少" in f.message]
    assert len(missing) == 1 and Path(missing[0].file).name == "2022.yaml"
    assert "缺少 2021 年度的报告" in missing[0].message and missing[0].place == "历年"
    assert [f.message for f in chain.findings if f.place.startswith("表二")] == [
        "2020 年报告「行政许可」上一年项目数量 104，但 2019 年报告为 100（上一年项目数量）+ 5（本年增/减）= 105"]
    assert "缺少 2021 年度" in chain.summary() and "接不上 1 处" in chain.summary()


def test_carried_over_from_the_2019_format_into_the_2021_format(tmp_path):
    folder = tmp_path / "换格式"
    write(folder, "2020.yaml", report(DISTRICT, 2020, carried_out=4))
    write(folder, "2021.yaml", report("某市" + DISTRICT, 2021, carried_in=3))
    chain = chain_of(run(folder), DISTRICT)
    assert [f.message for f in chain.findings] == [
        "2021 年报告「自然人」上年结转 3 件，但 2020 年报告的结转下年度继续办理为 4 件"]


def test_a_year_with_errors_is_not_missing_but_not_paired(tmp_path):
    folder = tmp_path / "有错"
    four_years(folder)
    write(folder, "b.yaml", report(DISTRICT, 2022, carried_in=3, carried_out=2).replace("本年新收: 6", "本年新收: 六"))
    result = run(folder)
    assert any(f.severity == "错误" and Path(f.file).name == "b.yaml" for f in result.findings)
    chain = chain_of(result, DISTRICT)
    assert chain.years == [2021, 2022, 2023, 2024] and chain.missing == [] and chain.breaks == 0  # 2023→2024 only
    assert [(Path(f.file).name, f.message) for f in chain.findings if f.place == "历年"] == [
        ("b.yaml", "本报告有错误，2022 年度没有与前后年度核对")]


def test_an_unrelated_body_in_the_same_folder_is_not_chained_with_it(tmp_path):
    folder = tmp_path / "混合"
    four_years(folder)
    # Its own carried-over figures would break against the district's: they are never compared.
    write(folder, "e.yaml", report("示例县商务局", 2022, carried_in=7))
    write(folder, "f.yaml", report("示例县商务局", 2023, carried_in=0))
    write(folder, "g.yaml", report("商务局", 2024, carried_in=9))  # no place in its name: anyone's
    result = run(folder)
    assert sorted(c.body for c in result.chains) == ["某市某某区人民政府", "示例县商务局"]
    commerce = chain_of(result, "示例县商务局")
    assert commerce.years == [2022, 2023] and commerce.breaks == 0
    assert chain_of(result, DISTRICT).breaks == 3
    assert not [f for f in result.findings if Path(f.file).name == "g.yaml" and "年报告" in f.message]


def test_two_reports_of_one_body_and_year(tmp_path):
    folder = tmp_path / "重复"
    four_years(folder)
    # Another 2022 report with other figures: neither is chained with 2021 or 2023.
    write(folder, "b2.yaml", report(DISTRICT, 2022, carried_in=5, carried_out=2, rules=(1, 0, 9)))
    chain = chain_of(run(folder), DISTRICT)
    assert chain.duplicates == [2022]
    twice = [f for f in chain.findings if "同为本单位 2022 年度的报告" in f.message]
    assert len(twice) == 1 and twice[0].severity == "警告" and "表格数字不同" in twice[0].message
    assert {Path(twice[0].file).name, Path(twice[0].message.split(" ")[1]).name} == {"b.yaml", "b2.yaml"}
    # Only 2023→2024 is a pair now, and it carries over.
    assert chain.breaks == 0
    # The same report twice (the YAML and its .docx) is one report: the chain stays whole.
    same = tmp_path / "同一份"
    four_years(same)
    code, _, err = invoke(same / "b.yaml", "-o", same / "b.docx")
    assert code == 0, err
    chain = chain_of(run(same), DISTRICT)
    assert chain.duplicates == [2022] and chain.breaks == 3
    assert [f.severity for f in chain.findings if "同为本单位" in f.message] == ["提示"]


def test_chain_of_published_word_files(tmp_path):
    """The run read from .docx built by mkreport: import path, each file read once."""
    from generator.importing import recognize

    sources = tmp_path / "yaml"
    four_years(sources)
    published = tmp_path / "发布"
    published.mkdir()
    for source in sorted(sources.glob("*.yaml")):
        code, _, err = invoke(source, "-o", published / f"{source.stem}.docx")
        assert code == 0, err
    reads = []
    original, pool = recognize.read_report, audit.run_all
    recognize.read_report = lambda *a, **k: reads.append(1) or original(*a, **k)
    # Files are read in worker processes; here in this one, where the reads are counted.
    audit.run_all = lambda function, jobs, *a, **k: [function(job) for job in jobs]
    try:
        result = run(published)
    finally:
        recognize.read_report, audit.run_all = original, pool
    assert len(reads) == 4  # each file once, though the middle ones take part in two pairs
    chain = chain_of(result, DISTRICT)
    assert chain.years == [2021, 2022, 2023, 2024] and chain.breaks == 3
    assert any(f.message == "2022 年报告「自然人」上年结转 3 件，但 2021 年报告的结转下年度继续办理为 5 件"
               and Path(f.file).name == "b.docx" for f in chain.findings)


def test_cli_text_json_and_csv(tmp_path):
    folder = tmp_path / "区"
    four_years(folder)
    write(tmp_path / "区", "e.yaml", report("示例县商务局", 2022))
    code, out, _ = invoke("audit", folder)
    assert code == 0
    assert "历年核对" in out
    assert "某市某某区人民政府：2021、2022、2023、2024 年度；前后年度接不上 3 处" in out
    assert "也写作：「某某区人民政府」" in out
    assert "另有 2 处见下文「历年核对」" in out  # b.yaml: its two breaks are listed once, under the body
    assert out.count("2022 年报告「自然人」上年结转 3 件") == 1

    code, out, _ = invoke("audit", folder, "--format", "json")
    rows = json.loads(out)
    chain_rows = [r for r in rows if r["place"] == "历年" and "body" in r]
    assert chain_rows == [{
        "file": "某市某某区人民政府", "severity": "警告", "place": "历年", "rule": "",
        "message": "2021、2022、2023、2024 年度；前后年度接不上 3 处",
        "body": "某市某某区人民政府", "names": ["某市某某区人民政府", "某某区人民政府"],
        "years": [2021, 2022, 2023, 2024], "missing_years": [], "duplicate_years": [], "breaks": 3,
        "files": [str(folder / n) for n in ("a.yaml", "b.yaml", "c.yaml", "d.yaml")]}]
    per_file = [r for r in rows if "body" not in r]
    assert all(set(r) == {"file", "severity", "place", "message", "rule", "stated", "expected"} for r in per_file)
    assert all(r["rule"] for r in per_file)
    assert sum("年报告" in r["message"] for r in per_file) == 3

    code, out, _ = invoke("audit", folder, "--format", "csv")
    assert out.startswith("\ufeff")  # Excel on a Chinese Windows reads UTF-8 by its BOM
    table = list(csv.reader(io.StringIO(out[1:])))
    assert table[0] == ["文件", "规则", "严重程度", "位置", "问题", "报告中写的", "应为"] and len(table) == len(rows) + 1
    assert ["某市某某区人民政府", "", "警告", "历年", "2021、2022、2023、2024 年度；前后年度接不上 3 处", "", ""] in table


def test_previous_with_the_city_in_front_is_the_same_agency(tmp_path):
    last = write(tmp_path, "2022.yaml", report(DISTRICT, 2022, carried_out=2))
    now = write(tmp_path, "2023.yaml", report("某市" + DISTRICT, 2023, carried_in=2))
    code, out, _ = invoke("audit", now, "--previous", last)
    assert "机关名称" not in out and "上年结转" not in out
    code, _, err = invoke("check", now, "--previous", last)
    assert code == 0 and "机关名称" not in err
    other = write(tmp_path, "other.yaml", report("某县人民政府", 2022, carried_out=2))
    code, _, err = invoke("check", now, "--previous", other)
    assert "上年报告的机关名称是「某县人民政府」" in err


# -- Who is the same body ----------------------------------------------------------------

def test_body_key_ignores_width_spaces_and_format_characters():
    assert body_key("某市 某某区\u200b人民政府\ufeff") == "某市某某区人民政府"
    assert body_key("ＡＢ县　人民政府\u00ad") == "AB县人民政府"
    assert same_body("某某区人民政府", "某市某某区人民政府")
    assert same_body("某省某市某某区人民政府", "某某区人民政府")
    assert same_body("某市某某区人民政府", "某某区 人民政府")
    assert not same_body("某市人民政府", "某某区人民政府")
    assert not same_body("商务局", "某县商务局")  # 「商务局」 names no place
    assert not same_body("示例市市场监督管理局", "市场监督管理局")
    assert not same_body("某某区人民政府办公室", "某某区人民政府")


def test_a_short_name_shared_by_two_cities_joins_neither():
    keys = group(["甲市某某区人民政府", "乙市某某区人民政府", "某某区人民政府", "某省甲市某某区人民政府"])
    assert keys["甲市某某区人民政府"] == keys["某省甲市某某区人民政府"] == "某省甲市某某区人民政府"
    assert keys["乙市某某区人民政府"] == "乙市某某区人民政府"
    assert keys["某某区人民政府"] == "某某区人民政府"
    keys = group(["某某区人民政府", "某市某某区人民政府", "某省某市某某区人民政府"])
    assert set(keys.values()) == {"某省某市某某区人民政府"}
