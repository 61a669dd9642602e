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
use crate::app::figures::{self, Metric, best};
use crate::app::tabs::campaign_of;
use crate::format::{self, NumberStyle};
use crate::store::Snapshot;

/// The row names' column.
const LABEL: usize = 11;
const MIN_COL: usize = 14;
const MAX_COL: usize = 24;
/// Title and creator rows, always shown.
const PINNED: usize = 2;
/// Rows of the table (see `table_rows`): one more with targets.
fn table_len(app: &App) -> usize {
    13 + usize::from(!app.targets.is_empty())
}
const RATES: [(&str, Metric); 4] = [
    ("Like", Metric::LikeRate),
    ("Comment", Metric::CommentRate),
    ("Share", Metric::ShareRate),
    ("Save", Metric::SaveRate),
];

/// The view covers the screen but the status and hint rows.
fn view_area(screen: Rect) -> Rect {
    Rect {
        height: screen.height.saturating_sub(2),
        ..screen
    }
}

/// Width of a video column and how many fit, for `n` videos in `inner` cells, when the
/// widest figure takes `widest` cells: a column always holds it whole, with its star.
fn columns(inner: u16, n: usize, widest: usize) -> (usize, usize) {
    let room = usize::from(inner).saturating_sub(LABEL);
    let least = MIN_COL.max(widest + 4);
    let width = (room / n.max(1)).clamp(least, MAX_COL.max(least));
    (width, (room / width).clamp(1, n.max(1)))
}

fn widest(rows: &[TableRow]) -> usize {
    rows.iter()
        .flat_map(|r| r.cells.iter())
        .map(|c| format::width(c))
        .max()
        .unwrap_or(0)
}

/// Lines below the pinned titles: the table, a gap, the bars' heading, then a group of `n`
/// bars per rate with a gap between groups.
fn content_lines(table: usize, n: usize) -> usize {
    table + 2 + RATES.len() * (n + 1) - 1
}

/// How far the view can scroll: (first column, first line) at most, for the screen size.
pub fn limits(app: &App) -> (usize, usize) {
    let n = app.watch.marked.len();
    let area = view_area(Rect::new(0, 0, app.size.0, app.size.1));
    let rows = table_rows(app, &videos(app));
    let (_, shown) = columns(area.width.saturating_sub(2), n, widest(&rows));
    let lines = usize::from(area.height.saturating_sub(2)).saturating_sub(PINNED);
    (
        n.saturating_sub(shown),
        content_lines(table_len(app), n).saturating_sub(lines),
    )
}

/// One marked video as the view shows it.
struct Video {
    title: String,
    creator: String,
    newest: Option<Snapshot>,
    price: Option<crate::price::Price>,
    published: Option<i64>,
    campaign: Option<String>,
    /// `✓4 ✗1` against the video's targets.
    tally: String,
}

fn videos(app: &App) -> Vec<Video> {
    app.watch
        .marked
        .iter()
        .map(|id| {
            let entry = app.entry_of(id);
            let report = crate::item_id::ItemId::parse(id)
                .ok()
                .and_then(|i| app.view(&i))
                .and_then(|v| v.last_ok.as_ref())
                .map(|f| &f.report);
            let texts = app.history.texts.get(id);
            let title = entry
                .and_then(|e| e.label.clone())
                .filter(|l| !l.trim().is_empty())
                .or_else(|| report.map(|r| r.display_title().to_owned()))
                .or_else(|| texts.and_then(|t| t.title.clone()))
                .unwrap_or_else(|| id.clone());
            let creator = report
                .and_then(|r| r.author.name.clone())
                .or_else(|| texts.and_then(|t| t.creator.clone()))
                .unwrap_or_default();
            let newest = figures::newest(app, id).map(std::borrow::Cow::into_owned);
            let tally = entry
                .map(|e| figures::tally(&figures::checks(app, e, newest.as_ref())))
                .unwrap_or_default();
            Video {
                title: format::clean(&title),
                creator: format::clean(&creator),
                campaign: entry.and_then(|e| campaign_of(e).map(str::to_owned)),
                tally,
                newest,
                price: entry.and_then(|e| e.price),
                published: report.and_then(|r| r.video.create_time),
            }
        })
        .collect()
}

/// One row of the table: its name, each video's text, and which are best.
struct TableRow {
    name: &'static str,
    cells: Vec<String>,
    best: Vec<bool>,
}

fn table_rows(app: &App, videos: &[Video]) -> Vec<TableRow> {
    let style: NumberStyle = app.number_style;
    let counted = |name, get: fn(&Snapshot) -> Option<u64>| {
        let values: Vec<Option<u64>> = videos
            .iter()
            .map(|v| v.newest.as_ref().and_then(get))
            .collect();
        TableRow {
            name,
            cells: values
                .iter()
                .map(|n| format::opt_count(*n, style))
                .collect(),
            best: best(
                false,
                &values
                    .iter()
                    .map(|n| n.map(|n| n as f64))
                    .collect::<Vec<_>>(),
            ),
        }
    };
    let measured = |name, metric: Metric| {
        let values: Vec<Option<f64>> = videos
            .iter()
            .map(|v| metric.value(v.newest.as_ref(), v.price.map(|p| p.as_f64())))
            .collect();
        // A figure with a target for the video's campaign says whether it meets it.
        let mark = |v: &Video, x: f64| {
            let set = app.targets.for_campaign(v.campaign.as_deref());
            let met = metric.target().and_then(|t| set.meets(t, x));
            match crate::targets::mark(met) {
                "" => String::new(),
                m => format!(" {m}"),
            }
        };
        TableRow {
            name,
            cells: values
                .iter()
                .zip(videos)
                .map(|(x, v)| x.map_or_else(|| "—".to_owned(), |x| metric.format(x) + &mark(v, x)))
                .collect(),
            best: best(metric.lower_is_better(), &values),
        }
    };
    let plain = |name, cells: Vec<String>| TableRow {
        name,
        best: vec![false; cells.len()],
        cells,
    };
    let mut rows = vec![
        counted("Views", |s| s.vv_cnt),
        measured("Like rate", Metric::LikeRate),
        measured("Comment rate", Metric::CommentRate),
        measured("Share rate", Metric::ShareRate),
        measured("Save rate", Metric::SaveRate),
        measured("Engagement", Metric::Engagement),
        measured("Completion", Metric::Completion),
        counted("Followers", |s| s.follower),
        plain(
            "Price",
            videos
                .iter()
                .map(|v| v.price.map_or_else(|| "—".into(), |p| format!("¥{p}")))
                .collect(),
        ),
        measured("CPM", Metric::Cpm),
        measured("CPE", Metric::Cpe),
        plain(
            "Published",
            videos
                .iter()
                .map(|v| {
                    v.published
                        .map_or_else(|| "—".into(), |t| format::local_time(t, app.zone))
                })
                .map(|t| t.split(' ').next().unwrap_or_default().to_owned())
                .collect(),
        ),
    ];
    if !app.targets.is_empty() {
        rows.push(plain(
            "Targets",
            videos.iter().map(|v| v.tally.clone()).collect(),
        ));
    }
    rows.push(plain(
        "Fetched",
        videos
            .iter()
            .map(|v| {
                v.newest
                    .as_ref()
                    .map_or_else(|| "never".into(), |s| format::ago(s.fetched_at, app.now))
            })
            .collect(),
    ));
    rows
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_fit_and_scroll_at_80_columns() {
        assert_eq!(columns(78, 2, 8), (24, 2));
        let (w, shown) = columns(78, 8, 8);
        assert_eq!((w, shown), (14, 4));
        assert!(LABEL + w * shown <= 78);
        assert_eq!(columns(158, 8, 8), (18, 8));
        // A long figure widens every column rather than being cut.
        assert_eq!(columns(78, 8, 15), (19, 3));
        assert_eq!(content_lines(13, 2), 13 + 2 + 4 * 3 - 1);
    }
}
