//! xingtu-dash: a terminal dashboard and CLI for Douyin Xingtu item reports.

pub mod store;
