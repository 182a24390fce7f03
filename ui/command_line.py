"""The one ``commandroom`` command line: global options, then a command (none: the console;
``view``; or an administrator command from ``commandroom.cli``)."""

from __future__ import annotations

import argparse
import getpass
import os
from pathlib import Path

from commandroom import __version__
from commandroom.cli import add_commands, command_summary
from commandroom.config import DATA_DIR_ENV

VIEW_PASSWORD_ENV = "COMMANDROOM_VIEW_PASSWORD"


class _RefusePasswordArgument(argparse.Action):
    """``view --password X`` would show X in ``ps`` and the shell history: say what to use."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: object, option_string: str | None = None) -> None:
        parser.error("a password on the command line is visible to every user (ps) and in "
                     "the shell history; use --ask-password, --password-file FILE or "
                     f"${VIEW_PASSWORD_ENV}")


def build_parser() -> argparse.ArgumentParser:
    """The one ``commandroom`` command line: global options, then a command (none: the
    console; ``view``; or an administrator command such as ``operator list``)."""
    parser = argparse.ArgumentParser(
        prog="commandroom",
        description="Command-room console: live junction cameras, watch lists, sightings "
                    "and alerts to the community-policing and case-handling teams. "
                    "Without a command it opens the console.",
        epilog="commands:\n  view URL...       open the console with just these streams "
               "(nothing saved)\n" + command_summary()
               + "\n\nGlobal options go before the command; "
                 "`commandroom COMMAND --help` tells more.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"commandroom {__version__}")
    parser.add_argument("--data-dir", metavar="DIR", default=None,
                        help=f"keep settings, database, evidence and logs in DIR "
                             f"(also ${DATA_DIR_ENV}); default: the user's data folders")
    parser.add_argument("--demo", action="store_true",
                        help="create the demo junction cameras (no network needed) if missing")
    parser.add_argument("--no-demo", action="store_true",
                        help="do not offer demo cameras on first run")
    parser.add_argument("--lang", choices=("en", "zh_CN"), default="",
                        help="user interface language (default: system locale)")
    parser.add_argument("--log-level", default="", help="DEBUG, INFO, WARNING or ERROR")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    # allow_abbrev off: "--password" must not be taken for "--password-file".
    view = commands.add_parser(
        "view", allow_abbrev=False, help="open the console with just these streams",
        description="Open the console with just these streams; nothing is saved. The camera "
                    "password comes from --ask-password, --password-file or "
                    f"${VIEW_PASSWORD_ENV}, else from the URL (rtsp://user:password@...).")
    view.add_argument("urls", nargs="+", metavar="URL")
    view.add_argument("--user", default=None, help="camera user name")
    secret = view.add_mutually_exclusive_group()
    secret.add_argument("--ask-password", action="store_true",
                        help="ask for the camera password (not shown while typed)")
    secret.add_argument("--password-file", metavar="FILE", type=Path, default=None,
                        help="read the camera password from the first line of FILE")
    view.add_argument("--password", action=_RefusePasswordArgument, help=argparse.SUPPRESS)
    view.add_argument("--transport", choices=("tcp", "udp"), default="tcp")
    view.add_argument("--data-dir", metavar="DIR", default=argparse.SUPPRESS,
                      help=argparse.SUPPRESS)
    add_commands(commands)
    return parser


def read_view_password(args: argparse.Namespace) -> str | None:
    """The camera password for ``view``, from where the operator put it; None: none given
    (the URL's own, if any, applies). Raises ``ValueError`` with a sentence to print."""
    if args.password_file is not None:
        try:
            text = Path(args.password_file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ValueError(f"cannot read the password file {args.password_file}: "
                             f"{getattr(exc, 'strerror', None) or exc}") from None
        return text.splitlines()[0] if text else ""
    if args.ask_password:
        return getpass.getpass("camera password: ")
    return os.environ.get(VIEW_PASSWORD_ENV)
