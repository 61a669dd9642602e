//! Changes to the watchlist made on screen (add, remove, edit, marks); each is applied at once
//! and saved through an effect.

use super::lookups::resolve;
use super::navigation::resort;
use super::set_status;
use crate::app::action::{AfterResolve, Effect, WatchOp};
use crate::app::form::{self, EditForm};
use crate::app::state::{App, Focus, Level, MAX_MARKED, Overlay};
use crate::item_id::{ItemId, ItemRef};
use crate::keymap::Command;
use crate::store::config::WatchEntry;

pub(super) fn watch_pasted(app: &mut App, items: Vec<ItemRef>) -> Vec<Effect> {
    if refuse_read_only(app) {
        return Vec::new();
    }
    let mut ids = Vec::new();
    let mut effects = Vec::new();
    for r in items {
        match r {
            ItemRef::Id(id) => ids.push(id),
            ItemRef::Short(link) => effects.extend(resolve(app, link, AfterResolve::Watch)),
        }
    }
    if !ids.is_empty() {
        effects.extend(watch_all(app, ids));
    }
    effects
}

/// Adds the items not yet watched, in one save.
pub(super) fn watch_all(app: &mut App, ids: Vec<ItemId>) -> Vec<Effect> {
    if refuse_read_only(app) {
        return Vec::new();
    }
    let mut new: Vec<ItemId> = Vec::new();
    for id in ids {
        if !app.is_watched(&id) && !new.contains(&id) {
            new.push(id);
        }
    }
    let campaign = app.watch.tab.campaign().map(str::to_owned);
    let joins = joins(campaign.as_deref());
    match new.as_slice() {
        [] => {
            set_status(app, Level::Info, "already in the watchlist".into());
            return Vec::new();
        }
        [one] => set_status(
            app,
            Level::Info,
            format!("added {one} to the watchlist{joins}"),
        ),
        many => set_status(
            app,
            Level::Info,
            format!(
                "added {} items to the watchlist{joins} (R fetches them)",
                many.len()
            ),
        ),
    }
    for id in &new {
        app.watch.entries.push(WatchEntry {
            item_id: id.clone(),
            label: None,
            campaign: campaign.clone(),
            price: None,
            added_at: Some(app.now),
        });
    }
    resort(app);
    save(app, WatchOp::AddAll { ids: new, campaign })
}

/// `, in campaign “双11”` when a video added joins the campaign whose tab is shown.
fn joins(campaign: Option<&str>) -> String {
    campaign.map_or_else(String::new, |c| format!(", in campaign “{c}”"))
}

pub(super) fn add_shown(app: &mut App) -> Vec<Effect> {
    let Some(id) = app.shown.clone().or_else(|| app.target()) else {
        set_status(
            app,
            Level::Info,
            format!(
                "look an item up first, then {} adds it",
                app.key_for(Command::Add)
            ),
        );
        return Vec::new();
    };
    if refuse_read_only(app) {
        return Vec::new();
    }
    if app.is_watched(&id) {
        set_status(
            app,
            Level::Info,
            format!("{id} is already in the watchlist"),
        );
        return Vec::new();
    }
    // Added from a campaign's tab, it joins that campaign (and so stays in view).
    let campaign = app.watch.tab.campaign().map(str::to_owned);
    app.watch.entries.push(WatchEntry {
        item_id: id.clone(),
        label: None,
        campaign: campaign.clone(),
        price: None,
        added_at: Some(app.now),
    });
    resort(app);
    let joins = joins(campaign.as_deref());
    set_status(
        app,
        Level::Info,
        format!("added {id} to the watchlist{joins}"),
    );
    save(
        app,
        WatchOp::Add {
            id,
            label: None,
            campaign,
        },
    )
}

pub(super) fn ask_remove(app: &mut App) {
    if app.focus != Focus::Watchlist {
        set_status(
            app,
            Level::Info,
            format!(
                "select a watchlist row first ({})",
                app.key_for(Command::NextPane)
            ),
        );
        return;
    }
    if refuse_read_only(app) {
        return;
    }
    if let Some(entry) = app.watch_entry_at(app.watch.selected) {
        app.overlay = Some(Overlay::ConfirmRemove(entry.item_id.clone()));
    }
}

pub(super) fn remove_watched(app: &mut App, id: ItemId) -> Vec<Effect> {
    app.watch.entries.retain(|e| e.item_id != id.as_str());
    resort(app);
    set_status(app, Level::Info, format!("removed {id} from the watchlist"));
    save(app, WatchOp::Remove(id))
}

pub(super) fn edit_watched(app: &mut App) {
    let id = match app.focus {
        Focus::Watchlist => app.selected_watch_id(),
        _ => app.shown.clone().filter(|id| app.is_watched(id)),
    };
    let Some(form) = id.and_then(|id| {
        let entry = app.entry_of(&id)?;
        Some(EditForm::new(id, entry))
    }) else {
        set_status(app, Level::Info, "select a watchlist row to edit it".into());
        return;
    };
    if refuse_read_only(app) {
        return;
    }
    app.overlay = Some(Overlay::Edit(form));
}

/// Saves what the form changed; a bad value (or a config file broken meanwhile) keeps the
/// form open with everything typed.
pub(super) fn save_form(app: &mut App, mut form: EditForm) -> Vec<Effect> {
    let changes = match form.changes() {
        Ok(changes) => changes,
        Err(_) => {
            form.focus = form::PRICE;
            app.overlay = Some(Overlay::Edit(form));
            return Vec::new();
        }
    };
    if refuse_read_only(app) {
        app.overlay = Some(Overlay::Edit(form));
        return Vec::new();
    }
    let id = form.id;
    let mut said = Vec::new();
    let quoted = |key: &str, v: &Option<String>| match v {
        Some(v) => format!("{key} “{v}”"),
        None => format!("no {key}"),
    };
    if let Some(label) = &changes.label {
        said.push(quoted("label", label));
    }
    if let Some(campaign) = &changes.campaign {
        said.push(quoted("campaign", campaign));
    }
    if let Some(price) = &changes.price {
        said.push(match price {
            Some(p) => format!("price ¥{p}"),
            None => "no price".into(),
        });
    }
    if said.is_empty() {
        set_status(app, Level::Info, format!("{id}: nothing changed"));
        return Vec::new();
    }
    for entry in app
        .watch
        .entries
        .iter_mut()
        .filter(|e| e.item_id == id.as_str())
    {
        if let Some(label) = &changes.label {
            entry.label = label.clone();
        }
        if let Some(campaign) = &changes.campaign {
            entry.campaign = campaign.clone();
        }
        if let Some(price) = changes.price {
            entry.price = price;
        }
    }
    resort(app);
    set_status(app, Level::Info, format!("saved {}", said.join(", ")));
    save(app, WatchOp::Set { id, changes })
}

pub(super) fn toggle_mark(app: &mut App) {
    let Some(entry) = app
        .watch_entry_at(app.watch.selected)
        .filter(|_| app.focus == Focus::Watchlist)
    else {
        set_status(app, Level::Info, "select a watchlist row to mark it".into());
        return;
    };
    let id = entry.item_id.clone();
    let compare = app.key_for(Command::Compare);
    if let Some(at) = app.mark_of(&id) {
        app.watch.marked.remove(at);
        let n = app.watch.marked.len();
        set_status(app, Level::Info, format!("unmarked {id} ({n} marked)"));
        return;
    }
    if app.watch.marked.len() >= MAX_MARKED {
        let text = format!(
            "not marked: the compare view takes {MAX_MARKED} videos at most; {} on a marked row unmarks it",
            app.key_for(Command::Mark)
        );
        set_status(app, Level::Warn, text);
        return;
    }
    app.watch.marked.push(id.clone());
    let n = app.watch.marked.len();
    let next = if n >= 2 {
        format!("{compare} compares them")
    } else {
        "mark another to compare".to_owned()
    };
    set_status(
        app,
        Level::Info,
        format!("marked {n} of {MAX_MARKED}: {next}"),
    );
}

/// Opens the compare view on the marked videos; their stored reports are read (never a
/// call) so the view has publish times and followers.
pub(super) fn open_compare(app: &mut App) -> Vec<Effect> {
    let n = app.watch.marked.len();
    if n < 2 {
        let text = format!(
            "mark 2 to {MAX_MARKED} watchlist rows with {} to compare them ({n} marked)",
            app.key_for(Command::Mark)
        );
        set_status(app, Level::Info, text);
        return Vec::new();
    }
    app.overlay = Some(Overlay::Compare { column: 0, line: 0 });
    app.watch
        .marked
        .iter()
        .filter(|id| app.view(id).is_none_or(|v| v.last_ok.is_none()))
        .cloned()
        .map(Effect::Peek)
        .collect()
}

pub(super) fn save(app: &mut App, op: WatchOp) -> Vec<Effect> {
    app.watch.unsaved += 1;
    vec![Effect::Watch(op)]
}

/// Says why the watchlist cannot change, when it cannot.
fn refuse_read_only(app: &mut App) -> bool {
    let Some(why) = &app.watch.read_only else {
        return false;
    };
    let text = format!("the watchlist is read-only: {why}");
    set_status(app, Level::Error, text);
    true
}

#[cfg(test)]
mod tests {

    use crossterm::event::{KeyCode, KeyModifiers, MouseEvent};

    use crossterm::event::MouseEventKind;

    use crate::app::action::{Action, Effect, WatchOp};

    use crate::app::state::{Focus, Level, Overlay};
    use crate::app::tabs::Tab;

    use crate::store::config::WatchEntry;

    use crate::app::update::navigation::resort;
    use crate::app::update::testing::{
        A, B, C, D, ID, app, id, key, shown_rows, type_text, watch, watch_in,
    };
    use crate::app::update::update;

    #[test]
    fn watchlist_add_label_remove_are_applied_and_saved() {
        let mut app = app();
        app.shown = Some(id(ID));
        update(&mut app, key(KeyCode::Esc));
        let effects = update(&mut app, key(KeyCode::Char('a')));
        assert_eq!(
            effects,
            vec![Effect::Watch(WatchOp::Add {
                id: id(ID),
                label: None,
                campaign: None
            })]
        );
        assert!(app.is_watched(&id(ID)));
        assert!(
            update(&mut app, key(KeyCode::Char('a'))).is_empty(),
            "no duplicate"
        );

        app.focus = Focus::Watchlist;
        update(&mut app, key(KeyCode::Char('e')));
        type_text(&mut app, "理想L6");
        let effects = update(&mut app, key(KeyCode::Enter));
        assert_eq!(
            effects,
            vec![Effect::Watch(WatchOp::Set {
                id: id(ID),
                changes: crate::store::config::KeyChanges {
                    label: Some(Some("理想L6".into())),
                    ..Default::default()
                }
            })]
        );
        assert_eq!(app.label_of(&id(ID)), Some("理想L6"));

        update(&mut app, key(KeyCode::Char('d')));
        assert_eq!(app.overlay, Some(Overlay::ConfirmRemove(id(ID))));
        update(&mut app, key(KeyCode::Char('n')));
        assert!(app.is_watched(&id(ID)), "n keeps it");
        update(&mut app, key(KeyCode::Char('d')));
        let effects = update(&mut app, key(KeyCode::Char('y')));
        assert_eq!(effects, vec![Effect::Watch(WatchOp::Remove(id(ID)))]);
        assert!(!app.is_watched(&id(ID)));
    }

    #[test]
    fn the_files_view_replaces_the_screens_only_when_every_change_is_saved() {
        let mut app = app();
        app.shown = Some(id(ID));
        update(&mut app, key(KeyCode::Char('a')));
        app.focus = Focus::Watchlist;
        update(&mut app, key(KeyCode::Char('d')));
        update(&mut app, key(KeyCode::Char('y')));
        assert_eq!(app.watch.unsaved, 2);
        let after_add = vec![WatchEntry {
            item_id: id(ID),
            label: None,
            campaign: None,
            price: None,
            added_at: None,
        }];
        update(&mut app, Action::WatchSaved(Ok(after_add)));
        assert!(
            !app.is_watched(&id(ID)),
            "an older file state never flickers back"
        );
        update(&mut app, Action::WatchSaved(Ok(vec![])));
        assert_eq!(app.watch.unsaved, 0);
        assert!(app.watch.entries.is_empty());
        update(&mut app, key(KeyCode::Char('a')));
        update(&mut app, Action::WatchSaved(Err("disk full".into())));
        assert_eq!(app.watch.unsaved, 0);
        assert!(
            app.is_watched(&id(ID)),
            "kept in memory when the save fails"
        );
        assert_eq!(app.status.as_ref().unwrap().level, Level::Error);
    }

    #[test]
    fn a_read_only_watchlist_refuses_changes() {
        let mut app = app();
        app.shown = Some(id(ID));
        update(
            &mut app,
            Action::WatchlistLoaded {
                entries: vec![],
                read_only: Some("line 1, column 2: bad".into()),
            },
        );
        update(&mut app, key(KeyCode::Esc));
        assert!(update(&mut app, key(KeyCode::Char('a'))).is_empty());
        assert!(app.status.as_ref().unwrap().text.contains("read-only"));
        assert!(app.has_banner());
    }

    #[test]
    fn a_video_added_from_a_campaigns_tab_joins_the_campaign() {
        let mut app = app();
        watch_in(&mut app, &[(A, Some("春节 🧧")), (B, None)]);
        app.focus = Focus::Watchlist;
        update(&mut app, key(KeyCode::Char(']')));
        app.shown = Some(id(C));
        let effects = update(&mut app, key(KeyCode::Char('a')));
        assert_eq!(
            effects,
            vec![Effect::Watch(WatchOp::Add {
                id: id(C),
                label: None,
                campaign: Some("春节 🧧".into())
            })]
        );
        let rows = shown_rows(&app);
        assert!(rows.len() == 2 && rows.contains(&C.to_owned()), "{rows:?}");
        assert!(
            app.status
                .clone()
                .unwrap()
                .text
                .contains("in campaign “春节 🧧”")
        );
        // From "(none)" or "All", no campaign.
        update(&mut app, key(KeyCode::Char(']')));
        assert_eq!(app.watch.tab, Tab::Unassigned);
        app.shown = Some(id(D));
        let effects = update(&mut app, key(KeyCode::Char('a')));
        assert!(matches!(
            &effects[..],
            [Effect::Watch(WatchOp::Add { campaign: None, .. })]
        ));
    }

    #[test]
    fn marks_take_eight_and_the_ninth_says_why() {
        let mut app = app();
        let ids: Vec<String> = (0..9).map(|i| format!("75662004714487795{i:02}")).collect();
        let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
        watch(&mut app, &refs);
        app.focus = Focus::Watchlist;
        let effects = update(&mut app, key(KeyCode::Char('c')));
        assert!(effects.is_empty() && app.overlay.is_none());
        assert!(app.status.clone().unwrap().text.contains("0 marked"));
        for _ in 0..9 {
            update(&mut app, key(KeyCode::Char(' ')));
            update(&mut app, key(KeyCode::Down));
        }
        assert_eq!(
            app.watch.marked,
            ids[..8].iter().map(|i| id(i)).collect::<Vec<_>>()
        );
        let status = app.status.clone().unwrap();
        assert_eq!(status.level, Level::Warn);
        assert!(status.text.contains("8 videos at most"), "{}", status.text);
        // Space on a marked row unmarks it; the rest keep their order.
        app.watch.selected = 1;
        update(&mut app, key(KeyCode::Char(' ')));
        assert_eq!(app.mark_of(&id(&ids[1])), None);
        assert_eq!(app.mark_of(&id(&ids[2])), Some(1));

        // `c` opens the view and reads the marked videos' stored reports (never a call).
        let effects = update(&mut app, key(KeyCode::Char('c')));
        assert!(matches!(
            app.overlay,
            Some(Overlay::Compare { column: 0, line: 0 })
        ));
        assert_eq!(effects.len(), 7);
        assert!(effects.iter().all(|e| matches!(e, Effect::Peek(_))));
        update(&mut app, key(KeyCode::Left));
        assert!(matches!(
            app.overlay,
            Some(Overlay::Compare { column: 0, .. })
        ));
        for _ in 0..40 {
            update(&mut app, key(KeyCode::Char('l')));
            update(&mut app, key(KeyCode::Char('j')));
        }
        let (columns, lines) = crate::app::compare::limits(&app);
        assert!(columns > 0, "7 columns do not fit in 100 cells");
        assert_eq!(
            app.overlay,
            Some(Overlay::Compare {
                column: columns,
                line: lines
            }),
            "scrolling stops at the last column and line"
        );
        let wheel = |kind| {
            Action::Mouse(MouseEvent {
                kind,
                column: 10,
                row: 10,
                modifiers: KeyModifiers::NONE,
            })
        };
        update(&mut app, wheel(MouseEventKind::ScrollUp));
        update(&mut app, wheel(MouseEventKind::ScrollUp));
        assert_eq!(
            app.overlay,
            Some(Overlay::Compare {
                column: columns,
                line: lines - 2
            }),
            "the wheel scrolls the lines"
        );
        update(&mut app, key(KeyCode::Esc));
        assert!(app.overlay.is_none());
        // A removed video leaves the marks.
        app.watch.entries.retain(|e| e.item_id != ids[0].as_str());
        resort(&mut app);
        assert_eq!(app.mark_of(&id(&ids[0])), None);
        assert_eq!(app.watch.marked.len(), 6);
    }

    #[test]
    fn the_edit_form_checks_the_price_and_saves_only_what_changed() {
        let mut app = app();
        watch(&mut app, &[ID]);
        app.focus = Focus::Watchlist;
        update(&mut app, key(KeyCode::Char('e')));
        assert!(matches!(app.overlay, Some(Overlay::Edit(_))));
        update(&mut app, key(KeyCode::Tab));
        type_text(&mut app, "双11 种草");
        update(&mut app, key(KeyCode::Tab));
        type_text(&mut app, "12x");
        // Refused: the form stays, with what was typed, on the price.
        assert!(update(&mut app, key(KeyCode::Enter)).is_empty());
        let Some(Overlay::Edit(form)) = app.overlay.clone() else {
            panic!("{:?}", app.overlay)
        };
        assert_eq!(form.fields[1].text(), "双11 种草");
        assert_eq!(form.fields[2].text(), "12x");
        assert!(form.price_error().unwrap().contains("not a price"));
        update(&mut app, key(KeyCode::Backspace));
        update(&mut app, key(KeyCode::Backspace));
        type_text(&mut app, ",500");
        let effects = update(&mut app, key(KeyCode::Enter));
        assert_eq!(
            effects,
            vec![Effect::Watch(WatchOp::Set {
                id: id(ID),
                changes: crate::store::config::KeyChanges {
                    label: None,
                    campaign: Some(Some("双11 种草".into())),
                    price: Some(Some(crate::price::Price::Whole(1500))),
                }
            })]
        );
        assert!(app.overlay.is_none());
        let entry = app.entry_of(&id(ID)).unwrap();
        assert_eq!(entry.campaign.as_deref(), Some("双11 种草"));
        assert_eq!(entry.price, Some(crate::price::Price::Whole(1500)));
        assert!(app.has_tabs(), "the new campaign has a tab");

        // Unchanged: nothing is written.
        update(&mut app, key(KeyCode::Char('e')));
        assert!(update(&mut app, key(KeyCode::Enter)).is_empty());
        assert!(app.status.clone().unwrap().text.contains("nothing changed"));

        // The config file broke while the form was open: refused, the form kept.
        update(&mut app, key(KeyCode::Char('e')));
        type_text(&mut app, "new label");
        update(
            &mut app,
            Action::ConfigChanged(Err("config.toml:1:1: bad".into())),
        );
        assert!(update(&mut app, key(KeyCode::Enter)).is_empty());
        assert!(matches!(app.overlay, Some(Overlay::Edit(_))));
        assert!(app.status.clone().unwrap().text.contains("read-only"));
        update(&mut app, key(KeyCode::Esc));
        // And it does not open while the file is broken.
        update(&mut app, key(KeyCode::Char('e')));
        assert!(app.overlay.is_none());
    }
}
