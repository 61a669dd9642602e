//! Drawing: `render(&App, &mut Frame)` and one file per pane. Nothing here changes state.

pub mod charts;
pub mod compare;
pub mod details;
pub mod fields;
pub mod input;
pub mod lists;
pub mod overlay;
pub mod status;
pub mod summary;
pub mod tabs;
pub mod theme;
pub mod trend;

use ratatui::Frame;
use ratatui::layout::Alignment;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Paragraph, Wrap};

use crate::app::App;
use crate::app::layout;
use crate::app::state::Focus;
use theme::Theme;

pub fn render(app: &App, frame: &mut Frame) {
    let theme = Theme::new(app.color);
    let area = frame.area();
    let Some(areas) = layout::areas(area, app.has_banner()) else {
        too_small(frame, &theme);
        return;
    };
    input::render(app, frame, areas.input, &theme);
    if let Some(rect) = areas.banner {
        status::banner(app, frame, rect, &theme);
    }
    lists::render_watchlist(app, frame, areas.watchlist, &theme);
    if app.shows_summary() {
        summary::render(app, frame, areas.recent, &theme);
    } else {
        lists::render_recent(app, frame, areas.recent, &theme);
    }
    details::render_creator(app, frame, areas.creator, &theme);
    details::render_video(app, frame, areas.video, &theme);
    match &app.daily_pane {
        Some(id) if areas.trend.is_none() && app.shown.as_ref() == Some(id) => {
            trend::render_daily(app, frame, areas.charts, &theme)
        }
        _ => charts::render(app, frame, areas.charts, &theme),
    }
    if let Some(rect) = areas.trend {
        trend::render(app, frame, rect, &theme);
    }
    status::render(app, frame, areas.status, &theme);
    status::hints(app, frame, areas.hints, &theme);
    overlay::render(app, frame, area, &theme);
}

fn too_small(frame: &mut Frame, theme: &Theme) {
    let area = frame.area();
    let text = vec![
        Line::styled("terminal too small", theme.strong()),
        Line::raw(format!(
            "{}x{}: needs at least {}x{}",
            area.width,
            area.height,
            layout::MIN_WIDTH,
            layout::MIN_HEIGHT
        )),
        Line::raw("enlarge the window, or q to quit"),
    ];
    let y = area.height.saturating_sub(3) / 2;
    let rect = ratatui::layout::Rect {
        y: area.y + y,
        height: area.height.min(3),
        ..area
    };
    frame.render_widget(
        Paragraph::new(text)
            .alignment(Alignment::Center)
            .wrap(Wrap { trim: true }),
        rect,
    );
}

/// A bordered pane whose title shows focus.
pub fn pane<'a>(title: &'a str, focused: bool, theme: &Theme) -> Block<'a> {
    Block::bordered()
        .border_type(if focused {
            BorderType::Thick
        } else {
            BorderType::Rounded
        })
        .border_style(theme.border(focused))
        .title(Span::styled(format!(" {title} "), theme.title(focused)))
}

pub fn is_focused(app: &App, focus: Focus) -> bool {
    app.focus == focus && app.overlay.is_none()
}

/// `label value` pairs on one line, the label dimmed; each pair is shown whole or not at
/// all, the first kept longest.
pub fn pairs<'a>(items: &[(&'a str, String)], width: u16, theme: &Theme) -> Line<'a> {
    let fields = items
        .iter()
        .map(|(label, value)| fields::Field::whole(fields::pair(label, value.clone(), theme)))
        .collect();
    fields::line(fields, "   ", Style::new(), usize::from(width))
}

/// `label text` where the text may be cut with "…" to fit.
pub fn text_pair<'a>(label: &'a str, value: String, width: u16, theme: &Theme) -> Line<'a> {
    let field = fields::Field::text(fields::pair(label, value, theme));
    fields::line(vec![field], "", Style::new(), usize::from(width))
}

/// Braille spinner frames.
pub fn spinner(tick: usize) -> &'static str {
    const FRAMES: [&str; 10] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];
    FRAMES[tick % FRAMES.len()]
}
