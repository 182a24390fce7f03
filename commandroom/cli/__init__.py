"""Administrator command line: ``commandroom <group> <command> [options]``.

The GUI's entry point hands subcommand argv to ``run``. A new subcommand is one decorated
function, in any module listed in ``COMMAND_MODULES``::

    @subcommand("watchlist export", "write the watch list to a file",
                arg("--out", required=True, type=Path))
    def watchlist_export(cmd: CommandRun, args: argparse.Namespace) -> int:
        ...
        return 0

Whoever can run this reads and writes the database file directly anyway (it is private to
the OS user, 0600 in a 0700 folder), so the CLI acts as an administrator named after the OS
user, and every change it makes is in the audit trail under that name.

A command works on the same ``commandroom.runtime.Core`` as the console, built part by
part as the command asks for them: a command that needs no database opens none, and none
starts the console's background workers.
"""

from __future__ import annotations

import argparse
import getpass
import importlib
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, TextIO

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import make_url

import commandroom.db.migrations.all_models  # noqa: F401  (every table, for the schema comparison)
from commandroom.audit.trail import AuditError, AuditFilter
from commandroom.auth.permissions import Actor, PermissionDenied, Role
from commandroom.auth.policy import PolicyError
from commandroom.auth.service import BootstrapError, LoginFailed, OperatorError
from commandroom.config import Paths, load_settings
from commandroom.crash_hooks import install_crash_hooks
from commandroom.db.base import Base
from commandroom.db.engine import alembic_config, create_db_engine
from commandroom.runtime import Core
from commandroom.secrets.store import SecretStoreError

# Modules whose import registers more subcommands (e.g. "commandroom.cli.watchlist"); they
# live here, in the command line's package, not in the features they drive: the features
# sit below the command line and never import it.
COMMAND_MODULES: tuple[str, ...] = (
    "commandroom.cli.evidence", "commandroom.cli.reports", "commandroom.cli.teams",
    "commandroom.cli.watchlist",
)

Handler = Callable[["CommandRun", argparse.Namespace], int]


class CliError(Exception):
    """A problem to print as ``error: ...`` with exit status 1."""


# Expected failures print one clear line; anything else is a bug and shows its traceback.
_USER_ERRORS: tuple[type[BaseException], ...] = (
    CliError, PolicyError, OperatorError, BootstrapError, LoginFailed, PermissionDenied,
    SecretStoreError, AuditError, OSError,
)


@dataclass(frozen=True)
class Argument:
    flags: tuple[str, ...]
    options: dict[str, Any] = field(default_factory=dict)


def arg(*flags: str, **options: Any) -> Argument:
    """One ``argparse.add_argument(*flags, **options)`` call, declared with the command."""
    return Argument(flags, options)


@dataclass(frozen=True)
class Subcommand:
    words: tuple[str, ...]
    help: str
    arguments: tuple[Argument, ...]
    handler: Handler


_REGISTRY: dict[tuple[str, ...], Subcommand] = {}


def subcommand(name: str, help: str, *arguments: Argument) -> Callable[[Handler], Handler]:
    """Register ``handler`` as ``commandroom <name...>``; name is e.g. ``"operator create"``."""
    words = tuple(name.split())
    if len(words) != 2:
        raise ValueError(f"subcommand name must be '<group> <command>', got {name!r}")

    def register(handler: Handler) -> Handler:
        if words in _REGISTRY:
            raise ValueError(f"subcommand {name!r} registered twice")
        _REGISTRY[words] = Subcommand(words, help, arguments, handler)
        return handler

    return register


def registered_subcommands() -> dict[tuple[str, ...], Subcommand]:
    _load_command_modules()
    return dict(_REGISTRY)


def _load_command_modules() -> None:
    for module in COMMAND_MODULES:
        importlib.import_module(module)


@dataclass(frozen=True)
class CommandRun:
    """One run of a subcommand: the core it works on (the database opens, and migrates,
    when the command first asks for a service), where it prints, who it acts as."""

    core: Core
    out: TextIO
    err: TextIO
    actor: Actor

    @property
    def paths(self) -> Paths:
        return self.core.paths

    def print(self, text: str = "") -> None:
        print(text, file=self.out)


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no login name in a service environment
        return "unknown"


def read_new_password(cmd: CommandRun, prompt: str = "password: ") -> str:
    """From the terminal (asked twice, not echoed) or one line of piped stdin; never argv."""
    stdin = sys.stdin
    if stdin is not None and stdin.isatty():
        first = getpass.getpass(prompt)
        if getpass.getpass("again: ") != first:
            raise CliError("the two passwords differ; nothing changed")
        return first
    line = stdin.readline() if stdin is not None else ""
    if not line:
        raise CliError("no password given on standard input; nothing changed")
    return line.rstrip("\r\n")


def _parse_time(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a date/time like 2026-01-31 or 2026-01-31T08:00+08:00"
        ) from None
    return moment if moment.tzinfo else moment.astimezone()  # naive: local time


_ROLES = [role.value for role in Role]


@subcommand("operator create", "create an operator (the first one: the administrator)",
            arg("--username", required=True),
            arg("--role", required=True, choices=_ROLES),
            arg("--display-name", default=""))
def operator_create(cmd: CommandRun, args: argparse.Namespace) -> int:
    """The password is read from the terminal or stdin. On an empty database this creates
    the first administrator (there is no default account)."""
    auth = cmd.core.auth
    first = auth.needs_bootstrap()
    if first and args.role != Role.ADMINISTRATOR:
        raise CliError("no operator exists yet: the first one must be an administrator")
    password = read_new_password(cmd)
    if first:
        auth.bootstrap_admin(args.username, password, args.display_name)
        cmd.print(f"created the first administrator {args.username.strip().lower()}")
    else:
        info = auth.create_operator(cmd.actor, args.username, password, args.role,
                                    args.display_name)
        cmd.print(f"created operator {info.username} ({info.role}); "
                  "the password must be changed at first login")
    return 0


@subcommand("operator reset", "set a new password and clear a lockout",
            arg("--username", required=True),
            arg("--unlock-only", action="store_true",
                help="only clear a lockout; keep the password"))
def operator_reset(cmd: CommandRun, args: argparse.Namespace) -> int:
    """Reset a password (read from the terminal or stdin) and clear any lockout."""
    if args.unlock_only:
        cmd.core.auth.unlock_operator(cmd.actor, args.username)
        cmd.print(f"unlocked {args.username.strip().lower()}")
        return 0
    password = read_new_password(cmd, "new password: ")
    cmd.core.auth.reset_password(cmd.actor, args.username, password)
    cmd.print(f"password of {args.username.strip().lower()} reset; "
              "it must be changed at next login")
    return 0


@subcommand("operator list", "list operators with role and state")
def operator_list(cmd: CommandRun, args: argparse.Namespace) -> int:
    """Every operator with role and state."""
    operators = cmd.core.auth.list_operators(cmd.actor)
    if not operators:
        cmd.print("no operators yet: create the administrator with "
                  "'commandroom operator create --role administrator --username NAME'")
        return 0
    cmd.print(f"{'username':<20} {'role':<14} {'state':<12} {'last login':<20} name")
    for op in operators:
        state = "active" if op.active else "deactivated"
        if op.locked_until is not None and op.locked_until > datetime.now(op.locked_until.tzinfo):
            state = "locked"
        last = op.last_login_at.astimezone().strftime("%Y-%m-%d %H:%M") if op.last_login_at else "-"
        flag = " (must change password)" if op.must_change_password else ""
        cmd.print(f"{op.username:<20} {op.role.value:<14} {state:<12} {last:<20} "
                  f"{op.display_name}{flag}")
    return 0


@subcommand("audit verify", "check the audit hash chain")
def audit_verify(cmd: CommandRun, args: argparse.Namespace) -> int:
    """Check the hash chain and its anchors outside the database (the anchor file and the
    shift hand-over records); exit 1 and name the first problem if there is one."""
    result = cmd.core.audit.verify()
    if result.ok:
        cmd.print(f"chain intact: {result.checked} events")
        cmd.print(f"head hash: {result.head_hash}")
        cmd.print(f"anchored: {result.anchors_checked} anchor(s) up to event "
                  f"#{result.anchored_seq} in {result.anchor_file}; "
                  f"{result.handovers_checked} hand-over record(s) checked")
        return 0
    if result.first_broken_seq is None:
        cmd.print(f"NOT VERIFIED: {result.reason}")
    else:
        cmd.print(f"BROKEN at event #{result.first_broken_seq}: {result.reason}")
    return 1


@subcommand("audit export", "export audit events to CSV",
            arg("--out", required=True, type=Path),
            arg("--actor", default=None),
            arg("--action", default=None, help="action prefix, e.g. 'auth.'"),
            arg("--since", type=_parse_time, default=None),
            arg("--until", type=_parse_time, default=None))
def audit_export(cmd: CommandRun, args: argparse.Namespace) -> int:
    """Write audit events (with their hashes) to a CSV file; the export is audited too."""
    filters = AuditFilter(actor=args.actor, action_prefix=args.action, since=args.since,
                          until=args.until, limit=0)
    count = cmd.core.audit.export_csv(cmd.actor, args.out, filters)
    cmd.print(f"exported {count} events to {args.out}")
    return 0


@subcommand("db check", "check migrations, file integrity and schema")
def db_check(cmd: CommandRun, args: argparse.Namespace) -> int:
    """Read-only: reports whether migrations are at head, SQLite's integrity_check, and
    whether the tables match the models. Exit 1 on any problem."""
    url = make_url(cmd.core.database_url)
    sqlite = url.get_backend_name() == "sqlite"
    if sqlite and url.database and url.database != ":memory:" and not Path(url.database).exists():
        cmd.print(f"no database at {url.database} (it is created on first start)")
        return 1
    engine = create_db_engine(cmd.core.database_url)
    problems = 0
    try:
        heads = set(ScriptDirectory.from_config(alembic_config(engine)).get_heads())
        with engine.connect() as conn:
            current = set(MigrationContext.configure(conn).get_current_heads())
            if current == heads:
                cmd.print(f"migrations: at head ({', '.join(sorted(heads))})")
            else:
                problems += 1
                cmd.print(f"migrations: database at {', '.join(sorted(current)) or 'nothing'}, "
                          f"code at {', '.join(sorted(heads))}; starting the app upgrades it")
            if sqlite:
                verdict = [str(r[0]) for r in conn.exec_driver_sql("PRAGMA integrity_check")]
                if verdict == ["ok"]:
                    cmd.print("integrity_check: ok")
                else:
                    problems += 1
                    cmd.print("integrity_check: FAILED")
                    for line in verdict[:20]:
                        cmd.print(f"  {line}")
            if current == heads:
                drift = compare_metadata(
                    MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata
                )
                if drift:
                    problems += 1
                    cmd.print(f"schema: {len(drift)} difference(s) from the models")
                    for diff in drift[:20]:
                        cmd.print(f"  {diff}")
                else:
                    cmd.print("schema: matches the models")
    finally:
        engine.dispose()
    return 1 if problems else 0


def command_groups() -> set[str]:
    """First words of the administrator commands (``operator``, ``audit``...)."""
    return {words[0] for words in registered_subcommands()}


DATA_DIR_HELP = "keep settings, database, evidence and logs in DIR (also $COMMANDROOM_DATA_DIR)"


def command_summary() -> str:
    """Every administrator command with its one-line help, for ``commandroom --help``."""
    commands = sorted(registered_subcommands().items())
    width = max((len(" ".join(words)) for words, _ in commands), default=0)
    return "\n".join(f"  {' '.join(words):<{width}}  {command.help}" for words, command in commands)


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add every ``<group> <command>`` to ``commands``: the subcommands of the one
    ``commandroom`` parser (the GUI's entry point builds it, with ``view`` beside these).

    ``--data-dir`` belongs before the command; it is accepted after it too, since that is
    where people put it (``commandroom operator list --data-dir D``)."""
    group_parsers: dict[str, argparse._SubParsersAction[argparse.ArgumentParser]] = {}
    for words, command in sorted(registered_subcommands().items()):
        group, name = words
        if group not in group_parsers:
            group_parser = commands.add_parser(group, help=f"{group} commands")
            group_parsers[group] = group_parser.add_subparsers(
                dest="subcommand", required=True, metavar="COMMAND")
        doc = (command.handler.__doc__ or command.help).strip()
        sub = group_parsers[group].add_parser(name, help=command.help, description=doc)
        for argument in command.arguments:
            sub.add_argument(*argument.flags, **argument.options)
        # SUPPRESS: absent here, the value given before the command stays.
        sub.add_argument("--data-dir", metavar="DIR", default=argparse.SUPPRESS,
                         help=DATA_DIR_HELP)
        sub.set_defaults(_handler=command.handler)


def build_parser() -> argparse.ArgumentParser:
    """The administrator commands alone (``run``); ``ui.app.build_parser`` is the whole
    ``commandroom`` tree, these commands included."""
    parser = argparse.ArgumentParser(
        prog="commandroom", description="command room administration",
        epilog="commands:\n" + command_summary(),
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", metavar="DIR", default=None, help=DATA_DIR_HELP)
    add_commands(parser.add_subparsers(dest="command", required=True, metavar="COMMAND"))
    return parser


def run(argv: list[str], *, paths: Paths | None = None,
        out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Run one subcommand; returns the exit status (0 ok, 1 failed, 2 bad usage)."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse has printed the usage problem
        return exc.code if isinstance(exc.code, int) else 2
    return run_parsed(args, paths=paths, out=out, err=err)


def is_command(args: argparse.Namespace) -> bool:
    """True when ``args`` (parsed by a tree built with ``add_commands``) name a subcommand."""
    return callable(getattr(args, "_handler", None))


def run_parsed(args: argparse.Namespace, *, paths: Paths | None = None,
               out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Run the subcommand that ``args`` name (see ``is_command``)."""
    install_crash_hooks()  # a bug's traceback (a worker thread's too) is logged redacted
    out = out or sys.stdout
    err = err or sys.stderr
    data_dir = getattr(args, "data_dir", None)
    chosen = Paths.resolve(data_dir) if data_dir else (paths or Paths.resolve())
    core = Core(chosen, load_settings(chosen))
    actor = Actor(username=f"cli:{_os_user()}", role=Role.ADMINISTRATOR)
    try:
        handler: Handler = args._handler
        return handler(CommandRun(core, out, err, actor), args)
    except _USER_ERRORS as exc:
        print(f"error: {exc}", file=err)
        return 1
    finally:
        core.stop()
