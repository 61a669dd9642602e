//! Everything the dashboard reacts to, and everything it asks the outside world to do.

use chrono::{DateTime, Utc};
use crossterm::event::{KeyEvent, MouseEvent};

use super::state::HistoryView;
use crate::account::{Amount, Balance, PricePerCall};
use crate::alerts::Alert;
use crate::alerts::command::Notice;
use crate::api::ApiError;
use crate::fetcher::{FetchEvent, FetchResult, Fetched, Freshness};
use crate::item_id::{ItemId, ItemRef, ShortLink};
use crate::shortlink::ResolveError;
use crate::store::config::{KeyChanges, WatchEntry};
use crate::trend::StoredTrend;

/// Inputs to `update`: terminal events, clock ticks and results of effects.
#[derive(Debug)]
pub enum Action {
    Key(KeyEvent),
    Paste(String),
    Mouse(MouseEvent),
    Resize(u16, u16),
    Tick(DateTime<Utc>),
    /// A lookup finished (fresh, from the cache window, or failed).
    Fetched {
        id: ItemId,
        result: FetchResult,
        calls_made: u64,
    },
    /// A cached report found for an item selected in the watchlist (no call made).
    Peeked {
        id: ItemId,
        fetched: Fetched,
    },
    Progress(FetchEvent),
    /// The watchlist as it now stands in the config file (after loading or saving).
    WatchlistLoaded {
        entries: Vec<WatchEntry>,
        read_only: Option<String>,
    },
    /// A watchlist change reached the config file (the list as the file now holds it), or
    /// could not be saved.
    WatchSaved(Result<Vec<WatchEntry>, String>),
    /// Something the user asked for failed (saving the watchlist, opening a browser); the
    /// in-memory state is kept.
    Failed(String),
    /// Every row and the series of the item on screen, read afresh.
    HistoryLoaded(HistoryView),
    /// A short link was resolved (or could not be).
    Resolved {
        link: ShortLink,
        then: AfterResolve,
        result: Result<ItemId, ResolveError>,
    },
    /// Some rows (and perhaps the series) read afresh; the other rows stay.
    RowsLoaded(HistoryView),
    /// The config file changed on disk: its watchlist, or why it cannot be read.
    ConfigChanged(Result<Vec<WatchEntry>, String>),
    /// The config file's `[targets]`, read afresh with its watchlist.
    TargetsChanged(crate::targets::Targets),
    /// Look this item up as if it had been typed into the box (a video given on the
    /// command line).
    LookUp(ItemRef),
    /// Xingtu's daily series of an item: from the store (`fresh` false) or a paid call.
    DailyTrend {
        id: ItemId,
        result: Result<(StoredTrend, bool), ApiError>,
        calls_made: u64,
    },
    /// An alert fired, or its command failed.
    Notice(Notice),
    /// The recent alerts as the store has them, or why they could not be read.
    AlertsLoaded(Result<Vec<Alert>, String>),
    /// SIGTERM, SIGINT or SIGHUP.
    Terminate,
    /// The store could not be reached (a read, a claim, or a try of it failed): why.
    StoreDown(String),
    /// The store answered a try.
    StoreBack,
    /// The account balance was read (or could not be: why).
    BalanceRead(Result<Balance, String>),
    /// The store noted the refresh being measured, under this id.
    BatchNoted(i64),
    /// The price per call as the store now has it; `shared`: the refresh just measured
    /// overlapped another process's calls, so its cost is not its own.
    PriceKnown {
        price: Option<PricePerCall>,
        shared: bool,
    },
}

/// Requests from `update` to the runtime. `update` never performs I/O itself.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    Fetch {
        id: ItemId,
        freshness: Freshness,
    },
    /// Show a cached report of this item, if there is one; never calls.
    Peek(ItemId),
    /// The user acted on a halt: calls may go out again.
    ClearHalt,
    /// Quitting: start no new call; the ones under way finish.
    StopCalls,
    OpenUrl(String),
    Copy(String),
    Watch(WatchOp),
    /// Reload history for the watchlist rows and for the item on screen.
    LoadHistory,
    /// Load the series (and row) of the item on screen only.
    LoadSeries,
    /// Read the account balance (one request; whether it is billed is not documented).
    ReadBalance,
    /// Read the price per call learned so far.
    LoadPrice,
    /// Note in the store that a measured refresh starts (other processes see it).
    BeginBatch,
    /// The measured refresh `id` is over: close its note, keep what it cost (when it was
    /// measured), and send back the price per call.
    FinishBatch {
        id: i64,
        own_fetches: u64,
        learn: Option<(Amount, u64, Option<String>)>,
    },
    /// Ring the terminal bell.
    Bell,
    /// See whether the unreachable store answers again.
    TryStore,
    /// Read the recent alerts from the store.
    LoadAlerts,
    /// Xingtu's daily series of an item: the stored one unless `refresh`, else one paid
    /// call (stored once answered).
    FetchDaily {
        id: ItemId,
        refresh: bool,
    },
    /// Resolve a short link (one free request, none when it was resolved before).
    Resolve {
        link: ShortLink,
        then: AfterResolve,
    },
}

/// What a resolved short link is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AfterResolve {
    LookUp,
    Watch,
}

#[derive(Debug, Clone, PartialEq)]
pub enum WatchOp {
    /// Added while a campaign's tab is shown, a video joins that campaign.
    Add {
        id: ItemId,
        label: Option<String>,
        campaign: Option<String>,
    },
    /// Many items at once (a pasted list), in one write.
    AddAll {
        ids: Vec<ItemId>,
        campaign: Option<String>,
    },
    Remove(ItemId),
    /// Label, campaign and price, as the edit form changed them.
    Set {
        id: ItemId,
        changes: KeyChanges,
    },
}
