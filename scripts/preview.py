"""Render a report to PNG pages, as a person would see it printed.

    python scripts/preview.py examples/shili-county-2023.yaml -o preview/

Builds the .docx with mkreport, converts it with LibreOffice, and turns the
PDF into PNG pages with pdftoppm (Debian: libreoffice-writer-nogui,
fonts-noto-cjk, poppler-utils). Official fonts such as 仿宋_GB2312 are rarely
installed on Linux; a fontconfig file maps them to the closest Noto CJK face,
so the preview shows serif body text and sans-serif headings as Word would.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

SUBSTITUTES = {
    "仿宋_GB2312": "Noto Serif CJK SC",
    "仿宋": "Noto Serif CJK SC",
    "宋体": "Noto Serif CJK SC",
    "方正小标宋简体": "Noto Serif CJK SC",
    "楷体_GB2312": "AR PL UKai CN",
    "楷体": "AR PL UKai CN",
    "黑体": "Noto Sans CJK SC",
}


def fontconfig(directory: Path) -> Path:
    aliases = "\n".join(
        f'  <alias binding="same"><family>{name}</family>'
        f"<prefer><family>{face}</family><family>Noto Serif CJK SC</family></prefer></alias>"
        for name, face in SUBSTITUTES.items()
    )
    path = directory / "fonts.conf"
    path.write_text('<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
                    '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n'
                    f"{aliases}\n</fontconfig>\n", encoding="utf-8")
    return path


def soffice() -> str:
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    sys.exit("找不到 LibreOffice：请安装 libreoffice-writer-nogui（apt-get install libreoffice-writer-nogui）")


def to_pdf(document: Path, outdir: Path) -> Path:
    """Convert a .docx to PDF with LibreOffice, with the font substitutes above."""
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, FONTCONFIG_FILE=str(fontconfig(Path(tmp))), HOME=tmp)
        subprocess.run([soffice(), "--headless", "--convert-to", "pdf", "--outdir", str(outdir),
                        str(document)], check=True, env=env, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, timeout=180)
    pdf = outdir / (document.stem + ".pdf")
    if not pdf.exists():
        sys.exit(f"LibreOffice 没有生成 {pdf}")
    return pdf


def main() -> None:
    parser = argparse.ArgumentParser(description="把年度报告渲染成 PNG 图片")
    parser.add_argument("source", type=Path, help="输入 YAML 或已生成的 .docx")
    parser.add_argument("-o", "--outdir", type=Path, default=Path("preview"), help="输出文件夹")
    parser.add_argument("-r", "--resolution", type=int, default=80, help="分辨率（dpi）")
    parser.add_argument("--pages", default="", help="只渲染这些页，如 1-2")
    args = parser.parse_args()
    args.outdir.mkdir(parents=True, exist_ok=True)
    document = args.source
    if document.suffix.lower() in (".yaml", ".yml"):
        document = args.outdir / (args.source.stem + ".docx")
        subprocess.run([sys.executable, "-m", "generator.cli", str(args.source), "-o", str(document)],
                       check=True)
    pdf = to_pdf(document, args.outdir)
    command = ["pdftoppm", "-png", "-r", str(args.resolution)]
    if args.pages:
        first, _, last = args.pages.partition("-")
        command += ["-f", first, "-l", last or first]
    subprocess.run([*command, str(pdf), str(args.outdir / args.source.stem)], check=True)
    print(f"已生成 {args.outdir}/{args.source.stem}-*.png")


if __name__ == "__main__":
    main()
