"""``@requires(Permission.X)``: the permission check every guarded service method makes.

The decorator checks before the method body runs, so a refused call changes nothing.
It also leaves a mark a test can enumerate: every public method of a service is either
``@requires(...)`` or ``@open_access("why")``, and ``unmarked_public_methods`` finds the
ones someone forgot, so a new method cannot slip through without a decision.

Use on methods whose first argument after ``self`` is ``actor: Actor``, passed positionally::

    class WatchListService:
        @requires(Permission.EDIT_WATCHLIST)
        def add_person(self, actor: Actor, name: str) -> int: ...
"""

from __future__ import annotations

import contextlib
import functools
import inspect
import logging
from collections.abc import Callable
from typing import Concatenate, ParamSpec, TypeVar

from commandroom.auth.permissions import Actor, Permission, require

log = logging.getLogger(__name__)

P = ParamSpec("P")
R = TypeVar("R")
S = TypeVar("S")
F = TypeVar("F", bound=Callable[..., object])

_REQUIRES_ATTR = "__commandroom_requires__"
_OPEN_ATTR = "__commandroom_open_access__"


def requires(
    permission: Permission,
    subject: Callable[..., str] | None = None,
) -> Callable[[Callable[Concatenate[S, Actor, P], R]], Callable[Concatenate[S, Actor, P], R]]:
    """Refuse the call with ``PermissionDenied`` unless ``actor`` holds ``permission``.

    A refusal is reported (and audited) as the method's name, plus what ``subject(*args,
    **kwargs)`` says of the arguments after ``actor`` when given (e.g. the camera's name).
    """

    def decorate(
        fn: Callable[Concatenate[S, Actor, P], R],
    ) -> Callable[Concatenate[S, Actor, P], R]:
        @functools.wraps(fn)
        def guarded(self: S, actor: Actor, /, *args: P.args, **kwargs: P.kwargs) -> R:
            if not isinstance(actor, Actor):
                # A forgotten actor argument must not shift the real arguments into place.
                raise TypeError(f"{fn.__qualname__}: first argument must be an Actor")
            if not actor.can(permission):
                log.warning(
                    "permission denied: %s (%s) tried %s", actor.username, actor.role,
                    fn.__qualname__,
                )
            target = fn.__qualname__
            if subject is not None and not actor.can(permission):
                # A malformed call is refused all the same, just named less precisely.
                with contextlib.suppress(TypeError, AttributeError, LookupError):
                    target = f"{target}: {subject(*args, **kwargs)}"
            require(actor, permission, target)
            return fn(self, actor, *args, **kwargs)

        setattr(guarded, _REQUIRES_ATTR, permission)
        return guarded

    return decorate


def open_access(reason: str) -> Callable[[F], F]:
    """Mark a public method that deliberately needs no permission, and say why."""
    if not reason.strip():
        raise ValueError("open_access needs a reason")

    def decorate(fn: F) -> F:
        setattr(fn, _OPEN_ATTR, reason)
        return fn

    return decorate


def required_permission(method: object) -> Permission | None:
    found = getattr(method, _REQUIRES_ATTR, None)
    return found if isinstance(found, Permission) else None


def public_methods(cls: type) -> dict[str, Callable[..., object]]:
    """Public callables defined on ``cls`` (and its bases), excluding ``object``'s."""
    found: dict[str, Callable[..., object]] = {}
    for name, member in inspect.getmembers(cls, callable):
        if name.startswith("_") or isinstance(member, type):
            continue
        if inspect.isfunction(member) or inspect.ismethod(member):
            found[name] = member
    return found


def guarded_methods(cls: type) -> dict[str, Permission]:
    """Method name -> permission for every ``@requires`` method of ``cls``."""
    result: dict[str, Permission] = {}
    for name, member in public_methods(cls).items():
        permission = required_permission(member)
        if permission is not None:
            result[name] = permission
    return result


def unmarked_public_methods(cls: type) -> list[str]:
    """Public methods that are neither ``@requires`` nor ``@open_access``: a test keeps it empty."""
    return sorted(
        name
        for name, member in public_methods(cls).items()
        if required_permission(member) is None and not hasattr(member, _OPEN_ATTR)
    )
