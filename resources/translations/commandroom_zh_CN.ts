<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AckDialog</name>
    <message>
        <source>Acknowledged by %1</source>
        <translation>%1 已签收</translation>
    </message>
    <message>
        <source>Loading the team&apos;s members…</source>
        <translation>正在读取本队队员……</translation>
    </message>
    <message>
        <source>phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>radio</source>
        <translation>对讲机</translation>
    </message>
    <message>
        <source>in person</source>
        <translation>当面</translation>
    </message>
    <message>
        <source>Who</source>
        <translation>签收人</translation>
    </message>
    <message>
        <source>How</source>
        <translation>方式</translation>
    </message>
    <message>
        <source>Nobody on file for this team: type who confirmed</source>
        <translation>本队没有登记队员：请输入确认人的姓名</translation>
    </message>
</context>
<context>
    <name>AddCameraWizard</name>
    <message>
        <source>Add camera by ONVIF</source>
        <translation>通过 ONVIF 添加摄像机</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>正在保存…</translation>
    </message>
    <message>
        <source>You are not allowed to add cameras.</source>
        <translation>您无权添加摄像机。</translation>
    </message>
</context>
<context>
    <name>AlertBanner</name>
    <message>
        <source>POSSIBLE SIGHTING: %1</source>
        <translation>疑似发现：%1</translation>
    </message>
    <message>
        <source>ALERT: %1</source>
        <translation>告警：%1</translation>
    </message>
    <message>
        <source>%1 · %2 · seen at %3 · %4</source>
        <translation>%1 · %2 · %3 发现 · %4</translation>
    </message>
    <message>
        <source>no picture</source>
        <translation>无图像</translation>
    </message>
</context>
<context>
    <name>AlertPanel</name>
    <message>
        <source>All alerts</source>
        <translation>全部告警</translation>
    </message>
    <message>
        <source>Open (not acknowledged by all)</source>
        <translation>未处理（尚未全部签收）</translation>
    </message>
    <message>
        <source>Escalated</source>
        <translation>已升级</translation>
    </message>
    <message>
        <source>All teams</source>
        <translation>全部队伍</translation>
    </message>
    <message>
        <source>Acknowledged by phone/radio…</source>
        <translation>电话/对讲机签收…</translation>
    </message>
    <message>
        <source>Make an incident of this alert</source>
        <translation>将此告警立为警情</translation>
    </message>
    <message>
        <source>Alert</source>
        <translation>告警</translation>
    </message>
    <message>
        <source>Team</source>
        <translation>队伍</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Channels</source>
        <translation>推送渠道</translation>
    </message>
    <message>
        <source>Acknowledged</source>
        <translation>签收</translation>
    </message>
    <message>
        <source>Time to ack</source>
        <translation>签收用时</translation>
    </message>
    <message>
        <source>Your role cannot see alerts.</source>
        <translation>您的角色无权查看告警。</translation>
    </message>
    <message>
        <source>The alerts could not be read (%1).</source>
        <translation>无法读取告警（%1）。</translation>
    </message>
    <message>
        <source>camera %1 · sent by %2 · sighting #%3</source>
        <translation>摄像机 %1 · 发送人 %2 · 发现记录 #%3</translation>
    </message>
    <message>
        <source>%1 by %2 (%3)</source>
        <translation>%1 由 %2 签收（%3）</translation>
    </message>
    <message>
        <source>escalated ×%1</source>
        <translation>已升级 ×%1</translation>
    </message>
    <message>
        <source>(escalated ×%1)</source>
        <translation>（已升级 ×%1）</translation>
    </message>
    <message>
        <source>%1 %2: %3, %4 attempt(s)</source>
        <translation>%1 %2：%3，已尝试 %4 次</translation>
    </message>
    <message>
        <source>no channel configured</source>
        <translation>未配置推送渠道</translation>
    </message>
    <message>
        <source>incident resolved, no more reminders</source>
        <translation>警情已结案，不再提醒</translation>
    </message>
    <message>
        <source>This team has no enabled channel, so nothing was sent: phone the team, and set up its channels under Alerts → Teams and channels (Ctrl+Shift+M).</source>
        <translation>该队伍没有启用的推送渠道，告警未发出：请电话通知该队伍，并在“告警 → 队伍与推送渠道”（Ctrl+Shift+M）中配置其推送渠道。</translation>
    </message>
    <message>
        <source>phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>radio</source>
        <translation>对讲机</translation>
    </message>
    <message>
        <source>in person</source>
        <translation>当面</translation>
    </message>
    <message>
        <source>MQTT</source>
        <translation>MQTT</translation>
    </message>
    <message>
        <source>link</source>
        <translation>链接</translation>
    </message>
    <message>
        <source>queued</source>
        <translation>排队中</translation>
    </message>
    <message>
        <source>sent</source>
        <translation>已发送</translation>
    </message>
    <message>
        <source>delivered</source>
        <translation>已送达</translation>
    </message>
    <message>
        <source>acknowledged</source>
        <translation>已签收</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>escalated</source>
        <translation>已升级</translation>
    </message>
    <message>
        <source>retrying</source>
        <translation>重试中</translation>
    </message>
    <message>
        <source>There is no alert to make an incident of.</source>
        <translation>没有可立为警情的告警。</translation>
    </message>
    <message>
        <source>Alert #%1 chosen: press the key again to make an incident of it (or choose another with the arrows).</source>
        <translation>已选中告警 #%1：再按一次该快捷键即立为警情（或用方向键另选）。</translation>
    </message>
    <message>
        <source>The acknowledgement could not be recorded (%1).</source>
        <translation>未能记录签收（%1）。</translation>
    </message>
</context>
<context>
    <name>AlertSendDialog</name>
    <message>
        <source>Send alert — %1</source>
        <translation>发送告警 — %1</translation>
    </message>
    <message>
        <source>Also send to</source>
        <translation>同时发送给</translation>
    </message>
    <message>
        <source>A line for the teams (optional)</source>
        <translation>给队伍的附言（可选）</translation>
    </message>
    <message>
        <source>Send (Enter)</source>
        <translation>发送 (Enter)</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>No team yet: each team you tick gets</source>
        <translation>尚未选择队伍：勾选的每个队伍将收到</translation>
    </message>
    <message>
        <source>no channel configured</source>
        <translation>未配置推送渠道</translation>
    </message>
    <message>
        <source>%1 (%2) — %3</source>
        <translation>%1（%2）— %3</translation>
    </message>
    <message>
        <source>The station&apos;s routing rules send it to this team.</source>
        <translation>本所的路由规则会把它发给这个队。</translation>
    </message>
    <message>
        <source>Sending…</source>
        <translation>正在发送…</translation>
    </message>
    <message>
        <source>The alert could not be sent (%1).</source>
        <translation>告警发送失败（%1）。</translation>
    </message>
</context>
<context>
    <name>AlertTexts</name>
    <message>
        <source>Community policing</source>
        <translation>社区警务队</translation>
    </message>
    <message>
        <source>Case handling</source>
        <translation>案件办理队</translation>
    </message>
    <message>
        <source>high priority</source>
        <translation>高优先级</translation>
    </message>
    <message>
        <source>normal priority</source>
        <translation>普通优先级</translation>
    </message>
    <message>
        <source>high</source>
        <translation>高</translation>
    </message>
    <message>
        <source>normal</source>
        <translation>普通</translation>
    </message>
    <message>
        <source>wanted</source>
        <translation>通缉</translation>
    </message>
    <message>
        <source>suspect</source>
        <translation>嫌疑</translation>
    </message>
    <message>
        <source>missing person</source>
        <translation>失踪人员</translation>
    </message>
    <message>
        <source>fraud risk</source>
        <translation>易受骗</translation>
    </message>
    <message>
        <source>other</source>
        <translation>其他</translation>
    </message>
    <message>
        <source>That team no longer exists; close this window and tag again.</source>
        <translation>该队伍已不存在；请关闭此窗口后重新标记。</translation>
    </message>
    <message>
        <source>No routing rule sends a “%1” alert to a team: tick at least one team under “Also send to”.</source>
        <translation>没有路由规则把“%1”类告警发给任何队伍：请在“同时发送给”下至少勾选一个队伍。</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>URGENT — %1</source>
        <translation>紧急 — %1</translation>
    </message>
    <message>
        <source>WeCom robot</source>
        <translation>企业微信机器人</translation>
    </message>
    <message>
        <source>DingTalk robot</source>
        <translation>钉钉机器人</translation>
    </message>
    <message>
        <source>Webhook</source>
        <translation>Webhook</translation>
    </message>
    <message>
        <source>E-mail (SMTP)</source>
        <translation>电子邮件（SMTP）</translation>
    </message>
    <message>
        <source>MQTT</source>
        <translation>MQTT</translation>
    </message>
    <message>
        <source>no address the teams&apos; phones can reach is set (alerts.ack_public_url)</source>
        <translation>未设置队员手机可以访问的地址（alerts.ack_public_url）</translation>
    </message>
    <message>
        <source>alerts.ack_public_url must start with https://</source>
        <translation>alerts.ack_public_url 必须以 https:// 开头</translation>
    </message>
    <message>
        <source>alerts.ack_public_url names this computer (loopback, 0.0.0.0 or link-local), which a phone cannot reach</source>
        <translation>alerts.ack_public_url 指向本机（回环、0.0.0.0 或链路本地地址），手机无法访问</translation>
    </message>
    <message>
        <source>alerts.ack_public_url is not a valid https:// address</source>
        <translation>alerts.ack_public_url 不是有效的 https:// 地址</translation>
    </message>
    <message>
        <source>the acknowledgement endpoint could not start</source>
        <translation>签收服务未能启动</translation>
    </message>
    <message>
        <source>Acknowledgement links are off: %1. Teams are asked to acknowledge by phone (see README, “Acknowledgement links”).</source>
        <translation>签收链接已关闭：%1。消息将请各队电话签收（见 README“签收链接”一节）。</translation>
    </message>
    <message>
        <source>HTTP %1</source>
        <translation>HTTP %1</translation>
    </message>
    <message>
        <source>errcode %1</source>
        <translation>errcode %1</translation>
    </message>
    <message>
        <source>errmsg “%1”</source>
        <translation>errmsg“%1”</translation>
    </message>
    <message>
        <source>accepted by the mail relay %1</source>
        <translation>邮件服务器 %1 已接收</translation>
    </message>
    <message>
        <source>broker acknowledged (PUBACK) on %1</source>
        <translation>消息服务器已确认（PUBACK），%1</translation>
    </message>
    <message>
        <source>Test message accepted (%1 ms).</source>
        <translation>测试消息已被接收（%1 毫秒）。</translation>
    </message>
    <message>
        <source>Test message NOT accepted (%1 ms).</source>
        <translation>测试消息未被接收（%1 毫秒）。</translation>
    </message>
    <message>
        <source>Answer: %1</source>
        <translation>平台应答：%1</translation>
    </message>
    <message>
        <source>Reason: %1</source>
        <translation>原因：%1</translation>
    </message>
    <message>
        <source>This looks temporary (network or server busy); alerts would be retried.</source>
        <translation>这似乎是暂时性问题（网络或服务器繁忙）；告警会自动重试。</translation>
    </message>
    <message>
        <source>This team has already acknowledged the alert; this one was not counted.</source>
        <translation>该队已签收此告警；本次签收未计入。</translation>
    </message>
    <message>
        <source>The person chosen is not a member of this team.</source>
        <translation>所选人员不是本队队员。</translation>
    </message>
    <message>
        <source>This alert was not sent to that team.</source>
        <translation>此告警未发给该队。</translation>
    </message>
</context>
<context>
    <name>AlertsUi</name>
    <message>
        <source>Alerts</source>
        <translation>告警</translation>
    </message>
    <message>
        <source>Alert #%1 escalated: a team has not acknowledged it.</source>
        <translation>告警 #%1 已升级：有队伍尚未签收。</translation>
    </message>
    <message>
        <source>&amp;Alerts</source>
        <translation>告警(&amp;A)</translation>
    </message>
    <message>
        <source>Send alert for the last sighting…</source>
        <translation>为最近的发现记录发送告警…</translation>
    </message>
    <message>
        <source>Make an incident of this alert</source>
        <translation>将此告警立为警情</translation>
    </message>
    <message>
        <source>Teams and channels…</source>
        <translation>队伍与推送渠道……</translation>
    </message>
    <message>
        <source>⚠ Ack links off: teams acknowledge by phone</source>
        <translation>⚠ 签收链接已关闭：各队电话签收</translation>
    </message>
    <message>
        <source>Tag a sighting first.</source>
        <translation>请先标记一条发现记录。</translation>
    </message>
    <message>
        <source>Your role may not send alerts.</source>
        <translation>您的角色无权发送告警。</translation>
    </message>
    <message>
        <source>The alert could not be sent (%1).</source>
        <translation>告警发送失败（%1）。</translation>
    </message>
    <message>
        <source>Alert #%1 is on its way to the teams.</source>
        <translation>告警 #%1 正在推送给各队伍。</translation>
    </message>
    <message>
        <source>Teams and channels</source>
        <translation>队伍与推送渠道</translation>
    </message>
</context>
<context>
    <name>App</name>
    <message>
        <source>Unlock the console first, then quit.</source>
        <translation>请先解锁值班台，再退出。</translation>
    </message>
    <message>
        <source>No cameras yet</source>
        <translation>尚无摄像机</translation>
    </message>
    <message>
        <source>There are no cameras yet. Create four demo junction cameras (generated on this computer, no network needed)?</source>
        <translation>尚无摄像机。是否创建四台演示路口摄像机（在本机生成，无需网络）？</translation>
    </message>
    <message>
        <source>Command room</source>
        <translation>指挥室</translation>
    </message>
</context>
<context>
    <name>AuditDialog</name>
    <message>
        <source>Audit trail</source>
        <translation>审计日志</translation>
    </message>
    <message>
        <source>username</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>e.g. auth.</source>
        <translation>例如 auth.</translation>
    </message>
    <message>
        <source>anywhere in the event</source>
        <translation>事件中任意位置</translation>
    </message>
    <message>
        <source>From</source>
        <translation>起始</translation>
    </message>
    <message>
        <source>Until</source>
        <translation>截止</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>搜索</translation>
    </message>
    <message>
        <source>Clear filters</source>
        <translation>清除筛选</translation>
    </message>
    <message>
        <source>Operator</source>
        <translation>操作员</translation>
    </message>
    <message>
        <source>Action starts with</source>
        <translation>操作前缀</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>文本</translation>
    </message>
    <message>
        <source>Verify chain</source>
        <translation>校验链</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>导出 CSV…</translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation>正在搜索…</translation>
    </message>
    <message>
        <source>Showing the newest %1 matching events; narrow the filters to see older ones.</source>
        <translation>显示最新的 %1 条匹配事件；缩小筛选范围可查看更早的事件。</translation>
    </message>
    <message>
        <source>%1 matching events.</source>
        <translation>%1 条匹配事件。</translation>
    </message>
    <message>
        <source>Verifying the chain…</source>
        <translation>正在校验链…</translation>
    </message>
    <message>
        <source>Chain intact: %1 events</source>
        <translation>链完整：%1 条事件</translation>
    </message>
    <message>
        <source>Newest hash: %1</source>
        <translation>最新哈希：%1</translation>
    </message>
    <message>
        <source>NOT VERIFIED: %1</source>
        <translation>未能核验：%1</translation>
    </message>
    <message>
        <source>BROKEN at event #%1: %2</source>
        <translation>链在事件 #%1 处断裂：%2</translation>
    </message>
    <message>
        <source>(that event is not among the rows shown)</source>
        <translation>（该事件不在当前显示的行中）</translation>
    </message>
    <message>
        <source>Export audit trail</source>
        <translation>导出审计日志</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <source>Exporting…</source>
        <translation>正在导出…</translation>
    </message>
    <message>
        <source>Exported %1 events to %2</source>
        <translation>已将 %1 条事件导出到 %2</translation>
    </message>
    <message>
        <source>Unexpected failure (%1); see the log.</source>
        <translation>意外失败（%1），请查看日志。</translation>
    </message>
</context>
<context>
    <name>AuditTableModel</name>
    <message>
        <source>#</source>
        <translation>#</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Operator</source>
        <translation>操作员</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Subject</source>
        <translation>对象</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>详情</translation>
    </message>
</context>
<context>
    <name>AuthUi</name>
    <message>
        <source>&amp;Operator</source>
        <translation>操作员(&amp;O)</translation>
    </message>
    <message>
        <source>Lock console</source>
        <translation>锁定值班台</translation>
    </message>
    <message>
        <source>Hand over…</source>
        <translation>交班…</translation>
    </message>
    <message>
        <source>Change password…</source>
        <translation>修改密码…</translation>
    </message>
    <message>
        <source>Operators…</source>
        <translation>操作员管理…</translation>
    </message>
    <message>
        <source>Audit trail…</source>
        <translation>审计日志…</translation>
    </message>
    <message>
        <source>Operator: %1</source>
        <translation>操作员：%1</translation>
    </message>
    <message>
        <source>Audit trail</source>
        <translation>审计日志</translation>
    </message>
    <message>
        <source>Operators</source>
        <translation>操作员管理</translation>
    </message>
</context>
<context>
    <name>BootstrapDialog</name>
    <message>
        <source>Create administrator</source>
        <translation>创建管理员</translation>
    </message>
    <message>
        <source>First start</source>
        <translation>首次启动</translation>
    </message>
    <message>
        <source>No operator account exists yet. Create the administrator account now; there is no default password. Choose a password of at least %1 characters and keep it safe: the administrator creates everybody else&apos;s accounts.</source>
        <translation>尚无操作员账户。请立即创建管理员账户；系统没有默认密码。请设置至少 %1 个字符的密码并妥善保管：其他所有人的账户均由管理员创建。</translation>
    </message>
    <message>
        <source>e.g. admin</source>
        <translation>例如 admin</translation>
    </message>
    <message>
        <source>Username</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Full name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Repeat password</source>
        <translation>确认密码</translation>
    </message>
    <message>
        <source>Quit?</source>
        <translation>退出？</translation>
    </message>
    <message>
        <source>Quit without creating the administrator? Nobody can use the console until it exists; the next start asks again.</source>
        <translation>不创建管理员就退出？在管理员账号建立之前，任何人都无法使用值班台；下次启动时会再次询问。</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Go on</source>
        <translation>继续填写(&amp;G)</translation>
    </message>
</context>
<context>
    <name>CameraActions</name>
    <message>
        <source>Not allowed</source>
        <translation>无权操作</translation>
    </message>
    <message>
        <source>Delete camera</source>
        <translation>删除摄像机</translation>
    </message>
    <message>
        <source>Delete camera “%1”? Its layouts lose this tile.</source>
        <translation>删除摄像机“%1”？相关布局中将移除该画面。</translation>
    </message>
    <message>
        <source>Add group</source>
        <translation>添加分组</translation>
    </message>
    <message>
        <source>Area or junction group name:</source>
        <translation>区域或路口分组名称：</translation>
    </message>
    <message>
        <source>Rename group</source>
        <translation>重命名分组</translation>
    </message>
    <message>
        <source>New name:</source>
        <translation>新名称：</translation>
    </message>
    <message>
        <source>Delete group</source>
        <translation>删除分组</translation>
    </message>
    <message>
        <source>Delete group “%1”? Its cameras are kept, ungrouped.</source>
        <translation>删除分组“%1”？其中的摄像机将保留，变为未分组。</translation>
    </message>
    <message>
        <source>Import cameras</source>
        <translation>导入摄像机</translation>
    </message>
    <message>
        <source>CSV files (*.csv *.txt);;All files (*)</source>
        <translation>CSV 文件 (*.csv *.txt);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Importing cameras from %1…</source>
        <translation>正在从 %1 导入摄像机…</translation>
    </message>
    <message>
        <source>Nothing was imported from %1: %2</source>
        <translation>未从 %1 导入任何内容：%2</translation>
    </message>
    <message>
        <source>%1 camera(s) imported.</source>
        <translation>已导入 %1 台摄像机。</translation>
    </message>
    <message>
        <source>%1 row(s) not imported:</source>
        <translation>%1 行未导入：</translation>
    </message>
    <message>
        <source>line %1: %2</source>
        <translation>第 %1 行：%2</translation>
    </message>
    <message>
        <source>Accepted encodings: %1.</source>
        <translation>可接受的编码：%1。</translation>
    </message>
    <message>
        <source>Export cameras</source>
        <translation>导出摄像机</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
</context>
<context>
    <name>CameraDialog</name>
    <message>
        <source>Edit camera</source>
        <translation>编辑摄像机</translation>
    </message>
    <message>
        <source>Add camera</source>
        <translation>添加摄像机</translation>
    </message>
    <message>
        <source>unchanged</source>
        <translation>未更改</translation>
    </message>
    <message>
        <source>Camera can pan, tilt and zoom</source>
        <translation>摄像机支持云台/变焦</translation>
    </message>
    <message>
        <source>Enabled</source>
        <translation>启用</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Junction</source>
        <translation>路口</translation>
    </message>
    <message>
        <source>Group</source>
        <translation>分组</translation>
    </message>
    <message>
        <source>Main stream URL</source>
        <translation>主码流 URL</translation>
    </message>
    <message>
        <source>Sub stream URL</source>
        <translation>子码流 URL</translation>
    </message>
    <message>
        <source>Transport</source>
        <translation>传输方式</translation>
    </message>
    <message>
        <source>User</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>ONVIF address</source>
        <translation>ONVIF 地址</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>正在保存…</translation>
    </message>
</context>
<context>
    <name>CameraEventFields</name>
    <message>
        <source>None</source>
        <translation>无</translation>
    </message>
    <message>
        <source>ONVIF (PullPoint)</source>
        <translation>ONVIF（PullPoint 拉取）</translation>
    </message>
    <message>
        <source>Hikvision (ISAPI alert stream)</source>
        <translation>海康威视（ISAPI 报警流）</translation>
    </message>
    <message>
        <source>Dahua (event manager)</source>
        <translation>大华（事件管理）</translation>
    </message>
    <message>
        <source>Empty: from the ONVIF address, or the camera&apos;s host</source>
        <translation>留空：取自 ONVIF 地址或摄像机的主机</translation>
    </message>
    <message>
        <source>http:// or https:// address of the camera&apos;s (or NVR&apos;s) events. A user name and password typed in it are moved to the encrypted secret store.</source>
        <translation>摄像机（或 NVR）事件的 http:// 或 https:// 地址。其中填写的用户名和密码会移入加密的密钥库。</translation>
    </message>
    <message>
        <source>The camera&apos;s input number on the NVR (Hikvision and Dahua through a recorder); 1 for a camera itself.</source>
        <translation>摄像机在 NVR 上的通道号（经录像机接入的海康、大华设备）；摄像机本身填 1。</translation>
    </message>
    <message>
        <source>Local motion detection (uses this computer&apos;s CPU: the sub stream at 5 fps)</source>
        <translation>本地移动侦测（占用本机 CPU：子码流，每秒 5 帧）</translation>
    </message>
    <message>
        <source>Camera events</source>
        <translation>摄像机事件</translation>
    </message>
    <message>
        <source>Event address</source>
        <translation>事件地址</translation>
    </message>
    <message>
        <source>NVR channel</source>
        <translation>NVR 通道</translation>
    </message>
</context>
<context>
    <name>CameraEventTexts</name>
    <message>
        <source>Motion</source>
        <translation>移动侦测</translation>
    </message>
    <message>
        <source>Line crossed</source>
        <translation>越线</translation>
    </message>
    <message>
        <source>Intrusion</source>
        <translation>区域入侵</translation>
    </message>
    <message>
        <source>Tampering</source>
        <translation>遮挡/移位</translation>
    </message>
    <message>
        <source>Plate read</source>
        <translation>车牌识别</translation>
    </message>
    <message>
        <source>Video lost</source>
        <translation>视频丢失</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>其他</translation>
    </message>
    <message>
        <source>started</source>
        <translation>开始</translation>
    </message>
    <message>
        <source>ended</source>
        <translation>结束</translation>
    </message>
    <message>
        <source>instant</source>
        <translation>瞬时</translation>
    </message>
    <message>
        <source>ONVIF</source>
        <translation>ONVIF</translation>
    </message>
    <message>
        <source>Hikvision</source>
        <translation>海康威视</translation>
    </message>
    <message>
        <source>Dahua</source>
        <translation>大华</translation>
    </message>
    <message>
        <source>local motion detection</source>
        <translation>本机移动侦测</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>unreachable</source>
        <translation>无法连接</translation>
    </message>
    <message>
        <source>user name or password refused</source>
        <translation>用户名或密码被拒绝</translation>
    </message>
    <message>
        <source>unexpected answer</source>
        <translation>应答异常</translation>
    </message>
    <message>
        <source>unreadable message</source>
        <translation>消息无法解析</translation>
    </message>
    <message>
        <source>message too large</source>
        <translation>消息过大</translation>
    </message>
    <message>
        <source>no events service</source>
        <translation>设备无事件服务</translation>
    </message>
    <message>
        <source>disconnected, reconnecting</source>
        <translation>连接断开，正在重连</translation>
    </message>
    <message>
        <source>subscription expired, renewing</source>
        <translation>订阅已过期，正在重新订阅</translation>
    </message>
    <message>
        <source>False read</source>
        <translation>识别错误</translation>
    </message>
    <message>
        <source>Not this vehicle</source>
        <translation>不是这辆车</translation>
    </message>
    <message>
        <source>Other reason</source>
        <translation>其他原因</translation>
    </message>
    <message>
        <source>%1% match</source>
        <translation>匹配度 %1%</translation>
    </message>
    <message>
        <source>seen %1 times</source>
        <translation>已出现 %1 次</translation>
    </message>
    <message>
        <source>exact read</source>
        <translation>完全一致</translation>
    </message>
    <message>
        <source>one character misread %1</source>
        <translation>一个字符误识 %1</translation>
    </message>
    <message>
        <source>%1 characters misread %2</source>
        <translation>%1 个字符误识 %2</translation>
    </message>
    <message>
        <source>one character different (%1 read as %2)</source>
        <translation>一个字符不同（%1 识别为 %2）</translation>
    </message>
    <message>
        <source>one character missing (%1)</source>
        <translation>少识别一个字符（%1）</translation>
    </message>
    <message>
        <source>one character too many (%1)</source>
        <translation>多识别一个字符（%1）</translation>
    </message>
    <message>
        <source>look-alike character misread</source>
        <translation>形近字符误识</translation>
    </message>
    <message>
        <source>province character not read</source>
        <translation>省份简称未识别</translation>
    </message>
    <message>
        <source>one character different</source>
        <translation>一个字符不同</translation>
    </message>
    <message>
        <source>one character missing</source>
        <translation>少识别一个字符</translation>
    </message>
    <message>
        <source>one character too many</source>
        <translation>多识别一个字符</translation>
    </message>
    <message>
        <source>another province character</source>
        <translation>省份简称不同</translation>
    </message>
</context>
<context>
    <name>CameraEventsUi</name>
    <message>
        <source>Camera &amp;events</source>
        <translation>摄像机事件(&amp;E)</translation>
    </message>
    <message>
        <source>Answer suggested sighting</source>
        <translation>处理疑似发现</translation>
    </message>
    <message>
        <source>Events list…</source>
        <translation>事件列表…</translation>
    </message>
    <message>
        <source>Flash tiles on</source>
        <translation>画面闪烁提示的事件</translation>
    </message>
    <message>
        <source>No suggested sighting is waiting.</source>
        <translation>没有待处理的疑似发现。</translation>
    </message>
    <message>
        <source>Sighting saved at %1; the evidence clip follows.</source>
        <translation>已在 %1 保存发现记录；证据视频随后生成。</translation>
    </message>
    <message>
        <source>Suggestion dismissed: %1.</source>
        <translation>已忽略疑似发现：%1。</translation>
    </message>
    <message>
        <source>Another seat answered this suggestion already.</source>
        <translation>另一席位已处理此疑似发现。</translation>
    </message>
</context>
<context>
    <name>CameraPropertiesDialog</name>
    <message>
        <source>Camera properties — %1</source>
        <translation>摄像机属性 — %1</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>ONVIF address</source>
        <translation>ONVIF 地址</translation>
    </message>
    <message>
        <source>Asking the camera…</source>
        <translation>正在查询摄像机…</translation>
    </message>
</context>
<context>
    <name>CameraTreeModel</name>
    <message>
        <source>Cameras</source>
        <translation>摄像机</translation>
    </message>
    <message>
        <source>Ungrouped</source>
        <translation>未分组</translation>
    </message>
</context>
<context>
    <name>ChangePasswordDialog</name>
    <message>
        <source>Change password</source>
        <translation>修改密码</translation>
    </message>
    <message>
        <source>Operator: %1</source>
        <translation>操作员：%1</translation>
    </message>
    <message>
        <source>An administrator set your password: choose your own before you continue.</source>
        <translation>您的密码由管理员设置：请先设置自己的密码再继续。</translation>
    </message>
    <message>
        <source>Current password</source>
        <translation>当前密码</translation>
    </message>
    <message>
        <source>New password</source>
        <translation>新密码</translation>
    </message>
    <message>
        <source>Repeat new password</source>
        <translation>确认新密码</translation>
    </message>
</context>
<context>
    <name>ChannelForm</name>
    <message>
        <source>STARTTLS (port 587)</source>
        <translation>STARTTLS（端口 587）</translation>
    </message>
    <message>
        <source>TLS from the start (port 465)</source>
        <translation>全程 TLS（端口 465）</translation>
    </message>
    <message>
        <source>none (trusted network only)</source>
        <translation>不加密（仅限可信网络）</translation>
    </message>
    <message>
        <source>addresses, separated by commas</source>
        <translation>邮箱地址，用逗号分隔</translation>
    </message>
    <message>
        <source>CA file for a private relay (optional)</source>
        <translation>私有邮件服务器的 CA 文件（可选）</translation>
    </message>
    <message>
        <source>TLS</source>
        <translation>TLS</translation>
    </message>
    <message>
        <source>CA file for a private broker (optional)</source>
        <translation>私有消息服务器的 CA 文件（可选）</translation>
    </message>
    <message>
        <source>URL</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Signing secret</source>
        <translation>签名密钥</translation>
    </message>
    <message>
        <source>Robot address</source>
        <translation>机器人地址</translation>
    </message>
    <message>
        <source>Robot key</source>
        <translation>机器人 key</translation>
    </message>
    <message>
        <source>Access token</source>
        <translation>access_token</translation>
    </message>
    <message>
        <source>SMTP server</source>
        <translation>SMTP 服务器</translation>
    </message>
    <message>
        <source>Port</source>
        <translation>端口</translation>
    </message>
    <message>
        <source>Security</source>
        <translation>加密方式</translation>
    </message>
    <message>
        <source>Sender</source>
        <translation>发件人</translation>
    </message>
    <message>
        <source>Recipients</source>
        <translation>收件人</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>CA file</source>
        <translation>CA 文件</translation>
    </message>
    <message>
        <source>Broker</source>
        <translation>消息服务器</translation>
    </message>
    <message>
        <source>Topic prefix</source>
        <translation>主题前缀</translation>
    </message>
    <message>
        <source>Channel name</source>
        <translation>渠道名称</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>•••••• stored — type to replace</source>
        <translation>•••••• 已保存——输入新值可替换</translation>
    </message>
    <message>
        <source>not set</source>
        <translation>未设置</translation>
    </message>
</context>
<context>
    <name>ChannelsPage</name>
    <message>
        <source>New channel</source>
        <translation>新建渠道</translation>
    </message>
    <message>
        <source>Save channel</source>
        <translation>保存渠道</translation>
    </message>
    <message>
        <source>Disable</source>
        <translation>停用</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Send test message</source>
        <translation>发送测试消息</translation>
    </message>
    <message>
        <source>The platform&apos;s answer to a test message appears here.</source>
        <translation>测试消息的平台应答显示在这里。</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Goes to</source>
        <translation>发往</translation>
    </message>
    <message>
        <source>Secrets</source>
        <translation>已存密钥</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>enabled</source>
        <translation>启用</translation>
    </message>
    <message>
        <source>disabled</source>
        <translation>停用</translation>
    </message>
    <message>
        <source>Enable</source>
        <translation>启用</translation>
    </message>
    <message>
        <source>Channel %1 saved.</source>
        <translation>渠道 %1 已保存。</translation>
    </message>
    <message>
        <source>Channel %1 enabled.</source>
        <translation>渠道 %1 已启用。</translation>
    </message>
    <message>
        <source>Channel %1 disabled.</source>
        <translation>渠道 %1 已停用。</translation>
    </message>
    <message>
        <source>Channel %1 deleted.</source>
        <translation>渠道 %1 已删除。</translation>
    </message>
</context>
<context>
    <name>ClipPlayer</name>
    <message>
        <source>No clip loaded.</source>
        <translation>未加载片段。</translation>
    </message>
    <message>
        <source>The clip cannot be played: %1</source>
        <translation>无法播放该片段：%1</translation>
    </message>
</context>
<context>
    <name>ConnectPage</name>
    <message>
        <source>Camera address</source>
        <translation>摄像机地址</translation>
    </message>
    <message>
        <source>The address of the camera&apos;s ONVIF service and an account on the camera (often the same as for its web page).</source>
        <translation>摄像机 ONVIF 服务的地址，以及摄像机上的一个账户（通常与其网页登录账户相同）。</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>ONVIF port</source>
        <translation>ONVIF 端口</translation>
    </message>
    <message>
        <source>User</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
</context>
<context>
    <name>ConsoleWindow</name>
    <message>
        <source>Console</source>
        <translation>值班台</translation>
    </message>
    <message>
        <source>Cameras</source>
        <translation>摄像机</translation>
    </message>
    <message>
        <source>Filter cameras…</source>
        <translation>筛选摄像机…</translation>
    </message>
    <message>
        <source>&amp;Cameras</source>
        <translation>摄像机(&amp;C)</translation>
    </message>
    <message>
        <source>Add camera…</source>
        <translation>添加摄像机…</translation>
    </message>
    <message>
        <source>Add group…</source>
        <translation>添加分组…</translation>
    </message>
    <message>
        <source>Import CSV…</source>
        <translation>导入 CSV…</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>导出 CSV…</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>Layouts</source>
        <translation>布局</translation>
    </message>
    <message>
        <source>Custom grid…</source>
        <translation>自定义画面分割…</translation>
    </message>
    <message>
        <source>Merge tile with the one to the right</source>
        <translation>与右侧画面合并</translation>
    </message>
    <message>
        <source>Merge tile with the one below</source>
        <translation>与下方画面合并</translation>
    </message>
    <message>
        <source>Maximise / restore tile</source>
        <translation>最大化/还原画面</translation>
    </message>
    <message>
        <source>Restore grid</source>
        <translation>还原网格</translation>
    </message>
    <message>
        <source>Close tile</source>
        <translation>关闭画面</translation>
    </message>
    <message>
        <source>Snapshot of tile</source>
        <translation>画面快照</translation>
    </message>
    <message>
        <source>Show stream statistics</source>
        <translation>显示视频流统计</translation>
    </message>
    <message>
        <source>Full screen</source>
        <translation>全屏</translation>
    </message>
    <message>
        <source>Live %1/%2 · streams %3</source>
        <translation>在线 %1/%2 · 视频流 %3</translation>
    </message>
    <message>
        <source>Show in selected tile</source>
        <translation>在所选画面中显示</translation>
    </message>
    <message>
        <source>Edit camera…</source>
        <translation>编辑摄像机…</translation>
    </message>
    <message>
        <source>Disable</source>
        <translation>停用</translation>
    </message>
    <message>
        <source>Enable</source>
        <translation>启用</translation>
    </message>
    <message>
        <source>Delete camera</source>
        <translation>删除摄像机</translation>
    </message>
    <message>
        <source>Rename group…</source>
        <translation>重命名分组…</translation>
    </message>
    <message>
        <source>Delete group</source>
        <translation>删除分组</translation>
    </message>
    <message>
        <source>Custom grid</source>
        <translation>自定义画面分割</translation>
    </message>
    <message>
        <source>Rows × columns (e.g. 8x8):</source>
        <translation>行 × 列（例如 8x8）：</translation>
    </message>
    <message>
        <source>A custom grid has 1 to 12 rows and columns.</source>
        <translation>自定义分割的行数和列数须在 1 到 12 之间。</translation>
    </message>
    <message>
        <source>That tile cannot grow that way (grid edge, or it would cut another tile in two).</source>
        <translation>该画面无法向此方向扩展（已到边缘，或会把另一个画面截断）。</translation>
    </message>
    <message>
        <source>No picture to save yet.</source>
        <translation>暂无可保存的画面。</translation>
    </message>
    <message>
        <source>Snapshot saved: %1</source>
        <translation>快照已保存：%1</translation>
    </message>
</context>
<context>
    <name>CreateOperatorDialog</name>
    <message>
        <source>New operator</source>
        <translation>新建操作员</translation>
    </message>
    <message>
        <source>Create</source>
        <translation>创建</translation>
    </message>
    <message>
        <source>The new operator must choose their own password at the first login.</source>
        <translation>新操作员首次登录时必须设置自己的密码。</translation>
    </message>
    <message>
        <source>Username</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Full name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>First password</source>
        <translation>初始密码</translation>
    </message>
    <message>
        <source>Repeat password</source>
        <translation>确认密码</translation>
    </message>
</context>
<context>
    <name>DateField</name>
    <message>
        <source>YYYY-MM-DD</source>
        <translation>年-月-日，如 1980-05-17</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is not a date (use YYYY-MM-DD)</source>
        <translation>“%1”不是有效日期（请按“年-月-日”填写，如 1980-05-17）</translation>
    </message>
</context>
<context>
    <name>DeliveryTexts</name>
    <message>
        <source>WeCom</source>
        <translation>企业微信</translation>
    </message>
    <message>
        <source>DingTalk</source>
        <translation>钉钉</translation>
    </message>
    <message>
        <source>%1 refused the signature: the PC&apos;s clock is %2 min behind. Set the clock right; the alert is retried.</source>
        <translation>%1拒绝了签名：本机时钟慢了 %2 分钟。请校准时钟；告警会重新发送。</translation>
    </message>
    <message>
        <source>%1 refused the signature: the PC&apos;s clock is %2 min ahead. Set the clock right; the alert is retried.</source>
        <translation>%1拒绝了签名：本机时钟快了 %2 分钟。请校准时钟；告警会重新发送。</translation>
    </message>
    <message>
        <source>nothing accepts connections at that address</source>
        <translation>该地址无服务接受连接</translation>
    </message>
    <message>
        <source>the receiver closed the connection</source>
        <translation>接收方关闭了连接</translation>
    </message>
    <message>
        <source>the connection timed out</source>
        <translation>连接超时</translation>
    </message>
    <message>
        <source>no route to the receiver</source>
        <translation>无法路由到接收方</translation>
    </message>
    <message>
        <source>the network is unreachable</source>
        <translation>网络不可达</translation>
    </message>
    <message>
        <source>the receiver&apos;s name could not be resolved</source>
        <translation>无法解析接收方的域名</translation>
    </message>
    <message>
        <source>could not connect to the receiver: %1</source>
        <translation>无法连接接收方：%1</translation>
    </message>
    <message>
        <source>waiting for its turn at the %1 robot (20 messages a minute), about %3 s</source>
        <translation>正在排队等待%1机器人（每分钟 20 条），约 %3 秒</translation>
    </message>
    <message>
        <source>%1 answered &quot;too fast&quot; (error %2): waiting %3 s; this is not counted as a failed attempt</source>
        <translation>%1提示“发送太快”（错误 %2）：等待 %3 秒；不计为失败尝试</translation>
    </message>
    <message>
        <source>%1 does not know this robot (error %2): check the robot&apos;s webhook URL and key</source>
        <translation>%1不识别此机器人（错误 %2）：请检查机器人的 Webhook 地址和密钥</translation>
    </message>
    <message>
        <source>%1 refused the message as longer than %3 bytes (error %2)</source>
        <translation>%1拒收：消息超过 %3 字节（错误 %2）</translation>
    </message>
    <message>
        <source>%1 refused the signature (error %2): check the robot&apos;s signing secret</source>
        <translation>%1拒绝了签名（错误 %2）：请检查机器人的加签密钥</translation>
    </message>
    <message>
        <source>the text arrived; %1 refused the picture (error %2)</source>
        <translation>文字已送达；%1拒收了图片（错误 %2）</translation>
    </message>
    <message>
        <source>the text arrived; the snapshot could not be made a picture of at most %1 MB</source>
        <translation>文字已送达；快照无法压缩到 %1 MB 以内</translation>
    </message>
    <message>
        <source>%1 is busy (error %2); retrying</source>
        <translation>%1繁忙（错误 %2）；正在重试</translation>
    </message>
    <message>
        <source>%1 refused the message (error %2: %3)</source>
        <translation>%1拒收了消息（错误 %2：%3）</translation>
    </message>
    <message>
        <source>the receiver answered HTTP %1</source>
        <translation>接收方返回 HTTP %1</translation>
    </message>
    <message>
        <source>the receiver did not answer in time</source>
        <translation>接收方未及时应答</translation>
    </message>
    <message>
        <source>the receiver&apos;s TLS certificate is not trusted by this station</source>
        <translation>本所不信任接收方的 TLS 证书</translation>
    </message>
    <message>
        <source>the e-mail channel needs a sender and at least one recipient</source>
        <translation>电子邮件渠道需要发件人和至少一个收件人</translation>
    </message>
    <message>
        <source>the mail relay refused the login (SMTP %1): check the user name and password</source>
        <translation>邮件服务器拒绝登录（SMTP %1）：请检查用户名和密码</translation>
    </message>
    <message>
        <source>the mail relay refused the recipients %1</source>
        <translation>邮件服务器拒绝了收件人 %1</translation>
    </message>
    <message>
        <source>the mail relay refused the sender address (SMTP %1)</source>
        <translation>邮件服务器拒绝了发件人地址（SMTP %1）</translation>
    </message>
    <message>
        <source>the mail relay lacks a feature this channel needs (e.g. STARTTLS or login)</source>
        <translation>邮件服务器缺少本渠道所需的功能（如加密连接或登录）</translation>
    </message>
    <message>
        <source>the mail relay refused the message (SMTP %1)</source>
        <translation>邮件服务器拒收了该邮件（SMTP %1）</translation>
    </message>
    <message>
        <source>the MQTT broker did not answer the connection in time</source>
        <translation>MQTT 服务器未及时应答连接</translation>
    </message>
    <message>
        <source>the MQTT broker refused the connection (%1): check the user name, password and permissions</source>
        <translation>MQTT 服务器拒绝连接（%1）：请检查用户名、密码和权限</translation>
    </message>
    <message>
        <source>the MQTT broker did not take the message</source>
        <translation>MQTT 服务器未接收该消息</translation>
    </message>
    <message>
        <source>the MQTT broker did not confirm the message in time</source>
        <translation>MQTT 服务器未及时确认该消息</translation>
    </message>
    <message>
        <source>the webhook URL is not valid</source>
        <translation>Webhook 地址无效</translation>
    </message>
    <message>
        <source>unknown webhook kind &quot;%1&quot;</source>
        <translation>未知的 Webhook 类型“%1”</translation>
    </message>
    <message>
        <source>no sender for channels of kind &quot;%1&quot;</source>
        <translation>没有“%1”类渠道的发送程序</translation>
    </message>
    <message>
        <source>internal error (%1); retrying</source>
        <translation>内部错误（%1）；正在重试</translation>
    </message>
    <message>
        <source>Clock OK</source>
        <translation>时钟正常</translation>
    </message>
    <message>
        <source>Clock %1 min off</source>
        <translation>时钟偏差 %1 分钟</translation>
    </message>
    <message>
        <source>Clock not checked yet</source>
        <translation>时钟尚未核对</translation>
    </message>
    <message>
        <source>The PC&apos;s clock is compared with the Date of the answers from the alert receivers; none has answered yet.</source>
        <translation>本机时钟与告警接收方应答所附的日期时间比对；尚无接收方应答。</translation>
    </message>
    <message>
        <source>The PC&apos;s clock is %1 s behind the alert receivers&apos; clocks (last measured from %2 at %3). DingTalk refuses signed messages when it is more than 60 min off.</source>
        <translation>本机时钟比告警接收方慢 %1 秒（最近一次由 %2 于 %3 测得）。偏差超过 60 分钟时，钉钉会拒收加签消息。</translation>
    </message>
    <message>
        <source>The PC&apos;s clock is %1 s ahead of the alert receivers&apos; clocks (last measured from %2 at %3). DingTalk refuses signed messages when it is more than 60 min off.</source>
        <translation>本机时钟比告警接收方快 %1 秒（最近一次由 %2 于 %3 测得）。偏差超过 60 分钟时，钉钉会拒收加签消息。</translation>
    </message>
</context>
<context>
    <name>DeviceInfoView</name>
    <message>
        <source>Manufacturer</source>
        <translation>制造商</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>型号</translation>
    </message>
    <message>
        <source>Firmware</source>
        <translation>固件</translation>
    </message>
    <message>
        <source>Serial number</source>
        <translation>序列号</translation>
    </message>
    <message>
        <source>Services</source>
        <translation>服务</translation>
    </message>
    <message>
        <source>Camera clock</source>
        <translation>摄像机时钟</translation>
    </message>
    <message>
        <source>not told</source>
        <translation>未提供</translation>
    </message>
    <message>
        <source>device</source>
        <translation>设备</translation>
    </message>
    <message>
        <source>media</source>
        <translation>媒体</translation>
    </message>
    <message>
        <source>media 2</source>
        <translation>媒体 2</translation>
    </message>
    <message>
        <source>pan/tilt/zoom</source>
        <translation>云台/变焦</translation>
    </message>
    <message>
        <source>imaging</source>
        <translation>图像</translation>
    </message>
    <message>
        <source>events</source>
        <translation>事件</translation>
    </message>
</context>
<context>
    <name>DevicePage</name>
    <message>
        <source>Device</source>
        <translation>设备</translation>
    </message>
    <message>
        <source>What the camera says about itself.</source>
        <translation>摄像机自报的设备信息。</translation>
    </message>
    <message>
        <source>Try again</source>
        <translation>重试</translation>
    </message>
    <message>
        <source>Asking the camera at %1…</source>
        <translation>正在查询 %1 处的摄像机…</translation>
    </message>
</context>
<context>
    <name>DiscoveryDialog</name>
    <message>
        <source>Discover ONVIF cameras</source>
        <translation>发现 ONVIF 摄像机</translation>
    </message>
    <message>
        <source>Addresses to ask directly, e.g. 192.168.1.64, 192.168.1.10-40 or 192.168.1.0/24</source>
        <translation>要直接查询的地址，例如 192.168.1.64、192.168.1.10-40 或 192.168.1.0/24</translation>
    </message>
    <message>
        <source>Also search the local network (multicast)</source>
        <translation>同时搜索本地网络（组播）</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>搜索</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>型号</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>ONVIF address</source>
        <translation>ONVIF 地址</translation>
    </message>
    <message>
        <source>In the registry</source>
        <translation>已登记</translation>
    </message>
    <message>
        <source>Add selected camera…</source>
        <translation>添加所选摄像机…</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Type an address or a range to ask, or tick the local network search.</source>
        <translation>请输入要查询的地址或地址范围，或勾选本地网络搜索。</translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation>正在搜索…</translation>
    </message>
    <message>
        <source>%1 camera(s) found.</source>
        <translation>找到 %1 台摄像机。</translation>
    </message>
    <message>
        <source>No camera answered.</source>
        <translation>没有摄像机应答。</translation>
    </message>
    <message>
        <source>(no name)</source>
        <translation>（无名称）</translation>
    </message>
    <message>
        <source>(not told)</source>
        <translation>（未提供）</translation>
    </message>
    <message>
        <source>Yes: %1</source>
        <translation>是：%1</translation>
    </message>
    <message>
        <source>Not in registry</source>
        <translation>未登记</translation>
    </message>
</context>
<context>
    <name>EntryForm</name>
    <message>
        <source>separated by ; or 、</source>
        <translation>用 ; 或 、 分隔</translation>
    </message>
    <message>
        <source>18 characters</source>
        <translation>18 位</translation>
    </message>
    <message>
        <source>Person</source>
        <translation>人员</translation>
    </message>
    <message>
        <source>ID number:</source>
        <translation>身份证号：</translation>
    </message>
    <message>
        <source>Sex:</source>
        <translation>性别：</translation>
    </message>
    <message>
        <source>Date of birth:</source>
        <translation>出生日期：</translation>
    </message>
    <message>
        <source>Vehicle</source>
        <translation>车辆</translation>
    </message>
    <message>
        <source>Plate:</source>
        <translation>车牌：</translation>
    </message>
    <message>
        <source>Colour:</source>
        <translation>颜色：</translation>
    </message>
    <message>
        <source>Make / model:</source>
        <translation>品牌/型号：</translation>
    </message>
    <message>
        <source>until</source>
        <translation>至</translation>
    </message>
    <message>
        <source>Add photo…</source>
        <translation>添加照片…</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>名称：</translation>
    </message>
    <message>
        <source>Aliases:</source>
        <translation>别名：</translation>
    </message>
    <message>
        <source>Category:</source>
        <translation>类别：</translation>
    </message>
    <message>
        <source>Risk:</source>
        <translation>风险等级：</translation>
    </message>
    <message>
        <source>Reason:</source>
        <translation>布控原因：</translation>
    </message>
    <message>
        <source>Case reference:</source>
        <translation>案件编号：</translation>
    </message>
    <message>
        <source>Valid from:</source>
        <translation>有效期自：</translation>
    </message>
    <message>
        <source>Notes:</source>
        <translation>备注：</translation>
    </message>
    <message>
        <source>Photos:</source>
        <translation>照片：</translation>
    </message>
    <message>
        <source>New %1</source>
        <translation>新建%1档案</translation>
    </message>
    <message>
        <source>Archived</source>
        <translation>已归档</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>有效</translation>
    </message>
    <message>
        <source>full name, or &apos;unknown&apos;</source>
        <translation>姓名，不详可填“不详”</translation>
    </message>
    <message>
        <source>optional: a description if the plate is unread</source>
        <translation>可选：车牌无法识别时填写描述</translation>
    </message>
    <message>
        <source>Add a photo</source>
        <translation>添加照片</translation>
    </message>
    <message>
        <source>Pictures (*.png *.jpg *.jpeg *.bmp)</source>
        <translation>图片 (*.png *.jpg *.jpeg *.bmp)</translation>
    </message>
    <message>
        <source>valid · born %1 · %2</source>
        <translation>有效 · 出生于 %1 · %2</translation>
    </message>
    <message>
        <source>matched as %1</source>
        <translation>匹配为 %1</translation>
    </message>
    <message>
        <source>Date of birth</source>
        <translation>出生日期</translation>
    </message>
    <message>
        <source>Valid from</source>
        <translation>生效日期</translation>
    </message>
    <message>
        <source>Valid until</source>
        <translation>失效日期</translation>
    </message>
</context>
<context>
    <name>EntryLabels</name>
    <message>
        <source>(no entry)</source>
        <translation>（无档案）</translation>
    </message>
    <message>
        <source>entry #%1 (deleted)</source>
        <translation>档案 #%1（已删除）</translation>
    </message>
    <message>
        <source>entry #%1</source>
        <translation>档案 #%1</translation>
    </message>
</context>
<context>
    <name>EventsModel</name>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Camera</source>
        <translation>摄像机</translation>
    </message>
    <message>
        <source>Junction</source>
        <translation>路口</translation>
    </message>
    <message>
        <source>Event</source>
        <translation>事件</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Plate</source>
        <translation>车牌</translation>
    </message>
    <message>
        <source>Picture</source>
        <translation>图片</translation>
    </message>
</context>
<context>
    <name>EventsWindow</name>
    <message>
        <source>Camera events</source>
        <translation>摄像机事件</translation>
    </message>
    <message>
        <source>All cameras</source>
        <translation>全部摄像机</translation>
    </message>
    <message>
        <source>All types</source>
        <translation>全部类型</translation>
    </message>
    <message>
        <source>&amp;Camera:</source>
        <translation>摄像机(&amp;C)：</translation>
    </message>
    <message>
        <source>&amp;Type:</source>
        <translation>类型(&amp;T)：</translation>
    </message>
    <message>
        <source>%1 shown · received %2, stored %3, problems %4</source>
        <translation>显示 %1 条 · 已接收 %2，已保存 %3，异常 %4</translation>
    </message>
    <message>
        <source>no camera event connection yet</source>
        <translation>尚无摄像机事件连接</translation>
    </message>
    <message>
        <source>connected</source>
        <translation>已连接</translation>
    </message>
    <message>
        <source>not connected</source>
        <translation>未连接</translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message>
        <source>Export video</source>
        <translation>导出录像</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>选择…</translation>
    </message>
    <message>
        <source>e.g. case number</source>
        <translation>例如案件编号</translation>
    </message>
    <message>
        <source>From (station time)</source>
        <translation>起始（本站时间）</translation>
    </message>
    <message>
        <source>To</source>
        <translation>截止</translation>
    </message>
    <message>
        <source>Cameras (Space ticks)</source>
        <translation>摄像机（空格键勾选）</translation>
    </message>
    <message>
        <source>Destination folder</source>
        <translation>目标文件夹</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>&amp;Export</source>
        <translation>导出(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Cancel export</source>
        <translation>取消导出(&amp;C)</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Exporting video needs a duty officer; %1 is logged in as “%2”.</source>
        <translation>导出录像需要值班民警权限；%1 当前以“%2”身份登录。</translation>
    </message>
    <message>
        <source>“From” is not a time: write it as 2026-12-01 10:35:00.</source>
        <translation>“起始”不是有效时间：请按 2026-12-01 10:35:00 的格式填写。</translation>
    </message>
    <message>
        <source>“To” is not a time: write it as 2026-12-01 10:45:00.</source>
        <translation>“截止”不是有效时间：请按 2026-12-01 10:45:00 的格式填写。</translation>
    </message>
    <message>
        <source>“To” must be after “From”.</source>
        <translation>“截止”必须晚于“起始”。</translation>
    </message>
    <message>
        <source>Tick at least one camera.</source>
        <translation>请至少勾选一台摄像机。</translation>
    </message>
    <message>
        <source>Choose a destination folder.</source>
        <translation>请选择目标文件夹。</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>正在开始…</translation>
    </message>
    <message>
        <source>Exporting… (Esc or “Cancel export” stops it and removes what was written)</source>
        <translation>正在导出…（按 Esc 或“取消导出”可停止，并删除已写入的内容）</translation>
    </message>
    <message>
        <source>Export cancelled: nothing was written, the footage lock was lifted.</source>
        <translation>导出已取消：未保留任何文件，录像锁定已解除。</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
    <message>
        <source>The export failed (%1); nothing was kept.</source>
        <translation>导出失败（%1）；未保留任何文件。</translation>
    </message>
    <message>
        <source>Exported to %1</source>
        <translation>已导出到 %1</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>  actual start %1 (station time), %2</source>
        <translation>  实际起点 %1（本站时间），%2</translation>
    </message>
    <message>
        <source>  end %1, %2 MB</source>
        <translation>  结束 %1，%2 MB</translation>
    </message>
    <message>
        <source>  %1 gap(s) in the range: camera offline or not recording (times and reasons in manifest.json)</source>
        <translation>  该时段内有 %1 处空档：摄像机离线或未在录像（时间和原因见 manifest.json）</translation>
    </message>
    <message>
        <source>manifest.json SHA-256 %1</source>
        <translation>manifest.json 的 SHA-256：%1</translation>
    </message>
    <message>
        <source>Audit trail: “recording.export” %1, by %2; the exported footage is locked against deletion.</source>
        <translation>审计日志：“recording.export” %1，操作人 %2；已导出的录像已锁定，不会被删除。</translation>
    </message>
    <message>
        <source>Export to</source>
        <translation>导出到</translation>
    </message>
</context>
<context>
    <name>FormDialog</name>
    <message>
        <source>Checking…</source>
        <translation>正在核验…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>The two passwords differ; type the same one twice.</source>
        <translation>两次输入的密码不一致，请重新输入相同的密码。</translation>
    </message>
</context>
<context>
    <name>FutureBridge</name>
    <message>
        <source>The request failed unexpectedly (%1).</source>
        <translation>请求意外失败（%1）。</translation>
    </message>
</context>
<context>
    <name>GoToTime</name>
    <message>
        <source>Type a time, e.g. 10:40, 10:40:15, 2026-11-30 10:40 or -5m.</source>
        <translation>请输入时间，例如 10:40、10:40:15、2026-11-30 10:40 或 -5m。</translation>
    </message>
    <message>
        <source>There is no such time or date. Check the hours (0-23), minutes, seconds and the day of the month.</source>
        <translation>没有这个时间或日期。请检查小时（0-23）、分钟、秒和日期。</translation>
    </message>
    <message>
        <source>That time has not come yet: nothing is recorded there.</source>
        <translation>这个时间还没到：那里没有任何录像。</translation>
    </message>
    <message>
        <source>Not a time this box understands. Type e.g. 10:40, 10:40:15, 2026-11-30 10:40 or -5m (5 minutes ago).</source>
        <translation>无法识别的时间。请输入例如 10:40、10:40:15、2026-11-30 10:40 或 -5m（5 分钟前）。</translation>
    </message>
</context>
<context>
    <name>GoToTimeBox</name>
    <message>
        <source>10:40 · 10:40:15 · 2026-11-30 10:40 · -5m</source>
        <translation>10:40 · 10:40:15 · 2026-11-30 10:40 · -5m</translation>
    </message>
    <message>
        <source>Go to time:</source>
        <translation>跳转到时间：</translation>
    </message>
</context>
<context>
    <name>HandOverDialog</name>
    <message>
        <source>Hand over the console</source>
        <translation>交班</translation>
    </message>
    <message>
        <source>Take over</source>
        <translation>接班</translation>
    </message>
    <message>
        <source>Shift change: %1 hands the console over. The next officer logs in here; the wall keeps running.</source>
        <translation>交接班：%1 交出值班台。接班民警在此登录，大屏保持运行。</translation>
    </message>
    <message>
        <source>Next officer&apos;s username</source>
        <translation>接班民警用户名</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Enter your username and your password.</source>
        <translation>请输入用户名和密码。</translation>
    </message>
</context>
<context>
    <name>ImportDialog</name>
    <message>
        <source>Import watch list — %1</source>
        <translation>导入布控名单 — %1</translation>
    </message>
    <message>
        <source>folder with the photos named in the file (optional)</source>
        <translation>存放文件中所列照片的文件夹（可选）</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>选择…</translation>
    </message>
    <message>
        <source>Photos:</source>
        <translation>照片：</translation>
    </message>
    <message>
        <source>Line</source>
        <translation>行号</translation>
    </message>
    <message>
        <source>Why it is refused</source>
        <translation>拒绝原因</translation>
    </message>
    <message>
        <source>Same as</source>
        <translation>相同项</translation>
    </message>
    <message>
        <source>On file</source>
        <translation>已存在于</translation>
    </message>
    <message>
        <source>Do</source>
        <translation>处理</translation>
    </message>
    <message>
        <source>Update all</source>
        <translation>全部更新</translation>
    </message>
    <message>
        <source>Skip all</source>
        <translation>全部跳过</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>导入</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Rows that cannot be imported:</source>
        <translation>无法导入的行：</translation>
    </message>
    <message>
        <source>Already on file (choose per row):</source>
        <translation>已有档案（逐行选择处理方式）：</translation>
    </message>
    <message>
        <source>Photo folder</source>
        <translation>照片文件夹</translation>
    </message>
    <message>
        <source>Reading %1…</source>
        <translation>正在读取 %1…</translation>
    </message>
    <message>
        <source>%1 rows (%2): %3 new, %4 already on file, %5 refused.</source>
        <translation>%1 行（%2）：新增 %3，已有档案 %4，拒绝 %5。</translation>
    </message>
    <message>
        <source>Columns ignored: %1.</source>
        <translation>已忽略的列：%1。</translation>
    </message>
    <message>
        <source>entry #%1</source>
        <translation>档案 #%1</translation>
    </message>
    <message>
        <source>line %1 of this file</source>
        <translation>本文件第 %1 行</translation>
    </message>
    <message>
        <source>skip</source>
        <translation>跳过</translation>
    </message>
    <message>
        <source>update the file</source>
        <translation>更新档案</translation>
    </message>
    <message>
        <source>Importing…</source>
        <translation>正在导入…</translation>
    </message>
    <message>
        <source>Imported: %1 created, %2 updated, %3 skipped, %4 refused.</source>
        <translation>导入完成：新建 %1，更新 %2，跳过 %3，拒绝 %4。</translation>
    </message>
</context>
<context>
    <name>IncidentListWindow</name>
    <message>
        <source>Incidents</source>
        <translation>警情</translation>
    </message>
    <message>
        <source>Open incidents only</source>
        <translation>只看未结警情</translation>
    </message>
    <message>
        <source>Title of a new incident (a call, a report)</source>
        <translation>新警情标题（来电、报告）</translation>
    </message>
    <message>
        <source>New incident</source>
        <translation>新建警情</translation>
    </message>
    <message>
        <source>Number</source>
        <translation>编号</translation>
    </message>
    <message>
        <source>Opened</source>
        <translation>创建时间</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <source>Where</source>
        <translation>地点</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>To acknowledge</source>
        <translation>签收用时</translation>
    </message>
    <message>
        <source>To scene</source>
        <translation>到场用时</translation>
    </message>
    <message>
        <source>No incidents.</source>
        <translation>没有警情。</translation>
    </message>
    <message>
        <source>Type the new incident&apos;s title first.</source>
        <translation>请先输入新警情的标题。</translation>
    </message>
    <message>
        <source>The incidents could not be read (%1).</source>
        <translation>无法读取警情（%1）。</translation>
    </message>
</context>
<context>
    <name>IncidentTimelineWindow</name>
    <message>
        <source>Incident</source>
        <translation>警情</translation>
    </message>
    <message>
        <source>On scene</source>
        <translation>已到场</translation>
    </message>
    <message>
        <source>Resolve…</source>
        <translation>结案…</translation>
    </message>
    <message>
        <source>Add note</source>
        <translation>添加备注</translation>
    </message>
    <message>
        <source>Team acknowledged…</source>
        <translation>记录队伍签收…</translation>
    </message>
    <message>
        <source>Report PDF</source>
        <translation>报告 PDF</translation>
    </message>
    <message>
        <source>Resolve</source>
        <translation>结案</translation>
    </message>
    <message>
        <source>Outcome:</source>
        <translation>处置结果：</translation>
    </message>
    <message>
        <source>What happened (Enter saves)</source>
        <translation>情况说明（回车保存）</translation>
    </message>
    <message>
        <source>Save note</source>
        <translation>保存备注</translation>
    </message>
    <message>
        <source>Note:</source>
        <translation>备注：</translation>
    </message>
    <message>
        <source>Incident %1</source>
        <translation>警情 %1</translation>
    </message>
    <message>
        <source>Time to acknowledge: %1</source>
        <translation>签收用时：%1</translation>
    </message>
    <message>
        <source>Not sent to any team yet.</source>
        <translation>尚未下发给任何队伍。</translation>
    </message>
    <message>
        <source>A note needs some text.</source>
        <translation>备注不能为空。</translation>
    </message>
    <message>
        <source>The incident could not be read or changed (%1).</source>
        <translation>无法读取或修改警情（%1）。</translation>
    </message>
</context>
<context>
    <name>Incidents</name>
    <message>
        <source>open</source>
        <translation>待处置</translation>
    </message>
    <message>
        <source>sent to the teams</source>
        <translation>已下发</translation>
    </message>
    <message>
        <source>acknowledged</source>
        <translation>已签收</translation>
    </message>
    <message>
        <source>on scene</source>
        <translation>已到场</translation>
    </message>
    <message>
        <source>resolved</source>
        <translation>已结案</translation>
    </message>
    <message>
        <source>Caught</source>
        <translation>已抓获</translation>
    </message>
    <message>
        <source>Cleared</source>
        <translation>已排除</translation>
    </message>
    <message>
        <source>False alarm</source>
        <translation>误报</translation>
    </message>
    <message>
        <source>Handed over</source>
        <translation>已移交</translation>
    </message>
    <message>
        <source>by the link in the message</source>
        <translation>通过消息中的链接</translation>
    </message>
    <message>
        <source>by the field app (MQTT)</source>
        <translation>通过外勤应用（MQTT）</translation>
    </message>
    <message>
        <source>by phone</source>
        <translation>通过电话</translation>
    </message>
    <message>
        <source>by radio</source>
        <translation>通过电台</translation>
    </message>
    <message>
        <source>in person</source>
        <translation>当面</translation>
    </message>
    <message>
        <source>at the console</source>
        <translation>在指挥台</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <source>%1 min</source>
        <translation>%1 分钟</translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1 小时 %2 分钟</translation>
    </message>
    <message>
        <source>%1 — %2</source>
        <translation>%1 — %2</translation>
    </message>
    <message>
        <source>%1 %2</source>
        <translation>%1 %2</translation>
    </message>
    <message>
        <source>Incident %1 opened by %2: %3</source>
        <translation>%2 创建警情 %1：%3</translation>
    </message>
    <message>
        <source>Sighting at %1 (tagged by %2)</source>
        <translation>在 %1 发现目标（%2 标记）</translation>
    </message>
    <message>
        <source>Alert %1 sent by %2</source>
        <translation>%2 发出告警 %1</translation>
    </message>
    <message>
        <source>Sent to %1</source>
        <translation>已下发给 %1</translation>
    </message>
    <message>
        <source>%1 acknowledged %2</source>
        <translation>%1 %2签收</translation>
    </message>
    <message>
        <source>%1 — acknowledged in %2</source>
        <translation>%1 — 签收用时 %2</translation>
    </message>
    <message>
        <source>Note by %1: %2</source>
        <translation>%1 备注：%2</translation>
    </message>
    <message>
        <source>Evidence package %1</source>
        <translation>证据包 %1</translation>
    </message>
    <message>
        <source>On scene, %1</source>
        <translation>已到场，%1</translation>
    </message>
    <message>
        <source>This incident is resolved already.</source>
        <translation>该警情已结案。</translation>
    </message>
    <message>
        <source>On scene is recorded already.</source>
        <translation>已记录到场。</translation>
    </message>
    <message>
        <source>That team has acknowledged already (on its channel or by the officer): not recorded again.</source>
        <translation>该队伍已签收（通过其渠道或由值班民警记录），不再重复记录。</translation>
    </message>
    <message>
        <source>That alert belongs to an incident already.</source>
        <translation>该告警已属于一个警情。</translation>
    </message>
    <message>
        <source>That alert no longer exists.</source>
        <translation>该告警已不存在。</translation>
    </message>
    <message>
        <source>That team has acknowledged the alert already: not recorded again.</source>
        <translation>该队伍已签收此告警，不再重复记录。</translation>
    </message>
    <message>
        <source>The person named is not a member of that team.</source>
        <translation>所填人员不是该队伍成员。</translation>
    </message>
    <message>
        <source>That team has nobody on file: type who answered.</source>
        <translation>该队伍未登记成员：请填写应答人。</translation>
    </message>
    <message>
        <source>Not recorded (%1).</source>
        <translation>未记录（%1）。</translation>
    </message>
    <message>
        <source>The incident was not sent to that team.</source>
        <translation>该警情未下发给这支队伍。</translation>
    </message>
    <message>
        <source>A note needs some text.</source>
        <translation>备注不能为空。</translation>
    </message>
    <message>
        <source>That sighting no longer exists.</source>
        <translation>该发现记录已不存在。</translation>
    </message>
    <message>
        <source>That incident no longer exists.</source>
        <translation>该警情已不存在。</translation>
    </message>
    <message>
        <source>Not done (%1).</source>
        <translation>未完成（%1）。</translation>
    </message>
</context>
<context>
    <name>IncidentsUi</name>
    <message>
        <source>Inciden&amp;ts</source>
        <translation>警情(&amp;T)</translation>
    </message>
    <message>
        <source>Incidents…</source>
        <translation>警情列表…</translation>
    </message>
    <message>
        <source>New incident from this sighting (the last tagged)</source>
        <translation>由此发现新建警情（最近标记的）</translation>
    </message>
    <message>
        <source>Tag a sighting first (T on a tile); then Ctrl+Shift+N makes an incident of it.</source>
        <translation>请先标记一个发现（在画面上按 T），然后按 Ctrl+Shift+N 新建警情。</translation>
    </message>
    <message>
        <source>Alert #%1 belongs to incident %2 already: opened it.</source>
        <translation>告警 #%1 已属于警情 %2：已打开该警情。</translation>
    </message>
    <message>
        <source>Incident %1 opened.</source>
        <translation>已创建警情 %1。</translation>
    </message>
    <message>
        <source>The incident could not be made (%1).</source>
        <translation>无法创建警情（%1）。</translation>
    </message>
</context>
<context>
    <name>LayoutActions</name>
    <message>
        <source>&amp;Layouts</source>
        <translation>布局(&amp;L)</translation>
    </message>
    <message>
        <source>Save layout as…</source>
        <translation>布局另存为…</translation>
    </message>
    <message>
        <source>Open layout</source>
        <translation>打开布局</translation>
    </message>
    <message>
        <source>Delete layout</source>
        <translation>删除布局</translation>
    </message>
    <message>
        <source>Tour all cameras in the selected tile</source>
        <translation>在选中画面中轮巡全部摄像机</translation>
    </message>
    <message>
        <source>Tour all cameras page by page</source>
        <translation>按页轮巡全部摄像机</translation>
    </message>
    <message>
        <source>Stop tour</source>
        <translation>停止轮巡</translation>
    </message>
    <message>
        <source>Save layout</source>
        <translation>保存布局</translation>
    </message>
    <message>
        <source>Name of this layout:</source>
        <translation>布局名称：</translation>
    </message>
    <message>
        <source>Layout “%1” saved.</source>
        <translation>布局“%1”已保存。</translation>
    </message>
    <message>
        <source>(no saved layouts)</source>
        <translation>（没有已保存的布局）</translation>
    </message>
    <message>
        <source>Tour started in tile %1.</source>
        <translation>已在画面 %1 开始轮巡。</translation>
    </message>
</context>
<context>
    <name>LayoutLabels</name>
    <message>
        <source>1 tile</source>
        <translation>1 画面</translation>
    </message>
    <message>
        <source>4 large + 20 small tiles</source>
        <translation>4 大 + 20 小画面</translation>
    </message>
    <message>
        <source>%1 tiles</source>
        <translation>%1 画面</translation>
    </message>
</context>
<context>
    <name>LiveSightingsPanel</name>
    <message>
        <source>Your role cannot see sightings.</source>
        <translation>您的角色无权查看发现记录。</translation>
    </message>
</context>
<context>
    <name>LockOverlay</name>
    <message>
        <source>Console locked</source>
        <translation>值班台已锁定</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Checking the password…</source>
        <translation>正在核验密码…</translation>
    </message>
    <message>
        <source>Unlock</source>
        <translation>解锁</translation>
    </message>
    <message>
        <source>Hand over to the next officer…</source>
        <translation>交班给下一位民警…</translation>
    </message>
    <message>
        <source>In use by %1. Type the password to continue.</source>
        <translation>%1 正在使用。请输入密码以继续。</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <source>Log in</source>
        <translation>登录</translation>
    </message>
    <message>
        <source>Command room</source>
        <translation>指挥室</translation>
    </message>
    <message>
        <source>Log in with your operator account.</source>
        <translation>请使用您的操作员账户登录。</translation>
    </message>
    <message>
        <source>Username</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Enter your username and your password.</source>
        <translation>请输入用户名和密码。</translation>
    </message>
</context>
<context>
    <name>LoginTexts</name>
    <message>
        <source>This account is locked for %1 s after repeated wrong passwords.</source>
        <translation>密码多次输入错误，该账号已锁定 %1 秒。</translation>
    </message>
    <message>
        <source>This account is deactivated; ask an administrator.</source>
        <translation>该账号已停用，请联系管理员。</translation>
    </message>
    <message>
        <source>That operator is already logged in here.</source>
        <translation>该值班员已在此登录。</translation>
    </message>
    <message>
        <source>Wrong user name or password.</source>
        <translation>用户名或密码错误。</translation>
    </message>
    <message>
        <source>Wrong password.</source>
        <translation>密码错误。</translation>
    </message>
    <message>
        <source>The account is now locked for %1 s.</source>
        <translation>账号现已锁定 %1 秒。</translation>
    </message>
</context>
<context>
    <name>MapCanvas</name>
    <message>
        <source>No map image yet: use “Load map image…”.</source>
        <translation>尚无地图图片：请使用“加载地图图片…”。</translation>
    </message>
</context>
<context>
    <name>MapEditorWindow</name>
    <message>
        <source>Map editor — camera positions</source>
        <translation>地图编辑器 — 摄像机位置</translation>
    </message>
    <message>
        <source>Drag a camera to its junction. Cameras not on the map yet are listed below: drag them onto the map.</source>
        <translation>将摄像机拖到其所在路口。尚未放到地图上的摄像机列在下方：请将其拖到地图上。</translation>
    </message>
    <message>
        <source>Only an administrator can move cameras.</source>
        <translation>只有管理员可以移动摄像机。</translation>
    </message>
    <message>
        <source>Not on the map:</source>
        <translation>未在地图上：</translation>
    </message>
</context>
<context>
    <name>MapUi</name>
    <message>
        <source>Trajectory — %1</source>
        <translation>轨迹 — %1</translation>
    </message>
</context>
<context>
    <name>MapWindow</name>
    <message>
        <source>Load map image…</source>
        <translation>加载地图图片…</translation>
    </message>
    <message>
        <source>Map image of the area</source>
        <translation>辖区地图图片</translation>
    </message>
    <message>
        <source>Pictures (%1)</source>
        <translation>图片 (%1)</translation>
    </message>
</context>
<context>
    <name>MembersPage</name>
    <message>
        <source>Add member</source>
        <translation>添加队员</translation>
    </message>
    <message>
        <source>Save changes</source>
        <translation>保存修改</translation>
    </message>
    <message>
        <source>Remove member</source>
        <translation>移除队员</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Radio</source>
        <translation>电台</translation>
    </message>
    <message>
        <source>Radio call sign</source>
        <translation>电台呼号</translation>
    </message>
    <message>
        <source>Member %1 added.</source>
        <translation>队员 %1 已添加。</translation>
    </message>
    <message>
        <source>Member %1 saved.</source>
        <translation>队员 %1 已保存。</translation>
    </message>
    <message>
        <source>Member %1 removed.</source>
        <translation>队员 %1 已移除。</translation>
    </message>
</context>
<context>
    <name>Notices</name>
    <message>
        <source>UTF-8, UTF-16 (with byte-order mark), GB18030</source>
        <translation>UTF-8、UTF-16（带字节顺序标记 BOM）、GB18030</translation>
    </message>
    <message>
        <source>line %1 of the anchor file %2 was altered (its HMAC does not check)</source>
        <translation>锚定文件 %2 的第 %1 行被改动（其 HMAC 校验不通过）</translation>
    </message>
    <message>
        <source>the anchor file %1 was emptied: truncation and rewriting cannot be checked</source>
        <translation>锚定文件 %1 已被清空：无法检查截断和改写</translation>
    </message>
    <message>
        <source>the anchor file %1 is missing: truncation and rewriting cannot be checked</source>
        <translation>锚定文件 %1 不存在：无法检查截断和改写</translation>
    </message>
    <message>
        <source>the anchor file %1 was lost and started again at event #%2 on %3: events before it cannot be checked for rewriting</source>
        <translation>锚定文件 %1 曾丢失，于 %3 从事件 #%2 重新开始：此前的事件无法检查是否被改写</translation>
    </message>
    <message>
        <source>stored content does not match its hash (edited)</source>
        <translation>存储内容与其哈希不符（已被修改）</translation>
    </message>
    <message>
        <source>the shift hand-over recorded here does not match the chain before it, or was not made with this station&apos;s anchor key: the chain was rewritten before this event</source>
        <translation>此处记录的交接班与之前的链不符，或并非用本站锚定密钥生成：此事件之前的链已被改写</translation>
    </message>
    <message>
        <source>event #%1 is missing (the chain jumps from #%2 to #%3)</source>
        <translation>事件 #%1 缺失（链从 #%2 跳到 #%3）</translation>
    </message>
    <message>
        <source>prev_hash does not match event #%1</source>
        <translation>prev_hash 与事件 #%1 不符</translation>
    </message>
    <message>
        <source>its hash differs from the one anchored outside the database on %1: the chain was rewritten at or before this event</source>
        <translation>其哈希与 %1 在数据库之外锚定的哈希不同：链在此事件或更早处被改写</translation>
    </message>
    <message>
        <source>the trail ends at #%1, but event #%2 was anchored outside the database on %3: events were removed from the end</source>
        <translation>日志止于 #%1，但事件 #%2 已于 %3 在数据库之外锚定：末尾的事件被删除</translation>
    </message>
    <message>
        <source>A camera named &apos;%1&apos; already exists.</source>
        <translation>名为“%1”的摄像机已存在。</translation>
    </message>
    <message>
        <source>That camera no longer exists.</source>
        <translation>该摄像机已不存在。</translation>
    </message>
    <message>
        <source>A group named &apos;%1&apos; already exists.</source>
        <translation>名为“%1”的分组已存在。</translation>
    </message>
    <message>
        <source>That group no longer exists.</source>
        <translation>该分组已不存在。</translation>
    </message>
    <message>
        <source>The group needs a name.</source>
        <translation>分组需要名称。</translation>
    </message>
    <message>
        <source>The group name is longer than %1 characters.</source>
        <translation>分组名称超过 %1 个字符。</translation>
    </message>
    <message>
        <source>The junction is longer than %1 characters.</source>
        <translation>路口名称超过 %1 个字符。</translation>
    </message>
    <message>
        <source>The camera needs a main stream URL.</source>
        <translation>摄像机需要主码流地址。</translation>
    </message>
    <message>
        <source>The camera needs a name.</source>
        <translation>摄像机需要名称。</translation>
    </message>
    <message>
        <source>The camera name is longer than %1 characters.</source>
        <translation>摄像机名称超过 %1 个字符。</translation>
    </message>
    <message>
        <source>Only a saved camera can be edited.</source>
        <translation>只能编辑已保存的摄像机。</translation>
    </message>
    <message>
        <source>Unknown event source &apos;%1&apos; (onvif, isapi, dahua or local_motion).</source>
        <translation>未知的事件来源“%1”（可选 onvif、isapi、dahua 或 local_motion）。</translation>
    </message>
    <message>
        <source>The event address must start with http:// or https://: %1</source>
        <translation>事件地址须以 http:// 或 https:// 开头：%1</translation>
    </message>
    <message>
        <source>The event channel must be 1 or more, not %1.</source>
        <translation>事件通道须为 1 或以上，而不是 %1。</translation>
    </message>
    <message>
        <source>Transport must be tcp or udp, not &apos;%1&apos;.</source>
        <translation>传输方式须为 tcp 或 udp，而不是“%1”。</translation>
    </message>
    <message>
        <source>Unsupported stream URL: %1</source>
        <translation>不支持的码流地址：%1</translation>
    </message>
    <message>
        <source>%1 must be yes or no, not &apos;%2&apos;.</source>
        <translation>%1 须为“是”或“否”，而不是“%2”。</translation>
    </message>
    <message>
        <source>missing column(s): %1</source>
        <translation>缺少列：%1</translation>
    </message>
    <message>
        <source>%1 must be a number, not &apos;%2&apos;.</source>
        <translation>%1 须为数字，而不是“%2”。</translation>
    </message>
    <message>
        <source>camera &apos;%1&apos; appears twice in the file</source>
        <translation>摄像机“%1”在文件中出现了两次</translation>
    </message>
    <message>
        <source>the file is empty</source>
        <translation>文件为空</translation>
    </message>
    <message>
        <source>the %1 field has %2 characters (at most %3)</source>
        <translation>%1 字段有 %2 个字符（最多 %3 个）</translation>
    </message>
    <message>
        <source>the first line is not text in an accepted encoding (%1)</source>
        <translation>第一行不是可接受编码的文本（%1）</translation>
    </message>
    <message>
        <source>this line is not %1 text (accepted encodings: %2)</source>
        <translation>此行不是 %1 编码的文本（可接受的编码：%2）</translation>
    </message>
    <message>
        <source>this row is not valid CSV (for example a quote that is never closed)</source>
        <translation>此行不是有效的 CSV（例如引号未闭合）</translation>
    </message>
    <message>
        <source>%1 cells but %2 columns</source>
        <translation>有 %1 个单元格，但只有 %2 列</translation>
    </message>
    <message>
        <source>an alias has at most %1 characters</source>
        <translation>别名最多 %1 个字符</translation>
    </message>
    <message>
        <source>is in the future</source>
        <translation>晚于今天</translation>
    </message>
    <message>
        <source>%1 does not match the ID number (%2)</source>
        <translation>%1 与身份证号不符（%2）</translation>
    </message>
    <message>
        <source>must be one of wanted, suspect, missing_person, fraud_risk, other</source>
        <translation>须为以下之一：在逃人员、嫌疑人、失踪人员、易受诈骗人员、其他</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>must be person or vehicle</source>
        <translation>须为人员或车辆</translation>
    </message>
    <message>
        <source>belongs to a person entry, not a vehicle</source>
        <translation>属于人员条目，不属于车辆</translation>
    </message>
    <message>
        <source>a person needs a name (or a placeholder such as &apos;unknown&apos;)</source>
        <translation>人员需要姓名（或“不详”之类的占位）</translation>
    </message>
    <message>
        <source>must be low, medium or high</source>
        <translation>须为低、中或高</translation>
    </message>
    <message>
        <source>female</source>
        <translation>女</translation>
    </message>
    <message>
        <source>male</source>
        <translation>男</translation>
    </message>
    <message>
        <source>must be male, female or empty</source>
        <translation>须为男、女或留空</translation>
    </message>
    <message>
        <source>does not match the ID number (%1)</source>
        <translation>与身份证号不符（%1）</translation>
    </message>
    <message>
        <source>at most %1 characters</source>
        <translation>最多 %1 个字符</translation>
    </message>
    <message>
        <source>is before valid_from</source>
        <translation>早于有效期起（valid_from）</translation>
    </message>
    <message>
        <source>belongs to a vehicle entry, not a person</source>
        <translation>属于车辆条目，不属于人员</translation>
    </message>
    <message>
        <source>a vehicle needs a plate or, if unread, a description in name</source>
        <translation>车辆需要车牌；看不清车牌时，请在名称中描述</translation>
    </message>
    <message>
        <source>check character is %1, expected %2: a digit was mistyped</source>
        <translation>校验码为 %1，应为 %2：有数字输错了</translation>
    </message>
    <message>
        <source>the birth date %1 in the ID number is impossible</source>
        <translation>身份证号中的出生日期 %1 不可能</translation>
    </message>
    <message>
        <source>the birth date %1 in the ID number is not a real date</source>
        <translation>身份证号中的出生日期 %1 不是真实日期</translation>
    </message>
    <message>
        <source>an ID number has 18 characters, this one has %1</source>
        <translation>身份证号应为 18 位，此号码为 %1 位</translation>
    </message>
    <message>
        <source>old 15-digit ID numbers are not accepted; enter the 18-digit number</source>
        <translation>不接受旧的 15 位身份证号，请输入 18 位号码</translation>
    </message>
    <message>
        <source>an ID number is 17 digits followed by a digit or X</source>
        <translation>身份证号为 17 位数字加一位数字或 X</translation>
    </message>
    <message>
        <source>action not supported</source>
        <translation>不支持该操作</translation>
    </message>
    <message>
        <source>The camera rejected the user name or password.</source>
        <translation>摄像机拒绝了用户名或密码。</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is not an address, a range like 192.168.1.10-20, or a network like 192.168.1.0/24.</source>
        <translation>“%1”不是地址，也不是 192.168.1.10-20 这样的范围或 192.168.1.0/24 这样的网段。</translation>
    </message>
    <message>
        <source>The connection to the camera at %1 failed.</source>
        <translation>与 %1 的摄像机连接失败。</translation>
    </message>
    <message>
        <source>The camera address is empty.</source>
        <translation>摄像机地址为空。</translation>
    </message>
    <message>
        <source>The camera sent an empty reply.</source>
        <translation>摄像机返回了空的应答。</translation>
    </message>
    <message>
        <source>The camera sent an empty %1.</source>
        <translation>摄像机返回了空的 %1。</translation>
    </message>
    <message>
        <source>The camera answered with HTTP error %1.</source>
        <translation>摄像机返回 HTTP 错误 %1。</translation>
    </message>
    <message>
        <source>The camera answered %1 with HTTP error %2.</source>
        <translation>摄像机对 %1 返回 HTTP 错误 %2。</translation>
    </message>
    <message>
        <source>The camera sent a reply that is not valid ONVIF XML.</source>
        <translation>摄像机的应答不是有效的 ONVIF XML。</translation>
    </message>
    <message>
        <source>The camera&apos;s reply has no SOAP body.</source>
        <translation>摄像机的应答没有 SOAP 正文。</translation>
    </message>
    <message>
        <source>The camera has no media service, so it offers no video profiles.</source>
        <translation>摄像机没有媒体服务，因此不提供视频配置。</translation>
    </message>
    <message>
        <source>The camera would not tell its model: %1</source>
        <translation>摄像机未告知其型号：%1</translation>
    </message>
    <message>
        <source>None of the camera&apos;s video profiles has a PTZ configuration.</source>
        <translation>摄像机的视频配置中没有一个带云台配置。</translation>
    </message>
    <message>
        <source>The camera has no PTZ service.</source>
        <translation>摄像机没有云台服务。</translation>
    </message>
    <message>
        <source>no reason given</source>
        <translation>未说明原因</translation>
    </message>
    <message>
        <source>The camera has no %1 service.</source>
        <translation>摄像机没有 %1 服务。</translation>
    </message>
    <message>
        <source>The camera gave no snapshot address for profile &apos;%1&apos;.</source>
        <translation>摄像机没有给出配置“%1”的抓图地址。</translation>
    </message>
    <message>
        <source>The camera gave no stream address for profile &apos;%1&apos;.</source>
        <translation>摄像机没有给出配置“%1”的码流地址。</translation>
    </message>
    <message>
        <source>The recorder answered %1 without a search token.</source>
        <translation>录像机应答 %1 时未给出搜索令牌。</translation>
    </message>
    <message>
        <source>The recorder sent no information about the recording.</source>
        <translation>录像机未提供该录像的信息。</translation>
    </message>
    <message>
        <source>The recorder gave no replay address for the recording.</source>
        <translation>录像机未给出该录像的回放地址。</translation>
    </message>
    <message>
        <source>The camera did not tell its UTC time; its clock drift is unknown.</source>
        <translation>摄像机未告知其 UTC 时间，时钟偏差未知。</translation>
    </message>
    <message>
        <source>The camera does not implement this request (%1).</source>
        <translation>摄像机未实现此请求（%1）。</translation>
    </message>
    <message>
        <source>A preset needs a name.</source>
        <translation>预置位需要名称。</translation>
    </message>
    <message>
        <source>The camera lists a PTZ service but refuses PTZ commands: %1</source>
        <translation>摄像机列出了云台服务，但拒绝云台命令：%1</translation>
    </message>
    <message>
        <source>The range %1 ends before it starts.</source>
        <translation>范围 %1 的结束早于开始。</translation>
    </message>
    <message>
        <source>The range %1 is too large (at most %2 addresses).</source>
        <translation>范围 %1 太大（最多 %2 个地址）。</translation>
    </message>
    <message>
        <source>is the camera&apos;s own loopback address</source>
        <translation>是摄像机自身的回环地址</translation>
    </message>
    <message>
        <source>is a private address behind NAT that this computer cannot reach</source>
        <translation>是本机无法访问的 NAT 后私有地址</translation>
    </message>
    <message>
        <source>is not a real address</source>
        <translation>不是真实地址</translation>
    </message>
    <message>
        <source>The camera refused the request: %1.</source>
        <translation>摄像机拒绝了请求：%1。</translation>
    </message>
    <message>
        <source>The ONVIF service has been shut down.</source>
        <translation>ONVIF 服务已关闭。</translation>
    </message>
    <message>
        <source>The camera answered the snapshot request with HTTP error %1.</source>
        <translation>摄像机对抓图请求返回 HTTP 错误 %1。</translation>
    </message>
    <message>
        <source>The camera&apos;s snapshot address is not an HTTP address; snapshots may fail.</source>
        <translation>摄像机的抓图地址不是 HTTP 地址，抓图可能失败。</translation>
    </message>
    <message>
        <source>The camera did not answer within %1 s.</source>
        <translation>摄像机在 %1 秒内没有应答。</translation>
    </message>
    <message>
        <source>Too many addresses (at most %1).</source>
        <translation>地址太多（最多 %1 个）。</translation>
    </message>
    <message>
        <source>The camera request failed unexpectedly (%1).</source>
        <translation>摄像机请求意外失败（%1）。</translation>
    </message>
    <message>
        <source>The camera at %1 could not be reached (connection refused or no route).</source>
        <translation>无法访问 %1 的摄像机（连接被拒绝或无路由）。</translation>
    </message>
    <message>
        <source>The camera&apos;s %1 address contained line breaks; they were removed.</source>
        <translation>摄像机的%1地址中含有换行，已删除。</translation>
    </message>
    <message>
        <source>The camera&apos;s %1 address points at %2, not at %3 where the camera answered; check it, or use the camera&apos;s address.</source>
        <translation>摄像机的%1地址指向 %2，而不是应答的摄像机所在的 %3；请核实，或改用摄像机的地址。</translation>
    </message>
    <message>
        <source>The camera&apos;s %1 address repeated its port; the repeat was removed.</source>
        <translation>摄像机的%1地址重复了端口，已删除重复部分。</translation>
    </message>
    <message>
        <source>The camera reported its %1 address at %2, which %3; using %4 (the address you entered) instead.</source>
        <translation>摄像机报告的%1地址位于 %2，该地址%3；改用 %4（您输入的地址）。</translation>
    </message>
    <message>
        <source>The camera reported %1 %2 addresses; using %3.</source>
        <translation>摄像机报告了 %1 个%2地址；使用 %3。</translation>
    </message>
    <message>
        <source>The camera&apos;s %1 address could not be read.</source>
        <translation>无法读取摄像机的%1地址。</translation>
    </message>
    <message>
        <source>service</source>
        <translation>服务</translation>
    </message>
    <message>
        <source>snapshot</source>
        <translation>抓图</translation>
    </message>
    <message>
        <source>stream</source>
        <translation>码流</translation>
    </message>
    <message>
        <source>The camera answered with %1 where %2 was expected.</source>
        <translation>摄像机应答了 %1，而预期的是 %2。</translation>
    </message>
    <message>
        <source>the plate contains control characters</source>
        <translation>车牌中含有控制字符</translation>
    </message>
    <message>
        <source>the plate is empty</source>
        <translation>车牌为空</translation>
    </message>
    <message>
        <source>a plate has at most %1 characters</source>
        <translation>车牌最多 %1 个字符</translation>
    </message>
    <message>
        <source>a column appears twice in the header</source>
        <translation>表头中有一列出现了两次</translation>
    </message>
    <message>
        <source>no name, id_number or plate column in the header</source>
        <translation>表头中没有姓名（name）、身份证号（id_number）或车牌（plate）列</translation>
    </message>
    <message>
        <source>%1: &apos;%2&apos; is not a date (use YYYY-MM-DD)</source>
        <translation>%1：“%2”不是日期（请用 YYYY-MM-DD）</translation>
    </message>
    <message>
        <source>photo: file &apos;%1&apos; is not in %2</source>
        <translation>照片：文件“%1”不在 %2 中</translation>
    </message>
    <message>
        <source>photo: a photo is named but no photo folder was chosen</source>
        <translation>照片：列出了照片，但没有选择照片文件夹</translation>
    </message>
    <message>
        <source>photo: &apos;%1&apos; must be a plain file name in the photo folder</source>
        <translation>照片：“%1”必须是照片文件夹中的单纯文件名</translation>
    </message>
    <message>
        <source>update refused: %1</source>
        <translation>拒绝更新：%1</translation>
    </message>
    <message>
        <source>the file does not exist</source>
        <translation>文件不存在</translation>
    </message>
    <message>
        <source>permission denied</source>
        <translation>没有权限</translation>
    </message>
    <message>
        <source>it is a folder</source>
        <translation>这是一个文件夹</translation>
    </message>
    <message>
        <source>the disk is full</source>
        <translation>磁盘已满</translation>
    </message>
    <message>
        <source>You are not allowed to do this (%1 may not %2).</source>
        <translation>您无权执行此操作（%1 不可 %2）。</translation>
    </message>
    <message>
        <source>The file %1 could not be used: %2.</source>
        <translation>无法使用文件 %1：%2。</translation>
    </message>
    <message>
        <source>The action failed unexpectedly (%1).</source>
        <translation>操作意外失败（%1）。</translation>
    </message>
</context>
<context>
    <name>OnvifTexts</name>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1 小时 %2 分钟</translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation>%1 分 %2 秒</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <source>Unknown: the camera did not tell its time.</source>
        <translation>未知：摄像机未提供其时间。</translation>
    </message>
    <message>
        <source>In step with this computer.</source>
        <translation>与本机时钟一致。</translation>
    </message>
    <message>
        <source>The camera&apos;s clock is %1 ahead of this computer.</source>
        <translation>摄像机时钟比本机快 %1。</translation>
    </message>
    <message>
        <source>The camera&apos;s clock is %1 behind this computer.</source>
        <translation>摄像机时钟比本机慢 %1。</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <source>Pan %1 · Tilt %2 · Zoom %3</source>
        <translation>水平 %1 · 俯仰 %2 · 变焦 %3</translation>
    </message>
    <message>
        <source>moving</source>
        <translation>移动中</translation>
    </message>
</context>
<context>
    <name>OnvifUi</name>
    <message>
        <source>Pan / tilt / zoom</source>
        <translation>云台/变焦</translation>
    </message>
    <message>
        <source>O&amp;NVIF</source>
        <translation>ONVIF(&amp;N)</translation>
    </message>
    <message>
        <source>Discover cameras…</source>
        <translation>发现摄像机…</translation>
    </message>
    <message>
        <source>Add camera by ONVIF…</source>
        <translation>通过 ONVIF 添加摄像机…</translation>
    </message>
    <message>
        <source>Camera properties…</source>
        <translation>摄像机属性…</translation>
    </message>
    <message>
        <source>PTZ pad</source>
        <translation>云台控制</translation>
    </message>
    <message>
        <source>Camera properties</source>
        <translation>摄像机属性</translation>
    </message>
    <message>
        <source>Your role may not ask the camera directly.</source>
        <translation>您的角色不能直接访问摄像机。</translation>
    </message>
    <message>
        <source>The selected tile&apos;s camera has no ONVIF address.</source>
        <translation>所选画面的摄像机没有 ONVIF 地址。</translation>
    </message>
</context>
<context>
    <name>OperatorsDialog</name>
    <message>
        <source>Operators</source>
        <translation>操作员管理</translation>
    </message>
    <message>
        <source>New operator…</source>
        <translation>新建操作员…</translation>
    </message>
    <message>
        <source>Reset password…</source>
        <translation>重置密码…</translation>
    </message>
    <message>
        <source>Set role</source>
        <translation>设置角色</translation>
    </message>
    <message>
        <source>Clear lockout</source>
        <translation>解除锁定</translation>
    </message>
    <message>
        <source>Deactivate</source>
        <translation>停用</translation>
    </message>
    <message>
        <source>Reactivate</source>
        <translation>重新启用</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>正在保存…</translation>
    </message>
</context>
<context>
    <name>OperatorsModel</name>
    <message>
        <source>Username</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Full name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Last login</source>
        <translation>最近登录</translation>
    </message>
    <message>
        <source>active</source>
        <translation>正常</translation>
    </message>
    <message>
        <source>deactivated</source>
        <translation>已停用</translation>
    </message>
    <message>
        <source>locked until %1</source>
        <translation>锁定至 %1</translation>
    </message>
    <message>
        <source>must change password</source>
        <translation>须修改密码</translation>
    </message>
</context>
<context>
    <name>PtzPad</name>
    <message>
        <source>Zoom in (+)</source>
        <translation>放大 (+)</translation>
    </message>
    <message>
        <source>Zoom out (−)</source>
        <translation>缩小 (−)</translation>
    </message>
    <message>
        <source>Speed</source>
        <translation>速度</translation>
    </message>
    <message>
        <source>Preset name</source>
        <translation>预置位名称</translation>
    </message>
    <message>
        <source>Go to</source>
        <translation>转到</translation>
    </message>
    <message>
        <source>Save here</source>
        <translation>保存当前位置</translation>
    </message>
    <message>
        <source>Rename</source>
        <translation>重命名</translation>
    </message>
    <message>
        <source>Save the current position as a new preset with this name.</source>
        <translation>将当前位置保存为以此命名的新预置位。</translation>
    </message>
    <message>
        <source>Give the selected preset this name. Cameras also store the current position with it.</source>
        <translation>将所选预置位改为此名称。摄像机同时会将当前位置存入该预置位。</translation>
    </message>
    <message>
        <source>Presets</source>
        <translation>预置位</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Pan / tilt / zoom</source>
        <translation>云台/变焦</translation>
    </message>
    <message>
        <source>No camera in the selected tile.</source>
        <translation>所选画面中没有摄像机。</translation>
    </message>
    <message>
        <source>Your role may not steer cameras.</source>
        <translation>您的角色无权控制摄像机。</translation>
    </message>
    <message>
        <source>This camera has no ONVIF address.</source>
        <translation>该摄像机没有 ONVIF 地址。</translation>
    </message>
    <message>
        <source>Asking the camera…</source>
        <translation>正在查询摄像机…</translation>
    </message>
    <message>
        <source>Type a name for the preset first.</source>
        <translation>请先输入预置位名称。</translation>
    </message>
</context>
<context>
    <name>Quit</name>
    <message>
        <source>Alerts are still being sent</source>
        <translation>预警仍在发送中</translation>
    </message>
    <message>
        <source>%1 alert message(s) to the teams are not delivered yet. If you quit now they are sent when commandroom starts again. Quit anyway?</source>
        <translation>发往各队的 %1 条预警消息尚未送达。现在退出的话，这些消息将在下次启动指挥室系统时发送。仍要退出吗？</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Keep running</source>
        <translation>继续运行(&amp;K)</translation>
    </message>
</context>
<context>
    <name>RecordingSettingsWindow</name>
    <message>
        <source>Recording settings</source>
        <translation>录像设置</translation>
    </message>
    <message>
        <source>Camera</source>
        <translation>摄像机</translation>
    </message>
    <message>
        <source>Recording</source>
        <translation>录像</translation>
    </message>
    <message>
        <source>Stream recorded</source>
        <translation>录制码流</translation>
    </message>
    <message>
        <source>Keep days</source>
        <translation>保留天数</translation>
    </message>
    <message>
        <source> s</source>
        <translation> 秒</translation>
    </message>
    <message>
        <source> GB</source>
        <translation> GB</translation>
    </message>
    <message>
        <source>no quota</source>
        <translation>不限额</translation>
    </message>
    <message>
        <source> h</source>
        <translation> 小时</translation>
    </message>
    <message>
        <source>All cameras</source>
        <translation>全部摄像机</translation>
    </message>
    <message>
        <source>Segment length (new files)</source>
        <translation>分段时长（新文件）</translation>
    </message>
    <message>
        <source>Disk quota</source>
        <translation>磁盘限额</translation>
    </message>
    <message>
        <source>Warn when the disk fills within</source>
        <translation>磁盘将在此时间内写满时提醒</translation>
    </message>
    <message>
        <source>Folder (settings.toml)</source>
        <translation>文件夹（settings.toml）</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>保存(&amp;S)</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Reading…</source>
        <translation>正在读取…</translation>
    </message>
    <message>
        <source>Off</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Continuous</source>
        <translation>连续录像</translation>
    </message>
    <message>
        <source>While shown</source>
        <translation>显示时录像</translation>
    </message>
    <message>
        <source>Main</source>
        <translation>主码流</translation>
    </message>
    <message>
        <source>Sub</source>
        <translation>子码流</translation>
    </message>
    <message>
        <source>as all cameras</source>
        <translation>同全部摄像机</translation>
    </message>
    <message>
        <source>Changes are audited. A camera&apos;s keep days of 0 follows the setting for all cameras.</source>
        <translation>所有更改都会记入审计日志。摄像机的保留天数为 0 时，按全部摄像机的设置执行。</translation>
    </message>
    <message>
        <source>Only an administrator can change recording settings; you see them read-only.</source>
        <translation>只有管理员可以更改录像设置；您只能查看。</translation>
    </message>
    <message>
        <source>The recording settings could not be read (%1).</source>
        <translation>无法读取录像设置（%1）。</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>正在保存…</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>已保存。</translation>
    </message>
    <message>
        <source>Nothing more was saved.</source>
        <translation>其余内容未保存。</translation>
    </message>
    <message>
        <source>A value is out of range; it was not saved.</source>
        <translation>有数值超出范围，未保存。</translation>
    </message>
    <message>
        <source>The settings could not be saved (%1).</source>
        <translation>设置保存失败（%1）。</translation>
    </message>
</context>
<context>
    <name>RecordingStatusLabel</name>
    <message>
        <source>%1 cameras</source>
        <translation>%1 台摄像机</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1（%2）</translation>
    </message>
    <message>
        <source>Not recording: %1</source>
        <translation>未在录像：%1</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>Recording retries by itself; live view goes on. The log has the details.</source>
        <translation>录像会自动重试；实时画面不受影响。详情见日志。</translation>
    </message>
</context>
<context>
    <name>RecordingTexts</name>
    <message>
        <source>disk full</source>
        <translation>磁盘已满</translation>
    </message>
    <message>
        <source>no permission to write</source>
        <translation>无写入权限</translation>
    </message>
    <message>
        <source>recordings folder missing</source>
        <translation>录像文件夹不存在</translation>
    </message>
    <message>
        <source>recordings folder is read-only</source>
        <translation>录像文件夹为只读</translation>
    </message>
    <message>
        <source>write error</source>
        <translation>写入错误</translation>
    </message>
    <message>
        <source>index database error</source>
        <translation>索引数据库错误</translation>
    </message>
    <message>
        <source>disk too slow, footage dropped</source>
        <translation>磁盘太慢，部分录像被丢弃</translation>
    </message>
    <message>
        <source>cannot write</source>
        <translation>无法写入</translation>
    </message>
    <message>
        <source>%1 min</source>
        <translation>%1 分钟</translation>
    </message>
    <message>
        <source>%1 h</source>
        <translation>%1 小时</translation>
    </message>
    <message>
        <source>Recording disk full in about %1</source>
        <translation>按当前写入速度，录像磁盘约 %1 后写满</translation>
    </message>
    <message>
        <source>At the current write rate (%3 MB/s). Free: %1 GB; recordings take %2 GB. Lower the keep days or set a quota (Recording settings), or free the disk.</source>
        <translation>当前写入速度 %3 MB/s。剩余 %1 GB；录像占用 %2 GB。请减少保留天数或设置限额（录像设置），或清理磁盘。</translation>
    </message>
    <message>
        <source>Choose at least one camera and an end after the start.</source>
        <translation>请至少选择一台摄像机，并让截止时间晚于起始时间。</translation>
    </message>
    <message>
        <source>Nothing was recorded in that time for these cameras.</source>
        <translation>这些摄像机在该时间段内没有录像。</translation>
    </message>
    <message>
        <source>The export could not be written (%1); nothing was kept. Check the destination folder.</source>
        <translation>导出无法写入（%1）；未保留任何文件。请检查目标文件夹。</translation>
    </message>
    <message>
        <source>A recording could not be read (%1); nothing was kept.</source>
        <translation>有录像无法读取（%1）；未保留任何文件。</translation>
    </message>
    <message>
        <source>starts %1 s before the time you asked for: a cut without re-encoding must begin on a keyframe, and this is the keyframe at or before it</source>
        <translation>比您要求的时间早 %1 秒开始：不重新编码的剪切必须从关键帧开始，这是该时间点或之前最近的关键帧</translation>
    </message>
    <message>
        <source>starts %1 s after the time you asked for: the recording begins then</source>
        <translation>比您要求的时间晚 %1 秒开始：录像从那时才开始</translation>
    </message>
    <message>
        <source>starts exactly at the time you asked for</source>
        <translation>正好从您要求的时间开始</translation>
    </message>
</context>
<context>
    <name>RecordingUi</name>
    <message>
        <source>Recor&amp;ding</source>
        <translation>录像(&amp;D)</translation>
    </message>
    <message>
        <source>Export video…</source>
        <translation>导出录像…</translation>
    </message>
    <message>
        <source>Recording settings…</source>
        <translation>录像设置…</translation>
    </message>
    <message>
        <source>camera %1</source>
        <translation>摄像机 %1</translation>
    </message>
</context>
<context>
    <name>Replay</name>
    <message>
        <source>%1×</source>
        <translation>%1×</translation>
    </message>
    <message>
        <source>LIVE</source>
        <translation>实时</translation>
    </message>
    <message>
        <source>REPLAY %1</source>
        <translation>回放 %1</translation>
    </message>
    <message>
        <source>camera offline</source>
        <translation>摄像机离线</translation>
    </message>
    <message>
        <source>camera sent nothing</source>
        <translation>摄像机无画面数据</translation>
    </message>
    <message>
        <source>the console was not running</source>
        <translation>控制台未运行</translation>
    </message>
    <message>
        <source>the recording could not be written</source>
        <translation>录像无法写入</translation>
    </message>
    <message>
        <source>the disk was too slow</source>
        <translation>磁盘写入过慢</translation>
    </message>
    <message>
        <source>recording off</source>
        <translation>未开启录像</translation>
    </message>
    <message>
        <source>not recorded</source>
        <translation>无录像</translation>
    </message>
    <message>
        <source>the recorder sent no video</source>
        <translation>录像机未发送视频</translation>
    </message>
    <message>
        <source>the recorder cannot be reached</source>
        <translation>无法连接录像机</translation>
    </message>
    <message>
        <source>the recorder did not answer</source>
        <translation>录像机无应答</translation>
    </message>
    <message>
        <source>the recorder refused the password</source>
        <translation>录像机拒绝了密码</translation>
    </message>
    <message>
        <source>the recorder cannot replay</source>
        <translation>录像机不支持回放</translation>
    </message>
    <message>
        <source>the recorder failed a moment ago</source>
        <translation>录像机刚才出错</translation>
    </message>
    <message>
        <source>recorder error</source>
        <translation>录像机错误</translation>
    </message>
    <message>
        <source>Finding the recording…</source>
        <translation>正在查找录像…</translation>
    </message>
    <message>
        <source>Nothing recorded (%1) — plays on at %2</source>
        <translation>此段无录像（%1）— 将从 %2 继续播放</translation>
    </message>
    <message>
        <source>At the newest recorded second — more in a moment</source>
        <translation>已到最新录像 — 稍候继续</translation>
    </message>
    <message>
        <source>End of the recording — Esc returns to live</source>
        <translation>录像结束 — 按 Esc 返回实时</translation>
    </message>
    <message>
        <source>Nothing recorded at this time (%1) — Esc returns to live</source>
        <translation>该时间无录像（%1）— 按 Esc 返回实时</translation>
    </message>
    <message>
        <source>disk full</source>
        <translation>磁盘已满</translation>
    </message>
    <message>
        <source>no permission</source>
        <translation>无写入权限</translation>
    </message>
    <message>
        <source>folder missing</source>
        <translation>录像目录不存在</translation>
    </message>
    <message>
        <source>read-only</source>
        <translation>只读</translation>
    </message>
    <message>
        <source>index error</source>
        <translation>索引错误</translation>
    </message>
    <message>
        <source>disk too slow</source>
        <translation>磁盘过慢</translation>
    </message>
    <message>
        <source>REC ✕ %1</source>
        <translation>录像 ✕ %1</translation>
    </message>
    <message>
        <source>write error</source>
        <translation>写入错误</translation>
    </message>
</context>
<context>
    <name>ReplayController</name>
    <message>
        <source>&amp;Replay</source>
        <translation>回放(&amp;R)</translation>
    </message>
    <message>
        <source>Instant replay: 30 s back (again: further back)</source>
        <translation>即时回放：后退 30 秒（再按继续后退）</translation>
    </message>
    <message>
        <source>Pause / resume replay</source>
        <translation>暂停 / 继续回放</translation>
    </message>
    <message>
        <source>Skip 10 s back	←</source>
        <translation>后退 10 秒	←</translation>
    </message>
    <message>
        <source>Skip 10 s forward	→</source>
        <translation>前进 10 秒	→</translation>
    </message>
    <message>
        <source>One frame back</source>
        <translation>后退一帧</translation>
    </message>
    <message>
        <source>One frame forward</source>
        <translation>前进一帧</translation>
    </message>
    <message>
        <source>Slower</source>
        <translation>减速</translation>
    </message>
    <message>
        <source>Faster</source>
        <translation>加速</translation>
    </message>
    <message>
        <source>Play the grid&apos;s tiles together (synchronised)</source>
        <translation>同步回放画面中的各路视频</translation>
    </message>
    <message>
        <source>Back to live	Esc</source>
        <translation>返回实时	Esc</translation>
    </message>
    <message>
        <source>Your role may not replay video.</source>
        <translation>您的角色无权回放视频。</translation>
    </message>
    <message>
        <source>Replay could not start (%1).</source>
        <translation>回放无法开始（%1）。</translation>
    </message>
    <message>
        <source>Only a saved camera has recordings.</source>
        <translation>只有已保存的摄像机才有录像。</translation>
    </message>
    <message>
        <source>Select a tile with a camera to replay.</source>
        <translation>请选择一个有摄像机的画面进行回放。</translation>
    </message>
    <message>
        <source>Synchronised playback needs 2 to 9 tiles showing cameras.</source>
        <translation>同步回放需要 2 到 9 个有摄像机的画面。</translation>
    </message>
    <message>
        <source>%1 tiles play together from %2.</source>
        <translation>%1 个画面从 %2 起同步回放。</translation>
    </message>
</context>
<context>
    <name>Reports</name>
    <message>
        <source>en</source>
        <comment>the language code of the reports the console writes: zh_CN in the Chinese translation</comment>
        <translation>zh_CN</translation>
    </message>
    <message>
        <source>monthly-report-%1.pdf</source>
        <translation>月度报告-%1.pdf</translation>
    </message>
    <message>
        <source>Writing the report to %1…</source>
        <translation>正在写入报告：%1…</translation>
    </message>
    <message>
        <source>Write the report</source>
        <translation>写入报告</translation>
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation>PDF 文件 (*.pdf)</translation>
    </message>
    <message>
        <source>Report written to %1.</source>
        <translation>报告已写入 %1。</translation>
    </message>
    <message>
        <source>That incident no longer exists.</source>
        <translation>该警情已不存在。</translation>
    </message>
    <message>
        <source>The report could not be written (%1).</source>
        <translation>报告无法写入（%1）。</translation>
    </message>
</context>
<context>
    <name>ResetPasswordDialog</name>
    <message>
        <source>Reset password</source>
        <translation>重置密码</translation>
    </message>
    <message>
        <source>New password for %1. They must change it at the next login; a lockout is cleared.</source>
        <translation>为 %1 设置新密码。该操作员下次登录时必须修改密码；锁定将被解除。</translation>
    </message>
    <message>
        <source>New password</source>
        <translation>新密码</translation>
    </message>
    <message>
        <source>Repeat password</source>
        <translation>确认密码</translation>
    </message>
</context>
<context>
    <name>Roles</name>
    <message>
        <source>Viewer</source>
        <translation>观看员</translation>
    </message>
    <message>
        <source>Duty officer</source>
        <translation>值班民警</translation>
    </message>
    <message>
        <source>Supervisor</source>
        <translation>主管</translation>
    </message>
    <message>
        <source>Administrator</source>
        <translation>管理员</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1（%2）</translation>
    </message>
    <message>
        <source>%1 may not do this: the role “%2” lacks the permission “%3”.</source>
        <translation>%1 无权执行此操作：角色“%2”缺少权限“%3”。</translation>
    </message>
</context>
<context>
    <name>RulesPage</name>
    <message>
        <source>0 none, 1 low, 2 medium, 3 high</source>
        <translation>0 无，1 低，2 中，3 高</translation>
    </message>
    <message>
        <source>Add rule</source>
        <translation>添加规则</translation>
    </message>
    <message>
        <source>Remove rule</source>
        <translation>删除规则</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Team</source>
        <translation>队伍</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>优先级</translation>
    </message>
    <message>
        <source>Lowest risk</source>
        <translation>最低风险</translation>
    </message>
    <message>
        <source>Camera group</source>
        <translation>摄像机分组</translation>
    </message>
    <message>
        <source>any camera</source>
        <translation>任意摄像机</translation>
    </message>
    <message>
        <source>Rule added.</source>
        <translation>规则已添加。</translation>
    </message>
    <message>
        <source>Rule removed.</source>
        <translation>规则已删除。</translation>
    </message>
</context>
<context>
    <name>SavePage</name>
    <message>
        <source>Name and save</source>
        <translation>命名并保存</translation>
    </message>
    <message>
        <source>The password is kept in the encrypted secret store, never with the camera&apos;s addresses.</source>
        <translation>密码保存在加密的密钥库中，绝不与摄像机地址存放在一起。</translation>
    </message>
    <message>
        <source>Receive the camera&apos;s events (motion, line crossing, plates) by ONVIF</source>
        <translation>通过 ONVIF 接收摄像机事件（移动、越线、车牌）</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Junction</source>
        <translation>路口</translation>
    </message>
    <message>
        <source>Transport</source>
        <translation>传输方式</translation>
    </message>
    <message>
        <source>Pan/tilt/zoom</source>
        <translation>云台/变焦</translation>
    </message>
    <message>
        <source>Camera events</source>
        <translation>摄像机事件</translation>
    </message>
    <message>
        <source>Not known yet (the camera has not answered).</source>
        <translation>尚不清楚（摄像机尚未应答）。</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>No: %1</source>
        <translation>否：%1</translation>
    </message>
    <message>
        <source>The camera does not offer an ONVIF events service.</source>
        <translation>该摄像机不提供 ONVIF 事件服务。</translation>
    </message>
    <message>
        <source>ONVIF: %1</source>
        <translation>ONVIF：%1</translation>
    </message>
</context>
<context>
    <name>SecondInstance</name>
    <message>
        <source>Command room is already running</source>
        <translation>指挥室已在运行</translation>
    </message>
    <message>
        <source>Command room is already running on this computer with the same data folder. Use its window: it may be on another screen, minimised or behind others.

This one does not start: two on one folder would record over each other&apos;s files and send every alert twice.</source>
        <translation>本机已有一个使用同一数据目录的指挥室在运行。请使用它的窗口：它可能在另一块屏幕上、已最小化或被其他窗口挡住。

本次不会启动：两个程序共用一个目录会互相覆盖录像文件，每条告警也会发送两次。</translation>
    </message>
    <message>
        <source>Data folder: %1</source>
        <translation>数据目录：%1</translation>
    </message>
    <message>
        <source>Running: process %1 on %2, since %3</source>
        <translation>正在运行：%2 上的进程 %1，启动于 %3</translation>
    </message>
</context>
<context>
    <name>SightingDetailDialog</name>
    <message>
        <source>Sighting #%1</source>
        <translation>发现记录 #%1</translation>
    </message>
    <message>
        <source>Snapshot</source>
        <translation>快照</translation>
    </message>
    <message>
        <source>Play clip</source>
        <translation>播放片段</translation>
    </message>
    <message>
        <source>Clip</source>
        <translation>片段</translation>
    </message>
    <message>
        <source>Who:</source>
        <translation>对象：</translation>
    </message>
    <message>
        <source>Camera:</source>
        <translation>摄像机：</translation>
    </message>
    <message>
        <source>Time:</source>
        <translation>时间：</translation>
    </message>
    <message>
        <source>Operator:</source>
        <translation>操作员：</translation>
    </message>
    <message>
        <source>Clip:</source>
        <translation>片段：</translation>
    </message>
    <message>
        <source>Note:</source>
        <translation>备注：</translation>
    </message>
    <message>
        <source>Check hashes</source>
        <translation>校验哈希</translation>
    </message>
    <message>
        <source>Snapshot file:</source>
        <translation>快照文件：</translation>
    </message>
    <message>
        <source>Clip file:</source>
        <translation>片段文件：</translation>
    </message>
    <message>
        <source>checking…</source>
        <translation>正在核验…</translation>
    </message>
</context>
<context>
    <name>SightingListWindow</name>
    <message>
        <source>Reload</source>
        <translation>重新加载</translation>
    </message>
    <message>
        <source>No sightings.</source>
        <translation>无发现记录。</translation>
    </message>
    <message>
        <source>%1 sightings, %2 — %3</source>
        <translation>%1 条发现记录，%2 — %3</translation>
    </message>
</context>
<context>
    <name>SightingTable</name>
    <message>
        <source>Play at this moment</source>
        <translation>从此刻回放</translation>
    </message>
    <message>
        <source>New incident from this sighting</source>
        <translation>由此发现新建警情</translation>
    </message>
    <message>
        <source>Open sighting…</source>
        <translation>打开发现记录…</translation>
    </message>
    <message>
        <source>Timeline of this entry…</source>
        <translation>该档案的时间线…</translation>
    </message>
    <message>
        <source>Trajectory on the map…</source>
        <translation>地图上的轨迹…</translation>
    </message>
    <message>
        <source>Sightings at this camera…</source>
        <translation>该摄像机的发现记录…</translation>
    </message>
</context>
<context>
    <name>SightingTableModel</name>
    <message>
        <source>Picture</source>
        <translation>图片</translation>
    </message>
    <message>
        <source>Who</source>
        <translation>对象</translation>
    </message>
    <message>
        <source>Camera</source>
        <translation>摄像机</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Operator</source>
        <translation>操作员</translation>
    </message>
    <message>
        <source>Clip</source>
        <translation>片段</translation>
    </message>
</context>
<context>
    <name>SightingTexts</name>
    <message>
        <source>clip being cut…</source>
        <translation>正在截取片段…</translation>
    </message>
    <message>
        <source>clip ready</source>
        <translation>片段就绪</translation>
    </message>
    <message>
        <source>clip failed</source>
        <translation>片段生成失败</translation>
    </message>
    <message>
        <source>verified</source>
        <translation>已校验</translation>
    </message>
    <message>
        <source>altered</source>
        <translation>已被篡改</translation>
    </message>
    <message>
        <source>missing</source>
        <translation>缺失</translation>
    </message>
    <message>
        <source>not recorded</source>
        <translation>未记录</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <source>%1 min</source>
        <translation>%1 分钟</translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1 小时 %2 分钟</translation>
    </message>
</context>
<context>
    <name>SightingsUi</name>
    <message>
        <source>Sightings</source>
        <translation>发现记录</translation>
    </message>
    <message>
        <source>Watch l&amp;ist</source>
        <translation>布控名单(&amp;I)</translation>
    </message>
    <message>
        <source>Search watch list…</source>
        <translation>搜索布控名单…</translation>
    </message>
    <message>
        <source>Show sightings list</source>
        <translation>显示发现记录列表</translation>
    </message>
    <message>
        <source>Sightings at a camera…</source>
        <translation>按摄像机查看发现记录…</translation>
    </message>
    <message>
        <source>Map editor (camera positions)…</source>
        <translation>地图编辑器（摄像机位置）…</translation>
    </message>
    <message>
        <source>The camera of this sighting no longer exists.</source>
        <translation>这条发现记录的摄像机已不存在。</translation>
    </message>
    <message>
        <source>Replay is not available in this console.</source>
        <translation>此控制台暂不能回放。</translation>
    </message>
    <message>
        <source>Timeline — %1</source>
        <translation>时间线 — %1</translation>
    </message>
    <message>
        <source>Trajectory on the map…</source>
        <translation>地图上的轨迹…</translation>
    </message>
    <message>
        <source>Sightings at %1</source>
        <translation>%1 的发现记录</translation>
    </message>
    <message>
        <source>Sightings at a camera</source>
        <translation>按摄像机查看发现记录</translation>
    </message>
    <message>
        <source>Camera:</source>
        <translation>摄像机：</translation>
    </message>
</context>
<context>
    <name>SnapshotView</name>
    <message>
        <source>Loading snapshot…</source>
        <translation>正在加载快照…</translation>
    </message>
    <message>
        <source>The snapshot file cannot be read.</source>
        <translation>无法读取快照文件。</translation>
    </message>
</context>
<context>
    <name>Statistics</name>
    <message>
        <source>Median</source>
        <translation>中位数</translation>
    </message>
    <message>
        <source>Month on month, year on year</source>
        <translation>环比、同比</translation>
    </message>
    <message>
        <source>Figure</source>
        <translation>指标</translation>
    </message>
    <message>
        <source>Month</source>
        <translation>本期月份</translation>
    </message>
    <message>
        <source>Month before</source>
        <translation>上月</translation>
    </message>
    <message>
        <source>Change %</source>
        <translation>变化 %</translation>
    </message>
    <message>
        <source>Same month a year before</source>
        <translation>去年同月</translation>
    </message>
    <message>
        <source>Sightings per junction and day</source>
        <translation>各路口每日发现数</translation>
    </message>
    <message>
        <source>Day</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Junction</source>
        <translation>路口</translation>
    </message>
    <message>
        <source>Sightings</source>
        <translation>发现数</translation>
    </message>
    <message>
        <source>Alerts per team and category</source>
        <translation>各队各类告警数</translation>
    </message>
    <message>
        <source>Team</source>
        <translation>队伍</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Alerts</source>
        <translation>告警数</translation>
    </message>
    <message>
        <source>Time to acknowledge</source>
        <translation>签收用时</translation>
    </message>
    <message>
        <source>Minutes</source>
        <translation>分钟</translation>
    </message>
    <message>
        <source>Incidents</source>
        <translation>警情数</translation>
    </message>
    <message>
        <source>Time to resolution</source>
        <translation>处置用时</translation>
    </message>
    <message>
        <source>Outcomes</source>
        <translation>处置结果</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Caught</source>
        <translation>抓获</translation>
    </message>
    <message>
        <source>Cleared</source>
        <translation>已排除</translation>
    </message>
    <message>
        <source>False alarm</source>
        <translation>误报</translation>
    </message>
    <message>
        <source>Handed over</source>
        <translation>已移交</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>未结</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <source>%1 min</source>
        <translation>%1 分钟</translation>
    </message>
    <message>
        <source>median: none yet</source>
        <translation>中位数：暂无</translation>
    </message>
    <message>
        <source>median %1</source>
        <translation>中位数 %1</translation>
    </message>
    <message>
        <source>%1: no base for comparison (none in the same month last year)</source>
        <translation>%1同比：无可比数据（去年同月为 0）</translation>
    </message>
    <message>
        <source>%1: no base for comparison (none last month)</source>
        <translation>%1环比：无可比数据（上月为 0）</translation>
    </message>
    <message>
        <source>%1 year on year: unchanged</source>
        <translation>%1同比持平</translation>
    </message>
    <message>
        <source>%1 month on month: unchanged</source>
        <translation>%1环比持平</translation>
    </message>
    <message>
        <source>%1 year on year: down %2 %</source>
        <translation>%1同比下降 %2 %</translation>
    </message>
    <message>
        <source>%1 month on month: down %2 %</source>
        <translation>%1环比下降 %2 %</translation>
    </message>
    <message>
        <source>%1 year on year: up %2 %</source>
        <translation>%1同比上升 %2 %</translation>
    </message>
    <message>
        <source>%1 month on month: up %2 %</source>
        <translation>%1环比上升 %2 %</translation>
    </message>
</context>
<context>
    <name>StatisticsUi</name>
    <message>
        <source>Stati&amp;stics</source>
        <translation>统计(&amp;S)</translation>
    </message>
    <message>
        <source>Statistics…</source>
        <translation>统计分析…</translation>
    </message>
</context>
<context>
    <name>StatisticsWindow</name>
    <message>
        <source>Loading statistics…</source>
        <translation>正在读取统计数据…</translation>
    </message>
    <message>
        <source>Statistics</source>
        <translation>统计分析</translation>
    </message>
    <message>
        <source>&amp;Export this table as CSV…</source>
        <translation>将此表导出为 CSV(&amp;E)…</translation>
    </message>
    <message>
        <source>&amp;Monthly report PDF…</source>
        <translation>月度报告 PDF(&amp;M)…</translation>
    </message>
    <message>
        <source>The last 30 days: %1 to %2</source>
        <translation>近 30 天：%1 至 %2</translation>
    </message>
    <message>
        <source>Month %1 against the month before and a year before:</source>
        <translation>%1 月与上月及去年同月相比：</translation>
    </message>
    <message>
        <source>Sightings per day</source>
        <translation>每日发现数</translation>
    </message>
    <message>
        <source>Sightings</source>
        <translation>发现数</translation>
    </message>
    <message>
        <source>Alerts per team and category</source>
        <translation>各队各类告警数</translation>
    </message>
    <message>
        <source>Time to acknowledge (minutes)</source>
        <translation>签收用时（分钟）</translation>
    </message>
    <message>
        <source>Time to resolution, minutes (%1)</source>
        <translation>处置用时，分钟（%1）</translation>
    </message>
    <message>
        <source>Incidents</source>
        <translation>警情数</translation>
    </message>
    <message>
        <source>Incidents by outcome</source>
        <translation>各处置结果警情数</translation>
    </message>
    <message>
        <source>The statistics could not be read (%1).</source>
        <translation>无法读取统计数据（%1）。</translation>
    </message>
    <message>
        <source>Export statistics</source>
        <translation>导出统计</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <source>Statistics written to %1.</source>
        <translation>统计已写入 %1。</translation>
    </message>
    <message>
        <source>The statistics could not be written (%1).</source>
        <translation>无法写入统计（%1）。</translation>
    </message>
</context>
<context>
    <name>StreamStatus</name>
    <message>
        <source>Connecting</source>
        <translation>连接中</translation>
    </message>
    <message>
        <source>Live</source>
        <translation>在线</translation>
    </message>
    <message>
        <source>Stalled</source>
        <translation>画面停滞</translation>
    </message>
    <message>
        <source>Reconnecting</source>
        <translation>重新连接中</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>离线</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>camera unreachable</source>
        <translation>摄像机不可达</translation>
    </message>
    <message>
        <source>connection refused</source>
        <translation>连接被拒绝</translation>
    </message>
    <message>
        <source>wrong user name or password</source>
        <translation>用户名或密码错误</translation>
    </message>
    <message>
        <source>stream not found</source>
        <translation>未找到视频流</translation>
    </message>
    <message>
        <source>unsupported codec</source>
        <translation>不支持的编码格式</translation>
    </message>
    <message>
        <source>no answer (timeout)</source>
        <translation>无应答（超时）</translation>
    </message>
    <message>
        <source>data but no picture</source>
        <translation>有数据但无画面</translation>
    </message>
    <message>
        <source>stream error</source>
        <translation>视频流错误</translation>
    </message>
    <message>
        <source>%1 min</source>
        <translation>%1 分钟</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <source>Stalled — data but no picture</source>
        <translation>画面停滞 — 有数据但无画面</translation>
    </message>
    <message>
        <source>Stalled — no data</source>
        <translation>画面停滞 — 无数据</translation>
    </message>
    <message>
        <source>, reconnecting in %1</source>
        <translation>，%1后重新连接</translation>
    </message>
    <message>
        <source>(attempt %1, trying now)</source>
        <translation>（第 %1 次尝试，正在连接）</translation>
    </message>
    <message>
        <source>(attempt %1, retry in %2)</source>
        <translation>（第 %1 次尝试，%2后重试）</translation>
    </message>
    <message>
        <source>not retrying</source>
        <translation>已停止重试</translation>
    </message>
    <message>
        <source>trying again now</source>
        <translation>正在重试</translation>
    </message>
    <message>
        <source>still trying, next in %1</source>
        <translation>仍在重试，%1后再试</translation>
    </message>
    <message>
        <source>Slow — %1 fps, %2 s behind</source>
        <translation>网络慢 — %1 帧/秒，落后 %2 秒</translation>
    </message>
    <message>
        <source>Damaged stream — errors concealed: %1</source>
        <translation>视频流受损 — 已掩盖错误：%1</translation>
    </message>
    <message>
        <source>Delayed — %1 s after the camera</source>
        <translation>延迟 — 比摄像机晚 %1 秒</translation>
    </message>
    <message>
        <source>delay %1 ms (camera clock)</source>
        <translation>延迟 %1 毫秒（摄像机时钟）</translation>
    </message>
    <message>
        <source>delay unknown (no sender reports)</source>
        <translation>延迟未知（无发送端报告）</translation>
    </message>
    <message>
        <source>no network delay (rendered here)</source>
        <translation>无网络延迟（本机生成）</translation>
    </message>
    <message>
        <source>no delay (a file)</source>
        <translation>无延迟（文件）</translation>
    </message>
    <message>
        <source>sw</source>
        <translation>软解</translation>
    </message>
    <message>
        <source>no hardware decoder on this computer</source>
        <translation>本机无硬件解码器</translation>
    </message>
    <message>
        <source>hardware decoder did not open</source>
        <translation>硬件解码器无法打开</translation>
    </message>
    <message>
        <source>no hardware decoder for this codec</source>
        <translation>此编码无硬件解码器</translation>
    </message>
    <message>
        <source>hardware decoder failed, software now</source>
        <translation>硬件解码失败，已改用软解</translation>
    </message>
    <message>
        <source>decode %1</source>
        <translation>解码 %1</translation>
    </message>
    <message>
        <source>%1 s behind</source>
        <translation>落后 %1 秒</translation>
    </message>
    <message>
        <source>damaged %1</source>
        <translation>受损 %1</translation>
    </message>
    <message>
        <source>skipped %1</source>
        <translation>跳过 %1</translation>
    </message>
</context>
<context>
    <name>StreamsPage</name>
    <message>
        <source>Video streams</source>
        <translation>视频流</translation>
    </message>
    <message>
        <source>The largest profile becomes the main stream, the smallest the sub stream. Change them if you wish; the preview plays what will be saved.</source>
        <translation>最大的配置文件用作主码流，最小的用作子码流。如有需要可更改；预览播放的即为将要保存的内容。</translation>
    </message>
    <message>
        <source>Profile</source>
        <translation>配置文件</translation>
    </message>
    <message>
        <source>Codec</source>
        <translation>编码</translation>
    </message>
    <message>
        <source>Resolution</source>
        <translation>分辨率</translation>
    </message>
    <message>
        <source>FPS</source>
        <translation>FPS</translation>
    </message>
    <message>
        <source>Stream address</source>
        <translation>流地址</translation>
    </message>
    <message>
        <source>Use as main</source>
        <translation>用作主码流</translation>
    </message>
    <message>
        <source>Use as sub</source>
        <translation>用作子码流</translation>
    </message>
    <message>
        <source>Keep these addresses</source>
        <translation>保留这些地址</translation>
    </message>
    <message>
        <source>Preview the sub stream</source>
        <translation>预览子码流</translation>
    </message>
    <message>
        <source>Preview the main stream</source>
        <translation>预览主码流</translation>
    </message>
    <message>
        <source>Main stream</source>
        <translation>主码流</translation>
    </message>
    <message>
        <source>Sub stream</source>
        <translation>子码流</translation>
    </message>
    <message>
        <source>Snapshot</source>
        <translation>快照</translation>
    </message>
    <message>
        <source>Asking the camera for its profiles…</source>
        <translation>正在向摄像机查询配置文件…</translation>
    </message>
    <message>
        <source>The camera offers no playable stream.</source>
        <translation>摄像机没有可播放的视频流。</translation>
    </message>
    <message>
        <source>Main: %1 · sub: %2</source>
        <translation>主码流：%1 · 子码流：%2</translation>
    </message>
    <message>
        <source>Use the camera&apos;s address (%1)</source>
        <translation>改用摄像机的地址（%1）</translation>
    </message>
    <message>
        <source>The preview waits until you choose which address to use.</source>
        <translation>请先选择要使用的地址，然后才会预览。</translation>
    </message>
    <message>
        <source>Preview</source>
        <translation>预览</translation>
    </message>
</context>
<context>
    <name>SuggestionCard</name>
    <message>
        <source>Why dismiss this suggestion?</source>
        <translation>为什么忽略此疑似发现？</translation>
    </message>
    <message>
        <source>Suggested sighting · %1 of %2</source>
        <translation>疑似发现 · 第 %1 条，共 %2 条</translation>
    </message>
    <message>
        <source>high-risk waiting</source>
        <translation>有高风险待处理</translation>
    </message>
    <message>
        <source>On file %1 · %2 · %3 risk</source>
        <translation>登记车牌 %1 · %2 · 风险：%3</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>正在保存…</translation>
    </message>
    <message>
        <source>1/2/3 or Enter: dismiss with that reason · Esc: back</source>
        <translation>1/2/3 或回车：按所选原因忽略 · Esc：返回</translation>
    </message>
    <message>
        <source>Enter: confirm sighting · Esc: dismiss</source>
        <translation>回车：确认发现 · Esc：忽略</translation>
    </message>
    <message>
        <source>Ctrl+K: answer this card (Enter confirms, Esc dismisses)</source>
        <translation>Ctrl+K：处理此卡片（回车确认，Esc 忽略）</translation>
    </message>
    <message>
        <source>no picture</source>
        <translation>无图片</translation>
    </message>
    <message>
        <source>loading picture…</source>
        <translation>正在加载图片…</translation>
    </message>
    <message>
        <source>picture unreadable</source>
        <translation>图片无法读取</translation>
    </message>
</context>
<context>
    <name>TagDialog</name>
    <message>
        <source>Tag sighting — %1</source>
        <translation>标记发现 — %1</translation>
    </message>
    <message>
        <source>Drag on the picture to mark the person or vehicle (optional).</source>
        <translation>在画面上拖动以框选人员或车辆（可选）。</translation>
    </message>
    <message>
        <source>Who is it? Name, alias, ID number or plate…</source>
        <translation>是谁？姓名、别名、身份证号或车牌…</translation>
    </message>
    <message>
        <source>Note (optional)</source>
        <translation>备注（可选）</translation>
    </message>
    <message>
        <source>Then alert the teams (preview first)</source>
        <translation>保存后通知各队伍（先预览）</translation>
    </message>
    <message>
        <source>Save (Enter)</source>
        <translation>保存 (Enter)</translation>
    </message>
    <message>
        <source>Cancel (Esc)</source>
        <translation>取消 (Esc)</translation>
    </message>
    <message>
        <source>Watch list</source>
        <translation>布控名单</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>(archived)</source>
        <translation>（已归档）</translation>
    </message>
    <message>
        <source>Unknown person — open a new file</source>
        <translation>身份不明人员 — 新建档案</translation>
    </message>
    <message>
        <source>Unknown vehicle — open a new file</source>
        <translation>不明车辆 — 新建档案</translation>
    </message>
    <message>
        <source>Unknown person (%1, %2)</source>
        <translation>身份不明人员（%1，%2）</translation>
    </message>
    <message>
        <source>Unknown vehicle (%1, %2)</source>
        <translation>身份不明车辆（%1，%2）</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>正在保存…</translation>
    </message>
</context>
<context>
    <name>TaggingController</name>
    <message>
        <source>Tag sighting</source>
        <translation>标记发现</translation>
    </message>
    <message>
        <source>Your role may not tag sightings.</source>
        <translation>您的角色无权标记发现。</translation>
    </message>
    <message>
        <source>Select a live tile to tag.</source>
        <translation>请选择一个在线画面进行标记。</translation>
    </message>
    <message>
        <source>No picture on this tile yet.</source>
        <translation>该画面暂无图像。</translation>
    </message>
    <message>
        <source>Sighting saved at %1; the evidence clip follows.</source>
        <translation>发现记录已于 %1 保存，证据视频片段随后生成。</translation>
    </message>
    <message>
        <source>The sighting could not be saved (%1).</source>
        <translation>无法保存发现记录（%1）。</translation>
    </message>
</context>
<context>
    <name>TeamAckPanel</name>
    <message>
        <source>Record</source>
        <translation>记录</translation>
    </message>
    <message>
        <source>Acknowledged:</source>
        <translation>签收：</translation>
    </message>
    <message>
        <source>by</source>
        <translation>应答人</translation>
    </message>
    <message>
        <source>The incident was not sent to any team yet: send an alert about it (or make an incident of an alert) first.</source>
        <translation>此警情尚未派给任何队伍：请先为其发送告警（或将告警立为警情）。</translation>
    </message>
    <message>
        <source>%1 (acknowledged)</source>
        <translation>%1（已签收）</translation>
    </message>
    <message>
        <source>Loading the team&apos;s members…</source>
        <translation>正在读取本队队员……</translation>
    </message>
    <message>
        <source>Nobody on file: type who answered</source>
        <translation>未登记成员：请填写应答人</translation>
    </message>
    <message>
        <source>%1 acknowledged already %2 (%3), in %4: not recorded again.</source>
        <translation>%1已%2签收（%3），用时 %4，不再重复记录。</translation>
    </message>
    <message>
        <source>The team&apos;s members are still loading.</source>
        <translation>队伍成员仍在读取中。</translation>
    </message>
    <message>
        <source>Say who of %1 answered.</source>
        <translation>请填写%1的应答人。</translation>
    </message>
</context>
<context>
    <name>TeamsWindow</name>
    <message>
        <source>The change failed unexpectedly (%1).</source>
        <translation>修改意外失败（%1）。</translation>
    </message>
    <message>
        <source>Teams and channels</source>
        <translation>队伍与推送渠道</translation>
    </message>
    <message>
        <source>Rename</source>
        <translation>改名</translation>
    </message>
    <message>
        <source>key, e.g. traffic</source>
        <translation>标识，例如 traffic</translation>
    </message>
    <message>
        <source>New team</source>
        <translation>新建队伍</translation>
    </message>
    <message>
        <source>&amp;Members</source>
        <translation>队员(&amp;M)</translation>
    </message>
    <message>
        <source>C&amp;hannels</source>
        <translation>推送渠道(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;Routing rules</source>
        <translation>分派规则(&amp;R)</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>&amp;Team</source>
        <translation>队伍(&amp;T)</translation>
    </message>
    <message>
        <source>No enabled channel: alerts reach this team only by phone.</source>
        <translation>没有启用的推送渠道：告警只能电话通知本队。</translation>
    </message>
    <message>
        <source>No members on file: this team&apos;s messages carry no acknowledgement link (the page lets only a listed member acknowledge).</source>
        <translation>没有登记队员：发给本队的消息不带签收链接（签收页面只允许名单上的队员签收）。</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>正在保存……</translation>
    </message>
    <message>
        <source>Team renamed.</source>
        <translation>队伍已改名。</translation>
    </message>
    <message>
        <source>Type a short key for the new team (letters, digits, - and _), and its name in the name field.</source>
        <translation>请为新队伍输入简短标识（字母、数字、- 和 _），并在名称栏输入队名。</translation>
    </message>
    <message>
        <source>Team %1 created.</source>
        <translation>队伍 %1 已创建。</translation>
    </message>
    <message>
        <source>Sending a test message…</source>
        <translation>正在发送测试消息……</translation>
    </message>
</context>
<context>
    <name>Timeline</name>
    <message>
        <source>the camera was offline (connection lost)</source>
        <translation>摄像机离线（连接中断）</translation>
    </message>
    <message>
        <source>the camera sent no picture (stalled)</source>
        <translation>摄像机没有画面（卡住）</translation>
    </message>
    <message>
        <source>the command-room program was not running</source>
        <translation>指挥室程序未运行</translation>
    </message>
    <message>
        <source>the recording could not be written (disk full, permission or folder missing)</source>
        <translation>录像无法写入（磁盘已满、无权限或文件夹不存在）</translation>
    </message>
    <message>
        <source>the disk could not keep up; video was dropped</source>
        <translation>磁盘写入跟不上，部分视频被丢弃</translation>
    </message>
    <message>
        <source>recording was off for this camera</source>
        <translation>该摄像机的录像已关闭</translation>
    </message>
    <message>
        <source>the camera has no recorder (NVR) set up</source>
        <translation>该摄像机未配置录像机（NVR）</translation>
    </message>
    <message>
        <source>the NVR holds nothing for this time</source>
        <translation>NVR 在这段时间没有录像</translation>
    </message>
    <message>
        <source>the NVR sent no video for this time</source>
        <translation>NVR 没有发送这段时间的视频</translation>
    </message>
    <message>
        <source>the NVR could not be reached</source>
        <translation>无法连接 NVR</translation>
    </message>
    <message>
        <source>the NVR did not answer in time</source>
        <translation>NVR 未及时应答</translation>
    </message>
    <message>
        <source>the NVR refused the user name or password</source>
        <translation>NVR 拒绝了用户名或密码</translation>
    </message>
    <message>
        <source>the NVR cannot search or replay</source>
        <translation>NVR 不支持检索或回放</translation>
    </message>
    <message>
        <source>the NVR failed recently and is not asked again yet</source>
        <translation>NVR 刚刚出错，暂不再次请求</translation>
    </message>
    <message>
        <source>the NVR answered with an error</source>
        <translation>NVR 返回了错误</translation>
    </message>
    <message>
        <source>nothing was recorded</source>
        <translation>没有录像</translation>
    </message>
    <message>
        <source>Recorded from %1 (still recording)</source>
        <translation>自 %1 起已录像（仍在录制）</translation>
    </message>
    <message>
        <source>Recorded %1</source>
        <translation>已录像 %1</translation>
    </message>
    <message>
        <source>%1: the NVR may hold video here (it cannot be searched); playback will try</source>
        <translation>%1：NVR 这里可能有录像（无法检索），回放时会尝试</translation>
    </message>
    <message>
        <source>No recording %1: %2</source>
        <translation>无录像 %1：%2</translation>
    </message>
    <message>
        <source>a sighting</source>
        <translation>一条发现记录</translation>
    </message>
    <message>
        <source>an alert</source>
        <translation>一条警报</translation>
    </message>
    <message>
        <source>an export</source>
        <translation>一次导出</translation>
    </message>
    <message>
        <source>an officer</source>
        <translation>一位警员</translation>
    </message>
    <message>
        <source>Evidence lock %1, kept for %2: retention never deletes it.</source>
        <translation>证据锁定 %1，因%2而保留：保留策略不会删除这段录像。</translation>
    </message>
    <message>
        <source>Locked by %1</source>
        <translation>锁定人：%1</translation>
    </message>
    <message>
        <source>Camera event: %1</source>
        <translation>摄像机事件：%1</translation>
    </message>
    <message>
        <source>Plate: %1</source>
        <translation>车牌：%1</translation>
    </message>
    <message>
        <source>High-priority alert: %1</source>
        <translation>高优先级警报：%1</translation>
    </message>
    <message>
        <source>Alert: %1</source>
        <translation>警报：%1</translation>
    </message>
    <message>
        <source>%1 · sent by %2</source>
        <translation>%1 · 发送人 %2</translation>
    </message>
    <message>
        <source>Sighting: %1</source>
        <translation>发现记录：%1</translation>
    </message>
    <message>
        <source>%1 · tagged by %2</source>
        <translation>%1 · 标记人 %2</translation>
    </message>
</context>
<context>
    <name>TimelineUi</name>
    <message>
        <source>Timeline</source>
        <translation>时间轴</translation>
    </message>
    <message>
        <source>Show timeline</source>
        <translation>显示时间轴</translation>
    </message>
    <message>
        <source>Go to time…</source>
        <translation>跳转到时间…</translation>
    </message>
    <message>
        <source>Focus the timeline</source>
        <translation>聚焦时间轴</translation>
    </message>
    <message>
        <source>The timeline could not be read: %1</source>
        <translation>无法读取时间轴：%1</translation>
    </message>
    <message>
        <source>Replay is not available: the moment is marked on the timeline only.</source>
        <translation>暂不能回放：该时刻仅在时间轴上标出。</translation>
    </message>
</context>
<context>
    <name>TimelineWidget</name>
    <message>
        <source>Select a tile with a camera to see its recordings.</source>
        <translation>选择一个有摄像机的画面格以查看其录像。</translation>
    </message>
    <message>
        <source>%1 min</source>
        <translation>%1 分钟</translation>
    </message>
    <message>
        <source>%1 h</source>
        <translation>%1 小时</translation>
    </message>
    <message>
        <source>%1 days</source>
        <translation>%1 天</translation>
    </message>
    <message>
        <source>%1 · live</source>
        <translation>%1 · 实时</translation>
    </message>
</context>
<context>
    <name>TrajectoryWindow</name>
    <message>
        <source>Stops in time order:</source>
        <translation>按时间顺序的停留点：</translation>
    </message>
    <message>
        <source>(camera not placed on the map)</source>
        <translation>（摄像机未放置在地图上）</translation>
    </message>
    <message>
        <source>No sightings yet.</source>
        <translation>暂无发现记录。</translation>
    </message>
</context>
<context>
    <name>VideoPath</name>
    <message>
        <source>CPU</source>
        <translation>CPU 绘制</translation>
    </message>
    <message>
        <source>GL</source>
        <translation>GPU 绘制</translation>
    </message>
</context>
<context>
    <name>VideoTile</name>
    <message>
        <source>Empty — drag a camera here</source>
        <translation>空 — 将摄像机拖到此处</translation>
    </message>
    <message>
        <source>Maximise / restore</source>
        <translation>最大化/还原</translation>
    </message>
    <message>
        <source>Tag sighting (T)</source>
        <translation>标记发现 (T)</translation>
    </message>
    <message>
        <source>Snapshot to PNG</source>
        <translation>快照存为 PNG</translation>
    </message>
    <message>
        <source>Show on wall</source>
        <translation>在大屏显示</translation>
    </message>
    <message>
        <source>Close tile</source>
        <translation>关闭画面</translation>
    </message>
</context>
<context>
    <name>WallController</name>
    <message>
        <source>Only one screen: the wall is shown as a window.</source>
        <translation>仅有一个屏幕：大屏以窗口形式显示。</translation>
    </message>
    <message>
        <source>Only one screen: Ctrl+Alt+W opens the wall beside the console.</source>
        <translation>只有一块屏幕：按 Ctrl+Alt+W 在值班台旁边打开大屏。</translation>
    </message>
    <message>
        <source>The wall window was closed; Wall → Show / hide wall window (Ctrl+Alt+W) brings it back.</source>
        <translation>大屏窗口已关闭；“大屏 → 显示/隐藏大屏窗口”（Ctrl+Alt+W）可重新打开。</translation>
    </message>
    <message>
        <source>The wall screen was disconnected; the wall moved to another screen.</source>
        <translation>大屏显示器已断开；大屏已移至另一屏幕。</translation>
    </message>
    <message>
        <source>The wall screen was disconnected; the wall comes back when it is plugged in again.</source>
        <translation>大屏显示器已断开；重新接入后大屏将恢复显示。</translation>
    </message>
    <message>
        <source>The wall screen is back.</source>
        <translation>大屏显示器已恢复。</translation>
    </message>
</context>
<context>
    <name>WallMiniature</name>
    <message>
        <source>empty</source>
        <translation>空</translation>
    </message>
    <message>
        <source>FROZEN</source>
        <translation>已冻结</translation>
    </message>
    <message>
        <source>Wall screen disconnected</source>
        <translation>大屏显示器已断开</translation>
    </message>
    <message>
        <source>Clear this wall tile</source>
        <translation>清除该大屏画面</translation>
    </message>
</context>
<context>
    <name>WallPanel</name>
    <message>
        <source>Freeze</source>
        <translation>冻结</translation>
    </message>
    <message>
        <source>Tour</source>
        <translation>轮巡</translation>
    </message>
    <message>
        <source>Clear alert</source>
        <translation>清除告警</translation>
    </message>
    <message>
        <source>Wall</source>
        <translation>大屏</translation>
    </message>
    <message>
        <source>person of interest</source>
        <translation>重点人员</translation>
    </message>
    <message>
        <source>manual alert</source>
        <translation>手动告警</translation>
    </message>
    <message>
        <source>&amp;Wall</source>
        <translation>大屏(&amp;W)</translation>
    </message>
    <message>
        <source>Show selected tile on wall</source>
        <translation>在大屏显示所选画面</translation>
    </message>
    <message>
        <source>Send console layout to wall</source>
        <translation>将值班台布局发送到大屏</translation>
    </message>
    <message>
        <source>Clear selected wall tile</source>
        <translation>清除所选大屏画面</translation>
    </message>
    <message>
        <source>Freeze / unfreeze wall</source>
        <translation>冻结/解冻大屏</translation>
    </message>
    <message>
        <source>Start / stop wall tour</source>
        <translation>开始/停止大屏轮巡</translation>
    </message>
    <message>
        <source>Raise alert banner for selected tile</source>
        <translation>为所选画面发出告警横幅</translation>
    </message>
    <message>
        <source>Clear alert banner</source>
        <translation>清除告警横幅</translation>
    </message>
    <message>
        <source>Show / hide wall window</source>
        <translation>显示/隐藏大屏窗口</translation>
    </message>
    <message>
        <source>Wall layout</source>
        <translation>大屏布局</translation>
    </message>
    <message>
        <source>Show named layout on wall</source>
        <translation>在大屏显示已保存的布局</translation>
    </message>
    <message>
        <source>(no saved layouts)</source>
        <translation>（没有已保存的布局）</translation>
    </message>
    <message>
        <source>Wall screen</source>
        <translation>大屏显示器</translation>
    </message>
</context>
<context>
    <name>WallWindow</name>
    <message>
        <source>Wall</source>
        <translation>大屏</translation>
    </message>
    <message>
        <source>Command room</source>
        <translation>指挥室</translation>
    </message>
</context>
<context>
    <name>WatchlistTexts</name>
    <message>
        <source>Person</source>
        <translation>人员</translation>
    </message>
    <message>
        <source>Vehicle</source>
        <translation>车辆</translation>
    </message>
    <message>
        <source>Wanted</source>
        <translation>在逃人员</translation>
    </message>
    <message>
        <source>Suspect</source>
        <translation>嫌疑人</translation>
    </message>
    <message>
        <source>Missing person</source>
        <translation>失踪人员</translation>
    </message>
    <message>
        <source>Fraud risk</source>
        <translation>易受诈骗人员</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>其他</translation>
    </message>
    <message>
        <source>Low</source>
        <translation>低</translation>
    </message>
    <message>
        <source>Medium</source>
        <translation>中</translation>
    </message>
    <message>
        <source>High</source>
        <translation>高</translation>
    </message>
    <message>
        <source>Unknown</source>
        <translation>不详</translation>
    </message>
    <message>
        <source>Male</source>
        <translation>男</translation>
    </message>
    <message>
        <source>Female</source>
        <translation>女</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Aliases</source>
        <translation>别名</translation>
    </message>
    <message>
        <source>ID number</source>
        <translation>身份证号</translation>
    </message>
    <message>
        <source>Sex</source>
        <translation>性别</translation>
    </message>
    <message>
        <source>Date of birth</source>
        <translation>出生日期</translation>
    </message>
    <message>
        <source>Plate</source>
        <translation>车牌</translation>
    </message>
    <message>
        <source>Colour</source>
        <translation>颜色</translation>
    </message>
    <message>
        <source>Make / model</source>
        <translation>品牌/型号</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Risk</source>
        <translation>风险等级</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>布控原因</translation>
    </message>
    <message>
        <source>Case reference</source>
        <translation>案件编号</translation>
    </message>
    <message>
        <source>Valid from</source>
        <translation>生效日期</translation>
    </message>
    <message>
        <source>Valid until</source>
        <translation>失效日期</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>You are not allowed to do this (%1 may not %2).</source>
        <translation>您无权执行此操作（%1 没有 %2 权限）。</translation>
    </message>
    <message>
        <source>The action failed unexpectedly (%1).</source>
        <translation>操作意外失败（%1）。</translation>
    </message>
</context>
<context>
    <name>WatchlistWindow</name>
    <message>
        <source>Watch list</source>
        <translation>布控名单</translation>
    </message>
    <message>
        <source>Search name, alias, ID number or plate…</source>
        <translation>搜索姓名、别名、身份证号或车牌…</translation>
    </message>
    <message>
        <source>All</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>Persons</source>
        <translation>人员</translation>
    </message>
    <message>
        <source>Vehicles</source>
        <translation>车辆</translation>
    </message>
    <message>
        <source>Show archived</source>
        <translation>显示已归档</translation>
    </message>
    <message>
        <source>Name / plate</source>
        <translation>姓名/车牌</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>ID number / plate</source>
        <translation>身份证号/车牌</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Risk</source>
        <translation>风险等级</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>New person</source>
        <translation>新建人员</translation>
    </message>
    <message>
        <source>New vehicle</source>
        <translation>新建车辆</translation>
    </message>
    <message>
        <source>Import CSV…</source>
        <translation>导入 CSV…</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>导出 CSV…</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Archive</source>
        <translation>归档</translation>
    </message>
    <message>
        <source>Restore</source>
        <translation>恢复</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Timeline…</source>
        <translation>时间线…</translation>
    </message>
    <message>
        <source>Trajectory…</source>
        <translation>轨迹…</translation>
    </message>
    <message>
        <source>Your role cannot see the watch list.</source>
        <translation>您的角色无权查看布控名单。</translation>
    </message>
    <message>
        <source>archived</source>
        <translation>已归档</translation>
    </message>
    <message>
        <source>active</source>
        <translation>有效</translation>
    </message>
    <message>
        <source>Type a name, alias, ID number or plate.</source>
        <translation>请输入姓名、别名、身份证号或车牌。</translation>
    </message>
    <message>
        <source>%1 found</source>
        <translation>找到 %1 条</translation>
    </message>
    <message>
        <source>Loading the watch list…</source>
        <translation>正在加载布控名单…</translation>
    </message>
    <message>
        <source>This file has %1 sighting(s): it is evidence and can only be archived.</source>
        <translation>该档案有 %1 条发现记录，属于证据，只能归档。</translation>
    </message>
    <message>
        <source>Delete a file entered by mistake.</source>
        <translation>删除误录入的档案。</translation>
    </message>
    <message>
        <source>Close the watch list and lose the changes not saved?</source>
        <translation>关闭布控名单并放弃未保存的修改？</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>正在保存…</translation>
    </message>
    <message>
        <source>Saved %1.</source>
        <translation>已保存 %1。</translation>
    </message>
    <message>
        <source>Archive %1? It stays on file and can be restored.</source>
        <translation>归档 %1？档案将保留，之后可以恢复。</translation>
    </message>
    <message>
        <source>Archived.</source>
        <translation>已归档。</translation>
    </message>
    <message>
        <source>Restored.</source>
        <translation>已恢复。</translation>
    </message>
    <message>
        <source>Delete %1 for good? Only for a file entered by mistake.</source>
        <translation>永久删除 %1？仅适用于误录入的档案。</translation>
    </message>
    <message>
        <source>Deleting…</source>
        <translation>正在删除…</translation>
    </message>
    <message>
        <source>Deleted.</source>
        <translation>已删除。</translation>
    </message>
    <message>
        <source>Import watch list</source>
        <translation>导入布控名单</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <source>Export watch list</source>
        <translation>导出布控名单</translation>
    </message>
    <message>
        <source>Exporting…</source>
        <translation>正在导出…</translation>
    </message>
    <message>
        <source>%1 entries written to %2.</source>
        <translation>已将 %1 条档案写入 %2。</translation>
    </message>
</context>
</TS>
