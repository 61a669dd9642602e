//! Turning what a user types or pastes into a Douyin item id, before any paid call is made.
//!
//! Accepted: a bare decimal id, or a Douyin link holding one (`/video/<id>`, `/note/<id>`,
//! `/share/video/<id>`, or a `modal_id=` / `aweme_id=` / `item_id=` query parameter). Douyin's
//! share text wraps the link in prose ("7.94 复制打开抖音，看看【…】 https://… 复制此链接"), so a
//! single link found inside other text is accepted too. Full-width digits from Chinese input
//! methods are folded to ASCII.

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

impl ItemId {
    /// Parses a bare id or a link. See the module docs for what is accepted.
    pub fn parse(input: &str) -> Result<ItemId, ParseItemError> {
        let text = fold_full_width(input);
        let text = text.trim();
        if text.is_empty() {
            return Err(ParseItemError::Empty);
        }
        if text.chars().all(|c| c.is_ascii_digit()) {
            return Self::from_digits(text);
        }
        let links = find_links(text);
        match links.as_slice() {
            [] if text.split_whitespace().count() == 1 && looks_like_bare_host_link(text) => {
                Self::from_link(&format!("https://{text}"))
            }
            [] => Err(ParseItemError::NotAnId(shorten(text))),
            [one] => Self::from_link(one),
            many => {
                let distinct: Vec<Result<ItemId, ParseItemError>> =
                    many.iter().map(|l| Self::from_link(l)).collect();
                let ids: Vec<&ItemId> = distinct.iter().filter_map(|r| r.as_ref().ok()).collect();
                match ids.first() {
                    Some(first) if ids.iter().all(|id| id == first) => Ok((*first).clone()),
                    _ => Err(ParseItemError::SeveralLinks(many.len())),
                }
            }
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
        if let Some(pos) = segments.iter().position(|s| matches!(*s, "video" | "note"))
            && let Some(id) = segments.get(pos + 1)
        {
            return Self::from_digits(id);
        }
        if host == "v.douyin.com" {
            return Err(ParseItemError::ShortLink(shorten(link)));
        }
        Err(ParseItemError::NoIdInLink(shorten(link)))
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

fn looks_like_bare_host_link(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    ["douyin.com/", "iesdouyin.com/"]
        .iter()
        .any(|d| lower.contains(d))
}

/// The `http(s)://` links in free text. A link ends at whitespace or at the first character
/// that cannot be part of a URL Douyin produces (CJK punctuation, brackets, quotes).
fn find_links(text: &str) -> Vec<String> {
    let mut links = Vec::new();
    let mut rest = text;
    while let Some(start) = find_scheme(rest) {
        let tail = &rest[start..];
        let end = tail
            .char_indices()
            .find(|(_, c)| c.is_whitespace() || !c.is_ascii() || "<>\"'`()[]{}|\\^".contains(*c))
            .map_or(tail.len(), |(i, _)| i);
        let link = tail[..end].trim_end_matches(['.', ',', ';', ':', '!', '?']);
        links.push(link.to_owned());
        rest = &tail[end..];
    }
    links
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
