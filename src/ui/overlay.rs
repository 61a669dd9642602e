//! Pop-ups over the dashboard: the help screen (every key), the remove confirmation and
//! the label editor.

use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Flex, Layout, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};

use super::pane;
use super::theme::Theme;
use crate::app::App;
use crate::app::state::Overlay;
use crate::format;
use crate::item_id::ItemRef;

/// Every key the dashboard knows, by where it applies; the help screen is drawn from this
/// table, so adding a key means adding it here.
pub const KEYS: &[(&str, &[(&str, &str)])] = &[
    (
        "Anywhere",
        &[
            ("/", "focus the lookup box"),
            ("Tab S-Tab", "next / previous pane"),
            ("? F1", "this help"),
            ("Esc", "leave box / close pop-up"),
            ("q Ctrl-C", "quit"),
        ],
    ),
    (
        "Lookup box",
        &[
            ("Enter", "look up (junk not sent)"),
            ("Ctrl-U", "clear the box"),
            ("Ctrl-W", "delete a word"),
            ("paste lines", "look up / watch them all"),
            ("←→ Home End", "move the cursor"),
        ],
    ),
    (
        "Lists",
        &[
            ("↑ ↓ j k", "move the selection"),
            ("PgUp PgDn", "page up / down"),
            ("g G", "first / last"),
            ("Enter", "show selected item"),
            ("r", "refetch it (1 call)"),
            ("o", "open URL in the browser"),
            ("y Y", "copy id / URL"),
            ("t", "trend: total ⇄ growth/h"),
            ("u", "counts: 万/亿 ⇄ K/M"),
        ],
    ),
    (
        "Watchlist",
        &[
            ("a", "watch the item on screen"),
            ("d Del", "remove selected (asks)"),
            ("e", "edit its label"),
            ("s S", "sort column / reverse"),
            ("R", "refresh all (uses cache)"),
        ],
    ),
    (
        "Mouse",
        &[("click", "focus pane, select row"), ("wheel", "scroll")],
    ),
];

pub fn render(app: &App, frame: &mut Frame, screen: Rect, theme: &Theme) {
    match &app.overlay {
        None => {}
        Some(Overlay::Help) => help(frame, screen, theme),
        Some(Overlay::ConfirmRemove(id)) => {
            let name = app
                .label_of(id)
                .map(str::to_owned)
                .or_else(|| {
                    app.view(id)
                        .and_then(|v| v.last_ok.as_ref())
                        .map(|f| format::clean(f.report.display_title()))
                })
                .unwrap_or_default();
            let lines = vec![
                Line::raw(format!("Remove {id} from the watchlist?")),
                Line::styled(format::truncate(&name, 50), theme.dim()),
                Line::raw(""),
                Line::from(vec![
                    Span::styled("y", theme.strong()),
                    Span::raw(" remove   "),
                    Span::styled("n", theme.strong()),
                    Span::raw(" / Esc keep"),
                ]),
            ];
            popup(frame, screen, "Remove?", lines, 56, theme);
        }
        Some(Overlay::EditLabel { id, input }) => {
            let room = 50usize;
            let text = format::truncate(input.text(), room);
            let lines = vec![
                Line::raw(format!("Label for {id}:")),
                Line::from(vec![Span::styled("› ", theme.accent()), Span::raw(text)]),
                Line::raw(""),
                Line::styled("Enter saves · Esc cancels · empty clears", theme.dim()),
            ];
            let area = popup(frame, screen, "Label", lines, 56, theme);
            let x = area.x + 1 + 2 + input.cursor_cells().min(room) as u16;
            frame.set_cursor_position(Position::new(x.min(area.right() - 2), area.y + 2));
        }
        Some(Overlay::PasteMany { items, invalid }) => {
            paste_many(app, frame, screen, items, *invalid, theme)
        }
    }
}

/// The question a multi-line paste asks, with the first few items it holds.
fn paste_many(
    app: &App,
    frame: &mut Frame,
    screen: Rect,
    items: &[ItemRef],
    invalid: usize,
    theme: &Theme,
) {
    const SHOWN: usize = 4;
    let shorts = items
        .iter()
        .filter(|r| matches!(r, ItemRef::Short(_)))
        .count();
    let mut lines = vec![Line::from(vec![
        Span::raw("The paste holds "),
        Span::styled(format!("[{}]", items.len()), theme.strong()),
        Span::raw(format!(
            " valid item{}",
            if items.len() == 1 { "" } else { "s" }
        )),
        Span::styled(
            if invalid > 0 {
                format!(
                    " · {invalid} line{} skipped",
                    if invalid == 1 { "" } else { "s" }
                )
            } else {
                String::new()
            },
            theme.warn(),
        ),
    ])];
    for r in items.iter().take(SHOWN) {
        let text = match r {
            ItemRef::Id(id) => match app.label_of(id) {
                Some(label) => format!("  {id}  {label}"),
                None => format!("  {id}"),
            },
            ItemRef::Short(link) => format!("  {link}  (short link)"),
        };
        lines.push(Line::styled(format::truncate(&text, 52), theme.dim()));
    }
    if items.len() > SHOWN {
        lines.push(Line::styled(
            format!("  … and {} more", items.len() - SHOWN),
            theme.dim(),
        ));
    }
    if shorts > 0 {
        lines.push(Line::styled(
            format!(
                "{shorts} short link{} will be resolved (free)",
                if shorts == 1 { "" } else { "s" }
            ),
            theme.dim(),
        ));
    }
    lines.push(Line::raw(""));
    for (key, what) in [
        ("Enter", "look them all up"),
        ("a", "add them all to the watchlist (no call)"),
        ("Esc", "cancel"),
    ] {
        lines.push(Line::from(vec![
            Span::styled(format::pad_right(key, 7), theme.strong()),
            Span::raw(what),
        ]));
    }
    popup(frame, screen, "Paste", lines, 60, theme);
}

fn help(frame: &mut Frame, screen: Rect, theme: &Theme) {
    let key_w = 12;
    let entry = |(k, d): &(&str, &str)| {
        Line::from(vec![
            Span::styled(format::pad_right(k, key_w), theme.strong()),
            Span::raw(d.to_string()),
        ])
    };
    let section = |name: &str| Line::styled(name.to_string(), theme.accent());
    let mut left = Vec::new();
    let mut right = Vec::new();
    for (i, (name, keys)) in KEYS.iter().enumerate() {
        let column = if i < 2 { &mut left } else { &mut right };
        if i == 4 {
            left.push(Line::raw(""));
            left.push(section(name));
            left.extend(keys.iter().map(entry));
            continue;
        }
        if !column.is_empty() {
            column.push(Line::raw(""));
        }
        column.push(section(name));
        column.extend(keys.iter().map(entry));
    }
    let rows = left.len().max(right.len()) as u16 + 3;
    let width = 78.min(screen.width);
    let area = centered(screen, width, rows.min(screen.height));
    frame.render_widget(Clear, area);
    let block = pane("Keys · Esc or ? closes", true, theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let [l, r] = Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)])
        .spacing(1)
        .areas(inner);
    frame.render_widget(Paragraph::new(left), l);
    frame.render_widget(Paragraph::new(right), r);
}

fn popup(
    frame: &mut Frame,
    screen: Rect,
    title: &str,
    lines: Vec<Line>,
    width: u16,
    theme: &Theme,
) -> Rect {
    let area = centered(
        screen,
        width.min(screen.width),
        (lines.len() as u16 + 2).min(screen.height),
    );
    frame.render_widget(Clear, area);
    blank_wide_chars_cut_by(frame.buffer_mut(), area);
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(pane(title, true, theme)),
        area,
    );
    area
}

/// A double-width character (Chinese text) just left of a pop-up would spill into its left
/// border, and the terminal would draw the character over the border: blank such halves.
fn blank_wide_chars_cut_by(buffer: &mut Buffer, area: Rect) {
    let Some(x) = area.x.checked_sub(1) else {
        return;
    };
    for y in area.top()..area.bottom() {
        if let Some(cell) = buffer.cell_mut((x, y))
            && format::width(cell.symbol()) > 1
        {
            cell.set_symbol(" ");
        }
    }
}

fn centered(screen: Rect, width: u16, height: u16) -> Rect {
    let [row] = Layout::vertical([Constraint::Length(height)])
        .flex(Flex::Center)
        .areas(screen);
    let [area] = Layout::horizontal([Constraint::Length(width)])
        .flex(Flex::Center)
        .areas(row);
    area
}

#[cfg(test)]
mod tests {
    use super::{Buffer, KEYS, Rect, blank_wide_chars_cut_by};

    #[test]
    fn a_wide_character_cut_by_a_pop_up_is_blanked() {
        let mut buffer = Buffer::empty(Rect::new(0, 0, 10, 2));
        buffer.set_string(2, 0, "好x", ratatui::style::Style::default());
        buffer.set_string(1, 1, "好", ratatui::style::Style::default());
        blank_wide_chars_cut_by(&mut buffer, Rect::new(3, 0, 5, 2));
        assert_eq!(buffer[(2, 0)].symbol(), " ", "cut in half by the border");
        assert_eq!(buffer[(1, 1)].symbol(), "好", "wholly outside: kept");
    }

    #[test]
    fn help_lists_every_documented_key() {
        let listed: Vec<&str> = KEYS
            .iter()
            .flat_map(|(_, keys)| keys.iter())
            .flat_map(|(k, _)| k.split(' '))
            .collect();
        for key in [
            "/", "Esc", "Ctrl-U", "Ctrl-W", "Enter", "r", "R", "o", "y", "Y", "Tab", "S-Tab", "q",
            "Ctrl-C", "?", "F1", "a", "d", "Del", "e", "s", "S", "t", "u", "j", "k", "g", "G",
            "PgUp", "PgDn",
        ] {
            assert!(listed.contains(&key), "help does not list {key}");
        }
    }
}
