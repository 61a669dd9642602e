# 用户给出的视频 ID、抖音链接和短链接，以及无法使用的原因。id 以 `item-` 或 `link-` 开头。
# 用户给出的内容原样引用。

item-empty = 没有可查询的内容：请输入视频 ID 或抖音链接
item-bad-digits = { $given } 不是视频 ID：应为 { $min }–{ $max } 位数字，如 7566200471448779514
item-not-an-id = { $given } 不是视频 ID 或抖音链接：应为 7566200471448779514 这样的数字，或 https://www.douyin.com/video/7566200471448779514 这样的链接
item-foreign-host = { $host } 不是抖音网站：请给出 douyin.com 或 iesdouyin.com 上的链接，或直接给出视频 ID
item-short-link = 短链接 { $link } 中不含视频 ID：请在浏览器中打开它，再粘贴完整地址（应为 …/video/<id>，或直接给出 ID）
item-no-id-in-link = 链接 { $link } 中找不到视频 ID：应为 …/video/<id>、…/share/video/<id> 或 ?modal_id=<id>
item-several-links = 这段文字中有 { $count } 个不同的链接；请一次粘贴一个

link-off = 短链接 { $link } 未解析：{ $why }。请改为粘贴完整链接（…/video/<id>）或视频 ID
link-not-found = 找不到短链接 { $link }（HTTP { $status }）：请检查是否复制完整，或改为粘贴完整链接
link-no-id = 短链接 { $link } 跳转到了 { $location }，其中没有视频 ID：请粘贴视频本身的链接（…/video/<id>）
link-no-redirect = 短链接 { $link } 没有跳转（HTTP { $status }）：可能已过期，请在抖音 App 中重新复制链接
link-http = 短链接 { $link }：{ $host } 返回 HTTP { $status }；请稍后再试
link-timeout = 短链接 { $link }：{ $host } 在 { $secs } 秒内没有响应；请检查网络或代理后再试
link-network = 短链接 { $link }：无法连接 { $host }：{ $detail }
