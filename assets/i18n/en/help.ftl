# The dashboard's help screen. Ids start with `help-`.

## Where a key acts: the help screen's headings
help-context-anywhere = Anywhere
help-context-box = Lookup box (characters type)
help-context-lists = Lists
help-context-watchlist = Watchlist (from either list)
help-context-popup = Pop-ups
help-mouse = Mouse
help-mouse-keys = click wheel
help-mouse-what = select / scroll
help-title = Keys · { $close } or { $help } closes
help-scroll = { $up } / { $down } scroll · { $more } more

## What each command does (help-<command>): short, the help screen's columns are narrow
help-help = this help
help-next-pane = next / prev pane
help-quit-now = quit at once
help-look-up = look it up
help-leave-box = leave the box
help-clear-box = clear the box
help-delete-word = delete a word
help-line-start = start of the line
help-line-end = end of the line
help-cursor-left = edit
help-up = move the selection
help-page-up = page up / down
help-first = first / last
help-show = show selected item
help-refetch = refetch it (1 call)
help-open = open / copy id / URL
help-trend = trend: total ⇄ growth
help-daily-trend = Xingtu daily (1 call)
help-alerts = alerts / balance now
help-units = counts: 万/亿 ⇄ K/M
help-focus-box = focus the lookup box
help-dismiss = clear the message
help-quit = quit after answers
help-add = watch the item shown
help-remove = remove selected (asks)
help-label = label/campaign/price
help-sort = sort column / reverse
help-refresh-all = refresh all (cache ok)
help-prev-tab = campaign tab ← / →
help-mark = mark (max 8) / compare
help-metric = rank by next metric
help-confirm = remove / save
help-cancel = cancel / close
help-scroll-left = compare: columns
help-scroll-up = scroll

## Mistakes in the config file's [keys] (the file's place is added before them)
help-keys-unknown = [keys] has no command { $name }: the commands are listed in README under “Keys”
help-keys-unknown-nearest = [keys] has no command { $name } (did you mean { $nearest }?): the commands are listed in README under “Keys”
help-keys-bad = [keys] { $command }: { $why }
help-keys-conflict = [keys] { $key } is bound to both { $first } and { $second }: give one of them another key
help-keys-not-a-key = { $text } is not a key: expected one character (`f`, `R`), a name (Enter, Esc, Tab, Space, Up, PgDn, Home, Del, F5) or either with Ctrl- or Alt- before it
help-keys-none = give at least one key
help-keys-types-in-box = { $key } would type into the lookup box instead: use a key with Ctrl or Alt, or a named key
help-keys-types-id = { $key } starts typing an id in the lists: pick another key
