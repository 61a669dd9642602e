//! The compare view: a column per marked video, the best of each row highlighted and starred
//! (★ shows without colour), then the rates as grouped bars on the rates pane's log scale.
//! Columns that do not fit scroll sideways, lines that do not fit scroll up and down; the
//! videos' titles stay on top.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use super::charts::{bar, log_position};
use super::pane;
use super::theme::Theme;
use crate::app::App;
use crate::app::compare::{
    LABEL, PINNED, RATES, columns, limits, table_rows, videos, view_area, widest,
};
use crate::format;

pub fn render(
    app: &App,
    frame: &mut Frame,
    screen: Rect,
    column: usize,
    line: usize,
    theme: &Theme,
) {
    let area = view_area(screen);
    frame.render_widget(Clear, area);
    let videos = videos(app);
    let n = videos.len();
    let rows = table_rows(app, &videos);
    let (width, shown) = columns(area.width.saturating_sub(2), n, widest(&rows));
    let (max_column, max_line) = limits(app);
    let (first, line) = (column.min(max_column), line.min(max_line));
    let visible = first..(first + shown).min(n);
    let mut title = format!("Compare · {n} videos");
    if shown < n {
        title.push_str(&format!(
            " · {}–{} of {n} ←→",
            visible.start + 1,
            visible.end
        ));
    }
    let block = pane(&title, true, theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);

    let cell = |text: &str, w: usize| format::pad_left(&format::truncate(text, w - 1), w);
    let head = |i: usize| format!("{} ", i + 1);
    let mut pinned = vec![
        Line::from(
            std::iter::once(Span::raw(" ".repeat(LABEL)))
                .chain(visible.clone().map(|i| {
                    let text = format!(" {}{}", head(i), videos[i].title);
                    Span::styled(
                        format::pad_right(&text, width),
                        theme.strong().patch(theme.series(i)),
                    )
                }))
                .collect::<Vec<_>>(),
        ),
        Line::from(
            std::iter::once(Span::raw(" ".repeat(LABEL)))
                .chain(visible.clone().map(|i| {
                    Span::styled(
                        format::pad_right(&format!("   {}", videos[i].creator), width),
                        theme.dim(),
                    )
                }))
                .collect::<Vec<_>>(),
        ),
    ];
    let mut body: Vec<Line> = rows
        .into_iter()
        .map(|row| {
            let mut spans = vec![Span::styled(
                format::pad_right(row.name, LABEL),
                theme.label(),
            )];
            for i in visible.clone() {
                let star = if row.best[i] { " ★" } else { "  " };
                let style = if row.best[i] {
                    theme.ok().patch(theme.strong())
                } else {
                    Style::new()
                };
                spans.push(Span::styled(
                    format!("{}{star}", cell(&row.cells[i], width - 2)),
                    style,
                ));
            }
            Line::from(spans)
        })
        .collect();
    body.push(Line::raw(""));
    body.push(Line::styled(super::charts::TITLE, theme.accent()));
    let inner_w = usize::from(inner.width);
    for (g, (name, metric)) in RATES.iter().enumerate() {
        if g > 0 {
            body.push(Line::raw(""));
        }
        for (i, v) in videos.iter().enumerate() {
            let rate = metric.value(v.newest.as_ref(), None);
            body.push(bar_line(
                if i == 0 { name } else { "" },
                &head(i),
                rate,
                inner_w,
                theme.series(i),
                theme,
            ));
        }
    }
    pinned.extend(body.into_iter().skip(line));
    let rows = usize::from(inner.height);
    if line < max_line && rows > PINNED {
        pinned.truncate(rows - 1);
        pinned.push(Line::styled(
            format!("↓ {} more lines", max_line - line),
            theme.dim(),
        ));
    }
    frame.render_widget(Paragraph::new(pinned), inner);
}

/// `Like       1 ██████▎     0.237%`
fn bar_line<'a>(
    group: &str,
    head: &str,
    rate: Option<f64>,
    width: usize,
    style: Style,
    theme: &Theme,
) -> Line<'a> {
    const VALUE: usize = 9;
    let cells = width.saturating_sub(LABEL + 3 + VALUE + 1);
    Line::from(vec![
        Span::styled(format::pad_right(group, LABEL), theme.label()),
        Span::styled(format::pad_left(head, 3), style.patch(theme.strong())),
        Span::styled(
            format::pad_right(&bar(rate.map_or(0.0, log_position), cells), cells),
            style,
        ),
        Span::raw(" "),
        Span::styled(
            format::pad_left(&format::opt_percent(rate), VALUE),
            theme.strong(),
        ),
    ])
}
