"""``commandroom report incident|monthly``: the incident report and the monthly report as
PDF, in Chinese or English, the same files the console writes (and audited the same way).
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from commandroom.cli import CliError, CommandRun, arg, subcommand
from commandroom.incidents import IncidentError, IncidentFilter
from commandroom.reports import Lang, ReportWritten

_LANGS = [lang.value for lang in Lang]


def _month(text: str) -> date:
    try:
        year, month = (int(part) for part in text.split("-"))
        return date(year, month, 1)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a month like 2026-11") from None


def _incident_id(cmd: CommandRun, given: str) -> int:
    """An incident by its id (12) or its number (JX-2026-0012)."""
    if given.isdigit():
        return int(given)
    found = cmd.core.incidents.list(cmd.actor, IncidentFilter(text=given.strip(), limit=50))
    for incident in found:
        if incident.number.lower() == given.strip().lower():
            return incident.id
    raise CliError(f"there is no incident {given}")


def _print(cmd: CommandRun, written: ReportWritten) -> None:
    cmd.print(f"report: {written.path}")
    cmd.print(f"SHA-256: {written.sha256}")
    cmd.print(f"{written.size:,} bytes in {written.total_seconds:.2f} s "
              f"(font {written.font_seconds:.2f} s)")


@subcommand(
    "report incident",
    "write an incident's report (PDF): its steps, times, outcome and timeline",
    arg("incident", help="the incident's id or number (JX-2026-0012)"),
    arg("--lang", dest="report_lang", choices=_LANGS, default=Lang.ZH_CN.value),
    arg("--out", required=True, type=Path, help="the PDF file to write"),
)
def report_incident(cmd: CommandRun, args: argparse.Namespace) -> int:
    try:
        written = cmd.core.reports.write_incident(cmd.actor, _incident_id(cmd, args.incident),
                                                  args.report_lang, args.out)
    except IncidentError as exc:
        raise CliError(f"{exc}; nothing written") from exc
    _print(cmd, written)
    return 0


@subcommand(
    "report monthly",
    "write the monthly report (PDF): the month against last month and last year, "
    "and its tables",
    arg("month", type=_month, help="the month, e.g. 2026-11"),
    arg("--lang", dest="report_lang", choices=_LANGS, default=Lang.ZH_CN.value),
    arg("--out", required=True, type=Path, help="the PDF file to write"),
)
def report_monthly(cmd: CommandRun, args: argparse.Namespace) -> int:
    _print(cmd, cmd.core.reports.write_monthly(cmd.actor, args.month, args.report_lang,
                                               args.out))
    return 0
