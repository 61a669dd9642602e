//! What a video or a campaign cost per thousand views (CPM) and per interaction (CPE), by
//! Xingtu's own definitions (投后数据分析介绍):
//!
//! - CPM = fee ÷ views × 1000, none when views are 0;
//! - CPE = fee ÷ (likes + comments + shares), saves not counted, none when the sum is 0;
//! - a campaign's rates are pooled (total likes ÷ total views), never a mean of rates;
//! - a campaign's CPM and CPE are taken over its priced videos only: an unpriced video counts
//!   in the totals of views and interactions, but its views did not cost the fee.

use crate::report::{Report, per_view};

/// The counts a cost is computed from, for one video.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Figures {
    pub views: Option<u64>,
    pub likes: Option<u64>,
    pub comments: Option<u64>,
    pub shares: Option<u64>,
    pub saves: Option<u64>,
    /// The fee in CNY, when the watchlist gives one.
    pub price: Option<f64>,
}

impl Figures {
    pub fn of(report: &Report, price: Option<f64>) -> Figures {
        let v = &report.video;
        Figures {
            views: v.vv_cnt,
            likes: v.like_cnt,
            comments: v.comment_cnt,
            shares: v.share_cnt,
            saves: v.collect_cnt,
            price,
        }
    }

    /// likes + comments + shares, the interactions CPE divides by (saves are not one).
    pub fn interactions(&self) -> Option<u64> {
        Some(
            self.likes?
                .saturating_add(self.comments?)
                .saturating_add(self.shares?),
        )
    }

    pub fn cpm(&self) -> Option<f64> {
        cpm(self.price?, self.views?)
    }

    pub fn cpe(&self) -> Option<f64> {
        cpe(self.price?, self.interactions()?)
    }
}

/// Fee per thousand views; none when there are no views.
pub fn cpm(fee: f64, views: u64) -> Option<f64> {
    (views > 0).then(|| fee / views as f64 * 1000.0)
}

/// Fee per interaction (likes + comments + shares); none when there are none.
pub fn cpe(fee: f64, interactions: u64) -> Option<f64> {
    (interactions > 0).then(|| fee / interactions as f64)
}

/// Pooled totals over a set of videos (a campaign, a tab, a selection).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Totals {
    /// Videos added, whether or not their figures are known.
    pub videos: usize,
    /// Videos with a fee.
    pub priced_videos: usize,
    /// The sum of the fees.
    pub price: f64,
    pub views: u64,
    pub likes: u64,
    pub comments: u64,
    pub shares: u64,
    pub saves: u64,
    /// Views and interactions of the priced videos with known figures: what the fees bought.
    priced_views: u64,
    priced_interactions: u64,
    /// The fees of priced videos whose views (or interactions) are known; a fee for a video
    /// never fetched buys nothing measurable yet, so it stays out of CPM (or CPE).
    priced_fee_for_views: f64,
    priced_fee_for_interactions: f64,
}

impl Totals {
    pub fn add(&mut self, f: &Figures) {
        self.videos += 1;
        let sum = |total: &mut u64, n: Option<u64>| *total = total.saturating_add(n.unwrap_or(0));
        sum(&mut self.views, f.views);
        sum(&mut self.likes, f.likes);
        sum(&mut self.comments, f.comments);
        sum(&mut self.shares, f.shares);
        sum(&mut self.saves, f.saves);
        if let Some(fee) = f.price {
            self.priced_videos += 1;
            self.price += fee;
            if let Some(views) = f.views {
                self.priced_views = self.priced_views.saturating_add(views);
                self.priced_fee_for_views += fee;
            }
            if let Some(n) = f.interactions() {
                self.priced_interactions = self.priced_interactions.saturating_add(n);
                self.priced_fee_for_interactions += fee;
            }
        }
    }

    pub fn interactions(&self) -> u64 {
        self.likes
            .saturating_add(self.comments)
            .saturating_add(self.shares)
    }

    pub fn like_rate(&self) -> Option<f64> {
        per_view(Some(self.likes), Some(self.views))
    }

    pub fn comment_rate(&self) -> Option<f64> {
        per_view(Some(self.comments), Some(self.views))
    }

    pub fn share_rate(&self) -> Option<f64> {
        per_view(Some(self.shares), Some(self.views))
    }

    pub fn collect_rate(&self) -> Option<f64> {
        per_view(Some(self.saves), Some(self.views))
    }

    pub fn interact_rate(&self) -> Option<f64> {
        per_view(Some(self.interactions()), Some(self.views))
    }

    /// Total fee ÷ total views × 1000, over the priced videos.
    pub fn cpm(&self) -> Option<f64> {
        cpm(self.priced_fee_for_views, self.priced_views)
    }

    /// Total fee ÷ total (likes + comments + shares), over the priced videos.
    pub fn cpe(&self) -> Option<f64> {
        cpe(self.priced_fee_for_interactions, self.priced_interactions)
    }
}

impl<'a> FromIterator<&'a Figures> for Totals {
    fn from_iter<I: IntoIterator<Item = &'a Figures>>(iter: I) -> Totals {
        let mut totals = Totals::default();
        iter.into_iter().for_each(|f| totals.add(f));
        totals
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn video(views: u64, likes: u64, comments: u64, shares: u64, price: Option<f64>) -> Figures {
        Figures {
            views: Some(views),
            likes: Some(likes),
            comments: Some(comments),
            shares: Some(shares),
            saves: Some(1),
            price,
        }
    }

    #[test]
    fn cpm_and_cpe_follow_xingtus_definitions() {
        let f = video(20_000, 300, 50, 150, Some(1000.0));
        assert_eq!(f.cpm(), Some(50.0));
        // Saves (1) are not an interaction: 1000 / (300 + 50 + 150).
        assert_eq!(f.cpe(), Some(2.0));
    }

    #[test]
    fn zero_views_or_interactions_give_no_cost_rather_than_infinity() {
        let f = video(0, 0, 0, 0, Some(1000.0));
        assert_eq!(f.cpm(), None);
        assert_eq!(f.cpe(), None);
        assert_eq!(cpm(0.0, 0), None);
        let t: Totals = [f].iter().collect();
        assert_eq!((t.cpm(), t.cpe(), t.like_rate()), (None, None, None));
    }

    #[test]
    fn an_unpriced_or_unknown_video_has_no_cost() {
        assert_eq!(video(1000, 1, 1, 1, None).cpm(), None);
        let unknown = Figures {
            price: Some(10.0),
            ..Figures::default()
        };
        assert_eq!((unknown.cpm(), unknown.cpe()), (None, None));
    }

    #[test]
    fn campaign_rates_are_pooled_not_averaged() {
        // Rates 10% and 1%: their mean is 5.5%, the pooled rate (1000 + 100) / 20000 is 5.5%
        // only by accident of equal views, so the views differ here.
        let videos = [
            video(1_000, 100, 0, 0, None),
            video(99_000, 990, 0, 0, None),
        ];
        let t: Totals = videos.iter().collect();
        assert_eq!(t.like_rate(), Some(1090.0 / 100_000.0));
        let mean = (0.1 + 0.01) / 2.0;
        assert!((t.like_rate().unwrap() - mean).abs() > 0.04);
    }

    #[test]
    fn unpriced_videos_count_in_totals_but_not_in_campaign_cost() {
        let videos = [
            video(10_000, 100, 10, 10, Some(500.0)),
            video(30_000, 300, 30, 30, Some(1500.0)),
            video(60_000, 600, 60, 60, None),
        ];
        let t: Totals = videos.iter().collect();
        assert_eq!((t.videos, t.priced_videos), (3, 2));
        assert_eq!((t.views, t.likes, t.price), (100_000, 1000, 2000.0));
        // 2000 / 40,000 views × 1000, not over all 100,000 views.
        assert_eq!(t.cpm(), Some(50.0));
        assert_eq!(t.cpe(), Some(2000.0 / 480.0));
        assert_eq!(t.like_rate(), Some(0.01));
    }

    #[test]
    fn a_priced_video_never_fetched_adds_its_fee_but_not_to_the_cost() {
        let never_fetched = Figures {
            price: Some(9999.0),
            ..Figures::default()
        };
        let t: Totals = [video(1000, 10, 0, 0, Some(10.0)), never_fetched]
            .iter()
            .collect();
        assert_eq!((t.priced_videos, t.price), (2, 10_009.0));
        assert_eq!(t.cpm(), Some(10.0));
    }

    #[test]
    fn huge_counts_saturate_instead_of_wrapping() {
        let f = video(u64::MAX, u64::MAX, 1, 1, Some(1.0));
        let t: Totals = [f, f].iter().collect();
        assert_eq!(t.views, u64::MAX);
        assert_eq!(f.interactions(), Some(u64::MAX));
    }
}
