//! Minimal RFC 4180 CSV writing (quote when needed, double the quotes), so exports open
//! the same in Excel, WPS and scripts.

pub fn field(value: &str) -> String {
    let needs_quotes =
        value.contains([',', '"', '\n', '\r']) || value.starts_with(' ') || value.ends_with(' ');
    if needs_quotes {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.to_owned()
    }
}

pub fn row<S: AsRef<str>>(values: &[S]) -> String {
    let mut line = values
        .iter()
        .map(|v| field(v.as_ref()))
        .collect::<Vec<_>>()
        .join(",");
    line.push_str("\r\n");
    line
}

/// The UTF-8 byte order mark: without it Excel and WPS read UTF-8 CSV as the local code
/// page and Chinese text turns to mojibake.
pub const BOM: &str = "\u{feff}";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_only_when_needed() {
        assert_eq!(field("plain"), "plain");
        assert_eq!(field("好热的黄彬"), "好热的黄彬");
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field("two\nlines"), "\"two\nlines\"");
        assert_eq!(row(&["a", "b,c", ""]), "a,\"b,c\",\r\n");
    }
}
