//! The campaign tabs on the watchlist's first row, drawn where `app::tab_strip` places them.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::theme::Theme;
use crate::app::App;
use crate::app::tab_strip::{of, strip};
use crate::format;

pub fn render(app: &App, frame: &mut Frame, row: Rect, theme: &Theme) {
    let (tabs, active) = of(app);
    let strip = strip(&tabs, active, row.width);
    let mut spans = Vec::new();
    if strip.more_left {
        spans.push(Span::styled("‹", theme.dim()));
    }
    for p in &strip.placed {
        let style = if p.tab == active {
            theme.selected().patch(theme.strong())
        } else {
            theme.dim()
        };
        spans.push(Span::styled(p.text.clone(), style));
    }
    if strip.more_right {
        let used: usize = spans.iter().map(|s| format::width(&s.content)).sum();
        let pad = usize::from(row.width).saturating_sub(used + 1);
        spans.push(Span::raw(" ".repeat(pad)));
        spans.push(Span::styled("›", theme.dim()));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), row);
}
