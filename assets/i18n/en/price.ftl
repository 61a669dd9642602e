# Why a fee typed in the edit form, `watch add --price` or the config file is not a price.
# Ids start with `price-`. `text` arrives quoted.

price-not-a-price = { $text } is not a price: give the fee in CNY as a number like 1200 or 1200.50
price-negative = { $text }: a price cannot be negative
price-not-finite = price must be a number of CNY, not nan or inf
price-out-of-range = price must be from 0 to { $max } (CNY); { $value } is out of range
price-too-large = { $text } is more than any fee for one video (at most { $max } CNY)
