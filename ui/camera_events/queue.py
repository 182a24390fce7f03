"""The order suggested sightings are put to the officer (plain Python, no Qt).

One card is shown at a time. Which one comes next: the highest risk first, then the
oldest (first in, first answered), so a wanted vehicle never waits behind a queue of
low-risk reads, and within a risk level nothing is starved by newer reads.

The card on screen never changes under the officer's eyes because another suggestion
arrived: Enter pressed a moment after a swap would confirm a vehicle the officer did not
look at. A more urgent arrival waits for the current card to be answered (its header
says one is waiting, and the wall banner shows a high-risk one at once).
"""

from __future__ import annotations

from commandroom.camera_events.views import SuggestionStatus, SuggestionView
from commandroom.watchlist.records import Risk

_RISK_RANK: dict[str, int] = {Risk.HIGH: 0, Risk.MEDIUM: 1, Risk.LOW: 2}


def _rank(suggestion: SuggestionView) -> tuple[int, float, int]:
    return (_RISK_RANK.get(suggestion.entry_risk, 3), suggestion.received_at.timestamp(),
            suggestion.id)


def is_high_risk(suggestion: SuggestionView) -> bool:
    return suggestion.entry_risk == Risk.HIGH


class SuggestionQueue:
    def __init__(self) -> None:
        self._waiting: dict[int, SuggestionView] = {}
        self.current: SuggestionView | None = None

    def __len__(self) -> int:
        return len(self._waiting) + (1 if self.current is not None else 0)

    def put(self, suggestion: SuggestionView) -> bool:
        """A new or updated (repeated) suggestion; True when the card on screen changed
        (it was the current one, or nothing was shown)."""
        if suggestion.status != SuggestionStatus.PENDING:
            return self.remove(suggestion.id)
        if self.current is not None and self.current.id == suggestion.id:
            self.current = suggestion
            return True
        self._waiting[suggestion.id] = suggestion
        if self.current is None:
            self._advance()
            return True
        return False

    def remove(self, suggestion_id: int) -> bool:
        """Decided (here or at another seat); True when the card on screen changed."""
        if self.current is not None and self.current.id == suggestion_id:
            self._advance()
            return True
        self._waiting.pop(suggestion_id, None)
        return False

    def urgent_waiting(self) -> bool:
        """A high-risk suggestion waits behind a card that is not high-risk."""
        if self.current is None or is_high_risk(self.current):
            return False
        return any(is_high_risk(s) for s in self._waiting.values())

    def waiting(self) -> list[SuggestionView]:
        return sorted(self._waiting.values(), key=_rank)

    def _advance(self) -> None:
        ordered = self.waiting()
        self.current = ordered[0] if ordered else None
        if self.current is not None:
            del self._waiting[self.current.id]
