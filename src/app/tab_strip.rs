//! Where the campaign tabs go on the watchlist's first row: `[All 5] 理想L6 3  (none) 2`. The
//! active tab is in brackets (so it shows without colour too) and always in view; tabs that do
//! not fit are scrolled past, with ‹ and › saying there are more. Pure layout, so a click maps
//! to the tab drawn under it.

use crate::app::App;
use crate::format;

/// A campaign name longer than this is cut with "…" in its tab.
const MAX_NAME: usize = 16;

/// One tab as drawn: which tab, where it starts, its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placed {
    pub tab: usize,
    pub x: u16,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Strip {
    pub placed: Vec<Placed>,
    pub more_left: bool,
    pub more_right: bool,
}

fn text_of(label: &str, count: usize, active: bool) -> String {
    let name = format::truncate(&format::clean(label), MAX_NAME);
    if active {
        format!("[{name} {count}]")
    } else {
        format!(" {name} {count} ")
    }
}

/// Lays the tabs out in `width` cells, the active one in view.
pub fn strip(tabs: &[(String, usize)], active: usize, width: u16) -> Strip {
    let width = usize::from(width);
    let texts: Vec<String> = tabs
        .iter()
        .enumerate()
        .map(|(i, (label, n))| text_of(label, *n, i == active))
        .collect();
    let span = |from: usize, to: usize| -> usize {
        texts[from..=to].iter().map(|t| format::width(t)).sum()
    };
    // The first tab shown: as far left as keeps the active one (and the marks) in view.
    let mut first = 0;
    while first < active {
        let left = usize::from(first > 0);
        let right = usize::from(active + 1 < texts.len());
        if left + span(first, active) + right <= width {
            break;
        }
        first += 1;
    }
    let mut strip = Strip {
        more_left: first > 0,
        ..Strip::default()
    };
    let mut x = usize::from(strip.more_left);
    for (i, text) in texts.iter().enumerate().skip(first) {
        let w = format::width(text);
        let more_after = i + 1 < texts.len();
        if x + w + usize::from(more_after) > width && !(i == active && x + w <= width) {
            strip.more_right = true;
            break;
        }
        strip.placed.push(Placed {
            tab: i,
            x: x as u16,
            text: text.clone(),
        });
        x += w;
    }
    strip
}

/// The tab under column `x` of the row (relative to the row's left edge).
pub fn hit(strip: &Strip, x: u16) -> Option<usize> {
    strip
        .placed
        .iter()
        .find(|p| x >= p.x && x < p.x + format::width(&p.text) as u16)
        .map(|p| p.tab)
}

/// The tabs as `(label, count)`, and the active one's index.
pub fn of(app: &App) -> (Vec<(String, usize)>, usize) {
    let tabs = app
        .watch
        .tabs
        .iter()
        .map(|(t, n)| (t.label().to_owned(), *n))
        .collect();
    let active = app
        .watch
        .tabs
        .iter()
        .position(|(t, _)| *t == app.watch.tab)
        .unwrap_or(0);
    (tabs, active)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tabs() -> Vec<(String, usize)> {
        [
            ("All", 12),
            ("理想L6 上市", 5),
            ("美妆 双11 种草计划大促销活动", 4),
            ("(none)", 3),
        ]
        .iter()
        .map(|(l, n)| (l.to_string(), *n))
        .collect()
    }

    fn shown(s: &Strip) -> String {
        s.placed.iter().map(|p| p.text.as_str()).collect()
    }

    #[test]
    fn everything_fits_when_wide() {
        let s = strip(&tabs(), 0, 80);
        assert_eq!(
            shown(&s),
            "[All 12] 理想L6 上市 5  美妆 双11 种草… 4  (none) 3 "
        );
        assert!(!s.more_left && !s.more_right);
        assert_eq!(hit(&s, 0), Some(0));
        assert_eq!(hit(&s, 9), Some(1));
        assert_eq!(hit(&s, 200), None);
    }

    #[test]
    fn the_active_tab_stays_in_view_and_nothing_is_cut() {
        for width in 24..60u16 {
            for active in 0..4 {
                let s = strip(&tabs(), active, width);
                assert!(s.placed.iter().any(|p| p.tab == active), "{width} {active}");
                let used = usize::from(s.more_left)
                    + format::width(&shown(&s))
                    + usize::from(s.more_right);
                assert!(
                    used <= usize::from(width),
                    "{width} {active}: {}",
                    shown(&s)
                );
                assert_eq!(s.more_left, s.placed[0].tab > 0);
            }
        }
        let s = strip(&tabs(), 3, 30);
        assert!(s.more_left && !s.more_right, "{s:?}");
        assert_eq!(hit(&s, 0), None, "the ‹ is not a tab");
    }
}
