"""What the command line does, callable from Python."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

from . import render_docx, render_html, render_pdf
from . import schema as S
from . import starter as starter_file
from .compose import compose
from .errors import InputError, MkreportError
from .formats import for_year
from .files import check_destination, write_atomic
from .validate import Checked, check_file

KINDS = (".docx", ".html", ".pdf")
SCHEMA_NAME = "report.schema.json"


def output_kind(output: Path) -> str:
    suffix = output.suffix.lower()
    if suffix not in KINDS:
        raise MkreportError(f"不支持的输出类型「{output.suffix or '（无扩展名）'}」：输出文件名应以 "
                            + "、".join(KINDS) + " 之一结尾")
    return suffix


def check(source: Path, variant: Path | None = None, previous: Path | None = None) -> Checked:
    """Check ``source`` without writing anything."""
    return check_file(source, variant=variant, previous=previous)


def render(checked: Checked, kind: str = ".docx", reference: Path | None = None) -> bytes:
    """The output file's bytes for a checked, error-free report."""
    assert checked.report is not None
    blocks = compose(checked.report)
    if kind == ".html":
        return render_html.render(blocks)
    document = render_docx.render(blocks, reference)
    if kind == ".pdf":
        return render_pdf.convert(document)
    return document


def build(source: Path, output: Path, *, reference: Path | None = None,
          variant: Path | None = None, previous: Path | None = None, strict: bool = False) -> Checked:
    """Check ``source`` and write the report to ``output``.

    Raises InputError (with every problem) when the input has errors, or with
    ``strict`` when it has warnings; nothing is written then.
    """
    kind = output_kind(output)
    check_destination(output, [source])
    if kind == ".pdf" and render_pdf.soffice() is None:
        raise MkreportError(render_pdf.INSTALL_HINT)
    checked = check_file(source, variant=variant, previous=previous)
    if checked.errors or (strict and checked.warnings):
        raise InputError(checked.problems)
    write_atomic(output, render(checked, kind, reference))
    return checked


def starter(year: int | None, previous: Path | None, output: Path | None) -> tuple[str, str]:
    """A commented starter file (and the schema file an editor reads beside it)."""
    values = {}
    last = None
    if previous is not None:
        last = check_file(previous, follow_previous=False)
        if last.errors or last.report is None:
            raise InputError(last.problems)
    if year is None:
        year = last.report.year + 1 if last and last.report else dt.date.today().year - 1
    fmt = for_year(year)
    if fmt is None:
        raise MkreportError(f"不支持 {year} 年度：只能生成 2019 年度至今年的报告")
    if last is not None and last.report is not None:
        where = output.parent if output is not None else Path(".")
        values = starter_file.prefill(fmt, last.report, os.path.relpath(previous, where))
    return starter_file.starter(fmt, year, SCHEMA_NAME, values), schema_text()


def schema_text() -> str:
    return json.dumps(S.combined(), ensure_ascii=False, indent=2) + "\n"


def write_starter(output: Path, text: str, schema_text: str) -> None:
    check_destination(output, [])
    write_atomic(output, text.encode("utf-8"))
    schema_path = output.parent / SCHEMA_NAME
    if not schema_path.exists() or schema_path.read_text(encoding="utf-8") != schema_text:
        write_atomic(schema_path, schema_text.encode("utf-8"))


def merge(units: list[Path], name: str, output: Path | None) -> str:
    """The combined YAML of several unit reports of one year."""
    from . import merge as merging

    checks = [check_file(u, follow_previous=False) for u in units]
    problems = [p for c in checks for p in c.errors]
    if problems:
        raise InputError(problems)
    reports = [c.report for c in checks if c.report is not None]
    problems = merging.consistency(reports, [str(u) for u in units])
    if problems:
        raise InputError(problems)
    values, notes = merging.sum_reports(reports)
    values[(S.AGENCY,)] = name
    fmt = reports[0].fmt
    preamble = merging.unit_list(reports, units) + ([""] + notes if notes else [])
    return starter_file.starter(fmt, reports[0].year, SCHEMA_NAME, values, preamble)
