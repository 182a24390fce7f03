"""The channel form of the Teams window: one set of fields per kind of channel.

Secrets (signing secret, WeCom key, DingTalk token, SMTP/MQTT password) are typed into
password fields and go to the secret store; they are never read back into the form. A
field whose secret is stored says so in its placeholder, and left empty keeps it.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLineEdit,
    QSpinBox,
    QStackedWidget,
    QWidget,
)

from commandroom.alerts.team_overview import ChannelView
from ui.alerts.texts import CHANNEL_TYPES, channel_type_text


def _secret_field() -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setMaxLength(512)
    return field


def _port(default: int) -> QSpinBox:
    spin = QSpinBox()
    spin.setRange(1, 65535)
    spin.setValue(default)
    return spin


def _with_query(url: str, name: str, value: str) -> str:
    return url + ("&" if "?" in url else "?") + urlencode({name: value})


class ChannelForm(QWidget):
    """Name, type, and the fields of that type; ``definition()`` is what TeamService
    takes, ``show_channel()`` fills it from a stored channel (secrets left empty)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name = QLineEdit()
        self.name.setMaxLength(120)
        self.type = QComboBox()
        for kind, preset in CHANNEL_TYPES:
            # A plain string as item data: findData does not match Python tuples.
            self.type.addItem(channel_type_text(kind, preset), f"{kind}:{preset}")
        self.pages = QStackedWidget()
        self.type.currentIndexChanged.connect(self.pages.setCurrentIndex)
        # webhook (generic)
        self.url = QLineEdit()
        self.url.setPlaceholderText("https://…")
        self.signing_secret = _secret_field()
        # WeCom
        self.wecom_url = QLineEdit("https://qyapi.weixin.qq.com/cgi-bin/webhook/send")
        self.wecom_key = _secret_field()
        # DingTalk
        self.ding_url = QLineEdit("https://oapi.dingtalk.com/robot/send")
        self.ding_token = _secret_field()
        self.ding_secret = _secret_field()
        # e-mail
        self.smtp_host = QLineEdit()
        self.smtp_port = _port(587)
        self.smtp_security = QComboBox()
        self.smtp_security.addItem(self.tr("STARTTLS (port 587)"), "starttls")
        self.smtp_security.addItem(self.tr("TLS from the start (port 465)"), "ssl")
        self.smtp_security.addItem(self.tr("none (trusted network only)"), "none")
        self.smtp_sender = QLineEdit()
        self.smtp_to = QLineEdit()
        self.smtp_to.setPlaceholderText(self.tr("addresses, separated by commas"))
        self.smtp_user = QLineEdit()
        self.smtp_password = _secret_field()
        self.smtp_ca = QLineEdit()
        self.smtp_ca.setPlaceholderText(self.tr("CA file for a private relay (optional)"))
        # MQTT
        self.mqtt_host = QLineEdit()
        self.mqtt_port = _port(1883)
        self.mqtt_tls = QCheckBox(self.tr("TLS"))
        self.mqtt_ca = QLineEdit()
        self.mqtt_ca.setPlaceholderText(self.tr("CA file for a private broker (optional)"))
        self.mqtt_user = QLineEdit()
        self.mqtt_password = _secret_field()
        self.mqtt_prefix = QLineEdit("commandroom/alerts")
        self._secrets = {"signing_secret": [self.signing_secret, self.ding_secret],
                         "key": [self.wecom_key], "access_token": [self.ding_token],
                         "password": [self.smtp_password, self.mqtt_password]}
        for rows in (
            [(self.tr("URL"), self.url), (self.tr("Signing secret"), self.signing_secret)],
            [(self.tr("Robot address"), self.wecom_url), (self.tr("Robot key"), self.wecom_key)],
            [(self.tr("Robot address"), self.ding_url),
             (self.tr("Access token"), self.ding_token),
             (self.tr("Signing secret"), self.ding_secret)],
            [(self.tr("SMTP server"), self.smtp_host), (self.tr("Port"), self.smtp_port),
             (self.tr("Security"), self.smtp_security), (self.tr("Sender"), self.smtp_sender),
             (self.tr("Recipients"), self.smtp_to), (self.tr("User name"), self.smtp_user),
             (self.tr("Password"), self.smtp_password), (self.tr("CA file"), self.smtp_ca)],
            [(self.tr("Broker"), self.mqtt_host), (self.tr("Port"), self.mqtt_port),
             ("", self.mqtt_tls), (self.tr("CA file"), self.mqtt_ca),
             (self.tr("User name"), self.mqtt_user), (self.tr("Password"), self.mqtt_password),
             (self.tr("Topic prefix"), self.mqtt_prefix)],
        ):
            page = QWidget()
            form = QFormLayout(page)
            form.setContentsMargins(0, 0, 0, 0)
            for label, widget in rows:
                form.addRow(label, widget)
            self.pages.addWidget(page)
        layout = QFormLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addRow(self.tr("Channel name"), self.name)
        layout.addRow(self.tr("Type"), self.type)
        layout.addRow(self.pages)
        self.show_stored(())

    def secret_label(self, part: str) -> str:
        return {"signing_secret": self.tr("Signing secret"), "key": self.tr("Robot key"),
                "access_token": self.tr("Access token"),
                "password": self.tr("Password")}.get(part, part)

    def kind_and_preset(self) -> tuple[str, str]:
        kind, _, preset = str(self.type.currentData()).partition(":")
        return kind, preset

    def show_stored(self, stored: tuple[str, ...]) -> None:
        """Placeholders say which secrets are stored; the fields themselves stay empty."""
        for part, fields in self._secrets.items():
            for field in fields:
                field.clear()
                field.setPlaceholderText(
                    self.tr("•••••• stored — type to replace") if part in stored
                    else self.tr("not set"))

    def clear(self) -> None:
        self.name.clear()
        self.url.clear()
        for field in (self.smtp_host, self.smtp_sender, self.smtp_to, self.smtp_user,
                      self.smtp_ca, self.mqtt_host, self.mqtt_user, self.mqtt_ca):
            field.clear()
        self.show_stored(())

    def show_channel(self, channel: ChannelView) -> None:
        config = channel.config
        preset = str(config.get("preset", "generic")) if channel.kind == "webhook" else ""
        index = self.type.findData(f"{channel.kind}:{preset}")
        self.type.setCurrentIndex(max(index, 0))
        self.name.setText(channel.name)
        url = str(config.get("url", ""))
        {"generic": self.url, "wecom": self.wecom_url, "dingtalk": self.ding_url}.get(
            preset, self.url).setText(url)
        if channel.kind == "email":
            self.smtp_host.setText(str(config.get("host", "")))
            self.smtp_port.setValue(int(config.get("port", 587)))
            self.smtp_security.setCurrentIndex(
                max(self.smtp_security.findData(config.get("security", "starttls")), 0))
            self.smtp_sender.setText(str(config.get("sender", "")))
            self.smtp_to.setText(", ".join(map(str, config.get("to", []))))
            self.smtp_user.setText(str(config.get("username", "")))
            self.smtp_ca.setText(str(config.get("ca_file", "")))
        if channel.kind == "mqtt":
            self.mqtt_host.setText(str(config.get("host", "")))
            self.mqtt_port.setValue(int(config.get("port", 1883)))
            self.mqtt_tls.setChecked(bool(config.get("tls", False)))
            self.mqtt_ca.setText(str(config.get("ca_file", "")))
            self.mqtt_user.setText(str(config.get("username", "")))
            self.mqtt_prefix.setText(str(config.get("topic_prefix", "commandroom/alerts")))
        self.show_stored(channel.stored_secrets)

    def definition(self) -> dict[str, Any]:
        """The channel as TeamService.save_channel takes it; empty secret fields are left
        out (the stored value is kept)."""
        kind, preset = self.kind_and_preset()
        out: dict[str, Any]
        if kind == "webhook":
            url = {"generic": self.url, "wecom": self.wecom_url,
                   "dingtalk": self.ding_url}[preset].text().strip()
            if preset == "wecom" and self.wecom_key.text():
                url = _with_query(url, "key", self.wecom_key.text())
            if preset == "dingtalk" and self.ding_token.text():
                url = _with_query(url, "access_token", self.ding_token.text())
            out = {"url": url, "preset": preset}
            secret = self.ding_secret if preset == "dingtalk" else self.signing_secret
            if preset != "wecom" and secret.text():
                out["signing_secret"] = secret.text()
        elif kind == "email":
            out = {"host": self.smtp_host.text().strip(), "port": self.smtp_port.value(),
                   "security": self.smtp_security.currentData(),
                   "sender": self.smtp_sender.text().strip(),
                   "to": [a.strip() for a in self.smtp_to.text().split(",") if a.strip()]}
            for key, field in (("username", self.smtp_user), ("ca_file", self.smtp_ca)):
                if field.text().strip():
                    out[key] = field.text().strip()
            if self.smtp_password.text():
                out["password"] = self.smtp_password.text()
        else:
            out = {"host": self.mqtt_host.text().strip(), "port": self.mqtt_port.value(),
                   "tls": self.mqtt_tls.isChecked(),
                   "topic_prefix": self.mqtt_prefix.text().strip() or "commandroom/alerts"}
            for key, field in (("username", self.mqtt_user), ("ca_file", self.mqtt_ca)):
                if field.text().strip():
                    out[key] = field.text().strip()
            if self.mqtt_password.text():
                out["password"] = self.mqtt_password.text()
        return out

    def forget_typed_secrets(self) -> None:
        for fields in self._secrets.values():
            for field in fields:
                field.clear()
