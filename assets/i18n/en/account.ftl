# The account: calls, what they cost, the balance and the price per call. Ids start with
# `account-`. Amounts arrive already written (¥0.20).

account-calls = { $calls ->
    [one] 1 call
   *[other] { $calls } calls
}
account-unreadable = the balance could not be read ({ $why })
account-currency-changed = the balance changed currency
account-rose = the balance rose from { $before } to { $after } (a top-up?)
account-shared = another xingtu-dash made calls on the account at the same time
account-cost = cost { $cost } for { $calls ->
    [one] 1 call
   *[other] { $calls } calls
}
account-cost-free = cost { $cost } for { $calls ->
    [one] 1 call
   *[other] { $calls } calls
} (free calls, or not billed)
account-cost-unknown = cost unknown: { $why }
account-per-call = { $price } per call (measured over { $calls ->
    [one] 1 call
   *[other] { $calls } calls
})
account-estimate = { $calls ->
    [one] 1 call
   *[other] { $calls } calls
}, about { $cost } at { $price }
account-estimate-unknown = { $calls ->
    [one] 1 call
   *[other] { $calls } calls
} (price per call not known yet)
account-estimate-short = { $calls ->
    [one] 1 call
   *[other] { $calls } calls
}, about { $cost }
account-estimate-short-unknown = { $calls ->
    [one] 1 call
   *[other] { $calls } calls
}, price not known yet
