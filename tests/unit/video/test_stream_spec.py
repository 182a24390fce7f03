from __future__ import annotations

from pathlib import Path

import pytest

from commandroom.video.stream_spec import SourceKind, StreamSpec


def test_repr_and_str_never_show_the_password() -> None:
    spec = StreamSpec("rtsp://10.0.0.5:554/stream1", user="admin", password="hunter2")
    for text in (repr(spec), str(spec), f"{spec}", repr([spec])):
        assert "hunter2" not in text
        assert "***" in text and "rtsp://10.0.0.5:554/stream1" in text


def test_repr_redacts_credentials_typed_into_the_url() -> None:
    spec = StreamSpec("rtsp://admin:hunter2@10.0.0.5/s")
    assert "hunter2" not in repr(spec)
    assert "hunter2" not in spec.display_url


def test_credentials_are_joined_only_for_opening() -> None:
    spec = StreamSpec("rtsp://10.0.0.5:554/s", user="ad min", password="p@ss:word")
    assert spec.url == "rtsp://10.0.0.5:554/s"
    assert spec.open_url() == "rtsp://ad%20min:p%40ss%3Aword@10.0.0.5:554/s"


def test_equal_specs_share_a_hash_and_the_password_counts() -> None:
    a = StreamSpec("rtsp://h/s", "u", "one")
    assert a == StreamSpec("rtsp://h/s", "u", "one")
    assert hash(a) == hash(StreamSpec("rtsp://h/s", "u", "one"))
    assert a != StreamSpec("rtsp://h/s", "u", "two")  # a fixed password is a new reader
    assert a != StreamSpec("rtsp://h/s", "u", "one", transport="udp")


def test_kind_and_file_path() -> None:
    assert StreamSpec("rtsp://h/s").kind is SourceKind.NETWORK
    assert StreamSpec("demo://north?w=320").kind is SourceKind.DEMO
    assert StreamSpec("/videos/a.mp4").kind is SourceKind.FILE
    assert StreamSpec("file:///videos/a%20b.mp4").file_path() == Path("/videos/a b.mp4")


@pytest.mark.parametrize("kwargs", [{"url": ""}, {"url": "rtsp://h/s", "transport": "http"}])
def test_bad_specs_say_what_is_wrong(kwargs: dict[str, str]) -> None:
    with pytest.raises(ValueError, match=r"URL is empty|transport"):
        StreamSpec(**kwargs)
