//! The file's sections as serde types, and how each value is checked as it is read (ranges,
//! durations, ids, prices, dates).

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use secrecy::SecretString;
use serde::Deserialize;
use serde::de::{Deserializer, Error as _};
use serde_spanned::Spanned;

use super::value::Raw;
use crate::alerts::{Metric, Rule};
use crate::item_id::ItemId;
use crate::keymap::Keymap;
use crate::price::Price;
use crate::targets::{Metric as TargetMetric, TargetSet, Targets};

/// The parsed config. Every setting is optional: the file is optional and so is every key.
#[derive(Debug, Default, Clone)]
pub struct Config {
    pub api: ApiSection,
    pub ui: UiSection,
    pub watch: WatchSection,
    pub history: HistorySection,
    pub links: LinksSection,
    pub store: StoreSection,
    pub watchlist: Vec<WatchEntry>,
    /// `[targets]` with each `[targets.campaign."NAME"]` merged over it.
    pub targets: Targets,
    /// The dashboard's keys, with `[keys]` applied.
    pub keys: Keymap,
    /// `[alerts]`: where fired alerts go.
    pub alerts: AlertsSection,
    /// The `[[alert]]` rules, checked.
    pub alert_rules: Vec<Rule>,
    /// Problems the user should hear about that do not stop the app (e.g. file permissions).
    pub warnings: Vec<String>,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct ApiSection {
    /// Wrapped at once so that no Debug output, log line or error can print it.
    #[serde(deserialize_with = "de_token")]
    pub token: Option<SecretString>,
    pub base_url: Option<String>,
    /// `"global"` or `"cn"` (any case), checked here.
    #[serde(deserialize_with = "de_region")]
    pub region: Option<String>,
    /// Seconds.
    #[serde(deserialize_with = "de_timeout")]
    pub timeout: Option<u64>,
    /// `false`: no balance reads of the app's own accord (status bar, spend measuring).
    pub show_balance: Option<bool>,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct UiSection {
    /// `"cn"` or `"intl"` (or what `NumberStyle::parse` accepts), checked here.
    #[serde(deserialize_with = "de_number_style")]
    pub number_style: Option<String>,
    /// `"zh"` or `"en"`, checked here.
    #[serde(deserialize_with = "de_language")]
    pub language: Option<String>,
    pub mouse: Option<bool>,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct WatchSection {
    /// A duration such as `"30m"`, `"1h"`, `"1h30m"`; checked here, used by the caller.
    #[serde(deserialize_with = "de_refresh_interval")]
    pub refresh_interval: Option<String>,
    #[serde(deserialize_with = "de_concurrency")]
    pub concurrency: Option<usize>,
    #[serde(deserialize_with = "de_cache_minutes")]
    pub cache_minutes: Option<u64>,
    /// Items published more than this many days ago are settled: refreshes skip them.
    #[serde(deserialize_with = "de_stop_after_days")]
    pub stop_after_days: Option<u32>,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct HistorySection {
    #[serde(deserialize_with = "de_keep_days")]
    pub keep_days: Option<u32>,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct AlertsSection {
    /// `false` keeps the dashboard's terminal bell quiet when an alert fires.
    pub bell: Option<bool>,
    /// Run through the shell for each fired alert, with the alert as JSON on stdin.
    #[serde(deserialize_with = "de_command")]
    pub command: Option<String>,
}

/// One `[[alert]]` as written; `Rule` once checked.
#[derive(Deserialize)]
pub(super) struct RawAlert {
    #[serde(default, deserialize_with = "de_label")]
    pub(super) name: Option<String>,
    #[serde(deserialize_with = "de_metric")]
    pub(super) metric: Metric,
    #[serde(default, deserialize_with = "de_threshold")]
    pub(super) above: Option<f64>,
    #[serde(default, deserialize_with = "de_threshold")]
    pub(super) below: Option<f64>,
    #[serde(default, deserialize_with = "de_alert_item")]
    pub(super) item: Option<String>,
    #[serde(default, deserialize_with = "de_label")]
    pub(super) campaign: Option<String>,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct LinksSection {
    /// `false` turns short-link resolution off.
    pub resolve: Option<bool>,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct StoreSection {
    /// A team's shared store, `postgres://user:password@host:port/db`; wrapped at once,
    /// since it holds the password. Checked where the store is chosen.
    #[serde(deserialize_with = "de_token")]
    pub url: Option<SecretString>,
}

/// `[targets]`: a minimum for each rate (a fraction of views), a maximum for each cost (CNY);
/// `campaign` holds the per-campaign overrides, in the same shape.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub(super) struct TargetsSection {
    #[serde(deserialize_with = "de_rate_target")]
    like_rate: Option<f64>,
    #[serde(deserialize_with = "de_rate_target")]
    comment_rate: Option<f64>,
    #[serde(deserialize_with = "de_rate_target")]
    share_rate: Option<f64>,
    #[serde(deserialize_with = "de_rate_target")]
    interact_rate: Option<f64>,
    #[serde(deserialize_with = "de_rate_target")]
    finish_rate: Option<f64>,
    #[serde(deserialize_with = "de_cost_target")]
    cpm: Option<f64>,
    #[serde(deserialize_with = "de_cost_target")]
    cpe: Option<f64>,
    campaign: BTreeMap<String, TargetsSection>,
}

impl TargetsSection {
    fn values(&self) -> TargetSet {
        let mut set = TargetSet::default();
        for (metric, value) in [
            (TargetMetric::LikeRate, self.like_rate),
            (TargetMetric::CommentRate, self.comment_rate),
            (TargetMetric::ShareRate, self.share_rate),
            (TargetMetric::InteractRate, self.interact_rate),
            (TargetMetric::FinishRate, self.finish_rate),
            (TargetMetric::Cpm, self.cpm),
            (TargetMetric::Cpe, self.cpe),
        ] {
            set.set(metric, value);
        }
        set
    }

    /// A `campaign` table inside a campaign's is warned about as an unknown key, not used.
    pub(super) fn targets(&self) -> Targets {
        let overrides = self
            .campaign
            .iter()
            .map(|(name, section)| (name.clone(), section.values()))
            .collect();
        Targets::new(self.values(), overrides)
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct WatchEntry {
    #[serde(deserialize_with = "de_item_id")]
    pub item_id: ItemId,
    #[serde(default, deserialize_with = "de_label")]
    pub label: Option<String>,
    #[serde(default, deserialize_with = "de_label")]
    pub campaign: Option<String>,
    /// The fee paid for the video, in CNY.
    #[serde(default, deserialize_with = "de_price")]
    pub price: Option<Price>,
    /// A TOML local date-time (no offset) is taken as UTC, the zone the app writes in.
    #[serde(default, deserialize_with = "de_added_at")]
    pub added_at: Option<DateTime<Utc>>,
}

impl WatchEntry {
    /// An entry with only its id: no label, campaign, price or date added yet.
    pub fn new(item_id: ItemId) -> Self {
        Self {
            item_id,
            label: None,
            campaign: None,
            price: None,
            added_at: None,
        }
    }

    /// Entry `n` of a test's watchlist, where only its campaign matters.
    #[cfg(test)]
    pub(crate) fn numbered(n: u64, campaign: Option<&str>) -> Self {
        let id = ItemId::parse(&(7_566_200_471_448_779_500 + n).to_string());
        Self {
            campaign: campaign.map(str::to_owned),
            ..Self::new(id.unwrap())
        }
    }
}

/// The keys `watch add` and `watch import` give every entry they add.
#[derive(Debug, Default, Clone)]
pub struct SharedKeys {
    pub campaign: Option<String>,
    pub price: Option<Price>,
}

/// What `watch set` changes: `None` leaves a key alone, `Some(None)` (or an empty text)
/// removes it.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct KeyChanges {
    pub label: Option<Option<String>>,
    pub campaign: Option<Option<String>>,
    pub price: Option<Option<Price>>,
}

/// Top-level shape used for deserializing; `Config` adds warnings and drops duplicates.
#[derive(Default, Deserialize)]
#[serde(default)]
pub(super) struct RawConfig {
    pub(super) api: ApiSection,
    pub(super) ui: UiSection,
    pub(super) watch: WatchSection,
    pub(super) history: HistorySection,
    pub(super) links: LinksSection,
    pub(super) store: StoreSection,
    pub(super) watchlist: Vec<WatchEntry>,
    pub(super) targets: TargetsSection,
    pub(super) keys: BTreeMap<String, Spanned<KeyNames>>,
    pub(super) alerts: AlertsSection,
    pub(super) alert: Vec<Spanned<RawAlert>>,
}

/// `refetch = "f"` or `refetch = ["f", "F5"]`.
pub(super) struct KeyNames(pub(super) Vec<String>);

impl<'de> Deserialize<'de> for KeyNames {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        const HINT: &str =
            r#"a key is written like "f", "Ctrl-R" or "F5", or a list like ["f", "F5"]"#;
        match Raw::deserialize(d)? {
            Raw::String(key) => Ok(KeyNames(vec![key])),
            Raw::Array(keys) => keys
                .into_iter()
                .map(|k| match k {
                    Raw::String(key) => Ok(key),
                    _ => Err(D::Error::custom(HINT)),
                })
                .collect::<Result<_, _>>()
                .map(KeyNames),
            _ => Err(D::Error::custom(HINT)),
        }
    }
}

/// The accepted range of every numeric setting, stated in the error when a value is outside.
pub const TIMEOUT_SECS: (u64, u64) = (1, 3600);

pub const CONCURRENCY: (usize, usize) = (1, 64);

/// A week: the response cache keeps nothing older (`cache::RETENTION`).
pub const CACHE_MINUTES: (u64, u64) = (0, 7 * 24 * 60);

/// Xingtu's own figure is 45; a day at least, ten years at most.
pub const STOP_AFTER_DAYS: (u32, u32) = (1, 3650);

/// At least a day: history is pruned on every run, so 0 would delete it all each time.
pub const KEEP_DAYS: (u32, u32) = (1, 36500);

/// Auto-refresh: paid calls every few seconds would drain a balance by accident; more than a
/// week apart is not a dashboard refresh.
pub const REFRESH_MIN: chrono::Duration = chrono::Duration::minutes(5);

pub const REFRESH_MAX: chrono::Duration = chrono::Duration::days(7);

/// A whole number in `lo..=hi`, or an error that states the range.
fn whole_in_range<'de, D, T>(
    d: D,
    what: &str,
    (lo, hi): (T, T),
    unit: &str,
) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: TryFrom<i64> + PartialOrd + Copy + std::fmt::Display,
{
    let range = format!("{what} must be from {lo} to {hi}{unit}");
    match Raw::deserialize(d)? {
        Raw::Integer(i) => T::try_from(i)
            .ok()
            .filter(|v| *v >= lo && *v <= hi)
            .map(Some)
            .ok_or_else(|| D::Error::custom(format!("{range}; {i} is out of range"))),
        other => Err(D::Error::custom(format!(
            "{range}; a {} is not a whole number",
            other.type_str()
        ))),
    }
}

/// A string that `accept` takes, or an error that names the choices.
fn one_of<'de, D: Deserializer<'de>>(
    d: D,
    what: &str,
    choices: &str,
    accept: fn(&str) -> bool,
) -> Result<Option<String>, D::Error> {
    match Raw::deserialize(d)? {
        Raw::String(s) if accept(&s) => Ok(Some(s)),
        _ => Err(D::Error::custom(format!("{what} must be {choices}"))),
    }
}

fn de_region<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    one_of(d, "[api] region", "\"global\" or \"cn\"", |s| {
        matches!(s.trim().to_ascii_lowercase().as_str(), "global" | "cn")
    })
}

fn de_language<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    one_of(d, "[ui] language", "\"zh\" or \"en\"", |s| {
        crate::i18n::Lang::parse(s).is_some()
    })
}

fn de_number_style<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    one_of(d, "[ui] number_style", "\"cn\" or \"intl\"", |s| {
        crate::format::NumberStyle::parse(s).is_some()
    })
}

fn de_timeout<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    whole_in_range(d, "[api] timeout", TIMEOUT_SECS, " seconds")
}

fn de_concurrency<'de, D: Deserializer<'de>>(d: D) -> Result<Option<usize>, D::Error> {
    whole_in_range(d, "[watch] concurrency", CONCURRENCY, "")
}

fn de_cache_minutes<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    whole_in_range(d, "[watch] cache_minutes", CACHE_MINUTES, " (7 days)")
}

fn de_stop_after_days<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u32>, D::Error> {
    whole_in_range(d, "[watch] stop_after_days", STOP_AFTER_DAYS, "")
}

fn de_keep_days<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u32>, D::Error> {
    whole_in_range(d, "[history] keep_days", KEEP_DAYS, "")
}

/// Below the minimum is raised to it with a note (`settings::refresh_interval`); above the
/// maximum, or not a duration, is an error.
fn de_refresh_interval<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    const SHAPE: &str =
        "[watch] refresh_interval must be a duration like \"30m\", \"1h\" or \"1h30m\"";
    let raw = match Raw::deserialize(d)? {
        Raw::String(s) => s,
        other => {
            return Err(D::Error::custom(format!(
                "{SHAPE}, not a {}",
                other.type_str()
            )));
        }
    };
    // Digits and units that are no positive duration are zero or too large: out of range.
    let shaped = raw
        .trim()
        .chars()
        .all(|c| c.is_ascii_digit() || c.is_whitespace() || "dhmsDHMS".contains(c))
        && raw.trim().starts_with(|c: char| c.is_ascii_digit());
    match parse_duration(&raw) {
        Some(every) if every <= REFRESH_MAX => Ok(Some(raw)),
        None if !shaped => Err(D::Error::custom(SHAPE)),
        _ => Err(D::Error::custom(
            "[watch] refresh_interval must be from 5m to 7d; leave it out to turn auto-refresh off",
        )),
    }
}

/// "1h30m", "45m", "90s", "2d", or a bare number of minutes (any unit humantime knows,
/// in any case: "45M" is minutes here, never months). `None` when it is not a positive
/// duration or too large for a date calculation.
pub fn parse_duration(raw: &str) -> Option<chrono::Duration> {
    let s = raw.trim().to_ascii_lowercase();
    if let Ok(minutes) = s.parse::<i64>() {
        return chrono::Duration::try_minutes(minutes).filter(|d| *d > chrono::Duration::zero());
    }
    let std = humantime::parse_duration(&s).ok()?;
    chrono::Duration::from_std(std)
        .ok()
        .filter(|d| *d > chrono::Duration::zero())
}

fn de_token<'de, D: Deserializer<'de>>(d: D) -> Result<Option<SecretString>, D::Error> {
    Ok(Option::<String>::deserialize(d)?.map(SecretString::from))
}

fn de_label<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(Option::<String>::deserialize(d)?.filter(|l| !l.trim().is_empty()))
}

/// A metric an alert can watch, or an error that lists them.
fn de_metric<'de, D: Deserializer<'de>>(d: D) -> Result<Metric, D::Error> {
    let known = Metric::names();
    match Raw::deserialize(d)? {
        Raw::String(s) => Metric::from_name(&s).ok_or_else(|| {
            D::Error::custom(format!(
                "[[alert]] metric {s:?} is not one the app knows; known metrics: {known}"
            ))
        }),
        other => Err(D::Error::custom(format!(
            "[[alert]] metric must be a string, one of: {known}; not a {}",
            other.type_str()
        ))),
    }
}

/// A number (`1000000`, `0.02`), or a percentage as a string (`"2%"` = 0.02).
fn de_threshold<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    const SHAPE: &str =
        "[[alert]] above and below take a number (1000000, 0.02) or a percentage (\"2%\")";
    let value = match Raw::deserialize(d)? {
        Raw::Integer(i) => i as f64,
        Raw::Float(f) => f,
        Raw::String(s) => s
            .trim()
            .strip_suffix('%')
            .and_then(|p| p.trim().parse::<f64>().ok())
            .map(|p| p / 100.0)
            .ok_or_else(|| D::Error::custom(format!("{SHAPE}; {s:?} is neither")))?,
        other => {
            return Err(D::Error::custom(format!(
                "{SHAPE}; not a {}",
                other.type_str()
            )));
        }
    };
    if value.is_finite() {
        Ok(Some(value))
    } else {
        Err(D::Error::custom(format!("{SHAPE}; {value} is not one")))
    }
}

/// A video id or a link with one in it (a short link would need a request to resolve).
fn de_alert_item<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let raw = match Raw::deserialize(d)? {
        Raw::String(s) => s,
        Raw::Integer(i) => i.to_string(),
        other => {
            return Err(D::Error::custom(format!(
                "[[alert]] item must be a video id like \"7566200471448779514\", not a {}",
                other.type_str()
            )));
        }
    };
    match crate::item_id::ItemRef::parse(&raw) {
        Ok(crate::item_id::ItemRef::Id(id)) => Ok(Some(id.to_string())),
        Ok(crate::item_id::ItemRef::Short(_)) => Err(D::Error::custom(
            "[[alert]] item: give the video id (a short link is not resolved here)",
        )),
        Err(e) => Err(D::Error::custom(format!("[[alert]] item: {e}"))),
    }
}

fn de_command<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    match Raw::deserialize(d)? {
        Raw::String(s) if s.trim().is_empty() => Ok(None),
        Raw::String(s) => Ok(Some(s)),
        other => Err(D::Error::custom(format!(
            "[alerts] command must be a string (a shell command), not a {}",
            other.type_str()
        ))),
    }
}

/// Ids are strings, but a hand-written bare number is accepted: it fits in an i64.
/// A bare id, a number, or a Douyin link holding one: read as the id, so every use of the
/// watchlist has it checked once. Anything else is an error at the entry.
fn de_item_id<'de, D: Deserializer<'de>>(d: D) -> Result<ItemId, D::Error> {
    let raw = match Raw::deserialize(d)? {
        Raw::String(s) => s,
        Raw::Integer(i) => i.to_string(),
        other => {
            return Err(D::Error::custom(format!(
                "item_id must be a string like \"7566200471448779514\", not a {}",
                other.type_str()
            )));
        }
    };
    ItemId::parse(&raw).map_err(|e| D::Error::custom(format!("watchlist entry: item_id {e}")))
}

fn de_price<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Price>, D::Error> {
    match Raw::deserialize(d)? {
        Raw::Integer(n) => Price::from_whole(n).map(Some),
        Raw::Float(x) => Price::from_decimal(x).map(Some),
        other => Err(format!(
            "price must be a number of CNY like 1200 or 1200.50, not a {}",
            other.type_str()
        )),
    }
    .map_err(D::Error::custom)
}

/// A rate target: a fraction of views (`0.02`) or a percentage (`"2%"`), from 0 to 1.
fn de_rate_target<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    const SHAPE: &str = "a rate target is a fraction of views from 0 to 1, like 0.02 or \"2%\"";
    let value = match Raw::deserialize(d)? {
        Raw::Integer(n) => n as f64,
        Raw::Float(x) => x,
        Raw::String(s) => {
            let text = s.trim();
            let number = |t: &str| t.trim().parse::<f64>().ok().filter(|x| x.is_finite());
            match text.strip_suffix(['%', '％']) {
                Some(percent) => number(percent).map(|x| x / 100.0),
                None => number(text),
            }
            .ok_or_else(|| D::Error::custom(format!("{SHAPE}; {s:?} is not one")))?
        }
        other => {
            return Err(D::Error::custom(format!(
                "{SHAPE}, not a {}",
                other.type_str()
            )));
        }
    };
    if !(0.0..=1.0).contains(&value) {
        let hint = if value > 1.0 && value <= 100.0 {
            format!(" (for {value}% write \"{value}%\" or {})", value / 100.0)
        } else {
            String::new()
        };
        return Err(D::Error::custom(format!(
            "{SHAPE}; {value} is out of range{hint}"
        )));
    }
    Ok(Some(value))
}

/// A cost target (CPM or CPE): a fee in CNY, written as a number or as `--price` takes it.
fn de_cost_target<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    match Raw::deserialize(d)? {
        Raw::Integer(n) => Price::from_whole(n),
        Raw::Float(x) => Price::from_decimal(x),
        Raw::String(s) => Price::parse(&s),
        other => Err(format!(
            "a cost target is an amount in CNY like 30 or 2.5, not a {}",
            other.type_str()
        )),
    }
    .map(|p| Some(p.as_f64()))
    .map_err(|e| D::Error::custom(format!("cost target: {e}")))
}

fn de_added_at<'de, D: Deserializer<'de>>(d: D) -> Result<Option<DateTime<Utc>>, D::Error> {
    const HINT: &str = "added_at must be a date-time like 2026-11-20T08:15:02Z";
    match Raw::deserialize(d)? {
        Raw::Datetime(dt) => toml_to_utc(&dt)
            .map(Some)
            .ok_or_else(|| D::Error::custom(HINT)),
        Raw::String(s) => DateTime::parse_from_rfc3339(s.trim())
            .map(|dt| Some(dt.with_timezone(&Utc)))
            .map_err(|_| D::Error::custom(HINT)),
        _ => Err(D::Error::custom(HINT)),
    }
}

/// Offset and local date-times, or a bare date (midnight); a bare time has no date to use.
fn toml_to_utc(dt: &toml_edit::Datetime) -> Option<DateTime<Utc>> {
    let date = dt.date?;
    let date = NaiveDate::from_ymd_opt(date.year.into(), date.month.into(), date.day.into())?;
    let naive = match dt.time {
        Some(t) => date.and_hms_nano_opt(
            t.hour.into(),
            t.minute.into(),
            t.second.unwrap_or(0).into(),
            t.nanosecond.unwrap_or(0),
        )?,
        None => date.and_hms_opt(0, 0, 0)?,
    };
    let offset_minutes = match dt.offset {
        Some(toml_edit::Offset::Custom { minutes }) => i64::from(minutes),
        Some(toml_edit::Offset::Z) | None => 0,
    };
    Some(naive.and_utc() - chrono::Duration::minutes(offset_minutes))
}

#[cfg(all(test, unix))]
mod tests {
    use chrono::{TimeZone, Utc};
    use secrecy::ExposeSecret;

    use crate::store::config::testing::{TOKEN, at, parse_err, setup};

    #[test]
    fn values_out_of_range_are_errors_that_state_the_range() {
        let cases = [
            (
                "[api]\ntimeout = 0\n",
                (2, 11),
                "[api] timeout must be from 1 to 3600 seconds",
            ),
            (
                "[api]\ntimeout = 3601\n",
                (2, 11),
                "[api] timeout must be from 1 to 3600 seconds",
            ),
            (
                "[api]\ntimeout = -1\n",
                (2, 11),
                "[api] timeout must be from 1 to 3600 seconds",
            ),
            (
                "[watch]\nconcurrency = 0\n",
                (2, 15),
                "[watch] concurrency must be from 1 to 64",
            ),
            (
                "[watch]\nconcurrency = 65\n",
                (2, 15),
                "[watch] concurrency must be from 1 to 64",
            ),
            (
                "[watch]\ncache_minutes = 99999999999999999\n",
                (2, 17),
                "[watch] cache_minutes must be from 0 to 10080 (7 days)",
            ),
            (
                "[watch]\ncache_minutes = -5\n",
                (2, 17),
                "[watch] cache_minutes must be from 0 to 10080 (7 days)",
            ),
            (
                "[watch]\nrefresh_interval = \"999999999999999d\"\n",
                (2, 20),
                "[watch] refresh_interval must be from 5m to 7d",
            ),
            (
                "[watch]\nrefresh_interval = \"8d\"\n",
                (2, 20),
                "[watch] refresh_interval must be from 5m to 7d",
            ),
            (
                "[watch]\nrefresh_interval = \"soon\"\n",
                (2, 20),
                "[watch] refresh_interval must be a duration like \"30m\", \"1h\" or \"1h30m\"",
            ),
            (
                "[watch]\nrefresh_interval = 30\n",
                (2, 20),
                "[watch] refresh_interval must be a duration like \"30m\", \"1h\" or \"1h30m\"",
            ),
            (
                "[history]\nkeep_days = 0\n",
                (2, 13),
                "[history] keep_days must be from 1 to 36500",
            ),
            (
                "[api]\nregion = \"china\"\n",
                (2, 10),
                "[api] region must be \"global\" or \"cn\"",
            ),
            (
                "[api]\nregion = 1\n",
                (2, 10),
                "[api] region must be \"global\" or \"cn\"",
            ),
            (
                "[ui]\nnumber_style = \"wan\"\n",
                (2, 16),
                "[ui] number_style must be \"cn\" or \"intl\"",
            ),
            (
                "[ui]\nlanguage = \"fr\"\n",
                (2, 12),
                "[ui] language must be \"zh\" or \"en\"",
            ),
        ];
        for (text, at, expected) in cases {
            let (_dir, file) = setup(Some(text));
            let (line, column, message) = parse_err(file.load());
            assert_eq!((line, column), at, "{text}");
            assert!(message.starts_with(expected), "{text}: {message}");
        }
        // The edges are accepted.
        let (_dir, file) = setup(Some(
            "[api]\ntimeout = 3600\n[watch]\nconcurrency = 64\ncache_minutes = 0\nrefresh_interval = \"7d\"\n[history]\nkeep_days = 36500\n",
        ));
        let c = file.load().unwrap();
        assert_eq!(c.api.timeout, Some(3600));
        assert_eq!(c.watch.cache_minutes, Some(0));
    }

    #[test]
    fn added_at_accepts_several_forms() {
        let (_dir, file) = setup(Some(
            r#"
[[watchlist]]
item_id = "7000000000000000011"
label = "offset"
added_at = 2026-11-20T08:15:02Z
[[watchlist]]
item_id = "7000000000000000012"
label = "custom-offset"
added_at = 2026-11-20T16:15:02+08:00
[[watchlist]]
item_id = "7000000000000000013"
label = "local"
added_at = 2026-11-20T08:15:02
[[watchlist]]
item_id = "7000000000000000014"
label = "string"
added_at = "2026-11-20T08:15:02Z"
[[watchlist]]
item_id = "7000000000000000015"
label = "string-offset"
added_at = "2026-11-20T03:15:02.5-05:00"
[[watchlist]]
item_id = "7000000000000000016"
label = "date-only"
added_at = 2026-11-20
[[watchlist]]
item_id = "7000000000000000017"
label = "missing"
"#,
        ));
        let c = file.load().unwrap();
        let got: Vec<_> = c
            .watchlist
            .iter()
            .map(|e| (e.label.as_deref().unwrap_or_default(), e.added_at))
            .collect();
        let t = Some(at("2026-11-20T08:15:02Z"));
        assert_eq!(
            got,
            vec![
                ("offset", t),
                ("custom-offset", t),
                ("local", t),
                ("string", t),
                ("string-offset", Some(at("2026-11-20T08:15:02.5Z"))),
                (
                    "date-only",
                    Some(Utc.with_ymd_and_hms(2026, 11, 20, 0, 0, 0).unwrap())
                ),
                ("missing", None),
            ]
        );
    }

    #[test]
    fn bad_added_at_is_a_parse_error_at_the_value() {
        let (_dir, file) = setup(Some(
            "[[watchlist]]\nitem_id = \"7000000000000000001\"\nadded_at = \"yesterday\"\n",
        ));
        let (line, column, message) = parse_err(file.load());
        assert_eq!((line, column), (3, 12));
        assert!(message.contains("2026-11-20T08:15:02Z"), "{message}");
    }

    // ---- the token stays secret ----
    #[test]
    fn token_never_appears_in_debug_output() {
        let (_dir, file) = setup(Some(&format!("[api]\ntoken = \"{TOKEN}\"\n")));
        let config = file.load().unwrap();
        assert!(!format!("{config:?}").contains(TOKEN));
        assert!(!format!("{:?}", config.clone()).contains(TOKEN));
        assert_eq!(config.api.token.unwrap().expose_secret(), TOKEN);
    }
}
