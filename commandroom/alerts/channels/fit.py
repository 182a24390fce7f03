"""Shortening an alert to a robot's byte limit while keeping who, where, when and link.

One function for every robot channel: :func:`fit_rendering` renders the alert with the
channel's own renderer and, while the result is too large, shortens the parts a team
can live without — the note first, then the officer's extra line, then the evidence
reference — each cut at a character boundary and marked with "…". Only if the
essentials alone are still too large (an absurd name or camera) are they shortened
too, and as a last resort the text is cut, keeping the acknowledgement link whole.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from commandroom.alerts.content import AlertContent, RenderContext

ELLIPSIS = "…"

Renderer = Callable[[AlertContent, RenderContext], str]
Measure = Callable[[str], int]


def utf8_len(text: str) -> int:
    return len(text.encode("utf-8"))


def shorten(value: str, keep: int) -> str:
    """The first ``keep`` characters and "…" (``value`` itself when nothing is cut)."""
    return value if keep >= len(value) else value[:keep].rstrip() + ELLIPSIS


@dataclasses.dataclass(frozen=True)
class _Field:
    get: Callable[[AlertContent, RenderContext], str]
    put: Callable[[AlertContent, RenderContext, str], tuple[AlertContent, RenderContext]]


def _one(name: str, value: str) -> dict[str, Any]:
    return {name: value}


def _content_field(name: str) -> _Field:
    return _Field(
        get=lambda c, _x: str(getattr(c, name)),
        put=lambda c, x, v: (dataclasses.replace(c, **_one(name, v)), x),
    )


def _context_field(name: str) -> _Field:
    return _Field(
        get=lambda _c, x: str(getattr(x, name)),
        put=lambda c, x, v: (c, dataclasses.replace(x, **_one(name, v))),
    )


# What goes first when a message is too large; the essentials come last.
_EXPENDABLE = (
    _content_field("note"),
    _context_field("extra_line"),
    _content_field("evidence_ref"),
)
_ESSENTIAL = (_content_field("junction"), _content_field("camera"), _content_field("name"))


def fit_rendering(
    render: Renderer,
    content: AlertContent,
    ctx: RenderContext,
    limit: int,
    measure: Measure = utf8_len,
) -> str:
    """``render(content, ctx)`` made to measure at most ``limit`` (bytes by default;
    ``measure`` may count a whole request body instead)."""
    text = render(content, ctx)
    if measure(text) <= limit:
        return text
    for field in (*_EXPENDABLE, *_ESSENTIAL):
        content, ctx = _shrink(render, content, ctx, field, limit, measure)
        text = render(content, ctx)
        if measure(text) <= limit:
            return text
    return cut_to_fit(text, limit, measure, keep=ctx.ack_url)


def _shrink(
    render: Renderer,
    content: AlertContent,
    ctx: RenderContext,
    field: _Field,
    limit: int,
    measure: Measure,
) -> tuple[AlertContent, RenderContext]:
    """The longest prefix of one field (binary search: size grows with the prefix) that
    lets the whole message fit; "…" alone when even that does not."""
    value = field.get(content, ctx)
    if not value:
        return content, ctx
    low, high = 0, len(value) - 1  # keep `low` characters: known to fit, or 0
    while low < high:
        middle = (low + high + 1) // 2
        c, x = field.put(content, ctx, shorten(value, middle))
        if measure(render(c, x)) <= limit:
            low = middle
        else:
            high = middle - 1
    return field.put(content, ctx, shorten(value, low))


def cut_to_fit(text: str, limit: int, measure: Measure = utf8_len, keep: str = "") -> str:
    """Last resort: cut the text with "…"; ``keep`` (the link) is put back whole on the
    last line."""
    tail = f"\n{keep}" if keep and keep in text else ""
    body = text.replace(keep, "") if tail else text
    low, high = 0, len(body)
    while low < high:
        middle = (low + high + 1) // 2
        if measure(shorten(body, middle) + tail) <= limit:
            low = middle
        else:
            high = middle - 1
    return shorten(body, low) + tail
