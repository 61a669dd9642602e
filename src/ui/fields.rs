//! Lines laid out from fields that are shown whole or not at all, so that a narrow pane
//! never shows "Engagement 3.07" for 3.07 %, or 16 digits of a 19-digit id.
//!
//! When a line is too wide, the field that matters least goes first. Free text (a title, a
//! tag list, a URL) may instead be cut with "…" when that makes the line fit; a number, an
//! id or a date never is.

use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::theme::Theme;
use crate::format;

/// Free text shorter than this is dropped rather than cut to a stub.
const MIN_CUT: usize = 6;

#[derive(Debug, Clone)]
pub struct Field<'a> {
    spans: Vec<Span<'a>>,
    /// Higher is kept longer.
    keep: u8,
    /// Free text that may be cut with "…" as a last resort.
    elastic: bool,
}

impl<'a> Field<'a> {
    /// A field shown whole or not at all (numbers, ids, dates).
    pub fn whole(spans: Vec<Span<'a>>) -> Field<'a> {
        Field {
            spans,
            keep: 0,
            elastic: false,
        }
    }

    /// Free text: cut with "…" rather than dropped, when that makes the line fit.
    pub fn text(spans: Vec<Span<'a>>) -> Field<'a> {
        Field {
            elastic: true,
            ..Field::whole(spans)
        }
    }

    /// How long the field is kept when room runs out; by default, a line's fields are kept
    /// in order (the first longest).
    pub fn keep(mut self, keep: u8) -> Field<'a> {
        self.keep = keep;
        self
    }

    fn width(&self) -> usize {
        self.spans.iter().map(|s| format::width(&s.content)).sum()
    }

    /// Cuts the spans to `cells` cells (fewer than the field has), ending in "…".
    fn cut(&mut self, cells: usize) {
        let mut left = cells;
        let mut kept = Vec::new();
        for span in self.spans.drain(..) {
            let w = format::width(&span.content);
            if w < left {
                left -= w;
                kept.push(span);
                continue;
            }
            // The cut falls in this span: it ends in "…" even when the span itself fits.
            let text = if w > left {
                format::truncate(&span.content, left)
            } else {
                format::truncate(&format!("{}…", span.content), left)
            };
            kept.push(Span::styled(text, span.style));
            break;
        }
        self.spans = kept;
    }
}

/// Whether the fields fit whole, side by side, in `width` cells.
pub fn fits(fields: &[Field], sep: &str, width: usize) -> bool {
    let seps = format::width(sep) * fields.len().saturating_sub(1);
    fields.iter().map(Field::width).sum::<usize>() + seps <= width
}

/// Joins fields with `sep`, dropping (or, for free text, cutting) the least important ones
/// until the line fits in `width` cells.
pub fn line<'a>(fields: Vec<Field<'a>>, sep: &'a str, sep_style: Style, width: usize) -> Line<'a> {
    let count = fields.len();
    // Default priority: the order given.
    let mut fields: Vec<Field<'a>> = fields
        .into_iter()
        .enumerate()
        .map(|(i, mut f)| {
            if f.keep == 0 {
                f.keep = u8::try_from(count - i).unwrap_or(u8::MAX);
            }
            f
        })
        .collect();
    let sep_w = format::width(sep);
    let total = |fields: &[Field]| -> usize {
        fields.iter().map(Field::width).sum::<usize>() + sep_w * fields.len().saturating_sub(1)
    };
    while !fits(&fields, sep, width) {
        // The least important; among equals, the last.
        let Some(at) = (0..fields.len()).rev().min_by_key(|i| fields[*i].keep) else {
            break;
        };
        let over = total(&fields) - width;
        let field = &mut fields[at];
        let room = field.width().saturating_sub(over);
        if field.elastic && room >= MIN_CUT.min(field.width()) && room > 0 {
            field.cut(room);
        } else {
            fields.remove(at);
        }
    }
    let mut spans = Vec::new();
    for (i, field) in fields.into_iter().enumerate() {
        if i > 0 {
            spans.push(Span::styled(sep, sep_style));
        }
        spans.extend(field.spans);
    }
    Line::from(spans)
}

/// A pane title from parts joined by " · ", each shown whole or dropped (by `keep`, lowest
/// first), to fit a pane `pane_width` cells wide.
pub fn title(parts: Vec<(String, u8)>, pane_width: u16) -> String {
    let fields = parts
        .into_iter()
        .map(|(text, keep)| Field::whole(vec![Span::raw(text)]).keep(keep))
        .collect();
    // Two corners and the space before the title (the one after it may go).
    let room = usize::from(pane_width).saturating_sub(3);
    let line = line(fields, " · ", Style::new(), room);
    line.spans.iter().map(|s| s.content.as_ref()).collect()
}

/// `label value` as one field, the label dimmed.
pub fn pair<'a>(label: &str, value: String, theme: &Theme) -> Vec<Span<'a>> {
    vec![
        Span::styled(format!("{label} "), theme.label()),
        Span::raw(format::clean(&value)),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_of(line: &Line) -> String {
        line.spans.iter().map(|s| s.content.as_ref()).collect()
    }

    fn whole(s: &'static str) -> Field<'static> {
        Field::whole(vec![Span::raw(s)])
    }

    #[test]
    fn fields_are_dropped_whole_least_important_first() {
        let fields = || {
            vec![
                whole("Shares 7943"),
                whole("Saves 1.1万"),
                whole("Engagement 3.07%").keep(9),
            ]
        };
        let full = "Shares 7943   Saves 1.1万   Engagement 3.07%";
        assert_eq!(text_of(&line(fields(), "   ", Style::new(), 60)), full);
        assert_eq!(
            text_of(&line(fields(), "   ", Style::new(), 40)),
            "Shares 7943   Engagement 3.07%"
        );
        assert_eq!(
            text_of(&line(fields(), "   ", Style::new(), 20)),
            "Engagement 3.07%"
        );
        assert_eq!(text_of(&line(fields(), "   ", Style::new(), 10)), "");
        for width in 0..60 {
            let shown = text_of(&line(fields(), "   ", Style::new(), width));
            assert!(format::width(&shown) <= width, "{width}: {shown}");
            for part in shown.split("   ").filter(|p| !p.is_empty()) {
                assert!(
                    full.split("   ").any(|f| f == part),
                    "{width}: {part:?} was cut"
                );
            }
        }
    }

    #[test]
    fn free_text_is_cut_with_an_ellipsis_instead_of_dropped() {
        let fields = || {
            vec![
                Field::text(vec![Span::raw("Tags "), Span::raw("汽车 › 汽车测评")]),
                whole("id 7566200471448779514"),
            ]
        };
        let shown = text_of(&line(fields(), " · ", Style::new(), 30));
        assert_eq!(shown, "Tags 汽车 › 汽车测评");
        let shown = text_of(&line(fields(), " · ", Style::new(), 12));
        assert_eq!(shown, "Tags 汽车 ›…");
        assert!(format::width(&shown) <= 12);
        // Too little room for a useful stub: dropped.
        assert_eq!(text_of(&line(fields(), " · ", Style::new(), 4)), "");
    }
}
