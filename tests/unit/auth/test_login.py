"""Login, lockout (with a fake clock), unlock, password change and shift hand-over."""

from __future__ import annotations

import json

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from commandroom.audit.trail import AuditEventRow
from commandroom.auth.models import OperatorRow
from commandroom.auth.permissions import Actor, Role
from commandroom.auth.policy import PolicyError
from commandroom.auth.service import (
    WRONG_CREDENTIALS,
    AuthService,
    BootstrapError,
    LoginFailed,
)
from tests.unit.auth.fixtures import ADMIN_PASSWORD, Stack, fast_hasher

DUTY_PASSWORD = "duty-pass-1"


@pytest.fixture
def duty(stack: Stack, admin: Actor) -> str:
    stack.auth.create_operator(admin, "duty1", DUTY_PASSWORD, Role.DUTY_OFFICER, "Officer One")
    return "duty1"


def _row(stack: Stack, username: str) -> OperatorRow:
    with stack.sessions() as session:
        row = session.scalar(select(OperatorRow).where(OperatorRow.username == username))
        assert row is not None
        return row


def _last_event(stack: Stack) -> AuditEventRow:
    with stack.sessions() as session:
        row = session.scalar(select(AuditEventRow).order_by(AuditEventRow.seq.desc()).limit(1))
        assert row is not None
        return row


def test_first_run_has_no_account_until_the_caller_creates_the_administrator(stack: Stack) -> None:
    assert stack.auth.needs_bootstrap()
    for guess in ("admin", "administrator", "root"):
        for password in ("admin", "password", "", "12345678", "changeme"):
            with pytest.raises(LoginFailed, match=WRONG_CREDENTIALS):
                stack.auth.login(guess, password)
    actor = stack.auth.bootstrap_admin("Chief", "chief-pass-9")
    assert actor == Actor("chief", Role.ADMINISTRATOR, actor.operator_id)
    assert not stack.auth.needs_bootstrap()
    assert not stack.auth.must_change_password(actor)
    with pytest.raises(BootstrapError):
        stack.auth.bootstrap_admin("second", "second-pass-9")


def test_bootstrap_refuses_a_short_password(stack: Stack) -> None:
    with pytest.raises(PolicyError, match="at least 8"):
        stack.auth.bootstrap_admin("admin", "short")
    assert stack.auth.needs_bootstrap()


def test_login_returns_actor_updates_last_login_and_audits(stack: Stack, duty: str) -> None:
    actor = stack.auth.login("  Duty1 ", DUTY_PASSWORD)  # case and spaces do not matter
    assert (actor.username, actor.role) == ("duty1", Role.DUTY_OFFICER)
    assert actor.operator_id == _row(stack, "duty1").id
    assert _row(stack, "duty1").last_login_at == stack.clock.now
    event = _last_event(stack)
    assert (event.action, event.actor, event.subject) == ("auth.login", "duty1", "duty1")
    assert stack.auth.must_change_password(actor)  # the administrator chose the password


def test_unknown_user_and_wrong_password_get_the_same_message(stack: Stack, duty: str) -> None:
    with pytest.raises(LoginFailed) as unknown:
        stack.auth.login("nobody", DUTY_PASSWORD)
    with pytest.raises(LoginFailed) as wrong:
        stack.auth.login("duty1", "not-the-password")
    assert str(unknown.value) == str(wrong.value) == WRONG_CREDENTIALS
    with stack.sessions() as session:
        failed = list(session.scalars(
            select(AuditEventRow).where(AuditEventRow.action == "auth.login_failed")
            .order_by(AuditEventRow.seq)))
    # The unknown name may be a password typed into the wrong field: it is not stored.
    assert failed[0].subject == "" and "nobody" not in failed[0].details
    assert failed[1].subject == "duty1"
    for event in failed:
        assert DUTY_PASSWORD not in event.details and "not-the-password" not in event.details


def test_lockout_after_three_failures_refuses_even_the_right_password(
    stack: Stack, duty: str
) -> None:
    for _ in range(2):
        with pytest.raises(LoginFailed, match=f"^{WRONG_CREDENTIALS}$"):
            stack.auth.login("duty1", "wrong-wrong")
    with pytest.raises(LoginFailed, match="locked for 30 s"):
        stack.auth.login("duty1", "wrong-wrong")
    with pytest.raises(LoginFailed, match="locked for 30 s"):
        stack.auth.login("duty1", DUTY_PASSWORD)
    stack.clock.advance(29.5)
    with pytest.raises(LoginFailed, match="locked for 1 s"):
        stack.auth.login("duty1", DUTY_PASSWORD)
    assert _row(stack, "duty1").failed_count == 3  # refusals while locked are not failures
    stack.clock.advance(0.5)
    assert stack.auth.login("duty1", DUTY_PASSWORD).username == "duty1"
    row = _row(stack, "duty1")
    assert (row.failed_count, row.locked_until) == (0, None)


def test_lock_doubles_with_each_further_failure_and_is_capped(stack: Stack, duty: str) -> None:
    seen = []
    for _ in range(2):
        with pytest.raises(LoginFailed):
            stack.auth.login("duty1", "wrong-wrong")
    for _ in range(7):
        with pytest.raises(LoginFailed) as failed:
            stack.auth.login("duty1", "wrong-wrong")
        seconds = int(str(failed.value).rsplit("locked for ", 1)[1].split(" ")[0])
        seen.append(seconds)
        stack.clock.advance(seconds)
    assert seen == [30, 60, 120, 240, 480, 900, 900]


def test_lockout_is_per_account(stack: Stack, admin: Actor, duty: str) -> None:
    for _ in range(3):
        with pytest.raises(LoginFailed):
            stack.auth.login("duty1", "wrong-wrong")
    assert stack.auth.login("admin", ADMIN_PASSWORD).username == "admin"


def test_deactivated_account_is_refused_only_with_the_right_password(
    stack: Stack, admin: Actor, duty: str
) -> None:
    stack.auth.deactivate(admin, "duty1")
    with pytest.raises(LoginFailed, match=f"^{WRONG_CREDENTIALS}$"):
        stack.auth.login("duty1", "wrong-wrong")
    with pytest.raises(LoginFailed, match="deactivated"):
        stack.auth.login("duty1", DUTY_PASSWORD)


def test_unlock_checks_the_password_and_counts_failures(
    stack: Stack, admin: Actor, duty: str
) -> None:
    actor = stack.auth.login("duty1", DUTY_PASSWORD)
    stack.auth.set_role(admin, "duty1", Role.SUPERVISOR)  # changed while the console is locked
    for _ in range(2):
        with pytest.raises(LoginFailed, match=f"^{WRONG_CREDENTIALS}$"):
            stack.auth.verify_password_for_unlock(actor, "wrong-wrong")
    with pytest.raises(LoginFailed, match="locked for 30 s"):
        stack.auth.verify_password_for_unlock(actor, "wrong-wrong")
    stack.clock.advance(30)
    fresh = stack.auth.verify_password_for_unlock(actor, DUTY_PASSWORD)
    assert fresh.role == Role.SUPERVISOR
    assert _last_event(stack).action == "auth.unlock"


def test_change_password_needs_the_old_one_and_clears_must_change(
    stack: Stack, duty: str
) -> None:
    actor = stack.auth.login("duty1", DUTY_PASSWORD)
    with pytest.raises(LoginFailed):
        stack.auth.change_password(actor, "not-the-old-one", "brand-new-pass")
    with pytest.raises(PolicyError, match="at least 8"):
        stack.auth.change_password(actor, DUTY_PASSWORD, "short")
    with pytest.raises(PolicyError, match="differ"):
        stack.auth.change_password(actor, DUTY_PASSWORD, DUTY_PASSWORD)
    with pytest.raises(PolicyError, match="username"):
        stack.auth.change_password(actor, DUTY_PASSWORD, "DUTY1   ")
    stack.auth.change_password(actor, DUTY_PASSWORD, "brand-new-pass")
    assert not stack.auth.must_change_password(actor)
    with pytest.raises(LoginFailed):
        stack.auth.login("duty1", DUTY_PASSWORD)
    assert stack.auth.login("duty1", "brand-new-pass").username == "duty1"
    assert "brand-new-pass" not in _row(stack, "duty1").password_hash


def test_hand_over_logs_out_one_and_in_the_next_with_one_event_each(
    stack: Stack, admin: Actor, duty: str
) -> None:
    current = stack.auth.login("admin", ADMIN_PASSWORD)
    before = stack.audit_count()
    with pytest.raises(LoginFailed):
        stack.auth.hand_over(current, "duty1", "wrong-wrong")
    # A typo by the next officer leaves the current one logged in: only the failure is logged.
    assert stack.audit_actions()[before:] == ["auth.login_failed"]
    nxt = stack.auth.hand_over(current, "duty1", DUTY_PASSWORD)
    assert nxt.username == "duty1"
    with stack.sessions() as session:
        events = list(session.scalars(
            select(AuditEventRow).where(AuditEventRow.seq > before + 1)
            .order_by(AuditEventRow.seq)))
    assert [(e.action, e.actor) for e in events] == [
        ("auth.logout", "admin"), ("auth.login", "duty1")]
    assert json.loads(events[0].details) == {"handed_over_to": "duty1"}
    assert json.loads(events[1].details) == {"handed_over_from": "admin"}
    with pytest.raises(LoginFailed, match="already logged in"):
        stack.auth.hand_over(nxt, "DUTY1", DUTY_PASSWORD)


def test_logout_is_audited(stack: Stack, admin: Actor) -> None:
    stack.auth.logout(admin)
    event = _last_event(stack)
    assert (event.action, event.actor) == ("auth.logout", "admin")


def test_hash_is_argon2id_and_upgraded_when_parameters_rise(stack: Stack, duty: str) -> None:
    old_hash = _row(stack, "duty1").password_hash
    assert old_hash.startswith("$argon2id$") and "m=8,t=1,p=1" in old_hash
    stronger = AuthService(stack.sessions, stack.audit, clock=stack.clock,
                           hasher=PasswordHasher(time_cost=2, memory_cost=16, parallelism=1))
    stronger.login("duty1", DUTY_PASSWORD)
    new_hash = _row(stack, "duty1").password_hash
    assert "m=16,t=2,p=1" in new_hash
    assert AuthService(stack.sessions, stack.audit, hasher=fast_hasher()).login(
        "duty1", DUTY_PASSWORD).username == "duty1"


def test_the_first_administrator_is_logged_in_by_creating_the_account(stack: Stack) -> None:
    actor = stack.auth.bootstrap_admin("Chief", "chief-pass-9", "Zhang Wei", log_in=True)
    assert stack.audit_actions() == ["operator.bootstrap", "auth.login"]
    assert _row(stack, "chief").last_login_at is not None
    assert actor.username == "chief"


def test_lock_and_logout_reasons_are_audited(stack: Stack, admin: Actor) -> None:
    stack.auth.record_lock(admin, "idle")
    event = _last_event(stack)
    assert (event.action, event.subject, json.loads(event.details)) == \
        ("auth.lock", "admin", {"reason": "idle"})
    stack.auth.logout(admin, reason="quit")
    event = _last_event(stack)
    assert (event.action, json.loads(event.details)) == ("auth.logout", {"reason": "quit"})


def test_a_refusal_says_why_in_a_code_a_screen_can_word(stack: Stack, admin: Actor) -> None:
    with pytest.raises(LoginFailed) as wrong:
        stack.auth.verify_password_for_unlock(admin, "wrong-pass-1")
    assert (wrong.value.reason, wrong.value.locked_for_s) == ("wrong_credentials", 0)
    for _ in range(2):
        with pytest.raises(LoginFailed) as wrong:
            stack.auth.verify_password_for_unlock(admin, "wrong-pass-1")
    assert (wrong.value.reason, wrong.value.locked_for_s) == ("wrong_credentials", 30)
    with pytest.raises(LoginFailed) as locked:
        stack.auth.verify_password_for_unlock(admin, ADMIN_PASSWORD)
    assert (locked.value.reason, locked.value.locked_for_s) == ("locked", 30)
    with pytest.raises(LoginFailed) as same:
        stack.auth.hand_over(admin, "admin", ADMIN_PASSWORD)
    assert same.value.reason == "already_logged_in"
