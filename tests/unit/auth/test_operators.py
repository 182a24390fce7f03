"""Operator administration: create, reset, role, (de)activate, list; the last admin stays."""

from __future__ import annotations

import pytest

from commandroom.auth.permissions import Actor, Role
from commandroom.auth.policy import PolicyError
from commandroom.auth.service import LoginFailed, OperatorError
from tests.unit.auth.fixtures import ADMIN_PASSWORD, Stack


def test_create_list_and_audit(stack: Stack, admin: Actor) -> None:
    info = stack.auth.create_operator(admin, "Sup.Li", "sup-pass-12", "supervisor", "Li Wei")
    assert (info.username, info.role, info.active, info.must_change_password) == (
        "sup.li", Role.SUPERVISOR, True, True)
    listed = stack.auth.list_operators(admin)
    assert [(o.username, o.role) for o in listed] == [
        ("admin", Role.ADMINISTRATOR), ("sup.li", Role.SUPERVISOR)]
    assert stack.audit_actions()[-1] == "operator.create"
    assert not hasattr(listed[0], "password_hash")


@pytest.mark.parametrize(
    ("username", "password", "role", "message"),
    [
        ("admin", "good-pass-1", Role.VIEWER, "already exists"),
        ("bad name", "good-pass-1", Role.VIEWER, "username must be"),
        ("", "good-pass-1", Role.VIEWER, "username must be"),
        ("viewer2", "1234567", Role.VIEWER, "at least 8"),
        ("viewer2", "x" * 257, Role.VIEWER, "at most 256"),
        ("viewer2", "good-pass-1", "chief", "unknown role"),
    ],
)
def test_create_refuses_bad_input_clearly_and_changes_nothing(
    stack: Stack, admin: Actor, username: str, password: str, role: str, message: str
) -> None:
    before = stack.audit_count()
    with pytest.raises((OperatorError, PolicyError), match=message):
        stack.auth.create_operator(admin, username, password, role)
    assert [o.username for o in stack.auth.list_operators(admin)] == ["admin"]
    assert stack.audit_count() == before


def test_reset_password_clears_lockout_and_forces_a_change(stack: Stack, admin: Actor) -> None:
    stack.auth.create_operator(admin, "duty1", "duty-pass-1", Role.DUTY_OFFICER)
    for _ in range(3):
        with pytest.raises(LoginFailed):
            stack.auth.login("duty1", "wrong-wrong")
    stack.auth.reset_password(admin, "duty1", "fresh-pass-1")
    actor = stack.auth.login("duty1", "fresh-pass-1")
    assert stack.auth.must_change_password(actor)
    with pytest.raises(OperatorError, match="no operator named 'ghost'"):
        stack.auth.reset_password(admin, "ghost", "fresh-pass-1")


def test_unlock_operator_keeps_the_password(stack: Stack, admin: Actor) -> None:
    stack.auth.create_operator(admin, "duty1", "duty-pass-1", Role.DUTY_OFFICER)
    for _ in range(3):
        with pytest.raises(LoginFailed):
            stack.auth.login("duty1", "wrong-wrong")
    stack.auth.unlock_operator(admin, "duty1")
    assert stack.auth.login("duty1", "duty-pass-1").username == "duty1"


def test_the_last_active_administrator_cannot_be_demoted_or_deactivated(
    stack: Stack, admin: Actor
) -> None:
    with pytest.raises(OperatorError, match="last active administrator"):
        stack.auth.set_role(admin, "admin", Role.SUPERVISOR)
    stack.auth.create_operator(admin, "admin2", "admin-pass-2", Role.ADMINISTRATOR)
    with pytest.raises(OperatorError, match="your own account"):
        stack.auth.deactivate(admin, "admin")
    second = Actor("admin2", Role.ADMINISTRATOR)
    stack.auth.deactivate(second, "admin")
    with pytest.raises(OperatorError, match="last active administrator"):
        stack.auth.set_role(admin, "admin2", Role.VIEWER)
    stack.auth.reactivate(second, "admin")
    stack.auth.set_role(second, "admin", Role.SUPERVISOR)
    roles = {o.username: (o.role, o.active) for o in stack.auth.list_operators(second)}
    assert roles == {"admin": (Role.SUPERVISOR, True), "admin2": (Role.ADMINISTRATOR, True)}
    assert stack.audit_actions()[-3:] == [
        "operator.deactivate", "operator.reactivate", "operator.set_role"]
    assert stack.auth.login("admin", ADMIN_PASSWORD).role == Role.SUPERVISOR
