# The header row of CSV and xlsx exports (the data and JSON field names stay as they are).
# Ids start with `export-`.

export-summary-sheet = 汇总
export-xlsx-terminal = xlsx 工作簿是二进制文件，会让终端显示乱码：请用 --output FILE.xlsx 指定文件，或重定向输出（> watchlist.xlsx）
export-done = 已将 { $count } 个监控视频导出到 { $file }
export-done-campaign = 已将活动 { $campaign } 的 { $count } 个监控视频导出到 { $file }
export-cannot-write = 无法写入 { $file }：{ $error }
export-campaign-needs-name = --campaign 需要一个活动名称
export-no-campaigns = 没有活动 { $name }：还没有任何监控视频归入活动（用 `xingtu-dash watch set <ITEM> --campaign NAME` 设置）；未导出任何内容
export-no-campaign-entry = { $none }（未归入活动的视频）
export-unknown-campaign = 监控列表中没有活动 { $name }；现有活动为 { $known }；未导出任何内容

# 列标题，按 JSON 中保留的字段名：`export-col-FIELD`。
export-col-item_id = 视频ID
export-col-label = 标签
export-col-title = 标题
export-col-author = 达人
export-col-fetched_at = 获取时间
export-col-vv_cnt = 播放量
export-col-like_cnt = 点赞
export-col-comment_cnt = 评论
export-col-share_cnt = 分享
export-col-collect_cnt = 收藏
export-col-interact_cnt = 互动量
export-col-like_rate = 点赞率
export-col-comment_rate = 评论率
export-col-share_rate = 分享率
export-col-collect_rate = 收藏率
export-col-interact_rate = 互动率
export-col-finish_rate = 完播率
export-col-follower = 粉丝
export-col-previous_fetched_at = 上次获取时间
export-col-vv_change = 播放量变化
export-col-like_change = 点赞变化
export-col-url = 链接
export-col-campaign = 活动
export-col-price = 价格
export-col-cpm = CPM
export-col-cpe = CPE
export-col-videos = 视频数
export-col-priced_videos = 已定价视频数
export-col-views = 播放量
export-col-likes = 点赞
export-col-comments = 评论
export-col-shares = 分享
export-col-saves = 收藏
export-col-fetched_from = 最早获取时间
export-col-fetched_to = 最晚获取时间
