//! The watchlist's display order for the chosen sort column.

use std::cmp::Ordering;

use super::state::{App, SortColumn};
use crate::item_id::ItemId;
use crate::store::config::WatchEntry;

/// Indices into `app.watch.entries` in display order. Items without a value for the sort
/// column go last in either direction, so reversing never buries the data under blanks.
pub fn sort_order(app: &App) -> Vec<usize> {
    let entries = &app.watch.entries;
    let keys: Vec<Option<Key>> = entries.iter().map(|e| sort_key(app, e)).collect();
    let mut order: Vec<usize> = (0..entries.len()).collect();
    order.sort_by(|a, b| {
        match (&keys[*a], &keys[*b]) {
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
    order
}

#[derive(PartialEq, PartialOrd)]
enum Key {
    Num(f64),
    Text(String),
}

fn sort_key(app: &App, e: &WatchEntry) -> Option<Key> {
    let fetched = ItemId::parse(&e.item_id)
        .ok()
        .and_then(|id| app.items.get(&id))
        .and_then(|v| v.last_ok.as_ref());
    let report = fetched.map(|f| &f.report);
    match app.watch.sort {
        SortColumn::Added => e.added_at.map(|t| Key::Num(t.timestamp() as f64)),
        SortColumn::Label => Some(Key::Text(
            e.label
                .clone()
                .filter(|l| !l.is_empty())
                .or_else(|| report.and_then(|r| r.video.title.clone()))
                .unwrap_or_else(|| e.item_id.clone())
                .to_lowercase(),
        )),
        SortColumn::Views => report
            .and_then(|r| r.video.vv_cnt)
            .map(|v| Key::Num(v as f64)),
        SortColumn::Likes => report
            .and_then(|r| r.video.like_cnt)
            .map(|v| Key::Num(v as f64)),
        SortColumn::LikeRate => report.and_then(|r| r.ratios().like_rate).map(Key::Num),
        SortColumn::Completion => report.and_then(|r| r.video.finish_rate).map(Key::Num),
        SortColumn::Refreshed => fetched.map(|f| Key::Num(f.fetched_at.timestamp() as f64)),
    }
}
