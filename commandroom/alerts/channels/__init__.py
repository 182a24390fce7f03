"""The ways a team is reached: signed webhooks (plain, WeCom, DingTalk), e-mail, MQTT."""
