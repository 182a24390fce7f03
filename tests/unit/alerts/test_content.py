from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from commandroom.alerts.content import (
    ACK_BY_PHONE,
    AlertContent,
    RenderContext,
    render_html,
    render_markdown,
    render_text,
)
from tests.support.alert_core import sample_content


def test_json_round_trip_keeps_every_field(tmp_path: Path) -> None:
    content = sample_content(tmp_path)
    assert AlertContent.from_json_dict(content.to_json_dict()) == content


def test_text_names_who_where_when_and_the_ack_link(tmp_path: Path) -> None:
    content = sample_content(tmp_path, frame_time=datetime(2026, 11, 30, 7, 59, 30, tzinfo=UTC))
    ctx = RenderContext(7, "Case handling", "high", "Approach with care", "http://x/ack?t=1")
    text = render_text(content, ctx)
    assert text.startswith("紧急 URGENT 通缉 wanted: Zhang San")
    for part in (
        "地点 Where: X12 / Main road",
        "摄像机 Camera: North gate",
        "2026-11-30 07:59:30",
        "Approach with care",
        content.snapshot_sha256,
        "EV-2026-0001",
        "#7 → Case handling",
        "http://x/ack?t=1",
    ):
        assert part in text
    assert "[签收 Acknowledge](http://x/ack?t=1)" in render_markdown(content, ctx)


def test_the_place_is_the_junction_and_the_cameras_group_not_map_numbers(
    tmp_path: Path,
) -> None:
    """Issue 12 item 9: the teams got "Map: 0.800000, 0.400000", numbers of a map image
    nobody in the field has."""
    content = sample_content(tmp_path, map_x=0.8, map_y=0.4, camera_group="North")
    ctx = RenderContext(7, "Case handling", "high")
    for render in (render_text, render_markdown, render_html):
        text = render(content, ctx)
        assert "0.8" not in text and "0.4" not in text and "Map" not in text
        assert "X12 / Main road" in text and "North gate · North" in text
    # the coordinates stay in the machine-readable content for apps and the map
    assert content.to_json_dict()["map_x"] == 0.8


def test_without_a_link_the_message_asks_for_a_phone_call(tmp_path: Path) -> None:
    content = sample_content(tmp_path)
    ctx = RenderContext(7, "Case handling", "high")
    for render in (render_text, render_markdown, render_html):
        text = render(content, ctx)
        assert ACK_BY_PHONE in text and "http" not in text.replace("<html>", "")
    assert "请电话向指挥室签收" in ACK_BY_PHONE and "by phone to the command room" in ACK_BY_PHONE


def test_a_preview_says_the_number_comes_when_sent_not_alert_0(tmp_path: Path) -> None:
    text = render_text(sample_content(tmp_path), RenderContext(None, "Case handling", "high"))
    assert "#0" not in text
    assert "告警 Alert: 发送时编号 numbered when sent → Case handling" in text


def test_html_escapes_what_officers_type(tmp_path: Path) -> None:
    content = sample_content(tmp_path, note="<script>alert(1)</script>")
    page = render_html(content, RenderContext(1, "T", "normal"))
    assert "<script>" not in page and "&lt;script&gt;" in page


def test_bad_content_is_refused_with_a_reason() -> None:
    with pytest.raises(ValueError, match="name or plate"):
        AlertContent(name=" ", category="wanted", risk=1)
    with pytest.raises(ValueError, match="timezone"):
        AlertContent(name="A", category="wanted", risk=1, frame_time=datetime(2026, 1, 1))
