"""What the command line does, callable from Python."""

from __future__ import annotations

from pathlib import Path

from . import render_docx
from .compose import compose
from .errors import InputError, MkreportError
from .output import check_destination, write_atomic
from .validate import Checked, check_file

KINDS = (".docx",)


def output_kind(output: Path) -> str:
    suffix = output.suffix.lower()
    if suffix not in KINDS:
        raise MkreportError(f"不支持的输出类型「{output.suffix or '（无扩展名）'}」：输出文件名应以 "
                            + " 或 ".join(KINDS) + " 结尾")
    return suffix


def check(source: Path, variant: Path | None = None) -> Checked:
    """Check ``source`` without writing anything."""
    return check_file(source, variant=variant)


def render(checked: Checked, kind: str = ".docx", reference: Path | None = None) -> bytes:
    """The output file's bytes for a checked, error-free report."""
    assert checked.report is not None
    blocks = compose(checked.report)
    return render_docx.render(blocks, reference)


def build(source: Path, output: Path, *, reference: Path | None = None,
          variant: Path | None = None, strict: bool = False) -> Checked:
    """Check ``source`` and write the report to ``output``.

    Raises InputError (with every problem) when the input has errors, or with
    ``strict`` when it has warnings; nothing is written then.
    """
    kind = output_kind(output)
    check_destination(output, [source])
    checked = check_file(source, variant=variant)
    if checked.errors or (strict and checked.warnings):
        raise InputError(checked.problems)
    write_atomic(output, render(checked, kind, reference))
    return checked
