//! Workbooks for Excel and WPS (`export --format xlsx`): typed cells instead of CSV's
//! conventions. An id is a text cell, so no spreadsheet turns its 19 digits into
//! 7.56620047144878E+018; text is a string cell, which a spreadsheet never runs as a formula;
//! counts, rates, fees and times are numbers with a display format. Every sheet has its
//! header row frozen and an autofilter over its columns.
//!
//! Long sheets are written in constant-memory mode: each row goes to a temporary file once
//! the next one starts, so a workbook of 100,000 videos needs little more memory than one of
//! ten.

use std::collections::HashSet;
use std::io::Write;

use chrono::DateTime;
use rust_xlsxwriter::{ExcelDateTime, Format, FormatBorder, Workbook, XlsxError};
use serde_json::Value;

/// How a column's values are written and shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cell {
    /// Digits that name something: a text cell, formatted as text (`@`) so that editing it
    /// keeps it text.
    Id,
    /// Anyone's text.
    Text,
    /// A whole number, with thousands separators.
    Count,
    /// A ratio shown as a percentage.
    Rate,
    /// An amount in CNY, shown as ¥1,234.50.
    Money,
    /// An RFC 3339 time, written as a date-time cell in UTC.
    Time,
}

/// Excel refuses a sheet named History (its change tracking uses it).
const RESERVED: &str = "history";
/// Excel's limit on a sheet name, in UTF-16 code units.
const NAME_MAX: usize = 31;

/// Names for sheets, in order: each valid for Excel (at most 31 UTF-16 units, none of
/// `[]:*?/\`, no apostrophe first or last) and unique ignoring case, as Excel compares them.
/// A forbidden character becomes `_`; a clash gets ` (2)`, ` (3)`…
pub fn sheet_names<'a>(wanted: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut taken: HashSet<String> = HashSet::from([RESERVED.to_owned()]);
    wanted
        .into_iter()
        .map(|name| {
            let base = valid_name(name);
            let mut candidate = base.clone();
            let mut n = 2;
            while !taken.insert(candidate.to_lowercase()) {
                let suffix = format!(" ({n})");
                let room = NAME_MAX - suffix.len();
                candidate = format!("{}{suffix}", truncate_utf16(&base, room).trim_end());
                n += 1;
            }
            candidate
        })
        .collect()
}

fn valid_name(name: &str) -> String {
    let replaced: String = name
        .chars()
        .map(|c| {
            if c.is_control() || "[]:*?/\\".contains(c) {
                '_'
            } else {
                c
            }
        })
        .collect();
    let trimmed = |s: &str| s.trim().trim_matches('\'').trim().to_owned();
    let name = trimmed(truncate_utf16(&trimmed(&replaced), NAME_MAX));
    if name.is_empty() {
        "Sheet".to_owned()
    } else {
        name
    }
}

/// The longest prefix of `s` of at most `units` UTF-16 code units (an emoji counts two).
fn truncate_utf16(s: &str, units: usize) -> &str {
    let mut used = 0;
    for (at, c) in s.char_indices() {
        used += c.len_utf16();
        if used > units {
            return &s[..at];
        }
    }
    s
}

/// One sheet being written: rows go in order, the header first.
pub struct Sheet {
    index: usize,
    next_row: u32,
    columns: &'static [(&'static str, Cell)],
}

pub struct Book {
    workbook: Workbook,
    /// Per sheet, by index: the rows written (the header too) and the columns.
    sheets: Vec<(u32, u16)>,
    header: Format,
    id: Format,
    count: Format,
    rate: Format,
    money: Format,
    time: Format,
}

impl Default for Book {
    fn default() -> Book {
        Book {
            workbook: Workbook::new(),
            sheets: Vec::new(),
            header: Format::new()
                .set_bold()
                .set_border_bottom(FormatBorder::Thin),
            id: Format::new().set_num_format("@"),
            count: Format::new().set_num_format("#,##0"),
            rate: Format::new().set_num_format("0.000%"),
            // ¥ with zh-CN's locale code, as Excel writes its own CNY currency format.
            money: Format::new().set_num_format("[$¥-804]#,##0.00"),
            time: Format::new().set_num_format("yyyy-mm-dd hh:mm:ss"),
        }
    }
}

impl Book {
    /// Adds a sheet named `name` (one of [`sheet_names`]) and writes its header row, each
    /// column headed by `heading(its field name)`. A `streamed` sheet keeps one row in
    /// memory and the rest in a temporary file (an open file each, so only for long sheets);
    /// the others are held in memory until saved.
    pub fn add_sheet(
        &mut self,
        name: &str,
        columns: &'static [(&'static str, Cell)],
        heading: impl Fn(&str) -> String,
        streamed: bool,
    ) -> Result<Sheet, XlsxError> {
        let index = self.sheets.len();
        let sheet = if streamed {
            self.workbook.add_worksheet_with_constant_memory()?
        } else {
            self.workbook.add_worksheet()
        };
        sheet.set_name(name)?;
        sheet.set_freeze_panes(1, 0)?;
        for (col, (field, cell)) in (0u16..).zip(columns) {
            let title = heading(field);
            sheet.set_column_width(col, width(field, &title, *cell))?;
            sheet.write_string_with_format(0, col, &title, &self.header)?;
        }
        self.sheets.push((1, columns.len() as u16));
        Ok(Sheet {
            index,
            next_row: 1,
            columns,
        })
    }

    /// Writes the next row of `sheet`: each column's value is `value[column name]`; a null
    /// or missing one leaves the cell empty.
    pub fn write_row(&mut self, sheet: &mut Sheet, value: &Value) -> Result<(), XlsxError> {
        let row = sheet.next_row;
        let ws = self.workbook.worksheet_from_index(sheet.index)?;
        for (col, (name, cell)) in (0u16..).zip(sheet.columns) {
            let v = &value[*name];
            match (cell, v) {
                (_, Value::Null) => {}
                (Cell::Id, _) => {
                    ws.write_string_with_format(row, col, text(v), &self.id)?;
                }
                (Cell::Text, _) => {
                    ws.write_string(row, col, text(v))?;
                }
                (Cell::Time, Value::String(s)) => match DateTime::parse_from_rfc3339(s)
                    .ok()
                    .and_then(|t| ExcelDateTime::from_timestamp(t.timestamp()).ok())
                {
                    Some(t) => {
                        ws.write_datetime_with_format(row, col, t, &self.time)?;
                    }
                    None => {
                        ws.write_string(row, col, s.as_str())?;
                    }
                },
                (_, Value::Number(n)) => {
                    let format = match cell {
                        Cell::Rate => &self.rate,
                        Cell::Money => &self.money,
                        _ => &self.count,
                    };
                    let n = n.as_f64().unwrap_or(f64::NAN);
                    if n.is_finite() {
                        ws.write_number_with_format(row, col, n, format)?;
                    }
                }
                (_, other) => {
                    ws.write_string(row, col, text(other))?;
                }
            }
        }
        sheet.next_row += 1;
        self.sheets[sheet.index].0 = sheet.next_row;
        Ok(())
    }

    /// Turns the autofilters on over every sheet's rows and writes the workbook.
    pub fn save(mut self, out: impl Write + Send) -> Result<(), XlsxError> {
        for (index, (rows, columns)) in std::mem::take(&mut self.sheets).into_iter().enumerate() {
            let ws = self.workbook.worksheet_from_index(index)?;
            ws.autofilter(0, 0, rows - 1, columns.saturating_sub(1))?;
        }
        self.workbook.save_to_writer(out)
    }
}

fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// A width that shows the usual value whole: ids are 19 digits, titles long.
fn width(field: &str, title: &str, cell: Cell) -> f64 {
    let usual: f64 = match (cell, field) {
        (Cell::Id, _) => 21.0,
        (Cell::Text, "title" | "url") => 40.0,
        (Cell::Text, _) => 16.0,
        (Cell::Time, _) => 20.0,
        (Cell::Count | Cell::Money, _) => 14.0,
        (Cell::Rate, _) => 11.0,
    };
    // The header plus room for the filter button.
    usual.max(crate::format::width(title) as f64 + 3.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forbidden_characters_become_underscores_and_chinese_survives() {
        assert_eq!(
            sheet_names(["618大促/直播:第一波", "a[b]*?\\c", "双11 🚗"]),
            ["618大促_直播_第一波", "a_b____c", "双11 🚗"]
        );
    }

    #[test]
    fn long_names_are_cut_to_31_utf16_units_without_splitting_a_character() {
        let long = "品".repeat(40);
        assert_eq!(sheet_names([long.as_str()]), ["品".repeat(31)]);
        // An emoji is two units: 15 of them make 30, a 16th would make 32.
        let emoji = "🚗".repeat(20);
        assert_eq!(sheet_names([emoji.as_str()]), ["🚗".repeat(15)]);
    }

    #[test]
    fn clashes_ignoring_case_get_a_number_within_the_limit() {
        let long = "x".repeat(40);
        assert_eq!(
            sheet_names(["Summary", "summary", "SUMMARY", &long, &long, "History"]),
            [
                "Summary".to_owned(),
                "summary (2)".to_owned(),
                "SUMMARY (3)".to_owned(),
                "x".repeat(31),
                format!("{} (2)", "x".repeat(27)),
                "History (2)".to_owned(),
            ]
        );
        // Names that differ only by a forbidden character clash once it is replaced.
        assert_eq!(sheet_names(["a/b", "a:b"]), ["a_b", "a_b (2)"]);
    }

    #[test]
    fn apostrophes_at_the_ends_and_empty_names_are_made_valid() {
        assert_eq!(
            sheet_names(["'quoted'", "''", "   ", "\n"]),
            ["quoted", "Sheet", "Sheet (2)", "_"]
        );
        // Cutting must not leave an apostrophe last.
        let cut = format!("{}'abc", "y".repeat(30));
        assert_eq!(sheet_names([cut.as_str()]), ["y".repeat(30)]);
    }

    #[test]
    fn every_name_is_accepted_by_the_writer() {
        let names = sheet_names([
            "'a'",
            "[]:*?/\\",
            &"长".repeat(50),
            &format!("{}🚗", "z".repeat(30)),
            "History",
        ]);
        for name in &names {
            rust_xlsxwriter::utility::check_sheet_name(name)
                .unwrap_or_else(|e| panic!("{name:?}: {e}"));
        }
    }
}
