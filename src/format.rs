//! How numbers, rates, times and CJK text are written for people: 4527.6万 or 45.3M, 0.237%,
//! and padding/truncation by display width (a Chinese character or an emoji takes two
//! terminal cells).

use chrono::{DateTime, FixedOffset, Local, TimeZone, Utc};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub enum NumberStyle {
    /// 万 (10^4) and 亿 (10^8), as Chinese-market users read counts.
    Cn,
    /// K, M, B.
    #[default]
    Intl,
}

impl NumberStyle {
    pub fn parse(s: &str) -> Option<NumberStyle> {
        match s.trim().to_ascii_lowercase().as_str() {
            "cn" | "zh" | "chinese" => Some(NumberStyle::Cn),
            "intl" | "en" | "international" => Some(NumberStyle::Intl),
            _ => None,
        }
    }

    /// `cn` when the locale is Chinese (LC_ALL, then LC_NUMERIC, then LANG), else `intl`.
    pub fn from_locale(lookup: impl Fn(&str) -> Option<String>) -> NumberStyle {
        let locale = ["LC_ALL", "LC_NUMERIC", "LANG"]
            .iter()
            .filter_map(|k| lookup(k))
            .find(|v| !v.is_empty())
            .unwrap_or_default();
        if locale.to_ascii_lowercase().starts_with("zh") {
            NumberStyle::Cn
        } else {
            NumberStyle::Intl
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            NumberStyle::Cn => "cn",
            NumberStyle::Intl => "intl",
        }
    }
}

/// A count as people read it: `2686`, `10.7万`, `4527.6万`, `1.2亿`; or `2,686`, `107.1K`, `45.3M`.
pub fn count(n: u64, style: NumberStyle) -> String {
    let units: &[(f64, &str)] = match style {
        NumberStyle::Cn => &[(1e8, "亿"), (1e4, "万")],
        NumberStyle::Intl => &[(1e9, "B"), (1e6, "M"), (1e3, "K")],
    };
    let x = n as f64;
    let one_decimal = |v: f64| (v * 10.0).round() / 10.0;
    // `units` runs largest first; take the largest that fits, then move up one more when
    // rounding would print 10000.0万 instead of 1.0亿.
    let mut pick = units.iter().position(|(size, _)| x >= *size);
    while let Some(i) = pick {
        let next_up = i.checked_sub(1);
        match next_up {
            Some(j) if one_decimal(x / units[i].0) >= units[j].0 / units[i].0 => pick = Some(j),
            _ => break,
        }
    }
    match pick {
        Some(i) => format!("{:.1}{}", one_decimal(x / units[i].0), units[i].1),
        None => match style {
            NumberStyle::Cn => n.to_string(),
            NumberStyle::Intl => grouped(n),
        },
    }
}

/// `1,588,458`.
pub fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// An amount of CNY with the fen, grouped: `1,200.50`. Below one fen (a CPE over millions of
/// interactions) it keeps four decimals rather than read as a free `0.00`.
pub fn yuan(x: f64) -> String {
    if x > 0.0 && x < 0.005 {
        return format!("{x:.4}");
    }
    let fen = (x.max(0.0) * 100.0).round() as u64;
    format!("{}.{:02}", grouped(fen / 100), fen % 100)
}

pub fn opt_count(n: Option<u64>, style: NumberStyle) -> String {
    n.map_or_else(|| "—".to_owned(), |n| count(n, style))
}

/// A fraction as a percentage with three significant digits: 0.00236 → `0.236%`,
/// 0.0189992 → `1.90%`, 0.3125 → `31.3%`. Tiny rates keep at most four decimals.
pub fn percent(fraction: f64) -> String {
    let pct = fraction * 100.0;
    let magnitude = pct.abs();
    let decimals = if magnitude >= 100.0 || magnitude == 0.0 {
        if magnitude == 0.0 { 2 } else { 0 }
    } else if magnitude >= 10.0 {
        1
    } else if magnitude >= 1.0 {
        2
    } else if magnitude >= 0.1 {
        3
    } else {
        4
    };
    // Round half away from zero (31.25 → 31.3), as people expect; formatting alone rounds
    // half to even.
    let scale = 10f64.powi(decimals as i32);
    let rounded = (pct * scale).round() / scale;
    format!("{rounded:.decimals$}%")
}

pub fn opt_percent(fraction: Option<f64>) -> String {
    fraction.map_or_else(|| "—".to_owned(), percent)
}

/// `2:45`, `1:02:03`.
pub fn duration_secs(secs: f64) -> String {
    let total = secs.max(0.0).round() as u64;
    let (h, m, s) = (total / 3600, total / 60 % 60, total % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m}:{s:02}")
    }
}

/// The zone times are shown in: the user's own, or a fixed one (screen tests pin UTC
/// through this instead of changing the process's `TZ`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Zone {
    #[default]
    Local,
    Fixed(FixedOffset),
}

impl Zone {
    pub fn utc() -> Zone {
        Zone::Fixed(FixedOffset::east_opt(0).expect("0 is a valid offset"))
    }

    /// A Unix time in this zone, in a `strftime` format; `None` when out of range.
    pub fn format(self, epoch_secs: i64, fmt: &str) -> Option<String> {
        match self {
            Zone::Local => Local
                .timestamp_opt(epoch_secs, 0)
                .single()
                .map(|t| t.format(fmt).to_string()),
            Zone::Fixed(offset) => offset
                .timestamp_opt(epoch_secs, 0)
                .single()
                .map(|t| t.format(fmt).to_string()),
        }
    }
}

/// A Unix time in the given zone: `2025-10-28 18:43`.
pub fn local_time(epoch_secs: i64, zone: Zone) -> String {
    zone.format(epoch_secs, "%Y-%m-%d %H:%M")
        .unwrap_or_else(|| "—".to_owned())
}

/// How long ago, briefly: `just now`, `5m ago`, `3h ago`, `12d ago`, `2y ago` (刚刚,
/// 5分钟前, … in Chinese).
pub fn ago(then: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let secs = (now - then).num_seconds();
    match secs {
        ..0 => crate::t!("format-ago-future"),
        0..60 => crate::t!("format-ago-now"),
        60..3600 => crate::t!("format-ago-minutes", n = secs / 60),
        3600..86_400 => crate::t!("format-ago-hours", n = secs / 3600),
        86_400..31_536_000 => crate::t!("format-ago-days", n = secs / 86_400),
        _ => crate::t!("format-ago-years", n = secs / 31_536_000),
    }
}

/// Text from the API made safe and unambiguous for a terminal: control characters (a title
/// could carry escape sequences) become spaces, and emoji variation selectors are dropped,
/// because terminals disagree on whether `❄️` takes one cell or two, which breaks columns.
pub fn clean(s: &str) -> String {
    s.chars()
        .filter(|c| !matches!(c, '\u{FE0E}' | '\u{FE0F}'))
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

pub fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// Cuts `s` to at most `max` cells, never inside a character, ending with `…` when cut.
pub fn truncate(s: &str, max: usize) -> String {
    if width(s) <= max {
        return s.to_owned();
    }
    if max == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > max - 1 {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

/// Pads (or truncates) to exactly `cells` cells, text on the left.
pub fn pad_right(s: &str, cells: usize) -> String {
    let s = truncate(s, cells);
    let pad = cells.saturating_sub(width(&s));
    format!("{s}{}", " ".repeat(pad))
}

/// Pads (or truncates) to exactly `cells` cells, text on the right (numbers).
pub fn pad_left(s: &str, cells: usize) -> String {
    let s = truncate(s, cells);
    let pad = cells.saturating_sub(width(&s));
    format!("{}{s}", " ".repeat(pad))
}

/// Creator gender as the API codes it (1 male, 2 female; 0 or absent unknown).
pub fn gender(code: Option<i64>) -> String {
    match code {
        Some(1) => crate::t!("format-male"),
        Some(2) => crate::t!("format-female"),
        _ => "—".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yuan_keeps_the_fen_and_tiny_amounts() {
        assert_eq!(yuan(1200.5), "1,200.50");
        assert_eq!(yuan(26.499), "26.50");
        assert_eq!(yuan(0.0), "0.00");
        assert_eq!(yuan(0.0012), "0.0012");
        assert_eq!(yuan(0.005), "0.01");
    }

    #[test]
    fn chinese_units() {
        let cn = NumberStyle::Cn;
        assert_eq!(count(0, cn), "0");
        assert_eq!(count(2686, cn), "2686");
        assert_eq!(count(9999, cn), "9999");
        assert_eq!(count(10_000, cn), "1.0万");
        assert_eq!(count(107_089, cn), "10.7万");
        assert_eq!(count(45_275_627, cn), "4527.6万");
        assert_eq!(count(99_999_999, cn), "1.0亿");
        assert_eq!(count(123_456_789, cn), "1.2亿");
        assert_eq!(count(u64::MAX, cn), "184467440737.1亿");
    }

    #[test]
    fn international_units() {
        let intl = NumberStyle::Intl;
        assert_eq!(count(686, intl), "686");
        assert_eq!(count(2686, intl), "2.7K");
        assert_eq!(count(107_089, intl), "107.1K");
        assert_eq!(count(999_960, intl), "1.0M");
        assert_eq!(count(45_275_627, intl), "45.3M");
        assert_eq!(count(1_234_567_890, intl), "1.2B");
        assert_eq!(grouped(1_588_458), "1,588,458");
        assert_eq!(grouped(100), "100");
    }

    #[test]
    fn style_from_locale() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| {
                pairs
                    .iter()
                    .find(|(key, _)| *key == k)
                    .map(|(_, v)| v.to_string())
            }
        };
        assert_eq!(
            NumberStyle::from_locale(env(&[("LANG", "zh_CN.UTF-8")])),
            NumberStyle::Cn
        );
        assert_eq!(
            NumberStyle::from_locale(env(&[("LC_ALL", "en_US.UTF-8"), ("LANG", "zh_CN.UTF-8")])),
            NumberStyle::Intl
        );
        assert_eq!(
            NumberStyle::from_locale(env(&[("LC_ALL", ""), ("LANG", "zh_TW.UTF-8")])),
            NumberStyle::Cn
        );
        assert_eq!(NumberStyle::from_locale(env(&[])), NumberStyle::Intl);
    }

    #[test]
    fn percentages_keep_three_significant_digits() {
        assert_eq!(percent(107_089.0 / 45_275_627.0), "0.237%");
        assert_eq!(percent(2686.0 / 45_275_627.0), "0.0059%");
        assert_eq!(percent(0.0189992082), "1.90%");
        assert_eq!(percent(0.3125), "31.3%");
        assert_eq!(percent(0.0), "0.00%");
        assert_eq!(percent(1.0), "100%");
        assert_eq!(opt_percent(None), "—");
    }

    #[test]
    fn widths_respect_cjk_and_emoji() {
        assert_eq!(width("好热的黄彬"), 10);
        assert_eq!(width("小鹿酱🦌"), 8);
        assert_eq!(truncate("好热的黄彬", 5), "好热…");
        assert_eq!(width(&truncate("好热的黄彬", 6)), 5);
        assert_eq!(pad_right("好热", 6), "好热  ");
        assert_eq!(pad_left("1.2亿", 8), "   1.2亿");
        assert_eq!(truncate("abc", 0), "");
        assert_eq!(pad_right("好热的黄彬", 7), "好热的…");
        assert_eq!(pad_right("好热的黄彬", 8), "好热的… ");
    }

    #[test]
    fn clean_text_cannot_move_the_cursor() {
        assert_eq!(clean("秋冬必备❄\u{FE0F} ok"), "秋冬必备❄ ok");
        assert_eq!(clean("a\u{1b}[2Jb\nc\td"), "a [2Jb c d");
        assert_eq!(width(&clean("❄\u{FE0F}")), 1);
    }

    #[test]
    fn durations_and_ages() {
        assert_eq!(duration_secs(165.9), "2:46");
        assert_eq!(duration_secs(3723.0), "1:02:03");
        let now = Utc::now();
        assert_eq!(ago(now, now), "just now");
        assert_eq!(ago(now - chrono::Duration::minutes(5), now), "5m ago");
        assert_eq!(ago(now - chrono::Duration::hours(30), now), "1d ago");
    }

    #[test]
    fn a_fixed_zone_shows_the_same_time_on_every_machine() {
        let beijing = Zone::Fixed(FixedOffset::east_opt(8 * 3600).unwrap());
        assert_eq!(local_time(1_761_619_380, Zone::utc()), "2025-10-28 02:43");
        assert_eq!(local_time(1_761_619_380, beijing), "2025-10-28 10:43");
        assert_eq!(local_time(i64::MAX, beijing), "—");
    }
}
