//! What the demo shows as the user's files: a watchlist of the bundled items in campaigns,
//! and stored history, each item growing toward its bundled figures over the last week,
//! made up on the spot so the demo never reads or writes the user's config or history.

use super::state::{HistoryView, RowText};
use crate::api::demo::{DemoData, EXAMPLE_ID};
use crate::item_id::ItemId;
use crate::price::Price;
use crate::store::Snapshot;
use crate::store::config::WatchEntry;

/// The demo's watchlist: every bundled item, in two campaigns (one with a video left
/// unpriced, so its CPM is "over 2 of 3 videos") and one without a campaign, so the
/// dashboard's tabs, summary and costs have something to show.
pub fn watchlist(added_at: Option<chrono::DateTime<chrono::Utc>>) -> Vec<WatchEntry> {
    let plan = |id: &str| -> (Option<&str>, Option<Price>) {
        match id {
            EXAMPLE_ID => (Some("理想L6 上市"), Some(Price::Whole(48_000))),
            "7562222333344445555" => (Some("理想L6 上市"), Some(Price::Whole(6_500))),
            "7560000111122223333" => (Some("理想L6 上市"), None),
            "7571234567890123456" => (Some("双11美妆种草 💄"), Some(Price::Decimal(120_000.5))),
            _ => (None, None),
        }
    };
    DemoData::bundled()
        .ids()
        .into_iter()
        .filter_map(|item_id| {
            let (campaign, price) = plan(&item_id);
            Some(WatchEntry {
                item_id: ItemId::parse(&item_id).ok()?,
                label: None,
                campaign: campaign.map(str::to_owned),
                price,
                added_at,
            })
        })
        .collect()
}

/// Snapshots the demo pretends to have stored: each bundled item growing toward its
/// bundled figures over the last week, so the trend chart, deltas and sparklines have
/// something to show without touching the user's history database.
pub fn history_view(
    watched: &[String],
    shown: Option<&ItemId>,
    now: chrono::DateTime<chrono::Utc>,
) -> HistoryView {
    let demo = DemoData::bundled();
    let report_of = |id: &str| {
        let item = ItemId::parse(id).ok()?;
        let data = demo.fetch(&item).ok()?;
        Some(crate::report::Report::from_data(id, &data))
    };
    let series_of = |id: &str| -> Vec<Snapshot> {
        report_of(id).map_or_else(Vec::new, |r| synthetic_series(&r, now))
    };
    let mut view = HistoryView::default();
    for id in watched {
        if let Some(report) = report_of(id) {
            view.texts.insert(
                id.clone(),
                RowText {
                    title: report.video.title.clone(),
                    creator: report.author.name.clone(),
                },
            );
        }
        let series = series_of(id);
        if let Some(newest) = series.last() {
            let previous = series.len().checked_sub(2).map(|i| series[i].clone());
            view.latest.insert(id.clone(), (newest.clone(), previous));
            view.sparks
                .insert(id.clone(), series.iter().filter_map(|s| s.vv_cnt).collect());
        }
    }
    if let Some(id) = shown {
        view.series = Some((id.clone(), series_of(id.as_str())));
    }
    view
}

const DEMO_POINTS: i64 = 28;

fn synthetic_series(
    report: &crate::report::Report,
    now: chrono::DateTime<chrono::Utc>,
) -> Vec<Snapshot> {
    let v = &report.video;
    (0..DEMO_POINTS)
        .map(|k| {
            // A saturating curve that reaches exactly the bundled figures at the newest point.
            let f =
                (1.0 - (-(k + 1) as f64 / 8.0).exp()) / (1.0 - (-DEMO_POINTS as f64 / 8.0).exp());
            let scale = |n: Option<u64>| n.map(|n| (n as f64 * f).round() as u64);
            let views = scale(v.vv_cnt);
            let likes = scale(v.like_cnt);
            let interactions = scale(report.interactions());
            Snapshot {
                item_id: report.item_id.clone(),
                fetched_at: now - chrono::Duration::hours(6 * (DEMO_POINTS - 1 - k)),
                vv_cnt: views,
                like_cnt: likes,
                comment_cnt: scale(v.comment_cnt),
                share_cnt: scale(v.share_cnt),
                collect_cnt: scale(v.collect_cnt),
                interact_cnt: interactions,
                interact_rate: match (interactions, views) {
                    (Some(i), Some(w)) if w > 0 => Some(i as f64 / w as f64),
                    _ => None,
                },
                finish_rate: v.finish_rate,
                follower: report.author.follower,
            }
        })
        .collect()
}
