//! CSV for spreadsheets: RFC 4180 (quote when needed, double the quotes), with the cells a
//! spreadsheet would damage or run written so it cannot. Excel, WPS and LibreOffice read a
//! 19-digit id as a number and keep only 15 digits (7.56620047144878E+018), and they run a
//! cell that starts with `=`, `+`, `-` or `@` as a formula, while titles, labels and creator
//! names come from strangers (OWASP, "CSV Injection").

/// How a spreadsheet should read a cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Digits that are a name, not a quantity: written as the formula `="…"`, which every
    /// spreadsheet shows as that exact text.
    Id,
    /// Written as is: a figure, a rate, a date we produced.
    Number,
    /// Anyone's text: a leading `'` keeps it from being run as a formula. Text that starts
    /// with `'` gets one more, so a script can always drop exactly one.
    Text,
}

/// The cell's text as a spreadsheet-safe value, before CSV quoting.
pub fn cell(kind: Kind, value: &str) -> String {
    match kind {
        Kind::Id if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) => {
            format!("=\"{value}\"")
        }
        Kind::Number => value.to_owned(),
        Kind::Id | Kind::Text => text(value),
    }
}

fn text(value: &str) -> String {
    if value.starts_with(['=', '+', '-', '@', '\t', '\r', '\'']) {
        format!("'{value}")
    } else {
        value.to_owned()
    }
}

/// One line of already safe cells (a header, or cells made with [`cell`]), written by the
/// `csv` crate: quoted only when needed, quotes doubled, CRLF as spreadsheets expect.
pub fn row<S: AsRef<str>>(values: &[S]) -> String {
    let mut writer = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::CRLF)
        .from_writer(Vec::new());
    // A single empty cell is written as `""`, so the line is not read as no cells at all.
    let written = writer.write_record(values.iter().map(AsRef::as_ref));
    let bytes = written
        .and_then(|()| writer.into_inner().map_err(|e| e.into_error().into()))
        .expect("writing CSV to memory cannot fail");
    String::from_utf8(bytes).expect("CSV of UTF-8 cells is UTF-8")
}

/// One line of cells with their kinds.
pub fn typed_row<S: AsRef<str>>(cells: &[(Kind, S)]) -> String {
    let safe: Vec<String> = cells.iter().map(|(k, v)| cell(*k, v.as_ref())).collect();
    row(&safe)
}

/// The UTF-8 byte order mark: without it Excel and WPS read UTF-8 CSV as the local code
/// page and Chinese text turns to mojibake.
pub const BOM: &str = "\u{feff}";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_only_when_needed() {
        assert_eq!(row(&["plain", "好热的黄彬"]), "plain,好热的黄彬\r\n");
        assert_eq!(row(&["a", "b,c", ""]), "a,\"b,c\",\r\n");
        assert_eq!(row(&["say \"hi\""]), "\"say \"\"hi\"\"\"\r\n");
        assert_eq!(row(&["two\nlines"]), "\"two\nlines\"\r\n");
        assert_eq!(row(&[""]), "\"\"\r\n");
    }

    #[test]
    fn ids_keep_every_digit() {
        assert_eq!(
            typed_row(&[(Kind::Id, "7566200471448779514")]),
            "\"=\"\"7566200471448779514\"\"\"\r\n"
        );
        assert_eq!(cell(Kind::Id, ""), "");
        // Not digits: not an id we can vouch for, so it is text.
        assert_eq!(cell(Kind::Id, "=1+1"), "'=1+1");
    }

    #[test]
    fn text_that_a_spreadsheet_would_run_is_neutralised() {
        for bad in [
            "=HYPERLINK(\"http://x\")",
            "+1",
            "-2+3",
            "@SUM(A1)",
            "\tx",
            "\rx",
        ] {
            assert_eq!(cell(Kind::Text, bad), format!("'{bad}"));
        }
        assert_eq!(cell(Kind::Text, "'quoted"), "''quoted");
        for fine in ["理想L6 =", "a-b", ""] {
            assert_eq!(cell(Kind::Text, fine), fine);
        }
        assert_eq!(cell(Kind::Number, "-5"), "-5");
    }
}
