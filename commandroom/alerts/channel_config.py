"""A channel's definition split into the config stored in ``team_channel.config`` and the
secret parts that go to the secret store (passwords, signing secrets, and credentials that
ride in a URL such as a WeCom ``key`` or a DingTalk ``access_token``)."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from commandroom.redact import strip_credentials

CHANNEL_KINDS = ("webhook", "email", "mqtt")
# Keys that hold secrets in a channel definition; they are moved to the secret store.
SECRET_KEYS = ("password", "signing_secret")
# Query parameters that are credentials although they ride in a URL (WeCom, DingTalk).
URL_SECRET_PARAMS = ("key", "access_token")


class TeamConfigError(ValueError):
    """A team, channel or rule definition that cannot be used; the message says why."""


def split_channel_secrets(
    kind: str, definition: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """(config without secrets, secret parts) of a channel definition."""
    if kind not in CHANNEL_KINDS:
        raise TeamConfigError(
            f"channel kind must be one of {', '.join(CHANNEL_KINDS)}, not {kind!r}"
        )
    config = {k: v for k, v in definition.items() if k not in SECRET_KEYS}
    secret: dict[str, Any] = {k: definition[k] for k in SECRET_KEYS if definition.get(k)}
    url = config.get("url")
    if isinstance(url, str) and url:
        config["url"], hidden = strip_url_secrets(url)
        if hidden:
            secret["url_params"] = hidden
    _check_channel_config(kind, config)
    return config, secret


def strip_url_secrets(url: str) -> tuple[str, dict[str, str]]:
    """(url without credential query parameters, those parameters)."""
    clean, user, password = strip_credentials(url)
    if user or password:
        raise TeamConfigError("put user and password in their own fields, not in the URL")
    parts = urlsplit(clean)
    query = parse_qsl(parts.query, keep_blank_values=True)
    hidden = {k: v for k, v in query if k in URL_SECRET_PARAMS}
    if not hidden:
        return clean, {}
    kept = urlencode([(k, v) for k, v in query if k not in URL_SECRET_PARAMS])
    return urlunsplit(parts._replace(query=kept)), hidden


def _check_channel_config(kind: str, config: dict[str, Any]) -> None:
    if kind == "webhook" and not str(config.get("url", "")).startswith(("http://", "https://")):
        raise TeamConfigError("a webhook channel needs an http(s) url")
    if kind == "email" and (not config.get("host") or not config.get("to")):
        raise TeamConfigError("an e-mail channel needs host and to")
    if kind == "mqtt" and not config.get("host"):
        raise TeamConfigError("an MQTT channel needs host")


def merge_secrets(stored: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """``new`` over ``stored``, part by part: a form that leaves a password field empty
    keeps the stored one instead of forgetting it (URL credentials merge key by key)."""
    merged = {**stored, **{k: v for k, v in new.items() if k != "url_params"}}
    params = {**stored.get("url_params", {}), **new.get("url_params", {})}
    if params:
        merged["url_params"] = params
    return merged


def secret_fields(secret: dict[str, Any]) -> tuple[str, ...]:
    """Which secret parts are stored ("password", "signing_secret", "key", ...), never
    their values: the Teams window shows "stored" beside those fields."""
    names = [k for k in secret if k != "url_params" and secret[k]]
    names += [k for k, v in secret.get("url_params", {}).items() if v]
    return tuple(sorted(names))
