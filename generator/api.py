"""What the command line does, callable from Python."""

from __future__ import annotations

import datetime as dt
import json
import os
import stat
from pathlib import Path

from generator.checks.validate import Checked, check_bytes, check_file
from generator.errors import WARNING, InputError, MkreportError, Problem
from generator.files import check_destination, read_input, same_file, write_atomic
from generator.formats import for_year, with_chapters, year_refusal
from generator.reading import schema as S
from generator.reading import starter as starter_file

KINDS = (".docx", ".html", ".pdf", ".svg", ".png")
__all__ = ["build", "check", "check_destination", "merge", "render", "starter", "write_starter"]
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


def render(checked: Checked, kind: str = ".docx", reference: Path | None = None, theme: str = "red",
           scale: float = 1.0) -> bytes:
    """The output file's bytes for a checked, error-free report (.svg and .png: the 图解)."""
    from generator.rendering import html, pdf, word
    from generator.rendering.compose import compose

    assert checked.report is not None
    if kind in (".svg", ".png"):
        return graphic_bytes(checked, kind, theme, scale)
    if kind == ".pdf" and (too_long := pdf.long_paragraphs(checked)):  # before LibreOffice starts
        raise InputError(too_long)
    blocks = compose(checked.report)
    if kind == ".html":
        return html.render(blocks)
    document = word.render(blocks, reference)
    if kind == ".pdf":
        return pdf.convert(document)
    return document


def graphic_bytes(checked: Checked, kind: str, theme: str = "red", scale: float = 1.0) -> bytes:
    """The 图解 of a checked report; with last year's report, figures show the change."""
    from generator.rendering import graphic

    assert checked.report is not None
    last = None
    if checked.previous is not None:
        last = check_file(checked.previous, follow_previous=False).report
    text = graphic.svg(checked.report, theme, last)
    return text.encode("utf-8") if kind == ".svg" else graphic.png(text, scale)


def build(source: Path, output: Path, *, reference: Path | None = None,
          variant: Path | None = None, previous: Path | None = None, strict: bool = False,
          theme: str = "red", scale: float = 1.0) -> Checked:
    """Check ``source`` and write the report to ``output``.

    Raises InputError (with every problem) when the input has errors, or with
    ``strict`` when it has warnings; nothing is written then.
    """
    from generator.rendering import pdf, word

    kind = output_kind(output)
    check_destination(output, [source, reference, variant, previous])
    if kind == ".pdf" and pdf.soffice() is None:
        raise MkreportError(pdf.INSTALL_HINT)
    checked = check_file(source, variant=variant, previous=previous)
    if kind != ".html":
        ref = word.load_reference(reference)
        checked.problems += [Problem(str(reference), None, None, "", notice, severity=WARNING)
                             for notice in ref.notices]
    if checked.errors or (strict and checked.warnings):
        raise InputError(checked.problems)
    # 上年报告 named inside the file is an input too.
    check_destination(output, [checked.previous, checked.variant])
    write_atomic(output, render(checked, kind, reference, theme, scale))
    if kind == ".pdf":
        notice = pdf.substitution_notice()
        if notice:
            checked.notices.append(notice)
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
    refusal = year_refusal(year, dt.date.today().year)
    fmt = for_year(year)
    if refusal or fmt is None:
        raise MkreportError("；".join(refusal or (f"不支持 {year} 年度",)))
    if last is not None and last.report is not None:
        where = output.parent if output is not None else Path(".")
        values = starter_file.prefill(fmt, last.report, os.path.relpath(previous, where))
        chapters = last.report.fmt.chapter_order
        if chapters and last.report.fmt.source == last.report.fmt.id:
            fmt = with_chapters(fmt, chapters)  # the office's own chapters, to be filled in again
        elif last.report.fmt.source != last.report.fmt.id and last.report.fmt.covers(year):
            values[(S.VARIANT,)] = os.path.relpath(last.report.fmt.source, where)  # the province's variant
            fmt = last.report.fmt
    return starter_file.starter(fmt, year, SCHEMA_NAME, values), schema_text()


def import_report(source: Path, variant: Path | None = None, output: Path | None = None
                  ) -> tuple[str, list[str]]:
    """A published report (.docx, web page, PDF or text) as a YAML input file,
    and what the user should know about it (fuzzy matches, unplaced text, printed
    totals that do not add up). Raises MkreportError when it cannot be read whole."""
    from generator import formats
    from generator.checks.audit import printed_totals
    from generator.importing import documents, recognize, write

    fmt = formats.load_file(variant) if variant is not None else None
    try:
        found = recognize.read_report(documents.lines_of(source), fmt)
    except recognize.NotAReport as exc:
        raise MkreportError(f"{source} 无法识别为政府信息公开工作年度报告：{exc}") from exc
    if variant is not None:
        where = output.parent if output is not None else Path(".")
        found.data = {S.VARIANT: os.path.relpath(variant, where), **found.data}
    notes = list(found.notices) + [f"表头按近似匹配读取：{f}" for f in found.fuzzy]
    notes += [f"没有放入任何一项的内容：{u}" for u in found.unplaced]
    checked = check_bytes(str(output or source), write.dump(found.data, []).encode("utf-8"))
    if checked.report is not None:
        notes += [f"原报告印出的合计与各项之和不符：{m}" for m in printed_totals(checked.report, found.printed)]
    header = [f"由 mkreport import 从 {source.name} 读取（{found.fmt.name}）。", ""]
    header += notes + ([""] if notes else [])
    header += ["请核对后再生成报告：mkreport check 本文件"]
    return write.dump(found.data, header), notes


def labels(year: int | None = None, variant: Path | None = None) -> list[tuple[str, str]]:
    """Every label 表头调整 can change, with the text printed now."""
    from generator import formats

    if variant is not None:
        fmt = formats.load_file(variant)
    else:
        year = year or dt.date.today().year - 1
        refusal = year_refusal(year, dt.date.today().year)
        fmt = for_year(year)
        if refusal or fmt is None:
            raise MkreportError("；".join(refusal or (f"不支持 {year} 年度",)))
    return formats.printed_labels(fmt)


def schema_text() -> str:
    return json.dumps(S.combined(), ensure_ascii=False, indent=2) + "\n"


def write_starter(output: Path, text: str, schema_text: str, inputs: list[Path | None] = (),
                  schema_optional: bool = False) -> str | None:
    """Write a YAML file and the editor's schema beside it; never over an input.

    The schema goes first: when it cannot be written, the YAML is not touched
    and the pair stays as it was. With ``schema_optional`` (``serve``, where the
    YAML is what the clerk saves and the schema only an editor's aid) the YAML
    is written all the same, and what went wrong with the schema is returned
    as a warning. The schema file is read only up to the size it should have.
    """
    check_destination(output, list(inputs))
    schema_path = output.parent / SCHEMA_NAME
    if any(p is not None and same_file(Path(p), schema_path) for p in inputs):
        raise MkreportError(f"{schema_path} 是本次要读取的文件，拒绝覆盖")
    expected = schema_text.encode("utf-8")
    try:
        info = os.stat(schema_path)
    except OSError:
        info = None  # none yet (or a dangling link): written below
    current = None
    if info is not None and stat.S_ISREG(info.st_mode) and info.st_size == len(expected):
        try:
            current = read_input(schema_path, limit=len(expected))
        except MkreportError:
            pass  # unreadable: written anew
    warning = None
    try:
        if info is not None and not stat.S_ISREG(info.st_mode):
            # A folder, a pipe or a device of that name is not ours to replace.
            if schema_optional:
                warning = f"{schema_path} 不是普通文件，没有更新它"
        elif current != expected:
            write_atomic(schema_path, expected)
    except MkreportError as exc:
        if not schema_optional:
            raise
        warning = str(exc)
    write_atomic(output, text.encode("utf-8"))
    return warning


def merge(units: list[Path], name: str, output: Path | None) -> str:
    """The combined YAML of several unit reports of one year."""
    from generator import merge as merging

    problems = merging.duplicate_files(units)
    if problems:
        raise InputError(problems)
    checks = [check_file(u, follow_previous=False) for u in units]
    problems = [p for c in checks for p in c.errors]
    if problems:
        raise InputError(problems)
    reports = [c.report for c in checks if c.report is not None]
    problems = merging.consistency(reports, [str(u) for u in units])
    problems += merging.duplicate_agencies(reports, [str(u) for u in units])
    if problems:
        raise InputError(problems)
    values, notes = merging.sum_reports(reports)
    values[(S.AGENCY,)] = name
    fmt = reports[0].fmt
    preamble = merging.unit_list(reports, units) + ([""] + notes if notes else [])
    return starter_file.starter(fmt, reports[0].year, SCHEMA_NAME, values, preamble)
