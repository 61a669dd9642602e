//! Reading many items at once: plain lines (one id, link or share text per line), or a
//! spreadsheet saved as CSV/TSV by Excel or WPS (UTF-8 with or without a byte order mark,
//! or Excel's "Unicode text", which is UTF-16LE with tabs). Pure: bytes in, rows out.

use crate::item_id::ItemRef;

/// A text decoded from a file or stdin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    /// Some bytes were not UTF-8 (a file saved in the local code page, such as GBK) and were
    /// replaced: ids and links survive, Chinese text does not.
    pub lossy: bool,
}

/// A spreadsheet file that is not text: the reason to give instead of reading it as lines.
pub fn binary_spreadsheet(bytes: &[u8]) -> Option<String> {
    if bytes.starts_with(b"PK\x03\x04") {
        Some(crate::t!("cli-items-xlsx"))
    } else if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        Some(crate::t!("cli-items-xls"))
    } else {
        None
    }
}

/// Turns a file's bytes into text, honouring a UTF-8 or UTF-16 byte order mark.
pub fn decode(bytes: &[u8]) -> Decoded {
    let utf16 = |bytes: &[u8], read: fn([u8; 2]) -> u16| {
        let units: Vec<u16> = bytes
            .chunks(2)
            .map(|c| read([c[0], c.get(1).copied().unwrap_or(0)]))
            .collect();
        let text: String = char::decode_utf16(units)
            .map(|r| r.unwrap_or(char::REPLACEMENT_CHARACTER))
            .collect();
        let lossy = text.contains(char::REPLACEMENT_CHARACTER) || bytes.len() % 2 == 1;
        Decoded { text, lossy }
    };
    match bytes {
        [0xEF, 0xBB, 0xBF, rest @ ..] => utf8(rest),
        [0xFF, 0xFE, rest @ ..] => utf16(rest, u16::from_le_bytes),
        [0xFE, 0xFF, rest @ ..] => utf16(rest, u16::from_be_bytes),
        _ => utf8(bytes),
    }
}

fn utf8(bytes: &[u8]) -> Decoded {
    match std::str::from_utf8(bytes) {
        Ok(text) => Decoded {
            text: text.to_owned(),
            lossy: false,
        },
        Err(_) => Decoded {
            text: String::from_utf8_lossy(bytes).into_owned(),
            lossy: true,
        },
    }
}

/// One item found in the input, with where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// 1-based line of the input, for messages.
    pub line: usize,
    /// The cell or line as written (an id, a link, or share text holding one).
    pub item: String,
    pub label: Option<String>,
}

/// One item per line; blank lines and lines starting with `#` are skipped.
pub fn plain_lines(text: &str) -> Vec<Row> {
    text.lines()
        .enumerate()
        .filter_map(|(i, line)| {
            let item = line.trim().trim_start_matches('\u{feff}').trim();
            (!item.is_empty() && !item.starts_with('#')).then(|| Row {
                line: i + 1,
                item: item.to_owned(),
                label: None,
            })
        })
        .collect()
}

/// What the file name says about the format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hint {
    Csv,
    Tsv,
    Unknown,
}

impl Hint {
    pub fn from_name(name: &str) -> Hint {
        let lower = name.to_ascii_lowercase();
        if lower.ends_with(".csv") {
            Hint::Csv
        } else if lower.ends_with(".tsv") || lower.ends_with(".tab") {
            Hint::Tsv
        } else {
            Hint::Unknown
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct TableOptions<'a> {
    /// The header (or 1-based number, or spreadsheet letter) of the column holding items.
    pub column: Option<&'a str>,
    /// The column holding labels.
    pub label_column: Option<&'a str>,
}

/// How the input was read, for the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Layout {
    Lines,
    Table {
        delimiter: char,
        /// The item column's header, or its number when there is no header.
        column: String,
        label_column: Option<String>,
    },
}

/// Reads rows from lines or a table, finding the item column unless one is named. An error
/// says why no column could be used (nothing is read then).
pub fn read_rows(
    text: &str,
    hint: Hint,
    options: &TableOptions,
) -> Result<(Layout, Vec<Row>), String> {
    let (text, declared) = strip_sep_line(text);
    let named = options.column.is_some() || options.label_column.is_some();
    let delimiter = match (declared, hint) {
        (Some(d), _) => Some(d),
        (None, Hint::Tsv) => Some(b'\t'),
        (None, Hint::Csv) => Some(sniff_delimiter(text)),
        (None, Hint::Unknown) => tabular_delimiter(text, named),
    };
    let (layout, mut rows) = match delimiter {
        None => (Layout::Lines, without_header(plain_lines(text))),
        Some(d) => read_table(text, d, options)?,
    };
    // Line numbers count the `sep=` line too: they point into the file as the user sees it.
    if declared.is_some() {
        rows.iter_mut().for_each(|r| r.line += 1);
    }
    Ok((layout, rows))
}

/// A one-column spreadsheet saved as text keeps its header ("视频链接", "links"): a first
/// line that is plainly a name, above lines that hold items, is not an invalid item.
fn without_header(mut rows: Vec<Row>) -> Vec<Row> {
    let is_name = |text: &str| {
        text.chars().count() <= 40
            && !text
                .chars()
                .any(|c| c.is_ascii_digit() || c == '/' || c == '.')
    };
    let header = rows.first().is_some_and(|first| {
        is_name(&first.item)
            && ItemRef::parse(&first.item).is_err()
            && rows[1..].iter().any(|r| ItemRef::parse(&r.item).is_ok())
    });
    if header {
        rows.remove(0);
    }
    rows
}

/// Excel honours a first line `sep=;` that declares the delimiter; so do we.
fn strip_sep_line(text: &str) -> (&str, Option<u8>) {
    let text = text.trim_start_matches('\u{feff}');
    let first = text.lines().next().unwrap_or_default().trim();
    match first.strip_prefix("sep=").map(str::as_bytes) {
        Some([d]) => {
            let rest = text.split_once('\n').map_or("", |(_, rest)| rest);
            (rest, Some(*d))
        }
        _ => (text, None),
    }
}

fn first_lines(text: &str, n: usize) -> impl Iterator<Item = &str> {
    text.lines().filter(|l| !l.trim().is_empty()).take(n)
}

/// The most frequent of tab, comma and semicolon in the first line; comma by default.
fn sniff_delimiter(text: &str) -> u8 {
    let first = first_lines(text, 1).next().unwrap_or_default();
    [b'\t', b',', b';']
        .into_iter()
        .max_by_key(|d| (first.bytes().filter(|b| b == d).count(), *d == b','))
        .unwrap_or(b',')
}

/// Whether input of unknown format is a table, and with which delimiter. Plain lines may hold
/// share text with commas in it, so a comma only makes a table when one of the first two
/// lines splits into cells of which one is an id or link on its own.
fn tabular_delimiter(text: &str, named: bool) -> Option<u8> {
    let head: Vec<&str> = first_lines(text, 2).collect();
    if head.first().is_some_and(|l| l.contains('\t')) {
        return Some(b'\t');
    }
    if named {
        return Some(sniff_delimiter(text));
    }
    [b',', b';'].into_iter().find(|d| {
        head.iter().any(|line| {
            let cells = split_line(line, *d);
            cells.len() >= 2 && cells.iter().any(|c| is_bare_item(c))
        })
    })
}

fn split_line(line: &str, delimiter: u8) -> Vec<String> {
    ::csv::ReaderBuilder::new()
        .has_headers(false)
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(line.as_bytes())
        .records()
        .next()
        .and_then(Result::ok)
        .map(|r| r.iter().map(|c| c.trim().to_owned()).collect())
        .unwrap_or_default()
}

/// A cell that is an id or a link and nothing else (share text is not: it has spaces).
fn is_bare_item(cell: &str) -> bool {
    let cell = cell.trim();
    !cell.is_empty() && !cell.contains(char::is_whitespace) && ItemRef::parse(cell).is_ok()
}

fn read_table(
    text: &str,
    delimiter: u8,
    options: &TableOptions,
) -> Result<(Layout, Vec<Row>), String> {
    let mut records: Vec<(usize, Vec<String>)> = Vec::new();
    let mut reader = ::csv::ReaderBuilder::new()
        .has_headers(false)
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut record = ::csv::StringRecord::new();
    // The reader's positions skip blank lines and split CRLF; a record starts at the first
    // byte after the previous one that is not a line break, and that gives its line.
    let bytes = text.as_bytes();
    let mut end = 0;
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => return Err(crate::t!("cli-table-unreadable", error = e.to_string())),
        }
        let start = (end..bytes.len())
            .find(|i| !matches!(bytes[*i], b'\r' | b'\n'))
            .unwrap_or(bytes.len());
        end = (reader.position().byte() as usize).min(bytes.len());
        let line = bytes[..start].iter().filter(|b| **b == b'\n').count() + 1;
        let cells: Vec<String> = record.iter().map(|c| c.trim().to_owned()).collect();
        if cells.iter().any(|c| !c.is_empty()) {
            records.push((line, cells));
        }
    }
    let header: Option<Vec<String>> = records
        .first()
        .filter(|(_, cells)| !cells.iter().any(|c| ItemRef::parse(c).is_ok()))
        .map(|(_, cells)| cells.clone());
    let data = &records[usize::from(header.is_some())..];
    let width = records.iter().map(|(_, c)| c.len()).max().unwrap_or(0);

    let column = match options.column {
        Some(name) => find_column(name, header.as_deref(), width)?,
        None => detect_column(data, header.as_deref(), width)?,
    };
    let label_column = options
        .label_column
        .map(|name| find_column(name, header.as_deref(), width))
        .transpose()?;
    let name_of = |i: usize| {
        header
            .as_ref()
            .and_then(|h| h.get(i))
            .filter(|h| !h.is_empty())
            .cloned()
            .unwrap_or_else(|| crate::t!("cli-table-column", n = i + 1))
    };
    let rows = data
        .iter()
        .map(|(line, cells)| Row {
            line: *line,
            item: cells.get(column).cloned().unwrap_or_default(),
            label: label_column
                .and_then(|i| cells.get(i))
                .filter(|l| !l.is_empty())
                .cloned(),
        })
        .collect();
    Ok((
        Layout::Table {
            delimiter: char::from(delimiter),
            column: name_of(column),
            label_column: label_column.map(name_of),
        },
        rows,
    ))
}

/// A column by header (case and surrounding spaces ignored), by 1-based number, or by
/// spreadsheet letter (A, B, …).
fn find_column(name: &str, header: Option<&[String]>, width: usize) -> Result<usize, String> {
    let wanted = name.trim();
    if let Some(i) = header.and_then(|h| h.iter().position(|c| c.eq_ignore_ascii_case(wanted))) {
        return Ok(i);
    }
    let by_number = wanted
        .parse::<usize>()
        .ok()
        .filter(|n| *n >= 1)
        .map(|n| n - 1);
    let by_letter = (wanted.len() == 1 && wanted.as_bytes()[0].is_ascii_alphabetic())
        .then(|| usize::from(wanted.to_ascii_uppercase().as_bytes()[0] - b'A'));
    match by_number.or(by_letter) {
        Some(i) if i < width => Ok(i),
        _ => Err(match header {
            Some(h) => crate::t!(
                "cli-table-no-column",
                wanted = format!("{wanted:?}"),
                columns = quoted_list(h)
            ),
            None => crate::t!(
                "cli-table-no-column-no-header",
                wanted = format!("{wanted:?}"),
                width = width
            ),
        }),
    }
}

/// The column where most cells are ids or links (the leftmost of equals).
fn detect_column(
    data: &[(usize, Vec<String>)],
    header: Option<&[String]>,
    width: usize,
) -> Result<usize, String> {
    let best = (0..width)
        .map(|i| {
            let hits = data
                .iter()
                .filter(|(_, cells)| cells.get(i).is_some_and(|c| ItemRef::parse(c).is_ok()))
                .count();
            (hits, std::cmp::Reverse(i))
        })
        .max()
        .filter(|(hits, _)| *hits > 0);
    match best {
        Some((_, std::cmp::Reverse(i))) => Ok(i),
        None => Err(match header {
            Some(h) => crate::t!("cli-table-no-ids", columns = quoted_list(h)),
            None => crate::t!("cli-table-no-ids-no-header"),
        }),
    }
}

/// `"a", "b"`: a header's cells as they are, for a message.
fn quoted_list(cells: &[String]) -> String {
    cells
        .iter()
        .map(|c| format!("{c:?}"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "7566200471448779514";
    const ID2: &str = "7566200471448779515";
    const SHARE: &str = "7.92 复制打开抖音，看看【好热的黄彬的作品】少爷,今天陪妹妹去看车啦!… https://v.douyin.com/iRNBho6u/ 01/20 xSj:/ a@b.Ok";

    fn rows(text: &str, hint: Hint, options: &TableOptions) -> (Layout, Vec<Row>) {
        read_rows(text, hint, options).unwrap()
    }

    fn items(rows: &[Row]) -> Vec<(usize, &str)> {
        rows.iter().map(|r| (r.line, r.item.as_str())).collect()
    }

    #[test]
    fn decodes_boms_and_utf16() {
        assert_eq!(decode(b"\xEF\xBB\xBFabc").text, "abc");
        let utf16le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("id\t标签\r\n".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert_eq!(
            decode(&utf16le),
            Decoded {
                text: "id\t标签\r\n".into(),
                lossy: false
            }
        );
        let utf16be: Vec<u8> = [0xFE, 0xFF]
            .into_iter()
            .chain("好".encode_utf16().flat_map(u16::to_be_bytes))
            .collect();
        assert_eq!(decode(&utf16be).text, "好");
        // GBK "视频" followed by an id: the id survives, and the loss is flagged.
        let gbk = decode(b"\xCA\xD3\xC6\xB5\n7566200471448779514\n");
        assert!(gbk.lossy);
        assert!(gbk.text.contains(ID));
    }

    #[test]
    fn workbooks_are_recognised() {
        assert!(binary_spreadsheet(b"PK\x03\x04rest").is_some());
        assert!(binary_spreadsheet(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1]).is_some());
        assert!(binary_spreadsheet(ID.as_bytes()).is_none());
    }

    #[test]
    fn plain_lines_skip_blanks_and_comments() {
        let text = format!("# campaign\n\n{ID}\r\n  {SHARE}  \n#{ID2}\n");
        let (layout, got) = rows(&text, Hint::Unknown, &TableOptions::default());
        assert_eq!(layout, Layout::Lines);
        assert_eq!(items(&got), vec![(3, ID), (4, SHARE)]);
    }

    #[test]
    fn a_header_above_plain_lines_is_skipped() {
        let text = format!("视频链接\n{ID}\nhello\n");
        let (layout, got) = rows(&text, Hint::Unknown, &TableOptions::default());
        assert_eq!(layout, Layout::Lines);
        assert_eq!(items(&got), vec![(2, ID), (3, "hello")]);
        // Junk that is not a name is reported, and so is a lone name.
        let (_, got) = rows(
            &format!("12345\n{ID}\n"),
            Hint::Unknown,
            &TableOptions::default(),
        );
        assert_eq!(got.len(), 2);
        let (_, got) = rows("links\n", Hint::Unknown, &TableOptions::default());
        assert_eq!(got.len(), 1);
    }

    #[test]
    fn share_text_with_commas_is_not_a_table() {
        let text = format!("{SHARE}\n{SHARE}\n");
        let (layout, _) = rows(&text, Hint::Unknown, &TableOptions::default());
        assert_eq!(layout, Layout::Lines);
    }

    #[test]
    fn finds_the_item_column_of_an_excel_csv() {
        let text = format!(
            "\u{feff}序号,视频链接,备注\r\n1,https://www.douyin.com/video/{ID},理想L6\r\n2,{ID2},\"秋冬, 必备\"\r\n"
        );
        let options = TableOptions {
            column: None,
            label_column: Some("备注"),
        };
        let (layout, got) = rows(&text, Hint::Unknown, &options);
        assert_eq!(
            layout,
            Layout::Table {
                delimiter: ',',
                column: "视频链接".into(),
                label_column: Some("备注".into())
            }
        );
        assert_eq!(got[0].line, 2);
        assert_eq!(got[1].line, 3);
        assert_eq!(got[1].item, ID2);
        assert_eq!(got[1].label.as_deref(), Some("秋冬, 必备"));
    }

    #[test]
    fn tsv_and_named_columns() {
        let text = format!("id\tname\n{ID}\tone\n\n{ID2}\ttwo\n");
        let by_name = TableOptions {
            column: Some("ID"),
            label_column: Some("name"),
        };
        let (_, got) = rows(&text, Hint::Unknown, &by_name);
        assert_eq!(items(&got), vec![(2, ID), (4, ID2)]);
        assert_eq!(got[1].label.as_deref(), Some("two"));
        let by_letter = TableOptions {
            column: Some("a"),
            label_column: Some("2"),
        };
        let (_, got) = rows(&text, Hint::Tsv, &by_letter);
        assert_eq!(got[0].label.as_deref(), Some("one"));
        let missing = TableOptions {
            column: Some("链接"),
            label_column: None,
        };
        let err = read_rows(&text, Hint::Unknown, &missing).unwrap_err();
        assert!(err.contains("\"id\", \"name\""), "{err}");
    }

    #[test]
    fn semicolons_and_sep_lines() {
        let text = format!("sep=;\nlabel;link\nx;{ID}\n");
        let (layout, got) = rows(&text, Hint::Csv, &TableOptions::default());
        assert!(matches!(layout, Layout::Table { delimiter: ';', .. }));
        assert_eq!(items(&got), vec![(3, ID)]);
    }

    #[test]
    fn no_item_column_is_an_error() {
        let err = read_rows("a,b\nc,d\n", Hint::Csv, &TableOptions::default()).unwrap_err();
        assert!(err.contains("--column"), "{err}");
    }

    #[test]
    fn invalid_cells_are_kept_as_rows_with_their_line() {
        let text = format!("link,n\n{ID},1\nhello,2\n,3\n");
        let (_, got) = rows(&text, Hint::Csv, &TableOptions::default());
        assert_eq!(items(&got), vec![(2, ID), (3, "hello"), (4, "")]);
    }
}
