"""Every guarded method refuses a caller without its permission, found by introspection.

``unmarked_public_methods`` makes a new public method without ``@requires`` or
``@open_access`` fail here, and the discovery walks the whole ``commandroom`` package, so
other services that use ``@requires`` are covered without being listed.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from pathlib import Path

import pytest

import commandroom
from commandroom.audit.trail import AuditTrail
from commandroom.auth.guard import (
    guarded_methods,
    open_access,
    requires,
    unmarked_public_methods,
)
from commandroom.auth.permissions import ROLE_PERMISSIONS, Actor, Permission, PermissionDenied, Role
from commandroom.auth.service import AuthService
from tests.unit.auth.fixtures import Stack


def _service_classes() -> list[type]:
    """Every class in the core with at least one ``@requires`` method."""
    found: dict[str, type] = {}
    for module_info in pkgutil.walk_packages(commandroom.__path__, "commandroom."):
        if module_info.name.startswith("commandroom.db.migrations"):
            continue
        module = importlib.import_module(module_info.name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ == module.__name__ and guarded_methods(cls):
                found[f"{cls.__module__}.{cls.__qualname__}"] = cls
    return [found[name] for name in sorted(found)]


SERVICES = _service_classes()
GUARDED = [
    (cls, name, permission)
    for cls in SERVICES
    for name, permission in guarded_methods(cls).items()
]


def _denied_roles(permission: Permission) -> list[Role]:
    return [role for role, granted in ROLE_PERMISSIONS.items() if permission not in granted]


def test_discovery_finds_the_auth_and_audit_services() -> None:
    assert AuthService in SERVICES and AuditTrail in SERVICES
    assert set(guarded_methods(AuthService)) == {
        "create_operator", "reset_password", "unlock_operator", "set_role", "deactivate",
        "reactivate", "list_operators"}
    assert guarded_methods(AuditTrail) == {
        "query": Permission.VIEW_AUDIT, "export_csv": Permission.EXPORT_DATA}


@pytest.mark.parametrize("cls", SERVICES, ids=lambda c: c.__qualname__)
def test_every_public_method_of_a_service_is_guarded_or_openly_exempt(cls: type) -> None:
    assert unmarked_public_methods(cls) == []


@pytest.mark.parametrize(
    ("cls", "name", "permission"), GUARDED, ids=[f"{c.__qualname__}.{n}" for c, n, _ in GUARDED]
)
def test_a_caller_without_the_permission_is_refused(
    cls: type, name: str, permission: Permission
) -> None:
    roles = _denied_roles(permission)
    method = getattr(cls, name)
    if not roles:
        # The baseline permission every logged-in operator has (watching video): the
        # guard still refuses a call that carries no operator at all.
        assert permission is Permission.VIEW_VIDEO, f"{permission} is granted to every role"
        with pytest.raises(TypeError, match="must be an Actor"):
            method(object(), "not an actor")
        return
    for role in roles:
        # The guard runs before the body, so no instance or arguments are even needed.
        with pytest.raises(PermissionDenied) as refused:
            method(object(), Actor(f"{role}-user", role))
        assert refused.value.permission == permission


@pytest.mark.parametrize("name", sorted(guarded_methods(AuthService)))
def test_a_refused_auth_call_changes_nothing(stack: Stack, admin: Actor, name: str) -> None:
    before_events = stack.audit_count()
    before_ops = stack.auth.list_operators(admin)
    viewer = Actor("viewer", Role.VIEWER)
    with pytest.raises(PermissionDenied):
        getattr(stack.auth, name)(viewer, "admin", "new-pass-123", Role.VIEWER)
    assert stack.audit_count() == before_events
    assert stack.auth.list_operators(admin) == before_ops


def test_refused_audit_view_and_export(stack: Stack, admin: Actor, tmp_path: Path) -> None:
    duty = Actor("duty", Role.DUTY_OFFICER)
    with pytest.raises(PermissionDenied, match="view_audit"):
        stack.audit.query(duty)
    out = tmp_path / "audit.csv"
    with pytest.raises(PermissionDenied, match="export_data"):
        stack.audit.export_csv(duty, out)
    assert not out.exists()


class _Example:
    @requires(Permission.EDIT_WATCHLIST)
    def edit(self, actor: Actor, value: int) -> int:
        """Doubles."""
        return value * 2

    @open_access("read-only and harmless")
    def ping(self) -> str:
        return "pong"

    def forgotten(self, actor: Actor) -> None:
        return None

    def _private(self) -> None:
        return None


def test_decorator_passes_permitted_calls_through_and_keeps_metadata() -> None:
    supervisor = Actor("sup", Role.SUPERVISOR)
    assert _Example().edit(supervisor, 21) == 42
    assert _Example.edit.__name__ == "edit" and _Example.edit.__doc__ == "Doubles."
    with pytest.raises(PermissionDenied):
        _Example().edit(Actor("duty", Role.DUTY_OFFICER), 21)


def test_a_missing_actor_is_a_type_error_not_a_shifted_argument() -> None:
    with pytest.raises(TypeError, match="must be an Actor"):
        _Example().edit(21)  # type: ignore[arg-type, call-arg]


def test_unmarked_methods_are_reported() -> None:
    assert unmarked_public_methods(_Example) == ["forgotten"]


def test_open_access_needs_a_reason() -> None:
    with pytest.raises(ValueError, match="reason"):
        open_access("  ")
