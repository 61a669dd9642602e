//! What the help screen lists, as plain data: a line per row of the key table, in two
//! columns that drop their gaps and later headings on a short screen, and how far the rest
//! scrolls. The renderer styles it; `update` scrolls with the same numbers.

use crate::format;
use crate::keymap::{Context, Keymap};

/// One line of a help column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HelpLine {
    Gap,
    Heading(&'static str),
    Entry { keys: String, what: &'static str },
}

/// A column of the help, with the width its keys are padded to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HelpColumn {
    pub key_width: usize,
    pub lines: Vec<HelpLine>,
}

/// The help screen's lines: one per row of the key table (rows marked `joined` share their
/// predecessor's line), by context, then the mouse.
pub fn help_lines(keys: &Keymap) -> Vec<(Context, String, &'static str)> {
    let mut lines: Vec<(Context, String, &'static str)> = Vec::new();
    for context in Context::ALL {
        for row in keys.rows().iter().filter(|r| r.context == context) {
            let text = row
                .keys
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(" ");
            match lines.last_mut() {
                Some((c, shown, _)) if row.joined && *c == context => {
                    shown.push_str(" / ");
                    shown.push_str(&text);
                }
                _ => lines.push((context, text, row.description)),
            }
        }
    }
    lines
}

/// The help's two columns for a screen `height` rows high.
pub fn columns(keys: &Keymap, height: u16) -> [HelpColumn; 2] {
    let lines = help_lines(keys);
    let in_right = |c: Context| matches!(c, Context::Lists | Context::Watchlist);
    let key_width = |right: bool| {
        lines
            .iter()
            .filter(|(c, _, _)| in_right(*c) == right)
            .map(|(_, k, _)| format::width(k))
            .max()
            .unwrap_or(0)
            .clamp(5, 18)
    };
    let mut columns = [false, true].map(|right| HelpColumn {
        key_width: key_width(right),
        lines: Vec::new(),
    });
    for context in Context::ALL {
        let column = &mut columns[usize::from(in_right(context))].lines;
        if !column.is_empty() {
            column.push(HelpLine::Gap);
        }
        column.push(HelpLine::Heading(context.title()));
        for (_, k, d) in lines.iter().filter(|(c, _, _)| *c == context) {
            column.push(HelpLine::Entry {
                keys: k.clone(),
                what: d,
            });
        }
    }
    columns[0].lines.extend([
        HelpLine::Gap,
        HelpLine::Heading("Mouse"),
        HelpLine::Entry {
            keys: "click wheel".into(),
            what: "select / scroll",
        },
    ]);
    // Every key must show: on a short screen the gaps between sections go first, then the
    // headings after a column's first.
    let room = usize::from(height.saturating_sub(2));
    for column in &mut columns {
        let lines = &mut column.lines;
        if lines.len() > room {
            lines.retain(|line| *line != HelpLine::Gap);
        }
        if lines.len() > room {
            let first = lines.first().cloned();
            lines.retain(|line| {
                Some(line) == first.as_ref() || !matches!(line, HelpLine::Heading(_))
            });
        }
    }
    columns
}

/// How many lines the help scrolls on a screen `height` rows high: 0 when every key fits.
pub fn overflow(keys: &Keymap, height: u16) -> usize {
    let [left, right] = columns(keys, height);
    (left.lines.len().max(right.lines.len())).saturating_sub(usize::from(height.saturating_sub(2)))
}
