"""``commandroom teams import FILE``: teams, channels and rules from TOML in one step."""

from __future__ import annotations

import argparse
from pathlib import Path

from commandroom.alerts.provision import provision_from_toml
from commandroom.alerts.teams import TeamConfigError
from commandroom.cli import CliError, CommandRun, arg, subcommand


@subcommand(
    "teams import",
    "load teams, channels and routing rules from a TOML file (its secrets move to the "
    "secret store and the file is rewritten without them)",
    arg("file", type=Path),
)
def teams_import(cmd: CommandRun, args: argparse.Namespace) -> int:
    core = cmd.core
    try:
        report = provision_from_toml(args.file, cmd.actor, core.sessions, core.secrets,
                                     core.audit_sink)
    except TeamConfigError as exc:
        raise CliError(f"{exc}; nothing changed") from exc
    cmd.print(
        f"imported {len(report.teams)} team(s) ({', '.join(report.teams)}), "
        f"{report.channels} channel(s), {report.rules} rule(s); "
        f"{report.secrets_moved} secret(s) moved to the secret store"
    )
    if report.file_rewritten:
        cmd.print(f"{args.file} was rewritten without its secrets")
    if report.warning:
        cmd.err.write(f"warning: {report.warning}\n")
    return 0
