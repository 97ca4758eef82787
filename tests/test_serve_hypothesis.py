"""Any state the page can send is either saved so that `mkreport check` reads back
the same values and reports the same errors, or refused with a message at the
key that cannot be written — never silently dropped.

The page's data is the example's, with random values put anywhere: strings under
keys with sub-keys, lists and mappings where one figure or one text belongs,
unknown keys, nested junk, empty keys, unicode, YAML syntax in text. The
Session is exercised directly (the HTTP layer is tested in test_serve_safety.py).
"""

from __future__ import annotations

import copy
import hashlib
import shutil
from decimal import Decimal

import pytest
from helpers import EXAMPLES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.checks.validate import check_file
from generator.reading import schema as S
from generator.reading.source import format_path
from generator.serving import server

# Texts that mean something to YAML, to the reader's slip-mending, or to a number.
TRICKY = ["", " ", "0", "010", "-0", "+5", "1.50", "1e3", "5:", "48件", "true", "null", "~", "- x", "# x",
          "a: b", "机关名称：某局", "概述:x", "依申请公开：做法", "\n", "a\nb", "'", '"', "{", "[]", "&a", "*a",
          "!x", "|", "> x", "%", "@", "`", "\t", "\x00", "\x85", "\u2028", "\ufeff", "2023年", "2024-01-20",
          "…", "\U0001f600", "<<", "---", "...", "99999999999999999999"]
TEXT = st.one_of(st.sampled_from(TRICKY),
                 st.text(st.characters(exclude_categories=("Cs",)), max_size=10))
SCALAR = st.one_of(st.none(), st.booleans(), st.integers(-10**18, 10**18), TEXT)
VALUE = st.recursive(SCALAR, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                     st.dictionaries(TEXT, inner, max_size=3)),
                     max_leaves=8)


@pytest.fixture(scope="module")
def session(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hypothesis")
    path = folder / "report.yaml"
    shutil.copy(EXAMPLES / "shili-county-2023.yaml", path)
    return server.Session(path)


@pytest.fixture(scope="module")
def example(session) -> dict:
    """The example's data as the page gets it."""
    return session.open()["data"]


def key_paths(value, path=()):
    """Every key path of the example's data, and whether it holds a mapping."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield (*path, key), isinstance(item, dict)
            yield from key_paths(item, (*path, key))


def put(data: dict, path: tuple, value) -> bool:
    node = data
    for step in path[:-1]:
        if not isinstance(node.get(step), dict):
            return False  # an earlier change put something else there
        node = node[step]
    node[path[-1]] = value
    return True


_MISSING = object()


def as_text(value) -> str:
    return format(value, "f") if isinstance(value, Decimal) else str(value)


def holds(sent, back, source, path=()) -> list[tuple]:
    """Where the file read back by `mkreport check` (data, numbers as written,
    keys left empty) does not hold what was sent; [] when it holds all of it."""
    if sent is None:
        return [] if back is _MISSING or back is None else [path]
    if sent == "" and back is _MISSING:
        return [] if path in source.blank else [path]  # a figure left empty is written empty
    if isinstance(sent, dict):
        if not isinstance(back, dict):
            return [path]
        return [p for k, v in sent.items() for p in holds(v, back.get(k, _MISSING), source, (*path, k))]
    if isinstance(sent, list):
        if not isinstance(back, list) or len(back) != len(sent):
            return [path]
        return [p for i, v in enumerate(sent) for p in holds(v, back[i], source, (*path, i))]
    if back is _MISSING or back is None or isinstance(back, (dict, list)):
        return [path]
    return [] if as_text(sent) == source.raw.get(path, as_text(back)) else [path]


def misfit(root: dict, path: tuple, value) -> bool:
    """Whether the format has no place of this kind for the value at ``path``."""
    if value is None or path[:1] == (S.LABELS,):
        return False
    node = S.node_at(root, path)
    if node is None:
        return True
    node = S.deref(node, root)
    if "properties" in node:
        return not isinstance(value, dict)
    if S.is_figure(node) and node.get("x-kind") != "count-noted" or node.get("x-kind") in ("text", "date", "year"):
        return isinstance(value, (dict, list))
    if node.get("x-kind") == "bullets":
        return isinstance(value, dict)
    return False


def related(a: tuple, b: tuple) -> bool:
    return a[:len(b)] == b[:len(a)]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(st.data())
def test_what_the_page_sends_is_saved_whole_or_refused_at_its_key(session, example, data):
    page = copy.deepcopy(example)
    places = list(key_paths(page))
    changes = data.draw(st.lists(st.tuples(st.sampled_from(places), st.one_of(st.none(), TEXT), VALUE),
                                 min_size=1, max_size=3))
    changed = []
    for (path, is_mapping), new_key, value in changes:
        where = (*path, new_key) if is_mapping and new_key is not None else path
        if where[:1] == (S.PREVIOUS,) or where[:1] == (S.VARIANT,):
            continue  # these name other files; test_serve covers them
        if put(page, where, value):
            changed.append((where, value))
    state = session.state(page)
    errors = {(tuple(p["path"]), p["message"]) for p in state["problems"] if p["severity"] == "错误"}
    before = session.path.read_bytes()
    try:
        session.save(page, confirmed=True, version=hashlib.sha256(before).hexdigest())
    except server.Refused as refused:
        # Refused, not dropped: the file is untouched and the page shows why, at the key.
        assert refused.status == 422, refused.message
        assert session.path.read_bytes() == before
        assert refused.extra["paths"]
        for path in refused.extra["paths"]:
            assert f"「{format_path(path) or '整个文件'}」" in refused.message
            assert any(related(tuple(path), where) for where, _ in errors), (path, errors)
        return
    back = check_file(session.path)
    assert back.source.data is not None, [str(p) for p in back.problems][:3]
    assert holds(page, back.source.data, back.source) == []
    assert {(tuple(p.path), p.message) for p in back.errors} == errors
    if back.fmt is not None:
        root = S.format_schema(back.fmt)
        for where, value in changed:
            final = page
            for step in where:
                final = final.get(step, _MISSING) if isinstance(final, dict) else _MISSING
            if final is value and misfit(root, where, value):
                assert any(related(path, where) for path, _ in errors), (where, value, errors)


def test_states_sent_over_http_keep_every_value(tmp_path):
    """Over real HTTP: a few states with values of every kind in wrong places."""
    from test_serve import Running

    path = tmp_path / "report.yaml"
    shutil.copy(EXAMPLES / "shili-county-2023.yaml", path)
    running = Running(path)
    try:
        _, state = running.api("state")
        # The example as the page gets it, saved unchanged, reads back whole; and the
        # comparison is not blind to a value read back as another one.
        status, answer = running.api("save", data=state["data"], confirmed=True, version=state["version"])
        back = check_file(path)
        assert status == 200 and not back.errors and holds(state["data"], back.source.data, back.source) == []
        assert holds({**state["data"], "机关名称": "另一个"}, back.source.data, back.source) == [("机关名称",)]
        assert holds({**state["data"], "总体情况": "一段话"}, back.source.data, back.source) == [("总体情况",)]
        state["version"] = answer["version"]
        for where, value in [(("总体情况",), "一段话"), (("联系方式", "电话"), [1, "2", None, {"x": "：y"}]),
                             (("收到和处理政府信息公开申请情况", "自然人", "本年新收"), {"a": ["b", {"c": "d: e"}]}),
                             (("新键\n:",), {"空": None, "k": "\u2028"})]:
            page = copy.deepcopy(state["data"])
            put(page, where, value)
            status, answer = running.api("save", data=page, confirmed=True, version=state["version"])
            assert status == 200, answer
            state["version"] = answer["version"]
            back = check_file(path)
            assert holds(page, back.source.data, back.source) == []
            assert any(related(tuple(p.path), where) for p in back.errors)
    finally:
        running.close()
