"""Blocks → a standalone HTML page, through templates/report.html.j2.

Autoescaping is on: any text from the YAML prints as text, never as markup.
"""

from __future__ import annotations

import functools
from pathlib import Path

import jinja2

from generator.rendering.compose import TITLE, Block, templates_dir


@functools.lru_cache(maxsize=4)
def _template(directory: str) -> jinja2.Template:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(directory),
                             autoescape=True, undefined=jinja2.StrictUndefined)
    return env.get_template("report.html.j2")


def render(blocks: list[Block], templates: Path | None = None) -> bytes:
    title = next((b.text for b in blocks if b.kind == TITLE), "")
    html = _template(str(templates or templates_dir())).render(blocks=blocks, title=title)
    return html.encode("utf-8")
