"""``commandroom watchlist import|export``: the watch list to and from CSV, for administrators."""

from __future__ import annotations

import argparse
from pathlib import Path

from commandroom.cli import CliError, CommandRun, arg, subcommand
from commandroom.watchlist import csv_import


@subcommand(
    "watchlist import",
    "import persons and vehicles from CSV (UTF-8 or GB18030); good rows in one transaction",
    arg("file", type=Path),
    arg("--photos", type=Path, default=None, help="folder of the photos named in the CSV"),
    arg("--duplicates", choices=(csv_import.SKIP, csv_import.UPDATE), default=csv_import.SKIP,
        help="what to do with rows whose ID number or plate is already on file"),
)
def watchlist_import(cmd: CommandRun, args: argparse.Namespace) -> int:
    if not args.file.is_file():
        raise CliError(f"{args.file} is not a file")
    report = cmd.core.watchlist.import_csv(cmd.actor, args.file, args.photos, args.duplicates)
    cmd.print(f"{args.file}: {report.rows} row(s) read ({report.encoding}); "
              f"{len(report.created)} created, {len(report.updated)} updated, "
              f"{len(report.skipped)} duplicate(s) skipped, {len(report.errors)} refused")
    for error in report.errors:
        cmd.print(f"  line {error.line}: {error.reason}")
    return 1 if report.errors else 0


@subcommand(
    "watchlist export",
    "write the watch list to CSV (the import's columns)",
    arg("--out", type=Path, required=True),
    arg("--archived", action="store_true", help="include archived entries"),
)
def watchlist_export(cmd: CommandRun, args: argparse.Namespace) -> int:
    count = cmd.core.watchlist.export_csv(cmd.actor, args.out, include_archived=args.archived)
    cmd.print(f"{count} entr{'y' if count == 1 else 'ies'} written to {args.out}")
    return 0
