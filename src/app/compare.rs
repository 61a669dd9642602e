//! What the compare view holds, as plain data: a column per marked video and a row per
//! figure, with the best of each row, and how far the view scrolls for the screen size. The
//! renderer draws it; `update` scrolls with the same limits.

use ratatui::layout::Rect;

use crate::app::App;
use crate::app::figures::{self, Metric, best};
use crate::app::tabs::campaign_of;
use crate::format::{self, NumberStyle};
use crate::store::Snapshot;

/// The row names' column.
pub const LABEL: usize = 11;
pub const MIN_COL: usize = 14;
pub const MAX_COL: usize = 24;
/// Title and creator rows, always shown.
pub const PINNED: usize = 2;
/// Rows of the table (see `table_rows`): one more with targets.
pub fn table_len(app: &App) -> usize {
    13 + usize::from(!app.targets.is_empty())
}
pub const RATES: [(&str, Metric); 4] = [
    ("Like", Metric::LikeRate),
    ("Comment", Metric::CommentRate),
    ("Share", Metric::ShareRate),
    ("Save", Metric::SaveRate),
];

/// The view covers the screen but the status and hint rows.
pub fn view_area(screen: Rect) -> Rect {
    Rect {
        height: screen.height.saturating_sub(2),
        ..screen
    }
}

/// Width of a video column and how many fit, for `n` videos in `inner` cells, when the
/// widest figure takes `widest` cells: a column always holds it whole, with its star.
pub fn columns(inner: u16, n: usize, widest: usize) -> (usize, usize) {
    let room = usize::from(inner).saturating_sub(LABEL);
    let least = MIN_COL.max(widest + 4);
    let width = (room / n.max(1)).clamp(least, MAX_COL.max(least));
    (width, (room / width).clamp(1, n.max(1)))
}

pub fn widest(rows: &[TableRow]) -> usize {
    rows.iter()
        .flat_map(|r| r.cells.iter())
        .map(|c| format::width(c))
        .max()
        .unwrap_or(0)
}

/// Lines below the pinned titles: the table, a gap, the bars' heading, then a group of `n`
/// bars per rate with a gap between groups.
pub fn content_lines(table: usize, n: usize) -> usize {
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
pub struct Video {
    pub title: String,
    pub creator: String,
    pub newest: Option<Snapshot>,
    pub price: Option<crate::price::Price>,
    pub published: Option<i64>,
    pub campaign: Option<String>,
    /// `✓4 ✗1` against the video's targets.
    pub tally: String,
}

pub fn videos(app: &App) -> Vec<Video> {
    app.watch
        .marked
        .iter()
        .map(|id| {
            let entry = app.entry_of(id);
            let report = app
                .view(id)
                .and_then(|v| v.last_ok.as_ref())
                .map(|f| &f.report);
            let texts = app.history.texts.get(id.as_str());
            let title = entry
                .and_then(|e| e.label.clone())
                .filter(|l| !l.trim().is_empty())
                .or_else(|| report.map(|r| r.display_title().to_owned()))
                .or_else(|| texts.and_then(|t| t.title.clone()))
                .unwrap_or_else(|| id.to_string());
            let creator = report
                .and_then(|r| r.author.name.clone())
                .or_else(|| texts.and_then(|t| t.creator.clone()))
                .unwrap_or_default();
            let newest = figures::newest(app, id.as_str()).map(std::borrow::Cow::into_owned);
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
pub struct TableRow {
    pub name: &'static str,
    pub cells: Vec<String>,
    pub best: Vec<bool>,
}

pub fn table_rows(app: &App, videos: &[Video]) -> Vec<TableRow> {
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
