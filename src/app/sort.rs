//! The watchlist's display order for the chosen sort column.

use std::cmp::Ordering;

use super::state::{App, SortColumn};
use crate::store::config::WatchEntry;

/// Indices into `app.watch.entries` of the rows of the tab shown, in display order. Items
/// without a value for the sort column go last in either direction, so reversing never
/// buries the data under blanks.
pub fn sort_order(app: &App) -> Vec<usize> {
    let entries = &app.watch.entries;
    let tab = &app.watch.tab;
    let mut keyed: Vec<(usize, Option<Key>)> = entries
        .iter()
        .enumerate()
        .filter(|(_, e)| tab.holds(e))
        .map(|(i, e)| (i, sort_key(app, e)))
        .collect();
    keyed.sort_by(|(a, ka), (b, kb)| {
        match (ka, kb) {
            (Some(x), Some(y)) => {
                let o = x.partial_cmp(y).unwrap_or(Ordering::Equal);
                if app.watch.reverse { o.reverse() } else { o }
            }
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        }
        .then(a.cmp(b))
    });
    keyed.into_iter().map(|(i, _)| i).collect()
}

#[derive(PartialEq, PartialOrd)]
enum Key {
    Num(f64),
    Text(String),
}

/// Reads only the compact rows (never a full report), so sorting 10,000 items is cheap.
fn sort_key(app: &App, e: &WatchEntry) -> Option<Key> {
    let newest = app.history.latest.get(e.item_id.as_str()).map(|(s, _)| s);
    match app.watch.sort {
        SortColumn::Added => e.added_at.map(|t| Key::Num(t.timestamp() as f64)),
        SortColumn::Label => Some(Key::Text(
            e.label
                .clone()
                .filter(|l| !l.is_empty())
                .or_else(|| {
                    app.history
                        .texts
                        .get(e.item_id.as_str())
                        .and_then(|t| t.title.clone())
                })
                .unwrap_or_else(|| e.item_id.to_string())
                .to_lowercase(),
        )),
        SortColumn::Views => newest.and_then(|s| s.vv_cnt).map(|v| Key::Num(v as f64)),
        SortColumn::Likes => newest.and_then(|s| s.like_cnt).map(|v| Key::Num(v as f64)),
        SortColumn::LikeRate => newest
            .and_then(|s| crate::report::per_view(s.like_cnt, s.vv_cnt))
            .map(Key::Num),
        SortColumn::Completion => newest.and_then(|s| s.finish_rate).map(Key::Num),
        SortColumn::Refreshed => newest.map(|s| Key::Num(s.fetched_at.timestamp_millis() as f64)),
    }
}
