"""Credential redaction for anything that may reach a log, a screen or an export."""

from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

# scheme://user:password@host  or  scheme://user@host
_URL_CREDENTIALS = re.compile(r"(?P<scheme>[a-zA-Z][a-zA-Z0-9+.-]*://)(?P<user>[^:/@\s]*)(?::[^@\s/]*)?@")


def redact_url(url: str) -> str:
    """``rtsp://user:secret@host/x`` -> ``rtsp://user:***@host/x``; other URLs unchanged."""
    return _URL_CREDENTIALS.sub(lambda m: f"{m['scheme']}{m['user']}:***@", url)


def redact_text(text: str) -> str:
    """Redact every URL credential found anywhere in free text (log lines, errors)."""
    return _URL_CREDENTIALS.sub(lambda m: f"{m['scheme']}{m['user']}:***@", text)


def strip_credentials(url: str) -> tuple[str, str | None, str | None]:
    """Split ``url`` into (url without userinfo, user, password).

    Credentials are kept apart from the URL we store and show; this is how a URL typed
    with them embedded is taken apart.
    """
    parts = urlsplit(url)
    if parts.username is None and parts.password is None:
        return url, None, None
    host = parts.hostname or ""
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    netloc = f"{host}:{parts.port}" if parts.port else host
    clean = urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))
    return clean, parts.username, parts.password


def with_credentials(url: str, user: str | None, password: str | None) -> str:
    """Put credentials into ``url`` for the one call that needs them (never stored)."""
    if not user:
        return url
    from urllib.parse import quote

    parts = urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    netloc = f"{host}:{parts.port}" if parts.port else host
    auth = quote(user, safe="")
    if password is not None:
        auth += ":" + quote(password, safe="")
    return urlunsplit((parts.scheme, f"{auth}@{netloc}", parts.path, parts.query, parts.fragment))
