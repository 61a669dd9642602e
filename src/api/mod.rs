//! The remote endpoint: one HTTP call (`client`), reading its envelope (`envelope`), what its
//! errors mean (`error`), and the bundled demo data that stands in for it (`demo`).

pub mod client;
pub mod demo;
pub mod envelope;
pub mod error;

use serde_json::Value;

pub use client::ApiClient;
pub use error::{ApiError, Disposition};

use crate::item_id::ItemId;

/// Which paid endpoint a call goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Call {
    /// The item report (the lookups).
    Report,
    /// Xingtu's daily series of the item (`trend`, `T`).
    Trend,
}

/// Where reports come from: the provider, or the demo data. Everything downstream of the
/// parsed envelope is the same for both.
#[derive(Debug)]
pub enum Backend {
    Http(ApiClient),
    Demo(demo::DemoData),
    /// No lookups: the config file could not be read, so its base URL, region and timeout
    /// are unknown. The dashboard refuses lookups itself; this makes sure none is ever sent.
    Off(String),
}

impl Backend {
    /// One attempt at one item, at either endpoint: the envelope's `data` object.
    pub async fn call(&self, call: Call, id: &ItemId) -> Result<Value, ApiError> {
        match (self, call) {
            (Backend::Http(client), _) => client.call(call, id).await,
            (Backend::Demo(demo), Call::Report) => demo.fetch(id),
            (Backend::Demo(demo), Call::Trend) => demo.trend(id),
            (Backend::Off(why), _) => Err(ApiError::Network {
                detail: format!("lookups are off: {why}"),
            }),
        }
    }

    /// One read of the account balance (never retried: it only informs).
    pub async fn balance(&self) -> Result<crate::account::Balance, ApiError> {
        let data = match self {
            Backend::Http(client) => client.balance().await?,
            Backend::Demo(_) => {
                return Err(ApiError::Network {
                    detail: "the demo has no account, so no balance".into(),
                });
            }
            Backend::Off(why) => {
                return Err(ApiError::Network {
                    detail: format!("calls are off: {why}"),
                });
            }
        };
        crate::account::Balance::from_data(&data).map_err(|detail| ApiError::BadResponse {
            status: 200,
            detail,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn lookups_off_never_reach_the_network() {
        let off = Backend::Off("config.toml:1:2: bad".into());
        let id = ItemId::parse("7566200471448779514").unwrap();
        let err = off.call(Call::Report, &id).await.unwrap_err();
        assert!(
            err.to_string().contains("lookups are off: config.toml:1:2"),
            "{err}"
        );
    }
}
