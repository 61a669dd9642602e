//! Where each pane goes for a given terminal size. Pure, so `update` can map mouse clicks
//! to panes and rows with exactly the geometry the renderer draws.

use ratatui::layout::{Constraint, Layout, Rect};

pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 20;

/// Wide terminals get the watchlist table on the left half with room for every column.
const WIDE: u16 = 120;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Areas {
    pub input: Rect,
    pub banner: Option<Rect>,
    pub recent: Rect,
    pub watchlist: Rect,
    pub creator: Rect,
    pub video: Rect,
    pub charts: Rect,
    pub trend: Option<Rect>,
    pub status: Rect,
    pub hints: Rect,
}

/// `None` when the terminal is below the minimum size.
pub fn areas(area: Rect, banner: bool) -> Option<Areas> {
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        return None;
    }
    let [input, banner_row, body, status, hints] = Layout::vertical([
        Constraint::Length(3),
        Constraint::Length(u16::from(banner)),
        Constraint::Min(0),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area);

    let left_width = if area.width >= WIDE {
        Constraint::Percentage(55)
    } else {
        Constraint::Length(area.width * 2 / 5)
    };
    let [left, right] = Layout::horizontal([left_width, Constraint::Min(0)]).areas(body);
    let recent_share = if area.width >= WIDE { 35 } else { 40 };
    let [watchlist, recent] = Layout::vertical([
        Constraint::Percentage(100 - recent_share),
        Constraint::Percentage(recent_share),
    ])
    .areas(left);

    // Tall terminals get more detail lines and a trend pane; short ones give every spare
    // row to the charts.
    let (creator, video, charts, trend) = if right.height >= 34 {
        let [creator, video, charts, trend] = Layout::vertical([
            Constraint::Length(8),
            Constraint::Length(9),
            Constraint::Length(9),
            Constraint::Min(0),
        ])
        .areas(right);
        (creator, video, charts, Some(trend))
    } else {
        let [creator, video, charts] = Layout::vertical([
            Constraint::Length(5),
            Constraint::Length(6),
            Constraint::Min(0),
        ])
        .areas(right);
        (creator, video, charts, None)
    };
    Some(Areas {
        input,
        banner: banner.then_some(banner_row),
        recent,
        watchlist,
        creator,
        video,
        charts,
        trend,
        status,
        hints,
    })
}

/// Rows of a bordered list that show data (minus borders and a header row).
pub fn visible_rows(pane: Rect, header: bool) -> usize {
    usize::from(pane.height.saturating_sub(2 + u16::from(header)))
}

/// Data rows of the watchlist table: below its header, and below the campaign tabs when
/// there are some.
pub fn table_rows(pane: Rect, tab_row: bool) -> usize {
    visible_rows(pane, true).saturating_sub(usize::from(tab_row))
}

/// The first row to draw so that `selected` stays in view, moving as little as possible.
pub fn scroll_offset(previous: usize, selected: usize, visible: usize, len: usize) -> usize {
    if visible == 0 || len <= visible {
        return 0;
    }
    let offset = if selected < previous {
        selected
    } else if selected >= previous + visible {
        selected + 1 - visible
    } else {
        previous
    };
    offset.min(len - visible)
}

pub fn contains(r: Rect, x: u16, y: u16) -> bool {
    x >= r.x && x < r.x + r.width && y >= r.y && y < r.y + r.height
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn panes_fit_inside_the_screen_at_common_sizes() {
        for (w, h) in [
            (60, 20),
            (80, 24),
            (100, 30),
            (120, 40),
            (160, 48),
            (250, 80),
        ] {
            let screen = Rect::new(0, 0, w, h);
            for banner in [false, true] {
                let a = areas(screen, banner).unwrap();
                let mut panes = vec![
                    a.input,
                    a.recent,
                    a.watchlist,
                    a.creator,
                    a.video,
                    a.charts,
                    a.status,
                    a.hints,
                ];
                panes.extend(a.banner);
                panes.extend(a.trend);
                for p in panes {
                    assert!(screen.union(p) == screen, "{w}x{h}: {p:?}");
                }
                assert!(a.creator.height >= 5 && a.video.height >= 6, "{w}x{h}");
            }
        }
        assert!(areas(Rect::new(0, 0, 59, 24), false).is_none());
        assert!(areas(Rect::new(0, 0, 80, 19), false).is_none());
        assert!(
            areas(Rect::new(0, 0, 160, 48), false)
                .unwrap()
                .trend
                .is_some()
        );
    }

    #[test]
    fn scrolling_keeps_the_selection_in_view() {
        assert_eq!(scroll_offset(0, 0, 10, 5), 0);
        assert_eq!(scroll_offset(0, 9, 10, 100), 0);
        assert_eq!(scroll_offset(0, 10, 10, 100), 1);
        assert_eq!(scroll_offset(5, 3, 10, 100), 3);
        assert_eq!(scroll_offset(50, 99, 10, 100), 90);
        assert_eq!(scroll_offset(95, 99, 10, 100), 90);
    }
}
