//! xingtu-dash: a terminal dashboard and CLI for Douyin Xingtu item reports.
//!
//! Where things are: a keystroke is handled in `app::update` (after `runtime` turns terminal
//! events into actions), a request in `fetcher` (policy) and `api::client` (HTTP), a pixel in
//! `ui`. One-shot commands live in `commands`.

pub mod account;
pub mod alerts;
pub mod api;
pub mod app;
pub mod cli;
pub mod commands;
pub mod csv;
pub mod fetcher;
pub mod format;
pub mod i18n;
pub mod item_id;
pub mod item_list;
pub mod keymap;
pub mod logging;
pub mod money;
pub mod output;
pub mod persist;
pub mod platform;
pub mod price;
pub mod report;
pub mod runtime;
pub mod session;
pub mod settings;
pub mod shortlink;
pub mod stdio;
pub mod store;
pub mod targets;
pub mod terminal;
pub mod trend;
pub mod ui;
pub mod xlsx;
