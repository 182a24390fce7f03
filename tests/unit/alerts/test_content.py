from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from commandroom.alerts.content import (
    AlertContent,
    RenderContext,
    render_html,
    render_markdown,
    render_text,
)
from tests.support.receivers import sample_content


def test_json_round_trip_keeps_every_field(tmp_path: Path) -> None:
    content = sample_content(tmp_path)
    assert AlertContent.from_json_dict(content.to_json_dict()) == content


def test_text_names_who_where_when_and_the_ack_link(tmp_path: Path) -> None:
    content = sample_content(tmp_path, frame_time=datetime(2026, 11, 30, 7, 59, 30, tzinfo=UTC))
    ctx = RenderContext(7, "Case handling", "high", "Approach with care", "http://x/ack?t=1")
    text = render_text(content, ctx)
    assert text.startswith("紧急 URGENT 通缉 wanted: Zhang San")
    for part in (
        "North gate (X12 / Main road)",
        "2026-11-30 07:59:30",
        "Approach with care",
        content.snapshot_sha256,
        "EV-2026-0001",
        "#7 → Case handling",
        "http://x/ack?t=1",
        "116.390000, 39.910000",
    ):
        assert part in text
    assert "[签收 Acknowledge](http://x/ack?t=1)" in render_markdown(content, ctx)


def test_html_escapes_what_officers_type(tmp_path: Path) -> None:
    content = sample_content(tmp_path, note="<script>alert(1)</script>")
    page = render_html(content, RenderContext(1, "T", "normal"))
    assert "<script>" not in page and "&lt;script&gt;" in page


def test_bad_content_is_refused_with_a_reason() -> None:
    with pytest.raises(ValueError, match="name or plate"):
        AlertContent(name=" ", category="wanted", risk=1)
    with pytest.raises(ValueError, match="timezone"):
        AlertContent(name="A", category="wanted", risk=1, frame_time=datetime(2026, 1, 1))
