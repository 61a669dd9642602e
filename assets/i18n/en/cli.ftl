# Human output of the one-shot commands (get, watch, history, campaign, compare, balance,
# trend, costs, import). Ids start with `cli-`. Never used for --json output.

cli-error = error: { $message }
cli-warning = warning: { $message }
cli-config-unreadable = error: { $message }; nothing was called or written

cli-watch-added-summary = { $count ->
    [one] 1 video added in { $file } (no call made; `xingtu-dash watch refresh` fetches it)
   *[other] { $count } videos added in { $file } (no call made; `xingtu-dash watch refresh` fetches them)
}
