# The settings and the config file: missing token, values out of range, warnings. Ids start
# with `settings-` or `config-`. Keys, flags, paths and values are quoted as they are.

settings-missing-token = no API token. Give it one of three ways: --token TOKEN, the environment variable { $env }, or `token = "…"` under [api] in { $config }. (Or try --demo, which needs none.)
settings-bad-base-url = { $what } { $value } is not an http(s) URL: expected something like { $example }
settings-bad-value = { $what } { $value } is not valid: { $expected }
settings-no-config-dir = no config directory could be determined: pass --config PATH or set { $env }
settings-timeout-range = a number of seconds above 0 and at most 3600 (e.g. 90 or 0.5)
settings-number-style-choices = "cn" or "intl"
settings-tls-expected = a working TLS setup
settings-demo-without-config = { $error } (demo mode goes on without it)
settings-plain-http = the base URL { $url } is plain HTTP: your API token travels unencrypted (use https, or --region global, where that is reachable)
settings-refresh-interval-unreadable = [watch] refresh_interval { $value } is not a duration like "30m" or "1h"; auto-refresh is off
settings-refresh-interval-raised = [watch] refresh_interval { $value } is below the 5-minute minimum; refreshing every 5m

config-parse = { $place }: { $message } — fix the file by hand (the app will not overwrite it)
config-io = config file { $path }: cannot { $action }: { $error }
config-action-read = read
config-action-write = write
config-action-save = save changes
config-secret-token = your API token
config-secret-store-url = the store URL (with its password)
config-readable-by-others = config file { $path } holds { $secret } but is readable by other users (mode { $mode }): run chmod 600 { $path }

config-in-entry = in [[watchlist]] entry { $n }
config-in-alert = in [[alert]] number { $n }
config-in-table = in { $table }
config-did-you-mean = ; did you mean `{ $name }`?
config-did-you-mean-under = ; did you mean `{ $name }` under [{ $table }]?
config-known-tables = {" "}(ignored; known tables: { $known })
config-known-keys = {" "}(ignored; known keys: { $known })
config-ignored = {" "}(ignored)
config-unknown-table = unknown table `{ $name }` of { $at }{ $hint }
config-unknown-top-key = unknown key `{ $name }` at the top level of { $at }{ $hint }
config-unknown-key = unknown key `{ $name }` { $place } of { $at }{ $hint }

settings-links-demo = --demo makes no network requests
settings-links-flag = link resolution is off (--no-resolve)
settings-links-config = link resolution is off ([links] resolve = false in { $file })
settings-no-http-client = the HTTP client could not be built ({ $error })
settings-store-unavailable = { $why }; nothing was called or written
