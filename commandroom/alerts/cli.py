"""``commandroom teams import FILE``: teams, channels and rules from TOML in one step."""

from __future__ import annotations

import argparse
from pathlib import Path

from commandroom.alerts.provision import provision_from_toml
from commandroom.alerts.teams import TeamConfigError
from commandroom.cli import CliContext, CliError, arg, subcommand
from commandroom.secrets.keystore import open_secret_store


@subcommand(
    "teams import",
    "load teams, channels and routing rules from a TOML file (its secrets move to the "
    "secret store and the file is rewritten without them)",
    arg("file", type=Path),
)
def teams_import(ctx: CliContext, args: argparse.Namespace) -> int:
    store = open_secret_store(ctx.paths, ctx.sessions)
    try:
        report = provision_from_toml(args.file, ctx.actor, ctx.sessions, store, ctx.audit)
    except TeamConfigError as exc:
        raise CliError(f"{exc}; nothing changed") from exc
    ctx.print(
        f"imported {len(report.teams)} team(s) ({', '.join(report.teams)}), "
        f"{report.channels} channel(s), {report.rules} rule(s); "
        f"{report.secrets_moved} secret(s) moved to the secret store"
    )
    if report.file_rewritten:
        ctx.print(f"{args.file} was rewritten without its secrets")
    if report.warning:
        ctx.err.write(f"warning: {report.warning}\n")
    return 0
