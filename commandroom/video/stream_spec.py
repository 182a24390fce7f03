"""What to play: a stream spec (hashable, credentials kept apart from the URL)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from urllib.parse import unquote, urlsplit

from commandroom.redact import redact_url, with_credentials

TRANSPORTS = ("tcp", "udp")
_NETWORK_SCHEMES = ("rtsp", "rtsps", "http", "https", "rtmp", "srt", "udp", "tcp")


class SourceKind(StrEnum):
    NETWORK = "network"
    DEMO = "demo"
    FILE = "file"


@dataclass(frozen=True, repr=False)
class StreamSpec:
    """One stream; equal specs share one reader (console and wall decode once)."""

    url: str  # WITHOUT credentials: rtsp://host:554/path, demo://name, or a file path
    user: str | None = None
    password: str | None = field(default=None, repr=False, compare=True)
    transport: str = "tcp"  # "tcp" | "udp"

    def __post_init__(self) -> None:
        if not self.url:
            raise ValueError("stream URL is empty")
        if self.transport not in TRANSPORTS:
            raise ValueError(f"transport must be 'tcp' or 'udp', not {self.transport!r}")

    def __repr__(self) -> str:
        masked = "***" if self.password else None  # never the password itself
        return (
            f"StreamSpec(url={redact_url(self.url)!r}, user={self.user!r}, "
            f"password={masked!r}, transport={self.transport!r})"
        )

    __str__ = __repr__

    @property
    def kind(self) -> SourceKind:
        scheme = urlsplit(self.url).scheme.lower()
        if scheme == "demo":
            return SourceKind.DEMO
        if scheme in _NETWORK_SCHEMES:
            return SourceKind.NETWORK
        return SourceKind.FILE

    @property
    def display_url(self) -> str:
        """The URL as it may be logged or shown."""
        return redact_url(self.url)

    def open_url(self) -> str:
        """The URL with credentials, for the one ``av.open`` call that needs them."""
        return with_credentials(self.url, self.user, self.password)

    def file_path(self) -> Path:
        """The local path of a FILE spec (``file:///x`` or a plain path)."""
        parts = urlsplit(self.url)
        if parts.scheme.lower() == "file":
            return Path(unquote(parts.path))
        return Path(self.url).expanduser()
