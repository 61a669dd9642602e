//! Shared setup of the `update` tests: an app at a fixed time and size, keys, fetched
//! reports and watchlists.

use std::sync::Arc;

use chrono::{TimeZone, Utc};
use crossterm::event::{KeyCode, KeyModifiers};

use crate::api::ApiError;
use crate::app::action::Action;
use crate::app::state::App;
use crate::app::update::update;
use crate::fetcher::Fetched;
use crate::format::NumberStyle;
use crate::item_id::{ItemId, ItemRef, ShortLink};
use crate::report::Report;
use crate::store::config::WatchEntry;
use crossterm::event::KeyEvent;

pub(super) const ID: &str = "7566200471448779514";

pub(super) fn app() -> App {
    let mut app = App::new(
        Utc.with_ymd_and_hms(2026, 11, 24, 12, 0, 0).unwrap(),
        NumberStyle::Cn,
    );
    update(&mut app, Action::Resize(100, 30));
    app
}

pub(super) fn key(code: KeyCode) -> Action {
    Action::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

pub(super) fn ctrl(c: char) -> Action {
    Action::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

pub(super) fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        update(app, key(KeyCode::Char(c)));
    }
}

pub(super) fn id(s: &str) -> ItemId {
    ItemId::parse(s).unwrap()
}

pub(super) fn fetched(item: &str, views: u64) -> Fetched {
    let data = serde_json::json!({"video_info": {"vv_cnt": views, "like_cnt": views / 100, "title": format!("t{item}")}});
    Fetched {
        report: Arc::new(Report::from_data(item, &data)),
        data: Arc::new(data),
        fetched_at: Utc.with_ymd_and_hms(2026, 11, 24, 11, 0, 0).unwrap(),
        from_cache: false,
    }
}

pub(super) fn business(code: i64) -> ApiError {
    ApiError::Business {
        code,
        message: None,
        http_status: 200,
        retry_after: None,
    }
}

pub(super) fn watch(app: &mut App, ids: &[&str]) {
    let entries = ids
        .iter()
        .map(|i| WatchEntry {
            item_id: id(i),
            label: None,
            campaign: None,
            price: None,
            added_at: None,
        })
        .collect();
    update(
        app,
        Action::WatchlistLoaded {
            entries,
            read_only: None,
        },
    );
}

pub(super) fn drawn(app: &App) -> String {
    let (w, h) = app.size;
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(w, h)).unwrap();
    terminal.draw(|f| crate::ui::render(app, f)).unwrap();
    format!("{}", terminal.backend())
}

pub(super) fn short(code: &str) -> ShortLink {
    match ItemRef::parse(&format!("v.douyin.com/{code}")) {
        Ok(ItemRef::Short(link)) => link,
        other => panic!("{other:?}"),
    }
}

pub(super) fn watch_in(app: &mut App, rows: &[(&str, Option<&str>)]) {
    let entries = rows
        .iter()
        .map(|(i, campaign)| WatchEntry {
            item_id: id(i),
            label: None,
            campaign: campaign.map(str::to_owned),
            price: None,
            added_at: None,
        })
        .collect();
    update(
        app,
        Action::WatchlistLoaded {
            entries,
            read_only: None,
        },
    );
}

pub(super) fn shown_rows(app: &App) -> Vec<String> {
    (0..app.watch.order.len())
        .map(|r| app.watch_entry_at(r).unwrap().item_id.to_string())
        .collect()
}

pub(super) const A: &str = "7566200471448779501";

pub(super) const B: &str = "7566200471448779502";

pub(super) const C: &str = "7566200471448779503";

pub(super) const D: &str = "7566200471448779504";
