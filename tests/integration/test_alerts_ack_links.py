"""Acknowledgement links a team member's phone can open, or none (issue 13 item 6), and
the acknowledgement page in Chinese and English with the team's members to choose from
(issue 12 item 8).

Real parts on 127.0.0.1: the webhook receiver, the app's ack endpoint (plain and HTTPS
with a certificate from a throwaway CA), an httpx client as the phone's browser.
"""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest

from commandroom.alerts.ack_links import AckLinkProblem
from commandroom.alerts.ack_server import AckHttpServer
from commandroom.alerts.content import ACK_BY_PHONE
from commandroom.alerts.events import AlertAcknowledged
from commandroom.auth.permissions import Actor, Role
from commandroom.config import AlertSettings, Settings
from commandroom.db.base import utcnow
from commandroom.runtime import Alerting, Core, CoreHooks
from tests.support.alert_core import AlertStack, make_stack, member_id, sample_content
from tests.support.receivers import WebhookReceiver, free_port
from tests.support.tls import make_test_pki

pytestmark = pytest.mark.integration
OFFICER = Actor("wang", Role.DUTY_OFFICER)
ADMIN = Actor("admin", Role.ADMINISTRATOR)
SECRET = "hook-secret-456"


@pytest.fixture
def stack(tmp_path: Path) -> Iterator[AlertStack]:
    stack = make_stack(tmp_path / "alerts.db")
    yield stack
    stack.close()


@pytest.fixture
def receiver() -> Iterator[WebhookReceiver]:
    rx = WebhookReceiver(secret=SECRET).start()
    yield rx
    rx.stop()


def _send_through_the_app(stack: AlertStack, receiver: WebhookReceiver, tmp_path: Path,
                          settings: AlertSettings) -> tuple[Alerting, dict[str, dict[str, str]]]:
    """Alerting as the composition root builds it (a second core on the same station,
    with these settings and its real ack endpoint); one generic webhook and one WeCom
    robot. Returns the alerting and, per team key, the text and markdown each team
    received."""
    core = Core(stack.core.paths, Settings(alerts=settings),
                hooks=CoreHooks(keyring=None, engine_setup=stack.core.hooks.engine_setup))
    alerting = core.alerting
    alerting.teams.save_channel(ADMIN, stack.team_id("community"), "webhook", "hook",
                                {"url": receiver.url, "signing_secret": SECRET})
    wecom = f"http://127.0.0.1:{receiver.port}/wecom?key={SECRET}"
    alerting.teams.save_channel(ADMIN, stack.team_id("case"), "webhook", "robot",
                                {"url": wecom, "preset": "wecom"})
    core.start()
    try:
        alerting.service.send(OFFICER, 4, sample_content(tmp_path))
        # The WeCom robot gets the text, then the snapshot as an image message.
        receiver.wait_for(lambda rx: len(rx.delivered) == 3)
    finally:
        core.stop()
    assert receiver.rejected == []
    got: dict[str, dict[str, str]] = {}
    for request in receiver.delivered.values():
        body = request.json()
        if request.path == "/wecom" and body.get("msgtype") == "image":
            continue
        if request.path == "/wecom":
            got["case"] = {"markdown": body["markdown"]["content"]}
        else:
            got["community"] = {"text": body["text"], "url": body["ack"]["url"]}
    return alerting, got


def test_default_settings_send_no_loopback_link_but_ask_for_a_phone_call(
    stack: AlertStack, receiver: WebhookReceiver, tmp_path: Path
) -> None:
    """Before: every message carried http://127.0.0.1:8765/ack?..., the phone itself."""
    alerting, got = _send_through_the_app(stack, receiver, tmp_path, AlertSettings(ack_port=0))
    assert alerting.ack_link.problem == AckLinkProblem.NOT_CONFIGURED
    assert got["community"]["url"] is None
    for text in (got["community"]["text"], got["case"]["markdown"]):
        assert "127.0.0.1" not in text and "/ack?t=" not in text
        assert ACK_BY_PHONE in text


def test_a_loopback_or_plain_http_public_url_is_not_used_either(
    stack: AlertStack, receiver: WebhookReceiver, tmp_path: Path
) -> None:
    settings = AlertSettings(ack_port=0, ack_public_url="http://192.0.2.10/cr")
    alerting, got = _send_through_the_app(stack, receiver, tmp_path, settings)
    assert alerting.ack_link.problem == AckLinkProblem.NOT_HTTPS
    assert "192.0.2.10" not in got["community"]["text"]
    assert ACK_BY_PHONE in got["community"]["text"]


def test_an_https_public_url_gives_every_message_its_link(
    stack: AlertStack, receiver: WebhookReceiver, tmp_path: Path
) -> None:
    # Only written into the messages: no traffic goes to that address.
    settings = AlertSettings(ack_port=0, ack_public_url="https://ack.station.example/cr/")
    alerting, got = _send_through_the_app(stack, receiver, tmp_path, settings)
    assert alerting.ack_link.problem is None
    assert got["community"]["url"].startswith("https://ack.station.example/cr/ack?t=")
    assert got["community"]["url"] in got["community"]["text"]
    assert "[签收 Acknowledge](https://ack.station.example/cr/ack?t=" in got["case"]["markdown"]
    assert ACK_BY_PHONE not in got["community"]["text"]


def test_a_team_with_nobody_on_file_gets_no_link(
    tmp_path: Path, receiver: WebhookReceiver
) -> None:
    """The page only lets a listed member acknowledge: without members it cannot work."""
    stack = make_stack(tmp_path / "nobody.db", members={"case": ["Sgt Liu"]})
    try:
        settings = AlertSettings(ack_port=0, ack_public_url="https://ack.station.example")
        _alerting, got = _send_through_the_app(stack, receiver, tmp_path, settings)
    finally:
        stack.close()
    assert got["community"]["url"] is None and ACK_BY_PHONE in got["community"]["text"]
    assert "https://ack.station.example/ack?t=" in got["case"]["markdown"]


def _link(stack: AlertStack, base: str, team: str, alert_id: int) -> str:
    token = stack.signer.link_token(alert_id, stack.team_id(team), utcnow() + timedelta(hours=1))
    return f"{base}/ack?t={token}"


def test_the_ack_endpoint_speaks_https_with_the_station_certificate(
    stack: AlertStack, tmp_path: Path
) -> None:
    pki = make_test_pki(tmp_path)
    settings = AlertSettings(ack_bind="127.0.0.1", ack_port=free_port(),
                             ack_tls_cert=str(pki.server_cert), ack_tls_key=str(pki.server_key))
    server = AckHttpServer(stack.acks, stack.signer, settings)
    alert_id = stack.service.send(OFFICER, 2, sample_content(tmp_path))
    phone = ssl.create_default_context(cafile=str(pki.ca_cert))
    server.start()
    try:
        assert server.base_url == f"https://127.0.0.1:{settings.ack_port}"
        link = _link(stack, server.base_url, "community", alert_id)
        with httpx.Client(verify=phone, timeout=5) as http:
            page = http.get(link)
            token = link.split("t=", 1)[1]
            done = http.post(f"{server.base_url}/ack",
                             data={"t": token, "member": member_id(stack, "community", "PC Zhao")})
        # A client that does not trust the station's CA gets no page: TLS is real.
        with httpx.Client(timeout=5) as stranger, pytest.raises(httpx.ConnectError):
            stranger.get(link)
        with httpx.Client(timeout=5) as plain, pytest.raises(httpx.HTTPError):
            plain.get(link.replace("https://", "http://"))
    finally:
        server.stop()
    assert page.status_code == 200 and "PC Zhao" in page.text
    assert done.status_code == 200 and "Thank you, PC Zhao" in done.text
    [ack] = stack.of_type(AlertAcknowledged)
    assert (ack.by, ack.how) == ("PC Zhao", "link")


@pytest.fixture
def endpoint(stack: AlertStack) -> Iterator[AckHttpServer]:
    server = AckHttpServer(stack.acks, stack.signer,
                           AlertSettings(ack_bind="127.0.0.1", ack_port=free_port()))
    server.start()
    yield server
    server.stop()


def test_the_page_is_chinese_first_with_english_and_lists_members_by_name_only(
    stack: AlertStack, endpoint: AckHttpServer, tmp_path: Path
) -> None:
    alert_id = stack.service.send(OFFICER, 2, sample_content(tmp_path))
    link = _link(stack, endpoint.base_url, "case", alert_id)
    with httpx.Client(timeout=5) as http:
        page = http.get(link).text
    assert "<html lang='zh-CN'>" in page
    assert page.index("签收告警") < page.index("Acknowledge alert")
    assert "请确认本队已接手处置" in page and "Confirm that your team has it in hand" in page
    assert "案件办理队 Case handling" in page and "通缉 wanted: Zhang San" in page
    assert "<select id='member' name='member' required>" in page
    for name in ("Sgt Liu", "Wang Fang"):
        assert f">{name}</option>" in page
    assert "Li Wei" not in page  # another team's member
    assert "1380000" not in page  # no phone numbers on a page anyone with the link sees
    assert "<input name='by'" not in page  # no name typed freely


def test_a_person_not_on_the_team_list_is_refused_with_a_clear_page(
    stack: AlertStack, endpoint: AckHttpServer, tmp_path: Path
) -> None:
    alert_id = stack.service.send(OFFICER, 2, sample_content(tmp_path))
    link = _link(stack, endpoint.base_url, "case", alert_id)
    token = link.split("t=", 1)[1]
    other_team = member_id(stack, "community", "Li Wei")
    with httpx.Client(timeout=5) as http:
        foreign = http.post(f"{endpoint.base_url}/ack", data={"t": token, "member": other_team})
        typed = http.post(f"{endpoint.base_url}/ack", data={"t": token, "by": "Anybody"})
        nobody = http.post(f"{endpoint.base_url}/ack", data={"t": token, "member": "99999"})
        assert not stack.acks.is_acknowledged(alert_id, stack.team_id("case"))
        done = http.post(f"{endpoint.base_url}/ack",
                         data={"t": token, "member": member_id(stack, "case", "Wang Fang")})
        again = http.get(link)
    for refused in (foreign, typed, nobody):
        assert refused.status_code == 400
        assert "未签收" in refused.text and "所选人员不是本队队员" in refused.text
        assert "not a member of this team" in refused.text
    assert done.status_code == 200
    assert "谢谢，Wang Fang。指挥室已看到签收。" in done.text
    assert "Thank you, Wang Fang" in done.text
    assert again.status_code == 409 and "此告警已被签收" in again.text
    assert "already been acknowledged" in again.text


def test_refusals_are_worded_in_both_languages(
    stack: AlertStack, endpoint: AckHttpServer, tmp_path: Path
) -> None:
    alert_id = stack.service.send(OFFICER, 2, sample_content(tmp_path))
    expired = stack.signer.link_token(alert_id, stack.team_id("case"),
                                      utcnow() - timedelta(seconds=1))
    with httpx.Client(timeout=5) as http:
        gone = http.get(f"{endpoint.base_url}/ack", params={"t": expired})
        forged = http.get(f"{endpoint.base_url}/ack", params={"t": expired[:-2] + "xx"})
        lost = http.get(f"{endpoint.base_url}/elsewhere")
    assert gone.status_code == 410 and "已过期" in gone.text and "expired" in gone.text
    assert forged.status_code == 403 and "无效" in forged.text and "not genuine" in forged.text
    assert lost.status_code == 404 and "此处没有内容" in lost.text


def test_a_team_with_nobody_on_file_is_told_to_phone(tmp_path: Path) -> None:
    stack = make_stack(tmp_path / "nobody.db", members={})
    server = AckHttpServer(stack.acks, stack.signer,
                           AlertSettings(ack_bind="127.0.0.1", ack_port=free_port()))
    server.start()
    try:
        alert_id = stack.service.send(OFFICER, 2, sample_content(tmp_path))
        with httpx.Client(timeout=5) as http:
            page = http.get(_link(stack, server.base_url, "case", alert_id))
    finally:
        server.stop()
        stack.close()
    assert page.status_code == 409 and "<form" not in page.text
    assert "本队在指挥室没有登记队员，请电话向指挥室签收。" in page.text
    assert "acknowledge by phone to the command room" in page.text
