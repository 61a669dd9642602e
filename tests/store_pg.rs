//! The shared PostgreSQL store against a real throwaway server (see common/pg.rs).

mod common;

use common::pg;
use xingtu_dash::store::postgres::{PgStore, PgUrl};
use xingtu_dash::store::{self, Record, Snapshot, Store, StoreLocation};

fn snapshot(item: &str, ms: i64, views: u64) -> Snapshot {
    Snapshot {
        item_id: item.to_owned(),
        fetched_at: chrono::DateTime::from_timestamp_millis(ms).unwrap(),
        vv_cnt: Some(views),
        like_cnt: None,
        comment_cnt: Some(1),
        share_cnt: None,
        collect_cnt: None,
        interact_cnt: None,
        interact_rate: Some(0.5),
        finish_rate: None,
        follower: Some(7),
    }
}

#[test]
fn opens_migrates_and_round_trips() {
    let Some(db) = pg::shared_db() else { return };
    let url = PgUrl::parse(&db.url()).unwrap();
    let mut store = store::open(&StoreLocation::Postgres(url.clone())).unwrap();
    let data = serde_json::json!({"video_info": {"title": "t", "create_time": 1_700_000_000}});
    store
        .record(&[Record {
            snapshot: snapshot("a", 1_000, 10),
            data: &data,
        }])
        .unwrap();
    let entry = store.latest_report("a").unwrap().unwrap();
    assert_eq!(entry.data, data);
    let row = store.row("a", 5).unwrap().unwrap();
    assert_eq!(row.newest, snapshot("a", 1_000, 10));
    assert_eq!(row.title.as_deref(), Some("t"));
    assert_eq!(row.views, vec![10]);
    assert_eq!(PgStore::open(&url).unwrap().change_marker().unwrap(), 1);
}
