"""The team robots' published rules, in one place, and what their answers mean.

WeCom group robot ("群机器人配置说明", developer.work.weixin.qq.com/document/path/91770
and /99398):
- POST JSON to ``…/cgi-bin/webhook/send?key=KEY``; a refusal is HTTP 200 with
  ``errcode`` ≠ 0 (93000 "invalid webhook url" for a bad key).
- ``text.content``: "最长不超过2048个字节，必须是utf8编码" — at most 2,048 UTF-8 bytes.
- ``markdown.content``: "最长不超过4096个字节" — at most 4,096 bytes; more is refused
  with 40058 "markdown.content exceed max length 4096" (seen in the field, e.g.
  github.com/dromara/domain-admin/issues/82).
- ``image``: ``base64`` of the picture and ``md5`` of the picture before base64;
  "图片（base64编码前）最大不能超过2M，支持JPG,PNG格式". A wrong MD5 answers 301019
  "media md5 not match"; a picture too large 40009.
- "每个机器人发送的消息不能超过20条/分钟" — 20 messages a minute per robot; more is
  refused with 45009 "api freq out of limit".

DingTalk custom robot ("自定义机器人接入" / "自定义机器人安全设置",
open.dingtalk.com/document/robots/custom-robot-access and …/customize-robot-security-settings):
- POST JSON to ``…/robot/send?access_token=TOKEN``; with the "加签" security setting add
  ``timestamp`` (ms) and ``sign`` = urlencode(Base64(HMAC-SHA256(secret,
  "timestamp\\nsecret"))). The timestamp "与请求调用时间误差不能超过1小时" — must be
  within 1 h of DingTalk's clock, else 310000 "invalid timestamp" (a wrong sign is
  310000 "sign not match"; a missing keyword 310000 "keywords not in content").
- "每个机器人每分钟最多发送20条消息到群里，如果超过20条，会限流10分钟" — 20 a minute, then
  throttled for 10 minutes; the answer is 130101 "send too fast, exceed 20 times per
  minute".
- Size: the request body must stay within 20,000 bytes — 460101 "message too long,
  exceed 20000 bytes" (github.com/timonwong/prometheus-webhook-dingtalk/issues/30), newer
  answers say "body 大小不合法… 请保持大小在 20000bytes 以内".
- Pictures only by URL (markdown ``![](url)``, link ``picUrl``): DingTalk fetches them,
  so the URL must be reachable from the internet.
- An unknown access_token answers 300001 "token is not exist".
"""

from __future__ import annotations

from dataclasses import dataclass

WECOM = "wecom"
DINGTALK = "dingtalk"

WECOM_TEXT_MAX_BYTES = 2048
WECOM_MARKDOWN_MAX_BYTES = 4096
WECOM_IMAGE_MAX_BYTES = 2 * 1024 * 1024  # the raw JPEG/PNG, before base64
DINGTALK_BODY_MAX_BYTES = 20000  # the whole JSON request body
DINGTALK_TIMESTAMP_WINDOW_S = 3600.0

MESSAGES_PER_MINUTE = 20
# How long a robot refuses after saying "too fast": WeCom counts per minute; DingTalk
# throttles for 10 minutes.
RATE_LIMIT_PAUSE_S = {WECOM: 60.0, DINGTALK: 600.0}

RATE_LIMITED = {WECOM: {45009}, DINGTALK: {130101}}
BAD_KEY = {WECOM: {93000}, DINGTALK: {300001, 300005}}
TOO_LONG = {WECOM: {40058}, DINGTALK: {460101}}
SIGN_REFUSED = {DINGTALK: {310000}}
IMAGE_REFUSED = {WECOM: {40005, 40009, 301019}}
# "System busy": the platforms ask to try again.
BUSY = {-1}


@dataclass(frozen=True)
class RobotAnswer:
    """What one refusal means for us. ``kind``: rate_limited | bad_key | too_long |
    sign_refused | image_refused | busy | refused."""

    platform: str
    errcode: int
    errmsg: str
    kind: str

    @property
    def transient(self) -> bool:
        return self.kind in ("busy", "rate_limited")


def classify(platform: str, errcode: int, errmsg: str) -> RobotAnswer:
    for kind, table in (
        ("rate_limited", RATE_LIMITED),
        ("bad_key", BAD_KEY),
        ("too_long", TOO_LONG),
        ("sign_refused", SIGN_REFUSED),
        ("image_refused", IMAGE_REFUSED),
    ):
        if errcode in table.get(platform, set()):
            return RobotAnswer(platform, errcode, errmsg, kind)
    if errcode in BUSY:
        return RobotAnswer(platform, errcode, errmsg, "busy")
    return RobotAnswer(platform, errcode, errmsg, "refused")
