//! Everything that persists between runs: the TOML config (with the watchlist), the response
//! cache and the metric history.

pub mod cache;
pub mod config;
mod fsutil;
pub mod history;
mod known_keys;
pub mod shortlinks;
