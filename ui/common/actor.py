"""Who is at the console: services are called on behalf of the current operator."""

from __future__ import annotations

from collections.abc import Callable

from commandroom.auth.permissions import Actor

# Returns the operator logged in now (it changes at a hand-over).
ActorSource = Callable[[], Actor]
