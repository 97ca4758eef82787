"""The wheel holds nothing but the package ``generator`` (templates and formats
inside it), and the installed package builds a report from any directory."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from docx import Document
from helpers import EXAMPLES, ROOT


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    result = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(ROOT)],
                            capture_output=True, text=True, timeout=600)
    if result.returncode and not os.environ.get("CI"):
        pytest.skip(f"pip could not build the wheel here: {result.stderr[-300:]}")
    assert result.returncode == 0, result.stderr
    (found,) = out.glob("mkreport-*.whl")
    return found


def test_the_wheel_holds_only_the_generator_package(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    tops = {n.split("/")[0] for n in names}
    assert tops == {"generator", next(t for t in tops if t.endswith(".dist-info"))}, tops
    for needed in ("generator/templates/reference.docx", "generator/templates/text.j2",
                   "generator/templates/report.html.j2", "generator/templates/graphic.svg.j2",
                   "generator/templates/serve/app.js", "generator/templates/serve/form.html.j2",
                   "generator/formats/gov2019.yaml", "generator/formats/gov2021.yaml"):
        assert needed in names, needed
    # Every package of the source tree is in the wheel (a new one must be listed in pyproject.toml).
    packages = {str(p.parent.relative_to(ROOT)) for p in (ROOT / "generator").rglob("__init__.py")}
    assert packages <= {str(Path(n).parent) for n in names}, packages


def test_the_installed_wheel_builds_a_report_outside_the_repository(wheel, tmp_path):
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
                   check=True, capture_output=True, timeout=300)
    work = tmp_path / "work"
    work.mkdir()
    shutil.copy(EXAMPLES / "shili-county-2023.yaml", work / "单位.yaml")
    # The installed copy comes first on the path; the repository is nowhere on it.
    env = dict(os.environ, PYTHONPATH=str(target))
    where = subprocess.run([sys.executable, "-c", "import generator, generator.rendering.compose as c; "
                            "print(generator.__file__); print(c.templates_dir())"],
                           cwd=work, env=env, capture_output=True, text=True, check=True).stdout.split()
    assert all(Path(w).is_relative_to(target) for w in where), where
    for output in ("报告.docx", "报告.html"):
        result = subprocess.run([sys.executable, "-m", "generator.cli", "单位.yaml", "-o", output], cwd=work,
                                env=env, capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr
    text = "\n".join(p.text for p in Document(str(work / "报告.docx")).paragraphs)
    assert "示例县人民政府2023年\n政府信息公开工作年度报告" in text  # the title in two lines
    assert "<table" in (work / "报告.html").read_text(encoding="utf-8")
