//! Targets a marketer sets for a video or a campaign (`[targets]` in the config file), and
//! which of them a set of figures meets: a minimum for each rate, a maximum for each cost.
//! Pure: the config module reads the values, the commands and the dashboard show the marks.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use crate::money::{Figures, Totals};

/// What a target can be set on, in the order they are shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Metric {
    LikeRate,
    CommentRate,
    ShareRate,
    InteractRate,
    FinishRate,
    Cpm,
    Cpe,
}

impl Metric {
    pub const ALL: [Metric; 7] = [
        Metric::LikeRate,
        Metric::CommentRate,
        Metric::ShareRate,
        Metric::InteractRate,
        Metric::FinishRate,
        Metric::Cpm,
        Metric::Cpe,
    ];

    /// The config key and JSON field.
    pub fn key(self) -> &'static str {
        match self {
            Metric::LikeRate => "like_rate",
            Metric::CommentRate => "comment_rate",
            Metric::ShareRate => "share_rate",
            Metric::InteractRate => "interact_rate",
            Metric::FinishRate => "finish_rate",
            Metric::Cpm => "cpm",
            Metric::Cpe => "cpe",
        }
    }

    pub fn from_key(key: &str) -> Option<Metric> {
        Metric::ALL.into_iter().find(|m| m.key() == key)
    }

    /// Costs are better low: their target is a maximum. Rates are better high.
    pub fn is_maximum(self) -> bool {
        matches!(self, Metric::Cpm | Metric::Cpe)
    }

    pub fn is_rate(self) -> bool {
        !self.is_maximum()
    }
}

/// The targets that apply to one video or campaign: at most one value per metric.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TargetSet {
    values: [Option<f64>; 7],
}

impl TargetSet {
    pub fn get(&self, metric: Metric) -> Option<f64> {
        self.values[metric as usize]
    }

    pub fn set(&mut self, metric: Metric, value: Option<f64>) {
        self.values[metric as usize] = value;
    }

    pub fn is_empty(&self) -> bool {
        self.values.iter().all(Option::is_none)
    }

    /// `self` with every value `over` sets replacing its own.
    fn overridden_by(&self, over: &TargetSet) -> TargetSet {
        let mut merged = self.clone();
        for m in Metric::ALL {
            if let Some(v) = over.get(m) {
                merged.set(m, Some(v));
            }
        }
        merged
    }

    /// Every target set, in [`Metric::ALL`] order, with whether `measures` meets it (`None`
    /// when the figure is unknown: no views yet, no price for a cost).
    pub fn check(&self, measures: &Measures) -> Vec<Check> {
        Metric::ALL
            .into_iter()
            .filter_map(|metric| {
                let target = self.get(metric)?;
                Some(Check {
                    metric,
                    target,
                    met: measures
                        .get(metric)
                        .map(|value| meets(metric, value, target)),
                })
            })
            .collect()
    }

    /// Whether `value` of `metric` meets this set's target; `None` when no target is set.
    pub fn meets(&self, metric: Metric, value: f64) -> Option<bool> {
        self.get(metric).map(|target| meets(metric, value, target))
    }
}

fn meets(metric: Metric, value: f64, target: f64) -> bool {
    if metric.is_maximum() {
        value <= target
    } else {
        value >= target
    }
}

/// `[targets]` and its `[targets.campaign."NAME"]` overrides, merged once at load.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Targets {
    default: TargetSet,
    /// Each campaign's full set: the defaults with its own values over them.
    campaigns: BTreeMap<String, TargetSet>,
}

impl Targets {
    /// `overrides` holds only the values each campaign sets itself.
    pub fn new(default: TargetSet, overrides: BTreeMap<String, TargetSet>) -> Targets {
        let campaigns = overrides
            .into_iter()
            .map(|(name, own)| (name.trim().to_owned(), default.overridden_by(&own)))
            .collect();
        Targets { default, campaigns }
    }

    /// The targets for a video of `campaign` (or a campaign's totals): its overrides over
    /// `[targets]`, or `[targets]` alone.
    pub fn for_campaign(&self, campaign: Option<&str>) -> &TargetSet {
        campaign
            .and_then(|c| self.campaigns.get(c.trim()))
            .unwrap_or(&self.default)
    }

    /// No target anywhere: nothing to mark.
    pub fn is_empty(&self) -> bool {
        self.default.is_empty() && self.campaigns.values().all(TargetSet::is_empty)
    }
}

/// The figures a target is checked against, for a video or a campaign's pooled totals.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Measures {
    pub like_rate: Option<f64>,
    pub comment_rate: Option<f64>,
    pub share_rate: Option<f64>,
    pub interact_rate: Option<f64>,
    pub finish_rate: Option<f64>,
    pub cpm: Option<f64>,
    pub cpe: Option<f64>,
}

impl Measures {
    /// One video: its counts and fee, and the completion rate the API reports for it.
    pub fn of_video(figures: &Figures, finish_rate: Option<f64>) -> Measures {
        let per_view = |n: Option<u64>| crate::report::per_view(n, figures.views);
        Measures {
            like_rate: per_view(figures.likes),
            comment_rate: per_view(figures.comments),
            share_rate: per_view(figures.shares),
            interact_rate: per_view(figures.interactions()),
            finish_rate,
            cpm: figures.cpm(),
            cpe: figures.cpe(),
        }
    }

    /// A campaign: pooled rates and costs, and its completion rate (views-weighted, when the
    /// caller can tell it).
    pub fn of_totals(totals: &Totals, finish_rate: Option<f64>) -> Measures {
        Measures {
            like_rate: totals.like_rate(),
            comment_rate: totals.comment_rate(),
            share_rate: totals.share_rate(),
            interact_rate: totals.interact_rate(),
            finish_rate,
            cpm: totals.cpm(),
            cpe: totals.cpe(),
        }
    }

    pub fn get(&self, metric: Metric) -> Option<f64> {
        match metric {
            Metric::LikeRate => self.like_rate,
            Metric::CommentRate => self.comment_rate,
            Metric::ShareRate => self.share_rate,
            Metric::InteractRate => self.interact_rate,
            Metric::FinishRate => self.finish_rate,
            Metric::Cpm => self.cpm,
            Metric::Cpe => self.cpe,
        }
    }
}

/// One target and whether it was met (`None`: the figure is not known).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Check {
    pub metric: Metric,
    pub target: f64,
    pub met: Option<bool>,
}

impl Check {
    /// ✓ met, ✗ missed, nothing when it cannot be told.
    pub fn mark(&self) -> &'static str {
        mark(self.met)
    }
}

/// ✓ met, ✗ missed, empty when unknown or no target.
pub fn mark(met: Option<bool>) -> &'static str {
    match met {
        Some(true) => "✓",
        Some(false) => "✗",
        None => "",
    }
}

/// `{"like_rate": {"target": 0.02, "met": false}, …}`; `met` is null when the figure is
/// not known.
pub fn to_json(checks: &[Check]) -> Value {
    let mut map = Map::new();
    for c in checks {
        map.insert(
            c.metric.key().into(),
            json!({"target": c.target, "met": c.met}),
        );
    }
    Value::Object(map)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(values: &[(Metric, f64)]) -> TargetSet {
        let mut s = TargetSet::default();
        for (m, v) in values {
            s.set(*m, Some(*v));
        }
        s
    }

    fn video(views: u64, likes: u64, price: Option<f64>) -> Figures {
        Figures {
            views: Some(views),
            likes: Some(likes),
            comments: Some(0),
            shares: Some(0),
            saves: Some(0),
            price,
        }
    }

    #[test]
    fn rates_are_minimums_and_costs_maximums_inclusive() {
        let targets = set(&[(Metric::LikeRate, 0.02), (Metric::Cpm, 30.0)]);
        // 200 likes of 10,000 views is exactly 2%; ¥300 for 10,000 views is a CPM of 30.
        let on_the_line = Measures::of_video(&video(10_000, 200, Some(300.0)), None);
        let checks = targets.check(&on_the_line);
        assert_eq!(
            checks,
            vec![
                Check {
                    metric: Metric::LikeRate,
                    target: 0.02,
                    met: Some(true)
                },
                Check {
                    metric: Metric::Cpm,
                    target: 30.0,
                    met: Some(true)
                },
            ]
        );
        let worse = Measures::of_video(&video(10_000, 199, Some(301.0)), None);
        let met: Vec<_> = targets.check(&worse).iter().map(|c| c.met).collect();
        assert_eq!(met, vec![Some(false), Some(false)]);
        assert_eq!(targets.meets(Metric::Cpm, 29.0), Some(true));
        assert_eq!(targets.meets(Metric::Cpe, 29.0), None);
    }

    #[test]
    fn an_unknown_figure_is_neither_met_nor_missed() {
        let targets = set(&[(Metric::Cpe, 1.0), (Metric::FinishRate, 0.1)]);
        // Unpriced and no completion rate reported.
        let checks = targets.check(&Measures::of_video(&video(1000, 10, None), None));
        assert_eq!(
            checks.iter().map(|c| c.met).collect::<Vec<_>>(),
            vec![None, None]
        );
        assert_eq!(
            to_json(&checks),
            json!({"finish_rate": {"target": 0.1, "met": null}, "cpe": {"target": 1.0, "met": null}})
        );
        assert_eq!(checks[0].mark(), "");
    }

    #[test]
    fn a_campaign_override_replaces_only_the_values_it_sets() {
        let default = set(&[(Metric::LikeRate, 0.02), (Metric::Cpm, 30.0)]);
        let overrides = BTreeMap::from([("秋季发布会".to_owned(), set(&[(Metric::Cpm, 20.0)]))]);
        let targets = Targets::new(default.clone(), overrides);
        let autumn = targets.for_campaign(Some("秋季发布会"));
        assert_eq!(autumn.get(Metric::Cpm), Some(20.0));
        assert_eq!(autumn.get(Metric::LikeRate), Some(0.02));
        assert_eq!(targets.for_campaign(Some("other")), &default);
        assert_eq!(targets.for_campaign(None), &default);
        assert!(!targets.is_empty());
        assert!(Targets::default().is_empty());
    }

    #[test]
    fn campaign_checks_use_pooled_figures() {
        let videos = [video(1_000, 100, Some(100.0)), video(99_000, 990, None)];
        let totals: Totals = videos.iter().collect();
        let m = Measures::of_totals(&totals, None);
        // Pooled 1090 / 100,000 = 1.09%, though the mean of 10% and 1% is 5.5%.
        let targets = set(&[(Metric::LikeRate, 0.02), (Metric::Cpm, 100.0)]);
        let checks = targets.check(&m);
        assert_eq!(checks[0].met, Some(false));
        // CPM over the priced video only: 100 / 1000 × 1000 = 100.
        assert_eq!((m.cpm, checks[1].met), (Some(100.0), Some(true)));
        assert_eq!(checks[0].mark(), "✗");
        assert_eq!(checks[1].mark(), "✓");
    }

    #[test]
    fn metric_keys_round_trip() {
        for m in Metric::ALL {
            assert_eq!(Metric::from_key(m.key()), Some(m));
        }
        assert_eq!(Metric::from_key("collect_rate"), None);
    }
}
