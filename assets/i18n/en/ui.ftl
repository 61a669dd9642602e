# The dashboard: pane titles, column headers, labels, hints, status bar. Ids start with `ui-`.

## Creator and video panes
ui-pane-creator = Creator
ui-pane-video = Video
ui-pane-video-cached = Video · from cache
ui-pane-video-failed = Video · last refresh failed: { $reason }
ui-no-name = (no name)
ui-star-creator = ★ Xingtu creator
ui-followers = Followers
ui-tags = Tags
ui-industry = Industry
ui-link-cnt = Link cnt
ui-ink-cnt = Ink cnt
ui-author-id = Author id
ui-core-id = Core id
ui-posted = Posted
ui-length = length { $length }
ui-views = Views
ui-likes = Likes
ui-comments = Comments
ui-shares = Shares
ui-saves = Saves
ui-engagement = Engagement
ui-price = Price
ui-themes = Themes
ui-music = Music
ui-id = Id
ui-fetched = Fetched
ui-fetched-cached = { $ago } (cache)
ui-url = URL
ui-looking-up = looking up { $id }…
ui-retrying = attempt { $attempt } failed ({ $why }); retrying in { $seconds }s
ui-collecting-on-demand = the provider collects on demand: this can take up to a minute
ui-lookup-failed = { $id }: lookup failed
ui-not-fetched-yet = { $id }: not fetched yet — { $key } fetches it (one billed call)
ui-placeholder = press / and paste a video id or Douyin link
ui-demo-ids = demo ids:

## Lists: recent lookups and the watchlist
ui-pane-recent = Recent lookups ({ $count })
ui-recent-empty = nothing looked up yet
ui-pane-watchlist = Watchlist ({ $count })
ui-watchlist-sort = sort: { $sort }
ui-watchlist-auto = auto { $every }
ui-watchlist-read-only = READ-ONLY
ui-watchlist-unreadable = the config file could not be read:
ui-watchlist-empty = no watched videos yet
ui-watchlist-empty-hint = look one up, then press { $key } to watch it
ui-sort-added = added
ui-sort-label = label
ui-sort-views = views
ui-sort-likes = likes
ui-sort-like-rate = like rate
ui-sort-completion = completion
ui-sort-refreshed = refreshed
# Column headers: each fits its column (7 to 12 cells).
ui-col-video = Video
ui-col-status = Status
ui-col-creator = Creator
ui-col-views = Views
ui-col-views-delta = ΔViews
ui-col-likes = Likes
ui-col-likes-delta = ΔLikes
ui-col-like-rate = Like%
ui-col-comment-rate = Cmt%
ui-col-share-rate = Share%
ui-col-completion = Compl%
ui-col-updated = Updated
ui-col-trend = Trend
ui-col-targets = Targets
ui-interval-minutes = { $m }m
ui-interval-hours = { $h }h
ui-interval-hours-minutes = { $h }h{ $m }m
ui-interval-days = { $d }d
ui-never = never
# Status cells: at most 7 cells.
ui-status-retry = retry { $seconds }s
ui-status-settled = settled
ui-status-stale = stale
ui-status-ok = ok

## Status bar hints: a word or two after each key
ui-hint-look-up = look up
ui-hint-leave = leave
ui-hint-clear = clear
ui-hint-next-pane = next pane
ui-hint-help = help
ui-hint-quit = quit
ui-hint-select = select
ui-hint-refetch = refetch
ui-hint-watch = watch
ui-hint-open = open
ui-hint-copy-id = copy id
ui-hint-tab = tab
ui-hint-mark = mark
ui-hint-compare = compare
ui-hint-edit = edit
ui-hint-refresh-all = refresh all
ui-hint-sort = sort
ui-hint-remove = remove
ui-hint-columns = columns
ui-hint-scroll = scroll
ui-hint-close = close
ui-hint-quit-now = quit now, abandon the calls

## Status bar, banner and lookup box
ui-status-paused = { $why }: all calls paused { $seconds }s, then retried
ui-status-resolving = resolving link…
ui-status-resolving-many = resolving link… ({ $count } short links, free)
ui-status-fetching = { $count ->
    [one] fetching 1 item…
   *[other] fetching { $count } items…
}
ui-status-attempt-failed = { $id }: attempt { $attempt } failed ({ $why }), retry in { $seconds }s
ui-status-demo = DEMO · nothing billed · { $style }
ui-status-calls = { $account }{ $calls ->
    [one] 1 call
   *[other] { $calls } calls
} · { $answers ->
    [one] 1 answer
   *[other] { $answers } answers
} · { $style }
ui-banner-halted = calls stopped
ui-banner-config-error = config file error: lookups off, watchlist read-only; fix it and restart
ui-banner-alert-more = { " " }(+{ $count } more)
ui-banner-alert-keys = { $key } lists, Esc dismisses
ui-pane-lookup = Look up
ui-pane-lookup-demo = Look up  ·  DEMO data, no calls are billed
ui-lookup-idle = type or paste a video id or Douyin link
ui-lookup-idle-key = type or paste a video id or Douyin link ({ $key } focuses)
ui-lookup-focused = paste a video id or Douyin link, then Enter
ui-verdict-id = video id { $id } · Enter looks it up
ui-verdict-short-link = short link: will be resolved (free) · Enter looks it up
ui-verdict-short-link-off = short link not resolved: { $why }; paste the full link or the id

ui-too-small = terminal too small
ui-too-small-size = { $size }: needs at least { $needed }
ui-too-small-advice = enlarge the window, or q to quit
