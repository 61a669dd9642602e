# 设置与配置文件：缺少令牌、取值超出范围、警告。id 以 `settings-` 或 `config-` 开头。
# 键名、选项、路径和取值原样引用。

settings-missing-token = 没有 API 令牌。可以用以下三种方式之一提供：--token TOKEN、环境变量 { $env }，或在 { $config } 的 [api] 下写 `token = "…"`。（也可以先试试 --demo，它不需要令牌。）
settings-bad-base-url = { $what } { $value } 不是 http(s) 网址：应类似 { $example }
settings-bad-value = { $what } { $value } 无效：应为{ $expected }
settings-no-config-dir = 无法确定配置目录：请用 --config PATH 指定，或设置 { $env }
settings-timeout-range = 大于 0、不超过 3600 的秒数（如 90 或 0.5）
settings-number-style-choices = "cn" 或 "intl"
settings-tls-expected = 可用的 TLS 环境
settings-demo-without-config = { $error }（演示模式不使用它，继续运行）
settings-plain-http = 接口地址 { $url } 是明文 HTTP：你的 API 令牌将以未加密方式传输（请使用 https，或在可访问时使用 --region global）
settings-refresh-interval-unreadable = [watch] refresh_interval { $value } 不是“30m”或“1h”这样的时长；自动刷新已关闭
settings-refresh-interval-raised = [watch] refresh_interval { $value } 低于 5 分钟的下限；改为每 5 分钟刷新

config-parse = { $place }：{ $message } — 请手动修改该文件（程序不会覆盖它）
config-io = 配置文件 { $path }：无法{ $action }：{ $error }
config-action-read = 读取
config-action-write = 写入
config-action-save = 保存修改
config-secret-token = 你的 API 令牌
config-secret-store-url = 存储 URL（含密码）
config-readable-by-others = 配置文件 { $path } 中有{ $secret }，但其他用户也能读取（权限 { $mode }）：请运行 chmod 600 { $path }

config-in-entry = [[watchlist]] 第 { $n } 项中
config-in-alert = [[alert]] 第 { $n } 条中
config-in-table = { $table } 中
config-did-you-mean = ；是不是想写 `{ $name }`？
config-did-you-mean-under = ；是不是想把 `{ $name }` 写在 [{ $table }] 下？
config-known-tables = （已忽略；可用的表：{ $known }）
config-known-keys = （已忽略；可用的键：{ $known }）
config-ignored = （已忽略）
config-unknown-table = { $at } 中有未知的表 `{ $name }`{ $hint }
config-unknown-top-key = { $at } 顶层有未知的键 `{ $name }`{ $hint }
config-unknown-key = { $at } 的{ $place }有未知的键 `{ $name }`{ $hint }

settings-links-demo = --demo 不发起任何网络请求
settings-links-flag = 短链接解析已关闭（--no-resolve）
settings-links-config = 短链接解析已关闭（{ $file } 中 [links] resolve = false）
settings-no-http-client = 无法创建 HTTP 客户端（{ $error }）
settings-store-unavailable = { $why }；未发起任何调用，也未写入任何内容
