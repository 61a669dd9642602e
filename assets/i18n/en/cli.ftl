# Human output of the one-shot commands (get, watch, history, campaign, compare, balance,
# trend, costs, import). Ids start with `cli-`. Never used for --json output.

cli-error = error: { $message }
cli-warning = warning: { $message }
cli-config-unreadable = error: { $message }; nothing was called or written

cli-watch-added-summary = { $count ->
    [one] 1 video added in { $file } (no call made; `xingtu-dash watch refresh` fetches it)
   *[other] { $count } videos added in { $file } (no call made; `xingtu-dash watch refresh` fetches them)
}
cli-alert = alert: { $message }
cli-alert-command-failed = the alert command failed for “{ $name }” ({ $item }): { $error }
cli-demo-refuses = --demo works on bundled data and never changes your files: run `{ $command }` without --demo

cli-get-cached = {"  "}(cached, fetched { $ago })
cli-get-star = Xingtu creator
cli-get-creator = Creator
cli-get-followers = Followers
cli-get-tags = Tags
cli-get-published = Published
cli-get-duration = { $published }   Duration { $duration }
cli-report-views = Views
cli-report-likes = Likes
cli-report-comments = Comments
cli-report-shares = Shares
cli-report-saves = Saves
cli-report-count = Count
cli-report-rate = Rate
cli-report-engagement = Engagement
cli-report-completion = { $engagement }   Completion { $completion }
cli-get-failed = { $item } · failed: { $error }
cli-get-some-failed = { $failed } of { $total } lookups failed

cli-balance-demo = --demo has no account, so no balance: run `xingtu-dash balance` without --demo
cli-balance-failed = balance: { $error }

cli-items-nth = item { $n } of { $total }
cli-items-spreadsheet = { $file } is { $kind }, not a list of items: save it as "CSV UTF-8" or text first
cli-items-none = no items: the input holds only blank lines and # comments
cli-items-stdin-prompt = reading items from standard input, one per line; Ctrl-D ends
cli-items-stdin = standard input
cli-cannot-read = cannot read { $file }: { $error }
cli-nothing-looked-up = nothing was looked up (no call was made)
cli-nothing-added = nothing was added (no call was made)
cli-items-xlsx = an Excel workbook (.xlsx)
cli-items-xls = an old Excel workbook (.xls)

cli-list-separator = {", "}
cli-import-spreadsheet = { $file } is { $kind }: save it as "CSV UTF-8" (File → Save As) and import that; nothing was added
cli-import-not-utf8-labels = { $file } is not UTF-8 text (Excel's plain "CSV" saves in the local code page), so its labels cannot be read: save it as "CSV UTF-8" (or "Unicode text") and import again; nothing was added
cli-import-not-utf8 = { $file } is not UTF-8 text: ids and links are read, other text is not (save it as "CSV UTF-8" to keep Chinese text)
cli-import-unreadable = { $file }: { $error }; nothing was added
cli-import-empty = { $file } holds no items (blank lines and # comments are skipped)
cli-import-no-id-in = no id or link in { $column }
cli-import-no-id = no id or link in this row
cli-import-all-invalid = every row of { $file } is invalid ({ $rows ->
    [one] 1 row
   *[other] { $rows } rows
}); nothing was added
cli-import-added = { $count } added
cli-import-already = { $count } already watched
cli-import-repeated = { $count ->
    [one] 1 repeated row
   *[other] { $count } repeated rows
}
cli-import-invalid = { $count ->
    [one] 1 invalid row (line { $lines })
   *[other] { $count } invalid rows (lines { $lines })
}
cli-import-columns = {" "}(ids from { $ids }, labels from { $labels })
cli-import-column = {" "}(ids from { $ids })
cli-import-written = written to { $file }
cli-import-unchanged = the watchlist is unchanged
cli-import-done = imported { $file }{ $source }: { $summary }; { $written } (no call made)

cli-watch-bad-price = --price { $error }; nothing was changed
cli-watch-nothing-to-set = nothing to set: give --label TEXT, --campaign NAME or --price AMOUNT (an empty value removes the key)
cli-watch-added = added { $id } to the watchlist
cli-watch-already = { $id } is already in the watchlist (nothing changed; `xingtu-dash watch set { $id }` changes its keys)
cli-watch-removed = removed { $id } from the watchlist
cli-watch-not-watched = { $id } is not in the watchlist (nothing changed)
cli-watch-labelled = labelled { $id } “{ $label }”
cli-watch-label-cleared = cleared the label of { $id }
cli-watch-add-first = { $id } is not in the watchlist: add it first with `xingtu-dash watch add { $id }`
cli-watch-key-set = { $key } “{ $value }”
cli-watch-key-removed = no { $key }
cli-watch-key-label = label
cli-watch-key-campaign = campaign
cli-watch-key-price = price

cli-watch-none-without-campaign = no video without a campaign
cli-watch-list-empty = the watchlist is empty: add a video with `xingtu-dash watch add <ITEM>` (file: { $file })
cli-col-item = ITEM
cli-col-label = LABEL
cli-col-campaign = CAMPAIGN
cli-col-price = PRICE
cli-col-views = VIEWS
cli-col-like-rate = LIKE%
cli-col-targets = TARGETS
cli-col-updated = UPDATED
cli-watch-never = never
cli-watch-settled = { $ago } · settled

cli-refresh-error = watch refresh: { $error }
cli-refresh-empty = the watchlist is empty: add a video with `xingtu-dash watch add <ITEM>`
cli-refresh-skipped-settled = skipped { $count ->
    [one] 1 settled item
   *[other] { $count } settled items
} published more than { $days } days ago ([watch] stop_after_days: Xingtu no longer updates them); --force refreshes them too
cli-refresh-failed = watch refresh: { $failed } of { $total } items failed ({ $calls } calls made); first: { $first }
cli-refresh-demo-done = refreshed { $count } items from the bundled demo data (nothing billed)
cli-refresh-done = refreshed { $count } items with { $calls ->
    [one] 1 call
   *[other] { $calls } calls
} (items fetched within the cache window are not called again)

cli-col-video = VIDEO
cli-col-priced = PRICED
cli-col-fee = FEE
cli-col-engage = ENGAGE%

cli-campaign-videos = { $count ->
    [one] 1 video
   *[other] { $count } videos
}
cli-campaign-priced = { $count } priced
cli-campaign-priced-of = { $priced } of { $videos }
cli-campaign-fetched = {" "}· fetched { $ago }
cli-campaign-fetched-span = {" "}· fetched { $from } to { $to }
cli-campaign-fee = Fee
cli-campaign-no-price = — (no video has a price: `xingtu-dash watch set <ITEM> --price AMOUNT`)
cli-campaign-cost = Cost
cli-campaign-costs = CPM { $cpm }   CPE { $cpe }   (CPM over { $priced } of { $videos } videos)
cli-campaign-targets = Targets
cli-campaign-empty = the watchlist is empty: add videos with `xingtu-dash watch add <ITEM> --campaign NAME --price AMOUNT`
cli-campaign-stale = note: the figures of { $old } of { $total } videos are older than the cache window ({ $minutes } min; the oldest fetched { $oldest }): `xingtu-dash watch refresh` updates them (a paid call for each)
cli-campaign-never-fetched = note: { $never } of { $total } { $total ->
    [one] video
   *[other] videos
} { $never ->
    [one] was
   *[other] were
} never fetched, so not in the totals: `xingtu-dash watch refresh` fetches { $never ->
    [one] it
   *[other] them
}

cli-compare-count = compare takes { $min } to { $max } different videos, got { $got }; nothing was looked up
cli-compare-views = Views
cli-compare-like = Like
cli-compare-comment = Comment
cli-compare-share = Share
cli-compare-save = Save
cli-compare-engagement = Engagement
cli-compare-completion = Completion
cli-compare-followers = Followers
cli-compare-price = Price
cli-compare-published = Published
cli-compare-fetched = Fetched
cli-compare-legend = ★ best in its row: highest count or rate, lowest CPM and CPE

cli-col-likes = LIKES
cli-col-comments = COMMENTS
cli-col-shares = SHARES
cli-col-saves = SAVES
cli-history-which = which video? usage: xingtu-dash history <ITEM> [--json | --csv] [--since DATE], or xingtu-dash history prune
cli-history-none-since = none of the { $count } snapshots of { $id } is newer than { $since }: the newest is from { $newest } (pick an earlier --since, or leave it out)
cli-history-none = no snapshots of { $id } yet: every successful `get`, `watch refresh` or dashboard lookup records one
cli-history-bad-since = --since { $value } is not a date: expected 2026-11-20 or 2026-11-20T08:00:00Z
cli-history-col-fetched = FETCHED (local)
cli-prune-nothing = nothing to prune: history is kept forever unless you set `keep_days = N` under [history] in { $file } or pass --keep-days N
cli-prune-done = deleted { $count ->
    [one] 1 snapshot
   *[other] { $count } snapshots
} older than { $days } days

cli-trend-no-store = { $error }; the trend cannot be stored
cli-trend-not-stored = the trend was fetched but not stored: { $error }
cli-trend-views = views
cli-trend-demo = from the bundled demo data (nothing billed)
cli-trend-fetched = fetched { $when } (1 call) and stored
cli-trend-stored = stored, fetched { $when }: no call made (--refresh fetches it again, 1 paid call)
cli-trend-title = { $id } · Xingtu daily trend, { $source }
cli-trend-empty = Xingtu sent no daily figures for this video
cli-trend-date = DATE
cli-trend-legend = each value is that day's increment (Xingtu's figures, by date in China)

cli-costs-campaign = Campaign
cli-costs-no-figure = ? { $target } (no figure)

cli-max-cost-bad = --max-cost { $value } is not an amount: give it in the account's currency, like 5 or 0.50; nothing was called
cli-max-cost-unknown = --max-cost { $limit }: this needs { $calls ->
    [one] 1 call
   *[other] { $calls } calls
} and the price per call is not known yet (it is learned from the balance before and after a batch); nothing was called. Run once without --max-cost, or raise it knowingly.
cli-max-cost-over = --max-cost { $limit }: this needs { $calls ->
    [one] 1 call
   *[other] { $calls } calls
}, an estimated { $cost } at { $price }; nothing was called. Raise --max-cost, or refresh fewer items.
cli-batch-about-to-call = about to call: { $estimate }
cli-batch-balance-low = the balance, { $balance }, may not cover { $calls ->
    [one] 1 call
   *[other] { $calls } calls
} (about { $cost }); calls stop at code 601 when it runs out
cli-batch-balance = ; balance { $balance }

cli-dashboard-terminal = cannot use this terminal: { $error }

cli-results-not-saved = results after an internal error were not saved: { $error }
cli-snapshots-not-recorded = snapshots not recorded: { $error }
cli-alerts-not-evaluated = alerts not evaluated: { $error }

# A fired alert, for a person: `viral: 7566… “label” views 1.2M above 1.0M`. The metric's
# label is `alert-metric-NAME`, NAME being what `metric = "…"` takes.
alert-line = { $name }: { $who } { $metric } { $value } { $direction } { $threshold }
alert-above = above
alert-below = below
alert-metric-views = views
alert-metric-likes = likes
alert-metric-comments = comments
alert-metric-shares = shares
alert-metric-saves = saves
alert-metric-like_rate = like_rate
alert-metric-comment_rate = comment_rate
alert-metric-share_rate = share_rate
alert-metric-collect_rate = collect_rate
alert-metric-interact_rate = interact_rate
alert-metric-finish_rate = finish_rate
alert-metric-views_per_hour = views_per_hour
alert-metric-cpm = cpm
alert-metric-cpe = cpe

cli-table-unreadable = cannot read the table: { $error }
cli-table-column = column { $n }
cli-table-no-column = no column { $wanted }: the header has { $columns } (name one of them, or give a column number)
cli-table-no-column-no-header = no column { $wanted }: the file has no header row and { $width ->
    [one] 1 column
   *[other] { $width } columns
}; give a column number like 1
cli-table-no-ids = found no column of video ids or links (columns: { $columns }); name it with --column
cli-table-no-ids-no-header = found no column of video ids or links; name it with --column
cli-price-shape = { $text } is not a price: give the fee in CNY as a number like 1200 or 1200.50
cli-price-negative = { $text }: a price cannot be negative
cli-price-too-large = { $text } is more than any fee for one video (at most { $max } CNY)
alert-command-start = could not start it: { $error }
alert-command-status = exited with status { $status }
alert-command-signal = exited with a signal
alert-command-wait = could not wait for it: { $error }
alert-command-killed = no answer within { $secs } s; it was killed

cli-halt-cleared = cleared the halt ({ $halt }); calls go out again
cli-halt-none = no halt recorded: calls are not stopped
cli-halt-describe = code { $code } ({ $meaning }) seen on { $machine } at { $at }
cli-store-nothing-to-copy = nothing to copy: there is no history on this machine ({ $path })
cli-store-copied = copied { $from } into { $to } in { $secs } s:
cli-store-copy-failed = error: { $error }; what was copied before it is kept, and running `store migrate` again copies the rest
cli-store-kind-snapshots = snapshots
cli-store-kind-trend-series = trend series
cli-store-kind-trend-days = trend days
cli-store-kind-alert-states = alert states
cli-store-kind-alerts-fired = alerts fired
cli-store-kind-price-batches = price batches
cli-store-tally = { $copied } copied, { $present } already there
cli-store-status-store = store:
cli-store-status-schema = schema version:
cli-store-status-rows = rows
cli-store-status-claims = claims held:
cli-store-status-none = none
cli-store-status-claim = by { $holder } until { $until }
cli-store-status-halted = halted:
cli-store-status-halt = code { $code } ({ $meaning }) seen by { $machine } at { $at }
