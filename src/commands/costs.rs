//! What the commands show of a watched video's money: its campaign, fee, CPM and CPE (from
//! `money`), and which targets it meets (from `targets`).

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde_json::{Map, Value, json};

use crate::format;
use crate::money::{Figures, Totals};
use crate::report::Report;
use crate::settings::Settings;
use crate::store::Snapshot;
use crate::store::config::WatchEntry;
use crate::t;
use crate::targets::{self, Check, Measures, Metric, TargetSet};

/// One campaign's pooled figures, in the `campaign` command's field order: its JSON, its CSV
/// and export's xlsx Summary sheet are all made from this. A campaign with no priced video
/// has no fee (null), as it has no CPM or CPE.
pub fn totals_json(
    campaign: Option<&str>,
    t: &Totals,
    fetched: Option<(DateTime<Utc>, DateTime<Utc>)>,
) -> Value {
    let time = |t: DateTime<Utc>| super::history::rfc3339(t);
    json!({
        "campaign": campaign,
        "videos": t.videos,
        "priced_videos": t.priced_videos,
        "price": (t.priced_videos > 0).then(|| amount(t.price)),
        "views": t.views,
        "likes": t.likes,
        "comments": t.comments,
        "shares": t.shares,
        "saves": t.saves,
        "like_rate": t.like_rate(),
        "comment_rate": t.comment_rate(),
        "share_rate": t.share_rate(),
        "collect_rate": t.collect_rate(),
        "interact_rate": t.interact_rate(),
        "cpm": t.cpm(),
        "cpe": t.cpe(),
        "fetched_from": fetched.map(|(from, _)| time(from)),
        "fetched_to": fetched.map(|(_, to)| time(to)),
    })
}

/// A fee as JSON: whole yuan as an integer, as the config file writes it.
pub fn amount(x: f64) -> Value {
    if x.fract() == 0.0 && x.abs() < 9e15 {
        json!(x as i64)
    } else {
        json!(x)
    }
}

/// A stored snapshot's counts, with the entry's fee.
pub fn figures(s: &Snapshot, price: Option<f64>) -> Figures {
    Figures {
        views: s.vv_cnt,
        likes: s.like_cnt,
        comments: s.comment_cnt,
        shares: s.share_cnt,
        saves: s.collect_cnt,
        price,
    }
}

/// A stored snapshot's figures as targets see them.
pub fn measures(s: &Snapshot, price: Option<f64>) -> Measures {
    Measures::of_video(&figures(s, price), s.finish_rate)
}

/// The watched entries by id, for commands that look items up (never the demo's: it reads
/// none of the user's watchlist).
pub struct Watched<'a> {
    by_id: HashMap<&'a str, &'a WatchEntry>,
    settings: &'a Settings,
}

impl<'a> Watched<'a> {
    pub fn of(settings: &'a Settings) -> Watched<'a> {
        let by_id = if settings.demo {
            HashMap::new()
        } else {
            settings
                .config
                .watchlist
                .iter()
                .map(|e| (e.item_id.as_str(), e))
                .collect()
        };
        Watched { by_id, settings }
    }

    pub fn entry(&self, item_id: &str) -> Option<&'a WatchEntry> {
        self.by_id.get(item_id).copied()
    }

    /// The targets for a video: its campaign's, or `[targets]`.
    pub fn targets(&self, item_id: &str) -> &'a TargetSet {
        let campaign = self.entry(item_id).and_then(|e| e.campaign.as_deref());
        self.settings.config.targets.for_campaign(campaign)
    }

    /// What `get --json` adds after its own fields: `campaign` when the watched item has
    /// one, `cost` when it has a fee, `targets` when any apply.
    pub fn json_extras(&self, report: &Report, into: &mut Map<String, Value>) {
        let entry = self.entry(&report.item_id);
        let price = entry.and_then(|e| e.price);
        let figures = Figures::of(report, price.map(|p| p.as_f64()));
        if let Some(campaign) = entry.and_then(|e| e.campaign.as_deref()) {
            into.insert("campaign".into(), json!(campaign));
        }
        if let Some(price) = price {
            into.insert(
                "cost".into(),
                json!({"price": price, "cpm": figures.cpm(), "cpe": figures.cpe()}),
            );
        }
        let checks = self
            .targets(&report.item_id)
            .check(&Measures::of_video(&figures, report.video.finish_rate));
        if !checks.is_empty() {
            into.insert("targets".into(), targets::to_json(&checks));
        }
    }

    /// The lines `get` adds to its report: campaign, cost, targets.
    pub fn human_extras(&self, report: &Report) -> Vec<(String, String)> {
        let entry = self.entry(&report.item_id);
        let price = entry.and_then(|e| e.price);
        let figures = Figures::of(report, price.map(|p| p.as_f64()));
        let mut lines = Vec::new();
        if let Some(campaign) = entry.and_then(|e| e.campaign.as_deref()) {
            lines.push((t!("cli-costs-campaign"), campaign.to_owned()));
        }
        if let Some(price) = price {
            lines.push((
                t!("cli-campaign-cost"),
                format!(
                    "¥{price}   CPM {}   CPE {}",
                    opt_yuan(figures.cpm()),
                    opt_yuan(figures.cpe())
                ),
            ));
        }
        let checks = self
            .targets(&report.item_id)
            .check(&Measures::of_video(&figures, report.video.finish_rate));
        if !checks.is_empty() {
            lines.push((t!("cli-campaign-targets"), spelled_out(&checks)));
        }
        lines
    }
}

/// An amount of CNY to a useful precision: `¥1,234.50`, `¥12.34`, `¥0.265`.
pub fn yuan(x: f64) -> String {
    if x >= 1.0 || x == 0.0 {
        let fen = (x * 100.0).round() as u64;
        format!("¥{}.{:02}", format::grouped(fen / 100), fen % 100)
    } else {
        // Three significant digits: a CPM of ¥0.0026 must not read as ¥0.00.
        let decimals = (2 - x.log10().floor() as i32).clamp(2, 8) as usize;
        format!("¥{x:.decimals$}")
    }
}

/// A fee as it was written: whole yuan without fen (`¥15,000`), else to the fen.
pub fn fee(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 9e15 {
        format!("¥{}", format::grouped(x as u64))
    } else {
        yuan(x)
    }
}

pub fn opt_yuan(x: Option<f64>) -> String {
    x.map_or_else(|| "—".to_owned(), yuan)
}

/// A short name for a metric in a table or a sentence.
pub fn label(metric: Metric) -> String {
    match metric {
        Metric::LikeRate => t!("cli-compare-like"),
        Metric::CommentRate => t!("cli-compare-comment"),
        Metric::ShareRate => t!("cli-compare-share"),
        Metric::InteractRate => t!("cli-compare-engagement"),
        Metric::FinishRate => t!("cli-compare-completion"),
        Metric::Cpm => "CPM".to_owned(),
        Metric::Cpe => "CPE".to_owned(),
    }
}

/// A target's value as it is written for people: `2.00%`, `¥30.00`.
pub fn target_value(metric: Metric, value: f64) -> String {
    if metric.is_rate() {
        format::percent(value)
    } else {
        yuan(value)
    }
}

/// `✓ Like ≥ 2.00%   ✗ CPM ≤ ¥30.00   ? CPE ≤ ¥2.00 (no figure)`.
pub fn spelled_out(checks: &[Check]) -> String {
    checks
        .iter()
        .map(|c| {
            let sign = if c.metric.is_maximum() { "≤" } else { "≥" };
            let what = format!(
                "{} {sign} {}",
                label(c.metric),
                target_value(c.metric, c.target)
            );
            match c.met {
                Some(_) => format!("{} {what}", c.mark()),
                None => t!("cli-costs-no-figure", target = what),
            }
        })
        .collect::<Vec<_>>()
        .join("   ")
}

/// A table cell: `✓ 3/3`, `✗ CPM, Like` (the missed ones), `—` when none can be told.
pub fn summary(checks: &[Check]) -> String {
    let known: Vec<&Check> = checks.iter().filter(|c| c.met.is_some()).collect();
    if known.is_empty() {
        return "—".into();
    }
    let missed: Vec<String> = known
        .iter()
        .filter(|c| c.met == Some(false))
        .map(|c| label(c.metric))
        .collect();
    if missed.is_empty() {
        format!("✓ {}/{}", known.len(), known.len())
    } else {
        format!("✗ {}", missed.join(&t!("cli-list-separator")))
    }
}

/// The value with its target's mark after it, when a target applies: `0.27 ✓`.
pub fn marked(text: String, met: Option<bool>) -> String {
    match targets::mark(met) {
        "" => text,
        mark => format!("{text} {mark}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_keep_three_significant_digits_below_one_yuan() {
        assert_eq!(yuan(1234.5), "¥1,234.50");
        assert_eq!(yuan(12.345), "¥12.35");
        assert_eq!(yuan(1.0), "¥1.00");
        assert_eq!(yuan(0.0), "¥0.00");
        assert_eq!(yuan(0.26504), "¥0.265");
        assert_eq!(yuan(0.0026504), "¥0.00265");
        assert_eq!(yuan(0.1019), "¥0.102");
        assert_eq!(fee(15000.0), "¥15,000");
        assert_eq!(fee(15000.5), "¥15,000.50");
    }

    #[test]
    fn summaries_name_what_was_missed() {
        let check = |metric, met| Check {
            metric,
            target: 1.0,
            met,
        };
        assert_eq!(summary(&[]), "—");
        assert_eq!(summary(&[check(Metric::Cpm, None)]), "—");
        assert_eq!(
            summary(&[check(Metric::Cpm, Some(true)), check(Metric::Cpe, None)]),
            "✓ 1/1"
        );
        assert_eq!(
            summary(&[
                check(Metric::LikeRate, Some(false)),
                check(Metric::Cpm, Some(false)),
                check(Metric::Cpe, Some(true))
            ]),
            "✗ Like, CPM"
        );
        assert_eq!(
            spelled_out(&[
                check(Metric::Cpm, Some(true)),
                check(Metric::FinishRate, None)
            ]),
            "✓ CPM ≤ ¥1.00   ? Completion ≥ 100% (no figure)"
        );
    }
}
