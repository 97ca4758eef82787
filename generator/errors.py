"""The errors mkreport raises, and the problems it reports to the clerk.

The CLI turns each of these into a Chinese message and an exit code in one
place (``cli.py``); no traceback reaches a user for a user mistake.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

ERROR, WARNING = "错误", "警告"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input file, located as precisely as we can."""

    file: str
    line: int | None
    column: int | None
    key: str
    message: str
    hint: str = ""
    severity: str = ERROR
    path: tuple = ()  # the key path in the input, when the problem is at a key
    rule: str = ""  # the id of the rule it breaks (generator/checks/rules.py), for a finding on the report
    values: tuple = ()  # (what the report says, what it should say), when two figures disagree

    def __str__(self) -> str:
        return _printable(self._text())

    def _text(self) -> str:
        where = one_line(self.file)
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        text = f"{where}: {self.severity}"
        if self.key:
            text += f"：「{one_line(self.key)}」"
        text += f"：{self.message}"
        if self.hint:
            text += f"\n    提示：{self.hint}"
        return text

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR


# What a terminal acts on besides a line break and a tab: other C0 and C1
# controls, line separators, lone surrogates, non-characters and the
# bidirectional controls that turn text around.
_ACTS_ON = ("\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff"
            "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069")
_UNPRINTABLE = re.compile(f"[{_ACTS_ON}]")
# Also a line break or a tab: a file name or a key must stay on its line.
_NOT_ONE_LINE = re.compile(f"[\t\n{_ACTS_ON}]")


def _shown(match: re.Match) -> str:
    return f"<U+{ord(match.group()):04X}>"


def printable(text: str) -> str:
    """A message safe for a terminal: what a unit wrote cannot move the cursor,
    retitle the window, erase lines or turn text around (bidirectional controls)."""
    return _UNPRINTABLE.sub(_shown, text)


def one_line(text: str) -> str:
    """A file name, key or quoted text safe for a terminal and kept on one line, so
    that a name with a line break in it cannot forge a line of its own."""
    return _NOT_ONE_LINE.sub(_shown, text)


_printable = printable


class MkreportError(Exception):
    """Base of every error that carries a message meant for the user."""


class InputError(MkreportError):
    """Raised when an input file has one or more errors; holds them all."""

    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


class FormatError(MkreportError):
    """Raised when a format definition or variant file is broken; holds each
    problem when the file was checked as a whole."""

    def __init__(self, message: str, problems: list[Problem] | None = None):
        super().__init__(message)
        self.problems = problems or []


class ReadError(MkreportError):
    """Raised when a file cannot be read: missing, not a regular file, too large."""


class OutputError(MkreportError):
    """Raised when the report cannot be written where the user asked."""


class ReferenceDocError(MkreportError):
    """Raised when a reference .docx cannot be used as a template."""
