# 一次性命令（get、watch、history、campaign、compare、balance、trend、costs、import）
# 给人看的输出。id 以 `cli-` 开头。--json 输出不经过这里。

cli-error = 错误：{ $message }
cli-warning = 警告：{ $message }
cli-config-unreadable = 错误：{ $message }；未发起任何调用，也未写入任何内容

cli-watch-added-summary = 已在 { $file } 中添加 { $count } 个视频（未发起调用；`xingtu-dash watch refresh` 会获取数据）
cli-alert = 提醒：{ $message }
cli-alert-command-failed = 提醒命令执行失败：“{ $name }”（{ $item }）：{ $error }
cli-demo-refuses = --demo 只使用内置数据，从不改动你的文件：请去掉 --demo 再运行 `{ $command }`

cli-get-cached = {"  "}（已缓存，{ $ago }获取）
cli-get-star = 星图达人
cli-get-creator = 达人
cli-get-followers = 粉丝
cli-get-tags = 标签
cli-get-published = 发布时间
cli-get-duration = { $published }   时长 { $duration }
cli-report-views = 播放量
cli-report-likes = 点赞
cli-report-comments = 评论
cli-report-shares = 分享
cli-report-saves = 收藏
cli-report-count = 数量
cli-report-rate = 比率
cli-report-engagement = 互动率
cli-report-completion = { $engagement }   完播率 { $completion }
cli-get-failed = { $item } · 失败：{ $error }
cli-get-some-failed = { $total } 次查询中有 { $failed } 次失败

cli-balance-demo = --demo 没有账户，因此没有余额：请去掉 --demo 运行 `xingtu-dash balance`
cli-balance-failed = 查询余额：{ $error }

cli-items-nth = 第 { $n } 项（共 { $total } 项）
cli-items-spreadsheet = { $file } 是{ $kind }，不是视频列表：请先另存为“CSV UTF-8”或纯文本
cli-items-none = 没有视频：输入中只有空行和 # 注释
cli-items-stdin-prompt = 正在从标准输入读取视频，每行一个；按 Ctrl-D 结束
cli-items-stdin = 标准输入
cli-cannot-read = 无法读取 { $file }：{ $error }
cli-nothing-looked-up = 未查询任何视频（未发起调用）
cli-nothing-added = 未添加任何视频（未发起调用）
cli-items-xlsx = Excel 工作簿（.xlsx）
cli-items-xls = 旧版 Excel 工作簿（.xls）

cli-list-separator = ，
cli-import-spreadsheet = { $file } 是{ $kind }：请另存为“CSV UTF-8”（文件 → 另存为）后再导入；未添加任何视频
cli-import-not-utf8-labels = { $file } 不是 UTF-8 文本（Excel 的普通“CSV”按本地代码页保存），无法读取其中的标签：请另存为“CSV UTF-8”（或“Unicode 文本”）后重新导入；未添加任何视频
cli-import-not-utf8 = { $file } 不是 UTF-8 文本：只读取了 ID 和链接，其余文字未读取（另存为“CSV UTF-8”可保留中文）
cli-import-unreadable = { $file }：{ $error }；未添加任何视频
cli-import-empty = { $file } 中没有视频（空行和 # 注释会被跳过）
cli-import-no-id-in = { $column } 中没有 ID 或链接
cli-import-no-id = 这一行没有 ID 或链接
cli-import-all-invalid = { $file } 的每一行都无效（共 { $rows } 行）；未添加任何视频
cli-import-added = 新增 { $count } 个
cli-import-already = { $count } 个已在监控列表中
cli-import-repeated = { $count } 行重复
cli-import-invalid = { $count } 行无效（第 { $lines } 行）
cli-import-columns = （ID 取自 { $ids }，标签取自 { $labels }）
cli-import-column = （ID 取自 { $ids }）
cli-import-written = 已写入 { $file }
cli-import-unchanged = 监控列表没有变化
cli-import-done = 已导入 { $file }{ $source }：{ $summary }；{ $written }（未发起调用）

cli-watch-bad-price = --price { $error }；未做任何改动
cli-watch-nothing-to-set = 没有要设置的内容：请给出 --label TEXT、--campaign NAME 或 --price AMOUNT（值为空表示删除该项）
cli-watch-added = 已将 { $id } 加入监控列表
cli-watch-already = { $id } 已在监控列表中（未做改动；用 `xingtu-dash watch set { $id }` 修改它的设置）
cli-watch-removed = 已将 { $id } 移出监控列表
cli-watch-not-watched = { $id } 不在监控列表中（未做改动）
cli-watch-labelled = 已为 { $id } 设置标签“{ $label }”
cli-watch-label-cleared = 已清除 { $id } 的标签
cli-watch-add-first = { $id } 不在监控列表中：请先用 `xingtu-dash watch add { $id }` 添加
cli-watch-key-set = { $key }“{ $value }”
cli-watch-key-removed = 无{ $key }
cli-watch-key-label = 标签
cli-watch-key-campaign = 活动
cli-watch-key-price = 价格

cli-watch-none-without-campaign = 没有未归入活动的视频
cli-watch-list-empty = 监控列表为空：用 `xingtu-dash watch add <ITEM>` 添加视频（文件：{ $file }）
cli-col-item = 视频 ID
cli-col-label = 标签
cli-col-campaign = 活动
cli-col-price = 价格
cli-col-views = 播放量
cli-col-like-rate = 点赞率
cli-col-targets = 目标
cli-col-updated = 更新于
cli-watch-never = 从未
cli-watch-settled = { $ago } · 已不再更新

cli-refresh-error = watch refresh：{ $error }
cli-refresh-empty = 监控列表为空：用 `xingtu-dash watch add <ITEM>` 添加视频
cli-refresh-skipped-settled = 跳过了 { $count } 个发布超过 { $days } 天的视频（[watch] stop_after_days：星图已不再更新它们）；加 --force 可一并刷新
cli-refresh-failed = watch refresh：{ $total } 个视频中有 { $failed } 个失败（共调用 { $calls } 次）；第一个错误：{ $first }
cli-refresh-demo-done = 已用内置演示数据刷新 { $count } 个视频（不计费）
cli-refresh-done = 已刷新 { $count } 个视频，调用 { $calls } 次（缓存期内获取过的视频不会再次调用）

cli-col-video = 视频
cli-col-priced = 已定价
cli-col-fee = 费用
cli-col-engage = 互动率

cli-campaign-videos = { $count } 个视频
cli-campaign-priced = { $count } 个已定价
cli-campaign-priced-of = { $priced }/{ $videos }
cli-campaign-fetched = {" "}· { $ago }获取
cli-campaign-fetched-span = {" "}· 获取于 { $from } 至 { $to }
cli-campaign-fee = 费用
cli-campaign-no-price = —（没有视频设置价格：`xingtu-dash watch set <ITEM> --price AMOUNT`）
cli-campaign-cost = 成本
cli-campaign-costs = CPM { $cpm }   CPE { $cpe }   （CPM 按 { $videos } 个视频中已定价的 { $priced } 个计算）
cli-campaign-targets = 目标
cli-campaign-empty = 监控列表为空：用 `xingtu-dash watch add <ITEM> --campaign NAME --price AMOUNT` 添加视频
cli-campaign-stale = 注意：{ $total } 个视频中有 { $old } 个的数据早于缓存期（{ $minutes } 分钟；最早的于 { $oldest }获取）：`xingtu-dash watch refresh` 会更新它们（每个视频一次付费调用）
cli-campaign-never-fetched = 注意：{ $total } 个视频中有 { $never } 个从未获取，未计入合计：`xingtu-dash watch refresh` 会获取它们

cli-compare-count = compare 需要 { $min } 到 { $max } 个不同的视频，实际为 { $got } 个；未查询任何视频
cli-compare-views = 播放量
cli-compare-like = 点赞率
cli-compare-comment = 评论率
cli-compare-share = 分享率
cli-compare-save = 收藏率
cli-compare-engagement = 互动率
cli-compare-completion = 完播率
cli-compare-followers = 粉丝
cli-compare-price = 价格
cli-compare-published = 发布日期
cli-compare-fetched = 获取时间
cli-compare-legend = ★ 该行最佳：数量或比率最高，CPM 和 CPE 最低

cli-col-likes = 点赞
cli-col-comments = 评论
cli-col-shares = 分享
cli-col-saves = 收藏
cli-history-which = 要查哪个视频？用法：xingtu-dash history <ITEM> [--json | --csv] [--since DATE]，或 xingtu-dash history prune
cli-history-none-since = { $id } 的 { $count } 条快照中没有晚于 { $since } 的：最新一条是 { $newest }（请用更早的 --since，或不加此项）
cli-history-none = { $id } 还没有快照：每次成功的 `get`、`watch refresh` 或看板查询都会记录一条
cli-history-bad-since = --since { $value } 不是日期：应为 2026-11-20 或 2026-11-20T08:00:00Z 这样的格式
cli-history-col-fetched = 获取时间（本地）
cli-prune-nothing = 没有可清理的内容：历史记录会永久保留，除非在 { $file } 的 [history] 下设置 `keep_days = N`，或传入 --keep-days N
cli-prune-done = 已删除 { $count } 条早于 { $days } 天的快照

cli-trend-no-store = { $error }；无法保存趋势
cli-trend-not-stored = 趋势已获取但未能保存：{ $error }
cli-trend-views = 播放量
cli-trend-demo = 来自内置演示数据（不计费）
cli-trend-fetched = 于 { $when } 获取（1 次调用）并已保存
cli-trend-stored = 已保存，于 { $when } 获取：未发起调用（--refresh 会重新获取，1 次付费调用）
cli-trend-title = { $id } · 星图每日趋势，{ $source }
cli-trend-empty = 星图没有返回该视频的每日数据
cli-trend-date = 日期
cli-trend-legend = 每个数值是当天的增量（星图数据，按中国日期）

cli-costs-campaign = 活动
cli-costs-no-figure = ? { $target }（无数据）

cli-max-cost-bad = --max-cost { $value } 不是金额：请按账户币种填写，如 5 或 0.50；未发起调用
cli-max-cost-unknown = --max-cost { $limit }：这需要 { $calls } 次调用，而单次价格尚不清楚（它由一批调用前后的余额测得）；未发起调用。请先不加 --max-cost 运行一次，或在知情的情况下调高它。
cli-max-cost-over = --max-cost { $limit }：这需要 { $calls } 次调用，按{ $price }估计约 { $cost }；未发起调用。请调高 --max-cost，或少刷新一些视频。
cli-batch-about-to-call = 即将调用：{ $estimate }
cli-batch-balance-low = 余额 { $balance } 可能不够 { $calls } 次调用（约 { $cost }）；余额用完时调用会在代码 601 处停止
cli-batch-balance = ；余额 { $balance }

cli-dashboard-terminal = 无法使用此终端：{ $error }

cli-results-not-saved = 内部错误之后的结果未能保存：{ $error }
cli-snapshots-not-recorded = 快照未能记录：{ $error }
cli-alerts-not-evaluated = 提醒未能判断：{ $error }

# 触发的提醒：`viral：7566… “标签” 播放量 120万 高于 100万`。指标名为 `alert-metric-NAME`，
# NAME 是 `metric = "…"` 的取值。
alert-line = { $name }：{ $who } { $metric } { $value } { $direction } { $threshold }
alert-above = 高于
alert-below = 低于
alert-metric-views = 播放量
alert-metric-likes = 点赞
alert-metric-comments = 评论
alert-metric-shares = 分享
alert-metric-saves = 收藏
alert-metric-like_rate = 点赞率
alert-metric-comment_rate = 评论率
alert-metric-share_rate = 分享率
alert-metric-collect_rate = 收藏率
alert-metric-interact_rate = 互动率
alert-metric-finish_rate = 完播率
alert-metric-views_per_hour = 每小时播放量
alert-metric-cpm = CPM
alert-metric-cpe = CPE

cli-table-unreadable = 无法读取表格：{ $error }
cli-table-column = 第 { $n } 列
cli-table-no-column = 没有列 { $wanted }：表头为 { $columns }（请写其中一个，或给出列号）
cli-table-no-column-no-header = 没有列 { $wanted }：文件没有表头，共 { $width } 列；请给出列号，如 1
cli-table-no-ids = 找不到视频 ID 或链接所在的列（各列：{ $columns }）；请用 --column 指定
cli-table-no-ids-no-header = 找不到视频 ID 或链接所在的列；请用 --column 指定
cli-price-shape = { $text } 不是价格：请以人民币填写，如 1200 或 1200.50
cli-price-negative = { $text }：价格不能为负数
cli-price-too-large = { $text } 超过了单个视频的任何费用（最多 { $max } 元）
alert-command-start = 无法启动：{ $error }
alert-command-status = 以状态 { $status } 退出
alert-command-signal = 被信号终止
alert-command-wait = 无法等待它结束：{ $error }
alert-command-killed = { $secs } 秒内没有结束，已被终止

cli-halt-cleared = 已解除暂停（{ $halt }）；调用恢复
cli-halt-none = 没有记录暂停：调用未被停止
cli-halt-describe = { $machine } 于 { $at } 收到代码 { $code }（{ $meaning }）
cli-store-nothing-to-copy = 无需复制：本机没有历史记录（{ $path }）
cli-store-copied = 已将 { $from } 复制到 { $to }，用时 { $secs } 秒：
cli-store-copy-failed = 错误：{ $error }；已复制的内容会保留，再次运行 `store migrate` 会复制其余部分
cli-store-kind-snapshots = 快照
cli-store-kind-trend-series = 趋势序列
cli-store-kind-trend-days = 趋势天数
cli-store-kind-alert-states = 提醒状态
cli-store-kind-alerts-fired = 已触发提醒
cli-store-kind-price-batches = 计价批次
cli-store-tally = 复制 { $copied } 条，已存在 { $present } 条
cli-store-status-store = 存储：
cli-store-status-schema = 结构版本：
cli-store-status-rows = 行
cli-store-status-claims = 当前认领：
cli-store-status-none = 无
cli-store-status-claim = 由 { $holder } 认领至 { $until }
cli-store-status-halted = 已暂停：
cli-store-status-halt = { $machine } 于 { $at } 收到代码 { $code }（{ $meaning }）
