//! Campaigns as tabs over the watchlist: "All", each campaign in the order the config file
//! first names it, then "(none)" for the videos without one.

use crate::store::config::WatchEntry;

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Tab {
    #[default]
    All,
    Campaign(String),
    /// The videos without a campaign.
    Unassigned,
}

impl Tab {
    pub fn label(&self) -> &str {
        match self {
            Tab::All => "All",
            Tab::Campaign(name) => name,
            Tab::Unassigned => "(none)",
        }
    }

    pub fn holds(&self, entry: &WatchEntry) -> bool {
        match self {
            Tab::All => true,
            Tab::Campaign(name) => campaign_of(entry) == Some(name.as_str()),
            Tab::Unassigned => campaign_of(entry).is_none(),
        }
    }

    pub fn campaign(&self) -> Option<&str> {
        match self {
            Tab::Campaign(name) => Some(name),
            _ => None,
        }
    }
}

/// The entry's campaign, if it names one (a blank name is none).
pub fn campaign_of(entry: &WatchEntry) -> Option<&str> {
    entry
        .campaign
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
}

/// The tabs and how many videos each holds. Without any campaign there is only "All", and
/// "(none)" is there only when some video has no campaign: no tab is ever empty.
pub fn tabs(entries: &[WatchEntry]) -> Vec<(Tab, usize)> {
    let mut campaigns: Vec<(Tab, usize)> = Vec::new();
    let mut index: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    let mut unassigned = 0;
    for entry in entries {
        match campaign_of(entry) {
            Some(name) => match index.get(name) {
                Some(i) => campaigns[*i].1 += 1,
                None => {
                    index.insert(name, campaigns.len());
                    campaigns.push((Tab::Campaign(name.to_owned()), 1));
                }
            },
            None => unassigned += 1,
        }
    }
    let mut all = vec![(Tab::All, entries.len())];
    if !campaigns.is_empty() {
        all.extend(campaigns);
        if unassigned > 0 {
            all.push((Tab::Unassigned, unassigned));
        }
    }
    all
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Entry `n` of a watchlist: only its campaign matters here.
    fn entry(n: u64, campaign: Option<&str>) -> WatchEntry {
        WatchEntry {
            item_id: crate::item_id::ItemId::parse(&(7_566_200_471_448_779_500 + n).to_string())
                .unwrap(),
            label: None,
            campaign: campaign.map(str::to_owned),
            price: None,
            added_at: None,
        }
    }

    #[test]
    fn all_then_campaigns_in_file_order_then_none() {
        let entries = [
            entry(1, Some("美妆 双11")),
            entry(2, None),
            entry(3, Some("理想L6")),
            entry(4, Some(" 美妆 双11 ")),
            entry(5, Some("  ")),
        ];
        let tabs = tabs(&entries);
        let shown: Vec<(&str, usize)> = tabs.iter().map(|(t, n)| (t.label(), *n)).collect();
        assert_eq!(
            shown,
            [("All", 5), ("美妆 双11", 2), ("理想L6", 1), ("(none)", 2)]
        );
        assert!(tabs[1].0.holds(&entries[3]), "names are compared trimmed");
        assert!(Tab::Unassigned.holds(&entries[4]), "a blank name is none");
        assert!(!Tab::Unassigned.holds(&entries[0]));
    }

    #[test]
    fn without_campaigns_there_is_one_tab_and_never_an_empty_one() {
        let plain = [entry(1, None), entry(2, None)];
        assert_eq!(tabs(&plain), [(Tab::All, 2)]);
        let all_assigned = [entry(1, Some("a"))];
        assert_eq!(
            tabs(&all_assigned),
            [(Tab::All, 1), (Tab::Campaign("a".into()), 1)]
        );
        assert_eq!(tabs(&[]), [(Tab::All, 0)]);
    }
}
