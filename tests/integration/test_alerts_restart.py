"""The app is killed (SIGKILL) after writing the outbox and while a send is in flight;
after a restart every message arrives, exactly once per idempotency key at the receiver."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from commandroom.alerts.events import DeliveryChanged
from commandroom.auth.permissions import Actor, Role
from tests.support.alert_core import make_stack
from tests.support.receivers import EventWaiter, WebhookReceiver

pytestmark = pytest.mark.integration
REPO = Path(__file__).resolve().parents[2]
SECRET = "restart-secret"

CHILD = """
import sys, threading
from pathlib import Path
from commandroom.auth.permissions import Actor, Role
from tests.support.alert_core import make_stack, sample_content

stack = make_stack(Path(sys.argv[1]))
officer = Actor("wang", Role.DUTY_OFFICER)
alert_id = stack.service.send(officer, 5, sample_content(Path(sys.argv[2])))
print("OUTBOX", alert_id, flush=True)
stack.dispatcher().start()
threading.Event().wait()  # until killed
"""


@pytest.fixture
def receiver() -> Iterator[WebhookReceiver]:
    rx = WebhookReceiver(secret=SECRET, mode="hold")
    rx.start()
    yield rx
    rx.stop()


def test_sigkill_between_outbox_and_send_loses_nothing_and_duplicates_nothing(
    tmp_path: Path, receiver: WebhookReceiver
) -> None:
    db = tmp_path / "alerts.db"
    stack = make_stack(db)
    admin = Actor("admin", Role.ADMINISTRATOR)
    for key in ("community", "case"):
        stack.teams.save_channel(
            admin,
            stack.team_id(key),
            "webhook",
            "hook",
            {"url": receiver.url, "signing_secret": SECRET},
        )
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(db), str(tmp_path)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        line = child.stdout.readline() if child.stdout else ""
        assert line.startswith("OUTBOX"), line
        # The child's dispatcher has reached the receiver with the first message, which
        # holds the answer: the child is killed before it can record the send.
        receiver.wait_for(lambda rx: len(rx.delivered) == 1, timeout=20)
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait(10)
        if child.stdout:
            child.stdout.close()
    assert child.returncode == -signal.SIGKILL
    assert {d.status for d in stack.deliveries()} == {"queued"}
    assert [d.attempts for d in stack.deliveries()] == [0, 0]

    first_key = next(iter(receiver.delivered))
    receiver.mode = "ok"
    receiver.release.set()
    waiter = EventWaiter(stack.bus, DeliveryChanged)
    dispatcher = stack.dispatcher()  # "restart": picks up the undelivered outbox on start
    dispatcher.start()
    try:
        waiter.wait_for(lambda ev: waiter.count("delivered")(ev) == 2)
    finally:
        dispatcher.stop()
        stack.close()
    keys = sorted(d.idempotency_key for d in stack.deliveries())
    assert sorted(receiver.delivered) == keys  # each message arrived
    assert receiver.duplicates == {first_key: 1}  # the in-flight one came twice, was dropped
    assert {d.status for d in stack.deliveries()} == {"delivered"}
