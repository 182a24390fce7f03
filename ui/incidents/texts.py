"""The words of incidents: states, outcomes, how a step became known, durations, and
each line of an incident's timeline. The core hands codes and values; they become
sentences here."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from commandroom.alerts.signing import AckRefused
from commandroom.incidents import (
    How,
    IncidentError,
    IncidentView,
    ItemKind,
    Outcome,
    State,
    TimelineItem,
)
from ui.common.team_texts import team_label

# An alias lupdate knows (scripts/update_translations.sh: -tr-function-alias).
_tr = QCoreApplication.translate


def state_label(state: str) -> str:
    labels: dict[str, str] = {
        State.OPEN: _tr("Incidents", "open"),
        State.DISPATCHED: _tr("Incidents", "sent to the teams"),
        State.ACKNOWLEDGED: _tr("Incidents", "acknowledged"),
        State.ON_SCENE: _tr("Incidents", "on scene"),
        State.RESOLVED: _tr("Incidents", "resolved"),
    }
    return labels.get(state, state)


def outcome_label(outcome: str) -> str:
    labels: dict[str, str] = {
        Outcome.CAUGHT: _tr("Incidents", "Caught"),
        Outcome.CLEARED: _tr("Incidents", "Cleared"),
        Outcome.FALSE_ALARM: _tr("Incidents", "False alarm"),
        Outcome.HANDED_OVER: _tr("Incidents", "Handed over"),
    }
    return labels.get(outcome, outcome)


def how_label(how: str) -> str:
    labels: dict[str, str] = {
        How.LINK: _tr("Incidents", "by the link in the message"),
        How.MQTT: _tr("Incidents", "by the field app (MQTT)"),
        How.PHONE: _tr("Incidents", "by phone"),
        How.RADIO: _tr("Incidents", "by radio"),
        How.IN_PERSON: _tr("Incidents", "in person"),
        How.CONSOLE: _tr("Incidents", "at the console"),
    }
    return labels.get(how, how)


def duration(seconds: int) -> str:
    """"47 min", "1 h 05 min", "40 s": how long a step took."""
    if seconds < 60:
        return _tr("Incidents", "%1 s").replace("%1", str(seconds))
    # Whole minutes gone, as a clock shows them: 47 min 40 s is "47 min".
    minutes = seconds // 60
    if minutes < 60:
        return _tr("Incidents", "%1 min").replace("%1", str(minutes))
    return (_tr("Incidents", "%1 h %2 min").replace("%1", str(minutes // 60))
            .replace("%2", f"{minutes % 60:02d}"))


def offset(seconds: int) -> str:
    """The time of a timeline line from the incident's creation: "+47:00", "−0:10"."""
    sign = "−" if seconds < 0 else "+"
    seconds = abs(seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{sign}{hours}:{minutes:02d}:{secs:02d}" if hours else f"{sign}{minutes}:{secs:02d}"


def result_line(view: IncidentView) -> str:
    """"Caught — 47 min" once resolved; else where it stands."""
    if view.outcome is not None and view.resolution_seconds is not None:
        return _tr("Incidents", "%1 — %2").replace("%1", outcome_label(view.outcome)).replace(
            "%2", duration(view.resolution_seconds))
    return state_label(view.state)


def team_acks(view: IncidentView) -> str:
    """"Community team 2 min, Case team —": time to acknowledge per team."""
    parts = []
    for team in view.teams:
        took = duration(team.ack_seconds) if team.ack_seconds is not None else "—"
        parts.append(_tr("Incidents", "%1 %2")
                     .replace("%1", team_label(team.team_key, team.team_name))
                     .replace("%2", took))
    return ", ".join(parts)


def item_line(item: TimelineItem) -> str:
    """One timeline line, without its time."""
    facts = item.facts
    who = facts.get("who", "")
    how = how_label(facts.get("how", ""))
    team = team_label(facts.get("team_key", ""), facts.get("team", ""))
    if item.kind is ItemKind.CREATED:
        return _tr("Incidents", "Incident %1 opened by %2: %3").replace(
            "%1", facts["number"]).replace("%2", facts["by"]).replace("%3", facts["title"])
    if item.kind is ItemKind.SIGHTING:
        place = facts.get("junction") or facts.get("camera", "")
        text = _tr("Incidents", "Sighting at %1 (tagged by %2)").replace("%1", place).replace(
            "%2", facts.get("operator", ""))
        note = facts.get("note", "")
        return f"{text} — {note}" if note else text
    if item.kind is ItemKind.ALERT:
        return _tr("Incidents", "Alert %1 sent by %2").replace(
            "%1", facts["alert_id"]).replace("%2", facts.get("by", ""))
    if item.kind is ItemKind.DISPATCHED:
        return _tr("Incidents", "Sent to %1").replace("%1", team)
    if item.kind is ItemKind.ACK:
        text = _tr("Incidents", "%1 acknowledged %2").replace("%1", team).replace("%2", how)
        text = f"{text} ({who})" if who else text
        took = facts.get("ack_seconds", "")
        return (_tr("Incidents", "%1 — acknowledged in %2").replace("%1", text)
                .replace("%2", duration(int(took))) if took else text)
    if item.kind is ItemKind.NOTE:
        return _tr("Incidents", "Note by %1: %2").replace("%1", facts.get("by", "")).replace(
            "%2", facts.get("text", ""))
    if item.kind is ItemKind.EXPORT:
        return _tr("Incidents", "Evidence package %1").replace("%1", facts.get("ref", ""))
    if facts.get("state") == State.ON_SCENE:
        text = _tr("Incidents", "On scene, %1").replace("%1", how)
        named = team or who
        return f"{text} ({named})" if named else text
    if facts.get("state") == State.RESOLVED:
        return _tr("Incidents", "%1 — %2").replace(
            "%1", outcome_label(facts.get("outcome", ""))).replace(
            "%2", duration(int(facts.get("seconds", "0"))))
    return state_label(facts.get("state", ""))


def error_text(exc: IncidentError) -> str:
    """Why the core refused a step, in the officer's language."""
    texts: dict[str, str] = {
        "resolved": _tr("Incidents", "This incident is resolved already."),
        "on_scene_already": _tr("Incidents", "On scene is recorded already."),
        "acked_already": _tr("Incidents", "That team has acknowledged already (on its "
                                          "channel or by the officer): not recorded again."),
        "alert_has_incident": _tr("Incidents", "That alert belongs to an incident already."),
        "no_alert": _tr("Incidents", "That alert no longer exists."),
        "not_dispatched": _tr("Incidents", "The incident was not sent to that team."),
        "empty_note": _tr("Incidents", "A note needs some text."),
        "no_sighting": _tr("Incidents", "That sighting no longer exists."),
        "no_incident": _tr("Incidents", "That incident no longer exists."),
    }
    return texts.get(exc.code, _tr("Incidents", "Not done (%1).").replace("%1", exc.code))


def ack_refusal_text(exc: AckRefused) -> str:
    """Why the alert refused an acknowledgement the officer recorded on an incident."""
    texts: dict[str, str] = {
        "used": _tr("Incidents", "That team has acknowledged the alert already: not "
                                 "recorded again."),
        "unknown_member": _tr("Incidents", "The person named is not a member of that team."),
        "no_members": _tr("Incidents", "That team has nobody on file: type who answered."),
    }
    return texts.get(exc.code, _tr("Incidents", "Not recorded (%1).").replace("%1", exc.code))
