//! The store cannot be reached (a shared PostgreSQL gone away): lookups are off, since a
//! call's answer could not be kept nor coordinated with the others; the store is tried again
//! with a backoff, and everything comes back by itself once it answers. Helpers of `update`.

use chrono::{DateTime, Duration, Utc};

use super::Effect;
use super::state::{App, Level};
use super::update::set_status;

/// Since when the store has been unreachable, why, and when it is tried next.
#[derive(Debug, Clone, PartialEq)]
pub struct StoreDown {
    pub detail: String,
    pub since: DateTime<Utc>,
    /// Tries that failed since it went away.
    pub tries: u32,
    pub next_try: DateTime<Utc>,
    /// A try is under way: no other starts until it answers.
    pub trying: bool,
}

/// Waits between tries: 1 s doubling, at most 30 s.
pub fn backoff(tries: u32) -> Duration {
    Duration::seconds(1i64 << tries.min(5)).min(Duration::seconds(30))
}

/// The store failed (a read, a claim, or a try): lookups stop until it answers again.
pub fn on_down(app: &mut App, detail: String) {
    let now = app.now;
    let down = match app.store_down.take() {
        Some(mut down) => {
            if down.trying {
                down.tries += 1;
            }
            down.trying = false;
            down.next_try = now + backoff(down.tries);
            down.detail = detail;
            down
        }
        None => StoreDown {
            detail,
            since: now,
            tries: 0,
            next_try: now + backoff(0),
            trying: false,
        },
    };
    let text = crate::t!("ui-store-down-status", detail = down.detail.as_str());
    app.store_down = Some(down);
    set_status(app, Level::Error, text);
}

/// The store answered: lookups are on again, and the rows are read afresh (others may have
/// stored answers meanwhile).
pub fn on_back(app: &mut App) -> Vec<Effect> {
    let Some(down) = app.store_down.take() else {
        return Vec::new();
    };
    let text = crate::t!(
        "ui-store-back-status",
        gone = crate::format::duration_secs((app.now - down.since).num_seconds() as f64)
    );
    set_status(app, Level::Info, text);
    vec![Effect::LoadHistory]
}

/// A try of the store, when one is due.
pub fn due_try(app: &mut App) -> Option<Effect> {
    let down = app.store_down.as_mut()?;
    if down.trying || app.now < down.next_try {
        return None;
    }
    down.trying = true;
    Some(Effect::TryStore)
}

/// Why a lookup is refused while the store is unreachable.
pub fn refusal(app: &App) -> Option<String> {
    app.store_down
        .as_ref()
        .map(|down| crate::t!("ui-store-down-refusal", detail = down.detail.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::NumberStyle;

    fn app() -> App {
        let now = DateTime::from_timestamp(1_800_000_000, 0).unwrap();
        App::new(now, NumberStyle::Cn)
    }

    #[test]
    fn the_store_is_tried_with_a_growing_wait_one_try_at_a_time() {
        let mut app = app();
        let start = app.now;
        on_down(&mut app, "connection refused".into());
        assert!(app.has_banner());
        assert_eq!(due_try(&mut app), None, "not before a second has passed");
        app.now = start + Duration::seconds(1);
        assert_eq!(due_try(&mut app), Some(Effect::TryStore));
        assert_eq!(due_try(&mut app), None, "one try at a time");
        on_down(&mut app, "connection refused".into());
        let down = app.store_down.clone().unwrap();
        assert_eq!((down.tries, down.since), (1, start));
        assert_eq!(down.next_try, app.now + Duration::seconds(2));
        assert_eq!(backoff(10), Duration::seconds(30));
    }

    #[test]
    fn lookups_are_refused_while_down_and_come_back_with_the_store() {
        let mut app = app();
        assert!(refusal(&app).is_none());
        assert!(on_back(&mut app).is_empty(), "nothing to recover from");
        on_down(&mut app, "connection refused".into());
        assert!(refusal(&app).unwrap().contains("connection refused"));
        app.now += Duration::seconds(75);
        assert_eq!(on_back(&mut app), vec![Effect::LoadHistory]);
        assert!(app.store_down.is_none() && !app.has_banner());
        let status = app.status.clone().unwrap().text;
        assert!(
            status.contains("back") && status.contains("1:15"),
            "{status}"
        );
    }
}
