# 账户：调用次数、花费、余额和单次调用价格。id 以 `account-` 开头。金额传入时已写好（¥0.20）。

account-calls = { $calls } 次调用
account-unreadable = 无法读取余额（{ $why }）
account-currency-changed = 余额的币种变了
account-rose = 余额从 { $before } 增加到 { $after }（充值了？）
account-shared = 同一时间另一个 xingtu-dash 也在用这个账户发起调用
account-cost = { $calls } 次调用花费 { $cost }
account-cost-free = { $calls } 次调用花费 { $cost }（免费调用，或未计费）
account-cost-unknown = 花费未知：{ $why }
account-per-call = 每次调用 { $price }（按 { $calls } 次调用测得）
account-estimate = { $calls } 次调用，约 { $cost }，按{ $price }
account-estimate-unknown = { $calls } 次调用（单次价格尚不清楚）
account-estimate-short = { $calls } 次调用，约 { $cost }
account-estimate-short-unknown = { $calls } 次调用，价格尚不清楚
