"""Fixtures shared by the test files of ``mkreport serve``."""

from __future__ import annotations

import shutil

import pytest
from helpers import EXAMPLES


@pytest.fixture
def running(tmp_path):
    """``mkreport serve`` of a copy of the county example, on a real port."""
    from test_serve import Running

    shutil.copy(EXAMPLES / "shili-county-2023.yaml", tmp_path / "county.yaml")
    served = Running(tmp_path / "county.yaml")
    yield served
    served.close()
