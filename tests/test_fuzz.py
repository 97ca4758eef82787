"""No input file, however broken, produces a traceback.

Three sources of bad input: random bytes, examples mutated the way typing goes
wrong, and examples with a random YAML value put in place of a real one. Every
case must end in a report or in Chinese messages with exit code 1.
"""

from __future__ import annotations

import random

import yaml
from helpers import EXAMPLES, invoke
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.checks.validate import check_bytes

EXAMPLE_TEXTS = [p.read_text(encoding="utf-8") for p in sorted(EXAMPLES.glob("*.yaml"))]
# What slips into files typed in Chinese: full-width punctuation and digits, tabs,
# stray YAML syntax, units, quotes.
SLIPS = ["：", "\t", "\u3000", "-", ":", "#", "１", "件", "{", "}", "[", "'", '"', "\n", " ", "|", "&",
         "*", "!", "％", "\x00", "\x07", "\ufeff", "\r", "十", "…", "@", "`"]


def _mutate(text: str, seed: int, count: int) -> str:
    rng = random.Random(seed)
    chars = list(text)
    for _ in range(count):
        action = rng.randrange(4)
        at = rng.randrange(len(chars) + 1)
        if action == 0 and chars:
            del chars[min(at, len(chars) - 1)]
        elif action == 1:
            chars.insert(at, rng.choice(SLIPS))
        elif action == 2 and chars:
            chars[min(at, len(chars) - 1)] = rng.choice(SLIPS)
        else:
            lines = "".join(chars).split("\n")
            i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
            chars = list("\n".join(lines))
    return "".join(chars)


def _windows_and_yaml_mutation(text: str, seed: int) -> bytes:
    """What Windows editors and YAML features do to a file: CRLF, a BOM, GBK,
    leading zeros, anchors and aliases, values left blank."""
    rng = random.Random(seed)
    lines = text.split("\n")
    for _ in range(rng.randint(1, 4)):
        i = rng.randrange(len(lines))
        line = lines[i]
        action = rng.randrange(5)
        if action == 0 and ": " in line:  # a leading zero before a figure
            key, _, value = line.partition(": ")
            lines[i] = f"{key}: 0{value}"
        elif action == 1 and ": " in line:  # a blank value
            lines[i] = line.partition(": ")[0] + ":"
        elif action == 2 and ": " in line:  # an anchor, and an alias elsewhere
            key, _, value = line.partition(": ")
            lines[i] = f"{key}: &x{seed % 7} {value}"
            j = rng.randrange(len(lines))
            if ": " in lines[j]:
                lines[j] = lines[j].partition(": ")[0] + f": *x{seed % 7}"
        elif action == 3:
            lines[i] = line + "\r"
        else:
            lines[i] = line.replace(" ", "\r\n", 1)
    out = "\n".join(lines)
    if rng.random() < 0.5:
        out = out.replace("\n", "\r\n")
    encoding = rng.choice(["utf-8", "utf-8-sig", "gb18030"])
    return out.encode(encoding)


@settings(max_examples=1500, deadline=None)
@given(st.integers(0, len(EXAMPLE_TEXTS) - 1), st.integers(0, 2**32))
def test_windows_and_yaml_mutations(index, seed):
    _ok(check_bytes("改坏.yaml", _windows_and_yaml_mutation(EXAMPLE_TEXTS[index], seed)))


def _ok(checked) -> None:
    for problem in checked.problems:
        assert str(problem)  # every problem renders as a message
    assert checked.report is not None or checked.errors


@settings(max_examples=1500, deadline=None)
@given(st.binary(max_size=600))
def test_random_bytes(raw):
    _ok(check_bytes("随机.yaml", raw))


@settings(max_examples=2000, deadline=None)
@given(st.integers(0, len(EXAMPLE_TEXTS) - 1), st.integers(0, 2**32), st.integers(1, 6))
def test_mutated_examples(index, seed, count):
    _ok(check_bytes("改坏.yaml", _mutate(EXAMPLE_TEXTS[index], seed, count).encode("utf-8")))


YAML_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-10**12, 10**12) | st.floats(allow_nan=True)
    | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)


def _paths(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _paths(item, (*prefix, i))


EXAMPLE_DATA = [yaml.safe_load(t) for t in EXAMPLE_TEXTS]
EXAMPLE_PATHS = [[p for p in _paths(d) if p] for d in EXAMPLE_DATA]


def _replace(data, path, value):
    import copy

    data = copy.deepcopy(data)
    target = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return data


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_random_values_in_examples(data):
    index = data.draw(st.integers(0, len(EXAMPLE_DATA) - 1))
    path = data.draw(st.sampled_from(EXAMPLE_PATHS[index]))
    value = data.draw(YAML_VALUES)
    text = yaml.safe_dump(_replace(EXAMPLE_DATA[index], path, value), allow_unicode=True)
    _ok(check_bytes("随机值.yaml", text.encode("utf-8")))


@settings(max_examples=150, deadline=None)
@given(st.integers(0, len(EXAMPLE_TEXTS) - 1), st.integers(0, 2**32), st.integers(1, 4))
def test_mutated_examples_through_the_cli(tmp_path_factory, index, seed, count):
    """End to end: the command itself, including writing the .docx when it is valid."""
    tmp = tmp_path_factory.mktemp("fuzz")
    source = tmp / "改坏.yaml"
    source.write_text(_mutate(EXAMPLE_TEXTS[index], seed, count), encoding="utf-8", errors="replace")
    output = tmp / "报告.docx"
    code, out, err = invoke(source, "-o", output)  # asserts no internal error
    assert code in (0, 1)
    assert output.exists() == (code == 0)
    assert "Traceback" not in err
