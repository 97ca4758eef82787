"""Word and WPS ignore a ``<w:zoom>`` without ``w:percent``; strict ISO 29500
validators refuse the file. Every report carries the attribute."""

from __future__ import annotations

import zipfile

import pytest
from helpers import OFFICIAL_EXAMPLES, build
from lxml import etree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.mark.parametrize("example", OFFICIAL_EXAMPLES[:2], ids=lambda p: p.stem)
def test_zoom_has_its_required_percent(example, tmp_path):
    output = build(example, tmp_path)
    settings = etree.fromstring(zipfile.ZipFile(output).read("word/settings.xml"))
    zooms = list(settings.iter(W + "zoom"))
    assert zooms and all(z.get(W + "percent", "").isdigit() for z in zooms)
