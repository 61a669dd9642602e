# The dashboard's help screen. Ids start with `help-`.

## 按键起作用的位置：帮助页的小标题
help-context-anywhere = 任何位置
help-context-box = 查询框（字符会输入）
help-context-lists = 列表
help-context-watchlist = 监控列表（两个列表均可）
help-context-popup = 弹窗
help-mouse = 鼠标
help-mouse-keys = 点击 滚轮
help-mouse-what = 选中 / 滚动
help-title = 按键 · 按 { $close } 或 { $help } 关闭
help-scroll = { $up } / { $down } 滚动 · 还有 { $more } 行

## 每个命令的作用（help-<命令>）：要短，帮助页的列很窄
help-help = 本帮助
help-next-pane = 切换面板
help-quit-now = 立即退出
help-look-up = 查询
help-leave-box = 离开输入框
help-clear-box = 清空输入框
help-delete-word = 删除一个词
help-line-start = 跳到行首
help-line-end = 跳到行尾
help-cursor-left = 编辑
help-up = 上下移动
help-page-up = 上下翻页
help-first = 首项 / 末项
help-show = 显示选中项
help-refetch = 重新获取（1 次调用）
help-open = 打开 / 复制 ID / 链接
help-trend = 趋势：累计 ⇄ 增长
help-daily-trend = 星图每日（1 次调用）
help-alerts = 提醒 / 立即查余额
help-units = 计数：万/亿 ⇄ K/M
help-focus-box = 转到查询框
help-dismiss = 清除消息
help-quit = 收到回复后退出
help-add = 观察当前视频
help-remove = 移除选中项（需确认）
help-label = 标签/活动/价格
help-sort = 排序列 / 反向
help-refresh-all = 全部刷新（可用缓存）
help-prev-tab = 活动页签 ← / →
help-mark = 标记（最多8）/ 对比
help-metric = 按下一指标排名
help-confirm = 移除 / 保存
help-cancel = 取消 / 关闭
help-scroll-left = 对比：切换列
help-scroll-up = 滚动

## 配置文件 [keys] 中的错误（前面会加上文件中的位置）
help-keys-unknown = [keys] 中没有命令 { $name }：所有命令见 README 的“Keys”一节
help-keys-unknown-nearest = [keys] 中没有命令 { $name }（是不是 { $nearest }？）：所有命令见 README 的“Keys”一节
help-keys-bad = [keys] { $command }：{ $why }
help-keys-conflict = [keys] { $key } 同时绑定到了 { $first } 和 { $second }：请给其中一个换个按键
help-keys-not-a-key = { $text } 不是按键：应为一个字符（`f`、`R`）、一个按键名（Enter、Esc、Tab、Space、Up、PgDn、Home、Del、F5），或在它们前面加 Ctrl- 或 Alt-
help-keys-none = 至少给出一个按键
help-keys-types-in-box = { $key } 会在查询框里输入字符：请用带 Ctrl 或 Alt 的按键，或有名字的按键
help-keys-types-id = { $key } 在列表中会开始输入 ID：请换一个按键
