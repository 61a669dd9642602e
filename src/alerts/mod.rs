//! Alert rules (`[[alert]]` in the config file) and what they say about a fetch: pure logic,
//! no I/O. A rule watches one metric of every fetched item (or one item, or one campaign)
//! and fires once when the value crosses its line; it fires again only after the value has
//! gone back across. The crossing state lives in the store (`Store::observe_alerts`), so it
//! holds across processes (the dashboard, `get`, cron's `watch refresh`).
//!
//! `command` runs the user's `[alerts] command` for each alert; `watcher` evaluates the rules
//! after each stored batch.

pub mod command;
pub mod watcher;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::store::Snapshot;

macro_rules! metrics {
    ($($variant:ident = $name:literal,)*) => {
        /// What a rule can watch. The names are what `metric = "…"` takes.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Metric { $($variant,)* }

        impl Metric {
            pub const ALL: &[Metric] = &[$(Metric::$variant,)*];

            pub fn name(self) -> &'static str {
                match self { $(Metric::$variant => $name,)* }
            }
        }
    };
}

metrics! {
    Views = "views",
    Likes = "likes",
    Comments = "comments",
    Shares = "shares",
    Saves = "saves",
    LikeRate = "like_rate",
    CommentRate = "comment_rate",
    ShareRate = "share_rate",
    CollectRate = "collect_rate",
    InteractRate = "interact_rate",
    FinishRate = "finish_rate",
    ViewsPerHour = "views_per_hour",
    Cpm = "cpm",
    Cpe = "cpe",
}

impl Metric {
    pub fn from_name(name: &str) -> Option<Metric> {
        let name = name.trim().to_ascii_lowercase().replace('-', "_");
        Metric::ALL.iter().copied().find(|m| m.name() == name)
    }

    /// Every name, for the error that lists them.
    pub fn names() -> String {
        Metric::ALL
            .iter()
            .map(|m| m.name())
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// A share of views, written as a fraction (0.02 = 2 %).
    pub fn is_rate(self) -> bool {
        matches!(
            self,
            Metric::LikeRate
                | Metric::CommentRate
                | Metric::ShareRate
                | Metric::CollectRate
                | Metric::InteractRate
                | Metric::FinishRate
        )
    }

    /// The value for an item, when its figures (and price, for costs) are known.
    pub fn value(self, s: &Subject) -> Option<f64> {
        let n = &s.newest;
        let count = |v: Option<u64>| v.map(|v| v as f64);
        let rate = |v: Option<u64>| crate::report::per_view(v, n.vv_cnt);
        let figures = crate::money::Figures {
            views: n.vv_cnt,
            likes: n.like_cnt,
            comments: n.comment_cnt,
            shares: n.share_cnt,
            saves: n.collect_cnt,
            price: s.price,
        };
        match self {
            Metric::Views => count(n.vv_cnt),
            Metric::Likes => count(n.like_cnt),
            Metric::Comments => count(n.comment_cnt),
            Metric::Shares => count(n.share_cnt),
            Metric::Saves => count(n.collect_cnt),
            Metric::LikeRate => rate(n.like_cnt),
            Metric::CommentRate => rate(n.comment_cnt),
            Metric::ShareRate => rate(n.share_cnt),
            Metric::CollectRate => rate(n.collect_cnt),
            Metric::InteractRate => n.interact_rate.or_else(|| rate(figures.interactions())),
            Metric::FinishRate => n.finish_rate,
            Metric::ViewsPerHour => {
                let p = s.previous.as_ref()?;
                let hours = (n.fetched_at - p.fetched_at).num_milliseconds() as f64 / 3.6e6;
                (hours > 0.0).then_some((n.vv_cnt? as f64 - p.vv_cnt? as f64) / hours)
            }
            Metric::Cpm => figures.cpm(),
            Metric::Cpe => figures.cpe(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    Above,
    Below,
}

impl Direction {
    pub fn name(self) -> &'static str {
        match self {
            Direction::Above => "above",
            Direction::Below => "below",
        }
    }
}

/// Which items a rule looks at.
#[derive(Debug, Clone, PartialEq)]
pub enum Scope {
    /// Every item fetched.
    All,
    Item(String),
    /// The watched items of this campaign.
    Campaign(String),
}

/// One `[[alert]]` of the config file.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    pub name: String,
    pub metric: Metric,
    pub direction: Direction,
    pub threshold: f64,
    pub scope: Scope,
}

impl Rule {
    /// What the crossing state is kept under: a rule edited to another metric, line or
    /// direction starts afresh.
    pub fn key(&self) -> String {
        format!(
            "{}\u{1f}{}\u{1f}{}\u{1f}{}",
            self.name,
            self.metric.name(),
            self.direction.name(),
            self.threshold
        )
    }

    pub fn applies_to(&self, s: &Subject) -> bool {
        match &self.scope {
            Scope::All => true,
            Scope::Item(id) => *id == s.newest.item_id,
            Scope::Campaign(c) => s.campaign.as_deref() == Some(c.as_str()),
        }
    }

    /// Strictly across the line: a value exactly on it has not crossed.
    pub fn is_over(&self, value: f64) -> bool {
        match self.direction {
            Direction::Above => value > self.threshold,
            Direction::Below => value < self.threshold,
        }
    }
}

/// An item as the rules see it after a fetch.
#[derive(Debug, Clone)]
pub struct Subject {
    /// The snapshot just stored, and the one before it.
    pub newest: Snapshot,
    pub previous: Option<Snapshot>,
    /// The watchlist label, else the video's title.
    pub label: Option<String>,
    pub campaign: Option<String>,
    /// The fee in CNY, from the watchlist.
    pub price: Option<f64>,
}

/// A fired alert: what `[alerts] command` gets on stdin, and what the store keeps.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Alert {
    pub name: String,
    pub item_id: String,
    pub label: Option<String>,
    pub campaign: Option<String>,
    pub metric: String,
    #[serde(serialize_with = "whole")]
    pub value: f64,
    #[serde(serialize_with = "whole")]
    pub threshold: f64,
    pub direction: Direction,
    #[serde(with = "rfc3339")]
    pub at: DateTime<Utc>,
}

impl Alert {
    /// One line for a person: `viral: 7566… “label” views 1.2M above 1.0M`.
    pub fn describe(&self, style: crate::format::NumberStyle) -> String {
        let who = match &self.label {
            Some(l) => format!("{} “{}”", self.item_id, crate::format::clean(l)),
            None => self.item_id.clone(),
        };
        self.line(&who, style)
    }

    /// [`Self::describe`] naming the item by its label alone when it has one (a banner).
    pub fn short(&self, style: crate::format::NumberStyle) -> String {
        let who = match &self.label {
            Some(l) => format!("“{}”", crate::format::clean(l)),
            None => self.item_id.clone(),
        };
        self.line(&who, style)
    }

    fn line(&self, who: &str, style: crate::format::NumberStyle) -> String {
        let metric = Metric::from_name(&self.metric);
        let show = |v: f64| match metric {
            Some(m) if m.is_rate() => crate::format::percent(v),
            Some(Metric::Cpm | Metric::Cpe) => format!("¥{v:.2}"),
            _ if v.fract() == 0.0 && v >= 0.0 => crate::format::count(v as u64, style),
            _ => format!("{v:.1}"),
        };
        // The metric and direction as a person reads them; the rule's own words in English.
        let metric_text = crate::i18n::lookup(&format!("alert-metric-{}", self.metric), None)
            .unwrap_or_else(|| self.metric.clone());
        let direction = match self.direction {
            Direction::Above => crate::t!("alert-above"),
            Direction::Below => crate::t!("alert-below"),
        };
        crate::t!(
            "alert-line",
            name = self.name.as_str(),
            who = who,
            metric = metric_text,
            value = show(self.value),
            direction = direction,
            threshold = show(self.threshold)
        )
    }
}

/// A count as an integer (`1234`, not `1234.0`), anything else as it is.
fn whole<S: serde::Serializer>(v: &f64, s: S) -> Result<S::Ok, S::Error> {
    crate::trend::number_json(*v).serialize(s)
}

mod rfc3339 {
    use chrono::{DateTime, Utc};
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(t: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime<Utc>, D::Error> {
        let text = String::deserialize(d)?;
        DateTime::parse_from_rfc3339(&text)
            .map(|t| t.with_timezone(&Utc))
            .map_err(serde::de::Error::custom)
    }
}

/// What a rule saw of one item: whether the value is across the line, and the alert it
/// would be if that is a new crossing.
#[derive(Debug, Clone, PartialEq)]
pub struct Observation {
    pub rule: String,
    pub over: bool,
    pub alert: Alert,
}

/// What every applicable rule sees of `subject`; a rule whose value is unknown (no views
/// yet, no price for a cost) sees nothing and keeps its state.
pub fn observe(rules: &[Rule], subject: &Subject) -> Vec<Observation> {
    rules
        .iter()
        .filter(|r| r.applies_to(subject))
        .filter_map(|r| {
            let value = r.metric.value(subject)?;
            Some(Observation {
                rule: r.key(),
                over: r.is_over(value),
                alert: Alert {
                    name: r.name.clone(),
                    item_id: subject.newest.item_id.clone(),
                    label: subject.label.clone(),
                    campaign: subject.campaign.clone(),
                    metric: r.metric.name().to_owned(),
                    value,
                    threshold: r.threshold,
                    direction: r.direction,
                    at: subject.newest.fetched_at,
                },
            })
        })
        .collect()
}

/// The crossing rule: fires when over and not already crossed; re-arms when back.
/// Returns the new state and whether it fires.
pub fn step(crossed: bool, over: bool) -> (bool, bool) {
    (over, over && !crossed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snap(views: u64, likes: u64, hours: i64) -> Snapshot {
        Snapshot {
            item_id: "1".into(),
            fetched_at: DateTime::from_timestamp(hours * 3600, 0).unwrap(),
            vv_cnt: Some(views),
            like_cnt: Some(likes),
            comment_cnt: Some(10),
            share_cnt: Some(10),
            collect_cnt: Some(5),
            interact_cnt: None,
            interact_rate: None,
            finish_rate: Some(0.2),
            follower: None,
        }
    }

    fn subject(newest: Snapshot, previous: Option<Snapshot>, price: Option<f64>) -> Subject {
        Subject {
            newest,
            previous,
            label: Some("新品 🚗".into()),
            campaign: Some("spring".into()),
            price,
        }
    }

    #[test]
    fn every_metric_has_a_value_from_the_snapshots_and_price() {
        let s = subject(snap(10_000, 180, 3), Some(snap(4_000, 0, 1)), Some(500.0));
        let v = |m: Metric| m.value(&s);
        assert_eq!(v(Metric::Views), Some(10_000.0));
        assert_eq!(v(Metric::Saves), Some(5.0));
        assert_eq!(v(Metric::LikeRate), Some(0.018));
        assert_eq!(v(Metric::InteractRate), Some(0.02));
        assert_eq!(v(Metric::FinishRate), Some(0.2));
        assert_eq!(v(Metric::ViewsPerHour), Some(3_000.0));
        assert_eq!(v(Metric::Cpm), Some(50.0));
        assert_eq!(v(Metric::Cpe), Some(2.5));
        let alone = subject(snap(0, 0, 3), None, None);
        for m in [
            Metric::ViewsPerHour,
            Metric::Cpm,
            Metric::Cpe,
            Metric::LikeRate,
        ] {
            assert_eq!(m.value(&alone), None, "{}", m.name());
        }
    }

    #[test]
    fn every_metric_has_a_label_in_both_languages_english_being_its_name() {
        use crate::i18n::{Lang, format_in};
        for m in Metric::ALL {
            let id = format!("alert-metric-{}", m.name());
            assert_eq!(format_in(Lang::En, &id, None).as_deref(), Some(m.name()));
            assert!(format_in(Lang::Zh, &id, None).is_some(), "{id}");
        }
    }

    #[test]
    fn names_round_trip_and_unknown_ones_are_none() {
        for m in Metric::ALL {
            assert_eq!(Metric::from_name(m.name()), Some(*m));
        }
        assert_eq!(Metric::from_name("Like-Rate"), Some(Metric::LikeRate));
        assert_eq!(Metric::from_name("viewz"), None);
        assert!(Metric::names().starts_with("views, likes"));
    }

    #[test]
    fn fires_once_per_crossing_and_again_after_going_back() {
        let mut crossed = false;
        let mut fired = Vec::new();
        for over in [false, true, true, false, false, true, true] {
            let (state, fires) = step(crossed, over);
            crossed = state;
            fired.push(fires);
        }
        assert_eq!(fired, [false, true, false, false, false, true, false]);
    }

    #[test]
    fn scope_and_direction_decide_what_is_observed() {
        let rule = |scope, direction| Rule {
            name: "r".into(),
            metric: Metric::Views,
            direction,
            threshold: 5_000.0,
            scope,
        };
        let s = subject(snap(10_000, 1, 1), None, None);
        let over = |r: Rule| observe(&[r], &s).first().map(|o| o.over);
        assert_eq!(over(rule(Scope::All, Direction::Above)), Some(true));
        assert_eq!(over(rule(Scope::All, Direction::Below)), Some(false));
        assert_eq!(
            over(rule(Scope::Item("1".into()), Direction::Above)),
            Some(true)
        );
        assert_eq!(over(rule(Scope::Item("2".into()), Direction::Above)), None);
        assert_eq!(
            over(rule(Scope::Campaign("spring".into()), Direction::Above)),
            Some(true)
        );
        assert_eq!(
            over(rule(Scope::Campaign("autumn".into()), Direction::Above)),
            None
        );
        let o = &observe(&[rule(Scope::All, Direction::Above)], &s)[0];
        assert_eq!(
            serde_json::to_value(&o.alert).unwrap(),
            serde_json::json!({"name": "r", "item_id": "1", "label": "新品 🚗", "campaign": "spring",
                "metric": "views", "value": 10000, "threshold": 5000, "direction": "above",
                "at": "1970-01-01T01:00:00Z"})
        );
    }
}
