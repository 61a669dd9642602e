//! Everything the dashboard knows, as plain data. Only `update` changes it; `ui` reads it.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, Utc};

use super::action::AfterResolve;
use super::figures::Metric;
use super::form::EditForm;
use super::input::LineInput;
use super::tabs::Tab;
use crate::account::{Amount, Balance, PricePerCall};
use crate::alerts::Alert;
use crate::api::ApiError;
use crate::fetcher::Fetched;
use crate::format::NumberStyle;
use crate::item_id::{ItemId, ItemRef, ParseItemError, ShortLink};
use crate::keymap::{Command, Keymap, Scope};
use crate::store::Snapshot;
use crate::store::config::WatchEntry;
use crate::t;
use crate::targets::Targets;
use crate::trend::StoredTrend;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    Input,
    Recent,
    Watchlist,
}

impl Focus {
    pub const ORDER: [Focus; 3] = [Focus::Input, Focus::Recent, Focus::Watchlist];
}

#[derive(Debug, Clone, PartialEq)]
pub enum Overlay {
    Help,
    ConfirmRemove(ItemId),
    /// Label, campaign and price of a watched video.
    Edit(EditForm),
    /// The marked videos side by side: the first video column shown, and the first line.
    Compare {
        column: usize,
        line: usize,
    },
    /// A refresh whose estimate the known balance cannot cover: go ahead anyway?
    ConfirmSpend {
        /// Calls the refresh needs, what they should cost, and the balance.
        calls: u64,
        estimate: Amount,
        balance: Balance,
        /// Settled items the refresh leaves out.
        skipped: usize,
    },
    /// The alerts fired recently (by this dashboard or any other process), newest first.
    Alerts,
    /// A paste of several lines: look them all up, or watch them all?
    PasteMany {
        /// The valid items, in paste order, each once.
        items: Vec<ItemRef>,
        /// Non-blank lines that hold no id or link.
        invalid: usize,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Info,
    Warn,
    Error,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Status {
    pub text: String,
    pub level: Level,
}

/// What is known about one item this session.
#[derive(Debug, Clone, Default)]
pub struct ItemView {
    /// The newest success; kept when a later refresh fails.
    pub last_ok: Option<Fetched>,
    /// The error of the latest attempt, until the next success.
    pub error: Option<ApiError>,
    pub in_flight: bool,
    /// The next attempt after a transient failure: (attempt just failed, when, why).
    pub retry: Option<(u32, DateTime<Utc>, String)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortColumn {
    Added,
    Label,
    Views,
    Likes,
    LikeRate,
    Completion,
    Refreshed,
}

impl SortColumn {
    pub const CYCLE: [SortColumn; 7] = [
        SortColumn::Added,
        SortColumn::Label,
        SortColumn::Views,
        SortColumn::Likes,
        SortColumn::LikeRate,
        SortColumn::Completion,
        SortColumn::Refreshed,
    ];

    pub fn name(self) -> String {
        match self {
            SortColumn::Added => t!("ui-sort-added"),
            SortColumn::Label => t!("ui-sort-label"),
            SortColumn::Views => t!("ui-sort-views"),
            SortColumn::Likes => t!("ui-sort-likes"),
            SortColumn::LikeRate => t!("ui-sort-like-rate"),
            SortColumn::Completion => t!("ui-sort-completion"),
            SortColumn::Refreshed => t!("ui-sort-refreshed"),
        }
    }
}

#[derive(Debug, Clone)]
pub struct WatchState {
    /// As in the config file; `order` gives the displayed order.
    pub entries: Vec<WatchEntry>,
    pub order: Vec<usize>,
    pub selected: usize,
    /// First displayed row (kept by `update` so clicks map to the rows drawn).
    pub offset: usize,
    pub sort: SortColumn,
    pub reverse: bool,
    /// New figures arrived since the last sort (see `update::settle`).
    pub needs_sort: bool,
    /// Changes shown but not yet saved; the file's view replaces the screen's only when
    /// none is left, so a quick add-then-remove never flickers back.
    pub unsaved: usize,
    /// Why the config file could not be read when the dashboard opened. Its base URL, region
    /// and timeout are unknown then, so no lookup is made, and the watchlist is never saved.
    pub read_only: Option<String>,
    /// The campaign tab shown; `order` holds its rows only.
    pub tab: Tab,
    /// Every tab and its count, as of the last change to the list.
    pub tabs: Vec<(Tab, usize)>,
    /// Ids marked for the compare view, in the order they were marked.
    pub marked: Vec<ItemId>,
    /// What the campaign summary ranks the videos by.
    pub metric: Metric,
}

/// How many videos the compare view takes at once.
pub const MAX_MARKED: usize = 8;

/// Metric history for the watchlist's change column, sparklines and the trend chart: a
/// compact row per watched item (what the table shows and sorts by), and the full series of
/// the item on screen only.
#[derive(Debug, Clone, Default)]
pub struct HistoryView {
    /// Newest snapshot and the one before, per item.
    pub latest: HashMap<String, (Snapshot, Option<Snapshot>)>,
    /// Views of the newest snapshots, oldest first, per item.
    pub sparks: HashMap<String, Vec<u64>>,
    /// Title and creator from the newest stored report, per item.
    pub texts: HashMap<String, RowText>,
    /// The full series of the item on screen.
    pub series: Option<(ItemId, Vec<Snapshot>)>,
    /// When each item was published (`create_time` of its newest stored report).
    pub published: HashMap<String, DateTime<Utc>>,
    /// Xingtu's daily series of the item on screen, when one is stored.
    pub daily: Option<(ItemId, StoredTrend)>,
    /// Why history is unavailable, if it is.
    pub error: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct RowText {
    pub title: Option<String>,
    pub creator: Option<String>,
}

impl HistoryView {
    /// Takes the rows (and the series, if any) of a partial load, keeping the other rows.
    pub fn merge(&mut self, part: HistoryView) {
        self.latest.extend(part.latest);
        self.sparks.extend(part.sparks);
        self.texts.extend(part.texts);
        self.published.extend(part.published);
        if part.series.is_some() {
            self.series = part.series;
        }
        if part.daily.is_some() {
            self.daily = part.daily;
        }
        if part.error.is_some() {
            self.error = part.error;
        }
    }

    /// A fetch of `f` just arrived: it becomes the newest snapshot of its row at once,
    /// before any reload from the store.
    pub fn record(&mut self, f: &Fetched) {
        let snapshot = Snapshot::of(&f.report, f.fetched_at);
        let id = &f.report.item_id;
        if self
            .latest
            .get(id)
            .is_some_and(|(newest, _)| newest.fetched_at >= f.fetched_at)
        {
            return;
        }
        let previous = self.latest.remove(id).map(|(newest, _)| newest);
        if let Some(views) = snapshot.vv_cnt {
            let spark = self.sparks.entry(id.clone()).or_default();
            spark.push(views);
            if spark.len() > SPARK_POINTS {
                spark.remove(0);
            }
        }
        self.texts.insert(
            id.clone(),
            RowText {
                title: f.report.video.title.clone(),
                creator: f.report.author.name.clone(),
            },
        );
        if let Some(at) = f
            .report
            .video
            .create_time
            .and_then(|secs| DateTime::from_timestamp(secs, 0))
        {
            self.published.insert(id.clone(), at);
        }
        if let Some((series_id, series)) = &mut self.series
            && series_id.as_str() == id
        {
            series.push(snapshot.clone());
        }
        self.latest.insert(id.clone(), (snapshot, previous));
    }
}

/// The account as the dashboard sees it: the balance (read at start, after each batch and on
/// `$`, at most once a minute), the price per call learned so far, and the refresh being
/// measured.
#[derive(Debug, Clone, Default)]
pub struct AccountView {
    /// Whether the app reads the balance at all (`[api] show_balance`, not the demo).
    pub enabled: bool,
    pub balance: Option<Balance>,
    /// Why the last read failed, if it did.
    pub error: Option<String>,
    /// When the last read was sent: the next waits a minute after it.
    pub read_at: Option<DateTime<Utc>>,
    /// Calls sent when the last read was sent, if none was under way then: the balance is
    /// exact "before" figures for a batch until more calls go out.
    pub read_calls: Option<u64>,
    pub reading: bool,
    /// A read was asked for within the minute: it goes out once the minute is over.
    pub due: bool,
    pub price: Option<PricePerCall>,
    pub batch: Option<BatchView>,
    /// `R` waits for the balance read under way, so the refresh is measured from it.
    pub refresh_waiting: bool,
}

/// A batch (`R`, or a pasted list looked up) being measured: the balance before it, and its
/// place among the calls.
#[derive(Debug, Clone, PartialEq)]
pub struct BatchView {
    /// What it is, for messages: "refresh", "lookups".
    pub what: String,
    /// The balance before the first call, and the calls sent by then.
    pub before: Option<(Balance, u64)>,
    /// Fresh reports received before the batch, to tell its own from others'.
    pub answers_before: u64,
    /// The store's note of the batch, once made.
    pub noted: Option<i64>,
    /// Every call of the batch has answered; waiting for the balance after it.
    pub done: bool,
}

/// A read of the balance goes out at most this often.
pub const BALANCE_EVERY: chrono::Duration = chrono::Duration::minutes(1);

/// How many recent views a sparkline keeps.
pub const SPARK_POINTS: usize = 24;

#[derive(Debug, Clone)]
pub struct App {
    pub focus: Focus,
    pub input: LineInput,
    pub items: HashMap<ItemId, ItemView>,
    /// Lookups this session, newest first, each once.
    pub recent: Vec<ItemId>,
    pub recent_selected: usize,
    pub recent_offset: usize,
    pub watch: WatchState,
    pub history: HistoryView,
    pub account: AccountView,
    /// `[watch] stop_after_days`: older videos are settled, and `R` skips them.
    pub stop_after_days: Option<u32>,
    /// Trend chart as growth per hour instead of absolute values.
    pub trend_rate: bool,
    /// Xingtu's daily series being fetched (or read from the store) for this item.
    pub daily_in_flight: Option<ItemId>,
    /// The stored daily series of this item was just shown: `T` again fetches it anew.
    pub daily_refresh_armed: Option<ItemId>,
    /// On a terminal too short for the trend pane, the rates pane shows this item's daily
    /// bars instead (after `T`), while it is on screen.
    pub daily_pane: Option<ItemId>,
    /// The item the creator, video and chart panes show.
    pub shown: Option<ItemId>,
    pub overlay: Option<Overlay>,
    pub status: Option<Status>,
    /// A code that stops all calls, until the user acts.
    pub halt: Option<ApiError>,
    /// The store cannot be reached: lookups are off until it answers again.
    pub store_down: Option<super::store_down::StoreDown>,
    /// Recent alerts, oldest first: this session's, then as the store has them (`!`).
    pub alerts: Vec<Alert>,
    /// The newest alert this session and how many fired since the banner was dismissed.
    pub alert_banner: Option<(Alert, usize)>,
    /// Items an alert fired for since the banner was dismissed: their rows stand out.
    pub alerted: std::collections::HashSet<String>,
    /// The terminal bell rings when an alert fires (`[alerts] bell`).
    pub bell: bool,
    pub slow_until: Option<DateTime<Utc>>,
    pub number_style: NumberStyle,
    /// The key table, with the user's `[keys]` applied.
    pub keys: Arc<Keymap>,
    /// `[targets]`: what the table, the summary and the compare view mark ✓ or ✗.
    pub targets: Targets,
    pub demo: bool,
    pub mouse: bool,
    /// False under NO_COLOR.
    pub color: bool,
    /// The zone dates are shown in.
    pub zone: crate::format::Zone,
    /// How far the help is scrolled, on a screen too short for every key.
    pub help_line: usize,
    /// Auto-refresh interval of the watchlist, if on.
    pub refresh_every: Option<chrono::Duration>,
    pub last_auto_refresh: Option<DateTime<Utc>>,
    /// A success older than this shows as stale (the cache window).
    pub stale_after: chrono::Duration,
    /// Calls sent this session (each may be billed; whether an error answer is billed is
    /// up to the provider).
    pub calls_made: u64,
    /// Fresh reports received this session: the calls that certainly bought something.
    pub answers: u64,
    /// Why short links are not resolved, when they are not (`--no-resolve`, the demo).
    pub resolve_off: Option<String>,
    /// Short links being resolved now, and what for.
    pub resolving: Vec<(ShortLink, AfterResolve)>,
    pub size: (u16, u16),
    pub now: DateTime<Utc>,
    pub spinner: usize,
    /// How long one call may take (`--timeout`): the longest a quit waits for answers.
    pub request_timeout: chrono::Duration,
    /// Quitting once the calls under way have answered, or at this deadline.
    pub quitting: Option<DateTime<Utc>>,
    pub quit: bool,
}

impl App {
    pub fn new(now: DateTime<Utc>, number_style: NumberStyle) -> App {
        App {
            focus: Focus::Recent,
            input: LineInput::default(),
            items: HashMap::new(),
            recent: Vec::new(),
            recent_selected: 0,
            recent_offset: 0,
            watch: WatchState {
                entries: Vec::new(),
                order: Vec::new(),
                selected: 0,
                offset: 0,
                sort: SortColumn::Added,
                reverse: false,
                needs_sort: false,
                unsaved: 0,
                read_only: None,
                tab: Tab::All,
                tabs: vec![(Tab::All, 0)],
                marked: Vec::new(),
                metric: Metric::Cpm,
            },
            history: HistoryView::default(),
            account: AccountView::default(),
            stop_after_days: None,
            trend_rate: false,
            daily_in_flight: None,
            daily_refresh_armed: None,
            daily_pane: None,
            shown: None,
            overlay: None,
            status: None,
            halt: None,
            store_down: None,
            alerts: Vec::new(),
            alert_banner: None,
            alerted: Default::default(),
            bell: true,
            slow_until: None,
            number_style,
            keys: Arc::default(),
            targets: Targets::default(),
            demo: false,
            mouse: true,
            color: true,
            zone: crate::format::Zone::Local,
            help_line: 0,
            refresh_every: None,
            last_auto_refresh: None,
            stale_after: chrono::Duration::minutes(10),
            calls_made: 0,
            answers: 0,
            resolve_off: None,
            resolving: Vec::new(),
            size: (80, 24),
            now,
            spinner: 0,
            request_timeout: chrono::Duration::seconds(60),
            quitting: None,
            quit: false,
        }
    }

    /// The key a message names for a command (its first in the lists), so messages follow
    /// `[keys]`.
    pub fn key_for(&self, command: Command) -> String {
        self.keys
            .hint_key(command, Scope::Lists)
            .map_or_else(|| command.name().to_owned(), |k| k.to_string())
    }

    /// What the input box holds, as an id or short link, or the reason it is not one.
    pub fn input_parse(&self) -> Option<Result<ItemRef, ParseItemError>> {
        (!self.input.text().trim().is_empty()).then(|| ItemRef::parse(self.input.text()))
    }

    pub fn view(&self, id: &ItemId) -> Option<&ItemView> {
        self.items.get(id)
    }

    pub fn shown_view(&self) -> Option<(&ItemId, &ItemView)> {
        let id = self.shown.as_ref()?;
        Some((id, self.items.get(id)?))
    }

    /// A banner row is shown while calls are halted, the store cannot be reached, the
    /// watchlist cannot be saved, or an alert fired that was not dismissed.
    pub fn has_banner(&self) -> bool {
        self.halt.is_some()
            || self.store_down.is_some()
            || self.watch.read_only.is_some()
            || self.alert_banner.is_some()
    }

    pub fn in_flight(&self) -> usize {
        self.items.values().filter(|v| v.in_flight).count()
    }

    /// Calls whose answers are paid for and not here yet: lookups, and a daily trend.
    pub fn answers_awaited(&self) -> usize {
        self.in_flight() + usize::from(self.daily_in_flight.is_some())
    }

    /// Something on screen moves (spinner, countdown), so frames are needed.
    pub fn animating(&self) -> bool {
        self.in_flight() > 0
            || self.daily_in_flight.is_some()
            || !self.resolving.is_empty()
            || self.slow_until.is_some_and(|t| t > self.now)
    }

    /// The watchlist draws a row of campaign tabs (there is a campaign).
    pub fn has_tabs(&self) -> bool {
        self.watch.tabs.len() > 1
    }

    /// The campaign summary takes the recent list's place while a campaign's tab is shown,
    /// unless the focus is in the recent list (a lookup puts it there).
    pub fn shows_summary(&self) -> bool {
        self.watch.tab.campaign().is_some() && self.focus != Focus::Recent
    }

    /// Where the item is among the marked (0 for the first marked), if it is.
    pub fn mark_of(&self, id: &ItemId) -> Option<usize> {
        self.watch.marked.iter().position(|m| m == id)
    }

    /// The watched entry of an id.
    pub fn entry_of(&self, id: &ItemId) -> Option<&WatchEntry> {
        self.watch.entries.iter().find(|e| e.item_id == *id)
    }

    /// The watched entry at a display position.
    pub fn watch_entry_at(&self, row: usize) -> Option<&WatchEntry> {
        self.watch
            .order
            .get(row)
            .and_then(|i| self.watch.entries.get(*i))
    }

    pub fn selected_watch_id(&self) -> Option<ItemId> {
        self.watch_entry_at(self.watch.selected)
            .map(|e| e.item_id.clone())
    }

    pub fn is_watched(&self, id: &ItemId) -> bool {
        self.watch.entries.iter().any(|e| e.item_id == *id)
    }

    pub fn label_of(&self, id: &ItemId) -> Option<&str> {
        self.watch
            .entries
            .iter()
            .find(|e| e.item_id == *id)
            .and_then(|e| e.label.as_deref())
            .filter(|l| !l.is_empty())
    }

    /// Published more than `[watch] stop_after_days` ago: Xingtu no longer updates it.
    pub fn is_settled(&self, item_id: &str) -> bool {
        match (self.stop_after_days, self.history.published.get(item_id)) {
            (Some(days), Some(at)) => crate::report::is_settled(*at, days, self.now),
            _ => false,
        }
    }

    /// The item that keys like `r`, `o` and `y` act on: the selected row of the focused
    /// list, else the item on screen.
    pub fn target(&self) -> Option<ItemId> {
        match self.focus {
            Focus::Watchlist => self.selected_watch_id().or_else(|| self.shown.clone()),
            Focus::Recent => self
                .recent
                .get(self.recent_selected)
                .cloned()
                .or_else(|| self.shown.clone()),
            Focus::Input => self.shown.clone(),
        }
    }
}
