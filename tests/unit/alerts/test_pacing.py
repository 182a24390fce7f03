"""The robot pacer: 20 a minute in any 60-second window, queued in order, shared by
every channel that posts to the same robot."""

from __future__ import annotations

from datetime import timedelta

from commandroom.alerts.pacing import RobotPacer, robot_identity
from tests.support.alert_core import FakeClock


def _sent_in_windows(times: list[float]) -> int:
    return max(sum(1 for t in times if start <= t < start + 60) for start in times)


def test_a_burst_of_20_goes_at_once_then_one_waits_a_minute() -> None:
    clock = FakeClock()
    pacer = RobotPacer(clock)
    assert [pacer.take("r", f"m{n}", 1) for n in range(20)] == [0.0] * 20
    wait = pacer.take("r", "m20", 1)
    assert 60 <= wait <= 62
    clock.advance(seconds=wait)
    assert pacer.take("r", "m20", 1) == 0.0


def test_queued_messages_get_their_turns_in_order_and_never_21_a_minute() -> None:
    clock = FakeClock()
    start = clock()
    pacer = RobotPacer(clock)
    waiting = {f"m{n}": 0.0 for n in range(50)}  # key → when it may try again (s)
    sent: list[tuple[float, str]] = []
    while waiting:
        now = (clock() - start).total_seconds()
        for key in sorted(waiting, key=lambda k: (waiting[k], int(k[1:]))):
            if waiting[key] <= now:
                wait = pacer.take("robot", key, 2)  # text + picture
                if wait == 0:
                    sent.append((now, key))
                    del waiting[key]
                else:
                    waiting[key] = now + wait
        clock.now = start + timedelta(seconds=min(waiting.values(), default=now))
    assert [key for _t, key in sent] == [f"m{n}" for n in range(50)]
    times = [t for t, _key in sent for _ in range(2)]
    assert _sent_in_windows(times) <= 20
    assert times[-1] <= 5 * 61  # 100 messages: five minutes, not more


def test_robots_are_paced_apart_and_shared_by_identity() -> None:
    pacer = RobotPacer(FakeClock())
    same = robot_identity("wecom", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send", "K1")
    other = robot_identity("wecom", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send", "K2")
    assert same != other and "K1" not in same
    for n in range(10):
        assert pacer.take(same, f"team-a-{n}", 1) == 0.0
        assert pacer.take(same, f"team-b-{n}", 1) == 0.0
    assert pacer.take(same, "team-a-late", 1) > 0  # the two teams share the robot's 20
    assert pacer.take(other, "team-c", 1) == 0.0


def test_a_too_fast_answer_pauses_the_robot() -> None:
    clock = FakeClock()
    pacer = RobotPacer(clock)
    pacer.pause("r", 600)
    assert 600 <= pacer.take("r", "m", 1) <= 601
    clock.advance(seconds=600)
    assert pacer.take("r", "m", 1) == 0.0


def test_a_cancelled_booking_frees_its_turn() -> None:
    clock = FakeClock()
    pacer = RobotPacer(clock, per_minute=1)
    assert pacer.take("r", "a", 1) == 0.0
    first = pacer.take("r", "b", 1)
    assert pacer.take("r", "c", 1) > first  # behind b
    pacer.cancel("r", "b")
    pacer.cancel("r", "c")
    assert pacer.take("r", "d", 1) == first
