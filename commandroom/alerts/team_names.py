"""The two teams migration 0004 seeds, and how their names are shown.

The database keeps the English default name; a seeded team is known by its stable key.
While an administrator has not renamed it, the console shows the name translated (the
UI's translator) and messages to the teams show it in Chinese with the English beside it,
like every other line of a message. A renamed team is shown as the administrator typed it.
"""

from __future__ import annotations

# key -> (default name as seeded, Chinese name)
SEEDED_TEAMS: dict[str, tuple[str, str]] = {
    "community": ("Community policing", "社区警务队"),
    "case": ("Case handling", "案件办理队"),
}


def is_default_name(key: str, name: str) -> bool:
    """True while a seeded team still has the name the migration gave it."""
    seeded = SEEDED_TEAMS.get(key)
    return seeded is not None and name == seeded[0]


def bilingual_team_name(key: str, name: str) -> str:
    if is_default_name(key, name):
        return f"{SEEDED_TEAMS[key][1]} {name}"
    return name
