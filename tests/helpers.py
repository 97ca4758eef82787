"""Shared test helpers: run the real CLI, reopen the real .docx."""

from __future__ import annotations

import contextlib
import http.client
import io
import json
import re
from pathlib import Path

import docx
from docx2python import docx2python

from generator.cli import main

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
DATA = Path(__file__).resolve().parent / "data"
# Examples printed in the official wording; the others name a variant (格式文件)
# and are checked against that variant's wording in test_local_wording.py.
OFFICIAL_EXAMPLES = sorted(p for p in EXAMPLES.glob("*.yaml")
                           if "\n格式文件:" not in p.read_text(encoding="utf-8"))


def variant_of(example: Path) -> str | None:
    """The 格式文件 an example names (relative to the examples folder), or None."""
    import yaml

    data = yaml.safe_load(example.read_text(encoding="utf-8"))
    return data.get("格式文件") if isinstance(data, dict) else None

# ``python -c WRAPPER peak-file command...`` runs the command and writes the peak
# resident memory (KB) of it and of the processes it started and waited for.
WRAPPER = (
    "import resource, subprocess, sys\n"
    "r = subprocess.run(sys.argv[2:], stdin=subprocess.DEVNULL)\n"
    "open(sys.argv[1], 'w').write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))\n"
    "sys.exit(r.returncode)\n"
)


def post_to_served(url: str, api: str, body: dict, timeout: float = 60) -> tuple[int, dict]:
    """(status, answer) of ``POST /api/<api>`` to a running ``mkreport serve`` at the
    address it printed (``http://host:port/?t=token``), as the page sends it."""
    parts = re.match(r"http://([^/]+)/\?t=(.+)", url)
    host, token = parts.group(1), parts.group(2)
    connection = http.client.HTTPConnection(host, timeout=timeout)
    connection.request("POST", f"/api/{api}", body=json.dumps(body, ensure_ascii=False).encode("utf-8"),
                       headers={"Host": host, "X-Mkreport-Token": token, "Content-Type": "application/json"})
    response = connection.getresponse()
    return response.status, json.loads(response.read())


def invoke(*argv: str) -> tuple[int, str, str]:
    """Run ``mkreport`` in-process; any exception other than exit is a traceback."""
    out, err = io.StringIO(), io.StringIO()
    code = None
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main([str(a) for a in argv])
        except SystemExit as exc:
            code = exc.code
    assert code is not None, "main() must always end with sys.exit"
    assert "内部错误" not in err.getvalue(), err.getvalue()
    return int(code), out.getvalue(), err.getvalue()


def two_years(folder: Path, agency: str, year: int, last: str, this: str) -> Path:
    """Last year's file and this year's (which names it as 上年报告), each with the
    given body after 机关名称 and 年度; returns this year's file."""
    (folder / f"{year - 1}.yaml").write_text(f"机关名称: {agency}\n年度: {year - 1}\n{last}", encoding="utf-8")
    path = folder / f"{year}.yaml"
    path.write_text(f"机关名称: {agency}\n年度: {year}\n上年报告: {year - 1}.yaml\n{this}", encoding="utf-8")
    return path


def build(source: Path, tmp_path: Path, *extra: str) -> Path:
    """Build a .docx with the real command; a second, independent reader must open it."""
    output = tmp_path / (source.stem + ".docx")
    code, out, err = invoke(source, "-o", output, *extra)
    assert code == 0, err
    with docx2python(str(output)) as document:
        assert "政府信息公开工作年度报告" in document.text
    return output


def tables(path: Path) -> list:
    return docx.Document(str(path)).tables


def cell_text(cell) -> str:
    """A cell's text; a line break inside a label is layout, not wording."""
    return cell.text.replace("\n", "")


def rows_text(table) -> list[list[str]]:
    """Every row as the text of each grid column (merged cells repeat)."""
    return [[cell_text(cell) for cell in row.cells] for row in table.rows]


def row_cells(table, r: int) -> list[str]:
    """The texts of the distinct cells of row r, left to right (merges once)."""
    seen, out = set(), []
    for cell in table.rows[r].cells:
        if id(cell._tc) not in seen:
            seen.add(id(cell._tc))
            out.append(cell_text(cell))
    return out


def span(table, r: int, c: int) -> tuple[int, int]:
    """(rowspan, colspan) of the merged cell covering grid position (r, c)."""
    grid = [[cell._tc for cell in row.cells] for row in table.rows]
    tc = grid[r][c]
    cells = [(i, j) for i, row in enumerate(grid) for j, x in enumerate(row) if x is tc]
    rows = {i for i, _ in cells}
    cols = {j for _, j in cells}
    return len(rows), len(cols)


def paragraphs(path: Path) -> list[tuple[str, str]]:
    """(style id, text) of every body paragraph outside tables."""
    document = docx.Document(str(path))
    return [(p.style.style_id, p.text) for p in document.paragraphs]
