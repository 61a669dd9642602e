//! Demo mode: answers lookups from the envelopes bundled in `assets/demo/`, through the same
//! envelope parser as real responses, so the demo exercises the real code path.

use std::collections::BTreeMap;

use serde_json::Value;

use super::envelope::{RawResponse, interpret};
use super::error::ApiError;
use crate::item_id::ItemId;

/// The provider's published example, verbatim.
pub const EXAMPLE_ID: &str = "7566200471448779514";
const EXAMPLE: &str = include_str!("../../assets/demo/item_report_detail_ok.json");
/// Invented items: Chinese titles, emoji, counts as numbers, a missing music_info, zero views.
const MORE: &str = include_str!("../../assets/demo/more_items.json");

#[derive(Debug, Clone)]
pub struct DemoData {
    envelopes: BTreeMap<String, String>,
}

impl DemoData {
    pub fn bundled() -> DemoData {
        let mut envelopes = BTreeMap::new();
        envelopes.insert(EXAMPLE_ID.to_owned(), EXAMPLE.to_owned());
        if let Ok(Value::Object(more)) = serde_json::from_str::<Value>(MORE) {
            for (id, envelope) in more {
                envelopes.insert(id, envelope.to_string());
            }
        }
        DemoData { envelopes }
    }

    /// Every id the demo can answer, the provider's example first.
    pub fn ids(&self) -> Vec<String> {
        let mut ids: Vec<String> = self.envelopes.keys().cloned().collect();
        ids.sort_by_key(|id| id != EXAMPLE_ID);
        ids
    }

    pub fn fetch(&self, id: &ItemId) -> Result<Value, ApiError> {
        let unknown;
        let body = match self.envelopes.get(id.as_str()) {
            Some(envelope) => envelope.as_str(),
            None => {
                unknown = serde_json::json!({
                    "code": 400,
                    "data": null,
                    "message": format!(
                        "Invalid Parameters (demo mode has no data for this id; try {})",
                        self.ids().join(", ")
                    ),
                })
                .to_string();
                &unknown
            }
        };
        interpret(&RawResponse {
            status: 200,
            retry_after: None,
            content_type: Some("application/json"),
            body: body.as_bytes(),
        })
    }
}

impl DemoData {
    /// Xingtu's daily series as the trend endpoint would send it: the 30 days up to
    /// yesterday (so it meets the demo's week of snapshots), views as strings and likes as
    /// numbers (both are seen), adding up to the bundled totals.
    pub fn trend(&self, id: &ItemId) -> Result<Value, ApiError> {
        let data = self.fetch(id)?;
        let report = crate::report::Report::from_data(id.as_str(), &data);
        let days = 30;
        let start = chrono::Utc::now().date_naive() - chrono::Duration::days(days);
        // Most views come in the first days, then fewer each day.
        let weights: Vec<f64> = (0..days).map(|d| (-(d as f64) / 5.0).exp()).collect();
        let total: f64 = weights.iter().sum();
        let list = |count: Option<u64>, as_text: bool| -> Vec<Value> {
            let count = count.unwrap_or(0) as f64;
            weights
                .iter()
                .enumerate()
                .map(|(d, w)| {
                    let date = start + chrono::Duration::days(d as i64);
                    let n = (count * w / total).round() as u64;
                    let value = if as_text {
                        Value::from(n.to_string())
                    } else {
                        Value::from(n)
                    };
                    serde_json::json!({
                        "visit_date": date.format("%Y%m%d").to_string().parse::<u64>().unwrap_or(0),
                        "value": value,
                    })
                })
                .collect()
        };
        Ok(serde_json::json!({
            "base_resp": {"status_code": 0, "status_message": ""},
            "date_values": {
                "vv_list": list(report.video.vv_cnt, true),
                "like_list": list(report.video.like_cnt, false),
            },
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Report;

    #[test]
    fn every_bundled_item_parses_into_a_report() {
        let demo = DemoData::bundled();
        assert!(demo.ids().len() >= 5);
        assert_eq!(demo.ids()[0], EXAMPLE_ID);
        for id in demo.ids() {
            let item = ItemId::parse(&id).unwrap();
            let data = demo.fetch(&item).unwrap();
            let report = Report::from_data(&id, &data);
            assert!(report.author.name.is_some(), "{id}");
            assert!(report.video.title.is_some(), "{id}");
        }
    }

    #[test]
    fn unknown_ids_fail_like_the_provider_does() {
        let demo = DemoData::bundled();
        let err = demo
            .fetch(&ItemId::parse("1234567890123456789").unwrap())
            .unwrap_err();
        assert_eq!(err.code(), Some(400));
    }
}
