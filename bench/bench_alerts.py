"""Alert path figures: tag → webhook received (median/p95, core path only) and a burst of
1,000 alerts created at once → all delivered (count, time).

Run: .venv/bin/python bench/bench_alerts.py [--latency N] [--burst N]
Everything stays on 127.0.0.1 (a stdlib HTTP receiver started here).
"""

from __future__ import annotations

import argparse
import logging
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from commandroom.auth.permissions import Actor, Role
from tests.support.alert_core import make_stack, sample_content
from tests.support.receivers import WebhookReceiver, WebhookRequest

OFFICER = Actor("bench", Role.DUTY_OFFICER)
ADMIN = Actor("admin", Role.ADMINISTRATOR)
SECRET = "bench-secret"


def _percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--latency", type=int, default=100, help="alerts sent one by one")
    parser.add_argument("--burst", type=int, default=1000, help="alerts created at once")
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        arrived: dict[int, float] = {}
        cond = threading.Condition()

        def on_delivered(request: WebhookRequest) -> None:
            alert_id = int(request.headers["x-idempotency-key"].split(":")[0])
            with cond:
                arrived.setdefault(alert_id, time.perf_counter())
                cond.notify_all()

        receiver = WebhookReceiver(secret=SECRET, on_delivered=on_delivered).start()
        stack = make_stack(root / "bench.db")
        # fraud_risk routes to one team: one delivery per alert keeps the figure per message.
        stack.teams.save_channel(
            ADMIN,
            stack.team_id("community"),
            "webhook",
            "hook",
            {"url": receiver.url, "signing_secret": SECRET},
        )
        content = sample_content(root, "fraud_risk")
        dispatcher = stack.dispatcher()
        dispatcher.start()
        try:
            latencies = []
            for _ in range(args.latency):
                start = time.perf_counter()
                alert_id = stack.service.send(OFFICER, 1, content)
                with cond:
                    cond.wait_for(lambda a=alert_id: a in arrived, 10)
                latencies.append((arrived[alert_id] - start) * 1000)
            print(
                f"tag -> webhook received, {len(latencies)} alerts one by one: "
                f"median {statistics.median(latencies):.1f} ms, "
                f"p95 {_percentile(latencies, 95):.1f} ms, max {max(latencies):.1f} ms"
            )

            before = len(receiver.delivered)
            start = time.perf_counter()
            for _ in range(args.burst):
                stack.service.send(OFFICER, 2, content)
            created = time.perf_counter() - start
            with cond:
                cond.wait_for(lambda: len(receiver.delivered) - before >= args.burst, 600)
            total = time.perf_counter() - start
            got = len(receiver.delivered) - before
        finally:
            dispatcher.stop()
            receiver.stop()
        failed = sum(1 for d in stack.deliveries() if d.status != "delivered")
        stack.close()
        print(
            f"burst of {args.burst} alerts: created in {created:.2f} s, {got} received "
            f"(duplicates {sum(receiver.duplicates.values())}, not delivered in the "
            f"database {failed}) after {total:.2f} s = {got / total:.0f} alerts/s end to end"
        )


if __name__ == "__main__":
    main()
