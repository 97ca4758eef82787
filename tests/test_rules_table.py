"""The README's table of audit rules lists every rule, with its id and severity,
as generator/checks/rules.py defines them; every finding of check and audit on the
examples names a rule that exists."""

from __future__ import annotations

import json

from helpers import EXAMPLES, ROOT, invoke

from generator.checks.rules import RULES


def test_readme_lists_every_rule():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for rule in RULES.values():
        assert f"| `{rule.id}` | {rule.severity} | {rule.title} |" in readme, rule.id


def test_every_finding_names_a_known_rule():
    code, out, _ = invoke("audit", EXAMPLES, "--format", "json")
    findings = [f for f in json.loads(out) if "body" not in f]
    assert {f["rule"] for f in findings if f["rule"]} <= set(RULES)
    for finding in findings:
        if finding["rule"]:
            assert finding["severity"] == RULES[finding["rule"]].severity
