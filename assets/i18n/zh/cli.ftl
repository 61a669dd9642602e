# 一次性命令（get、watch、history、campaign、compare、balance、trend、costs、import）
# 给人看的输出。id 以 `cli-` 开头。--json 输出不经过这里。

cli-error = 错误：{ $message }
cli-warning = 警告：{ $message }
cli-config-unreadable = 错误：{ $message }；未发起任何调用，也未写入任何内容

cli-watch-added-summary = 已在 { $file } 中添加 { $count } 个视频（未发起调用；`xingtu-dash watch refresh` 会获取数据）
