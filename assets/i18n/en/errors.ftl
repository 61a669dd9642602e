# Status and error messages, and the advice attached to each business code of the API.
# Ids start with `error-`. The code → kind and retry rule stays in src/api/error.rs; the
# texts for code N are `error-code-N` (its meaning), `error-advice-N` (what to do) and, for
# a code that stops all calls, `error-halt-N` (the banner: a few words that fit 80 columns).

error-runtime = could not start the async runtime: { $reason }
error-output = cannot write the output: { $reason }

error-business = code { $code }: { $what } — { $advice }
error-business-server = { $meaning } (server: { $server })
error-business-unknown = unknown code (server: { $server })
error-business-silent = unknown code, no message from the server
error-http = HTTP { $status }: { $detail }
error-bad-response = HTTP { $status }: unusable response: { $detail }
error-timeout = no answer within { $secs } s (the provider collects data on demand; try --timeout 90)
error-network = network error: { $detail }
error-halted = not requested: code { $code } earlier in this run stopped all calls — { $advice }
error-stopped = not requested: the run was stopped before this call
error-unknown-code = unknown code
error-halted-elsewhere = not requested: code { $code } ({ $meaning }) on { $machine } at { $at } stopped the calls of everyone sharing the store — { $advice }; then clear it with `xingtu-dash store clear-halt` (or the dashboard's refetch key)
error-store-unavailable = not requested: the store is unavailable ({ $detail }); no call is made until it is back
error-rate-limited = rate limited (code 302)
error-halt-banner = code { $code }: { $what }
error-halt-unknown = calls stopped — fix the cause, then press { $key }
error-advice-unknown = see the provider's message; if it persists, contact Just One API support

error-code-100 = Invalid or Inactive Token
error-advice-100 = check your API token (--token, JUSTONEAPI_TOKEN or [api] token in the config file)
error-halt-100 = invalid or inactive token — fix the token and restart
error-code-301 = Collection Failed
error-advice-301 = the provider could not collect this video right now; try again in a minute
error-code-302 = Rate Limit Exceeded
error-advice-302 = the provider is rate limiting; wait a moment and try again
error-code-303 = Daily Quota Exceeded
error-advice-303 = the daily quota is used up; try again after it resets
error-halt-303 = daily quota used up — wait for the reset, then press { $key }
error-code-400 = Invalid Parameters
error-advice-400 = check the video id: the provider does not know it
error-code-500 = Internal Server Error
error-advice-500 = the provider had an internal error; try again later
error-code-503 = Service Unavailable
error-advice-503 = the provider had an internal error; try again later
error-code-600 = Permission Denied
error-advice-600 = your token has no access to this API; enable it in your Just One API account
error-halt-600 = no permission for this API — enable it, then press { $key }
error-code-601 = Insufficient Balance
error-advice-601 = your balance is empty; top up your Just One API account, then try again
error-halt-601 = balance is empty — top up, then press { $key }
error-code-602 = Token Spending Limit Reached
error-advice-602 = this token's spending limit is reached (the account balance may still have money); raise the token's limit in the Just One API console, or use another token
error-halt-602 = token spending cap hit — raise it, then press { $key }
