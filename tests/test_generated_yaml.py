"""What mkreport writes as YAML (init --from, merge) reads back to the same values.

Names with colons, the word yes, line breaks, quotes, 「#」: each must come back
exactly, and nothing in a name may turn a comment into a live key.
"""

from __future__ import annotations

import copy

from helpers import EXAMPLES, invoke
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.checks.validate import check_bytes, check_file
from generator.reading import schema as S
from generator.reading import starter

BASE = check_file(EXAMPLES / "shili-county-2023.yaml").report
assert BASE is not None

# Text a clerk might type, and text that means something to YAML.
TRICKY = st.sampled_from(["yes", "no", "on", "null", "~", "true", "0571", "071000", "1e3", "0x1F",
                          "1:30", "a: b", "a #b", "#a", "- a", "&a", "*a", "!a", "|", ">", "'", '"',
                          "{a}", "[a]", "%a", "@a", "`a", "a:", " a", "a ", "\u3000某", "某\u2028县",
                          "某\x85县", "某\t县", "\\n", "某\n县"])
NAMES = st.one_of(TRICKY, st.text(min_size=1, max_size=30), st.lists(TRICKY, min_size=1, max_size=4)
                  .map("".join))



@settings(max_examples=400, deadline=None)
@given(agency=NAMES, office=NAMES, postcode=NAMES, phone=NAMES, url=NAMES)
def test_init_from_reads_back_to_the_same_values(agency, office, postcode, phone, url):
    report = copy.copy(BASE)
    report.agency = agency
    report.contact = copy.copy(BASE.contact)
    report.contact.office, report.contact.postcode, report.contact.phone = office, postcode, phone
    report.portal_url = url
    values = starter.prefill(BASE.fmt, report, "上年.yaml")
    text = starter.starter(BASE.fmt, BASE.year + 1, "report.schema.json", values,
                           preamble=[f"由 {agency} 合并", agency])
    checked = check_bytes("新.yaml", text.encode("utf-8"))
    data = checked.source.data
    assert isinstance(data, dict), [str(p) for p in checked.problems]
    # Every value written comes back as written; comments stay comments.
    assert data[S.AGENCY] == agency
    assert data[S.CONTACT]["办公室"] == office
    assert data[S.CONTACT]["邮编"] == postcode
    assert data[S.CONTACT]["电话"] == phone
    assert data[S.PORTAL]["网址"] == url
    assert S.OPENING not in data
    assert not [p for p in checked.problems if "YAML" in p.message or "键重复" in p.message]


def test_merge_of_hostile_names_is_inert(tmp_path):
    unit = (EXAMPLES / "mouxian-commerce-2021.yaml").read_text(encoding="utf-8")
    a = tmp_path / "a.yaml"
    b = tmp_path / "b.yaml"
    a.write_text(unit.replace("机关名称: 某县商务局", '机关名称: "甲局: yes # 注"'), encoding="utf-8")
    b.write_text(unit.replace("机关名称: 某县商务局", "机关名称: 乙局"), encoding="utf-8")
    out = tmp_path / "合并.yaml"
    code, _, err = invoke("merge", a, b, "--name", "某县: 人民政府", "-o", out)
    assert code == 0, err
    data = check_file(out).source.data
    assert data[S.AGENCY] == "某县: 人民政府"
    assert "甲局: yes # 注" in out.read_text(encoding="utf-8")
