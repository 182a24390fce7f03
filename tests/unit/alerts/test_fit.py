"""The one shortening every robot channel uses: exact at the byte boundary with Chinese
(3 bytes a character) and keeping who, where, when and the link."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from commandroom.alerts.channels.fit import ELLIPSIS, cut_to_fit, fit_rendering, utf8_len
from commandroom.alerts.content import AlertContent, RenderContext, render_markdown, render_text

LINK = "https://ack.station.example/ack?t=1.2.3.abcdef"
CTX = RenderContext(alert_id=7, team_name="社区警务队", priority="high", ack_url=LINK)


def _content(note: str, **overrides: object) -> AlertContent:
    values: dict[str, object] = {
        "name": "张三", "category": "wanted", "risk": 3, "camera": "北门",
        "junction": "X12 / 人民路", "frame_time": datetime(2026, 11, 30, 8, 0, tzinfo=UTC),
        "note": note,
    }
    values.update(overrides)
    return AlertContent(**values)  # type: ignore[arg-type]


def _size(note: str, render=render_text) -> int:  # type: ignore[no-untyped-def]
    return utf8_len(render(_content(note), CTX))


def test_message_exactly_at_the_limit_is_left_alone() -> None:
    note = "蓝色外套" * 50
    limit = _size(note)
    assert fit_rendering(render_text, _content(note), CTX, limit) == render_text(
        _content(note), CTX)


def test_one_byte_over_cuts_the_note_at_a_character_and_marks_it() -> None:
    note = "蓝色外套黑色背包" * 40  # 960 bytes of note
    limit = _size(note) - 1
    text = fit_rendering(render_text, _content(note), CTX, limit)
    size = utf8_len(text)
    assert size <= limit
    # The longest cut that fits: "…" (3 bytes) replaced 2 characters (6 bytes) — one
    # character more would not have fit.
    kept = note[: len(note) - 2]
    assert f"备注 Note: {kept}{ELLIPSIS}" in text
    assert size == limit - 2
    assert _size(note[: len(note) - 1] + ELLIPSIS) > limit
    text.encode("utf-8").decode("utf-8")  # whole characters only


@pytest.mark.parametrize("render", [render_text, render_markdown])
@pytest.mark.parametrize("limit", [2048, 4096])
def test_every_limit_is_met_and_the_essentials_stay(render, limit: int) -> None:  # type: ignore[no-untyped-def]
    content = _content("可疑" * 3000)
    ctx = RenderContext(**{**CTX.__dict__, "extra_line": "请立即前往" * 50})
    text = fit_rendering(render, content, ctx, limit)
    assert limit - 6 <= utf8_len(text) <= limit
    for essential in ("张三", "北门", "X12 / 人民路", "2026-11-30", LINK, "#7"):
        assert essential in text
    assert "可疑可疑" in text  # the note keeps what fits, not nothing
    assert "请立即前往" * 50 in text  # and the officer's line is whole


def test_extra_line_is_shortened_only_after_the_note_is_gone() -> None:
    ctx = RenderContext(**{**CTX.__dict__, "extra_line": "附言" * 100})
    content = _content("备注" * 100)
    without_note = utf8_len(render_text(_content(ELLIPSIS), ctx))
    text = fit_rendering(render_text, content, ctx, without_note - 30)
    assert f"备注 Note: {ELLIPSIS}" in text and "附言附言" in text and ELLIPSIS in text


def test_absurd_essentials_are_shortened_last_and_the_link_survives() -> None:
    content = _content("", name="王" * 2000, camera="门" * 2000)
    text = fit_rendering(render_markdown, content, CTX, 2048)
    assert utf8_len(text) <= 2048 and LINK in text and "王王王" in text


def test_measure_can_count_a_whole_request_body() -> None:
    overhead = len('{"markdown":{"text":""}}')
    measure = lambda text: overhead + utf8_len(text)  # noqa: E731
    text = fit_rendering(render_markdown, _content("长" * 9000), CTX, 20000, measure)
    assert 20000 - 6 <= measure(text) <= 20000


def test_cut_to_fit_keeps_the_link_whole() -> None:
    text = "告警" * 1000 + "\n" + LINK
    cut = cut_to_fit(text, 200, keep=LINK)
    assert utf8_len(cut) <= 200 and cut.endswith("\n" + LINK) and ELLIPSIS in cut
