# 触发的提醒：看板的横幅和列表、命令行的标准错误输出都这样写。id 以 `alert-` 开头。

alert-line = { $name }：{ $who } { $metric } { $value }，{ $direction } { $threshold }
alert-above = 高于
alert-below = 低于
alert-metric-views = 播放量
alert-metric-likes = 点赞
alert-metric-comments = 评论
alert-metric-shares = 分享
alert-metric-saves = 收藏
alert-metric-like-rate = 点赞率
alert-metric-comment-rate = 评论率
alert-metric-share-rate = 分享率
alert-metric-collect-rate = 收藏率
alert-metric-interact-rate = 互动率
alert-metric-finish-rate = 完播率
alert-metric-views-per-hour = 每小时播放
alert-metric-cpm = CPM
alert-metric-cpe = CPE
