"""E-mail through an SMTP relay: text + HTML, the snapshot attached and shown inline.

config: {"host", "port", "security": "starttls"|"ssl"|"none", "sender", "to": [...],
         "username", "ca_file" (optional, for a relay with a private CA), "timeout_s"}
secret: {"password": ...}
"""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import make_msgid
from typing import Any

from commandroom.alerts.channels.base import (
    OutboundMessage,
    connection_failed,
    permanent,
    transient,
)


class EmailSender:
    def close(self) -> None:
        """Nothing pooled: one SMTP session per message keeps failures independent."""

    def send(
        self, message: OutboundMessage, config: dict[str, Any], secret: dict[str, Any]
    ) -> None:
        recipients = [str(r) for r in config.get("to", []) if str(r).strip()]
        sender = str(config.get("sender", ""))
        if not recipients or "@" not in sender:
            raise permanent("e-mail channel needs a sender and at least one recipient",
                            "smtp_no_addresses")
        mail = build_email(message, sender, recipients)
        try:
            self._deliver(mail, config, secret)
        except smtplib.SMTPAuthenticationError as exc:
            raise permanent(f"SMTP login refused ({exc.smtp_code})", "smtp_login_refused",
                            {"code": exc.smtp_code}) from exc
        except smtplib.SMTPRecipientsRefused as exc:
            refused = ", ".join(str(r) for r in exc.recipients)
            raise permanent(f"recipient refused: {refused}", "smtp_recipient_refused",
                            {"recipients": refused}) from exc
        except smtplib.SMTPSenderRefused as exc:
            raise permanent(f"sender refused ({exc.smtp_code})", "smtp_sender_refused",
                            {"code": exc.smtp_code}) from exc
        except smtplib.SMTPNotSupportedError as exc:
            raise permanent(f"SMTP server lacks a needed feature: {exc}", "smtp_feature_missing",
                            {"detail": str(exc)[:200]}) from exc
        except smtplib.SMTPResponseException as exc:
            reason = f"SMTP {exc.smtp_code}: {exc.smtp_error!r}"
            params: dict[str, str | int] = {"code": exc.smtp_code}
            raise (transient(reason, "smtp_refused", params) if 400 <= exc.smtp_code < 500
                   else permanent(reason, "smtp_refused", params)) from exc
        except ssl.SSLCertVerificationError as exc:
            raise permanent(f"TLS certificate not trusted: {exc.verify_message}", "tls_untrusted",
                            {"detail": str(exc.verify_message)}) from exc
        except (TimeoutError, smtplib.SMTPServerDisconnected, OSError) as exc:
            raise connection_failed(exc, "SMTP") from exc

    def _deliver(self, mail: EmailMessage, config: dict[str, Any], secret: dict[str, Any]) -> None:
        host = str(config.get("host", ""))
        security = str(config.get("security", "starttls"))
        port = int(config.get("port", 465 if security == "ssl" else 587))
        timeout = float(config.get("timeout_s", 10.0))
        context = ssl.create_default_context(cafile=config.get("ca_file") or None)
        smtp: smtplib.SMTP
        if security == "ssl":
            smtp = smtplib.SMTP_SSL(host, port, timeout=timeout, context=context)
        elif security in ("starttls", "none"):
            smtp = smtplib.SMTP(host, port, timeout=timeout)
        else:
            raise permanent(f"unknown SMTP security {security!r}")
        with smtp:
            if security == "starttls":
                smtp.starttls(context=context)
            username = str(config.get("username", ""))
            if username:
                smtp.login(username, str(secret.get("password", "")))
            smtp.send_message(mail)


def build_email(message: OutboundMessage, sender: str, recipients: list[str]) -> EmailMessage:
    mail = EmailMessage()
    mail["Subject"] = message.subject
    mail["From"] = sender
    mail["To"] = ", ".join(recipients)
    mail["X-Idempotency-Key"] = message.idempotency_key
    if message.priority == "high":
        mail["Importance"] = "high"
        mail["X-Priority"] = "1"
    mail.set_content(message.text)
    if message.snapshot:
        cid = make_msgid(domain="commandroom.local")
        html_body = message.html.replace("cid:SNAPSHOT", f"cid:{cid[1:-1]}")
        mail.add_alternative(html_body, subtype="html")
        html_part = mail.get_payload()[1]  # type: ignore[index]
        assert isinstance(html_part, EmailMessage)  # add_alternative made it so
        html_part.add_related(
            message.snapshot, "image", _image_subtype(message.snapshot_name), cid=cid
        )
        # Also a plain attachment: some mail clients hide inline images.
        mail.add_attachment(
            message.snapshot,
            maintype="image",
            subtype=_image_subtype(message.snapshot_name),
            filename=message.snapshot_name,
        )
    else:
        mail.add_alternative(message.html, subtype="html")
    return mail


def _image_subtype(name: str) -> str:
    return "png" if name.lower().endswith(".png") else "jpeg"
