//! The dashboard's state machine: `state` (what it knows), `action` (what happens to it),
//! `update` (the one function that changes state), `sort`, `input`, `quit` and `account`
//! (the balance and what refreshes cost; helpers of update); `tabs` (campaigns as tabs),
//! `form` (the edit form), `figures` (the newest figures of a row and the metrics read from
//! them), `store_down` (lookups off while the store is unreachable) and `demo_history` (the
//! demo's watchlist and made-up history).
//!
//! The screen's geometry lives here too, as plain data both sides read: `layout` (where each
//! pane goes), `tab_strip` (where each campaign tab goes), `compare` and `help` (what those
//! views hold and how far they scroll). `ui` draws from them and `update` maps keys and clicks
//! with the same numbers, so `app` never reads `ui`.

pub mod account;
pub mod action;
pub mod compare;
pub mod demo_history;
pub mod figures;
pub mod form;
pub mod help;
pub mod input;
pub mod layout;
pub mod quit;
pub mod sort;
pub mod state;
pub mod store_down;
pub mod tab_strip;
pub mod tabs;
pub mod update;

pub use action::{Action, AfterResolve, Effect, WatchOp};
pub use state::App;
pub use update::{settle, update};
