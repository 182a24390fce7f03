"""Alerts: routing rules pick teams, an outbox holds one delivery per team × channel, a
dispatcher thread sends them (webhook, e-mail, MQTT), teams acknowledge (MQTT, signed
link, or the officer in the console), and unacknowledged alerts are escalated."""
