//! Selection, focus, campaign tabs, sorting and scrolling: what is shown where.

use super::results::keeps_report;
use super::set_status;
use crate::app::action::Effect;
use crate::app::layout;
use crate::app::sort::sort_order;
use crate::app::state::{App, Focus, Level, SortColumn};
use crate::app::tabs::{self, Tab};
use crate::item_id::ItemId;
use crate::keymap::Command;

/// Moves `step` tabs along, round; the selected video stays selected when the new tab holds
/// it.
pub(super) fn switch_tab(app: &mut App, step: isize) -> Vec<Effect> {
    let n = app.watch.tabs.len();
    if n <= 1 {
        let text = format!(
            "no campaigns yet: {} on a row sets its campaign, and each campaign gets a tab",
            app.key_for(Command::Label)
        );
        set_status(app, Level::Info, text);
        return Vec::new();
    }
    let at = app
        .watch
        .tabs
        .iter()
        .position(|(t, _)| *t == app.watch.tab)
        .unwrap_or(0);
    let next = (at as isize + step).rem_euclid(n as isize) as usize;
    let selected_id = app
        .watch_entry_at(app.watch.selected)
        .map(|e| e.item_id.clone());
    app.watch.tab = app.watch.tabs[next].0.clone();
    app.watch.order = sort_order(app);
    app.watch.selected = selected_id
        .and_then(|id| {
            app.watch
                .order
                .iter()
                .position(|i| app.watch.entries[*i].item_id == id)
        })
        .unwrap_or(0);
    app.watch.offset = 0;
    keep_selections_in_view(app);
    // The recent list gives way to the campaign summary.
    app.focus = Focus::Watchlist;
    show_selected(app)
}

pub(super) fn move_selection(app: &mut App, delta: isize) -> Vec<Effect> {
    let (selected, len) = match app.focus {
        Focus::Recent => (&mut app.recent_selected, app.recent.len()),
        Focus::Watchlist => (&mut app.watch.selected, app.watch.order.len()),
        Focus::Input => return Vec::new(),
    };
    if len == 0 {
        return Vec::new();
    }
    let target = (*selected as isize)
        .saturating_add(delta)
        .clamp(0, len as isize - 1) as usize;
    if target == *selected {
        return Vec::new();
    }
    *selected = target;
    keep_selections_in_view(app);
    show_selected(app)
}

/// Shows the selected row's item in the detail panes, from what is known or cached; never
/// a paid call (that is `r`).
pub(super) fn show_selected(app: &mut App) -> Vec<Effect> {
    let id = match app.focus {
        Focus::Recent => app.recent.get(app.recent_selected).cloned(),
        Focus::Watchlist => app.selected_watch_id(),
        Focus::Input => None,
    };
    let Some(id) = id else {
        return Vec::new();
    };
    // The report of the row left behind goes, unless the recent list shows it.
    if let Some(left) = app.shown.replace(id.clone())
        && left != id
        && !keeps_report(app, &left)
        && let Some(view) = app.items.get_mut(&left)
    {
        view.last_ok = None;
    }
    let known = app.items.get(&id).is_some_and(|v| v.last_ok.is_some());
    let mut effects = vec![Effect::LoadSeries];
    if !known {
        effects.push(Effect::Peek(id));
    }
    effects
}

pub(super) fn remember_recent(app: &mut App, id: &ItemId) {
    app.recent.retain(|r| r != id);
    app.recent.insert(0, id.clone());
    app.recent_selected = 0;
    app.recent_offset = 0;
}

pub(super) fn cycle_focus(app: &mut App, step: usize) {
    let i = Focus::ORDER
        .iter()
        .position(|f| *f == app.focus)
        .unwrap_or(0);
    app.focus = Focus::ORDER[(i + step) % Focus::ORDER.len()];
}

/// New figures can move rows when the watchlist is sorted by a figure. Results arrive in
/// bursts (a refresh of 1,000 items), so the sort waits for `settle`, once per burst.
pub(super) fn resort_later(app: &mut App) {
    if !matches!(app.watch.sort, SortColumn::Added) {
        app.watch.needs_sort = true;
    }
}

/// Work deferred while a burst of actions was applied; the runtime calls it once the queue
/// is empty, before drawing.
pub fn settle(app: &mut App) {
    if app.watch.needs_sort {
        resort(app);
    }
}

/// Re-sorts the watchlist, keeping the same item selected; the tabs and marks follow the
/// list.
pub(super) fn resort(app: &mut App) {
    app.watch.needs_sort = false;
    app.watch.tabs = tabs::tabs(&app.watch.entries);
    if !app.watch.tabs.iter().any(|(t, _)| *t == app.watch.tab) {
        app.watch.tab = Tab::All;
    }
    if !app.watch.marked.is_empty() {
        let watched: std::collections::HashSet<&str> = app
            .watch
            .entries
            .iter()
            .map(|e| e.item_id.as_str())
            .collect();
        app.watch.marked.retain(|m| watched.contains(m.as_str()));
    }
    let selected_id = app
        .watch_entry_at(app.watch.selected)
        .map(|e| e.item_id.clone());
    app.watch.order = sort_order(app);
    if let Some(id) = selected_id
        && let Some(pos) = app
            .watch
            .order
            .iter()
            .position(|i| app.watch.entries[*i].item_id == id)
    {
        app.watch.selected = pos;
    }
    app.watch.selected = app
        .watch
        .selected
        .min(app.watch.order.len().saturating_sub(1));
    keep_selections_in_view(app);
}

pub(super) fn keep_selections_in_view(app: &mut App) {
    let Some(areas) = screen_areas(app) else {
        return;
    };
    app.watch.offset = layout::scroll_offset(
        app.watch.offset,
        app.watch.selected,
        layout::table_rows(areas.watchlist, app.has_tabs()),
        app.watch.order.len(),
    );
    app.recent_offset = layout::scroll_offset(
        app.recent_offset,
        app.recent_selected,
        layout::visible_rows(areas.recent, false),
        app.recent.len(),
    );
}

pub(super) fn screen_areas(app: &App) -> Option<layout::Areas> {
    let (w, h) = app.size;
    layout::areas(ratatui::layout::Rect::new(0, 0, w, h), app.has_banner())
}

pub(super) fn pane_of(app: &App, focus: Focus) -> ratatui::layout::Rect {
    let areas = screen_areas(app);
    match (focus, areas) {
        (Focus::Recent, Some(a)) => a.recent,
        (Focus::Watchlist, Some(a)) => a.watchlist,
        (Focus::Input, Some(a)) => a.input,
        (_, None) => ratatui::layout::Rect::default(),
    }
}

#[cfg(test)]
mod tests {

    use crossterm::event::KeyCode;

    use crate::app::action::Action;

    use crate::app::state::{Focus, SortColumn};
    use crate::app::tabs::Tab;

    use super::*;

    use crate::app::update::testing::{
        A, B, C, D, app, fetched, id, key, shown_rows, watch, watch_in,
    };
    use crate::app::update::update;

    #[test]
    fn sorting_cycles_reverses_and_keeps_the_selection() {
        let mut app = app();
        let ids = [
            "7566200471448779501",
            "7566200471448779502",
            "7566200471448779503",
        ];
        watch(&mut app, &ids);
        // Sorting reads the compact rows, not full reports.
        for (i, item) in ids.iter().enumerate() {
            update(
                &mut app,
                Action::Fetched {
                    id: id(item),
                    result: Ok(fetched(item, [500, 100, 900][i])),
                    calls_made: 1,
                },
            );
            assert!(
                app.view(&id(item)).unwrap().last_ok.is_none(),
                "no full report kept"
            );
        }
        settle(&mut app);
        app.focus = Focus::Watchlist;
        update(&mut app, key(KeyCode::Char('s')));
        assert_eq!(app.watch.sort, SortColumn::Label);
        update(&mut app, key(KeyCode::Char('s')));
        assert_eq!(app.watch.sort, SortColumn::Views);
        let order: Vec<&str> = (0..3)
            .map(|r| app.watch_entry_at(r).unwrap().item_id.as_str())
            .collect();
        assert_eq!(order, [ids[1], ids[0], ids[2]]);
        app.watch.selected = 2;
        update(&mut app, key(KeyCode::Char('S')));
        assert_eq!(app.watch_entry_at(0).unwrap().item_id, ids[2]);
        assert_eq!(app.watch.selected, 0, "the selected item stays selected");
        for _ in 0..10 {
            update(&mut app, key(KeyCode::Down));
        }
        assert_eq!(app.watch.selected, 2, "clamped at the end");
        update(&mut app, key(KeyCode::Char('g')));
        assert_eq!(app.watch.selected, 0);
    }

    #[test]
    fn campaign_tabs_hold_their_rows_and_sort_within() {
        let mut app = app();
        watch_in(
            &mut app,
            &[
                (A, Some("理想L6")),
                (B, Some("美妆 💄")),
                (C, Some("理想L6")),
                (D, None),
            ],
        );
        let tabs: Vec<(String, usize)> = app
            .watch
            .tabs
            .iter()
            .map(|(t, n)| (t.label().to_owned(), *n))
            .collect();
        assert_eq!(
            tabs,
            [
                ("All".to_owned(), 4),
                ("理想L6".to_owned(), 2),
                ("美妆 💄".to_owned(), 1),
                ("(none)".to_owned(), 1)
            ]
        );
        app.focus = Focus::Watchlist;
        // C is selected; the campaign's tab holds it, so it stays selected.
        app.watch.selected = 2;
        update(&mut app, key(KeyCode::Char(']')));
        assert_eq!(app.watch.tab, Tab::Campaign("理想L6".into()));
        assert_eq!(shown_rows(&app), [A, C]);
        assert_eq!(app.selected_watch_id(), Some(id(C)));
        assert!(app.shows_summary());
        // Sorting applies within the tab.
        for (item, views) in [(A, 100), (C, 900), (B, 500)] {
            update(
                &mut app,
                Action::Fetched {
                    id: id(item),
                    result: Ok(fetched(item, views)),
                    calls_made: 1,
                },
            );
        }
        app.watch.sort = SortColumn::Views;
        app.watch.reverse = true;
        resort(&mut app);
        assert_eq!(shown_rows(&app), [C, A]);
        update(&mut app, key(KeyCode::Char(']')));
        assert_eq!(shown_rows(&app), [B]);
        assert_eq!(
            app.selected_watch_id(),
            Some(id(B)),
            "the first row of the tab"
        );
        update(&mut app, key(KeyCode::Char(']')));
        assert_eq!(shown_rows(&app), [D]);
        assert!(!app.shows_summary(), "(none) is not a campaign");
        update(&mut app, key(KeyCode::Char(']')));
        assert_eq!(app.watch.tab, Tab::All, "round to All");
        update(&mut app, key(KeyCode::Char('[')));
        assert_eq!(app.watch.tab, Tab::Unassigned);
        // The recent list comes back while it has the focus (a lookup puts it there).
        update(&mut app, key(KeyCode::Char('[')));
        update(&mut app, key(KeyCode::Char('[')));
        assert!(app.shows_summary());
        app.focus = Focus::Input;
        update(&mut app, key(KeyCode::Tab));
        assert_eq!(app.focus, Focus::Recent);
        assert!(!app.shows_summary());
        update(&mut app, key(KeyCode::Tab));
        assert!(app.shows_summary());

        // A tab whose videos all leave falls back to All.
        app.watch.tab = Tab::Campaign("美妆 💄".into());
        resort(&mut app);
        app.watch.entries.retain(|e| e.item_id != B);
        resort(&mut app);
        assert_eq!(app.watch.tab, Tab::All);
        assert_eq!(app.watch.tabs.len(), 3);
    }

    #[test]
    fn without_campaigns_tab_keys_say_how_to_get_some() {
        let mut app = app();
        watch(&mut app, &[A, B]);
        app.focus = Focus::Watchlist;
        assert!(!app.has_tabs());
        update(&mut app, key(KeyCode::Char(']')));
        assert_eq!(app.watch.tab, Tab::All);
        assert!(app.status.clone().unwrap().text.contains("no campaigns"));
    }
}
