"""The monthly report over a generated station year: its sentences and tables equal the
figures counted in plain Python from the generated rows (never from the database); a
month with nothing before it says "no base", not "unchanged"."""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from commandroom.audit.trail import AuditFilter, AuditTrail
from commandroom.auth.permissions import Actor, PermissionDenied, Role
from commandroom.config import Paths, Settings
from commandroom.reports import Lang, Words
from commandroom.runtime import Core, CoreHooks
from commandroom.statistics.records import Change, Metric, MonthComparison, Trend
from tests.support.statistics_data import BEIJING, StationData, generate, insert_all
from tests.unit.reports.conftest import SUPERVISOR, fonts_embedded, pdf_text, render_page_one

NOVEMBER = date(2026, 11, 1)
DUTY = Actor("wang", Role.DUTY_OFFICER, 7)


@pytest.fixture(scope="module")
def station(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Core, StationData]]:
    root = tmp_path_factory.mktemp("monthly")
    core = Core(Paths.resolve(root / "station"), Settings(),
                hooks=CoreHooks(keyring=None, audit_sink=AuditTrail))
    # 13 months: November 2026 has a last month and a same month last year.
    data = generate(23, date(2025, 11, 1), (date(2026, 12, 1) - date(2025, 11, 1)).days,
                    incidents=1300, sightings=4000, alerts=1200)
    insert_all(core.sessions, data)
    yield core, data
    core.stop()


def _day(instant: datetime) -> date:
    return instant.astimezone(BEIJING).date()


def _in_month(day: date, first: date) -> bool:
    return (day.year, day.month) == (first.year, first.month)


def _incidents(data: StationData, first: date, outcome: str | None = None
               ) -> list[dict[str, Any]]:
    return [row for row in data.incidents if _in_month(row["created_day"], first)
            and (outcome is None or row["outcome"] == outcome)]


def _sentence_zh(name: str, value: int, earlier: int, against: str) -> str:
    percent = round(abs(value - earlier) * 100 / earlier) or "<1"
    trend = "下降" if value < earlier else "上升"
    return f"{name}{against}{trend} {percent} %" if value != earlier else f"{name}{against}持平"


def test_monthly_report_figures_equal_the_generated_data(station: tuple[Core, StationData],
                                                         tmp_path: Path) -> None:
    core, data = station
    path = tmp_path / "2026-11-zh.pdf"
    written = core.reports.write_monthly(SUPERVISOR, NOVEMBER, Lang.ZH_CN, path)
    text = pdf_text(path)
    for metric, name, outcome in ((Metric.INCIDENTS, "警情数", None),
                                  (Metric.CAUGHT, "抓获数", "caught")):
        now = len(_incidents(data, NOVEMBER, outcome))
        last_month = len(_incidents(data, date(2026, 10, 1), outcome))
        last_year = len(_incidents(data, date(2025, 11, 1), outcome))
        assert now and last_month and last_year, metric
        assert _sentence_zh(name, now, last_year, "同比") in text
        assert _sentence_zh(name, now, last_month, "环比") in text
    # Sightings per junction: total and days with sightings, most first.
    per_day: dict[str, Counter[date]] = defaultdict(Counter)
    for row in data.sightings:
        if _in_month(_day(row["frame_time"]), NOVEMBER):
            per_day[row["junction"]][_day(row["frame_time"])] += 1
    for junction, days in per_day.items():
        assert f"{junction} {sum(days.values())} {len(days)}" in text, junction
    # Outcomes of the month's incidents.
    outcomes = Counter(row["outcome"] for row in _incidents(data, NOVEMBER))
    for outcome, word in (("caught", "已抓获"), ("cleared", "已排除"), ("", "未结")):
        assert f"{word} {outcomes[outcome]}" in text
    # The median time to acknowledge per team, in whole minutes as the console says it.
    november = {row["id"] for row in _incidents(data, NOVEMBER)}
    for team_id, team_name in ((1, "社区警务队"), (2, "案件办理队")):
        seconds = [row["ack_seconds"] for row in data.incident_teams
                   if row["incident_id"] in november and row["team_id"] == team_id
                   and row["ack_seconds"] is not None]
        median = int(statistics.median(seconds)) // 60
        assert f"{team_name} {len(seconds)} {median} 分钟" in text, team_name
    assert all(emb == "yes" for _, emb in fonts_embedded(path))
    assert render_page_one(path, tmp_path / "page").stat().st_size > 10_000
    [event] = [e for e in core.audit.query(SUPERVISOR, AuditFilter(action_prefix="report."))
               if e.details["file"] == path.name]
    assert (event.subject, event.details["sha256"]) == ("month:2026-11", written.sha256)


def test_monthly_report_in_english(station: tuple[Core, StationData], tmp_path: Path) -> None:
    core, data = station
    path = tmp_path / "2026-11-en.pdf"
    core.reports.write_monthly(SUPERVISOR, NOVEMBER, "en", path)
    text = pdf_text(path)
    now = len(_incidents(data, NOVEMBER))
    earlier = len(_incidents(data, date(2025, 11, 1)))
    trend = "down" if now < earlier else "up"
    percent = round(abs(now - earlier) * 100 / earlier)
    assert f"Reported incidents {trend} {percent} % on the same month last year" in text
    for title in ("Monthly report", "2026-11", "Sightings per junction",
                  "Alerts per team and category", "Time to acknowledge per team",
                  "Time to resolution", "Outcomes"):
        assert title in text
    assert "警情数" not in text


def test_a_month_with_nothing_before_says_no_base(station: tuple[Core, StationData],
                                                  tmp_path: Path) -> None:
    core, _ = station
    path = tmp_path / "2024-03.pdf"
    core.reports.write_monthly(SUPERVISOR, date(2024, 3, 1), "zh_CN", path)
    text = pdf_text(path)
    assert "警情数同比：无可比数据（去年同月为 0）" in text
    assert "警情数环比：无可比数据（上月为 0）" in text
    assert "持平" not in text  # 0 against 0 says nothing, it is not "unchanged"


def test_words_of_the_comparison() -> None:
    zero = MonthComparison(Metric.INCIDENTS, NOVEMBER, 0, Change(0, Trend.FLAT, 0),
                           Change(0, Trend.FLAT, 0))
    assert Words("en").comparison(zero) == (
        "Reported incidents: no base for comparison (none in the same month last year)",
        "Reported incidents: no base for comparison (none last month)")
    down = MonthComparison(Metric.INCIDENTS, NOVEMBER, 13, Change(15, Trend.DOWN, 13),
                           Change(20, Trend.DOWN, 35))
    assert Words("zh_CN").comparison(down) == ("警情数同比下降 35 %", "警情数环比下降 13 %")
    # 9799 against 9807 rounds to 0 %: it went down, by less than 1 %.
    slight = MonthComparison(Metric.SIGHTINGS, NOVEMBER, 9799, Change(9799, Trend.FLAT, 0),
                             Change(9807, Trend.DOWN, 0))
    assert Words("zh_CN").comparison(slight) == ("发现数同比下降 <1 %", "发现数环比持平")
    assert Words("en").comparison(slight)[0] == "Sightings down <1 % on the same month last year"


def test_both_languages_have_the_same_words() -> None:
    from commandroom.reports.words import EN, ZH_CN
    assert set(EN) == set(ZH_CN)


def test_monthly_report_needs_the_export_permission(station: tuple[Core, StationData],
                                                    tmp_path: Path) -> None:
    core, _ = station
    with pytest.raises(PermissionDenied):
        core.reports.write_monthly(DUTY, NOVEMBER, "en", tmp_path / "refused.pdf")
    assert not (tmp_path / "refused.pdf").exists()
