from __future__ import annotations

import base64
import hashlib
import hmac
import time
from datetime import UTC, datetime, timedelta
from urllib.parse import unquote_plus

import pytest

from commandroom.alerts.signing import (
    AckRefused,
    AckSigner,
    dingtalk_sign,
    verify_webhook,
    webhook_signature,
)


def test_webhook_signature_is_hmac_over_timestamp_dot_body() -> None:
    body = b'{"a":1}'
    expected = hmac.new(b"s3cret", b"1700000000." + body, hashlib.sha256).hexdigest()
    assert webhook_signature("s3cret", "1700000000", body) == "sha256=" + expected


def test_verify_refuses_forged_tampered_and_stale() -> None:
    now = time.time()
    ts = str(int(now))
    body = b'{"alert_id": 1}'
    sig = webhook_signature("k", ts, body)
    assert verify_webhook("k", ts, body, sig, now)
    assert not verify_webhook("other", ts, body, sig, now)  # forged with another key
    assert not verify_webhook("k", ts, body + b" ", sig, now)  # body changed
    assert not verify_webhook("k", ts, body, sig, now + 301)  # replayed later
    assert not verify_webhook("k", "abc", body, sig, now)


def test_dingtalk_sign_matches_their_documented_recipe() -> None:
    secret, ts = "SECxyz", 1700000000123
    digest = hmac.new(secret.encode(), f"{ts}\n{secret}".encode(), hashlib.sha256).digest()
    assert unquote_plus(dingtalk_sign(secret, ts)) == base64.b64encode(digest).decode()


def test_ack_link_token_round_trip_and_refusals() -> None:
    signer = AckSigner(b"k" * 32)
    now = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
    token = signer.link_token(12, 3, now + timedelta(hours=1))
    claim = signer.verify_link_token(token, now)
    assert (claim.alert_id, claim.team_id) == (12, 3)
    with pytest.raises(AckRefused) as expired:
        signer.verify_link_token(token, now + timedelta(hours=2))
    assert expired.value.http_status == 410
    forged = token.replace("12.3.", "13.3.", 1)  # another alert, same signature
    with pytest.raises(AckRefused) as bad:
        signer.verify_link_token(forged, now)
    assert bad.value.http_status == 403
    with pytest.raises(AckRefused):
        AckSigner(b"x" * 32).verify_link_token(token, now)  # signed with another key
    with pytest.raises(AckRefused):
        signer.verify_link_token("garbage", now)


def test_mqtt_token_binds_alert_and_team() -> None:
    signer = AckSigner(b"k" * 32)
    token = signer.mqtt_token(5, 1)
    signer.verify_mqtt_token(5, 1, token)
    with pytest.raises(AckRefused):
        signer.verify_mqtt_token(5, 2, token)
