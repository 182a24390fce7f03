"""Sentences the core wants shown, as a code and its parameters; ``ui/`` translates them.

The core does not build sentences for the screen. It returns a ``Notice``: a code from
the catalogue and its parameters (text, numbers, or other notices for words that are
themselves translated, e.g. "stream" in "the camera's stream address"). ``describe()``
renders the English template: for the CLI (no Qt), logs and ``str()`` of an exception.
``ui/common/notices.py`` translates the same codes through Qt; a test keeps the two catalogues
the same set of codes, so a code added here without a translation fails the suite.

Each module defines its own codes next to the code that uses them::

    NO_NAME = define("camera.name_required", "The camera needs a name.")
    raise CameraError(Notice(NO_NAME))
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from typing import Union

ParamValue = Union[str, int, "Notice"]

_ENGLISH: dict[str, str] = {}
_FORMATTER = string.Formatter()


def define(code: str, english: str) -> str:
    """Add ``code`` to the catalogue with its English template (``{name}`` placeholders)."""
    known = _ENGLISH.get(code)
    if known is not None and known != english:
        raise ValueError(f"notice code {code!r} defined twice with different text")
    _ENGLISH[code] = english
    return code


def template(code: str) -> str:
    return _ENGLISH[code]


def placeholders(code: str) -> tuple[str, ...]:
    """The parameter names of ``code``'s English template, in order of appearance."""
    names = (field for _, field, _, _ in _FORMATTER.parse(_ENGLISH[code]) if field)
    return tuple(dict.fromkeys(names))


def codes() -> frozenset[str]:
    return frozenset(_ENGLISH)


@dataclass(frozen=True)
class Notice:
    """One message for a person: ``code`` plus named parameters (hashable, comparable)."""

    code: str
    params: tuple[tuple[str, ParamValue], ...] = ()

    def __post_init__(self) -> None:
        if self.code not in _ENGLISH:
            raise KeyError(f"unknown notice code {self.code!r}")
        missing = set(placeholders(self.code)) - {name for name, _ in self.params}
        if missing:
            raise ValueError(f"notice {self.code!r} lacks {sorted(missing)}")

    def get(self, name: str) -> ParamValue:
        for key, value in self.params:
            if key == name:
                return value
        raise KeyError(name)

    def __str__(self) -> str:
        return describe(self)


def notice(code: str, **params: ParamValue) -> Notice:
    return Notice(code, tuple(params.items()))


def describe(message: Notice) -> str:
    """The English sentence (nested notices rendered in English too)."""
    values = {name: describe(value) if isinstance(value, Notice) else str(value)
              for name, value in message.params}
    return _ENGLISH[message.code].format_map(values)


class NoticeError(Exception):
    """An exception whose message is a ``Notice``; ``str()`` is its English sentence."""

    def __init__(self, message: Notice) -> None:
        super().__init__(describe(message))
        self.notice = message

    def __str__(self) -> str:
        return describe(self.notice)
