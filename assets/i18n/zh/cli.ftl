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
cli-refresh-skipping = 跳过监控列表中的条目 { $entry }：{ $error }（请在 { $file } 中修正）
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
