//! The two lists on the left: the watchlist table and this session's recent lookups. Only
//! the visible rows are built, so thousands of watched items cost nothing per frame.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table};

use super::fields;
use super::theme::Theme;
use super::{is_focused, pane, spinner};
use crate::app::App;
use crate::app::layout;
use crate::app::state::{Focus, ItemView};
use crate::format::{self, NumberStyle};
use crate::store::Snapshot;
use crate::store::config::WatchEntry;

pub fn render_recent(app: &App, frame: &mut Frame, area: Rect, theme: &Theme) {
    let focused = is_focused(app, Focus::Recent);
    let title = fields::title(
        vec![(format!("Recent lookups ({})", app.recent.len()), 1)],
        area.width,
    );
    let block = pane(&title, focused, theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if app.recent.is_empty() {
        frame.render_widget(
            Paragraph::new(Line::styled("nothing looked up yet", theme.dim())),
            inner,
        );
        return;
    }
    let width = usize::from(inner.width);
    let lines: Vec<Line> = app
        .recent
        .iter()
        .enumerate()
        .skip(app.recent_offset)
        .take(usize::from(inner.height))
        .map(|(i, id)| {
            let view = app.view(id);
            let (glyph, glyph_style) = glyph(app, view, false, theme);
            let rate = view
                .and_then(|v| v.last_ok.as_ref())
                .and_then(|f| f.report.ratios().like_rate)
                .map(format::percent)
                .unwrap_or_default();
            let name = view
                .and_then(|v| v.last_ok.as_ref())
                .map(|f| format::clean(f.report.display_title()))
                .unwrap_or_else(|| id.to_string());
            let room = width.saturating_sub(2 + format::width(&rate) + 1);
            let text = format!("{} {}", format::pad_right(&name, room), rate);
            let style = row_style(i == app.recent_selected, focused, theme);
            Line::from(vec![
                Span::styled(format!("{glyph} "), glyph_style.patch(style)),
                Span::styled(text, style),
            ])
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}

fn row_style(selected: bool, focused: bool, theme: &Theme) -> Style {
    match (selected, focused) {
        (true, true) => theme.selected(),
        (true, false) => theme.strong(),
        _ => Style::new(),
    }
}

/// `stored`: the store has figures for the item (a watched row without its full report).
fn glyph(app: &App, view: Option<&ItemView>, stored: bool, theme: &Theme) -> (&'static str, Style) {
    match view {
        Some(v) if v.in_flight => (spinner(app.spinner), theme.accent()),
        Some(v) if v.error.is_some() => ("✗", theme.error()),
        Some(v) if v.last_ok.is_some() => ("✓", theme.ok()),
        _ if stored => ("✓", theme.ok()),
        _ => ("·", theme.dim()),
    }
}

/// A watchlist column: header, width, and its cell for a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Col {
    Status,
    Creator,
    Views,
    ViewsDelta,
    Likes,
    LikesDelta,
    LikeRate,
    CommentRate,
    ShareRate,
    Completion,
    Refreshed,
    Spark,
    Targets,
}

impl Col {
    /// In the order they are dropped last-first when the pane is narrow.
    const BY_PRIORITY: [Col; 13] = [
        Col::Views,
        Col::LikeRate,
        Col::Targets,
        Col::Status,
        Col::Likes,
        Col::ViewsDelta,
        Col::Creator,
        Col::Completion,
        Col::Refreshed,
        Col::CommentRate,
        Col::ShareRate,
        Col::LikesDelta,
        Col::Spark,
    ];
    /// Display order, left to right after the label.
    const DISPLAY: [Col; 13] = [
        Col::Creator,
        Col::Views,
        Col::ViewsDelta,
        Col::Spark,
        Col::Likes,
        Col::LikesDelta,
        Col::LikeRate,
        Col::CommentRate,
        Col::ShareRate,
        Col::Completion,
        Col::Refreshed,
        Col::Targets,
        Col::Status,
    ];

    fn header(self) -> &'static str {
        match self {
            Col::Status => "Status",
            Col::Creator => "Creator",
            Col::Views => "Views",
            Col::ViewsDelta => "ΔViews",
            Col::Likes => "Likes",
            Col::LikesDelta => "ΔLikes",
            Col::LikeRate => "Like%",
            Col::CommentRate => "Cmt%",
            Col::ShareRate => "Share%",
            Col::Completion => "Compl%",
            Col::Refreshed => "Updated",
            Col::Spark => "Trend",
            Col::Targets => "Targets",
        }
    }

    fn width(self) -> u16 {
        match self {
            Col::Status => 7,
            Col::Creator => 12,
            Col::Views | Col::Likes => 8,
            Col::ViewsDelta | Col::LikesDelta => 9,
            Col::LikeRate | Col::CommentRate | Col::ShareRate | Col::Completion => 7,
            Col::Refreshed => 8,
            Col::Spark => 8,
            Col::Targets => 7,
        }
    }

    fn right_aligned(self) -> bool {
        !matches!(
            self,
            Col::Status | Col::Creator | Col::Spark | Col::Refreshed | Col::Targets
        )
    }
}

/// The label keeps a quarter of the table, and never less than this.
const MIN_LABEL: u16 = 12;

/// `targets`: some target is set, so the column means something.
fn columns_for(width: u16, targets: bool) -> Vec<Col> {
    let mut used = MIN_LABEL.max(width / 4);
    let mut chosen = Vec::new();
    for col in Col::BY_PRIORITY
        .into_iter()
        .filter(|c| targets || *c != Col::Targets)
    {
        if used + 1 + col.width() <= width {
            used += 1 + col.width();
            chosen.push(col);
        }
    }
    Col::DISPLAY
        .into_iter()
        .filter(|c| chosen.contains(c))
        .collect()
}

pub fn render_watchlist(app: &App, frame: &mut Frame, area: Rect, theme: &Theme) {
    let focused = is_focused(app, Focus::Watchlist);
    let sort = format!(
        "{}{}",
        app.watch.sort.name(),
        if app.watch.reverse { " ↓" } else { " ↑" }
    );
    let mut parts = vec![
        (format!("Watchlist ({})", app.watch.entries.len()), 9),
        (format!("sort: {sort}"), 2),
    ];
    if let Some(every) = app.refresh_every {
        parts.push((format!("auto {}", short_interval(every)), 3));
    }
    if app.watch.read_only.is_some() {
        parts.push(("READ-ONLY".to_owned(), 8));
    }
    let title = fields::title(parts, area.width);
    let block = pane(&title, focused, theme);
    let mut inner = block.inner(area);
    frame.render_widget(block, area);
    if app.has_tabs() && inner.height > 0 {
        super::tabs::render(app, frame, Rect { height: 1, ..inner }, theme);
        inner.y += 1;
        inner.height -= 1;
    }
    if app.watch.entries.is_empty() {
        let text = if let Some(why) = &app.watch.read_only {
            vec![
                Line::styled("the config file could not be read:", theme.error()),
                Line::raw(why.clone()),
            ]
        } else {
            vec![
                Line::styled("no watched videos yet", theme.dim()),
                Line::styled("look one up, then press a to watch it", theme.dim()),
            ]
        };
        frame.render_widget(
            Paragraph::new(text).wrap(ratatui::widgets::Wrap { trim: true }),
            inner,
        );
        return;
    }
    let cols = columns_for(inner.width, !app.targets.is_empty());
    // What the table leaves the label column: the label is cut to it with "…", so a title
    // like "Chengdu in 48 hours" never ends in a bare "4".
    let label_width = usize::from(inner.width).saturating_sub(
        cols.iter()
            .map(|c| usize::from(c.width()) + 1)
            .sum::<usize>(),
    );
    let visible = layout::table_rows(area, app.has_tabs());
    let rows: Vec<Row> = (app.watch.offset..app.watch.order.len())
        .take(visible)
        .filter_map(|pos| {
            let entry = app.watch_entry_at(pos)?;
            let mut style = row_style(pos == app.watch.selected, focused, theme);
            if app.alerted.contains(entry.item_id.as_str()) {
                style = theme.warn().patch(style);
            }
            Some(watch_row(app, entry, &cols, label_width, theme).style(style))
        })
        .collect();
    let mut widths = vec![Constraint::Min(MIN_LABEL)];
    widths.extend(cols.iter().map(|c| Constraint::Length(c.width())));
    let header = Row::new(
        std::iter::once(Cell::from("Video"))
            .chain(cols.iter().map(|c| {
                let text = if c.right_aligned() {
                    format::pad_left(c.header(), usize::from(c.width()))
                } else {
                    c.header().to_owned()
                };
                Cell::from(text)
            }))
            .collect::<Vec<_>>(),
    )
    .style(theme.label());
    frame.render_widget(
        Table::new(rows, widths).header(header).column_spacing(1),
        inner,
    );
}

/// `1h`, `30m`, `1h30m`, `2d`.
fn short_interval(d: chrono::Duration) -> String {
    let minutes = d.num_minutes();
    match (minutes / 1440, minutes / 60 % 24, minutes % 60) {
        (0, 0, m) => format!("{m}m"),
        (0, h, 0) => format!("{h}h"),
        (0, h, m) => format!("{h}h{m}m"),
        (days, 0, 0) => format!("{days}d"),
        _ => format!("{}h", minutes / 60),
    }
}

fn watch_row<'a>(
    app: &App,
    entry: &WatchEntry,
    cols: &[Col],
    label_width: usize,
    theme: &Theme,
) -> Row<'a> {
    let view = app.view(&entry.item_id);
    let fetched = view.and_then(|v| v.last_ok.as_ref());
    let report = fetched.map(|f| &f.report);
    let latest = app.history.latest.get(entry.item_id.as_str());
    let newest: Option<&Snapshot> = latest.map(|(s, _)| s);
    let texts = app.history.texts.get(entry.item_id.as_str());
    let style = app.number_style;

    let label = entry
        .label
        .clone()
        .filter(|l| !l.is_empty())
        .or_else(|| report.map(|r| r.display_title().to_owned()))
        .or_else(|| {
            texts
                .and_then(|t| t.title.clone())
                .filter(|t| !t.trim().is_empty())
        })
        .unwrap_or_else(|| entry.item_id.to_string());
    // This session's report, or a snapshot another process (a cron refresh) stored after it.
    let figures = crate::app::figures::newest(app, entry.item_id.as_str());
    let figures = figures.as_deref();
    let views = figures.as_ref().and_then(|f| f.vv_cnt);
    let likes = figures.as_ref().and_then(|f| f.like_cnt);
    let per_view = |count: fn(&Snapshot) -> Option<u64>| {
        let rate = figures
            .as_ref()
            .and_then(|f| crate::report::per_view(count(f), f.vv_cnt));
        format::opt_percent(rate)
    };

    let settled = app.is_settled(entry.item_id.as_str());
    let (glyph, glyph_style) = match glyph(app, view, newest.is_some(), theme) {
        // An alert fired for the row (until dismissed): it stands out, in colour or not.
        ("✓" | "·", _) if app.alerted.contains(entry.item_id.as_str()) => ("!", theme.warn()),
        // Settled: Xingtu no longer updates it, and `R` leaves it out.
        ("✓", _) if settled => ("∎", theme.dim()),
        other => other,
    };
    let mut spans = Vec::with_capacity(3);
    // Marked rows show their place in the compare view; the column is there only while
    // something is marked.
    if !app.watch.marked.is_empty() {
        let mark = app
            .mark_of(&entry.item_id)
            .map_or_else(|| " ".to_owned(), |i| (i + 1).to_string());
        spans.push(Span::styled(mark, theme.accent().patch(theme.strong())));
    }
    let used = spans.len() + 2;
    spans.push(Span::styled(format!("{glyph} "), glyph_style));
    spans.push(Span::raw(format::truncate(
        &format::clean(&label),
        label_width.saturating_sub(used),
    )));
    let mut cells = vec![Cell::from(Line::from(spans))];
    for col in cols {
        let w = usize::from(col.width());
        let cell = match col {
            Col::Status => status_cell(
                app,
                view,
                settled,
                figures.as_ref().map(|f| f.fetched_at),
                theme,
            ),
            Col::Creator => Cell::from(
                report
                    .and_then(|r| r.author.name.as_deref())
                    .or_else(|| texts.and_then(|t| t.creator.as_deref()))
                    .map(format::clean)
                    .unwrap_or_else(|| "—".into()),
            ),
            Col::Views => Cell::from(format::pad_left(&format::opt_count(views, style), w)),
            Col::Likes => Cell::from(format::pad_left(&format::opt_count(likes, style), w)),
            Col::ViewsDelta => delta_cell(latest, |s| s.vv_cnt, style, w, theme),
            Col::LikesDelta => delta_cell(latest, |s| s.like_cnt, style, w, theme),
            Col::LikeRate => Cell::from(format::pad_left(&per_view(|f| f.like_cnt), w)),
            Col::CommentRate => Cell::from(format::pad_left(&per_view(|f| f.comment_cnt), w)),
            Col::ShareRate => Cell::from(format::pad_left(&per_view(|f| f.share_cnt), w)),
            Col::Completion => Cell::from(format::pad_left(
                &format::opt_percent(figures.as_ref().and_then(|f| f.finish_rate)),
                w,
            )),
            Col::Refreshed => Cell::from(
                figures
                    .as_ref()
                    .map(|f| format::ago(f.fetched_at, app.now))
                    .unwrap_or_else(|| "never".into()),
            ),
            Col::Targets => {
                let checks = crate::app::figures::checks(app, entry, figures);
                let style = if checks.iter().any(|c| c.met == Some(false)) {
                    theme.error()
                } else {
                    theme.ok()
                };
                Cell::from(Span::styled(crate::app::figures::tally(&checks), style))
            }
            Col::Spark => Cell::from(Span::styled(
                spark(app.history.sparks.get(entry.item_id.as_str()), w),
                theme.accent(),
            )),
        };
        cells.push(cell);
    }
    Row::new(cells)
}

fn status_cell<'a>(
    app: &App,
    view: Option<&ItemView>,
    settled: bool,
    newest: Option<chrono::DateTime<chrono::Utc>>,
    theme: &Theme,
) -> Cell<'a> {
    let (text, style) = match view {
        Some(v) if v.in_flight => match &v.retry {
            Some((_, at, _)) => (
                format!("retry {}s", (*at - app.now).num_seconds().max(0)),
                theme.warn(),
            ),
            None => (format!("{} …", spinner(app.spinner)), theme.accent()),
        },
        Some(v) if v.error.is_some() => (
            v.error.as_ref().map(|e| e.short()).unwrap_or_default(),
            theme.error(),
        ),
        _ => match newest {
            Some(_) if settled => ("settled".into(), theme.dim()),
            Some(at) if app.now - at > app.stale_after => ("stale".into(), theme.dim()),
            Some(_) => ("ok".into(), theme.ok()),
            None => ("—".into(), theme.dim()),
        },
    };
    Cell::from(Span::styled(text, style))
}

type Pair = (Snapshot, Option<Snapshot>);

fn delta_cell<'a>(
    latest: Option<&Pair>,
    metric: fn(&Snapshot) -> Option<u64>,
    style: NumberStyle,
    width: usize,
    theme: &Theme,
) -> Cell<'a> {
    let change = latest.and_then(|(new, old)| {
        let (n, o) = (metric(new)?, metric(old.as_ref()?)?);
        Some(n as i128 - o as i128)
    });
    let (text, style) = match change {
        None => (String::new(), Style::new()),
        Some(0) => ("·0".to_owned(), theme.dim()),
        Some(d) if d > 0 => (
            format!("▲+{}", format::count(d.unsigned_abs() as u64, style)),
            theme.up(),
        ),
        Some(d) => (
            format!("▼-{}", format::count(d.unsigned_abs() as u64, style)),
            theme.down(),
        ),
    };
    Cell::from(Span::styled(format::pad_left(&text, width), style))
}

/// A text sparkline of the newest values, scaled between their own min and max.
pub fn spark(values: Option<&Vec<u64>>, width: usize) -> String {
    const LEVELS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let Some(values) = values.filter(|v| v.len() >= 2) else {
        return String::new();
    };
    let tail = &values[values.len().saturating_sub(width)..];
    let (min, max) = tail
        .iter()
        .fold((u64::MAX, 0), |(lo, hi), v| (lo.min(*v), hi.max(*v)));
    tail.iter()
        .map(|v| {
            if max == min {
                LEVELS[0]
            } else {
                let i = ((v - min) as f64 / (max - min) as f64 * 7.0).round() as usize;
                LEVELS[i.min(7)]
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn narrow_panes_keep_the_most_important_columns() {
        let narrow = columns_for(40, false);
        assert!(narrow.contains(&Col::Status) && narrow.contains(&Col::Views));
        assert!(!narrow.contains(&Col::Spark));
        let wide = columns_for(200, true);
        assert_eq!(wide.len(), Col::DISPLAY.len());
        assert_eq!(columns_for(200, false).len(), Col::DISPLAY.len() - 1);
        let total: u16 = wide.iter().map(|c| c.width() + 1).sum::<u16>() + 200 / 4;
        assert!(total <= 200);
        let at_80 = columns_for(30, false);
        assert_eq!(at_80, [Col::Views, Col::LikeRate]);
    }

    #[test]
    fn intervals_read_briefly() {
        let m = chrono::Duration::minutes;
        assert_eq!(short_interval(m(5)), "5m");
        assert_eq!(short_interval(m(60)), "1h");
        assert_eq!(short_interval(m(90)), "1h30m");
        assert_eq!(short_interval(m(2880)), "2d");
        assert_eq!(short_interval(m(1500)), "25h");
    }

    #[test]
    fn sparkline_scales_between_min_and_max() {
        assert_eq!(spark(Some(&vec![1, 2, 3, 4, 5, 6, 7, 8]), 8), "▁▂▃▄▅▆▇█");
        assert_eq!(spark(Some(&vec![5, 5, 5]), 8), "▁▁▁");
        assert_eq!(spark(Some(&vec![1]), 8), "");
        assert_eq!(spark(Some(&vec![0, 10, 0, 10, 0, 10]), 3), "█▁█");
    }
}
