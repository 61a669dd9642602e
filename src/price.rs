//! The fee paid for a video, in CNY: read from a `--price` argument or the config file, kept
//! whole or decimal as it was written (an integer price stays an integer in the file).

use std::fmt;

/// No fee for one video comes near this; a larger number is a slip (an id pasted, a zero too
/// many) that would make every CPM meaningless.
pub const MAX: f64 = 100_000_000.0;

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Price {
    Whole(i64),
    Decimal(f64),
}

impl Price {
    /// A value from the config file; `Err` says what is wrong with it.
    pub fn from_whole(n: i64) -> Result<Price, String> {
        check(n as f64).map(|_| Price::Whole(n))
    }

    pub fn from_decimal(x: f64) -> Result<Price, String> {
        check(x).map(|_| Price::Decimal(x))
    }

    /// What a person types: `1200`, `1200.50`, `1,200`, `¥1,200`, `1200元`, `CNY 1200`.
    pub fn parse(text: &str) -> Result<Price, String> {
        let shape = crate::t!("cli-price-shape", text = format!("{text:?}"));
        let mut s = text.trim();
        for prefix in ["¥", "￥", "CNY", "RMB", "cny", "rmb"] {
            s = s.strip_prefix(prefix).unwrap_or(s).trim_start();
        }
        for suffix in ["元", "CNY", "RMB", "cny", "rmb"] {
            s = s.strip_suffix(suffix).unwrap_or(s).trim_end();
        }
        if let Some(rest) = s.strip_prefix('-') {
            if Price::parse(rest).is_ok() {
                return Err(crate::t!("cli-price-negative", text = format!("{text:?}")));
            }
            return Err(shape);
        }
        let (whole, fraction) = match s.split_once('.') {
            Some((w, f)) => (w, Some(f)),
            None => (s, None),
        };
        let digits = ungroup(whole).ok_or_else(|| shape.clone())?;
        if fraction.is_some_and(|f| f.is_empty() || !f.bytes().all(|b| b.is_ascii_digit())) {
            return Err(shape);
        }
        match fraction {
            None => digits
                .parse::<i64>()
                .map_err(|_| too_large(text))
                .and_then(|n| Price::from_whole(n).map_err(|_| too_large(text))),
            Some(f) => format!("{digits}.{f}")
                .parse::<f64>()
                .map_err(|_| shape)
                .and_then(|x| Price::from_decimal(x).map_err(|_| too_large(text))),
        }
    }

    pub fn as_f64(self) -> f64 {
        match self {
            Price::Whole(n) => n as f64,
            Price::Decimal(x) => x,
        }
    }

    pub fn to_toml(self) -> toml_edit::Value {
        match self {
            Price::Whole(n) => n.into(),
            Price::Decimal(x) => x.into(),
        }
    }
}

/// `1,200` grouped by thousands, `1,200.50` with the fen.
impl fmt::Display for Price {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Price::Whole(n) => f.write_str(&crate::format::grouped(n.unsigned_abs())),
            Price::Decimal(x) => {
                let fen = (x * 100.0).round() as u64;
                write!(f, "{}.{:02}", crate::format::grouped(fen / 100), fen % 100)
            }
        }
    }
}

impl serde::Serialize for Price {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match *self {
            Price::Whole(n) => s.serialize_i64(n),
            Price::Decimal(x) => s.serialize_f64(x),
        }
    }
}

fn check(x: f64) -> Result<(), String> {
    if x.is_nan() || x.is_infinite() {
        return Err("price must be a number of CNY, not nan or inf".into());
    }
    if !(0.0..=MAX).contains(&x) {
        return Err(format!(
            "price must be from 0 to {MAX} (CNY); {x} is out of range"
        ));
    }
    Ok(())
}

fn too_large(text: &str) -> String {
    crate::t!(
        "cli-price-too-large",
        text = format!("{text:?}"),
        max = MAX.to_string()
    )
}

/// Digits, with thousands separators only where they belong (`1,200`, not `1,20`).
fn ungroup(s: &str) -> Option<String> {
    let groups: Vec<&str> = s.split([',', '，']).collect();
    let ok = |g: &str| !g.is_empty() && g.bytes().all(|b| b.is_ascii_digit());
    let (first, rest) = groups.split_first()?;
    if !ok(first) || (!rest.is_empty() && first.len() > 3) {
        return None;
    }
    if rest.iter().any(|g| g.len() != 3 || !ok(g)) {
        return None;
    }
    Some(groups.concat())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_what_people_type() {
        assert_eq!(Price::parse("1200"), Ok(Price::Whole(1200)));
        assert_eq!(Price::parse(" 0 "), Ok(Price::Whole(0)));
        assert_eq!(Price::parse("1200.50"), Ok(Price::Decimal(1200.5)));
        assert_eq!(Price::parse("1200.0"), Ok(Price::Decimal(1200.0)));
        assert_eq!(Price::parse("¥1,200"), Ok(Price::Whole(1200)));
        assert_eq!(
            Price::parse("￥ 12,345,678.9"),
            Ok(Price::Decimal(12_345_678.9))
        );
        assert_eq!(Price::parse("1,200元"), Ok(Price::Whole(1200)));
        assert_eq!(Price::parse("CNY 800"), Ok(Price::Whole(800)));
    }

    #[test]
    fn refuses_junk_negative_and_absurd() {
        for junk in [
            "", "abc", "12x", "1,20", "1,2000", "1.", ".5", "1.2.3", "nan", "inf", "1e3",
        ] {
            let e = Price::parse(junk).unwrap_err();
            assert!(e.contains("not a price"), "{junk:?}: {e}");
        }
        assert!(Price::parse("-5").unwrap_err().contains("negative"));
        assert!(Price::parse("¥-5").unwrap_err().contains("negative"));
        for huge in ["100000001", "99999999999999999999", "100000000.5"] {
            assert!(
                Price::parse(huge).unwrap_err().contains("at most"),
                "{huge}"
            );
        }
        assert_eq!(Price::parse("100000000"), Ok(Price::Whole(100_000_000)));
    }

    #[test]
    fn displays_grouped() {
        assert_eq!(Price::Whole(1_200_000).to_string(), "1,200,000");
        assert_eq!(Price::Decimal(1200.5).to_string(), "1,200.50");
        assert_eq!(Price::Decimal(0.004).to_string(), "0.00");
    }
}
