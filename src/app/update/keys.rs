//! Keys, mouse and paste: which command a key runs in each place (the lists, the box, a
//! pop-up), and what each command does.

use crossterm::event::{KeyEvent, MouseButton, MouseEventKind};

use super::lookups::{
    daily_trend, look_up_all, refetch_target, refresh_watchlist, start_refresh, submit,
};
use super::navigation::{
    cycle_focus, keep_selections_in_view, move_selection, pane_of, resort, screen_areas,
    show_selected, switch_tab,
};
use super::set_status;
use super::watchlist::{
    add_shown, ask_remove, edit_watched, open_compare, remove_watched, save_form, toggle_mark,
    watch_pasted,
};
use crate::app::account;
use crate::app::action::Effect;
use crate::app::quit;
use crate::app::state::{App, Focus, Level, Overlay, SortColumn};
use crate::app::{compare, layout};
use crate::format::NumberStyle;
use crate::item_id::{ItemId, ItemRef};
use crate::item_list;
use crate::keymap::{Command, Key, Scope};

pub(super) fn on_key(app: &mut App, event: KeyEvent) -> Vec<Effect> {
    let key = Key::from_event(&event);
    let scope = match app.focus {
        Focus::Input => Scope::Box,
        Focus::Recent | Focus::Watchlist => Scope::Lists,
    };
    // Quitting at once works even over a pop-up, and abandons calls under way.
    if app.keys.command(Scope::Box, key) == Some(Command::QuitNow) {
        app.quit = true;
        return Vec::new();
    }
    if app.quitting.is_some() {
        // Waiting for answers before quitting: only a second quit acts (it abandons them).
        return match app.keys.command(Scope::Lists, key) {
            Some(Command::Quit) => quit::request(app),
            _ => Vec::new(),
        };
    }
    if app.overlay.is_some() {
        return on_overlay_key(app, key);
    }
    let command = app.keys.command(scope, key);
    if scope == Scope::Box
        && let Some(c) = key.typed_char()
    {
        // In the box a character types. With nothing typed yet, a key bound to help is far
        // more likely a request for help than the start of a link.
        if command == Some(Command::Help) && app.input.is_empty() {
            open_help(app);
        } else {
            app.input.insert(c);
        }
        return Vec::new();
    }
    match command {
        Some(command) => run(app, command),
        None => {
            // Ids are typed more often than pasted: a digit starts one without `/` first.
            if let Some(c) = key.typed_char().filter(char::is_ascii_digit) {
                app.focus = Focus::Input;
                app.input.insert(c);
            }
            Vec::new()
        }
    }
}

/// What each command does; which key triggers it is the keymap's business.
fn run(app: &mut App, command: Command) -> Vec<Effect> {
    let page = match app.focus {
        Focus::Watchlist => layout::table_rows(pane_of(app, app.focus), app.has_tabs()),
        _ => layout::visible_rows(pane_of(app, app.focus), true),
    }
    .max(1) as isize;
    match command {
        Command::Help => open_help(app),
        Command::NextPane => cycle_focus(app, 1),
        Command::PrevPane => cycle_focus(app, Focus::ORDER.len() - 1),
        Command::QuitNow => app.quit = true,
        Command::Quit => return quit::request(app),
        Command::LookUp => return submit(app),
        Command::LeaveBox => app.focus = Focus::Recent,
        Command::ClearBox => app.input.clear(),
        Command::DeleteWord => app.input.delete_word(),
        Command::LineStart => app.input.home(),
        Command::LineEnd => app.input.end(),
        Command::CursorLeft => app.input.left(),
        Command::CursorRight => app.input.right(),
        Command::DeleteBack => app.input.backspace(),
        Command::DeleteForward => app.input.delete(),
        Command::FocusBox => app.focus = Focus::Input,
        Command::Dismiss => {
            // The message first, then the alert banner and its highlights.
            if app.status.take().is_none() && app.alert_banner.take().is_some() {
                app.alerted.clear();
                keep_selections_in_view(app);
            }
        }
        Command::Alerts => {
            app.overlay = Some(Overlay::Alerts);
            return vec![Effect::LoadAlerts];
        }
        Command::Up => return move_selection(app, -1),
        Command::Down => return move_selection(app, 1),
        Command::PageUp => return move_selection(app, -page),
        Command::PageDown => return move_selection(app, page),
        Command::First => return move_selection(app, isize::MIN / 2),
        Command::Last => return move_selection(app, isize::MAX / 2),
        Command::Show => return show_selected(app),
        Command::Refetch => return refetch_target(app),
        Command::RefreshAll => return refresh_watchlist(app, "refreshing"),
        Command::Balance => return account::on_key(app),
        Command::Open => return open_target(app),
        Command::CopyId => return copy_target(app, false),
        Command::CopyUrl => return copy_target(app, true),
        Command::Add => return add_shown(app),
        Command::Remove => ask_remove(app),
        Command::Label => edit_watched(app),
        Command::NextTab => return switch_tab(app, 1),
        Command::PrevTab => return switch_tab(app, -1),
        Command::Mark => toggle_mark(app),
        Command::Compare => return open_compare(app),
        Command::Metric => {
            app.watch.metric = app.watch.metric.next();
            let name = app.watch.metric.name();
            let text = if app.shows_summary() {
                format!("campaign videos ranked by {name}")
            } else {
                format!(
                    "campaign videos ranked by {name} in a campaign's tab ({} shows one)",
                    app.key_for(Command::NextTab)
                )
            };
            set_status(app, Level::Info, text);
        }
        Command::Sort => {
            let cycle = SortColumn::CYCLE;
            let i = cycle.iter().position(|c| *c == app.watch.sort).unwrap_or(0);
            app.watch.sort = cycle[(i + 1) % cycle.len()];
            resort(app);
            let name = app.watch.sort.name();
            set_status(app, Level::Info, format!("watchlist sorted by {name}"));
        }
        Command::Reverse => {
            app.watch.reverse = !app.watch.reverse;
            resort(app);
            let dir = if app.watch.reverse {
                "descending"
            } else {
                "ascending"
            };
            set_status(app, Level::Info, format!("watchlist order {dir}"));
        }
        Command::Trend => {
            app.trend_rate = !app.trend_rate;
            let what = if app.trend_rate {
                "growth per hour"
            } else {
                "absolute values"
            };
            set_status(app, Level::Info, format!("trend chart shows {what}"));
        }
        Command::DailyTrend => return daily_trend(app),
        Command::Units => {
            app.number_style = match app.number_style {
                NumberStyle::Cn => NumberStyle::Intl,
                NumberStyle::Intl => NumberStyle::Cn,
            };
        }
        // Only pop-ups confirm, cancel or scroll.
        Command::Confirm
        | Command::Cancel
        | Command::ScrollLeft
        | Command::ScrollRight
        | Command::ScrollUp
        | Command::ScrollDown => {}
    }
    Vec::new()
}

fn open_help(app: &mut App) {
    app.help_line = 0;
    app.overlay = Some(Overlay::Help);
}

fn on_overlay_key(app: &mut App, key: Key) -> Vec<Effect> {
    let Some(overlay) = app.overlay.take() else {
        return Vec::new();
    };
    let popup = app.keys.command(Scope::Popup, key);
    match overlay {
        Overlay::Help => {
            let overflow = crate::app::help::overflow(&app.keys, app.size.1);
            match popup {
                Some(Command::ScrollDown) => app.help_line = (app.help_line + 1).min(overflow),
                Some(Command::ScrollUp) => app.help_line = app.help_line.saturating_sub(1),
                _ => {}
            }
            let closes = matches!(popup, Some(Command::Confirm | Command::Cancel))
                || matches!(
                    app.keys.command(Scope::Lists, key),
                    Some(Command::Help | Command::Quit | Command::Dismiss)
                );
            if !closes {
                app.overlay = Some(Overlay::Help);
            }
            Vec::new()
        }
        Overlay::Alerts => {
            let closes = popup.is_some()
                || matches!(
                    app.keys.command(Scope::Lists, key),
                    Some(Command::Alerts | Command::Quit | Command::Dismiss)
                );
            if !closes {
                app.overlay = Some(Overlay::Alerts);
            }
            Vec::new()
        }
        Overlay::ConfirmRemove(id) => match popup {
            Some(Command::Confirm) => remove_watched(app, id),
            Some(Command::Cancel) => {
                set_status(app, Level::Info, "kept in the watchlist".into());
                Vec::new()
            }
            _ => {
                app.overlay = Some(Overlay::ConfirmRemove(id));
                Vec::new()
            }
        },
        // Text fields: characters type; Enter-like keys save, Esc-like keys cancel, Tab and
        // the arrows move between the fields.
        Overlay::Edit(mut form) => {
            if let Some(c) = key.typed_char() {
                form.input().insert(c);
            } else {
                match popup {
                    Some(Command::Confirm) => return save_form(app, form),
                    Some(Command::Cancel) => {
                        set_status(app, Level::Info, "edit cancelled: nothing changed".into());
                        return Vec::new();
                    }
                    _ => {}
                }
                let input = form.input();
                match app.keys.command(Scope::Box, key) {
                    Some(Command::ClearBox) => input.clear(),
                    Some(Command::DeleteWord) => input.delete_word(),
                    Some(Command::LineStart) => input.home(),
                    Some(Command::LineEnd) => input.end(),
                    Some(Command::CursorLeft) => input.left(),
                    Some(Command::CursorRight) => input.right(),
                    Some(Command::DeleteBack) => input.backspace(),
                    Some(Command::DeleteForward) => input.delete(),
                    Some(Command::NextPane | Command::LeaveBox) => form.step(1),
                    Some(Command::PrevPane) => form.step(-1),
                    _ if app.keys.command(Scope::Lists, key) == Some(Command::Up) => form.step(-1),
                    _ => {}
                }
            }
            app.overlay = Some(Overlay::Edit(form));
            Vec::new()
        }
        Overlay::Compare { column, line } => {
            let (columns, lines) = compare::limits(app);
            let (column, line) = match popup {
                Some(Command::Cancel) => return Vec::new(),
                _ if app.keys.command(Scope::Lists, key) == Some(Command::Compare) => {
                    return Vec::new();
                }
                Some(Command::ScrollLeft) => (column.saturating_sub(1), line),
                Some(Command::ScrollRight) => ((column + 1).min(columns), line),
                Some(Command::ScrollUp) => (column, line.saturating_sub(1)),
                Some(Command::ScrollDown) => (column, (line + 1).min(lines)),
                _ => (column, line),
            };
            app.overlay = Some(Overlay::Compare { column, line });
            Vec::new()
        }
        Overlay::ConfirmSpend {
            calls,
            estimate,
            balance,
            skipped,
        } => match popup {
            Some(Command::Confirm) => {
                let plan = account::plan_refresh(app);
                start_refresh(app, plan, "refreshing")
            }
            Some(Command::Cancel) => {
                set_status(app, Level::Info, "refresh cancelled: nothing called".into());
                Vec::new()
            }
            _ => {
                app.overlay = Some(Overlay::ConfirmSpend {
                    calls,
                    estimate,
                    balance,
                    skipped,
                });
                Vec::new()
            }
        },
        Overlay::PasteMany { items, invalid } => match popup {
            Some(Command::Confirm) => look_up_all(app, items),
            Some(Command::Cancel) => {
                set_status(
                    app,
                    Level::Info,
                    "paste dismissed: nothing looked up".into(),
                );
                Vec::new()
            }
            _ if app.keys.command(Scope::Lists, key) == Some(Command::Add) => {
                watch_pasted(app, items)
            }
            _ => {
                app.overlay = Some(Overlay::PasteMany { items, invalid });
                Vec::new()
            }
        },
    }
}

pub(super) fn on_paste(app: &mut App, text: &str) -> Vec<Effect> {
    match &mut app.overlay {
        Some(Overlay::Edit(form)) => form.input().insert_str(text.trim()),
        Some(_) => {}
        None => {
            // Terminals send a pasted line break as CR.
            let lines = item_list::plain_lines(&text.replace("\r\n", "\n").replace('\r', "\n"));
            if lines.len() > 1 {
                paste_many(app, &lines);
            } else {
                app.focus = Focus::Input;
                app.input.insert_str(text.trim());
            }
        }
    }
    Vec::new()
}

/// A paste of several lines (a column copied from a spreadsheet): ask what to do with the
/// valid items it holds.
fn paste_many(app: &mut App, lines: &[item_list::Row]) {
    let mut items: Vec<ItemRef> = Vec::new();
    let mut invalid = 0;
    for line in lines {
        match ItemRef::parse(&line.item) {
            Ok(ItemRef::Short(_)) if app.resolve_off.is_some() => invalid += 1,
            Ok(r) if !items.contains(&r) => items.push(r),
            Ok(_) => {}
            Err(_) => invalid += 1,
        }
    }
    if items.is_empty() {
        let text = format!(
            "the paste holds {} lines but no video id or Douyin link: nothing to look up",
            lines.len()
        );
        set_status(app, Level::Error, text);
        return;
    }
    app.overlay = Some(Overlay::PasteMany { items, invalid });
}

pub(super) fn on_mouse(app: &mut App, m: crossterm::event::MouseEvent) -> Vec<Effect> {
    if !app.mouse {
        return Vec::new();
    }
    // The wheel scrolls the compare view's lines.
    if let Some(Overlay::Compare { column, line }) = app.overlay {
        let (_, last) = compare::limits(app);
        let line = match m.kind {
            MouseEventKind::ScrollDown => (line + 1).min(last),
            MouseEventKind::ScrollUp => line.saturating_sub(1),
            _ => line,
        };
        app.overlay = Some(Overlay::Compare { column, line });
        return Vec::new();
    }
    if app.overlay.is_some() {
        return Vec::new();
    }
    let Some(areas) = screen_areas(app) else {
        return Vec::new();
    };
    let (x, y) = (m.column, m.row);
    let pane = [
        (Focus::Input, areas.input),
        (Focus::Recent, areas.recent),
        (Focus::Watchlist, areas.watchlist),
    ]
    .into_iter()
    .filter(|(f, _)| *f != Focus::Recent || !app.shows_summary())
    .find(|(_, r)| layout::contains(*r, x, y));
    match m.kind {
        MouseEventKind::ScrollDown | MouseEventKind::ScrollUp => {
            let Some((focus, _)) = pane.filter(|(f, _)| *f != Focus::Input) else {
                return Vec::new();
            };
            app.focus = focus;
            let step = if m.kind == MouseEventKind::ScrollDown {
                1
            } else {
                -1
            };
            move_selection(app, step)
        }
        MouseEventKind::Down(MouseButton::Left) => {
            let Some((focus, rect)) = pane else {
                return Vec::new();
            };
            app.focus = focus;
            let tab_row = focus == Focus::Watchlist && app.has_tabs();
            if tab_row && y == rect.y + 1 {
                let (tabs, active) = crate::app::tab_strip::of(app);
                let strip =
                    crate::app::tab_strip::strip(&tabs, active, rect.width.saturating_sub(2));
                return match crate::app::tab_strip::hit(&strip, x.saturating_sub(rect.x + 1)) {
                    Some(tab) => switch_tab(app, tab as isize - active as isize),
                    None => Vec::new(),
                };
            }
            // Row 0 is the border; the watchlist also has a header row (and the tabs).
            let header = usize::from(focus == Focus::Watchlist) + usize::from(tab_row);
            let first = usize::from(rect.y) + 1 + header;
            let Some(row) = usize::from(y).checked_sub(first) else {
                return Vec::new();
            };
            match focus {
                Focus::Recent if app.recent_offset + row < app.recent.len() => {
                    app.recent_selected = app.recent_offset + row;
                    show_selected(app)
                }
                Focus::Watchlist if app.watch.offset + row < app.watch.order.len() => {
                    app.watch.selected = app.watch.offset + row;
                    show_selected(app)
                }
                _ => Vec::new(),
            }
        }
        _ => Vec::new(),
    }
}

fn open_target(app: &mut App) -> Vec<Effect> {
    match app.target() {
        Some(id) => {
            let url = video_url(app, &id);
            set_status(app, Level::Info, format!("opening {url}"));
            vec![Effect::OpenUrl(url)]
        }
        None => Vec::new(),
    }
}

fn copy_target(app: &mut App, url: bool) -> Vec<Effect> {
    let Some(id) = app.target() else {
        return Vec::new();
    };
    let text = if url {
        video_url(app, &id)
    } else {
        id.to_string()
    };
    set_status(app, Level::Info, format!("copied {text} to the clipboard"));
    vec![Effect::Copy(text)]
}

/// The video's own URL when known, else the canonical Douyin page for the id.
pub fn video_url(app: &App, id: &ItemId) -> String {
    app.items
        .get(id)
        .and_then(|v| v.last_ok.as_ref())
        .and_then(|f| f.report.video.url.clone())
        .filter(|u| u.starts_with("http"))
        .unwrap_or_else(|| format!("https://www.douyin.com/video/{id}"))
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use crossterm::event::{KeyCode, KeyEventState, KeyModifiers, MouseEvent};

    use crossterm::event::{KeyEvent, KeyEventKind, MouseButton, MouseEventKind};

    use crate::app::action::{Action, AfterResolve, Effect, WatchOp};

    use crate::app::state::{Focus, Level, Overlay};
    use crate::app::tabs::Tab;

    use crate::fetcher::Freshness;

    use crate::app::update::navigation::screen_areas;
    use crate::app::update::update;

    use crate::app::update::testing::{
        A, B, ID, app, business, ctrl, id, key, short, shown_rows, type_text, watch, watch_in,
    };

    #[test]
    fn esc_never_quits_and_q_only_quits_outside_the_box() {
        let mut app = app();
        app.focus = Focus::Input;
        for _ in 0..3 {
            update(&mut app, key(KeyCode::Esc));
        }
        assert!(!app.quit);
        update(&mut app, key(KeyCode::Char('/')));
        assert_eq!(app.focus, Focus::Input);
        update(&mut app, key(KeyCode::Char('q')));
        assert!(!app.quit);
        assert_eq!(app.input.text(), "q");
        update(&mut app, ctrl('u'));
        assert!(app.input.is_empty());
        update(&mut app, key(KeyCode::Char('?')));
        assert_eq!(app.overlay, Some(Overlay::Help));
        update(&mut app, key(KeyCode::Esc));
        assert_eq!(app.overlay, None);
        assert!(!app.quit);
        update(&mut app, key(KeyCode::Esc));
        update(&mut app, key(KeyCode::Char('q')));
        assert!(app.quit);
        let mut app = super::tests::app();
        update(&mut app, ctrl('c'));
        assert!(app.quit, "Ctrl-C quits even from the box");
    }

    #[test]
    fn keys_held_with_ctrl_or_alt_do_nothing_unless_bound() {
        let mut app = app();
        app.shown = Some(id(ID));
        app.recent.push(id(ID));
        watch(&mut app, &[ID]);
        let before = app.clone();
        for focus in [Focus::Recent, Focus::Watchlist] {
            app.focus = focus;
            for c in ['r', 'R', 'a', 'd', 'o', 'y', 'q', 's', '7', '/', '?'] {
                for mods in [
                    KeyModifiers::CONTROL,
                    KeyModifiers::ALT,
                    KeyModifiers::CONTROL | KeyModifiers::SHIFT,
                    KeyModifiers::ALT | KeyModifiers::SHIFT,
                ] {
                    let effects =
                        update(&mut app, Action::Key(KeyEvent::new(KeyCode::Char(c), mods)));
                    assert!(effects.is_empty(), "{mods:?}-{c}: {effects:?}");
                    assert!(!app.quit && app.overlay.is_none(), "{mods:?}-{c}");
                    assert_eq!(app.focus, focus, "{mods:?}-{c}");
                    assert_eq!(app.watch.sort, before.watch.sort, "{mods:?}-{c}");
                }
            }
        }
        // In the box, Ctrl-letters edit or do nothing; they never type.
        app.focus = Focus::Input;
        update(&mut app, ctrl('r'));
        update(
            &mut app,
            Action::Key(KeyEvent::new(KeyCode::Char('x'), KeyModifiers::ALT)),
        );
        assert!(app.input.is_empty());
        type_text(&mut app, "756");
        update(&mut app, ctrl('a'));
        type_text(&mut app, "1");
        update(&mut app, ctrl('e'));
        type_text(&mut app, "9");
        assert_eq!(app.input.text(), "17569");
    }

    #[test]
    fn a_remapped_key_dispatches_and_the_old_one_is_free() {
        let mut app = app();
        app.shown = Some(id(ID));
        app.recent.push(id(ID));
        let overrides = [("refetch".to_string(), vec!["f".to_string()])].into();
        app.keys = Arc::new(crate::keymap::Keymap::with_overrides(&overrides).unwrap());
        assert!(update(&mut app, key(KeyCode::Char('r'))).is_empty());
        let effects = update(&mut app, key(KeyCode::Char('f')));
        assert!(
            matches!(
                effects[..],
                [Effect::Fetch {
                    freshness: Freshness::Force,
                    ..
                }]
            ),
            "{effects:?}"
        );
        // Messages name the key in force.
        app.halt = Some(business(601));
        type_text(&mut app, "7566200471448779515");
        update(&mut app, key(KeyCode::Enter));
        let status = &app.status.as_ref().unwrap().text;
        assert!(status.contains("press f to try again"), "{status}");
    }

    #[test]
    fn a_digit_in_a_list_starts_typing_an_id() {
        let mut app = app();
        assert_eq!(app.focus, Focus::Recent);
        update(&mut app, key(KeyCode::Char('7')));
        assert_eq!(app.focus, Focus::Input);
        assert_eq!(app.input.text(), "7");
    }

    #[test]
    fn key_releases_are_ignored() {
        let mut app = app();
        app.focus = Focus::Input;
        let mut release = KeyEvent::new(KeyCode::Char('x'), KeyModifiers::NONE);
        release.kind = KeyEventKind::Release;
        release.state = KeyEventState::NONE;
        update(&mut app, Action::Key(release));
        assert!(app.input.is_empty());
    }

    #[test]
    fn tab_cycles_focus_both_ways() {
        let mut app = app();
        app.focus = Focus::Input;
        update(&mut app, key(KeyCode::Tab));
        assert_eq!(app.focus, Focus::Recent);
        update(&mut app, key(KeyCode::Tab));
        assert_eq!(app.focus, Focus::Watchlist);
        update(&mut app, key(KeyCode::Tab));
        assert_eq!(app.focus, Focus::Input);
        update(&mut app, key(KeyCode::BackTab));
        assert_eq!(app.focus, Focus::Watchlist);
    }

    #[test]
    fn paste_goes_to_the_box_trimmed_and_on_one_line() {
        let mut app = app();
        app.focus = Focus::Watchlist;
        update(
            &mut app,
            Action::Paste(format!("\n https://www.douyin.com/video/{ID}\n")),
        );
        assert_eq!(app.focus, Focus::Input);
        assert_eq!(
            app.input.text(),
            format!("https://www.douyin.com/video/{ID}")
        );
    }

    #[test]
    fn a_multi_line_paste_asks_then_acts_on_every_valid_item() {
        let other = "7566200471448779515";
        let mut app = app();
        watch(&mut app, &[other]);
        let paste = format!("{ID}\rjunk\r\r# note\r{other}\rv.douyin.com/abc\r{ID}\r");
        assert!(update(&mut app, Action::Paste(paste.clone())).is_empty());
        assert!(app.input.is_empty(), "nothing lands in the box");
        let Some(Overlay::PasteMany { items, invalid }) = app.overlay.clone() else {
            panic!("{:?}", app.overlay);
        };
        assert_eq!(items.len(), 3, "{items:?}");
        assert_eq!(invalid, 1);

        // Esc: nothing happens.
        assert!(update(&mut app, key(KeyCode::Esc)).is_empty());
        assert!(app.overlay.is_none());

        // a: the one not yet watched is added in one save, the short link resolved first.
        update(&mut app, Action::Paste(paste.clone()));
        let effects = update(&mut app, key(KeyCode::Char('a')));
        assert_eq!(
            effects,
            vec![
                Effect::Resolve {
                    link: short("abc"),
                    then: AfterResolve::Watch
                },
                Effect::Watch(WatchOp::AddAll {
                    ids: vec![id(ID)],
                    campaign: None
                }),
            ]
        );
        assert!(app.is_watched(&id(ID)));

        // Enter: all looked up, the first pasted on screen.
        update(&mut app, Action::Paste(paste));
        let effects = update(&mut app, key(KeyCode::Enter));
        let fetches = effects
            .iter()
            .filter(|e| matches!(e, Effect::Fetch { .. }))
            .count();
        assert_eq!(fetches, 2);
        assert_eq!(app.shown, Some(id(ID)));
        assert_eq!(app.recent.first(), Some(&id(ID)));

        // A paste without anything valid says so and opens nothing.
        update(&mut app, Action::Paste("a\nb\n".into()));
        assert!(app.overlay.is_none());
        assert_eq!(app.status.clone().unwrap().level, Level::Error);
    }

    #[test]
    fn a_click_on_a_tab_switches_to_it() {
        let mut app = app();
        watch_in(&mut app, &[(A, Some("春节")), (B, None)]);
        let areas = screen_areas(&app).unwrap();
        let (tabs, active) = crate::app::tab_strip::of(&app);
        let strip = crate::app::tab_strip::strip(&tabs, active, areas.watchlist.width - 2);
        let spring = strip.placed.iter().find(|p| p.tab == 1).unwrap();
        update(
            &mut app,
            Action::Mouse(MouseEvent {
                kind: MouseEventKind::Down(MouseButton::Left),
                column: areas.watchlist.x + 1 + spring.x + 1,
                row: areas.watchlist.y + 1,
                modifiers: KeyModifiers::NONE,
            }),
        );
        assert_eq!(app.watch.tab, Tab::Campaign("春节".into()));
        assert_eq!(shown_rows(&app), [A]);
    }

    #[test]
    fn clicks_focus_panes_and_select_rows() {
        let mut app = app();
        watch(&mut app, &[ID, "7566200471448779515"]);
        let areas = screen_areas(&app).unwrap();
        let click = |x, y| {
            Action::Mouse(MouseEvent {
                kind: MouseEventKind::Down(MouseButton::Left),
                column: x,
                row: y,
                modifiers: KeyModifiers::NONE,
            })
        };
        // Border, header, then the second data row.
        update(
            &mut app,
            click(areas.watchlist.x + 3, areas.watchlist.y + 3),
        );
        assert_eq!(app.focus, Focus::Watchlist);
        assert_eq!(app.watch.selected, 1);
        assert_eq!(app.shown, Some(id("7566200471448779515")));
        update(&mut app, click(areas.input.x + 3, areas.input.y + 1));
        assert_eq!(app.focus, Focus::Input);
        app.mouse = false;
        update(
            &mut app,
            click(areas.watchlist.x + 3, areas.watchlist.y + 2),
        );
        assert_eq!(app.focus, Focus::Input, "mouse off: clicks do nothing");
    }

    #[test]
    fn other_actions() {
        let mut app = app();
        update(&mut app, Action::Failed("disk full".into()));
        assert_eq!(app.status.as_ref().unwrap().level, Level::Error);
        update(
            &mut app,
            Action::HistoryLoaded(crate::app::state::HistoryView {
                error: Some("x".into()),
                ..Default::default()
            }),
        );
        assert_eq!(app.history.error.as_deref(), Some("x"));
        update(&mut app, Action::Resize(70, 21));
        assert_eq!(app.size, (70, 21));
        update(&mut app, Action::Terminate);
        assert!(app.quit);
    }

    #[test]
    fn copy_and_open_act_on_the_target() {
        let mut app = app();
        app.shown = Some(id(ID));
        update(&mut app, key(KeyCode::Esc));
        app.recent.clear();
        assert_eq!(
            update(&mut app, key(KeyCode::Char('y'))),
            vec![Effect::Copy(ID.into())]
        );
        assert_eq!(
            update(&mut app, key(KeyCode::Char('Y'))),
            vec![Effect::Copy(format!("https://www.douyin.com/video/{ID}"))]
        );
        assert_eq!(
            update(&mut app, key(KeyCode::Char('o'))),
            vec![Effect::OpenUrl(format!(
                "https://www.douyin.com/video/{ID}"
            ))]
        );
    }
}
