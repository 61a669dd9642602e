//! The lookup box, validating as the user types.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::theme::Theme;
use super::{is_focused, pane};
use crate::app::App;
use crate::app::state::Focus;
use crate::format;
use crate::keymap::{Command, Scope};

const PROMPT: &str = "› ";

pub fn render(app: &App, frame: &mut Frame, area: Rect, theme: &Theme) {
    let focused = is_focused(app, Focus::Input);
    let title = if app.demo {
        "Look up  ·  DEMO data, no calls are billed"
    } else {
        "Look up"
    };
    let mut block = pane(title, focused, theme);
    if let Some(verdict) = verdict(app, theme) {
        block = block.title_bottom(verdict);
    }
    let inner = block.inner(area);
    frame.render_widget(block, area);

    let room = usize::from(inner.width).saturating_sub(format::width(PROMPT) + 1);
    let (visible, cursor_cells) = visible_window(app, room);
    let line = if app.input.is_empty() && !focused {
        Line::from(vec![
            Span::styled(PROMPT, theme.dim()),
            Span::styled(
                match app.keys.hint_key(Command::FocusBox, Scope::Lists) {
                    Some(key) => format!("type or paste a video id or Douyin link ({key} focuses)"),
                    None => "type or paste a video id or Douyin link".to_owned(),
                },
                theme.dim(),
            ),
        ])
    } else if app.input.is_empty() {
        Line::from(vec![
            Span::styled(PROMPT, theme.accent()),
            Span::styled("paste a video id or Douyin link, then Enter", theme.dim()),
        ])
    } else {
        Line::from(vec![
            Span::styled(PROMPT, theme.accent()),
            Span::raw(visible),
        ])
    };
    frame.render_widget(Paragraph::new(line), inner);
    if focused {
        let x = inner.x + (format::width(PROMPT) + cursor_cells) as u16;
        frame.set_cursor_position(Position::new(
            x.min(inner.right().saturating_sub(1)),
            inner.y,
        ));
    }
}

/// The part of the text that fits, scrolled so the cursor stays visible.
fn visible_window(app: &App, room: usize) -> (String, usize) {
    let chars: Vec<char> = app.input.text().chars().collect();
    let cursor = app.input.cursor();
    let mut start = 0;
    let cells = |from: usize, to: usize| format::width(&chars[from..to].iter().collect::<String>());
    while start < cursor && cells(start, cursor) > room {
        start += 1;
    }
    let mut end = cursor;
    while end < chars.len() && cells(start, end + 1) <= room {
        end += 1;
    }
    (chars[start..end].iter().collect(), cells(start, cursor))
}

fn verdict<'a>(app: &App, theme: &Theme) -> Option<Line<'a>> {
    let parsed = app.input_parse()?;
    Some(match parsed {
        Ok(id) => Line::from(vec![
            Span::styled(" ✓ ", theme.ok()),
            Span::raw(format!("video id {id} · Enter looks it up ")),
        ]),
        Err(e) => Line::from(vec![
            Span::styled(" ✗ ", theme.error()),
            Span::styled(
                format::truncate(&format!("{e} "), usize::from(app.size.0.saturating_sub(8))),
                theme.error(),
            ),
        ]),
    })
}
