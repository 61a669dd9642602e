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

## Rates pane (also the compare view's bars)
ui-rates-title = Rates per view · log scale 0.001%–10%
ui-rates-title-short = Rates per view
ui-no-report = no report on screen
# Bar labels: at most 11 cells.
ui-rate-like = Like
ui-rate-comment = Comment
ui-rate-share = Share
ui-rate-save = Save
ui-rate-completion = Completion
ui-mix = Mix
ui-mix-none = no interactions yet
ui-mix-likes = likes
ui-mix-comments = comments
ui-mix-shares = shares
ui-mix-l = L
ui-mix-c = C
ui-mix-s = S

## Trend pane
ui-trend-growth = growth per hour
ui-trend-absolute = absolute
ui-trend-title = Trend · { $mode } ({ $key } toggles)
ui-trend-title-daily = Trend · { $mode } ({ $key } toggles) · views per day
ui-trend-needs-snapshots = a trend needs two snapshots or more; this item has { $count }. Every successful fetch adds one (r, R, or `xingtu-dash watch refresh` from cron); { $daily } fetches Xingtu's own daily views (1 call).
ui-trend-likes-need-snapshots = likes and rates need two snapshots or more; this item has { $count }
ui-trend-views = views
ui-trend-views-per-hour = views/h
ui-trend-likes = likes
ui-trend-likes-per-hour = likes/h
ui-trend-xingtu-daily = ▇ Xingtu daily
ui-trend-snapshots = ⣀ snapshots
ui-trend-like-rate = like rate
ui-trend-engagement = engagement
ui-trend-daily-title = Xingtu daily views
ui-trend-no-daily = Xingtu sent no daily views

## Campaign summary (m) and the metric it ranks by
ui-summary-campaign = Campaign { $name }
ui-summary-videos = { $count ->
    [one] 1 video
   *[other] { $count } videos
}
ui-summary-ranked-by = ranked by { $metric }
ui-summary-next-metric = { $key } next
ui-summary-fee = Fee
ui-summary-interactions = Interactions
ui-summary-unpriced = no video priced ({ $key } sets a price)
ui-summary-priced = over { $priced } of { $count } videos
ui-more = … { $count } more
ui-metric-like-rate = like rate
ui-metric-comment-rate = comment rate
ui-metric-share-rate = share rate
ui-metric-save-rate = save rate
ui-metric-engagement = engagement
ui-metric-completion = completion

## Tabs and the compare view
ui-tab-all = All
ui-tab-none = (none)
ui-compare-title = Compare · { $count } videos
ui-compare-shown = { $first }–{ $last } of { $count } ←→
ui-compare-more-lines = ↓ { $count } more lines
# Row names: at most 11 cells.
ui-compare-views = Views
ui-compare-like-rate = Like rate
ui-compare-comment-rate = Comment rate
ui-compare-share-rate = Share rate
ui-compare-save-rate = Save rate
ui-compare-engagement = Engagement
ui-compare-completion = Completion
ui-compare-followers = Followers
ui-compare-price = Price
ui-compare-published = Published
ui-compare-targets = Targets
ui-compare-fetched = Fetched

## Pop-ups: remove, balance too low, edit form, paste, alerts
ui-remove-title = Remove?
ui-remove-question = Remove { $id } from the watchlist?
ui-remove-yes = remove
ui-remove-no = keep
ui-spend-title = Balance too low
ui-spend-needs = Refreshing needs { $calls ->
    [one] 1 call
   *[other] { $calls } calls
}, about { $cost }:
ui-spend-over-balance = more than the balance, { $balance }.
ui-spend-stops = Calls stop at code 601 once it runs out.
ui-spend-skipped = ({ $count } settled items are left out.)
ui-spend-yes = refresh anyway
ui-spend-no = cancel
ui-edit-title = Edit
ui-edit-video = Watched video { $id }
ui-edit-label = Label
ui-edit-campaign = Campaign
ui-edit-price = Price ¥
ui-edit-keys = { $save } saves · { $cancel } cancels · { $next } next field · empty clears
ui-paste-title = Paste
ui-paste-holds = The paste holds [{ $count }] { $count ->
    [one] valid item
   *[other] valid items
}
ui-paste-skipped = { $count ->
    [one] 1 line skipped
   *[other] { $count } lines skipped
}
ui-paste-short-link = (short link)
ui-paste-shorts = { $count ->
    [one] 1 short link will be resolved (free)
   *[other] { $count } short links will be resolved (free)
}
ui-paste-look-up = look them all up
ui-paste-add = add them all to the watchlist (no call)
ui-paste-cancel = cancel
ui-alerts-title = Alerts ({ $count })
ui-alerts-demo = The demo stores nothing, so no alert fires in it.
ui-alerts-none = No alert has fired yet. Rules go in the config file as [[alert]] (see README, “Alerts”).
ui-alerts-close = { $key } or Esc closes

## Status messages after a key or an answer
ui-msg-refreshing = refreshing
ui-msg-auto-refresh = auto-refresh:
ui-msg-refresh-started = { $verb } { $count } watched items: { $cost }{ $skipped }
ui-msg-all-cached = all within the cache window, no call
ui-msg-settled-skipped = ; { $count } settled skipped
ui-msg-ranked-by = campaign videos ranked by { $metric }
ui-msg-ranked-by-in-tab = campaign videos ranked by { $metric } in a campaign's tab ({ $key } shows one)
ui-msg-sorted-by = watchlist sorted by { $column }
ui-msg-order-descending = watchlist order descending
ui-msg-order-ascending = watchlist order ascending
ui-msg-trend-growth = trend chart shows growth per hour
ui-msg-trend-absolute = trend chart shows absolute values
ui-msg-kept = kept in the watchlist
ui-msg-edit-cancelled = edit cancelled: nothing changed
ui-msg-refresh-cancelled = refresh cancelled: nothing called
ui-msg-paste-dismissed = paste dismissed: nothing looked up
ui-msg-paste-nothing = the paste holds { $count } lines but no video id or Douyin link: nothing to look up
ui-msg-opening = opening { $url }
ui-msg-copied = copied { $text } to the clipboard
ui-msg-batch-lookups = lookups
ui-msg-batch-refresh = refresh
ui-msg-batch-done = { $what } done · cost in { $seconds }s (next balance read)
ui-msg-batch-cost = { $what } { $cost }
ui-msg-looking-up-pasted = looking up { $count } pasted items
ui-msg-short-link-off = not looked up: short link not resolved: { $why }; paste the full link
ui-msg-not-looked-up = not looked up: { $why }
ui-msg-not-added = not added: { $why }
ui-msg-lookups-off = no call made: lookups off until the config file is fixed
ui-msg-halted-item = calls are stopped: { $halt } — then press { $key } to try again (no call made for { $id })
ui-msg-halted = calls are stopped: { $halt } — then press { $key } to try again (no call made)
ui-msg-daily-nothing-shown = look an item up first, then { $key } fetches Xingtu's daily trend
ui-msg-daily-on-its-way = the daily trend is on its way (no second call)
ui-msg-daily-refetching = { $id }: fetching Xingtu's daily trend anew (1 call)
ui-msg-daily-fetching = { $id }: Xingtu's daily trend (stored, or 1 call)
ui-msg-daily-in-trend = drawn as bars in the trend chart
ui-msg-daily-in-rates = drawn as bars in place of the rates
ui-msg-daily-fetched = Xingtu daily trend: { $days } days of views, { $shown } ({ $id })
ui-msg-daily-stored = daily trend stored { $ago }, { $days } days (no call) · { $key } again refetches (1 call)
ui-msg-daily-failed = { $id }: daily trend not fetched: { $error }
ui-msg-nothing-selected = nothing selected: look something up with { $key }
ui-msg-all-settled = nothing to refresh: all { $count } watched items are settled ([watch] stop_after_days); { $key } refetches one
ui-msg-watchlist-empty = the watchlist is empty: { $key } adds the item on screen
ui-msg-balance-before-refresh = reading the balance before the refresh…
ui-msg-alert-command-failed = alert command failed for “{ $name }”: { $error }
ui-msg-from-cache = { $id }: from the cache (fetched { $ago }; { $key } refetches)
ui-msg-updated = { $id }: updated
ui-msg-slowing-down = { $why }: every call waits, then retries
ui-msg-already-watched = already in the watchlist
ui-msg-added = added { $id } to the watchlist{ $joins }
ui-msg-added-many = added { $count } items to the watchlist{ $joins } ({ $key } fetches them)
ui-msg-joins = , in campaign “{ $campaign }”
ui-msg-add-nothing-shown = look an item up first, then { $key } adds it
ui-msg-id-already-watched = { $id } is already in the watchlist
ui-msg-select-row-first = select a watchlist row first ({ $key })
ui-msg-removed = removed { $id } from the watchlist
ui-msg-select-row-to-edit = select a watchlist row to edit it
ui-msg-saved-label = label “{ $value }”
ui-msg-saved-no-label = no label
ui-msg-saved-campaign = campaign “{ $value }”
ui-msg-saved-no-campaign = no campaign
ui-msg-saved-price = price ¥{ $value }
ui-msg-saved-no-price = no price
ui-msg-list-separator = {", "}
ui-msg-saved = saved { $what }
ui-msg-nothing-changed = { $id }: nothing changed
ui-msg-select-row-to-mark = select a watchlist row to mark it
ui-msg-unmarked = unmarked { $id } ({ $count } marked)
ui-msg-mark-full = not marked: the compare view takes { $max } videos at most; { $key } on a marked row unmarks it
ui-msg-mark-compare = { $key } compares them
ui-msg-mark-another = mark another to compare
ui-msg-marked = marked { $count } of { $max }: { $next }
ui-msg-compare-needs-marks = mark 2 to { $max } watchlist rows with { $key } to compare them ({ $count } marked)
ui-msg-read-only = the watchlist is read-only: { $why }
ui-msg-no-campaigns = no campaigns yet: { $key } on a row sets its campaign, and each campaign gets a tab
ui-msg-quit-waiting = waiting for { $count ->
    [one] 1 call
   *[other] { $count } calls
}… { $seconds }s ({ $key } again to abandon)
ui-msg-balance-demo = demo mode: no account, no balance
ui-msg-balance-off = the balance is not read: [api] show_balance = false (or lookups are off)
ui-msg-balance-next-read = balance: next read in { $seconds }s (once a minute at most)
ui-msg-balance-reading = reading the balance…
ui-msg-balance-not-read = balance not read: { $why }
ui-msg-balance = balance { $balance }
ui-msg-spend-before-unknown = the balance before it was not known
ui-msg-spend-calls-under-way = calls were under way when the balance was read
ui-balance-unknown = balance ?
ui-balance-reading = balance…
ui-balance-per-call = { $price }/call

## The dashboard's runtime: saving, the resolver, stopping
ui-run-drawing-failed = drawing failed: { $error }
ui-run-task-panicked = internal error, the dashboard stopped: a background task panicked: { $message }
ui-run-demo-not-saved = demo mode: watchlist changes are not saved
ui-run-writer-stopped = the watchlist change was not saved: the writer stopped (it is kept for this session)
ui-run-not-saved = the watchlist change was not saved: { $error } (it is kept for this session)

ui-msg-item-error = { $id }: { $error }

## The banner while the shared store is unreachable
ui-banner-store-down = store unreachable for { $down }: lookups off, { $when }
ui-banner-store-trying-now = trying again now
ui-banner-store-trying-in = trying again in { $seconds }s

ui-store-down-status = the store is unreachable: lookups are off until it is back ({ $detail })
ui-store-back-status = the store is back (unreachable for { $gone }): lookups are on
ui-store-down-refusal = no call made: the store is unreachable, and nothing is paid for that could not be kept; lookups resume by themselves once it is back ({ $detail })
