# The header row of CSV and xlsx exports (the data and JSON field names stay as they are).
# Ids start with `export-`.

export-summary-sheet = Summary
export-xlsx-terminal = an xlsx workbook is binary and would garble the terminal: give --output FILE.xlsx, or redirect it (> watchlist.xlsx)
export-done = exported { $count } watched items to { $file }
export-done-campaign = exported { $count } watched items of campaign { $campaign } to { $file }
export-cannot-write = cannot write { $file }: { $error }
export-campaign-needs-name = --campaign needs a campaign name
export-no-campaigns = no campaign { $name }: no watched video has a campaign yet (give one with `xingtu-dash watch set <ITEM> --campaign NAME`); nothing was exported
export-no-campaign-entry = { $none } (the videos without one)
export-unknown-campaign = no campaign { $name } in the watchlist; its campaigns are { $known }; nothing was exported

# Column headings, by the field name that JSON keeps: `export-col-FIELD`.
export-col-item_id = item_id
export-col-label = label
export-col-title = title
export-col-author = author
export-col-fetched_at = fetched_at
export-col-vv_cnt = vv_cnt
export-col-like_cnt = like_cnt
export-col-comment_cnt = comment_cnt
export-col-share_cnt = share_cnt
export-col-collect_cnt = collect_cnt
export-col-interact_cnt = interact_cnt
export-col-like_rate = like_rate
export-col-comment_rate = comment_rate
export-col-share_rate = share_rate
export-col-collect_rate = collect_rate
export-col-interact_rate = interact_rate
export-col-finish_rate = finish_rate
export-col-follower = follower
export-col-previous_fetched_at = previous_fetched_at
export-col-vv_change = vv_change
export-col-like_change = like_change
export-col-url = url
export-col-campaign = campaign
export-col-price = price
export-col-cpm = cpm
export-col-cpe = cpe
export-col-videos = videos
export-col-priced_videos = priced_videos
export-col-views = views
export-col-likes = likes
export-col-comments = comments
export-col-shares = shares
export-col-saves = saves
export-col-fetched_from = fetched_from
export-col-fetched_to = fetched_to
