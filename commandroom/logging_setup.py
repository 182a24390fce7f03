"""Logging to the console and a rotating file; every record is redacted first."""

from __future__ import annotations

import io
import logging
import logging.handlers
from pathlib import Path

from commandroom.files import open_private_append, private_dir
from commandroom.redact import redact_text

_FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"


class RedactingFilter(logging.Filter):
    """Rewrites a record's message so no URL credential ever reaches a handler."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact_text(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        if record.exc_info and record.exc_info[1] is not None:
            # Exceptions from FFmpeg/zeep may quote the URL they were given.
            record.exc_text = redact_text(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        return True


class PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """Log files (the current one and each new one after a rollover) created 0600."""

    def _open(self) -> io.TextIOWrapper:
        return open_private_append(Path(self.baseFilename))


def configure_logging(log_dir: Path, level: str = "INFO", console: bool = True) -> Path:
    """Set up the root logger; returns the path of the log file."""
    private_dir(log_dir)
    log_file = log_dir / "commandroom.log"
    root = logging.getLogger()
    root.setLevel(level.upper())
    for handler in list(root.handlers):
        # Ours from an earlier call, and the bare stderr handler that importing onvif
        # (logging.basicConfig) installs: it would print every line twice, unredacted.
        if getattr(handler, "_commandroom", False) or type(handler) is logging.StreamHandler:
            root.removeHandler(handler)
            handler.close()
    handlers: list[logging.Handler] = [
        PrivateRotatingFileHandler(
            log_file, maxBytes=5_000_000, backupCount=5, encoding="utf-8"
        )
    ]
    if console:
        handlers.append(logging.StreamHandler())
    for handler in handlers:
        handler.setFormatter(logging.Formatter(_FORMAT))
        handler.addFilter(RedactingFilter())
        handler._commandroom = True  # type: ignore[attr-defined]
        root.addHandler(handler)
    # httpx logs every request URL at INFO; a group-robot URL carries its access token.
    for noisy in ("httpx", "httpcore"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    return log_file
