"""The officer's words for the core's notices (``commandroom.notices``), through Qt.

The core returns codes and parameters; this is where they become sentences, in the
language the UI runs in. ``tests/ui/test_notices.py`` fails when the core defines a code
that is missing here (or the placeholders disagree), so no English sentence made in the
core reaches the Chinese UI.
"""

from __future__ import annotations

import errno
import logging
import re
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication

from commandroom.auth.permissions import PermissionDenied
from commandroom.notices import Notice, NoticeError

# An alias lupdate knows (scripts/update_translations.sh: -tr-function-alias).
_tr = QCoreApplication.translate

log = logging.getLogger(__name__)

_PLACEHOLDER = re.compile(r"%(\d)")
Entry = tuple[tuple[str, ...], str]


def catalogue() -> dict[str, Entry]:
    """code -> (parameter names in %1, %2... order, translated template)."""
    return {
        "csv.accepted_encodings": (
            (), _tr("Notices", "UTF-8, UTF-16 (with byte-order mark), GB18030")),
        "audit.anchor_altered": (
            ("line", "path"),
            _tr("Notices", "line %1 of the anchor file %2 was altered (its HMAC does not check)")),
        "audit.anchor_empty": (
            ("path",),
            _tr("Notices", "the anchor file %1 was emptied: truncation and rewriting cannot be checked")),  # noqa: E501
        "audit.anchor_missing": (
            ("path",),
            _tr("Notices", "the anchor file %1 is missing: truncation and rewriting cannot be checked")),  # noqa: E501
        "audit.anchor_restarted": (
            ("path", "seq", "at"),
            _tr("Notices", "the anchor file %1 was lost and started again at event #%2 on %3: events before it cannot be checked for rewriting")),  # noqa: E501
        "audit.edited": ((), _tr("Notices", "stored content does not match its hash (edited)")),
        "audit.handover_forged": (
            (),
            _tr("Notices", "the shift hand-over recorded here does not match the chain before it, or was not made with this station's anchor key: the chain was rewritten before this event")),  # noqa: E501
        "audit.missing": (
            ("seq", "before", "after"),
            _tr("Notices", "event #%1 is missing (the chain jumps from #%2 to #%3)")),
        "audit.prev_hash": (("before",), _tr("Notices", "prev_hash does not match event #%1")),
        "audit.rewritten": (
            ("at",),
            _tr("Notices", "its hash differs from the one anchored outside the database on %1: the chain was rewritten at or before this event")),  # noqa: E501
        "audit.truncated": (
            ("last", "anchored", "at"),
            _tr("Notices", "the trail ends at #%1, but event #%2 was anchored outside the database on %3: events were removed from the end")),  # noqa: E501
        "camera.exists": (("name",), _tr("Notices", "A camera named '%1' already exists.")),
        "camera.gone": ((), _tr("Notices", "That camera no longer exists.")),
        "camera.group_exists": (("name",), _tr("Notices", "A group named '%1' already exists.")),
        "camera.group_gone": ((), _tr("Notices", "That group no longer exists.")),
        "camera.group_name_required": ((), _tr("Notices", "The group needs a name.")),
        "camera.group_name_too_long": (
            ("limit",),
            _tr("Notices", "The group name is longer than %1 characters.")),
        "camera.junction_too_long": (
            ("limit",),
            _tr("Notices", "The junction is longer than %1 characters.")),
        "camera.main_url_required": ((), _tr("Notices", "The camera needs a main stream URL.")),
        "camera.name_required": ((), _tr("Notices", "The camera needs a name.")),
        "camera.name_too_long": (
            ("limit",),
            _tr("Notices", "The camera name is longer than %1 characters.")),
        "camera.not_saved": ((), _tr("Notices", "Only a saved camera can be edited.")),
        "camera.event_source_invalid": (
            ("value",),
            _tr("Notices", "Unknown event source '%1' (onvif, isapi, dahua or local_motion).")),
        "camera.event_url_unsupported": (
            ("url",),
            _tr("Notices", "The event address must start with http:// or https://: %1")),
        "camera.event_channel_invalid": (
            ("value",), _tr("Notices", "The event channel must be 1 or more, not %1.")),
        "camera.transport_invalid": (
            ("value",),
            _tr("Notices", "Transport must be tcp or udp, not '%1'.")),
        "camera.url_unsupported": (("url",), _tr("Notices", "Unsupported stream URL: %1")),
        "camera_csv.flag_invalid": (
            ("column", "value"),
            _tr("Notices", "%1 must be yes or no, not '%2'.")),
        "camera_csv.missing_columns": (("columns",), _tr("Notices", "missing column(s): %1")),
        "camera_csv.not_a_number": (
            ("column", "value"),
            _tr("Notices", "%1 must be a number, not '%2'.")),
        "camera_csv.twice_in_file": (
            ("name",),
            _tr("Notices", "camera '%1' appears twice in the file")),
        "csv.empty": ((), _tr("Notices", "the file is empty")),
        "csv.field_too_long": (
            ("column", "length", "limit"),
            _tr("Notices", "the %1 field has %2 characters (at most %3)")),
        "csv.header_not_text": (
            ("accepted",),
            _tr("Notices", "the first line is not text in an accepted encoding (%1)")),
        "csv.line_not_text": (
            ("encoding", "accepted"),
            _tr("Notices", "this line is not %1 text (accepted encodings: %2)")),
        "csv.not_csv": (
            (),
            _tr("Notices", "this row is not valid CSV (for example a quote that is never closed)")),
        "csv.too_many_fields": (("cells", "columns"), _tr("Notices", "%1 cells but %2 columns")),
        "entry.alias_too_long": (("limit",), _tr("Notices", "an alias has at most %1 characters")),
        "entry.birth_future": ((), _tr("Notices", "is in the future")),
        "entry.birth_mismatch": (
            ("date", "expected"),
            _tr("Notices", "%1 does not match the ID number (%2)")),
        "entry.category_invalid": (
            (), _tr("Notices", "must be one of wanted, suspect, missing_person, fraud_risk, other")),  # noqa: E501
        "entry.field_problem": (("field", "problem"), _tr("Notices", "%1: %2")),
        "entry.kind_invalid": ((), _tr("Notices", "must be person or vehicle")),
        "entry.person_field": ((), _tr("Notices", "belongs to a person entry, not a vehicle")),
        "entry.person_needs_name": (
            (),
            _tr("Notices", "a person needs a name (or a placeholder such as 'unknown')")),
        "entry.risk_invalid": ((), _tr("Notices", "must be low, medium or high")),
        "entry.sex.female": ((), _tr("Notices", "female")),
        "entry.sex.male": ((), _tr("Notices", "male")),
        "entry.sex_invalid": ((), _tr("Notices", "must be male, female or empty")),
        "entry.sex_mismatch": (("sex",), _tr("Notices", "does not match the ID number (%1)")),
        "entry.too_long": (("limit",), _tr("Notices", "at most %1 characters")),
        "entry.until_before_from": ((), _tr("Notices", "is before valid_from")),
        "entry.vehicle_field": ((), _tr("Notices", "belongs to a vehicle entry, not a person")),
        "entry.vehicle_needs_plate": (
            (),
            _tr("Notices", "a vehicle needs a plate or, if unread, a description in name")),
        "id_number.check": (
            ("found", "expected"),
            _tr("Notices", "check character is %1, expected %2: a digit was mistyped")),
        "id_number.date_impossible": (
            ("date",),
            _tr("Notices", "the birth date %1 in the ID number is impossible")),
        "id_number.date_unreal": (
            ("digits",),
            _tr("Notices", "the birth date %1 in the ID number is not a real date")),
        "id_number.length": (
            ("length",),
            _tr("Notices", "an ID number has 18 characters, this one has %1")),
        "id_number.old_15": (
            (),
            _tr("Notices", "old 15-digit ID numbers are not accepted; enter the 18-digit number")),
        "id_number.shape": (
            (),
            _tr("Notices", "an ID number is 17 digits followed by a digit or X")),
        "onvif.action_not_supported": ((), _tr("Notices", "action not supported")),
        "onvif.auth": ((), _tr("Notices", "The camera rejected the user name or password.")),
        "onvif.bad_target": (
            ("part",),
            _tr("Notices", "'%1' is not an address, a range like 192.168.1.10-20, or a network like 192.168.1.0/24.")),  # noqa: E501
        "onvif.connection_failed": (
            ("where",),
            _tr("Notices", "The connection to the camera at %1 failed.")),
        "onvif.empty_address": ((), _tr("Notices", "The camera address is empty.")),
        "onvif.empty_reply": ((), _tr("Notices", "The camera sent an empty reply.")),
        "onvif.empty_response": (("expected",), _tr("Notices", "The camera sent an empty %1.")),
        "onvif.http_error": (
            ("status",),
            _tr("Notices", "The camera answered with HTTP error %1.")),
        "onvif.http_error_operation": (
            ("operation", "status"),
            _tr("Notices", "The camera answered %1 with HTTP error %2.")),
        "onvif.invalid_xml": (
            (),
            _tr("Notices", "The camera sent a reply that is not valid ONVIF XML.")),
        "onvif.no_body": ((), _tr("Notices", "The camera's reply has no SOAP body.")),
        "onvif.no_media": (
            (),
            _tr("Notices", "The camera has no media service, so it offers no video profiles.")),
        "onvif.no_model": (("problem",), _tr("Notices", "The camera would not tell its model: %1")),
        "onvif.no_ptz_profile": (
            (),
            _tr("Notices", "None of the camera's video profiles has a PTZ configuration.")),
        "onvif.no_ptz_service": ((), _tr("Notices", "The camera has no PTZ service.")),
        "onvif.no_reason": ((), _tr("Notices", "no reason given")),
        "onvif.no_service": (("service",), _tr("Notices", "The camera has no %1 service.")),
        "onvif.no_snapshot_uri": (
            ("profile",),
            _tr("Notices", "The camera gave no snapshot address for profile '%1'.")),
        "onvif.no_stream_uri": (
            ("profile",),
            _tr("Notices", "The camera gave no stream address for profile '%1'.")),
        "onvif.no_search_token": (
            ("operation",),
            _tr("Notices", "The recorder answered %1 without a search token.")),
        "onvif.no_recording_info": (
            (), _tr("Notices", "The recorder sent no information about the recording.")),
        "onvif.no_replay_uri": (
            (), _tr("Notices", "The recorder gave no replay address for the recording.")),
        "onvif.no_utc_time": (
            (),
            _tr("Notices", "The camera did not tell its UTC time; its clock drift is unknown.")),
        "onvif.not_implemented": (
            ("reason",),
            _tr("Notices", "The camera does not implement this request (%1).")),
        "onvif.preset_name_required": ((), _tr("Notices", "A preset needs a name.")),
        "onvif.ptz_refused": (
            ("problem",),
            _tr("Notices", "The camera lists a PTZ service but refuses PTZ commands: %1")),
        "onvif.range_backwards": (
            ("range",),
            _tr("Notices", "The range %1 ends before it starts.")),
        "onvif.range_too_large": (
            ("range", "max"),
            _tr("Notices", "The range %1 is too large (at most %2 addresses).")),
        "onvif.reason_loopback": ((), _tr("Notices", "is the camera's own loopback address")),
        "onvif.reason_nat": (
            (),
            _tr("Notices", "is a private address behind NAT that this computer cannot reach")),
        "onvif.reason_unspecified": ((), _tr("Notices", "is not a real address")),
        "onvif.refused": (("reason",), _tr("Notices", "The camera refused the request: %1.")),
        "onvif.shut_down": ((), _tr("Notices", "The ONVIF service has been shut down.")),
        "onvif.snapshot_http_error": (
            ("status",),
            _tr("Notices", "The camera answered the snapshot request with HTTP error %1.")),
        "onvif.snapshot_not_http": (
            (),
            _tr("Notices", "The camera's snapshot address is not an HTTP address; snapshots may fail.")),  # noqa: E501
        "onvif.timeout": (("seconds",), _tr("Notices", "The camera did not answer within %1 s.")),
        "onvif.too_many_targets": (("max",), _tr("Notices", "Too many addresses (at most %1).")),
        "onvif.unexpected": (
            ("kind",),
            _tr("Notices", "The camera request failed unexpectedly (%1).")),
        "onvif.unreachable": (
            ("where",),
            _tr("Notices", "The camera at %1 could not be reached (connection refused or no route).")),  # noqa: E501
        "onvif.uri_line_breaks": (
            ("what",),
            _tr("Notices", "The camera's %1 address contained line breaks; they were removed.")),
        "onvif.uri_other_host": (
            ("what", "host", "device_host"),
            _tr("Notices", "The camera's %1 address points at %2, not at %3 where the camera answered; check it, or use the camera's address.")),  # noqa: E501
        "onvif.uri_port_repeated": (
            ("what",),
            _tr("Notices", "The camera's %1 address repeated its port; the repeat was removed.")),
        "onvif.uri_rewritten": (
            ("what", "host", "reason", "officer_host"),
            _tr("Notices", "The camera reported its %1 address at %2, which %3; using %4 (the address you entered) instead.")),  # noqa: E501
        "onvif.uri_several": (
            ("count", "what", "uri"),
            _tr("Notices", "The camera reported %1 %2 addresses; using %3.")),
        "onvif.uri_unreadable": (
            ("what",),
            _tr("Notices", "The camera's %1 address could not be read.")),
        "onvif.what.service": ((), _tr("Notices", "service")),
        "onvif.what.snapshot": ((), _tr("Notices", "snapshot")),
        "onvif.what.stream": ((), _tr("Notices", "stream")),
        "onvif.wrong_response": (
            ("got", "expected"),
            _tr("Notices", "The camera answered with %1 where %2 was expected.")),
        "plate.control": ((), _tr("Notices", "the plate contains control characters")),
        "plate.empty": ((), _tr("Notices", "the plate is empty")),
        "plate.too_long": (("limit",), _tr("Notices", "a plate has at most %1 characters")),
        "watchlist_csv.column_twice": ((), _tr("Notices", "a column appears twice in the header")),
        "watchlist_csv.file_problem": (("file", "problem"), _tr("Notices", "%1: %2")),
        "watchlist_csv.no_identity": (
            (),
            _tr("Notices", "no name, id_number or plate column in the header")),
        "watchlist_csv.not_a_date": (
            ("column", "text"),
            _tr("Notices", "%1: '%2' is not a date (use YYYY-MM-DD)")),
        "watchlist_csv.photo_missing": (
            ("name", "folder"),
            _tr("Notices", "photo: file '%1' is not in %2")),
        "watchlist_csv.photo_no_folder": (
            (),
            _tr("Notices", "photo: a photo is named but no photo folder was chosen")),
        "watchlist_csv.photo_not_plain": (
            ("name",),
            _tr("Notices", "photo: '%1' must be a plain file name in the photo folder")),
        "watchlist_csv.update_refused": (("problem",), _tr("Notices", "update refused: %1")),
    }


_cache: dict[str, dict[str, Entry]] = {}


def _entries() -> dict[str, Entry]:
    # Keyed by one translated sentence: switching the language gives a fresh table.
    key = _tr("Notices", "The camera needs a name.")
    if key not in _cache:
        _cache.clear()
        _cache[key] = catalogue()
    return _cache[key]


def _field_problem(message: Notice) -> str:
    from ui.common.entry_texts import field_label  # the watch list's translated field names

    _, text = _entries()["entry.field_problem"]  # "%1: %2", in the UI's language
    values = [field_label(str(message.get("field"))), notice_text(message.get("problem"))]
    return _PLACEHOLDER.sub(lambda m: values[int(m.group(1)) - 1], text)


# Notices whose parameters are themselves words to translate in another table.
_SPECIAL: dict[str, Callable[[Notice], str]] = {"entry.field_problem": _field_problem}


def notice_text(message: Notice | str | int) -> str:
    """The translated sentence for ``message`` (nested notices translated too)."""
    if not isinstance(message, Notice):
        return str(message)
    special = _SPECIAL.get(message.code)
    if special is not None:
        return special(message)
    entry = _entries().get(message.code)
    if entry is None:  # a test keeps this from happening; never show nothing
        log.error("no translation for notice %s", message.code)
        return str(message)
    names, text = entry
    values = [notice_text(message.get(name)) for name in names]
    return _PLACEHOLDER.sub(lambda m: values[int(m.group(1)) - 1], text)


def _os_reason(exc: OSError) -> str:
    reasons = {
        errno.ENOENT: _tr("Notices", "the file does not exist"),
        errno.EACCES: _tr("Notices", "permission denied"),
        errno.EPERM: _tr("Notices", "permission denied"),
        errno.EISDIR: _tr("Notices", "it is a folder"),
        errno.ENOSPC: _tr("Notices", "the disk is full"),
    }
    return reasons.get(exc.errno or 0, exc.strerror or type(exc).__name__)


def error_text(exc: BaseException) -> str:
    """The sentence the officer sees for a failed core call, in the UI's language."""
    if isinstance(exc, NoticeError):
        return notice_text(exc.notice)
    if isinstance(exc, PermissionDenied):
        return _tr("Notices", "You are not allowed to do this (%1 may not %2).").replace(
            "%1", exc.actor.username).replace("%2", str(exc.permission))
    if isinstance(exc, OSError):
        name = exc.filename if isinstance(exc.filename, str) else ""
        return _tr("Notices", "The file %1 could not be used: %2.").replace(
            "%1", name).replace("%2", _os_reason(exc))
    log.error("unexpected failure shown to the officer", exc_info=exc)
    return _tr("Notices", "The action failed unexpectedly (%1).").replace(
        "%1", type(exc).__name__)
