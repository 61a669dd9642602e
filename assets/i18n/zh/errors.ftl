# 状态与错误信息，以及接口每个业务码附带的建议。id 以 `error-` 开头。

error-runtime = 无法启动异步运行时：{ $reason }
error-output = 无法写出结果：{ $reason }
