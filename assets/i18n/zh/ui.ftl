# The dashboard: pane titles, column headers, labels, hints, status bar. Ids start with `ui-`.

## 达人与视频面板
ui-pane-creator = 达人
ui-pane-video = 视频
ui-pane-video-cached = 视频 · 来自缓存
ui-pane-video-failed = 视频 · 上次刷新失败：{ $reason }
ui-no-name = （无昵称）
ui-star-creator = ★ 星图达人
ui-followers = 粉丝
ui-tags = 标签
ui-industry = 行业
ui-link-cnt = 连接用户
ui-ink-cnt = Ink 数
ui-author-id = 达人 ID
ui-core-id = Core ID
ui-posted = 发布
ui-length = 时长 { $length }
ui-views = 播放
ui-likes = 点赞
ui-comments = 评论
ui-shares = 分享
ui-saves = 收藏
ui-engagement = 互动率
ui-price = 价格
ui-themes = 主题
ui-music = 音乐
ui-id = ID
ui-fetched = 获取于
ui-fetched-cached = { $ago }（缓存）
ui-url = 链接
ui-looking-up = 正在查询 { $id }…
ui-retrying = 第 { $attempt } 次尝试失败（{ $why }），{ $seconds } 秒后重试
ui-collecting-on-demand = 数据由服务商按需采集，最长可能需要一分钟
ui-lookup-failed = { $id }：查询失败
ui-not-fetched-yet = { $id }：尚未获取 — 按 { $key } 获取（一次计费调用）
ui-placeholder = 按 / 后粘贴视频 ID 或抖音链接
ui-demo-ids = 演示 ID：

## 列表：最近查询与观察列表
ui-pane-recent = 最近查询（{ $count }）
ui-recent-empty = 还没有查询过
ui-pane-watchlist = 观察列表（{ $count }）
ui-watchlist-sort = 排序：{ $sort }
ui-watchlist-auto = 自动 { $every }
ui-watchlist-read-only = 只读
ui-watchlist-unreadable = 无法读取配置文件：
ui-watchlist-empty = 还没有观察中的视频
ui-watchlist-empty-hint = 先查询一个视频，再按 { $key } 加入观察
ui-sort-added = 添加时间
ui-sort-label = 标签
ui-sort-views = 播放量
ui-sort-likes = 点赞
ui-sort-like-rate = 点赞率
ui-sort-completion = 完播率
ui-sort-refreshed = 更新时间
# 列标题：须放得进各自的列（7 到 12 格）。
ui-col-video = 视频
ui-col-status = 状态
ui-col-creator = 达人
ui-col-views = 播放
ui-col-views-delta = Δ播放
ui-col-likes = 点赞
ui-col-likes-delta = Δ点赞
ui-col-like-rate = 点赞率
ui-col-comment-rate = 评论率
ui-col-share-rate = 分享率
ui-col-completion = 完播率
ui-col-updated = 更新
ui-col-trend = 趋势
ui-col-targets = 目标
ui-interval-minutes = { $m }分钟
ui-interval-hours = { $h }小时
ui-interval-hours-minutes = { $h }小时{ $m }分
ui-interval-days = { $d }天
ui-never = 从未
# 状态格：最多 7 格。
ui-status-retry = 重试 { $seconds }s
ui-status-settled = 已结算
ui-status-stale = 已过期
ui-status-ok = 正常

## 状态栏提示：每个按键后的一两个词
ui-hint-look-up = 查询
ui-hint-leave = 离开
ui-hint-clear = 清空
ui-hint-next-pane = 下个面板
ui-hint-help = 帮助
ui-hint-quit = 退出
ui-hint-select = 选择
ui-hint-refetch = 重新获取
ui-hint-watch = 观察
ui-hint-open = 打开
ui-hint-copy-id = 复制 ID
ui-hint-tab = 页签
ui-hint-mark = 标记
ui-hint-compare = 对比
ui-hint-edit = 编辑
ui-hint-refresh-all = 全部刷新
ui-hint-sort = 排序
ui-hint-remove = 移除
ui-hint-columns = 切换列
ui-hint-scroll = 滚动
ui-hint-close = 关闭
ui-hint-quit-now = 立即退出，放弃未完成的调用

## 状态栏、横幅与查询框
ui-status-paused = { $why }：所有调用暂停 { $seconds } 秒后重试
ui-status-resolving = 正在解析链接…
ui-status-resolving-many = 正在解析链接…（{ $count } 个短链接，免费）
ui-status-fetching = 正在获取 { $count } 个视频…
ui-status-attempt-failed = { $id }：第 { $attempt } 次尝试失败（{ $why }），{ $seconds } 秒后重试
ui-status-demo = 演示 · 不计费 · { $style }
ui-status-calls = { $account }调用 { $calls } 次 · 回复 { $answers } 次 · { $style }
ui-banner-halted = 调用已停止
ui-banner-config-error = 配置文件有误：查询已关闭，观察列表只读；修正后请重启
ui-banner-alert-more = （另有 { $count } 条）
ui-banner-alert-keys = 按 { $key } 查看，Esc 关闭
ui-pane-lookup = 查询
ui-pane-lookup-demo = 查询  ·  演示数据，不产生计费调用
ui-lookup-idle = 输入或粘贴视频 ID 或抖音链接
ui-lookup-idle-key = 输入或粘贴视频 ID 或抖音链接（按 { $key } 聚焦）
ui-lookup-focused = 粘贴视频 ID 或抖音链接，然后按 Enter
ui-verdict-id = 视频 ID { $id } · 按 Enter 查询
ui-verdict-short-link = 短链接：将免费解析 · 按 Enter 查询
ui-verdict-short-link-off = 短链接未解析：{ $why }；请粘贴完整链接或 ID

ui-too-small = 终端窗口太小
ui-too-small-size = { $size }：至少需要 { $needed }
ui-too-small-advice = 请放大窗口，或按 q 退出

## 比率面板（对比视图的条形图也用）
ui-rates-title = 按播放计的比率 · 对数刻度 0.001%–10%
ui-rates-title-short = 按播放计的比率
ui-no-report = 当前没有报告
# 条形标签：最多 11 格。
ui-rate-like = 点赞率
ui-rate-comment = 评论率
ui-rate-share = 分享率
ui-rate-save = 收藏率
ui-rate-completion = 完播率
ui-mix = 互动构成
ui-mix-none = 还没有互动
ui-mix-likes = 点赞
ui-mix-comments = 评论
ui-mix-shares = 分享
ui-mix-l = 赞
ui-mix-c = 评
ui-mix-s = 转

## 趋势面板
ui-trend-growth = 每小时增长
ui-trend-absolute = 累计
ui-trend-title = 趋势 · { $mode }（按 { $key } 切换）
ui-trend-title-daily = 趋势 · { $mode }（按 { $key } 切换）· 每日播放
ui-trend-needs-snapshots = 趋势至少需要两个快照，这个视频目前有 { $count } 个。每次成功获取都会新增一个（r、R，或用 cron 定时运行 `xingtu-dash watch refresh`）；按 { $daily } 可获取星图自己的每日播放量（1 次调用）。
ui-trend-likes-need-snapshots = 点赞和比率至少需要两个快照，这个视频目前有 { $count } 个
ui-trend-views = 播放
ui-trend-views-per-hour = 播放/小时
ui-trend-likes = 点赞
ui-trend-likes-per-hour = 点赞/小时
ui-trend-xingtu-daily = ▇ 星图每日
ui-trend-snapshots = ⣀ 快照
ui-trend-like-rate = 点赞率
ui-trend-engagement = 互动率
ui-trend-daily-title = 星图每日播放
ui-trend-no-daily = 星图没有返回每日播放量

## 投放汇总（m）及其排名指标
ui-summary-campaign = 投放 { $name }
ui-summary-videos = { $count } 个视频
ui-summary-ranked-by = 按{ $metric }排名
ui-summary-next-metric = 按 { $key } 换指标
ui-summary-fee = 费用
ui-summary-interactions = 互动
ui-summary-unpriced = 没有视频填写价格（按 { $key } 设置）
ui-summary-priced = 基于 { $count } 个视频中的 { $priced } 个
ui-more = … 另有 { $count } 个
ui-metric-like-rate = 点赞率
ui-metric-comment-rate = 评论率
ui-metric-share-rate = 分享率
ui-metric-save-rate = 收藏率
ui-metric-engagement = 互动率
ui-metric-completion = 完播率

## 页签与对比视图
ui-tab-all = 全部
ui-tab-none = （未分组）
ui-compare-title = 对比 · { $count } 个视频
ui-compare-shown = 第 { $first }–{ $last } 个，共 { $count } 个 ←→
ui-compare-more-lines = ↓ 还有 { $count } 行
# 行名：最多 11 格。
ui-compare-views = 播放量
ui-compare-like-rate = 点赞率
ui-compare-comment-rate = 评论率
ui-compare-share-rate = 分享率
ui-compare-save-rate = 收藏率
ui-compare-engagement = 互动率
ui-compare-completion = 完播率
ui-compare-followers = 粉丝
ui-compare-price = 价格
ui-compare-published = 发布日期
ui-compare-targets = 目标
ui-compare-fetched = 获取于

## 弹窗：移除、余额不足、编辑表单、粘贴、提醒
ui-remove-title = 移除？
ui-remove-question = 要把 { $id } 从观察列表中移除吗？
ui-remove-yes = 移除
ui-remove-no = 保留
ui-spend-title = 余额不足
ui-spend-needs = 刷新需要调用 { $calls } 次，约 { $cost }：
ui-spend-over-balance = 超过了当前余额 { $balance }。
ui-spend-stops = 余额用完后，调用会以代码 601 停止。
ui-spend-skipped = （已结算的 { $count } 个视频不会刷新。）
ui-spend-yes = 仍然刷新
ui-spend-no = 取消
ui-edit-title = 编辑
ui-edit-video = 观察中的视频 { $id }
ui-edit-label = 标签
ui-edit-campaign = 投放
ui-edit-price = 价格 ¥
ui-edit-keys = { $save } 保存 · { $cancel } 取消 · { $next } 下一项 · 留空即清除
ui-paste-title = 粘贴
ui-paste-holds = 粘贴内容含 [{ $count }] 个有效视频
ui-paste-skipped = 跳过 { $count } 行
ui-paste-short-link = （短链接）
ui-paste-shorts = { $count } 个短链接将免费解析
ui-paste-look-up = 全部查询
ui-paste-add = 全部加入观察列表（不调用）
ui-paste-cancel = 取消
ui-alerts-title = 提醒（{ $count }）
ui-alerts-demo = 演示模式不保存任何数据，因此不会触发提醒。
ui-alerts-none = 还没有触发过提醒。规则写在配置文件的 [[alert]] 中（见 README 的“Alerts”一节）。
ui-alerts-close = 按 { $key } 或 Esc 关闭
