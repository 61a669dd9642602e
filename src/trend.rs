//! Xingtu's own daily series of a video (the trend endpoint): reading its lenient shape into
//! one value per day and metric.
//!
//! `data.date_values` holds `<metric>_list` arrays of `{"visit_date": 20251020, "value":
//! "1234"}`; each value is that day's increment, not a running total. Only `vv_list` (views)
//! is confirmed, so every `*_list` found is kept under its prefix. Numbers may be strings,
//! lists may be empty or missing, and an entry that cannot be read is skipped, never fatal.

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::Value;

/// The metric Xingtu names `vv`: daily new views.
pub const VIEWS: &str = "vv";

/// One day of one metric.
#[derive(Debug, Clone, PartialEq)]
pub struct DayValue {
    pub date: NaiveDate,
    pub metric: String,
    pub value: f64,
}

impl DayValue {
    /// The value as JSON: a whole number when it is one (counts), else a decimal.
    pub fn json_value(&self) -> Value {
        number_json(self.value)
    }
}

/// A whole number as an integer, anything else as a float.
pub fn number_json(v: f64) -> Value {
    if v.fract() == 0.0 && v.abs() < 9.0e15 {
        Value::from(v as i64)
    } else {
        Value::from(v)
    }
}

/// The trend of one item as stored: when it was fetched, and its days.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredTrend {
    pub fetched_at: DateTime<Utc>,
    /// Ordered by date, then metric.
    pub days: Vec<DayValue>,
}

impl StoredTrend {
    /// The metrics present, in a stable order: views first, then by name.
    pub fn metrics(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self.days.iter().map(|d| d.metric.as_str()).collect();
        names.sort_by_key(|m| (*m != VIEWS, *m));
        names.dedup();
        names
    }

    /// One metric's days, oldest first.
    pub fn series(&self, metric: &str) -> Vec<(NaiveDate, f64)> {
        self.days
            .iter()
            .filter(|d| d.metric == metric)
            .map(|d| (d.date, d.value))
            .collect()
    }
}

/// Every readable day of every `*_list` under `data.date_values` (or right under `data`,
/// should the wrapper ever be dropped), ordered by date then metric; a day given twice in
/// one list keeps its last value.
pub fn parse(data: &Value) -> Vec<DayValue> {
    let Some(lists) = data
        .get("date_values")
        .and_then(Value::as_object)
        .or_else(|| data.as_object())
    else {
        return Vec::new();
    };
    let mut days: std::collections::BTreeMap<(NaiveDate, String), f64> = Default::default();
    for (key, list) in lists {
        let Some(metric) = key.strip_suffix("_list").filter(|m| !m.is_empty()) else {
            continue;
        };
        let Some(entries) = list.as_array() else {
            continue;
        };
        for entry in entries {
            let (Some(date), Some(value)) = (
                entry.get("visit_date").and_then(date_of),
                entry.get("value").and_then(number_of),
            ) else {
                continue;
            };
            days.insert((date, metric.to_owned()), value);
        }
    }
    days.into_iter()
        .map(|((date, metric), value)| DayValue {
            date,
            metric,
            value,
        })
        .collect()
}

/// `20251020` (also `20251020.0`), `"20251020"` or `"2025-10-20"`.
fn date_of(v: &Value) -> Option<NaiveDate> {
    let text = match v {
        Value::Number(n) => match n.as_u64() {
            Some(n) => n.to_string(),
            None => {
                let f = n
                    .as_f64()
                    .filter(|f| f.fract() == 0.0 && *f > 0.0 && *f < 1e9)?;
                (f as u64).to_string()
            }
        },
        Value::String(s) => s.trim().to_owned(),
        _ => return None,
    };
    NaiveDate::parse_from_str(&text, "%Y%m%d")
        .or_else(|_| NaiveDate::parse_from_str(&text, "%Y-%m-%d"))
        .ok()
}

/// A finite number, or a string of one (`"1234"`, `"1,234"`, `" 12.5 "`).
fn number_of(v: &Value) -> Option<f64> {
    let n = match v {
        Value::Number(n) => n.as_f64()?,
        Value::String(s) => s.trim().replace(',', "").parse().ok()?,
        _ => return None,
    };
    n.is_finite().then_some(n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn strings_or_numbers_and_every_list_by_its_prefix() {
        let data = json!({"base_resp": {}, "date_values": {
            "vv_list": [{"visit_date": 20251020, "value": "1234"}, {"visit_date": "20251021", "value": 99}],
            "fans_gain_list": [{"visit_date": 20251020, "value": 2.5}],
        }});
        let days = parse(&data);
        assert_eq!(
            days,
            vec![
                DayValue {
                    date: day(2025, 10, 20),
                    metric: "fans_gain".into(),
                    value: 2.5
                },
                DayValue {
                    date: day(2025, 10, 20),
                    metric: "vv".into(),
                    value: 1234.0
                },
                DayValue {
                    date: day(2025, 10, 21),
                    metric: "vv".into(),
                    value: 99.0
                },
            ]
        );
        assert_eq!(days[1].json_value(), json!(1234));
        assert_eq!(days[0].json_value(), json!(2.5));
    }

    #[test]
    fn empty_missing_and_junk_are_skipped_not_fatal() {
        for data in [
            json!({}),
            json!({"date_values": null}),
            json!({"date_values": {"vv_list": []}}),
            json!({"date_values": {"vv_list": null, "_list": [{"visit_date": 20251020, "value": 1}]}}),
            json!({"date_values": {"vv": [{"visit_date": 20251020, "value": 1}]}}),
            json!({"base_resp": {"status_code": 0}}),
        ] {
            assert!(parse(&data).is_empty(), "{data}");
        }
        let data = json!({"date_values": {"vv_list": [
            "junk", 7, {"visit_date": 20251399, "value": 1}, {"visit_date": 20251020},
            {"visit_date": 20251020, "value": "n/a"}, {"visit_date": 20251020, "value": "NaN"},
            {"visit_date": "2025-10-22", "value": "1,500"},
        ]}});
        assert_eq!(
            parse(&data),
            vec![DayValue {
                date: day(2025, 10, 22),
                metric: "vv".into(),
                value: 1500.0
            }]
        );
    }

    #[test]
    fn lists_right_under_data_and_float_dates_are_read_too() {
        let data = json!({"vv_list": [{"visit_date": 20251020.0, "value": "3"}], "base_resp": {}});
        assert_eq!(
            parse(&data),
            vec![DayValue {
                date: day(2025, 10, 20),
                metric: "vv".into(),
                value: 3.0
            }]
        );
    }

    #[test]
    fn a_day_given_twice_keeps_the_last_value() {
        let data = json!({"date_values": {"vv_list": [
            {"visit_date": 20251020, "value": 1}, {"visit_date": 20251020, "value": 2},
        ]}});
        let days = parse(&data);
        assert_eq!(days.len(), 1);
        assert_eq!(days[0].value, 2.0);
    }

    #[test]
    fn metrics_put_views_first() {
        let t = StoredTrend {
            fetched_at: Utc::now(),
            days: parse(&json!({"date_values": {
                "a_list": [{"visit_date": 20251020, "value": 1}],
                "vv_list": [{"visit_date": 20251020, "value": 1}, {"visit_date": 20251021, "value": 3}],
            }})),
        };
        assert_eq!(t.metrics(), vec!["vv", "a"]);
        assert_eq!(
            t.series("vv"),
            vec![(day(2025, 10, 20), 1.0), (day(2025, 10, 21), 3.0)]
        );
    }
}
