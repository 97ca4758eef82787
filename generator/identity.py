"""Which reports are of the same body (机关), however its name was typed.

One body's name varies between years and between files: full-width letters,
spaces inside the name, a zero-width space pasted from a web page, and, most
often, the name of the city or province written in front one year and left
out the next (「某某区人民政府」, then 「某市某某区人民政府」). The check against
last year's report and the audit over years compare names here; other code
that asks whether two reports are of one body (merge, the hub) should too, so
that they all agree.

The rule:

1. :func:`body_key` — NFKC, then every whitespace character, every format
   character (Unicode category Cf: U+200B, U+FEFF, U+00AD …) and every
   combining mark left uncomposed removed. Two names with the same key are the
   same body.
2. :func:`extends` — a longer key is the shorter one with places in front
   when the shorter one is its suffix and the extra prefix ends a place name:
   it is two to forty characters and ends in 省, 市, 州, 盟, 县, 区, 旗 (which
   covers 地区, 自治区, 自治州, 自治县 and 自治旗); and the shorter name names a
   place itself (a place ending after at least one character), so that
   「商务局」 or 「人民政府」 alone never join a body: they could be anyone's.
3. :func:`group` — among many names, a shorter name joins the longer ones
   only when those longer ones are all one body (each extends the next), so
   「某某区人民政府」 beside both 「甲市某某区人民政府」 and 「乙市某某区人民政府」
   stays on its own instead of joining two districts of two cities together.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

PLACE_ENDINGS = frozenset("省市州盟县区旗")
# Left out of a key: format characters (U+200B, U+FEFF, U+202E …), spaces, and
# combining marks that NFKC did not compose into a letter (a stray accent).
_IGNORED = frozenset(("Cf", "Zs", "Mn", "Me"))
# The places written in front are short: 「新疆维吾尔自治区伊犁哈萨克自治州」 is 16 characters.
PREFIX_LIMIT = 40


def body_key(name: str) -> str:
    """The name as compared: NFKC, without whitespace and format characters."""
    text = unicodedata.normalize("NFKC", name)
    return "".join(ch for ch in text if not ch.isspace() and unicodedata.category(ch) not in _IGNORED)


def _names_place(key: str) -> bool:
    """The name contains a place: a place ending after at least one character."""
    return any(ch in PLACE_ENDINGS for ch in key[1:])


def extends(longer: str, shorter: str) -> bool:
    """``longer`` is ``shorter`` (both keys) with a city or province in front."""
    if len(longer) <= len(shorter) or not longer.endswith(shorter):
        return False
    prefix = longer[: len(longer) - len(shorter)]
    return 2 <= len(prefix) <= PREFIX_LIMIT and prefix[-1] in PLACE_ENDINGS and _names_place(shorter)


def same_body(a: str, b: str) -> bool:
    """Two names (as written) of one body, by the rule in the module docstring."""
    a, b = body_key(a), body_key(b)
    return a == b or extends(a, b) or extends(b, a)


def group(names: Iterable[str]) -> dict[str, str]:
    """Each name's key → the key of its body (the longest key in its group).

    Linear in the number of names: each key is cut after each place ending
    within its first ``PREFIX_LIMIT`` characters and the rest looked up.
    """
    keys = {body_key(n) for n in names}
    parent = {k: k for k in keys}

    def root(k: str) -> str:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    claims: dict[str, list[str]] = {}
    for key in keys:
        for i in range(2, min(len(key), PREFIX_LIMIT + 1)):
            if key[i - 1] in PLACE_ENDINGS and key[i:] in keys and extends(key, key[i:]):
                claims.setdefault(key[i:], []).append(key)
    for shorter, longer in claims.items():
        longer.sort(key=lambda k: (len(k), k))
        if all(extends(b, a) for a, b in zip(longer, longer[1:])):
            for k in longer:
                a, b = root(shorter), root(k)
                if a != b:
                    parent[a] = b
    members: dict[str, list[str]] = {}
    for k in keys:
        members.setdefault(root(k), []).append(k)
    out = {}
    for ks in members.values():
        name = max(ks, key=lambda k: (len(k), k))
        out.update(dict.fromkeys(ks, name))
    return out
