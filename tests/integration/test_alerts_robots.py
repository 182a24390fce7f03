"""Alerts to WeCom and DingTalk group robots, over real HTTP to emulators on 127.0.0.1 that
enforce the platforms' published rules (byte limits, image checks, 20 a minute, signed
timestamps). The app, the emulators and the test share one fake clock, so minutes of
pacing pass in a moment while every message still crosses a socket."""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import cv2
import httpx
import numpy as np
import pytest
from sqlalchemy import select

from commandroom.alerts.models import DeliveryAttemptRow
from commandroom.alerts.signing import dingtalk_sign
from commandroom.auth.permissions import Actor, Role
from commandroom.clock_health import OFF, ClockHealth
from tests.support.alert_core import AlertStack, FakeClock, make_stack, sample_content
from tests.support.robot_emulators import DingTalkRobot, WeComRobot

pytestmark = pytest.mark.integration
OFFICER = Actor("wang", Role.DUTY_OFFICER)
ADMIN = Actor("admin", Role.ADMINISTRATOR)
# Routed to the community policing team only: one delivery per alert.
CATEGORY = "missing_person"
NOTE = "身穿蓝色外套，背黑色双肩包，往镇政府方向步行。"  # 23 characters, 69 bytes


@pytest.fixture
def clock() -> FakeClock:
    # Starts at the real time: a signature made from the real clock is valid too.
    return FakeClock(datetime.now(UTC))


@pytest.fixture
def stack(tmp_path: Path, clock: FakeClock) -> Iterator[AlertStack]:
    stack = make_stack(tmp_path / "robots.db", clock=clock)
    yield stack
    stack.close()


@pytest.fixture
def wecom(clock: FakeClock) -> Iterator[WeComRobot]:
    robot = WeComRobot(clock=clock).start()
    yield robot
    robot.stop()


@pytest.fixture
def dingtalk(clock: FakeClock) -> Iterator[DingTalkRobot]:
    robot = DingTalkRobot(clock=clock).start()
    yield robot
    robot.stop()


def _channel(stack: AlertStack, definition: dict[str, Any]) -> None:
    stack.teams.save_channel(ADMIN, stack.team_id("community"), "webhook", "robot", definition)


def _wecom_channel(stack: AlertStack, robot: WeComRobot, **extra: Any) -> None:
    _channel(stack, {"url": robot.url, "preset": "wecom", **extra})


def _dingtalk_channel(stack: AlertStack, robot: DingTalkRobot, **extra: Any) -> None:
    _channel(stack, {"url": robot.url, "preset": "dingtalk", "signing_secret": robot.secret,
                     **extra})


def _drive(stack: AlertStack, dispatcher: Any, clock: FakeClock, passes: int = 400) -> None:
    """Run the outbox until nothing is pending, moving the fake clock to the next due
    delivery whenever nothing is due now (what the dispatcher thread's wait does)."""
    for _ in range(passes):
        dispatcher.run_once()
        pending = [d for d in stack.deliveries() if d.status in ("queued", "retrying")]
        if not pending:
            return
        clock.now = max(clock.now, min(d.next_try for d in pending))
    raise AssertionError(f"outbox still busy after {passes} passes")


def _attempts(stack: AlertStack) -> list[DeliveryAttemptRow]:
    with stack.sessions() as session:
        return list(session.scalars(select(DeliveryAttemptRow).order_by(DeliveryAttemptRow.id)))


def _essentials_in(text: str, content: Any) -> None:
    local_time = content.frame_time.astimezone().strftime("%Y-%m-%d %H:%M:%S")
    for essential in (content.name, content.camera, content.junction, local_time,
                      "http://127.0.0.1:8765/ack?t="):
        assert essential in text, essential


# -- item 7: byte limits ---------------------------------------------------------------------
def test_oversized_note_is_shortened_to_wecom_markdown_limit_and_delivered(
    stack: AlertStack, wecom: WeComRobot, clock: FakeClock, tmp_path: Path
) -> None:
    _wecom_channel(stack, wecom)
    content = sample_content(tmp_path, CATEGORY, note=NOTE * 100)  # 6,900 bytes of note
    stack.service.send(OFFICER, 5, content)
    _drive(stack, stack.dispatcher(), clock)

    assert wecom.rejected == []
    text = wecom.accepted[0].json()["markdown"]["content"]
    assert 4000 < len(text.encode("utf-8")) <= 4096
    assert NOTE[:10] in text and "…" in text
    _essentials_in(text, content)
    [delivery] = stack.deliveries()
    assert (delivery.status, delivery.attempts) == ("delivered", 1)


def test_wecom_text_message_fits_2048_bytes(
    stack: AlertStack, wecom: WeComRobot, clock: FakeClock, tmp_path: Path
) -> None:
    _wecom_channel(stack, wecom, msgtype="text")
    content = sample_content(tmp_path, CATEGORY, note=NOTE * 40, snapshot_path="",
                             snapshot_sha256="")
    stack.service.send(OFFICER, 5, content, extra_line="请立即前往 " * 30)
    _drive(stack, stack.dispatcher(), clock)

    assert wecom.rejected == []
    [call] = wecom.accepted
    text = call.json()["text"]["content"]
    assert 1900 < len(text.encode("utf-8")) <= 2048
    _essentials_in(text, content)


def test_oversized_note_fits_dingtalk_body_limit(
    stack: AlertStack, dingtalk: DingTalkRobot, clock: FakeClock, tmp_path: Path
) -> None:
    _dingtalk_channel(stack, dingtalk)
    content = sample_content(tmp_path, CATEGORY, note=NOTE * 400)  # 27,600 bytes of note
    stack.service.send(OFFICER, 5, content)
    _drive(stack, stack.dispatcher(), clock)

    assert dingtalk.rejected == []
    [call] = dingtalk.accepted
    assert 19000 < len(call.body) <= 20000
    _essentials_in(call.json()["markdown"]["text"], content)


# -- item 8: the picture ----------------------------------------------------------------------
def test_wecom_gets_the_text_then_the_snapshot_with_its_md5(
    stack: AlertStack, wecom: WeComRobot, clock: FakeClock, tmp_path: Path
) -> None:
    _wecom_channel(stack, wecom)
    content = sample_content(tmp_path, CATEGORY)
    stack.service.send(OFFICER, 5, content)
    _drive(stack, stack.dispatcher(), clock)

    assert wecom.rejected == []
    text, image = (call.json() for call in wecom.accepted)
    assert text["msgtype"] == "markdown" and content.name in text["markdown"]["content"]
    assert image["msgtype"] == "image"
    raw = base64.b64decode(image["image"]["base64"])
    assert raw == Path(content.snapshot_path).read_bytes()
    assert image["image"]["md5"] == hashlib.md5(raw).hexdigest()
    [delivery] = stack.deliveries()
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("delivered", 1, "")


def test_snapshot_over_2_mb_is_scaled_down_for_wecom(
    stack: AlertStack, wecom: WeComRobot, clock: FakeClock, tmp_path: Path
) -> None:
    noise = np.random.default_rng(7).integers(0, 255, (1500, 2000, 3), dtype=np.uint8)
    big = tmp_path / "big.png"
    cv2.imwrite(str(big), noise)
    assert big.stat().st_size > 2 * 1024 * 1024
    sha = hashlib.sha256(big.read_bytes()).hexdigest()
    _wecom_channel(stack, wecom)
    stack.service.send(OFFICER, 5, sample_content(
        tmp_path, CATEGORY, snapshot_path=str(big), snapshot_sha256=sha))
    _drive(stack, stack.dispatcher(), clock)

    assert wecom.rejected == []
    image = wecom.accepted[1].json()["image"]
    raw = base64.b64decode(image["base64"])
    assert len(raw) <= 2 * 1024 * 1024 and raw.startswith(b"\xff\xd8\xff")
    picture = cv2.imdecode(np.frombuffer(raw, np.uint8), cv2.IMREAD_COLOR)
    assert picture is not None and picture.shape[1] / picture.shape[0] == pytest.approx(4 / 3, 0.01)
    assert sha in wecom.accepted[0].json()["markdown"]["content"]  # the original's hash


def test_dingtalk_shows_the_snapshot_from_the_published_url(
    stack: AlertStack, dingtalk: DingTalkRobot, clock: FakeClock, tmp_path: Path
) -> None:
    _dingtalk_channel(stack, dingtalk, snapshot_base_url="http://127.0.0.1:9/snapshots/")
    content = sample_content(tmp_path, CATEGORY)
    stack.service.send(OFFICER, 5, content)
    _drive(stack, stack.dispatcher(), clock)

    assert dingtalk.rejected == []
    text, image = (call.json()["markdown"]["text"] for call in dingtalk.accepted)
    assert content.name in text
    assert image == "![snapshot](http://127.0.0.1:9/snapshots/snapshot.jpg)"


# -- item 9: pacing ---------------------------------------------------------------------------
def test_burst_of_30_alerts_is_paced_without_a_refusal_or_a_wasted_attempt(
    stack: AlertStack, wecom: WeComRobot, clock: FakeClock, tmp_path: Path
) -> None:
    _wecom_channel(stack, wecom)
    start = clock()
    for n in range(30):
        stack.service.send(OFFICER, 100 + n, sample_content(tmp_path, CATEGORY, name=f"P{n}"))
    _drive(stack, stack.dispatcher(), clock)

    assert wecom.rejected == []
    assert len(wecom.accepted) == 60 and wecom.max_in_any_window() <= 20
    deliveries = stack.deliveries()
    assert {(d.status, d.attempts) for d in deliveries} == {("delivered", 1)}
    assert [a.outcome for a in _attempts(stack)] == ["ok"] * 30
    # Each picture right after its own text, alerts in the order they were sent.
    kinds = [c.json()["msgtype"] for c in wecom.accepted]
    assert kinds == ["markdown", "image"] * 30
    names = [c.json()["markdown"]["content"].split(": ", 1)[1].split("\n")[0]
             for c in wecom.accepted[::2]]
    assert names == [f"P{n}" for n in range(30)]
    # 60 messages at 20 a minute: just over two minutes, not the minutes of backoff.
    assert timedelta(minutes=2) <= wecom.accepted[-1].at - start <= timedelta(minutes=2, seconds=5)


def _foreign_messages(robot: WeComRobot | DingTalkRobot, count: int) -> None:
    """Another program posting to the same robot: our pacer cannot know about these."""
    for n in range(count):
        body = json.dumps({"msgtype": "text", "text": {"content": f"other app {n}"}})
        httpx.post(robot.url, content=body, timeout=5)


def test_wecom_rate_limit_answer_is_a_wait_not_a_failed_attempt(
    stack: AlertStack, wecom: WeComRobot, clock: FakeClock, tmp_path: Path
) -> None:
    _wecom_channel(stack, wecom)
    _foreign_messages(wecom, 20)
    stack.service.send(OFFICER, 5, sample_content(tmp_path, CATEGORY))
    dispatcher = stack.dispatcher()
    dispatcher.run_once()

    [delivery] = stack.deliveries()
    assert [c.errcode for c in wecom.rejected] == [45009]
    assert (delivery.status, delivery.attempts) == ("queued", 0)
    assert delivery.next_try >= clock() + timedelta(seconds=60)
    assert delivery.error_code == "robot_rate_limited"
    assert [a.outcome for a in _attempts(stack)] == ["deferred"]
    _drive(stack, dispatcher, clock)
    [delivery] = stack.deliveries()
    assert (delivery.status, delivery.attempts, delivery.error_code) == ("delivered", 1, "")


def test_picture_refused_as_too_fast_is_sent_later_without_repeating_the_text(
    stack: AlertStack, wecom: WeComRobot, clock: FakeClock, tmp_path: Path
) -> None:
    _wecom_channel(stack, wecom)
    _foreign_messages(wecom, 19)  # room for our text, not for our picture
    stack.service.send(OFFICER, 5, sample_content(tmp_path, CATEGORY))
    _drive(stack, stack.dispatcher(), clock)

    ours = [c.json()["msgtype"] for c in wecom.accepted[19:]]
    assert ours == ["markdown", "image"]
    assert [c.json()["msgtype"] for c in wecom.rejected] == ["image"]
    [delivery] = stack.deliveries()
    assert (delivery.status, delivery.attempts, delivery.parts_sent) == ("delivered", 1, 1)


def test_dingtalk_too_fast_waits_out_its_ten_minute_throttle(
    stack: AlertStack, dingtalk: DingTalkRobot, clock: FakeClock, tmp_path: Path
) -> None:
    _dingtalk_channel(stack, dingtalk)
    for n in range(20):
        ts = int(clock().timestamp() * 1000)
        url = f"{dingtalk.url}&timestamp={ts}&sign={dingtalk_sign(dingtalk.secret, ts)}"
        httpx.post(url, json={"msgtype": "text", "text": {"content": f"other {n}"}}, timeout=5)
    stack.service.send(OFFICER, 5, sample_content(tmp_path, CATEGORY))
    dispatcher = stack.dispatcher(escalation=None)  # no reminders during the 10 minutes
    dispatcher.run_once()

    [delivery] = stack.deliveries()
    assert [c.errcode for c in dingtalk.rejected] == [130101]
    assert (delivery.status, delivery.attempts) == ("queued", 0)
    assert delivery.next_try >= clock() + timedelta(minutes=10)
    _drive(stack, dispatcher, clock)
    [delivery] = stack.deliveries()
    assert (delivery.status, delivery.attempts) == ("delivered", 1)
    assert [c.errcode for c in dingtalk.rejected] == [130101]


# -- item 10: the PC's clock -------------------------------------------------------------------
def test_dingtalk_refusal_for_a_skewed_clock_names_the_offset_in_minutes(
    stack: AlertStack, clock: FakeClock, tmp_path: Path
) -> None:
    # DingTalk's clock is 90 minutes ahead of the PC's: the PC is 90 min behind.
    robot = DingTalkRobot(clock=lambda: clock() + timedelta(minutes=90)).start()
    try:
        _dingtalk_channel(stack, robot)
        health = ClockHealth(stack.bus, clock)
        stack.service.send(OFFICER, 5, sample_content(tmp_path, CATEGORY))
        stack.dispatcher(clock_health=health).run_once()
    finally:
        robot.stop()

    assert [(c.errcode, c.errmsg) for c in robot.rejected] == [(310000, "invalid timestamp")]
    [delivery] = stack.deliveries()
    assert delivery.status == "retrying"  # heals once the clock is set right
    assert delivery.error_code == "robot_clock_skew"
    assert json.loads(delivery.error_params) == {
        "platform": "dingtalk", "errcode": 310000, "minutes": 90, "behind": 1}
    assert "90 min behind" in delivery.last_error
    reading = health.current()
    assert (reading.status, reading.minutes_off, reading.behind) == (OFF, 90, True)


def test_clock_within_a_minute_is_ok(
    stack: AlertStack, dingtalk: DingTalkRobot, clock: FakeClock, tmp_path: Path
) -> None:
    _dingtalk_channel(stack, dingtalk)
    health = ClockHealth(stack.bus, clock)
    stack.service.send(OFFICER, 5, sample_content(tmp_path, CATEGORY))
    stack.dispatcher(clock_health=health).run_once()
    assert health.current().status == "ok" and abs(health.current().offset_s) <= 1.5


# -- codes, not sentences --------------------------------------------------------------------
def test_bad_wecom_key_fails_at_once_with_a_code(
    stack: AlertStack, wecom: WeComRobot, clock: FakeClock, tmp_path: Path
) -> None:
    _channel(stack, {"url": wecom.url.replace(wecom.key, "wrong-key"), "preset": "wecom"})
    stack.service.send(OFFICER, 5, sample_content(tmp_path, CATEGORY))
    _drive(stack, stack.dispatcher(), clock)

    assert [c.errcode for c in wecom.rejected] == [93000]
    [delivery] = stack.deliveries()
    assert (delivery.status, delivery.attempts, delivery.error_code) == (
        "failed", 1, "robot_bad_key")
    assert json.loads(delivery.error_params) == {"platform": "wecom", "errcode": 93000}
