//! Turning what a user types or pastes into a Douyin item id, before any paid call is made.
//!
//! Accepted: a bare decimal id, or a Douyin link holding one (`/video/<id>`, `/note/<id>`,
//! `/slides/<id>`, `/share/video/<id>`, or a `modal_id=` / `aweme_id=` / `item_id=` query
//! parameter). Douyin's share text wraps the link in prose ("7.94 复制打开抖音，看看【…】
//! https://… 复制此链接"), so a single link found inside other text is accepted too, with or
//! without its scheme. Full-width digits from Chinese input methods are folded to ASCII.
//!
//! The app's "Copy link" gives a short link (`https://v.douyin.com/<code>/`) that holds no id:
//! `ItemRef::parse` accepts it as a [`ShortLink`] for `shortlink` to resolve, while
//! `ItemId::parse` still rejects it (the places that need an id right away).

use std::fmt;

use url::Url;

/// A validated Douyin item id: ASCII digits only, of a plausible length.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ItemId(String);

/// Douyin item ids are 19 digits today; older ones are shorter. They are signed 64-bit
/// integers on Douyin's side, which never have more than 19 digits, so 20 digits is always a
/// typo. Anything outside this range is rejected: it saves the user a billed "Invalid
/// Parameters" call, and the error message states exactly this rule.
const MIN_DIGITS: usize = 10;
const MAX_DIGITS: usize = 19;

const ID_QUERY_KEYS: [&str; 5] = ["modal_id", "aweme_id", "item_id", "itemId", "vid"];

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseItemError {
    #[error("nothing to look up: expected a video id or a Douyin link")]
    Empty,
    #[error(
        "{0:?} is not a video id: expected {MIN_DIGITS}–{MAX_DIGITS} digits, like 7566200471448779514"
    )]
    BadDigits(String),
    #[error(
        "{0:?} is not a video id or a Douyin link: expected digits like 7566200471448779514 or a link like https://www.douyin.com/video/7566200471448779514"
    )]
    NotAnId(String),
    #[error(
        "{host} is not a Douyin site: expected a link on douyin.com or iesdouyin.com, or the bare video id"
    )]
    ForeignHost { host: String },
    #[error(
        "short link {0} does not contain the video id: open it in a browser and paste the full address instead (expected …/video/<id>, or the bare id)"
    )]
    ShortLink(String),
    #[error(
        "found no video id in the link {0}: expected …/video/<id>, …/share/video/<id> or ?modal_id=<id>"
    )]
    NoIdInLink(String),
    #[error("the text holds {0} different links; paste one at a time")]
    SeveralLinks(usize),
}

/// The host of Douyin's short links. Its links carry a code instead of the id; the host
/// answers with a redirect to the full link.
pub const SHORT_LINK_HOST: &str = "v.douyin.com";

/// A Douyin short link, by its code (`iRNBho6u` in `https://v.douyin.com/iRNBho6u/`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ShortLink {
    code: String,
}

impl ShortLink {
    /// Codes are short and URL-safe; anything else is not a code Douyin issued.
    fn from_code(code: &str) -> Option<ShortLink> {
        let ok = (1..=32).contains(&code.len())
            && code
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        ok.then(|| ShortLink {
            code: code.to_owned(),
        })
    }

    pub fn code(&self) -> &str {
        &self.code
    }

    /// The link as Douyin writes it.
    pub fn url(&self) -> String {
        format!("https://{SHORT_LINK_HOST}/{}/", self.code)
    }
}

impl fmt::Display for ShortLink {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.url())
    }
}

/// What a user gave: an id (or a link holding one), or a short link still to be resolved.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ItemRef {
    Id(ItemId),
    Short(ShortLink),
}

impl ItemRef {
    /// Like [`ItemId::parse`], but a short link (alone or in share text) is accepted too.
    pub fn parse(input: &str) -> Result<ItemRef, ParseItemError> {
        match parse_any(input)? {
            Parsed::Id(id) => Ok(ItemRef::Id(id)),
            Parsed::Short(link) => Ok(ItemRef::Short(link)),
        }
    }
}

impl fmt::Display for ItemRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ItemRef::Id(id) => id.fmt(f),
            ItemRef::Short(link) => link.fmt(f),
        }
    }
}

enum Parsed {
    Id(ItemId),
    Short(ShortLink),
}

fn parse_any(input: &str) -> Result<Parsed, ParseItemError> {
    let text = fold_full_width(input);
    let text = text.trim();
    if text.is_empty() {
        return Err(ParseItemError::Empty);
    }
    if text.chars().all(|c| c.is_ascii_digit()) {
        return ItemId::from_digits(text).map(Parsed::Id);
    }
    let mut links = find_links(text);
    if links.is_empty() {
        links = find_bare_links(text);
    }
    match links.as_slice() {
        [] => Err(ParseItemError::NotAnId(shorten(text))),
        [one] => parse_link(one),
        many => {
            let mut parsed = many.iter().filter_map(|l| parse_link(l).ok());
            match parsed.next() {
                Some(first) if parsed.all(|p| p.same_as(&first)) => Ok(first),
                _ => Err(ParseItemError::SeveralLinks(many.len())),
            }
        }
    }
}

impl Parsed {
    fn same_as(&self, other: &Parsed) -> bool {
        match (self, other) {
            (Parsed::Id(a), Parsed::Id(b)) => a == b,
            (Parsed::Short(a), Parsed::Short(b)) => a == b,
            _ => false,
        }
    }
}

fn parse_link(link: &str) -> Result<Parsed, ParseItemError> {
    match ItemId::from_link(link) {
        Ok(id) => Ok(Parsed::Id(id)),
        Err(ParseItemError::ShortLink(_)) => short_link(link)
            .map(Parsed::Short)
            .ok_or_else(|| ParseItemError::ShortLink(shorten(link))),
        Err(e) => Err(e),
    }
}

/// The code of a `v.douyin.com` link: its first path segment.
fn short_link(link: &str) -> Option<ShortLink> {
    let url = Url::parse(link).ok()?;
    let code = url.path_segments()?.find(|s| !s.is_empty())?;
    ShortLink::from_code(code)
}

/// Written as its digits (JSON output, the watchlist in a config file).
impl serde::Serialize for ItemId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

/// The store and the history key rows by the id's text.
impl PartialEq<str> for ItemId {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<&str> for ItemId {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

impl ItemId {
    /// Parses a bare id or a link. See the module docs for what is accepted; a short link is
    /// rejected (it needs resolving first: see [`ItemRef::parse`]).
    pub fn parse(input: &str) -> Result<ItemId, ParseItemError> {
        match parse_any(input)? {
            Parsed::Id(id) => Ok(id),
            Parsed::Short(link) => Err(ParseItemError::ShortLink(link.url())),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    fn from_digits(digits: &str) -> Result<ItemId, ParseItemError> {
        if (MIN_DIGITS..=MAX_DIGITS).contains(&digits.len())
            && digits.bytes().all(|b| b.is_ascii_digit())
        {
            Ok(ItemId(digits.to_owned()))
        } else {
            Err(ParseItemError::BadDigits(shorten(digits)))
        }
    }

    fn from_link(link: &str) -> Result<ItemId, ParseItemError> {
        let url = Url::parse(link).map_err(|_| ParseItemError::NotAnId(shorten(link)))?;
        let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
        if !is_douyin_host(&host) {
            return Err(ParseItemError::ForeignHost { host });
        }
        for (key, value) in url.query_pairs() {
            if ID_QUERY_KEYS.contains(&key.as_ref()) && !value.is_empty() {
                return Self::from_digits(&value);
            }
        }
        let segments: Vec<&str> = url
            .path_segments()
            .map(|s| s.filter(|seg| !seg.is_empty()).collect())
            .unwrap_or_default();
        if let Some(pos) = segments
            .iter()
            .position(|s| matches!(*s, "video" | "note" | "slides"))
            && let Some(id) = segments.get(pos + 1)
        {
            return Self::from_digits(id);
        }
        if host == SHORT_LINK_HOST {
            return Err(ParseItemError::ShortLink(shorten(link)));
        }
        Err(ParseItemError::NoIdInLink(shorten(link)))
    }
}

/// Maps keyed by id are looked up with the text of a stored id, without parsing it again
/// (the derived `Hash` and `Eq` are the string's, as `Borrow` requires).
impl std::borrow::Borrow<str> for ItemId {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ItemId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::str::FromStr for ItemId {
    type Err = ParseItemError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ItemId::parse(s)
    }
}

fn is_douyin_host(host: &str) -> bool {
    ["douyin.com", "iesdouyin.com"]
        .iter()
        .any(|d| host == *d || host.ends_with(&format!(".{d}")))
}

/// Links written without a scheme (`v.douyin.com/iRNBho6u/`, `www.douyin.com/video/…`),
/// alone or inside other text: each Douyin host name followed by a path, made `https://`.
fn find_bare_links(text: &str) -> Vec<String> {
    let lower = text.to_ascii_lowercase();
    let mut links: Vec<String> = Vec::new();
    let mut from = 0;
    while let Some(found) = lower[from..].find("douyin.com/") {
        let at = from + found;
        let start = lower[..at]
            .char_indices()
            .rev()
            .take_while(|(_, c)| c.is_ascii_alphanumeric() || *c == '.' || *c == '-')
            .last()
            .map_or(at, |(i, _)| i);
        let tail = &text[start..];
        let end = link_end(tail);
        let link = tail[..end].trim_end_matches(['.', ',', ';', ':', '!', '?']);
        links.push(format!("https://{link}"));
        from = start + end.max(1);
    }
    links
}

/// The `http(s)://` links in free text. A link ends at whitespace or at the first character
/// that cannot be part of a URL Douyin produces (CJK punctuation, brackets, quotes).
fn find_links(text: &str) -> Vec<String> {
    let mut links = Vec::new();
    let mut rest = text;
    while let Some(start) = find_scheme(rest) {
        let tail = &rest[start..];
        let end = link_end(tail);
        let link = tail[..end].trim_end_matches(['.', ',', ';', ':', '!', '?']);
        links.push(link.to_owned());
        rest = &tail[end..];
    }
    links
}

/// Where a link starting `text` ends: at whitespace or at the first character that cannot be
/// part of a URL Douyin produces (CJK punctuation, brackets, quotes).
fn link_end(text: &str) -> usize {
    text.char_indices()
        .find(|(_, c)| c.is_whitespace() || !c.is_ascii() || "<>\"'`()[]{}|\\^".contains(*c))
        .map_or(text.len(), |(i, _)| i)
}

fn find_scheme(text: &str) -> Option<usize> {
    let lower = text.to_ascii_lowercase();
    [lower.find("https://"), lower.find("http://")]
        .into_iter()
        .flatten()
        .min()
}

/// Full-width digits, letters and punctuation (U+FF01..U+FF5E) and the ideographic space
/// come from Chinese input methods; fold them to ASCII so `７５６６…` parses.
fn fold_full_width(input: &str) -> String {
    input
        .chars()
        .map(|c| match c {
            '\u{3000}' => ' ',
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .collect()
}

/// Error messages quote the input; a pasted essay should not flood the terminal.
fn shorten(text: &str) -> String {
    const MAX: usize = 80;
    if text.chars().count() <= MAX {
        text.to_owned()
    } else {
        let head: String = text.chars().take(MAX - 1).collect();
        format!("{head}…")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "7566200471448779514";

    #[test]
    fn accepts_ids_and_links() {
        let cases = [
            "7566200471448779514",
            "  7566200471448779514\n",
            "\t7566200471448779514 ",
            "７５６６２００４７１４４８７７９５１４",
            "https://www.iesdouyin.com/share/video/7566200471448779514/?region=CN&mid=7566200535087450931&u_code=19f5hj09f",
            "https://www.douyin.com/video/7566200471448779514",
            "https://www.douyin.com/video/7566200471448779514?previous_page=app_code_link",
            "http://www.douyin.com/video/7566200471448779514/",
            "www.douyin.com/video/7566200471448779514",
            "douyin.com/video/7566200471448779514",
            "https://m.douyin.com/share/video/7566200471448779514",
            "https://www.douyin.com/note/7566200471448779514",
            "https://www.iesdouyin.com/share/slides/7566200471448779514/?region=CN",
            "https://www.douyin.com/user/MS4wLjABAAAA?modal_id=7566200471448779514",
            "https://www.douyin.com/discover?modal_id=7566200471448779514&x=1",
            "https://www.douyin.com/search/abc?aweme_id=7566200471448779514",
            "HTTPS://WWW.DOUYIN.COM/video/7566200471448779514",
            "7.94 复制打开抖音，看看【好热的黄彬的作品】少爷,今天陪妹妹去看车啦! https://www.douyin.com/video/7566200471448779514 复制此链接，打开Dou音搜索，直接观看视频！",
            "看看这个：https://www.douyin.com/video/7566200471448779514。",
            "(https://www.douyin.com/video/7566200471448779514)",
            "<https://www.douyin.com/video/7566200471448779514>.",
            "https://www.douyin.com/video/7566200471448779514 https://www.douyin.com/video/7566200471448779514",
        ];
        for case in cases {
            assert_eq!(
                ItemId::parse(case).map(|id| id.to_string()),
                Ok(ID.to_owned()),
                "input: {case:?}"
            );
        }
    }

    #[test]
    fn rejects_junk_with_a_reason() {
        use ParseItemError::*;
        type Check = fn(&ParseItemError) -> bool;
        let cases: [(&str, Check); 16] = [
            ("", |e| *e == Empty),
            ("   \n", |e| *e == Empty),
            ("12345", |e| matches!(e, BadDigits(_))),
            ("123456789012345678901234", |e| matches!(e, BadDigits(_))),
            ("99999999999999999999", |e| matches!(e, BadDigits(_))),
            ("7566200471448779514abc", |e| matches!(e, NotAnId(_))),
            ("hello world", |e| matches!(e, NotAnId(_))),
            ("756620047144877951４x", |e| matches!(e, NotAnId(_))),
            ("7566200471448779514 7566200471448779515", |e| {
                matches!(e, NotAnId(_))
            }),
            ("https://www.youtube.com/watch?v=7566200471448779514", |e| {
                matches!(e, ForeignHost { .. })
            }),
            (
                "https://douyin.com.evil.example/video/7566200471448779514",
                |e| matches!(e, ForeignHost { .. }),
            ),
            ("https://v.douyin.com/iRNBho6u/", |e| {
                matches!(e, ShortLink(_))
            }),
            ("https://www.douyin.com/video/7566200471448779514abc", |e| {
                matches!(e, BadDigits(_))
            }),
            ("https://www.douyin.com/user/MS4wLjABAAAA", |e| {
                matches!(e, NoIdInLink(_))
            }),
            ("https://www.douyin.com/video/", |e| {
                matches!(e, NoIdInLink(_))
            }),
            (
                "https://www.douyin.com/video/7566200471448779514 https://www.douyin.com/video/7566200471448779515",
                |e| matches!(e, SeveralLinks(2)),
            ),
        ];
        for (input, expected) in cases {
            let got = ItemId::parse(input);
            assert!(
                matches!(&got, Err(e) if expected(e)),
                "input {input:?} gave {got:?}"
            );
        }
    }

    #[test]
    fn short_links_are_found_in_every_spelling() {
        let short = |s: &str| match ItemRef::parse(s) {
            Ok(ItemRef::Short(link)) => link.code().to_owned(),
            other => panic!("{s:?} gave {other:?}"),
        };
        for case in [
            "https://v.douyin.com/iRNBho6u/",
            "https://v.douyin.com/iRNBho6u",
            "http://V.DOUYIN.COM/iRNBho6u/?from=share",
            "v.douyin.com/iRNBho6u/",
            "v.douyin.com/iRNBho6u",
            "  v.douyin.com/iRNBho6u  ",
            "7.92 复制打开抖音，看看【好热的黄彬的作品】少爷,今天陪妹妹去看车啦!… https://v.douyin.com/iRNBho6u/ 01/20 xSj:/ a@b.Ok",
            "复制打开抖音v.douyin.com/iRNBho6u/看看",
            "看看 v.douyin.com/iRNBho6u 复制此链接",
            "https://v.douyin.com/iRNBho6u/ https://v.douyin.com/iRNBho6u/",
        ] {
            assert_eq!(short(case), "iRNBho6u", "input {case:?}");
        }
        // The code keeps its case: Douyin's codes are case-sensitive.
        assert_eq!(short("v.douyin.com/AbC-_9/"), "AbC-_9");
        // `ItemId::parse` still wants an id now: the short link needs resolving first.
        assert!(matches!(
            ItemId::parse("https://v.douyin.com/iRNBho6u/"),
            Err(ParseItemError::ShortLink(_))
        ));
        assert_eq!(
            ItemRef::parse(ID),
            Ok(ItemRef::Id(ItemId::parse(ID).unwrap()))
        );
    }

    #[test]
    fn short_links_without_a_usable_code_are_rejected() {
        for case in [
            "https://v.douyin.com/",
            "https://v.douyin.com/a%20b/",
            "https://v.douyin.com/iRNBho6u/ https://v.douyin.com/other/",
        ] {
            assert!(ItemRef::parse(case).is_err(), "{case:?}");
        }
        assert!(matches!(
            ItemRef::parse(
                "https://v.douyin.com/iRNBho6u/ https://www.douyin.com/video/7566200471448779514"
            ),
            Err(ParseItemError::SeveralLinks(2))
        ));
    }

    #[test]
    fn the_digit_rule_is_the_one_the_message_states() {
        for digits in [10, 19] {
            assert!(
                ItemId::parse(&"7".repeat(digits)).is_ok(),
                "{digits} digits"
            );
        }
        for digits in [9, 20] {
            let input = format!("1{}", "0".repeat(digits - 1));
            let msg = ItemId::parse(&input).unwrap_err().to_string();
            assert!(
                msg.contains("expected 10–19 digits"),
                "{digits} digits: {msg}"
            );
        }
    }

    #[test]
    fn error_messages_say_what_was_expected() {
        let msg = ItemId::parse("hello").unwrap_err().to_string();
        assert!(msg.contains("expected"), "{msg}");
        let long = "x".repeat(500);
        let msg = ItemId::parse(&long).unwrap_err().to_string();
        assert!(msg.chars().count() < 300, "{msg}");
    }
}
