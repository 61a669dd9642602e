# 编辑表单、`watch add --price` 或配置文件里填的费用为什么不是价格。id 以 `price-` 开头。
# `text` 带引号传入。

price-not-a-price = { $text } 不是价格：请用人民币金额填写，例如 1200 或 1200.50
price-negative = { $text }：价格不能为负数
price-not-finite = 价格必须是人民币金额，不能是 nan 或 inf
price-out-of-range = 价格必须在 0 到 { $max } 元之间；{ $value } 超出范围
price-too-large = { $text } 超过了单个视频可能的费用（最多 { $max } 元）
