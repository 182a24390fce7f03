"""The audit chain's anchor outside the database: a key and an append-only file.

The hash chain alone shows an edited, removed or swapped event, but not a chain that
was rewritten from some point on with the app's own (public) hash function, nor events
cut off at the end. So after every transaction that appended, the new head (sequence
number and hash) is appended to ``anchors.log`` with an HMAC-SHA256 under a key the
database never sees; each shift hand-over also records the head with its HMAC inside
the trail itself. ``audit verify`` then finds:

* a rewritten chain: an anchored event's hash differs from the database's;
* cut-off events: an anchored sequence number beyond the database's last event;
* an edited or forged anchor line: its HMAC does not check.

Where: ``$COMMANDROOM_AUDIT_ANCHOR_DIR`` or the user's config folder
(``~/.config/commandroom/audit-anchors/<database id>/``), never the data folder, so a
copy of the data folder (or a database administrator) has neither. The key is in the
OS keyring when there is one, else ``anchor.key`` (0600) beside the anchor file. The
README says what this cannot detect.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import platformdirs

from commandroom.config import APP_NAME, Paths
from commandroom.files import open_private_append, private_dir, write_private
from commandroom.redact import redact_url
from commandroom.secrets.keystore import KEYRING_SERVICE, SYSTEM_KEYRING, system_keyring

log = logging.getLogger(__name__)

ANCHOR_DIR_ENV = "COMMANDROOM_AUDIT_ANCHOR_DIR"
ANCHOR_FILE = "anchors.log"
KEY_FILE = "anchor.key"
GENESIS, COMMIT, RESTART = "genesis", "commit", "restart"
_VERSION = 1


@dataclass(frozen=True)
class Anchor:
    line: int  # in the anchor file, from 1
    kind: str  # genesis (first use), commit, restart (the file had been lost)
    seq: int
    hash: str
    at: str  # when it was written (UTC, ISO 8601)


@dataclass(frozen=True)
class AnchorFile:
    exists: bool
    anchors: list[Anchor]
    altered_lines: list[int]  # lines that do not parse or whose HMAC does not check


def anchor_dir(paths: Paths, database_url: str) -> Path:
    """This database's anchor folder: outside the data folder, one per database."""
    base = os.environ.get(ANCHOR_DIR_ENV)
    root = Path(base).expanduser() if base else (
        Path(platformdirs.user_config_dir(APP_NAME)) / "audit-anchors")
    ident = hashlib.sha256(redact_url(database_url).encode("utf-8")).hexdigest()[:16]
    folder = root.resolve() / ident
    if folder.is_relative_to(paths.data_dir.resolve()):
        log.warning("audit: the anchor folder %s is inside the data folder; whoever copies "
                    "the data folder can then rewrite the trail unseen", folder)
    return folder


class AuditAnchor:
    """Writes and reads one database's anchor file; MACs with the anchor key."""

    def __init__(self, key: bytes, path: Path, *, new_key: bool) -> None:
        self._key = key
        self.path = path
        # A key made just now: the file starts with the head as it is (genesis). A key
        # that existed but no file: the file was lost; verify says so.
        self.new_key = new_key

    def mac(self, *fields: object) -> str:
        message = json.dumps([_VERSION, *fields], separators=(",", ":"), ensure_ascii=False)
        return hmac.new(self._key, message.encode("utf-8"), hashlib.sha256).hexdigest()

    def head_record(self, seq: int, head_hash: str) -> dict[str, Any]:
        """What a hand-over record keeps of the head: checkable only with the key."""
        return {"seq": seq, "hash": head_hash, "mac": self.mac("head", seq, head_hash)}

    def head_record_ok(self, record: object, seq: int, head_hash: str) -> bool:
        if not isinstance(record, dict):
            return False
        return (record.get("seq") == seq and record.get("hash") == head_hash
                and hmac.compare_digest(str(record.get("mac", "")),
                                        self.mac("head", seq, head_hash)))

    def record(self, seq: int, head_hash: str, kind: str = COMMIT,
               now: datetime | None = None) -> None:
        """Append the head; never raises (the event is committed already)."""
        try:
            if kind == COMMIT and not self.path.exists():
                log.error("audit: anchor file %s was missing; starting it again", self.path)
                kind = RESTART
            at = (now or datetime.now(UTC)).astimezone(UTC).isoformat(timespec="seconds")
            line = json.dumps({"v": _VERSION, "kind": kind, "seq": seq, "hash": head_hash,
                               "at": at, "mac": self.mac(kind, seq, head_hash, at)},
                              separators=(",", ":"))
            with open_private_append(self.path) as handle:
                handle.write(line + "\n")  # one write on an O_APPEND file: whole lines
        except OSError:
            log.exception("audit: could not append to the anchor file %s", self.path)

    def read(self) -> AnchorFile:
        try:
            text = self.path.read_text("utf-8")
        except FileNotFoundError:
            return AnchorFile(False, [], [])
        anchors: list[Anchor] = []
        altered: list[int] = []
        for number, raw in enumerate(text.splitlines(), start=1):
            anchor = self._parse(number, raw)
            if anchor is None:
                altered.append(number)
            else:
                anchors.append(anchor)
        return AnchorFile(True, anchors, altered)

    def _parse(self, number: int, raw: str) -> Anchor | None:
        try:
            data = json.loads(raw)
            kind, seq, head, at = data["kind"], data["seq"], data["hash"], data["at"]
            if not (isinstance(seq, int) and isinstance(head, str) and isinstance(at, str)):
                return None
            good = hmac.compare_digest(str(data["mac"]), self.mac(kind, seq, head, at))
        except (ValueError, KeyError, TypeError):
            return None
        return Anchor(number, str(kind), seq, head, at) if good else None


def _load_key(folder: Path, ident: str, keyring: Any) -> tuple[bytes, bool]:
    ring = system_keyring() if keyring is SYSTEM_KEYRING else keyring
    entry = f"audit-anchor-key:{ident}"
    key_file = folder / KEY_FILE
    if ring is not None:
        stored = ring.get_password(KEYRING_SERVICE, entry)
        if stored:
            return bytes.fromhex(str(stored)), False
        if not key_file.exists():
            key = secrets.token_bytes(32)
            ring.set_password(KEYRING_SERVICE, entry, key.hex())
            return key, True
    if key_file.exists():
        return bytes.fromhex(key_file.read_text("ascii").strip()), False
    key = secrets.token_bytes(32)
    write_private(key_file, key.hex().encode("ascii"))
    return key, True


def open_audit_anchor(paths: Paths, database_url: str,
                      keyring: Any = SYSTEM_KEYRING) -> AuditAnchor:
    """This database's anchor; the key is made on first use (and the caller's trail
    then writes the genesis line)."""
    folder = private_dir(anchor_dir(paths, database_url))
    key, new_key = _load_key(folder, folder.name, keyring)
    log.info("audit: chain anchored in %s", folder / ANCHOR_FILE)
    return AuditAnchor(key, folder / ANCHOR_FILE, new_key=new_key)
