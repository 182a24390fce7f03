"""Checking the audit trail: the hash chain, then its anchors outside the database.

One pass over the events in sequence order, with the anchors (sorted by sequence
number) compared as the walk reaches them; the first problem found is named by the
event it concerns, with a ``Notice`` the UI translates and the CLI prints in English.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Protocol

from commandroom.audit.anchor import GENESIS, RESTART, Anchor, AuditAnchor
from commandroom.notices import Notice, define, describe, notice

GENESIS_HASH = "0" * 64
HANDOVER_ACTION = "auth.logout"  # the hand-over's first event carries the head
HEAD_KEY = "audit_head"

MISSING = define("audit.missing", "event #{seq} is missing (the chain jumps from #{before} "
                                  "to #{after})")
PREV_HASH = define("audit.prev_hash", "prev_hash does not match event #{before}")
EDITED = define("audit.edited", "stored content does not match its hash (edited)")
REWRITTEN = define("audit.rewritten",
                   "its hash differs from the one anchored outside the database on {at}: "
                   "the chain was rewritten at or before this event")
TRUNCATED = define("audit.truncated",
                   "the trail ends at #{last}, but event #{anchored} was anchored outside the "
                   "database on {at}: events were removed from the end")
HANDOVER_FORGED = define("audit.handover_forged",
                         "the shift hand-over recorded here does not match the chain before "
                         "it, or was not made with this station's anchor key: the chain was "
                         "rewritten before this event")
ANCHOR_MISSING = define("audit.anchor_missing",
                        "the anchor file {path} is missing: truncation and rewriting cannot "
                        "be checked")
ANCHOR_EMPTY = define("audit.anchor_empty",
                      "the anchor file {path} was emptied: truncation and rewriting cannot be "
                      "checked")
ANCHOR_ALTERED = define("audit.anchor_altered",
                        "line {line} of the anchor file {path} was altered (its HMAC does not "
                        "check)")
ANCHOR_RESTARTED = define("audit.anchor_restarted",
                          "the anchor file {path} was lost and started again at event #{seq} "
                          "on {at}: events before it cannot be checked for rewriting")


class ChainRow(Protocol):
    seq: int
    action: str
    details: str
    prev_hash: str
    hash: str


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    first_broken_seq: int | None = None
    problem: Notice | None = None
    head_hash: str = GENESIS_HASH
    head_seq: int = 0
    anchored: bool = False  # checked against anchors outside the database
    anchors_checked: int = 0
    anchored_seq: int = 0  # the newest anchored event
    handovers_checked: int = 0
    anchor_file: str = ""

    @property
    def reason(self) -> str:
        """The English sentence (CLI, logs); the UI translates ``problem``."""
        return describe(self.problem) if self.problem is not None else ""


def verify_rows(rows: Iterable[ChainRow], row_hash: Callable[[ChainRow], str],
                anchor: AuditAnchor | None = None) -> VerifyResult:
    """Walk ``rows`` (in sequence order); with ``anchor``, check its file and records."""
    anchors: list[Anchor] = []
    found: AnchorFileState | None = None
    if anchor is not None:
        found = AnchorFileState.load(anchor)
        anchors = sorted(found.anchors, key=lambda a: a.seq)
    pending = iter(anchors)
    next_anchor = next(pending, None)
    expected_seq, prev_hash, checked, handovers = 1, GENESIS_HASH, 0, 0

    def broken(seq: int, problem: Notice) -> VerifyResult:
        return VerifyResult(False, checked, seq, problem, prev_hash, expected_seq - 1,
                            anchor is not None, anchor_file=str(anchor.path) if anchor else "")

    for row in rows:
        checked += 1
        if row.seq != expected_seq:
            return broken(expected_seq, notice(MISSING, seq=expected_seq,
                                               before=expected_seq - 1, after=row.seq))
        if row.prev_hash != prev_hash:
            return broken(row.seq, notice(PREV_HASH, before=row.seq - 1))
        if row_hash(row) != row.hash:
            return broken(row.seq, notice(EDITED))
        while next_anchor is not None and next_anchor.seq <= row.seq:
            if next_anchor.seq == row.seq and next_anchor.hash != row.hash:
                return broken(row.seq, notice(REWRITTEN, at=next_anchor.at))
            next_anchor = next(pending, None)
        if anchor is not None and row.action == HANDOVER_ACTION and HEAD_KEY in row.details:
            handovers += 1
            if not anchor.head_record_ok(_head_of(row), row.seq - 1, row.prev_hash):
                return broken(row.seq, notice(HANDOVER_FORGED))
        expected_seq, prev_hash = row.seq + 1, row.hash
    last = expected_seq - 1
    if next_anchor is not None:  # anchored beyond the end of the trail
        beyond = max(anchors, key=lambda a: a.seq)
        return broken(last + 1, notice(TRUNCATED, last=last, anchored=beyond.seq, at=beyond.at))
    result = VerifyResult(True, checked, None, None, prev_hash, last, anchor is not None,
                          len(anchors), max((a.seq for a in anchors), default=0), handovers,
                          str(anchor.path) if anchor else "")
    if found is None:
        return result
    return found.judge(result)


def _head_of(row: ChainRow) -> object:
    try:
        details = json.loads(row.details)
    except ValueError:
        return None
    return details.get(HEAD_KEY) if isinstance(details, dict) else None


@dataclass(frozen=True)
class AnchorFileState:
    anchor: AuditAnchor
    exists: bool
    anchors: list[Anchor]
    altered: list[int]

    @classmethod
    def load(cls, anchor: AuditAnchor) -> AnchorFileState:
        read = anchor.read()
        return cls(anchor, read.exists, read.anchors, read.altered_lines)

    def judge(self, result: VerifyResult) -> VerifyResult:
        """The chain checked out against what the file holds; is the file itself whole?"""
        path = str(self.anchor.path)
        problem: Notice | None = None
        if not self.exists:
            problem = notice(ANCHOR_MISSING, path=path)
        elif self.altered:
            problem = notice(ANCHOR_ALTERED, line=self.altered[0], path=path)
        elif not self.anchors:
            problem = notice(ANCHOR_EMPTY, path=path)
        elif self.anchors and self.anchors[0].kind == RESTART:
            first = self.anchors[0]
            problem = notice(ANCHOR_RESTARTED, path=path, seq=first.seq, at=first.at)
        elif self.anchors and self.anchors[0].kind != GENESIS:
            problem = notice(ANCHOR_ALTERED, line=1, path=path)
        if problem is None:
            return result
        return VerifyResult(False, result.checked, None, problem, result.head_hash,
                            result.head_seq, True, result.anchors_checked, result.anchored_seq,
                            result.handovers_checked, path)
