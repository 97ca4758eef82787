"""Building every report in a folder, in parallel, past bad files."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from generator import api
from generator.errors import InputError, MkreportError
from generator.parallel import FILE_TIMEOUT, file_timeout, run_all
from generator.rendering import pdf


@dataclass(frozen=True)
class Outcome:
    source: Path
    output: Path
    error: str = ""  # the first problem, when the file could not be built

    @property
    def ok(self) -> bool:
        return not self.error


def _build_one(job: tuple[Path, Path, Path | None, bool]) -> Outcome:
    source, output, reference, graphic = job
    try:
        checked = api.build(source, output, reference=reference)
        if graphic:  # the 图解 beside the report, from the same checked model
            from generator.files import write_atomic

            write_atomic(graphic_name(output), api.graphic_bytes(checked, ".png"))
    except InputError as exc:
        first = next((p for p in exc.problems if p.is_error), exc.problems[0])
        more = len([p for p in exc.problems if p.is_error]) - 1
        return Outcome(source, output, str(first).split("\n")[0] + (f"（另有 {more} 处错误）" if more > 0 else ""))
    except MkreportError as exc:
        return Outcome(source, output, str(exc))
    except Exception as exc:  # one broken file must not stop the batch
        return Outcome(source, output, f"内部错误（{type(exc).__name__}: {exc}）")
    return Outcome(source, output)


def _skipped(job: tuple[Path, Path, Path | None, bool], reason: str) -> Outcome:
    """A file that ran out of time (or whose worker died): failed, and the batch goes on."""
    return Outcome(job[0], job[1], reason)


def inputs(folder: Path) -> list[Path]:
    """The folder's input files: not hidden files, nor the drafts ``mkreport serve``
    keeps beside a file while its changes are not saved (「单位.草稿.yaml」)."""
    return sorted(p for p in folder.iterdir()
                  if p.suffix.lower() in (".yaml", ".yml") and p.is_file() and not p.name.startswith(".")
                  and not p.stem.endswith(".草稿"))


def _clashes(sources: list[Path], kind: str) -> dict[Path, str]:
    """Inputs whose reports would share one output name (dup.yaml and dup.yml,
    or 甲.yaml and 甲.YAML on Windows): none of them is built."""
    by_name: dict[str, list[Path]] = {}
    for source in sources:
        by_name.setdefault((source.stem + kind).casefold(), []).append(source)
    clashes = {}
    for group in by_name.values():
        if len(group) > 1:
            names = "、".join(p.name for p in group)
            for source in group:
                clashes[source] = (f"{names} 会生成同名的报告 {group[0].stem}{kind}，"
                                   "为避免互相覆盖都没有生成；请改名后重试")
    return clashes


def graphic_name(output: Path) -> Path:
    return output.with_name(f"{output.stem}-图解.png")


def build_all(folder: Path, outdir: Path, kind: str = ".docx", reference: Path | None = None,
              workers: int | None = None, progress: bool | None = None, graphic: bool = False) -> list[Outcome]:
    sources = inputs(folder)
    clashes = _clashes(sources, kind)
    jobs = [(s, outdir / (s.stem + kind), reference, graphic) for s in sources if s not in clashes]
    refused = [Outcome(s, outdir / (s.stem + kind), reason) for s, reason in clashes.items()]
    # A PDF waits for LibreOffice too, which has its own time limit.
    timeout = file_timeout(FILE_TIMEOUT + (pdf.TIMEOUT if kind == ".pdf" else 0))
    return run_all(_build_one, jobs, "生成报告", workers, progress, done=refused, failed=_skipped, timeout=timeout)
