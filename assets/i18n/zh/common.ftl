# 看板与命令行输出共用的词：多久以前、性别。id 以 `common-` 开头。

common-ago-future = 未来
common-ago-now = 刚刚
common-ago-minutes = { $n } 分钟前
common-ago-hours = { $n } 小时前
common-ago-days = { $n } 天前
common-ago-years = { $n } 年前
common-male = 男
common-female = 女
