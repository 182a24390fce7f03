"""``commandroom watchlist import|export``: the watch list to and from CSV, for administrators."""

from __future__ import annotations

import argparse
from pathlib import Path

from commandroom.cli import CliContext, CliError, arg, subcommand
from commandroom.events import EventBus
from commandroom.sightings.references import sightings_of_entry
from commandroom.watchlist import csv_import
from commandroom.watchlist.service import WatchlistService


def _service(ctx: CliContext) -> WatchlistService:
    return WatchlistService(ctx.sessions, ctx.audit, EventBus(), references=sightings_of_entry,
                            data_dir=ctx.paths.data_dir)


@subcommand(
    "watchlist import",
    "import persons and vehicles from CSV (UTF-8 or GB18030); good rows in one transaction",
    arg("file", type=Path),
    arg("--photos", type=Path, default=None, help="folder of the photos named in the CSV"),
    arg("--duplicates", choices=(csv_import.SKIP, csv_import.UPDATE), default=csv_import.SKIP,
        help="what to do with rows whose ID number or plate is already on file"),
)
def watchlist_import(ctx: CliContext, args: argparse.Namespace) -> int:
    if not args.file.is_file():
        raise CliError(f"{args.file} is not a file")
    report = _service(ctx).import_csv(ctx.actor, args.file, args.photos, args.duplicates)
    ctx.print(f"{args.file}: {report.rows} row(s) read ({report.encoding}); "
              f"{len(report.created)} created, {len(report.updated)} updated, "
              f"{len(report.skipped)} duplicate(s) skipped, {len(report.errors)} refused")
    for error in report.errors:
        ctx.print(f"  line {error.line}: {error.reason}")
    return 1 if report.errors else 0


@subcommand(
    "watchlist export",
    "write the watch list to CSV (the import's columns)",
    arg("--out", type=Path, required=True),
    arg("--archived", action="store_true", help="include archived entries"),
)
def watchlist_export(ctx: CliContext, args: argparse.Namespace) -> int:
    count = _service(ctx).export_csv(ctx.actor, args.out, include_archived=args.archived)
    ctx.print(f"{count} entr{'y' if count == 1 else 'ies'} written to {args.out}")
    return 0
