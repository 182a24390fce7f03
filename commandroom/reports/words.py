"""The fixed words of the reports, one dict per language.

A PDF is not the console: it is written by the core (the command line writes it too,
without Qt or its translator), so the core owns these words as data. Each dict has the
same keys (a test checks); values are ``str.format`` templates. Where the console says
the same thing, the Chinese is the console's translation (resources/translations), so a
report reads like the screen it comes from.
"""

from __future__ import annotations

from enum import StrEnum

from commandroom.alerts.team_names import SEEDED_TEAMS, is_default_name
from commandroom.incidents.records import How, Outcome, State
from commandroom.statistics.records import Change, Metric, MonthComparison, Trend


class Lang(StrEnum):
    ZH_CN = "zh_CN"
    EN = "en"


ZH_CN: dict[str, str] = {
    # incident report
    "incident.title": "警情报告",
    "incident.number": "事件编号",
    "incident.heading": "标题",
    "incident.category": "类别",
    "incident.priority": "优先级",
    "incident.place": "地点",
    "incident.entries": "布控对象",
    "incident.state": "状态",
    "incident.opened": "创建",
    "incident.dispatched": "下发",
    "incident.acknowledged": "全部签收",
    "incident.on_scene": "到场",
    "incident.resolved": "结案",
    "incident.outcome": "处置结果",
    "incident.outcome_by": "结果确认",
    "incident.times": "用时",
    "incident.to_ack": "签收用时",
    "incident.to_scene": "到场用时",
    "incident.to_resolution": "处置用时",
    "incident.teams": "各队签收",
    "incident.team": "队伍",
    "incident.sent_at": "下发时间",
    "incident.acked_at": "签收时间",
    "incident.how": "方式",
    "incident.who": "签收人",
    "incident.not_acked": "未签收",
    "incident.timeline": "时间线",
    "incident.offset": "相对时间",
    "incident.time": "北京时间",
    "incident.event": "事项",
    "incident.picture": "快照",
    "incident.notes": "备注",
    "incident.exports": "导出的证据包",
    "incident.none": "无",
    "incident.by_at": "{when}，{by}",
    "incident.outcome_line": "{outcome} — {took}",
    "incident.outcome_who": "{by}记录（{detail}）",
    "sep": "，",
    "incident.no_team": "尚未下发给任何队伍",
    # timeline lines (as the console's timeline says them)
    "line.created": "{by} 创建警情 {number}：{title}",
    "line.sighting": "在 {place} 发现目标（{operator} 标记）",
    "line.alert": "{by} 发出告警 {alert}",
    "line.dispatched": "已下发给 {team}",
    "line.ack": "{team} {how}签收",
    "line.note": "{by} 备注：{text}",
    "line.export": "证据包 {ref}",
    "line.on_scene": "已到场，{how}",
    "line.resolved": "{outcome} — {took}",
    # monthly report
    "monthly.title": "月度报告",
    "monthly.month": "{year} 年 {month} 月",
    "monthly.comparison": "环比、同比",
    "monthly.figure": "指标",
    "monthly.this_month": "本月",
    "monthly.last_month": "上月",
    "monthly.last_year": "去年同月",
    "monthly.change": "变化 %",
    "monthly.sightings": "各路口发现数",
    "monthly.junction": "路口",
    "monthly.total": "合计",
    "monthly.days": "有发现的天数",
    "monthly.busiest": "最多的一天",
    "monthly.alerts": "各队各类告警数",
    "monthly.category": "类别",
    "monthly.count": "数量",
    "monthly.ack": "各队签收用时",
    "monthly.acked": "签收数",
    "monthly.median": "中位数",
    "monthly.resolution": "处置用时",
    "monthly.resolved": "已结案",
    "monthly.bucket": "分钟",
    "monthly.outcomes": "处置结果",
    "monthly.outcome": "结果",
    "monthly.incidents": "警情数",
    "monthly.empty": "本月无数据",
    # the station's sentences
    "sentence.year.down": "{name}同比下降 {percent} %",
    "sentence.year.up": "{name}同比上升 {percent} %",
    "sentence.year.flat": "{name}同比持平",
    "sentence.year.no_base": "{name}同比：无可比数据（去年同月为 0）",
    "sentence.month.down": "{name}环比下降 {percent} %",
    "sentence.month.up": "{name}环比上升 {percent} %",
    "sentence.month.flat": "{name}环比持平",
    "sentence.month.no_base": "{name}环比：无可比数据（上月为 0）",
    "metric.incidents": "警情数",
    "metric.caught": "抓获数",
    "metric.sightings": "发现数",
    "metric.alerts": "告警数",
    # both
    "made": "生成于 {when}（北京时间），生成人 {by}",
    "page": "第 {page} 页 / 共 {pages} 页",
    "seconds": "{n} 秒",
    "minutes": "{n} 分钟",
    "hours": "{h} 小时 {m} 分钟",
    "state.open": "待处置",
    "state.dispatched": "已下发",
    "state.acknowledged": "已签收",
    "state.on_scene": "已到场",
    "state.resolved": "已结案",
    "outcome.caught": "已抓获",
    "outcome.cleared": "已排除",
    "outcome.false_alarm": "误报",
    "outcome.handed_over": "已移交",
    "outcome.": "未结",
    "how.link": "通过消息中的链接",
    "how.mqtt": "通过外勤应用（MQTT）",
    "how.phone": "通过电话",
    "how.radio": "通过电台",
    "how.in person": "当面",
    "how.console": "在指挥台",
    "category.wanted": "在逃人员",
    "category.suspect": "嫌疑人",
    "category.missing_person": "失踪人员",
    "category.fraud_risk": "易受诈骗人员",
    "category.other": "其他",
    "priority.normal": "普通",
    "priority.high": "紧急",
}

EN: dict[str, str] = {
    "incident.title": "Incident report",
    "incident.number": "Incident number",
    "incident.heading": "Title",
    "incident.category": "Category",
    "incident.priority": "Priority",
    "incident.place": "Place",
    "incident.entries": "Watch-list entries",
    "incident.state": "State",
    "incident.opened": "Opened",
    "incident.dispatched": "Dispatched",
    "incident.acknowledged": "Acknowledged by all",
    "incident.on_scene": "On scene",
    "incident.resolved": "Resolved",
    "incident.outcome": "Outcome",
    "incident.outcome_by": "Outcome given by",
    "incident.times": "Times",
    "incident.to_ack": "To acknowledge",
    "incident.to_scene": "To scene",
    "incident.to_resolution": "To resolution",
    "incident.teams": "Teams",
    "incident.team": "Team",
    "incident.sent_at": "Sent at",
    "incident.acked_at": "Acknowledged at",
    "incident.how": "How",
    "incident.who": "Who",
    "incident.not_acked": "not acknowledged",
    "incident.timeline": "Timeline",
    "incident.offset": "From opening",
    "incident.time": "Beijing time",
    "incident.event": "What happened",
    "incident.picture": "Snapshot",
    "incident.notes": "Notes",
    "incident.exports": "Evidence packages exported",
    "incident.none": "none",
    "incident.by_at": "{when}, {by}",
    "incident.outcome_line": "{outcome} — {took}",
    "incident.outcome_who": "recorded by {by} ({detail})",
    "sep": ", ",
    "incident.no_team": "not sent to any team yet",
    "line.created": "Incident {number} opened by {by}: {title}",
    "line.sighting": "Sighting at {place} (tagged by {operator})",
    "line.alert": "Alert {alert} sent by {by}",
    "line.dispatched": "Sent to {team}",
    "line.ack": "{team} acknowledged {how}",
    "line.note": "Note by {by}: {text}",
    "line.export": "Evidence package {ref}",
    "line.on_scene": "On scene, {how}",
    "line.resolved": "{outcome} — {took}",
    "monthly.title": "Monthly report",
    "monthly.month": "{year}-{month:02d}",
    "monthly.comparison": "Month on month, year on year",
    "monthly.figure": "Figure",
    "monthly.this_month": "This month",
    "monthly.last_month": "Last month",
    "monthly.last_year": "Same month last year",
    "monthly.change": "Change %",
    "monthly.sightings": "Sightings per junction",
    "monthly.junction": "Junction",
    "monthly.total": "Total",
    "monthly.days": "Days with sightings",
    "monthly.busiest": "Busiest day",
    "monthly.alerts": "Alerts per team and category",
    "monthly.category": "Category",
    "monthly.count": "Count",
    "monthly.ack": "Time to acknowledge per team",
    "monthly.acked": "Acknowledged",
    "monthly.median": "Median",
    "monthly.resolution": "Time to resolution",
    "monthly.resolved": "Resolved",
    "monthly.bucket": "Minutes",
    "monthly.outcomes": "Outcomes",
    "monthly.outcome": "Outcome",
    "monthly.incidents": "Incidents",
    "monthly.empty": "nothing this month",
    "sentence.year.down": "{name} down {percent} % on the same month last year",
    "sentence.year.up": "{name} up {percent} % on the same month last year",
    "sentence.year.flat": "{name} unchanged on the same month last year",
    "sentence.year.no_base": "{name}: no base for comparison (none in the same month "
                             "last year)",
    "sentence.month.down": "{name} down {percent} % on last month",
    "sentence.month.up": "{name} up {percent} % on last month",
    "sentence.month.flat": "{name} unchanged on last month",
    "sentence.month.no_base": "{name}: no base for comparison (none last month)",
    "metric.incidents": "Reported incidents",
    "metric.caught": "Suspects caught",
    "metric.sightings": "Sightings",
    "metric.alerts": "Alerts",
    "made": "Made {when} (Beijing time) by {by}",
    "page": "Page {page} of {pages}",
    "seconds": "{n} s",
    "minutes": "{n} min",
    "hours": "{h} h {m} min",
    "state.open": "open",
    "state.dispatched": "sent to the teams",
    "state.acknowledged": "acknowledged",
    "state.on_scene": "on scene",
    "state.resolved": "resolved",
    "outcome.caught": "caught",
    "outcome.cleared": "cleared",
    "outcome.false_alarm": "false alarm",
    "outcome.handed_over": "handed over",
    "outcome.": "open",
    "how.link": "by the link in the message",
    "how.mqtt": "by the field app (MQTT)",
    "how.phone": "by phone",
    "how.radio": "by radio",
    "how.in person": "in person",
    "how.console": "at the console",
    "category.wanted": "Wanted",
    "category.suspect": "Suspect",
    "category.missing_person": "Missing person",
    "category.fraud_risk": "Fraud risk",
    "category.other": "Other",
    "priority.normal": "normal",
    "priority.high": "high",
}

WORDS: dict[Lang, dict[str, str]] = {Lang.ZH_CN: ZH_CN, Lang.EN: EN}


class Words:
    """The words of one language, and the values the reports put in sentences."""

    def __init__(self, lang: Lang | str) -> None:
        self.lang = Lang(lang)
        self._words = WORDS[self.lang]

    def __call__(self, key: str, **values: object) -> str:
        return self._words[key].format(**values)

    def _coded(self, prefix: str, code: str) -> str:
        """A code's word; an unknown code (a category added later) as it is."""
        return self._words.get(f"{prefix}.{code}", code)

    def state(self, state: State | str) -> str:
        return self._coded("state", str(state))

    def outcome(self, outcome: Outcome | str | None) -> str:
        return self._coded("outcome", str(outcome or ""))

    def how(self, how: How | str) -> str:
        return self._coded("how", str(how)) if how else ""

    def category(self, category: str) -> str:
        return self._coded("category", category)

    def priority(self, priority: str) -> str:
        return self._coded("priority", priority)

    def metric(self, metric: Metric) -> str:
        return self._coded("metric", metric.value)

    def team(self, key: str, name: str) -> str:
        """A seeded team in the report's language until an administrator renames it."""
        if is_default_name(key, name) and self.lang is Lang.ZH_CN:
            return SEEDED_TEAMS[key][1]
        return name

    def team_named(self, name: str) -> str:
        """A team known only by its name (the statistics'): a seeded one's default name
        is that team's."""
        keys = [key for key, (default, _) in SEEDED_TEAMS.items() if default == name]
        return self.team(keys[0], name) if keys else name

    def duration(self, seconds: float) -> str:
        """"47 min", "1 h 05 min", "40 s": whole minutes gone, as the console says them."""
        whole = int(seconds)
        if whole < 60:
            return self("seconds", n=whole)
        minutes = whole // 60
        if minutes < 60:
            return self("minutes", n=minutes)
        return self("hours", h=minutes // 60, m=f"{minutes % 60:02d}")

    def comparison(self, comparison: MonthComparison) -> tuple[str, str]:
        """The station's two sentences for one figure: year on year, month on month."""
        name = self.metric(comparison.metric)
        return (self._sentence("year", name, comparison.vs_last_year),
                self._sentence("month", name, comparison.vs_last_month))

    def _sentence(self, against: str, name: str, change: Change) -> str:
        # Nothing before is no base, also when there is nothing now: 0 against 0 is not
        # "unchanged", it says nothing.
        trend = "no_base" if change.earlier == 0 else change.trend.value
        return self(f"sentence.{against}.{trend}", name=name, percent=percent_text(change))


def percent_text(change: Change) -> str:
    """The whole percent; a change that rounds to 0 % is "<1": it went down (or up), it
    is not "down 0 %"."""
    return "<1" if change.percent == 0 and change.trend in (Trend.UP, Trend.DOWN) \
        else str(change.percent)
