# Values written for people wherever they appear: how long ago, a creator's gender.
# Ids start with `format-`.

format-ago-future = in the future
format-ago-now = just now
format-ago-minutes = { $n }m ago
format-ago-hours = { $n }h ago
format-ago-days = { $n }d ago
format-ago-years = { $n }y ago
format-male = male
format-female = female
