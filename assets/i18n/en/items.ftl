# Video ids, Douyin links and short links as people give them, and why one cannot be used.
# Ids start with `item-` or `link-`. What was given is quoted as it was.

item-empty = nothing to look up: expected a video id or a Douyin link
item-bad-digits = { $given } is not a video id: expected { $min }–{ $max } digits, like 7566200471448779514
item-not-an-id = { $given } is not a video id or a Douyin link: expected digits like 7566200471448779514 or a link like https://www.douyin.com/video/7566200471448779514
item-foreign-host = { $host } is not a Douyin site: expected a link on douyin.com or iesdouyin.com, or the bare video id
item-short-link = short link { $link } does not contain the video id: open it in a browser and paste the full address instead (expected …/video/<id>, or the bare id)
item-no-id-in-link = found no video id in the link { $link }: expected …/video/<id>, …/share/video/<id> or ?modal_id=<id>
item-several-links = the text holds { $count } different links; paste one at a time

link-off = short link { $link } was not resolved: { $why }. Paste the full link (…/video/<id>) or the bare id instead
link-not-found = short link { $link } was not found (HTTP { $status }): check that it was copied whole, or paste the full link instead
link-no-id = short link { $link } led to { $location }, which holds no video id: paste the video's own link (…/video/<id>) instead
link-no-redirect = short link { $link } did not redirect (HTTP { $status }): it may have expired; copy the link again in the Douyin app
link-http = short link { $link }: { $host } answered HTTP { $status }; try again later
link-timeout = short link { $link }: no answer from { $host } within { $secs } s; check the network or proxy, then try again
link-network = short link { $link }: could not reach { $host }: { $detail }
