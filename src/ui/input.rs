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
use crate::item_id::ItemRef;
use crate::keymap::{Command, Scope};
use crate::t;

const PROMPT: &str = "› ";

pub fn render(app: &App, frame: &mut Frame, area: Rect, theme: &Theme) {
    let focused = is_focused(app, Focus::Input);
    let title = if app.demo {
        t!("ui-pane-lookup-demo")
    } else {
        t!("ui-pane-lookup")
    };
    let mut block = pane(&title, focused, theme);
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
                    Some(key) => t!("ui-lookup-idle-key", key = key.to_string()),
                    None => t!("ui-lookup-idle"),
                },
                theme.dim(),
            ),
        ])
    } else if app.input.is_empty() {
        Line::from(vec![
            Span::styled(PROMPT, theme.accent()),
            Span::styled(t!("ui-lookup-focused"), theme.dim()),
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

/// The part of the text that fits, scrolled so the cursor stays visible, and the cells
/// before the cursor. Walks only the characters around the cursor that can show, so a long
/// paste costs nothing per frame.
fn visible_window(app: &App, room: usize) -> (String, usize) {
    use unicode_width::UnicodeWidthChar;
    let cells = |c: char| c.width().unwrap_or(0);
    let (before, after) = app.input.split();
    let mut used = 0;
    let mut start = before.len();
    for (i, c) in before.char_indices().rev() {
        if used + cells(c) > room {
            break;
        }
        used += cells(c);
        start = i;
    }
    let cursor_cells = used;
    let mut end = 0;
    for (i, c) in after.char_indices() {
        if used + cells(c) > room {
            break;
        }
        used += cells(c);
        end = i + c.len_utf8();
    }
    (
        format!("{}{}", &before[start..], &after[..end]),
        cursor_cells,
    )
}

fn verdict<'a>(app: &App, theme: &Theme) -> Option<Line<'a>> {
    let ok = |text: String| Line::from(vec![Span::styled(" ✓ ", theme.ok()), Span::raw(text)]);
    let error = match app.input_parse()? {
        Ok(ItemRef::Id(id)) => {
            return Some(ok(format!("{} ", t!("ui-verdict-id", id = id.to_string()))));
        }
        Ok(ItemRef::Short(_)) => match &app.resolve_off {
            None => {
                return Some(ok(format!("{} ", t!("ui-verdict-short-link"))));
            }
            // The reason first: the box's border is narrow.
            Some(why) => t!("ui-verdict-short-link-off", why = why.as_str()),
        },
        Err(e) => e.to_string(),
    };
    Some(Line::from(vec![
        Span::styled(" ✗ ", theme.error()),
        Span::styled(
            format::truncate(
                &format!("{error} "),
                usize::from(app.size.0.saturating_sub(8)),
            ),
            theme.error(),
        ),
    ]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::input::LineInput;

    fn window(text: &str, left: usize, room: usize) -> (String, usize) {
        let mut app = App::new(chrono::Utc::now(), format::NumberStyle::default());
        app.input = LineInput::with_text(text);
        (0..left).for_each(|_| app.input.left());
        visible_window(&app, room)
    }

    #[test]
    fn the_window_keeps_the_cursor_in_view_without_cutting_a_character() {
        assert_eq!(window("abc", 0, 10), ("abc".into(), 3));
        // At the end: the last 5 cells, never half of 理.
        assert_eq!(window("ab理想L6", 0, 5), ("想L6".into(), 4));
        assert_eq!(window("ab理想L6", 0, 6), ("理想L6".into(), 6));
        // Cursor at the start: the text from there on, as much as fits.
        assert_eq!(window("理想L6xyz", 7, 5), ("理想L".into(), 0));
        assert_eq!(window("理想L6xyz", 6, 5), ("理想L".into(), 2));
        assert_eq!(window("", 0, 5), (String::new(), 0));
    }
}
