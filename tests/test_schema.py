"""The published JSON Schema is the validator's own, and every example passes it."""

from __future__ import annotations

import json

import jsonschema
import pytest
import yaml
from helpers import EXAMPLES, ROOT, invoke

SCHEMA_FILE = ROOT / "schema" / "report.schema.json"


def test_committed_schema_is_current():
    code, out, err = invoke("schema")
    assert code == 0
    assert json.loads(out) == json.loads(SCHEMA_FILE.read_text(encoding="utf-8")), \
        "schema/report.schema.json is stale: run  mkreport schema > schema/report.schema.json"


@pytest.mark.parametrize("example", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.stem)
def test_example_validates_against_schema(example):
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    data = yaml.safe_load(example.read_text(encoding="utf-8"))
    data = json.loads(json.dumps(data, default=str))  # as an editor sees it: dates are strings
    jsonschema.Draft7Validator(schema).validate(data)
    assert example.read_text(encoding="utf-8").startswith(
        "# yaml-language-server: $schema=../schema/report.schema.json\n")


def test_schema_rejects_what_the_tool_rejects():
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    validator = jsonschema.Draft7Validator(schema)
    bad = {"机关名称": "某县商务局", "年度": 2021,
           "收到和处理政府信息公开申请情况": {"自然人": {"本年新收": "12件"}}}
    assert list(validator.iter_errors(bad))
    old = {"机关名称": "某县商务局", "年度": 2020,
           "收到和处理政府信息公开申请情况": {"自然人": {"其他处理": {"其他": 1}}}}
    assert list(validator.iter_errors(old)), "2019 format has a single 其他处理 row"
    assert not list(validator.iter_errors({"机关名称": "某县商务局", "年度": 2020,
                                           "收到和处理政府信息公开申请情况": {"自然人": {"其他处理": 1}}}))
