//! The storage interface's contract, run against both engines: each test below runs once
//! on a SQLite history in a temp dir and once on a database of a throwaway PostgreSQL
//! server (see common/pg.rs; skipped, with one line, where PostgreSQL is not installed).

mod common;

use std::collections::HashMap;
use std::sync::{Arc, Barrier};

use chrono::{DateTime, Utc};
use xingtu_dash::store::postgres::{PgStore, PgUrl};
use xingtu_dash::store::{self, Record, Snapshot, Store, StoreError, StoreLocation};
use xingtu_dash::trend::{DayValue, StoredTrend};

/// Opens another connection to the same store (as another process would).
type Opener = Arc<dyn Fn() -> Box<dyn Store> + Send + Sync>;

const MS_PER_DAY: i64 = 86_400_000;
/// How long an unfinished batch counts as running (the stores' own rule).
const STALE_BATCH_MS: i64 = 2 * 3_600_000;

fn sqlite() -> Opener {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("nested/dir/history.sqlite3");
    Arc::new(move || {
        let _keep = &dir;
        store::open_db(&StoreLocation::sqlite(&db)).unwrap()
    })
}

fn postgres() -> Option<Opener> {
    let url = PgUrl::parse(&common::pg::shared_db()?.url()).unwrap();
    Some(Arc::new(move || Box::new(PgStore::open(&url).unwrap())))
}

macro_rules! on_both_engines {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(#[test]
            fn $name() {
                super::contract::$name(&super::sqlite())
            })*
        }
        mod postgres {
            $(#[test]
            fn $name() {
                if let Some(open) = super::postgres() {
                    super::contract::$name(&open)
                }
            })*
        }
    };
}

on_both_engines!(
    each_newest_gives_the_newest_figures_in_the_order_asked,
    a_trend_is_stored_and_a_refresh_adds_and_replaces_days,
    alerts_fire_once_per_crossing_and_are_logged_until_pruned,
    record_and_series_round_trip_oldest_first,
    rows_and_cache_entries_come_from_the_newest_stored_report,
    a_count_beyond_i64_is_stored_absent_and_the_batch_is_kept,
    latest_pairs_with_zero_one_and_many_snapshots,
    recent_views_are_the_newest_n_oldest_first,
    prune_deletes_only_older_snapshots,
    change_marker_moves_when_another_connection_writes,
    concurrent_writers_lose_nothing,
    fresh_items_and_publication_dates_come_from_stored_reports,
    the_price_per_call_pools_measured_batches_and_overlaps_are_told,
);

/// The figures-only shorthands these tests were written with.
trait Put {
    fn put(&mut self, snaps: &[Snapshot]) -> Result<(), StoreError>;
    fn series(&self, id: &str, since: Option<DateTime<Utc>>) -> Result<Vec<Snapshot>, StoreError>;
    fn pairs(
        &self,
        ids: &[String],
    ) -> Result<HashMap<String, (Snapshot, Option<Snapshot>)>, StoreError>;
    fn views(&self, ids: &[String], n: usize) -> Result<HashMap<String, Vec<u64>>, StoreError>;
}

impl Put for Box<dyn Store> {
    fn put(&mut self, snaps: &[Snapshot]) -> Result<(), StoreError> {
        let data = serde_json::json!({});
        let records: Vec<Record<'_>> = snaps
            .iter()
            .map(|s| Record {
                snapshot: s.clone(),
                data: &data,
            })
            .collect();
        self.record(&records)
    }

    fn series(&self, id: &str, since: Option<DateTime<Utc>>) -> Result<Vec<Snapshot>, StoreError> {
        let mut all = Vec::new();
        self.each_snapshot(id, since, &mut |s| {
            all.push(s);
            true
        })?;
        Ok(all)
    }

    fn pairs(
        &self,
        ids: &[String],
    ) -> Result<HashMap<String, (Snapshot, Option<Snapshot>)>, StoreError> {
        let mut out = HashMap::new();
        self.each_row(ids, 0, &mut |r| {
            out.insert(r.newest.item_id.clone(), (r.newest, r.previous));
        })?;
        Ok(out)
    }

    fn views(&self, ids: &[String], n: usize) -> Result<HashMap<String, Vec<u64>>, StoreError> {
        let mut out = HashMap::new();
        self.each_row(ids, n, &mut |r| {
            if !r.views.is_empty() {
                out.insert(r.newest.item_id.clone(), r.views);
            }
        })?;
        Ok(out)
    }
}

fn at(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms).unwrap()
}

fn snap(item: &str, ms: i64, views: u64) -> Snapshot {
    Snapshot {
        item_id: item.to_owned(),
        fetched_at: at(ms),
        vv_cnt: Some(views),
        like_cnt: Some(views / 10),
        comment_cnt: None,
        share_cnt: Some(0),
        collect_cnt: None,
        interact_cnt: Some(views / 8),
        interact_rate: Some(0.125),
        finish_rate: None,
        follower: Some(1_000_000),
    }
}

fn ids(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

mod contract {
    use super::*;

    pub fn each_newest_gives_the_newest_figures_in_the_order_asked(open: &Opener) {
        let mut h = open();
        h.put(&[snap("a", 1000, 10), snap("b", 500, 7), snap("a", 2000, 20)])
            .unwrap();
        let mut seen = Vec::new();
        h.each_newest(&ids(&["b", "none", "a"]), &mut |s| {
            seen.push((s.item_id, s.vv_cnt))
        })
        .unwrap();
        assert_eq!(
            seen,
            vec![("b".to_owned(), Some(7)), ("a".to_owned(), Some(20))]
        );
    }

    pub fn a_trend_is_stored_and_a_refresh_adds_and_replaces_days(open: &Opener) {
        let mut history = open();
        assert_eq!(history.trend("a").unwrap(), None);
        let day = |d: &str, metric: &str, value: f64| DayValue {
            date: chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap(),
            metric: metric.into(),
            value,
        };
        history.record_trend("a", at(1_000), &[]).unwrap();
        assert_eq!(
            history.trend("a").unwrap(),
            Some(StoredTrend {
                fetched_at: at(1_000),
                days: Vec::new()
            }),
            "an empty answer is a stored trend too"
        );
        history
            .record_trend(
                "a",
                at(2_000),
                &[day("2025-10-20", "vv", 5.0), day("2025-10-21", "vv", 7.0)],
            )
            .unwrap();
        history
            .record_trend(
                "a",
                at(3_000),
                &[day("2025-10-21", "vv", 8.0), day("2025-10-21", "like", 1.5)],
            )
            .unwrap();
        let trend = history.trend("a").unwrap().unwrap();
        assert_eq!(trend.fetched_at, at(3_000));
        assert_eq!(
            trend.days,
            vec![
                day("2025-10-20", "vv", 5.0),
                day("2025-10-21", "like", 1.5),
                day("2025-10-21", "vv", 8.0)
            ]
        );
        assert_eq!(history.trend("b").unwrap(), None);
    }

    pub fn alerts_fire_once_per_crossing_and_are_logged_until_pruned(open: &Opener) {
        use xingtu_dash::alerts::{Alert, Direction, Observation};
        let mut history = open();
        let seen = |over: bool, ms: i64| Observation {
            rule: "r".into(),
            over,
            alert: Alert {
                name: "r".into(),
                item_id: "a".into(),
                label: None,
                campaign: None,
                metric: "views".into(),
                value: 2.0,
                threshold: 1.0,
                direction: Direction::Above,
                at: at(ms),
            },
        };
        let mut fired = Vec::new();
        for (i, over) in [true, true, false, true].into_iter().enumerate() {
            let ms = (i as i64 + 1) * MS_PER_DAY;
            fired.push(history.observe_alerts(&[seen(over, ms)]).unwrap().len());
        }
        assert_eq!(fired, [1, 0, 0, 1]);
        // Another connection (cron) sees the same state.
        let mut other = open();
        assert!(
            other
                .observe_alerts(&[seen(true, 5 * MS_PER_DAY)])
                .unwrap()
                .is_empty()
        );
        let log = history.recent_alerts(10).unwrap();
        assert_eq!(
            log.iter().map(|a| a.at).collect::<Vec<_>>(),
            [at(MS_PER_DAY), at(4 * MS_PER_DAY)]
        );
        assert_eq!(history.recent_alerts(1).unwrap()[0].at, at(4 * MS_PER_DAY));
        history.prune(1, at(5 * MS_PER_DAY)).unwrap();
        assert_eq!(history.recent_alerts(10).unwrap().len(), 1);
    }

    pub fn record_and_series_round_trip_oldest_first(open: &Opener) {
        let mut history = open();
        let mut all_none = snap("a", 2_000, 0);
        all_none.vv_cnt = None;
        all_none.like_cnt = None;
        all_none.share_cnt = None;
        all_none.interact_cnt = None;
        all_none.interact_rate = None;
        all_none.follower = None;
        let newest = snap("a", 3_000, 30);
        let oldest = snap("a", 1_000, 10);
        history
            .put(&[newest.clone(), snap("b", 1_500, 99), all_none.clone()])
            .unwrap();
        history.put(std::slice::from_ref(&oldest)).unwrap();
        history.put(&[]).unwrap();

        let series = history.series("a", None).unwrap();
        assert_eq!(series, vec![oldest, all_none.clone(), newest.clone()]);

        assert_eq!(
            history.series("a", Some(at(2_000))).unwrap(),
            vec![all_none, newest],
            "since is inclusive"
        );
        assert!(history.series("a", Some(at(3_001))).unwrap().is_empty());
        assert!(history.series("unknown", None).unwrap().is_empty());
    }

    pub fn rows_and_cache_entries_come_from_the_newest_stored_report(open: &Opener) {
        let mut history = open();
        let old =
            serde_json::json!({"video_info": {"title": "旧标题"}, "author_info": {"name": "作者"}});
        let new = serde_json::json!({"video_info": {"title": "新标题 🚗"}, "author_info": {"name": "作者"}});
        history
            .record(&[
                Record {
                    snapshot: snap("a", 1, 1),
                    data: &old,
                },
                Record {
                    snapshot: snap("a", 2, 2),
                    data: &new,
                },
            ])
            .unwrap();
        let row = history.row("a", 24).unwrap().unwrap();
        assert_eq!(row.title.as_deref(), Some("新标题 🚗"));
        assert_eq!(row.creator.as_deref(), Some("作者"));
        assert_eq!((row.newest.vv_cnt, row.views), (Some(2), vec![1, 2]));
        let entry = history.latest_report("a").unwrap().unwrap();
        assert_eq!((entry.fetched_at, entry.data), (at(2), new));
        assert!(history.latest_report("none").unwrap().is_none());
        assert!(history.row("none", 24).unwrap().is_none());
    }

    pub fn a_count_beyond_i64_is_stored_absent_and_the_batch_is_kept(open: &Opener) {
        let mut history = open();
        let mut huge = snap("a", 2, 0);
        huge.vv_cnt = Some(u64::MAX);
        huge.follower = Some(i64::MAX as u64 + 1);
        history
            .put(&[snap("a", 1, 1), huge.clone(), snap("b", 3, 3)])
            .unwrap();
        let series = history.series("a", None).unwrap();
        assert_eq!(
            series.len(),
            2,
            "the other snapshots of the batch are stored"
        );
        assert_eq!(series[1].vv_cnt, None, "too large: stored as absent");
        assert_eq!(series[1].follower, None);
        assert_eq!(
            series[1].like_cnt, huge.like_cnt,
            "its other figures are kept"
        );
        assert_eq!(history.series("b", None).unwrap().len(), 1);
    }

    pub fn latest_pairs_with_zero_one_and_many_snapshots(open: &Opener) {
        let mut history = open();
        history
            .put(&[
                snap("one", 5, 50),
                snap("many", 1, 10),
                snap("many", 3, 30),
                snap("many", 2, 20),
            ])
            .unwrap();

        let pairs = history.pairs(&ids(&["none", "one", "many"])).unwrap();
        assert_eq!(pairs.len(), 2, "ids without snapshots are absent");
        assert_eq!(pairs["one"], (snap("one", 5, 50), None));
        assert_eq!(
            pairs["many"],
            (snap("many", 3, 30), Some(snap("many", 2, 20)))
        );
        assert!(history.pairs(&[]).unwrap().is_empty());
    }

    pub fn recent_views_are_the_newest_n_oldest_first(open: &Opener) {
        let mut history = open();
        let mut no_views = snap("a", 35, 0);
        no_views.vv_cnt = None;
        let mut snaps: Vec<_> = (1..=5).map(|i| snap("a", i * 10, i as u64 * 100)).collect();
        snaps.push(no_views);
        snaps.push(snap("b", 1, 7));
        history.put(&snaps).unwrap();

        let views = history.views(&ids(&["a", "b", "none"]), 3).unwrap();
        assert_eq!(
            views["a"],
            vec![300, 400, 500],
            "the gap at 35 ms is skipped"
        );
        assert_eq!(views["b"], vec![7]);
        assert!(!views.contains_key("none"));

        let all = history.views(&ids(&["a"]), 100).unwrap();
        assert_eq!(all["a"], vec![100, 200, 300, 400, 500]);
        assert!(history.views(&ids(&["a"]), 0).unwrap().is_empty());
    }

    pub fn prune_deletes_only_older_snapshots(open: &Opener) {
        let mut history = open();
        let now = at(100 * MS_PER_DAY);
        let cutoff = 100 * MS_PER_DAY - 30 * MS_PER_DAY;
        history
            .put(&[
                snap("a", cutoff - 1, 1),
                snap("b", cutoff - MS_PER_DAY, 2),
                snap("a", cutoff, 3),
                snap("a", cutoff + 1, 4),
            ])
            .unwrap();

        assert_eq!(history.prune(30, now).unwrap(), 2);
        assert_eq!(
            history.series("a", None).unwrap(),
            vec![snap("a", cutoff, 3), snap("a", cutoff + 1, 4)]
        );
        assert!(history.series("b", None).unwrap().is_empty());
        assert_eq!(history.prune(30, now).unwrap(), 0);
        assert_eq!(history.prune(u32::MAX, now).unwrap(), 0);
    }

    pub fn change_marker_moves_when_another_connection_writes(open: &Opener) {
        let dashboard = open();
        let mut cron = open();
        let before = dashboard.change_marker().unwrap();
        assert_eq!(dashboard.change_marker().unwrap(), before);

        cron.put(&[snap("a", 1, 1)]).unwrap();
        let after = dashboard.change_marker().unwrap();
        assert_ne!(after, before);

        cron.put(&[snap("a", 2, 2)]).unwrap();
        assert_ne!(dashboard.change_marker().unwrap(), after);
    }

    pub fn concurrent_writers_lose_nothing(open: &Opener) {
        const WRITERS: usize = 3;
        const EACH: i64 = 200;
        // All writers start together, on a database that does not exist yet, so creation,
        // WAL switch and migration race as well.
        let start = Arc::new(Barrier::new(WRITERS));
        let handles: Vec<_> = (0..WRITERS)
            .map(|w| {
                let (open, start) = (Arc::clone(open), Arc::clone(&start));
                std::thread::spawn(move || -> Result<(), StoreError> {
                    start.wait();
                    let mut history = open();
                    for i in 0..EACH {
                        history.put(&[snap(&format!("item{w}"), i, i as u64)])?;
                    }
                    Ok(())
                })
            })
            .collect();
        for handle in handles {
            handle.join().unwrap().unwrap();
        }

        let history = open();
        for w in 0..WRITERS {
            let series = history.series(&format!("item{w}"), None).unwrap();
            let times: Vec<_> = series
                .iter()
                .map(|s| s.fetched_at.timestamp_millis())
                .collect();
            assert_eq!(times, (0..EACH).collect::<Vec<_>>());
        }
    }

    pub fn fresh_items_and_publication_dates_come_from_stored_reports(open: &Opener) {
        let mut history = open();
        let as_string = serde_json::json!({"video_info": {"create_time": "1761648197"}});
        let as_number = serde_json::json!({"video_info": {"create_time": 1_700_000_000}});
        let none = serde_json::json!({"video_info": {}});
        history
            .record(&[
                Record {
                    snapshot: snap("a", 10_000, 1),
                    data: &as_string,
                },
                Record {
                    snapshot: snap("b", 20_000, 1),
                    data: &as_number,
                },
                Record {
                    snapshot: snap("c", 30_000, 1),
                    data: &none,
                },
            ])
            .unwrap();
        let mut published = Vec::new();
        history
            .each_published(&ids(&["a", "b", "c", "never"]), &mut |id, at| {
                published.push((id.to_owned(), at.timestamp()))
            })
            .unwrap();
        assert_eq!(
            published,
            [
                ("a".to_owned(), 1_761_648_197),
                ("b".to_owned(), 1_700_000_000)
            ]
        );
        let mut fresh = Vec::new();
        history
            .each_fresh(&ids(&["a", "b", "c", "never"]), at(20_000), &mut |id| {
                fresh.push(id.to_owned())
            })
            .unwrap();
        assert_eq!(fresh, ["b", "c"]);
    }

    pub fn the_price_per_call_pools_measured_batches_and_overlaps_are_told(open: &Opener) {
        use xingtu_dash::account::Amount;
        let mut history = open();
        assert_eq!(history.price_per_call().unwrap(), None);

        let first = history.begin_batch(at(1_000)).unwrap();
        history.put(&[snap("a", 1_500, 1)]).unwrap();
        assert!(!history.finish_batch(first, at(2_000), 1).unwrap());
        history
            .learn_price(first, Amount(2000), 4, Some("CNY"))
            .unwrap();
        let second = history.begin_batch(at(3_000)).unwrap();
        assert!(!history.finish_batch(second, at(4_000), 0).unwrap());
        history
            .learn_price(second, Amount(1000), 1, Some("CNY"))
            .unwrap();
        let price = history.price_per_call().unwrap().unwrap();
        assert_eq!(
            (price.cost, price.calls, price.batches),
            (Amount(3000), 5, 2)
        );
        assert_eq!(price.currency.as_deref(), Some("CNY"));

        // Another process's batch running meanwhile, or a report stored that this batch
        // did not fetch: its figures are not its own.
        let mine = history.begin_batch(at(5_000)).unwrap();
        let theirs = history.begin_batch(at(5_500)).unwrap();
        assert!(history.finish_batch(mine, at(6_000), 0).unwrap());
        assert!(history.finish_batch(theirs, at(7_000), 0).unwrap());
        let alone = history.begin_batch(at(8_000)).unwrap();
        history.put(&[snap("z", 8_500, 1)]).unwrap();
        assert!(history.finish_batch(alone, at(9_000), 0).unwrap());
        // A batch left unfinished long ago (a killed process) no longer counts.
        history.begin_batch(at(9_500)).unwrap();
        let later = history.begin_batch(at(10 * STALE_BATCH_MS)).unwrap();
        assert!(
            !history
                .finish_batch(later, at(10 * STALE_BATCH_MS + 1), 0)
                .unwrap()
        );

        // A change of currency starts the price afresh.
        history
            .learn_price(later, Amount(50_000), 1, Some("USD"))
            .unwrap();
        let price = history.price_per_call().unwrap().unwrap();
        assert_eq!((price.cost, price.calls), (Amount(50_000), 1));
    }
}
