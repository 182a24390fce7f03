"""The "Go to time" box's parsing: what an officer types, and clear refusals."""

from __future__ import annotations

from datetime import datetime

import pytest

from ui.replay.goto_time import GoToProblem, GoToTimeError, parse_moment

NOW = datetime(2026, 11, 30, 14, 5, 30).timestamp()  # station local time


@pytest.mark.parametrize(("text", "expected"), [
    ("10:40", datetime(2026, 11, 30, 10, 40)),
    (" 10:40:15 ", datetime(2026, 11, 30, 10, 40, 15)),
    ("2026-11-30 10:40", datetime(2026, 11, 30, 10, 40)),
    ("2026/11/29 23:59:59", datetime(2026, 11, 29, 23, 59, 59)),
    ("2026-11-28T08:00", datetime(2026, 11, 28, 8, 0)),
    ("2026-11-28", datetime(2026, 11, 28, 0, 0)),
    ("23:50", datetime(2026, 11, 29, 23, 50)),  # still to come today: yesterday's
    ("7:05", datetime(2026, 11, 30, 7, 5)),
])
def test_clock_and_date_forms(text: str, expected: datetime) -> None:
    assert parse_moment(text, NOW) == expected.timestamp()


@pytest.mark.parametrize(("text", "back_s"), [
    ("-5m", 300), ("-30s", 30), ("-2h", 7200), ("-1d", 86400), ("-1h30m", 5400),
    ("- 90 s", 90), ("now", 0)])
def test_relative_to_now(text: str, back_s: float) -> None:
    assert parse_moment(text, NOW) == NOW - back_s


@pytest.mark.parametrize(("text", "problem"), [
    ("", GoToProblem.EMPTY), ("   ", GoToProblem.EMPTY),
    ("ten forty", GoToProblem.UNREADABLE), ("10.40", GoToProblem.UNREADABLE),
    ("+5m", GoToProblem.UNREADABLE), ("-5x", GoToProblem.UNREADABLE),
    ("25:00", GoToProblem.NO_SUCH_TIME), ("10:61", GoToProblem.NO_SUCH_TIME),
    ("2026-02-30 10:00", GoToProblem.NO_SUCH_TIME),
    ("2026-12-24 10:00", GoToProblem.IN_FUTURE),
])
def test_bad_input_says_what_is_wrong(text: str, problem: GoToProblem) -> None:
    with pytest.raises(GoToTimeError) as raised:
        parse_moment(text, NOW)
    assert raised.value.problem is problem
