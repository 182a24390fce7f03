"""The acknowledgement web page the teams open from a message, Chinese first with the
English beside it (like the messages themselves; the core has no Qt translator, so the
pairs are written here).

The page lists the team's members by name only (never their phone numbers): the person
acknowledging chooses themself from the list instead of typing a name.
"""

from __future__ import annotations

import html

from commandroom.alerts.acks import AckPageFacts

# AckRefused.code -> the Chinese sentence shown above the English reason.
REFUSALS: dict[str, str] = {
    "malformed": "此签收链接格式有误。",
    "forged": "此签收链接无效（签名不符）。",
    "expired": "此签收链接已过期，请电话向指挥室签收。",
    "used": "此告警已被签收，本次未计入。",
    "not_sent": "此告警未发给该队。",
    "no_members": "本队在指挥室没有登记队员，请电话向指挥室签收。",
    "unknown_member": "所选人员不是本队队员。",
    "bad_request": "请求有误，请使用告警消息中的链接。",
    "not_found": "此处没有内容。",
}
_STYLE = (
    "body{font-family:sans-serif;max-width:36em;margin:1em auto;padding:0 1em;"
    "background:#1e1f22;color:#e6e6e6;line-height:1.5}"
    "select,button{font-size:1.1em;padding:.4em;margin:.3em 0;width:100%}"
    "button{background:#2f6fd0;color:#fff;border:0;border-radius:4px}"
    ".en{color:#a8a8a8}.bad{color:#ff8080}"
)


def _pair(chinese: str, english: str, css: str = "") -> str:
    cls = f" class='{css}'" if css else ""
    return (f"<p{cls}>{html.escape(chinese)}<br>"
            f"<span class='en'>{html.escape(english)}</span></p>")


def page(title_zh: str, title_en: str, body: str) -> bytes:
    title = f"{title_zh} {title_en}"
    return (
        "<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width,initial-scale=1'>"
        f"<title>{html.escape(title)}</title><style>{_STYLE}</style></head><body>"
        f"<h1>{html.escape(title_zh)}<br><span class='en'>{html.escape(title_en)}</span></h1>"
        f"{body}</body></html>"
    ).encode()


def refused_page(code: str, reason: str) -> bytes:
    chinese = REFUSALS.get(code, "未能签收。")
    return page("未签收", "Not acknowledged", _pair(chinese, reason, "bad"))


def confirm_page(facts: AckPageFacts, token: str) -> bytes:
    options = "".join(
        f"<option value='{member.id}'>{html.escape(member.name)}</option>"
        for member in facts.members
    )
    body = (
        f"<p><b>告警 Alert #{facts.alert_id}</b>: {html.escape(facts.headline)}<br>"
        f"队伍 Team: {html.escape(facts.team_name)}</p>"
        + _pair("请确认本队已接手处置。", "Confirm that your team has it in hand.")
        + "<form method='post' action='/ack'>"
        f"<input type='hidden' name='t' value='{html.escape(token)}'>"
        "<label for='member'>签收人 <span class='en'>Who acknowledges</span></label>"
        "<select id='member' name='member' required>"
        "<option value=''>— 请选择 choose —</option>"
        f"{options}</select>"
        "<button type='submit'>签收 Acknowledge</button></form>"
    )
    return page("签收告警", "Acknowledge alert", body)


def done_page(name: str) -> bytes:
    return page("已签收", "Acknowledged", _pair(
        f"谢谢，{name}。指挥室已看到签收。", f"Thank you, {name}. The command room can see it."))
