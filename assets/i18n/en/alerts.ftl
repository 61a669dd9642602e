# An alert that fired, as the dashboard's banner and list and the CLI's stderr say it.
# Ids start with `alert-`. In English a metric is written as its config name.

alert-line = { $name }: { $who } { $metric } { $value } { $direction } { $threshold }
alert-above = above
alert-below = below
alert-metric-views = views
alert-metric-likes = likes
alert-metric-comments = comments
alert-metric-shares = shares
alert-metric-saves = saves
alert-metric-like-rate = like_rate
alert-metric-comment-rate = comment_rate
alert-metric-share-rate = share_rate
alert-metric-collect-rate = collect_rate
alert-metric-interact-rate = interact_rate
alert-metric-finish-rate = finish_rate
alert-metric-views-per-hour = views_per_hour
alert-metric-cpm = cpm
alert-metric-cpe = cpe
