from __future__ import annotations

import logging
from pathlib import Path

import pytest

from commandroom.logging_setup import configure_logging
from commandroom.redact import redact_text, redact_url, strip_credentials, with_credentials


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("rtsp://admin:s3cret@10.0.0.5:554/Streaming/101",
         "rtsp://admin:***@10.0.0.5:554/Streaming/101"),
        ("rtsp://admin@cam/x", "rtsp://admin:***@cam/x"),
        ("rtsp://cam.local/live", "rtsp://cam.local/live"),
        ("http://u:p%40ss@h/onvif", "http://u:***@h/onvif"),
    ],
)
def test_redact_url(url: str, expected: str) -> None:
    assert redact_url(url) == expected


def test_redact_text_finds_urls_anywhere() -> None:
    text = "open failed for rtsp://a:b@h/1 and rtsp://c:d@h/2: 401"
    assert redact_text(text) == "open failed for rtsp://a:***@h/1 and rtsp://c:***@h/2: 401"


def test_strip_and_join_credentials() -> None:
    clean, user, password = strip_credentials("rtsp://op:p%40ss@10.1.2.3:8554/s1?x=1")
    assert (clean, user, password) == ("rtsp://10.1.2.3:8554/s1?x=1", "op", "p%40ss")
    assert with_credentials("rtsp://h:554/a", "op", "p@ss") == "rtsp://op:p%40ss@h:554/a"
    assert with_credentials("rtsp://h/a", None, None) == "rtsp://h/a"


def test_log_file_never_holds_a_password(tmp_path: Path) -> None:
    log_file = configure_logging(tmp_path / "logs", "INFO", console=False)
    logger = logging.getLogger("commandroom.test")
    logger.info("opening %s", "rtsp://officer:hunter22@127.0.0.1/live")
    try:
        raise RuntimeError("failed rtsp://officer:hunter22@127.0.0.1/live")
    except RuntimeError:
        logger.exception("reader crashed")
    for handler in logging.getLogger().handlers:
        handler.flush()
    text = log_file.read_text(encoding="utf-8")
    assert "hunter22" not in text
    assert "rtsp://officer:***@127.0.0.1/live" in text
    assert "reader crashed" in text and "RuntimeError" in text


def test_a_library_basicconfig_handler_is_replaced(tmp_path: Path) -> None:
    import io

    root = logging.getLogger()
    stray = logging.StreamHandler(io.StringIO())  # what logging.basicConfig() adds
    root.addHandler(stray)
    configure_logging(tmp_path / "logs", "INFO", console=False)
    assert stray not in root.handlers
    logging.getLogger("x").info("rtsp://a:topsecret@h/1")
    assert "topsecret" not in stray.stream.getvalue()
