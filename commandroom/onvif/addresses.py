"""The ONVIF address stored with a camera (``Camera.onvif_url``) and how to read it back."""

from __future__ import annotations

from urllib.parse import urlsplit

DEFAULT_PORT = 80


def device_url(host: str, port: int) -> str:
    """What we store in ``Camera.onvif_url``: the device service address."""
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/onvif/device_service"


def parse_onvif_url(url: str) -> tuple[str, int] | None:
    """``http://h:p/onvif/device_service``, ``h:p`` or ``h`` → (host, port)."""
    url = url.strip()
    if not url:
        return None
    parts = urlsplit(url if "://" in url else f"http://{url}")
    try:
        port = parts.port
    except ValueError:
        return None
    if not parts.hostname:
        return None
    default = 443 if parts.scheme == "https" else DEFAULT_PORT
    return parts.hostname, port or default
