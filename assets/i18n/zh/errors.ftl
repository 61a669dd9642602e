# 状态与错误信息，以及接口每个业务码附带的建议。id 以 `error-` 开头。业务码 N 的文字：
# `error-code-N`（含义）、`error-advice-N`（怎么办），会停止所有调用的业务码还有
# `error-halt-N`（横幅：几个字，要在 80 列内放得下）。

error-runtime = 无法启动异步运行时：{ $reason }
error-output = 无法写出结果：{ $reason }

error-business = 代码 { $code }：{ $what } — { $advice }
error-business-server = { $meaning }（服务器：{ $server }）
error-business-unknown = 未知代码（服务器：{ $server }）
error-business-silent = 未知代码，服务器未给出说明
error-http = HTTP { $status }：{ $detail }
error-bad-response = HTTP { $status }：响应无法使用：{ $detail }
error-timeout = { $secs } 秒内没有响应（服务商按需采集数据，可试试 --timeout 90）
error-network = 网络错误：{ $detail }
error-halted = 未请求：本次运行中较早的代码 { $code } 已停止所有调用 — { $advice }
error-stopped = 未请求：本次运行在这次调用之前已停止
error-unknown-code = 未知代码
error-halted-elsewhere = 未请求：{ $machine } 于 { $at } 收到代码 { $code }（{ $meaning }），共用该存储的所有人已停止调用 — { $advice }；处理后用 `xingtu-dash store clear-halt`（或看板的重新获取键）解除
error-store-unavailable = 未请求：存储不可用（{ $detail }）；恢复之前不会发起任何调用
error-rate-limited = 请求过于频繁（代码 302）
error-halt-banner = 代码 { $code }：{ $what }
error-halt-unknown = 调用已停止 — 排除原因后按 { $key }
error-advice-unknown = 请查看服务商的说明；如果一直出现，请联系 Just One API 客服

error-code-100 = 令牌无效或未激活
error-advice-100 = 请检查 API 令牌（--token、JUSTONEAPI_TOKEN 或配置文件中的 [api] token）
error-halt-100 = 令牌无效或未激活 — 改正令牌后重启
error-code-301 = 采集失败
error-advice-301 = 服务商暂时无法采集该视频，请一分钟后重试
error-code-302 = 请求过于频繁
error-advice-302 = 服务商正在限流，请稍候再试
error-code-303 = 超出每日配额
error-advice-303 = 今日配额已用完，请在重置后再试
error-halt-303 = 今日配额已用完 — 重置后按 { $key }
error-code-400 = 参数无效
error-advice-400 = 请检查视频 ID：服务商找不到该视频
error-code-500 = 服务器内部错误
error-advice-500 = 服务商内部出错，请稍后再试
error-code-503 = 服务暂不可用
error-advice-503 = 服务商内部出错，请稍后再试
error-code-600 = 无权访问
error-advice-600 = 你的令牌无权使用此接口，请在 Just One API 账户中开通
error-halt-600 = 无权使用此接口 — 开通后按 { $key }
error-code-601 = 余额不足
error-advice-601 = 余额已用完，请为 Just One API 账户充值后再试
error-halt-601 = 余额已用完 — 充值后按 { $key }
error-code-602 = 已达令牌消费上限
error-advice-602 = 该令牌已达消费上限（账户余额可能仍有剩余）；请在 Just One API 控制台提高该令牌的上限，或换用其他令牌
error-halt-602 = 已达令牌消费上限 — 提高上限后按 { $key }
