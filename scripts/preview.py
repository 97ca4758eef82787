"""Render a report to PNG pages, as a person would see it printed.

    python scripts/preview.py examples/shili-county-2023.yaml -o preview/

Builds the .docx with mkreport, converts it to PDF with LibreOffice (with the
same font substitutes as ``mkreport -o x.pdf``), and turns the PDF into PNG
pages with pdftoppm. Debian packages: libreoffice-writer-nogui,
fonts-arphic-uming (宋/仿宋), fonts-arphic-ukai (楷体), fonts-wqy-zenhei (黑体), poppler-utils.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

from generator.rendering import pdf as office


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
    pdf = args.outdir / (args.source.stem + ".pdf")
    pdf.write_bytes(office.convert(document.read_bytes()))
    command = ["pdftoppm", "-png", "-r", str(args.resolution)]
    if args.pages:
        first, _, last = args.pages.partition("-")
        command += ["-f", first, "-l", last or first]
    subprocess.run([*command, str(pdf), str(args.outdir / args.source.stem)], check=True)
    print(f"已生成 {args.outdir}/{args.source.stem}-*.png")


if __name__ == "__main__":
    main()
