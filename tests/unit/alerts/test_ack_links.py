"""Which base URL ack links may use (issue 13 item 6: they pointed at 127.0.0.1)."""

from __future__ import annotations

import pytest

from commandroom.alerts.ack_links import (
    AckLinkBase,
    AckLinkProblem,
    choose_ack_base,
    unreachable_from_phones,
)
from commandroom.config import AlertSettings


@pytest.mark.parametrize("host", ["127.0.0.1", "127.8.0.1", "localhost", "LOCALHOST",
                                  "ack.localhost", "0.0.0.0", "::1", "[::1]", "::",
                                  "169.254.10.1", "fe80::1", ""])
def test_hosts_a_phone_cannot_reach_as_the_station(host: str) -> None:
    assert unreachable_from_phones(host)


@pytest.mark.parametrize("host", ["10.2.3.4", "192.168.1.20", "ack.station.example",
                                  "2001:db8::5"])
def test_hosts_a_phone_may_reach(host: str) -> None:
    assert not unreachable_from_phones(host)


def _choose(running: bool = True, tls: bool = False, port: int = 8765,
            **settings: str) -> AckLinkBase:
    return choose_ack_base(AlertSettings(**settings), running, tls, port)  # type: ignore[arg-type]


def test_the_defaults_give_no_link() -> None:
    assert _choose() == AckLinkBase("", AckLinkProblem.NOT_CONFIGURED)
    assert not _choose().usable


@pytest.mark.parametrize(("url", "problem"), [
    ("http://127.0.0.1:8765", AckLinkProblem.NOT_REACHABLE),
    ("https://localhost/ack", AckLinkProblem.NOT_REACHABLE),
    ("https://0.0.0.0:8443", AckLinkProblem.NOT_REACHABLE),
    ("https://[fe80::1]:8443", AckLinkProblem.NOT_REACHABLE),
    ("http://ack.station.example", AckLinkProblem.NOT_HTTPS),
    ("ack.station.example", AckLinkProblem.MALFORMED),
    ("ftp://ack.station.example", AckLinkProblem.MALFORMED),
    ("https://", AckLinkProblem.MALFORMED),
    ("https://[::1", AckLinkProblem.MALFORMED),
])
def test_a_public_url_phones_cannot_use_gives_no_link(url: str,
                                                     problem: AckLinkProblem) -> None:
    assert _choose(ack_public_url=url) == AckLinkBase("", problem)


def test_an_https_public_url_is_used_without_its_trailing_slash() -> None:
    assert _choose(ack_public_url=" https://ack.station.example/cr/ ") == AckLinkBase(
        "https://ack.station.example/cr")


def test_the_endpoint_itself_when_it_speaks_tls_on_a_reachable_address() -> None:
    assert _choose(tls=True, port=8443, ack_bind="10.2.3.4") == AckLinkBase(
        "https://10.2.3.4:8443")
    assert _choose(tls=True, port=8443, ack_bind="2001:db8::5").url == \
        "https://[2001:db8::5]:8443"
    # TLS, but on loopback or every address: which name phones use is unknown.
    assert _choose(tls=True, ack_bind="127.0.0.1").problem == AckLinkProblem.NOT_CONFIGURED
    assert _choose(tls=True, ack_bind="0.0.0.0").problem == AckLinkProblem.NOT_CONFIGURED
    # Plain HTTP on a LAN address carries the token in clear: no.
    assert _choose(ack_bind="10.2.3.4").problem == AckLinkProblem.NOT_CONFIGURED


def test_no_link_while_the_endpoint_is_down_whatever_is_configured() -> None:
    assert _choose(running=False, ack_public_url="https://ack.station.example") == \
        AckLinkBase("", AckLinkProblem.ENDPOINT_DOWN)
