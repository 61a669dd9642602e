# 到处都会用到的写法：多久以前、达人性别。id 以 `format-` 开头。

format-ago-future = 未来
format-ago-now = 刚刚
format-ago-minutes = { $n }分钟前
format-ago-hours = { $n }小时前
format-ago-days = { $n }天前
format-ago-years = { $n }年前
format-male = 男
format-female = 女
