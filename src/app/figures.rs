//! The newest figures known for a watched item, and what each metric the dashboard ranks or
//! compares by reads from them. Pure: the table, the campaign summary and the compare view
//! all read the same numbers.

use std::borrow::Cow;

use super::state::App;
use super::tabs::campaign_of;
use crate::format;
use crate::money;
use crate::report::per_view;
use crate::store::Snapshot;
use crate::store::config::WatchEntry;
use crate::t;
use crate::targets::{self, Check, Measures};

/// This session's report of the item, or a snapshot another process (a cron refresh) stored
/// after it: whichever is newer. Most watched rows hold no report, so the stored row is
/// lent, not copied (the campaign summary reads every row of a campaign each frame).
pub fn newest<'a>(app: &'a App, item_id: &str) -> Option<Cow<'a, Snapshot>> {
    let stored = app.history.latest.get(item_id).map(|(s, _)| s);
    let report = app.items.get(item_id).and_then(|v| v.last_ok.as_ref());
    match (report, stored) {
        (Some(f), Some(s)) if s.fetched_at > f.fetched_at => Some(Cow::Borrowed(s)),
        (Some(f), _) => Some(Cow::Owned(Snapshot::of(&f.report, f.fetched_at))),
        (None, s) => s.map(Cow::Borrowed),
    }
}

/// The counts a cost is computed from.
pub fn money_figures(s: Option<&Snapshot>, price: Option<f64>) -> money::Figures {
    money::Figures {
        views: s.and_then(|s| s.vv_cnt),
        likes: s.and_then(|s| s.like_cnt),
        comments: s.and_then(|s| s.comment_cnt),
        shares: s.and_then(|s| s.share_cnt),
        saves: s.and_then(|s| s.collect_cnt),
        price,
    }
}

/// What the campaign ranking and the compare view measure a video by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Metric {
    Cpm,
    Cpe,
    LikeRate,
    CommentRate,
    ShareRate,
    SaveRate,
    Engagement,
    Completion,
}

impl Metric {
    /// The order `m` cycles through: cost first, the question a campaign asks.
    pub const CYCLE: [Metric; 8] = [
        Metric::Cpm,
        Metric::Cpe,
        Metric::Engagement,
        Metric::LikeRate,
        Metric::CommentRate,
        Metric::ShareRate,
        Metric::SaveRate,
        Metric::Completion,
    ];

    pub fn name(self) -> String {
        match self {
            Metric::Cpm => "CPM".to_owned(),
            Metric::Cpe => "CPE".to_owned(),
            Metric::LikeRate => t!("ui-metric-like-rate"),
            Metric::CommentRate => t!("ui-metric-comment-rate"),
            Metric::ShareRate => t!("ui-metric-share-rate"),
            Metric::SaveRate => t!("ui-metric-save-rate"),
            Metric::Engagement => t!("ui-metric-engagement"),
            Metric::Completion => t!("ui-metric-completion"),
        }
    }

    pub fn next(self) -> Metric {
        let i = Metric::CYCLE.iter().position(|m| *m == self).unwrap_or(0);
        Metric::CYCLE[(i + 1) % Metric::CYCLE.len()]
    }

    /// A cost is best when lowest; a rate when highest.
    pub fn lower_is_better(self) -> bool {
        matches!(self, Metric::Cpm | Metric::Cpe)
    }

    pub fn is_cost(self) -> bool {
        self.lower_is_better()
    }

    pub fn value(self, s: Option<&Snapshot>, price: Option<f64>) -> Option<f64> {
        let f = money_figures(s, price);
        match self {
            Metric::Cpm => f.cpm(),
            Metric::Cpe => f.cpe(),
            Metric::LikeRate => per_view(f.likes, f.views),
            Metric::CommentRate => per_view(f.comments, f.views),
            Metric::ShareRate => per_view(f.shares, f.views),
            Metric::SaveRate => per_view(f.saves, f.views),
            Metric::Engagement => per_view(interactions(s?), f.views),
            Metric::Completion => s?.finish_rate,
        }
    }

    /// The `[targets]` key that sets a target for this metric, if one can.
    pub fn target(self) -> Option<targets::Metric> {
        match self {
            Metric::Cpm => Some(targets::Metric::Cpm),
            Metric::Cpe => Some(targets::Metric::Cpe),
            Metric::LikeRate => Some(targets::Metric::LikeRate),
            Metric::CommentRate => Some(targets::Metric::CommentRate),
            Metric::ShareRate => Some(targets::Metric::ShareRate),
            Metric::Engagement => Some(targets::Metric::InteractRate),
            Metric::Completion => Some(targets::Metric::FinishRate),
            Metric::SaveRate => None,
        }
    }

    pub fn format(self, value: f64) -> String {
        if self.is_cost() {
            format!("¥{}", format::yuan(value))
        } else {
            format::percent(value)
        }
    }
}

/// The provider's interaction count, or likes + comments + shares when it gave none (as the
/// report does).
fn interactions(s: &Snapshot) -> Option<u64> {
    s.interact_cnt.or_else(|| {
        Some(
            s.like_cnt?
                .saturating_add(s.comment_cnt?)
                .saturating_add(s.share_cnt?),
        )
    })
}

/// The video's targets (its campaign's, else `[targets]`) and whether it meets each.
pub fn checks(app: &App, entry: &WatchEntry, newest: Option<&Snapshot>) -> Vec<Check> {
    let set = app.targets.for_campaign(campaign_of(entry));
    if set.is_empty() {
        return Vec::new();
    }
    let figures = money_figures(newest, entry.price.map(|p| p.as_f64()));
    set.check(&Measures::of_video(
        &figures,
        newest.and_then(|s| s.finish_rate),
    ))
}

/// `✓4 ✗1`: how many targets are met and missed (unknown figures count in neither); `—`
/// when none can be told.
pub fn tally(checks: &[Check]) -> String {
    let met = checks.iter().filter(|c| c.met == Some(true)).count();
    let missed = checks.iter().filter(|c| c.met == Some(false)).count();
    match (met, missed) {
        (0, 0) => "—".to_owned(),
        (met, 0) => format!("✓{met}"),
        (0, missed) => format!("✗{missed}"),
        (met, missed) => format!("✓{met} ✗{missed}"),
    }
}

/// The indices of the `top` best of `values` by `metric`, best first; the ones without a
/// value go last, ties in order. Only the top is sorted: a campaign of 10,000 videos shows
/// a dozen bars.
pub fn ranked(metric: Metric, values: &[Option<f64>], top: usize) -> Vec<usize> {
    let order = |a: &usize, b: &usize| {
        match (values[*a], values[*b]) {
            (Some(x), Some(y)) => {
                let o = x.partial_cmp(&y).unwrap_or(std::cmp::Ordering::Equal);
                if metric.lower_is_better() {
                    o
                } else {
                    o.reverse()
                }
            }
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        }
        .then(a.cmp(b))
    };
    let mut indices: Vec<usize> = (0..values.len()).collect();
    let top = top.min(indices.len());
    if top < indices.len() && top > 0 {
        indices.select_nth_unstable_by(top - 1, order);
    }
    indices.truncate(top);
    indices.sort_by(order);
    indices
}

/// Which of `values` are the best (all of them on a tie); none when fewer than two have a
/// value, since one figure alone is not "best" of anything.
pub fn best(lower_is_better: bool, values: &[Option<f64>]) -> Vec<bool> {
    let known: Vec<f64> = values.iter().flatten().copied().collect();
    if known.len() < 2 {
        return vec![false; values.len()];
    }
    let pick = if lower_is_better { f64::min } else { f64::max };
    let top = known.iter().copied().fold(known[0], pick);
    values.iter().map(|v| *v == Some(top)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snap(views: u64, likes: u64, finish: f64) -> Snapshot {
        Snapshot {
            item_id: "1".into(),
            fetched_at: chrono::Utc::now(),
            vv_cnt: Some(views),
            like_cnt: Some(likes),
            comment_cnt: Some(0),
            share_cnt: Some(0),
            collect_cnt: Some(0),
            interact_cnt: None,
            interact_rate: None,
            finish_rate: Some(finish),
            follower: None,
        }
    }

    #[test]
    fn metrics_read_the_snapshot_and_the_price() {
        let s = snap(20_000, 500, 0.2);
        assert_eq!(Metric::Cpm.value(Some(&s), Some(1000.0)), Some(50.0));
        assert_eq!(Metric::Cpe.value(Some(&s), Some(1000.0)), Some(2.0));
        assert_eq!(Metric::Cpm.value(Some(&s), None), None);
        assert_eq!(Metric::LikeRate.value(Some(&s), None), Some(0.025));
        assert_eq!(Metric::Engagement.value(Some(&s), None), Some(0.025));
        assert_eq!(Metric::Completion.value(Some(&s), None), Some(0.2));
        assert_eq!(Metric::LikeRate.value(None, Some(1.0)), None);
        assert_eq!(Metric::Cpm.format(26.5), "¥26.50");
        assert_eq!(Metric::LikeRate.format(0.025), "2.50%");
    }

    #[test]
    fn ranking_puts_the_best_first_and_unknowns_last() {
        let values = [Some(3.0), None, Some(1.0), Some(2.0)];
        assert_eq!(ranked(Metric::Cpm, &values, 9), [2, 3, 0, 1]);
        assert_eq!(ranked(Metric::LikeRate, &values, 4), [0, 3, 2, 1]);
        assert_eq!(ranked(Metric::Cpm, &values, 2), [2, 3]);
        assert_eq!(ranked(Metric::LikeRate, &values, 1), [0]);
        assert_eq!(ranked(Metric::LikeRate, &values, 0), Vec::<usize>::new());
        let ties = [Some(1.0), None, Some(1.0), Some(1.0)];
        assert_eq!(ranked(Metric::Cpm, &ties, 2), [0, 2], "ties in order");
        let mut m = Metric::Cpm;
        for _ in 0..Metric::CYCLE.len() {
            m = m.next();
        }
        assert_eq!(m, Metric::Cpm, "the cycle comes back round");
    }

    #[test]
    fn tally_counts_met_and_missed_targets() {
        let check = |met| Check {
            metric: targets::Metric::Cpm,
            target: 1.0,
            met,
        };
        assert_eq!(tally(&[]), "—");
        assert_eq!(tally(&[check(None)]), "—");
        assert_eq!(tally(&[check(Some(true)), check(None)]), "✓1");
        assert_eq!(tally(&[check(Some(false))]), "✗1");
        assert_eq!(
            tally(&[check(Some(true)), check(Some(false)), check(Some(true))]),
            "✓2 ✗1"
        );
    }

    #[test]
    fn best_marks_ties_and_needs_two_values() {
        assert_eq!(
            best(false, &[Some(1.0), Some(3.0), Some(3.0), None]),
            [false, true, true, false]
        );
        assert_eq!(best(true, &[Some(1.0), Some(3.0)]), [true, false]);
        assert_eq!(best(true, &[Some(1.0), None]), [false, false]);
    }
}
