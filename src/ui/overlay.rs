//! Pop-ups over the dashboard: the help screen (every key), the recent alerts, the remove
//! confirmation and the label editor.

use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Flex, Layout, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};

use super::pane;
use super::theme::Theme;
use crate::account;
use crate::app::App;
use crate::app::form::{self, EditForm};
use crate::app::help::{self, HelpLine};
use crate::app::input::LineInput;
use crate::app::state::Overlay;
use crate::format;
use crate::item_id::ItemRef;
use crate::keymap::{Command, Keymap, Scope};

pub fn render(app: &App, frame: &mut Frame, screen: Rect, theme: &Theme) {
    match &app.overlay {
        None => {}
        Some(Overlay::Help) => help(app, frame, screen, theme),
        Some(Overlay::Alerts) => alerts(app, frame, screen, theme),
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
                    Span::styled(
                        first_key(&app.keys, Command::Confirm, Scope::Popup),
                        theme.strong(),
                    ),
                    Span::raw(" remove   "),
                    Span::styled(
                        first_key(&app.keys, Command::Cancel, Scope::Popup),
                        theme.strong(),
                    ),
                    Span::raw(" keep"),
                ]),
            ];
            popup(frame, screen, "Remove?", lines, 56, theme);
        }
        Some(Overlay::Edit(form)) => edit_form(app, form, frame, screen, theme),
        Some(Overlay::Compare { column, line }) => {
            super::compare::render(app, frame, screen, *column, *line, theme)
        }
        Some(Overlay::PasteMany { items, invalid }) => {
            paste_many(app, frame, screen, items, *invalid, theme)
        }
        Some(Overlay::ConfirmSpend {
            calls,
            estimate,
            balance,
            skipped,
        }) => {
            let mut lines = vec![
                Line::raw(format!(
                    "Refreshing needs {}, about {}:",
                    account::calls_text(*calls),
                    account::money(*estimate, balance.currency())
                )),
                Line::styled(format!("more than the balance, {balance}."), theme.warn()),
                Line::styled(
                    "Calls stop at code 601 once it runs out.".to_owned(),
                    theme.dim(),
                ),
            ];
            if *skipped > 0 {
                lines.push(Line::styled(
                    format!("({skipped} settled items are left out.)"),
                    theme.dim(),
                ));
            }
            lines.push(Line::raw(""));
            lines.push(Line::from(vec![
                Span::styled(
                    first_key(&app.keys, Command::Confirm, Scope::Popup),
                    theme.strong(),
                ),
                Span::raw(" refresh anyway   "),
                Span::styled(
                    first_key(&app.keys, Command::Cancel, Scope::Popup),
                    theme.strong(),
                ),
                Span::raw(" cancel"),
            ]));
            popup(frame, screen, "Balance too low", lines, 56, theme);
        }
    }
}

/// Label, campaign and price of a watched video, one field per line; a price that is not
/// one says why under the form, and Enter keeps the form open until it is fixed.
fn edit_form(app: &App, form: &EditForm, frame: &mut Frame, screen: Rect, theme: &Theme) {
    const WIDTH: u16 = 60;
    let label_w = form::LABELS
        .iter()
        .map(|l| format::width(l))
        .max()
        .unwrap_or(0)
        + 1;
    let room = usize::from(WIDTH.min(screen.width)).saturating_sub(2 + label_w + 2 + 1);
    let mut lines = vec![Line::styled(
        format!("Watched video {}", form.id),
        theme.dim(),
    )];
    for (i, input) in form.fields.iter().enumerate() {
        let active = i == form.focus;
        let marker = if active { "› " } else { "  " };
        lines.push(Line::from(vec![
            Span::styled(
                format::pad_right(form::LABELS[i], label_w),
                if active {
                    theme.strong()
                } else {
                    theme.label()
                },
            ),
            Span::styled(marker, theme.accent()),
            Span::raw(visible_text(input, room)),
        ]));
    }
    match form.price_error() {
        Some(e) => lines.extend(
            wrap(&format!("✗ {e}"), usize::from(WIDTH) - 2)
                .into_iter()
                .map(|l| Line::styled(l, theme.error())),
        ),
        None => lines.push(Line::raw("")),
    }
    lines.push(Line::styled(
        format!(
            "{} saves · {} cancels · {} next field · empty clears",
            first_key(&app.keys, Command::Confirm, Scope::Box),
            first_key(&app.keys, Command::Cancel, Scope::Box),
            first_key(&app.keys, Command::NextPane, Scope::Box),
        ),
        theme.dim(),
    ));
    let area = popup(frame, screen, "Edit", lines, WIDTH, theme);
    let input = &form.fields[form.focus];
    let cursor = input.cursor_cells().min(room) as u16;
    let x = area.x + 1 + label_w as u16 + 2 + cursor;
    let y = area.y + 2 + form.focus as u16;
    frame.set_cursor_position(Position::new(x.min(area.right().saturating_sub(2)), y));
}

/// Lines of at most `width` cells, broken between words where there are any, and never
/// inside a character.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = vec![String::new()];
    for word in text.split(' ') {
        let line = lines.last_mut().expect("never empty");
        let sep = usize::from(!line.is_empty());
        if format::width(line) + sep + format::width(word) <= width {
            if sep == 1 {
                line.push(' ');
            }
            line.push_str(word);
            continue;
        }
        if !line.is_empty() {
            lines.push(String::new());
        }
        for c in word.chars() {
            let line = lines.last_mut().expect("never empty");
            if format::width(line) + format::width(c.encode_utf8(&mut [0; 4])) > width {
                lines.push(String::new());
            }
            lines.last_mut().expect("never empty").push(c);
        }
    }
    lines
}

/// The end of a long text (where the cursor usually is), whole characters only.
fn visible_text(input: &LineInput, room: usize) -> String {
    let text = input.text();
    if format::width(text) <= room {
        return text.to_owned();
    }
    let mut kept: Vec<char> = Vec::new();
    let mut used = 1;
    for c in text.chars().rev() {
        let w = format::width(c.encode_utf8(&mut [0; 4]));
        if used + w > room {
            break;
        }
        used += w;
        kept.push(c);
    }
    std::iter::once('…').chain(kept.into_iter().rev()).collect()
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
    let add = app.key_for(Command::Add);
    for (key, what) in [
        ("Enter", "look them all up"),
        (add.as_str(), "add them all to the watchlist (no call)"),
        ("Esc", "cancel"),
    ] {
        lines.push(Line::from(vec![
            Span::styled(format::pad_right(key, 7), theme.strong()),
            Span::raw(what),
        ]));
    }
    popup(frame, screen, "Paste", lines, 60, theme);
}

/// The help's two columns for a screen `height` rows high, styled.
fn help_columns<'a>(keys: &Keymap, height: u16, theme: &Theme) -> [Vec<Line<'a>>; 2] {
    help::columns(keys, height).map(|column| {
        let key_w = column.key_width;
        column
            .lines
            .into_iter()
            .map(|line| match line {
                HelpLine::Gap => Line::raw(""),
                HelpLine::Heading(name) => Line::styled(name, theme.accent()),
                HelpLine::Entry { keys, what } => Line::from(vec![
                    Span::styled(
                        format::pad_right(&format::truncate(&keys, key_w), key_w + 1),
                        theme.strong(),
                    ),
                    Span::raw(what),
                ]),
            })
            .collect()
    })
}

fn help(app: &App, frame: &mut Frame, screen: Rect, theme: &Theme) {
    let keys = &app.keys;
    let [mut left, mut right] = help_columns(keys, screen.height, theme);
    // Past what compaction can save, the columns scroll together.
    let skip = app.help_line.min(help::overflow(keys, screen.height));
    for column in [&mut left, &mut right] {
        column.drain(..skip.min(column.len()));
    }
    let rows = left.len().max(right.len()) as u16 + 2;
    let width = 78.min(screen.width);
    let area = centered(screen, width, rows.min(screen.height));
    frame.render_widget(Clear, area);
    let title = format!(
        "Keys · {} or {} closes",
        first_key(keys, Command::Cancel, Scope::Lists),
        first_key(keys, Command::Help, Scope::Lists)
    );
    let mut block = pane(&title, true, theme);
    let overflow = help::overflow(keys, screen.height);
    if overflow > 0 {
        block = block.title_bottom(format!(
            " {} / {} scroll · {} more ",
            first_key(keys, Command::ScrollUp, Scope::Popup),
            first_key(keys, Command::ScrollDown, Scope::Popup),
            overflow - skip
        ));
    }
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let [l, r] = Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)])
        .spacing(1)
        .areas(inner);
    frame.render_widget(Paragraph::new(left), l);
    frame.render_widget(Paragraph::new(right), r);
}

/// `!`: the recent alerts, newest first, as many as fit.
fn alerts(app: &App, frame: &mut Frame, screen: Rect, theme: &Theme) {
    let width = screen.width.saturating_sub(4).min(100);
    let room = usize::from(screen.height.saturating_sub(6)).max(1);
    let close = first_key(&app.keys, Command::Alerts, Scope::Lists);
    let mut lines: Vec<Line> = Vec::new();
    if app.alerts.is_empty() {
        lines.push(Line::raw(if app.demo {
            "The demo stores nothing, so no alert fires in it."
        } else {
            "No alert has fired yet. Rules go in the config file as [[alert]] (see README, “Alerts”)."
        }));
    }
    let text_width = usize::from(width.saturating_sub(2)).saturating_sub(13);
    for alert in app.alerts.iter().rev().take(room) {
        let when = alert
            .at
            .with_timezone(&chrono::Local)
            .format("%m-%d %H:%M")
            .to_string();
        lines.push(Line::from(vec![
            Span::styled(format!("{when}  "), theme.dim()),
            Span::raw(format::truncate(
                &alert.describe(app.number_style),
                text_width,
            )),
        ]));
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled(format!("{close} or Esc closes"), theme.dim()));
    let title = format!("Alerts ({})", app.alerts.len());
    popup(frame, screen, &title, lines, width, theme);
}

/// The key a pop-up names for a command: its first, or in a text field its first that
/// does not type.
fn first_key(keys: &Keymap, command: Command, scope: Scope) -> String {
    keys.hint_key(command, scope)
        .map(|k| k.to_string())
        .unwrap_or_default()
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
    use std::collections::BTreeMap;
    use std::sync::Arc;

    use chrono::Utc;
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;

    use super::*;
    use crate::format::NumberStyle;

    fn drawn_help(keys: Keymap, w: u16, h: u16) -> String {
        drawn_help_at(keys, w, h, 0)
    }

    /// Every screenful of the help, scrolled from the top to the end.
    fn every_help_screen(keys: &Keymap, w: u16, h: u16) -> String {
        (0..=help::overflow(keys, h))
            .map(|line| drawn_help_at(keys.clone(), w, h, line))
            .collect()
    }

    fn drawn_help_at(keys: Keymap, w: u16, h: u16, line: usize) -> String {
        let mut app = App::new(Utc::now(), NumberStyle::Cn);
        app.size = (w, h);
        app.keys = Arc::new(keys);
        app.overlay = Some(Overlay::Help);
        app.help_line = line;
        let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
        terminal.draw(|f| crate::ui::render(&app, f)).unwrap();
        let buffer = terminal.backend().buffer();
        let mut text = String::new();
        for y in 0..h {
            let mut x = 0;
            while x < w {
                let symbol = buffer[(x, y)].symbol();
                text.push_str(symbol);
                x += format::width(symbol).max(1) as u16;
            }
            text.push('\n');
        }
        text
    }

    /// Every key of every row of the table is on the help screen at 80x24, remapped keys
    /// included and replaced keys gone.
    #[test]
    fn help_shows_every_binding_of_the_table() {
        let mut overrides = BTreeMap::new();
        overrides.insert("refetch".to_string(), vec!["f".into(), "F5".into()]);
        overrides.insert("quit".to_string(), vec!["x".into()]);
        for keys in [
            Keymap::default(),
            Keymap::with_overrides(&overrides).unwrap(),
        ] {
            let screen = every_help_screen(&keys, 80, 24);
            let mut head = "";
            for row in keys.rows() {
                if !row.joined {
                    head = row.description;
                }
                // The keys stand before their description, in the same column.
                let keys_shown: Vec<String> = screen
                    .lines()
                    .filter_map(|line| {
                        let chars: Vec<char> = line.chars().collect();
                        let at = line.find(head)?;
                        let at = line[..at].chars().count();
                        let start = if at > 40 { 40 } else { 1 };
                        Some(chars[start..at].iter().collect::<String>())
                    })
                    .collect();
                assert!(!keys_shown.is_empty(), "{head}\n{screen}");
                for key in &row.keys {
                    let key = key.to_string();
                    let shown = keys_shown
                        .iter()
                        .any(|text| text.split([' ', '┃', '│']).any(|word| word == key));
                    assert!(shown, "help lacks {key} ({})\n{screen}", row.command.name());
                }
            }
        }
        let remapped = drawn_help(Keymap::with_overrides(&overrides).unwrap(), 80, 24);
        let refetch = remapped.lines().find(|l| l.contains("refetch it")).unwrap();
        assert!(
            refetch.contains("f F5") && !refetch.contains(" r "),
            "{refetch}"
        );
    }

    #[test]
    fn a_short_screen_scrolls_the_help_to_every_key() {
        let keys = Keymap::default();
        assert_eq!(
            help::overflow(&keys, 60),
            0,
            "a tall screen shows every key at once"
        );
        let overflow = help::overflow(&keys, 20);
        assert!(overflow > 0);
        let top = drawn_help(keys.clone(), 80, 20);
        assert!(top.contains(&format!("{overflow} more")), "{top}");
        assert!(!top.contains("rank by next metric"), "{top}");
        let end = drawn_help_at(keys.clone(), 80, 20, overflow);
        assert!(
            end.contains("rank by next metric") && end.contains(" 0 more"),
            "{end}"
        );
        // Past the end it stays at the end.
        assert_eq!(drawn_help_at(keys, 80, 20, overflow + 5), end);
    }

    #[test]
    fn wrapping_breaks_between_words_or_whole_characters() {
        assert_eq!(wrap("a bb ccc", 4), ["a bb", "ccc"]);
        assert_eq!(wrap("价格价格价", 4), ["价格", "价格", "价"]);
        for line in wrap("\"一千二百元整整\" is not a price: give the fee", 7) {
            assert!(format::width(&line) <= 7, "{line}");
        }
    }

    #[test]
    fn a_wide_character_cut_by_a_pop_up_is_blanked() {
        let mut buffer = Buffer::empty(Rect::new(0, 0, 10, 2));
        buffer.set_string(2, 0, "好x", ratatui::style::Style::default());
        buffer.set_string(1, 1, "好", ratatui::style::Style::default());
        blank_wide_chars_cut_by(&mut buffer, Rect::new(3, 0, 5, 2));
        assert_eq!(buffer[(2, 0)].symbol(), " ", "cut in half by the border");
        assert_eq!(buffer[(1, 1)].symbol(), "好", "wholly outside: kept");
    }
}
