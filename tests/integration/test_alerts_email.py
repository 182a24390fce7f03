"""E-mail alerts through a real SMTP server (aiosmtpd) on 127.0.0.1: plain, and STARTTLS
with a login against a self-signed certificate made for the test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from commandroom.alerts.events import DeliveryChanged
from commandroom.auth.permissions import Actor, Role
from tests.support.alert_core import AlertStack, make_stack, sample_content
from tests.support.receivers import EventWaiter, SmtpReceiver, attachments_sha256, self_signed_cert

pytestmark = pytest.mark.integration
OFFICER = Actor("wang", Role.DUTY_OFFICER)
ADMIN = Actor("admin", Role.ADMINISTRATOR)


@pytest.fixture
def stack(tmp_path: Path) -> Iterator[AlertStack]:
    stack = make_stack(tmp_path / "alerts.db")
    yield stack
    stack.close()


def _mail_channel(stack: AlertStack, team: str, port: int, **extra: object) -> None:
    stack.teams.save_channel(
        ADMIN,
        stack.team_id(team),
        "email",
        "mail",
        {
            "host": "127.0.0.1",
            "port": port,
            "security": "none",
            "sender": "room@station.local",
            "to": [f"{team}@station.local"],
            **extra,
        },
    )


def test_plain_smtp_mail_has_text_html_and_the_snapshot(stack: AlertStack, tmp_path: Path) -> None:
    smtp = SmtpReceiver().start()
    try:
        for team in ("community", "case"):
            _mail_channel(stack, team, smtp.port)
        dispatcher = stack.dispatcher()
        dispatcher.start()
        try:
            content = sample_content(tmp_path)
            alert_id = stack.service.send(OFFICER, 3, content)
            smtp.wait_for_count(2)
        finally:
            dispatcher.stop()
    finally:
        smtp.stop()
    assert sorted(m["To"] for m in smtp.messages) == [
        "case@station.local",
        "community@station.local",
    ]
    for mail in smtp.messages:
        assert mail["Subject"] == "紧急 URGENT 通缉 wanted: Zhang San"
        assert mail["X-Idempotency-Key"].startswith(f"{alert_id}:")
        text = mail.get_body(("plain",)).get_content()
        html = mail.get_body(("html",)).get_content()
        assert "North gate" in text and "/ack?t=" in text
        assert "<table>" in html and "cid:" in html
        assert attachments_sha256(mail) == [content.snapshot_sha256]
    assert {d.status for d in stack.deliveries()} == {"sent"}


def test_starttls_with_login_and_a_refused_login(stack: AlertStack, tmp_path: Path) -> None:
    cert = self_signed_cert(tmp_path)
    smtp = SmtpReceiver(cert=cert, login=("room", "right-password")).start()
    waiter = EventWaiter(stack.bus, DeliveryChanged)
    try:
        common = {"security": "starttls", "ca_file": str(cert[0]), "username": "room"}
        _mail_channel(stack, "community", smtp.port, password="right-password", **common)
        _mail_channel(stack, "case", smtp.port, password="wrong-password", **common)
        dispatcher = stack.dispatcher()
        dispatcher.start()
        try:
            stack.service.send(OFFICER, 3, sample_content(tmp_path))
            waiter.wait_for(lambda ev: len(ev) == 2)
        finally:
            dispatcher.stop()
    finally:
        smtp.stop()
    assert len(smtp.messages) == 1 and smtp.messages[0]["To"] == "community@station.local"
    by_status = {e.status: e for e in waiter.events}
    assert set(by_status) == {"sent", "failed"}
    assert by_status["failed"].error.startswith("SMTP login refused")
    assert smtp.logins_refused >= 1
    failed = [d for d in stack.deliveries() if d.status == "failed"]
    assert [d.attempts for d in failed] == [1]  # a refused login is not retried


def test_untrusted_certificate_is_a_permanent_failure(stack: AlertStack, tmp_path: Path) -> None:
    smtp = SmtpReceiver(cert=self_signed_cert(tmp_path)).start()
    waiter = EventWaiter(stack.bus, DeliveryChanged)
    try:
        _mail_channel(stack, "community", smtp.port, security="starttls")  # no ca_file
        dispatcher = stack.dispatcher()
        dispatcher.start()
        try:
            stack.service.send(OFFICER, 3, sample_content(tmp_path, "fraud_risk"))
            [event] = waiter.wait_for(lambda ev: len(ev) == 1)
        finally:
            dispatcher.stop()
    finally:
        smtp.stop()
    assert event.status == "failed" and "certificate" in event.error
    assert smtp.messages == []


# aiosmtpd warns because it does not count implicit TLS as TLS; the wire is TLS here.
@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning")
def test_implicit_tls_as_on_port_465_with_login(stack: AlertStack, tmp_path: Path) -> None:
    cert = self_signed_cert(tmp_path)
    smtp = SmtpReceiver(cert=cert, login=("room", "right-password"), implicit_tls=True).start()
    waiter = EventWaiter(stack.bus, DeliveryChanged)
    try:
        _mail_channel(stack, "community", smtp.port, security="ssl", ca_file=str(cert[0]),
                      username="room", password="right-password")
        dispatcher = stack.dispatcher()
        dispatcher.start()
        try:
            stack.service.send(OFFICER, 3, sample_content(tmp_path))
            waiter.wait_for(lambda ev: any(e.status in ("sent", "failed") for e in ev))
        finally:
            dispatcher.stop()
    finally:
        smtp.stop()
    assert [e.status for e in waiter.events if e.status in ("sent", "failed")] == ["sent"]
    assert len(smtp.messages) == 1 and smtp.messages[0]["To"] == "community@station.local"
