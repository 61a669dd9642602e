//! The dashboard's state machine: `state` (what it knows), `action` (what happens to it),
//! `update` (the one function that changes state), `sort`, `input`, `quit` and `account`
//! (the balance and what refreshes cost; helpers of update), and `demo_history` (the
//! made-up history the demo shows).

pub mod account;
pub mod action;
pub mod demo_history;
pub mod input;
pub mod quit;
pub mod sort;
pub mod state;
pub mod update;

pub use action::{Action, AfterResolve, Effect, WatchOp};
pub use state::App;
pub use update::{settle, update};
