# Words shared by the dashboard and the human CLI output: how long ago, gender.
# Ids start with `common-`.

common-ago-future = in the future
common-ago-now = just now
common-ago-minutes = { $n }m ago
common-ago-hours = { $n }h ago
common-ago-days = { $n }d ago
common-ago-years = { $n }y ago
common-male = male
common-female = female
