//! `update(app, action) -> effects`: every state change of the dashboard, and nothing else.
//! No I/O, no clock, no terminal: the runtime feeds actions in and carries effects out.

use chrono::Duration;
use crossterm::event::{KeyEvent, KeyEventKind, MouseButton, MouseEventKind};

use super::account;
use super::action::{Action, AfterResolve, Effect, WatchOp};
use super::form::{self, EditForm};
use super::quit;
use super::sort::sort_order;
use super::state::{App, Focus, Level, MAX_MARKED, Overlay, SortColumn, Status};
use super::store_down;
use super::tabs::{self, Tab};
use crate::alerts::command::Notice;
use crate::api::{ApiError, Disposition};
use crate::fetcher::{FetchEvent, Freshness};
use crate::format::{self, NumberStyle};
use crate::item_id::{ItemId, ItemRef, ShortLink};
use crate::item_list;
use crate::keymap::{Command, Key, Scope};
use crate::shortlink::ResolveError;
use crate::store::config::WatchEntry;
use crate::ui::{compare, layout};

pub fn update(app: &mut App, action: Action) -> Vec<Effect> {
    match action {
        Action::Key(key) if key.kind != KeyEventKind::Release => on_key(app, key),
        Action::Key(_) => Vec::new(),
        Action::Paste(text) => on_paste(app, &text),
        Action::Mouse(m) => on_mouse(app, m),
        Action::Resize(w, h) => {
            app.size = (w, h);
            keep_selections_in_view(app);
            Vec::new()
        }
        Action::Tick(now) => on_tick(app, now),
        Action::StoreDown(detail) => {
            store_down::on_down(app, detail);
            Vec::new()
        }
        Action::StoreBack => store_down::on_back(app),
        Action::Fetched {
            id,
            result,
            calls_made,
        } => {
            app.calls_made = app.calls_made.max(calls_made);
            on_fetched(app, id, result)
        }
        Action::Peeked { id, fetched } => {
            // A peek for a row the selection has already left is not worth keeping.
            if keeps_report(app, &id) {
                let view = app.items.entry(id).or_default();
                if view.last_ok.is_none() {
                    view.last_ok = Some(fetched);
                }
            }
            Vec::new()
        }
        Action::Progress(event) => {
            on_progress(app, event);
            Vec::new()
        }
        Action::WatchlistLoaded { entries, read_only } => {
            app.watch.entries = entries;
            app.watch.read_only = read_only;
            resort(app);
            vec![Effect::LoadHistory]
        }
        Action::ConfigChanged(Ok(entries)) => {
            if app.watch.read_only.take().is_some() {
                set_status(
                    app,
                    Level::Info,
                    "the config file reads again: the watchlist can be changed".into(),
                );
            }
            // Changes made on screen and not saved yet are in flight to the file, and the list
            // it holds after saving them (merged under its lock) arrives with `WatchSaved`.
            if app.watch.unsaved == 0 {
                app.watch.entries = entries;
                resort(app);
            }
            vec![Effect::LoadHistory]
        }
        Action::TargetsChanged(targets) => {
            app.targets = targets;
            Vec::new()
        }
        Action::ConfigChanged(Err(why)) => {
            // The last good watchlist stays on screen, read-only, until the file is fixed.
            app.watch.read_only = Some(why);
            Vec::new()
        }
        Action::WatchSaved(saved) => {
            app.watch.unsaved = app.watch.unsaved.saturating_sub(1);
            match saved {
                Ok(entries) if app.watch.unsaved == 0 => {
                    app.watch.entries = entries;
                    resort(app);
                    return vec![Effect::LoadHistory];
                }
                Ok(_) => {}
                Err(message) => set_status(app, Level::Error, message),
            }
            Vec::new()
        }
        Action::Failed(message) => {
            set_status(app, Level::Error, message);
            Vec::new()
        }
        Action::HistoryLoaded(history) => {
            app.history = history;
            resort_later(app);
            Vec::new()
        }
        Action::RowsLoaded(rows) => {
            app.history.merge(rows);
            resort_later(app);
            Vec::new()
        }
        Action::Resolved { link, then, result } => on_resolved(app, link, then, result),
        Action::LookUp(ItemRef::Id(id)) => look_up_shown(app, id),
        Action::LookUp(ItemRef::Short(link)) => {
            app.focus = Focus::Recent;
            resolve(app, link, AfterResolve::LookUp)
        }
        Action::DailyTrend {
            id,
            result,
            calls_made,
        } => {
            app.calls_made = app.calls_made.max(calls_made);
            on_daily(app, id, result);
            Vec::new()
        }
        Action::Notice(notice) => on_notice(app, notice),
        Action::AlertsLoaded(Ok(alerts)) => {
            // The store has this session's alerts too, unless it could not keep them.
            if !alerts.is_empty() || app.alerts.is_empty() {
                app.alerts = alerts;
            }
            Vec::new()
        }
        Action::AlertsLoaded(Err(why)) => {
            set_status(
                app,
                Level::Warn,
                format!("alerts of other runs unavailable: {why}"),
            );
            Vec::new()
        }
        Action::Terminate => {
            app.quit = true;
            Vec::new()
        }
        Action::BalanceRead(result) => {
            let mut effects = account::on_balance(app, result);
            if std::mem::take(&mut app.account.refresh_waiting) {
                effects.extend(refresh_watchlist(app, "refreshing"));
            }
            effects
        }
        Action::BatchNoted(id) => {
            if let Some(batch) = &mut app.account.batch {
                batch.noted = Some(id);
            }
            Vec::new()
        }
        Action::PriceKnown { price, shared } => {
            app.account.price = price;
            if shared {
                set_status(
                    app,
                    Level::Warn,
                    "refresh cost unknown: another xingtu-dash made calls on the account at the same time".into(),
                );
            }
            Vec::new()
        }
    }
}

/// How many recent alerts `!` lists.
pub const ALERTS_KEPT: usize = 100;

fn on_notice(app: &mut App, notice: Notice) -> Vec<Effect> {
    match notice {
        Notice::Fired(alert) => {
            app.alerted.insert(alert.item_id.clone());
            let count = app.alert_banner.as_ref().map_or(0, |(_, n)| *n) + 1;
            app.alert_banner = Some((alert.clone(), count));
            app.alerts.push(alert);
            if app.alerts.len() > ALERTS_KEPT {
                app.alerts.remove(0);
            }
            // The banner row moves the panes.
            keep_selections_in_view(app);
            if app.bell {
                return vec![Effect::Bell];
            }
        }
        Notice::CommandFailed { alert, error } => set_status(
            app,
            Level::Error,
            format!("alert command failed for “{}”: {error}", alert.name),
        ),
    }
    Vec::new()
}

fn on_key(app: &mut App, event: KeyEvent) -> Vec<Effect> {
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
            let overflow = crate::ui::overlay::help_overflow(&app.keys, app.size.1);
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

fn on_paste(app: &mut App, text: &str) -> Vec<Effect> {
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

fn look_up_all(app: &mut App, items: Vec<ItemRef>) -> Vec<Effect> {
    app.focus = Focus::Recent;
    let n = items.len();
    // Several lookups at once are a batch: measured like a refresh.
    let mut effects = if n > 1 {
        account::begin_batch(app, n as u64, "lookups")
    } else {
        Vec::new()
    };
    let mut lookups = Vec::new();
    // Backwards, so the first pasted item ends up on top of the recent list and on screen.
    for r in items.into_iter().rev() {
        match r {
            ItemRef::Id(id) => lookups.extend(look_up_new(app, id)),
            ItemRef::Short(link) => lookups.extend(resolve(app, link, AfterResolve::LookUp)),
        }
    }
    if !lookups.iter().any(|e| matches!(e, Effect::Fetch { .. })) {
        app.account.batch = None;
        effects.clear();
    }
    effects.extend(lookups);
    if app.halt.is_none() && app.resolving.is_empty() {
        set_status(app, Level::Info, format!("looking up {n} pasted items"));
    }
    effects
}

fn watch_pasted(app: &mut App, items: Vec<ItemRef>) -> Vec<Effect> {
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
fn watch_all(app: &mut App, ids: Vec<ItemId>) -> Vec<Effect> {
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
            item_id: id.to_string(),
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

/// Asks for a short link to be resolved, unless it already is being for the same purpose.
fn resolve(app: &mut App, link: ShortLink, then: AfterResolve) -> Vec<Effect> {
    if let Some(why) = &app.resolve_off {
        // The reason first: the status bar is one line.
        let text = format!("not looked up: short link not resolved: {why}; paste the full link");
        set_status(app, Level::Error, text);
        return Vec::new();
    }
    let pending = (link, then);
    if app.resolving.contains(&pending) {
        return Vec::new();
    }
    let (link, then) = pending.clone();
    app.resolving.push(pending);
    vec![Effect::Resolve { link, then }]
}

fn on_resolved(
    app: &mut App,
    link: ShortLink,
    then: AfterResolve,
    result: Result<ItemId, ResolveError>,
) -> Vec<Effect> {
    if let Some(i) = app
        .resolving
        .iter()
        .position(|(l, t)| *l == link && *t == then)
    {
        app.resolving.remove(i);
    }
    match (result, then) {
        (Ok(id), AfterResolve::LookUp) => look_up_new(app, id),
        (Ok(id), AfterResolve::Watch) => watch_all(app, vec![id]),
        (Err(e), AfterResolve::LookUp) => {
            set_status(app, Level::Error, format!("not looked up: {e}"));
            Vec::new()
        }
        (Err(e), AfterResolve::Watch) => {
            set_status(app, Level::Error, format!("not added: {e}"));
            Vec::new()
        }
    }
}

fn on_mouse(app: &mut App, m: crossterm::event::MouseEvent) -> Vec<Effect> {
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
                let (tabs, active) = crate::ui::tabs::of(app);
                let strip = crate::ui::tabs::strip(&tabs, active, rect.width.saturating_sub(2));
                return match crate::ui::tabs::hit(&strip, x.saturating_sub(rect.x + 1)) {
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

fn on_tick(app: &mut App, now: chrono::DateTime<chrono::Utc>) -> Vec<Effect> {
    app.now = now;
    quit::check(app);
    if app.quitting.is_some() {
        // No auto-refresh either: quitting starts no call.
        return Vec::new();
    }
    if app.animating() {
        app.spinner = app.spinner.wrapping_add(1);
    }
    if app.slow_until.is_some_and(|t| t <= now) {
        app.slow_until = None;
    }
    let mut effects = account::due_read(app);
    effects.extend(store_down::due_try(app));
    let Some(every) = app.refresh_every else {
        return effects;
    };
    let due = app.last_auto_refresh.is_none_or(|last| now - last >= every);
    if !due || app.watch.entries.is_empty() || app.overlay.is_some() {
        return effects;
    }
    app.last_auto_refresh = Some(now);
    if app.halt.is_some() {
        return effects;
    }
    effects.extend(refresh_watchlist(app, "auto-refresh:"));
    effects
}

fn on_fetched(app: &mut App, id: ItemId, result: crate::fetcher::FetchResult) -> Vec<Effect> {
    let result = match result {
        Err(err) if err.disposition() == Disposition::Halt => {
            return on_halt_result(app, id, err);
        }
        other => other,
    };
    let refetch = app.key_for(Command::Refetch);
    let view = app.items.entry(id.clone()).or_default();
    view.in_flight = false;
    view.retry = None;
    match result {
        Ok(fetched) => {
            let note = if fetched.from_cache {
                format!(
                    "{id}: from the cache (fetched {}; {refetch} refetches)",
                    format::ago(fetched.fetched_at, app.now)
                )
            } else {
                app.answers += 1;
                format!("{id}: updated")
            };
            view.error = None;
            if !fetched.from_cache {
                app.history.record(&fetched);
            }
            // Only the items a person can see keep their full report; a watched row keeps
            // its compact figures (above), so a refresh of 10,000 holds 10,000 small rows.
            let keep = keeps_report(app, &id);
            let view = app.items.entry(id.clone()).or_default();
            view.last_ok = keep.then_some(fetched);
            if app.in_flight() == 0 {
                set_status(app, Level::Info, note);
            }
        }
        // Never sent: the app is quitting. Whatever the item showed stays.
        Err(ApiError::Stopped) => {}
        Err(ApiError::StoreUnavailable { detail }) => {
            view.error = Some(ApiError::StoreUnavailable {
                detail: detail.clone(),
            });
            store_down::on_down(app, detail);
        }
        Err(err) => {
            let message = match &err {
                ApiError::Halted { .. } => None,
                other => Some(format!("{id}: {}", other)),
            };
            view.error = Some(err);
            if let Some(m) = message {
                set_status(app, Level::Error, m);
            }
        }
    }
    quit::check(app);
    resort_later(app);
    account::batch_over(app)
}

/// A call answered with a code that stops every call (100, 303, 600, 601, 602). The fetcher
/// says so twice, on two channels with no order between them: the `Halted` progress event
/// and the item's result. Whichever comes first ends the item's call, stops lookups and says
/// why; the second changes nothing, so the screen never shows "fetching" under the halt
/// banner, a late report never replaces what was said since ("calls are stopped… no call
/// made" for a lookup refused meanwhile), and never brings back a halt `r` has cleared.
fn on_halt(app: &mut App, id: ItemId, err: ApiError) {
    let view = app.items.entry(id.clone()).or_default();
    if !view.in_flight && view.error.as_ref() == Some(&err) {
        return;
    }
    view.in_flight = false;
    view.retry = None;
    view.error = Some(err.clone());
    let text = format!("{id}: {err}");
    app.halt = Some(err);
    set_status(app, Level::Error, text);
    quit::check(app);
    resort_later(app);
}

/// A halt ends the item's call; if it was the last of a refresh, the refresh is over.
fn on_halt_result(app: &mut App, id: ItemId, err: ApiError) -> Vec<Effect> {
    on_halt(app, id, err);
    account::batch_over(app)
}

/// The item is on screen or in the recent list, so its full report is worth holding (the
/// demo's handful are all kept, as fetched).
fn keeps_report(app: &App, id: &ItemId) -> bool {
    app.demo
        || app.shown.as_ref() == Some(id)
        || app.recent.contains(id)
        || app.mark_of(id.as_str()).is_some()
}

fn on_progress(app: &mut App, event: FetchEvent) {
    match event {
        // Progress travels on its own channel and may arrive after the result: it never
        // marks an item in flight (only `lookup` does), it only annotates one that is.
        FetchEvent::Calling { id, total, .. } => {
            app.calls_made = app.calls_made.max(total);
            if let Some(view) = app.items.get_mut(&id) {
                view.retry = None;
            }
        }
        FetchEvent::Retrying {
            id,
            attempt,
            wait,
            error,
        } => {
            let at = app.now + Duration::from_std(wait).unwrap_or_default();
            if let Some(view) = app.items.get_mut(&id).filter(|v| v.in_flight) {
                view.retry = Some((attempt, at, error.short()));
            }
        }
        FetchEvent::SlowingDown { wait } => {
            app.slow_until = Some(app.now + Duration::from_std(wait).unwrap_or_default());
            set_status(
                app,
                Level::Warn,
                format!(
                    "{}: every call waits, then retries",
                    crate::api::error::rate_limited_summary()
                ),
            );
        }
        FetchEvent::Halted { id, error } => on_halt(app, id, error),
    }
}

fn submit(app: &mut App) -> Vec<Effect> {
    let item = match app.input_parse() {
        None => return Vec::new(),
        Some(Err(e)) => {
            set_status(app, Level::Error, format!("not looked up: {e}"));
            return Vec::new();
        }
        Some(Ok(item)) => item,
    };
    if let (ItemRef::Short(link), Some(_)) = (&item, &app.resolve_off) {
        // Kept in the box, so the user can replace it with the full link.
        return resolve(app, link.clone(), AfterResolve::LookUp);
    }
    app.input.clear();
    // Back to the lists, so `r`, `a`, `y` and `q` act on the result right away.
    app.focus = Focus::Recent;
    match item {
        ItemRef::Id(id) => look_up_new(app, id),
        ItemRef::Short(link) => resolve(app, link, AfterResolve::LookUp),
    }
}

/// A video given on the command line: looked up as if typed into the box.
fn look_up_shown(app: &mut App, id: ItemId) -> Vec<Effect> {
    app.focus = Focus::Recent;
    look_up_new(app, id)
}

/// Shows a newly asked-for item and looks it up.
fn look_up_new(app: &mut App, id: ItemId) -> Vec<Effect> {
    remember_recent(app, &id);
    app.shown = Some(id.clone());
    lookup(app, id, Freshness::CacheOk)
}

/// Starts a lookup unless the config file could not be read, calls are halted, or one is
/// already under way for the item.
fn lookup(app: &mut App, id: ItemId, freshness: Freshness) -> Vec<Effect> {
    if app.watch.read_only.is_some() {
        let text = "no call made: lookups off until the config file is fixed".to_owned();
        set_status(app, Level::Error, text);
        return vec![Effect::Peek(id)];
    }
    if let Some(halt) = &app.halt {
        let text = format!(
            "calls are stopped: {halt} — then press {} to try again (no call made for {id})",
            app.key_for(Command::Refetch)
        );
        set_status(app, Level::Error, text);
        return vec![Effect::Peek(id)];
    }
    if let Some(text) = store_down::refusal(app) {
        set_status(app, Level::Error, text);
        return vec![Effect::Peek(id)];
    }
    let view = app.items.entry(id.clone()).or_default();
    if view.in_flight {
        return Vec::new();
    }
    view.in_flight = true;
    vec![Effect::Fetch { id, freshness }]
}

/// `T`: Xingtu's daily series of the item on screen. A stored one is shown for free; `T`
/// again right after fetches it anew (one paid call), as does `T` when none is stored.
fn daily_trend(app: &mut App) -> Vec<Effect> {
    let key = app.key_for(Command::DailyTrend);
    let Some(id) = app.shown.clone() else {
        let text = format!("look an item up first, then {key} fetches Xingtu's daily trend");
        set_status(app, Level::Info, text);
        return Vec::new();
    };
    if app.daily_in_flight.is_some() {
        set_status(
            app,
            Level::Info,
            "the daily trend is on its way (no second call)".into(),
        );
        return Vec::new();
    }
    let refresh = app.daily_refresh_armed.take().as_ref() == Some(&id);
    // Reading a stored series costs nothing, so only a fresh call is refused here (without a
    // stored one, the fetcher refuses it the same way).
    if refresh {
        if app.watch.read_only.is_some() {
            let text = "no call made: lookups off until the config file is fixed".to_owned();
            set_status(app, Level::Error, text);
            return Vec::new();
        }
        if let Some(halt) = &app.halt {
            let text = format!(
                "calls are stopped: {halt} — then press {} to try again (no call made)",
                app.key_for(Command::Refetch)
            );
            set_status(app, Level::Error, text);
            return Vec::new();
        }
        if let Some(text) = store_down::refusal(app) {
            set_status(app, Level::Error, text);
            return Vec::new();
        }
    }
    app.daily_in_flight = Some(id.clone());
    let text = if refresh {
        format!("{id}: fetching Xingtu's daily trend anew (1 call)")
    } else {
        format!("{id}: Xingtu's daily trend (stored, or 1 call)")
    };
    set_status(app, Level::Info, text);
    vec![Effect::FetchDaily { id, refresh }]
}

fn on_daily(
    app: &mut App,
    id: ItemId,
    result: Result<(crate::trend::StoredTrend, bool), ApiError>,
) {
    if app.daily_in_flight.as_ref() == Some(&id) {
        app.daily_in_flight = None;
    }
    let key = app.key_for(Command::DailyTrend);
    match result {
        Ok((trend, fresh)) => {
            let days = trend.series(crate::trend::VIEWS).len();
            // The status line is short at 80 columns: what matters comes first.
            let shown_where = if screen_areas(app).is_some_and(|a| a.trend.is_some()) {
                "drawn as bars in the trend chart"
            } else {
                app.daily_pane = Some(id.clone());
                "drawn as bars in place of the rates"
            };
            let text = if fresh {
                app.answers += 1;
                format!("Xingtu daily trend: {days} days of views, {shown_where} ({id})")
            } else {
                app.daily_refresh_armed = Some(id.clone());
                format!(
                    "daily trend stored {}, {days} days (no call) · {key} again refetches (1 call)",
                    format::ago(trend.fetched_at, app.now)
                )
            };
            app.history.daily = Some((id, trend));
            set_status(app, Level::Info, text);
        }
        Err(err) if err.disposition() == Disposition::Halt => on_halt(app, id, err),
        Err(ApiError::Stopped) => {}
        Err(err) => set_status(
            app,
            Level::Error,
            format!("{id}: daily trend not fetched: {err}"),
        ),
    }
    quit::check(app);
}

fn refetch_target(app: &mut App) -> Vec<Effect> {
    let Some(id) = app.target() else {
        set_status(
            app,
            Level::Info,
            "nothing selected: look something up with /".into(),
        );
        return Vec::new();
    };
    let mut effects = Vec::new();
    if app.halt.take().is_some() {
        effects.push(Effect::ClearHalt);
    }
    app.shown = Some(id.clone());
    effects.extend(lookup(app, id, Freshness::Force));
    effects
}

/// `R` (or the auto-refresh): every watched item that is not settled, answered from the
/// cache window where it can be. Says what the calls should cost first, and asks when the
/// known balance cannot cover them.
fn refresh_watchlist(app: &mut App, verb: &str) -> Vec<Effect> {
    let plan = account::plan_refresh(app);
    if plan.ids.is_empty() {
        let text = if plan.skipped > 0 {
            format!(
                "nothing to refresh: all {} watched items are settled ([watch] stop_after_days); {} refetches one",
                plan.skipped,
                app.key_for(Command::Refetch)
            )
        } else {
            format!(
                "the watchlist is empty: {} adds the item on screen",
                app.key_for(Command::Add)
            )
        };
        set_status(app, Level::Info, text);
        return Vec::new();
    }
    if plan.calls > 0
        && app.halt.is_none()
        && app.watch.read_only.is_none()
        && let Some(read) = account::read_before(app)
    {
        set_status(
            app,
            Level::Info,
            "reading the balance before the refresh…".into(),
        );
        return read;
    }
    if let (Some(price), Some(balance)) = (&app.account.price, &app.account.balance)
        && plan.calls > 0
        && app.halt.is_none()
        && price.estimate(plan.calls) > balance.amount
    {
        app.overlay = Some(Overlay::ConfirmSpend {
            calls: plan.calls,
            estimate: price.estimate(plan.calls),
            balance: balance.clone(),
            skipped: plan.skipped,
        });
        return Vec::new();
    }
    start_refresh(app, plan, verb)
}

/// Starts the lookups of a refresh, measured when the balance before it is known.
fn start_refresh(app: &mut App, plan: account::Plan, verb: &str) -> Vec<Effect> {
    let mut effects = account::begin_batch(app, plan.calls, "refresh");
    let n = plan.ids.len();
    let lookups: Vec<Effect> = plan
        .ids
        .into_iter()
        .flat_map(|id| lookup(app, id, Freshness::CacheOk))
        .collect();
    if !lookups.iter().any(|e| matches!(e, Effect::Fetch { .. })) {
        // Nothing went out (calls are halted, lookups are off): nothing to measure.
        app.account.batch = None;
        effects.clear();
    }
    effects.extend(lookups);
    if app.halt.is_none() {
        let cost = match plan.calls {
            0 => "all within the cache window, no call".to_owned(),
            calls => crate::account::estimate_short(calls, app.account.price.as_ref()),
        };
        let skipped = match plan.skipped {
            0 => String::new(),
            s => format!("; {s} settled skipped"),
        };
        set_status(
            app,
            Level::Info,
            format!("{verb} {n} watched items: {cost}{skipped}"),
        );
    }
    effects
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

fn add_shown(app: &mut App) -> Vec<Effect> {
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
        item_id: id.to_string(),
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

fn ask_remove(app: &mut App) {
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
    if let Some(entry) = app.watch_entry_at(app.watch.selected)
        && let Ok(id) = ItemId::parse(&entry.item_id)
    {
        app.overlay = Some(Overlay::ConfirmRemove(id));
    }
}

fn remove_watched(app: &mut App, id: ItemId) -> Vec<Effect> {
    app.watch.entries.retain(|e| e.item_id != id.as_str());
    resort(app);
    set_status(app, Level::Info, format!("removed {id} from the watchlist"));
    save(app, WatchOp::Remove(id))
}

fn edit_watched(app: &mut App) {
    let id = match app.focus {
        Focus::Watchlist => app.selected_watch_id(),
        _ => app.shown.clone().filter(|id| app.is_watched(id)),
    };
    let Some(form) = id.and_then(|id| {
        let entry = app.entry_of(id.as_str())?;
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
fn save_form(app: &mut App, mut form: EditForm) -> Vec<Effect> {
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

/// Moves `step` tabs along, round; the selected video stays selected when the new tab holds
/// it.
fn switch_tab(app: &mut App, step: isize) -> Vec<Effect> {
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

fn toggle_mark(app: &mut App) {
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
fn open_compare(app: &mut App) -> Vec<Effect> {
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
        .filter_map(|m| ItemId::parse(m).ok())
        .filter(|id| app.view(id).is_none_or(|v| v.last_ok.is_none()))
        .map(Effect::Peek)
        .collect()
}

fn move_selection(app: &mut App, delta: isize) -> Vec<Effect> {
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
fn show_selected(app: &mut App) -> Vec<Effect> {
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

fn remember_recent(app: &mut App, id: &ItemId) {
    app.recent.retain(|r| r != id);
    app.recent.insert(0, id.clone());
    app.recent_selected = 0;
    app.recent_offset = 0;
}

fn cycle_focus(app: &mut App, step: usize) {
    let i = Focus::ORDER
        .iter()
        .position(|f| *f == app.focus)
        .unwrap_or(0);
    app.focus = Focus::ORDER[(i + step) % Focus::ORDER.len()];
}

/// New figures can move rows when the watchlist is sorted by a figure. Results arrive in
/// bursts (a refresh of 1,000 items), so the sort waits for `settle`, once per burst.
fn resort_later(app: &mut App) {
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
fn resort(app: &mut App) {
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

fn keep_selections_in_view(app: &mut App) {
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

fn screen_areas(app: &App) -> Option<layout::Areas> {
    let (w, h) = app.size;
    layout::areas(ratatui::layout::Rect::new(0, 0, w, h), app.has_banner())
}

fn pane_of(app: &App, focus: Focus) -> ratatui::layout::Rect {
    let areas = screen_areas(app);
    match (focus, areas) {
        (Focus::Recent, Some(a)) => a.recent,
        (Focus::Watchlist, Some(a)) => a.watchlist,
        (Focus::Input, Some(a)) => a.input,
        (_, None) => ratatui::layout::Rect::default(),
    }
}

fn save(app: &mut App, op: WatchOp) -> Vec<Effect> {
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

pub(super) fn set_status(app: &mut App, level: Level, text: String) {
    app.status = Some(Status { text, level });
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use chrono::{TimeZone, Utc};
    use crossterm::event::{KeyCode, KeyEventState, KeyModifiers, MouseEvent};

    use super::*;
    use crate::app::state::SortColumn;
    use crate::app::tabs::Tab;
    use crate::fetcher::Fetched;
    use crate::report::Report;

    const ID: &str = "7566200471448779514";

    fn app() -> App {
        let mut app = App::new(
            Utc.with_ymd_and_hms(2026, 11, 24, 12, 0, 0).unwrap(),
            NumberStyle::Cn,
        );
        update(&mut app, Action::Resize(100, 30));
        app
    }

    fn key(code: KeyCode) -> Action {
        Action::Key(KeyEvent::new(code, KeyModifiers::NONE))
    }

    fn ctrl(c: char) -> Action {
        Action::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
    }

    fn type_text(app: &mut App, text: &str) {
        for c in text.chars() {
            update(app, key(KeyCode::Char(c)));
        }
    }

    fn id(s: &str) -> ItemId {
        ItemId::parse(s).unwrap()
    }

    fn fetched(item: &str, views: u64) -> Fetched {
        let data = serde_json::json!({"video_info": {"vv_cnt": views, "like_cnt": views / 100, "title": format!("t{item}")}});
        Fetched {
            report: Arc::new(Report::from_data(item, &data)),
            data: Arc::new(data),
            fetched_at: Utc.with_ymd_and_hms(2026, 11, 24, 11, 0, 0).unwrap(),
            from_cache: false,
        }
    }

    fn business(code: i64) -> ApiError {
        ApiError::Business {
            code,
            message: None,
            http_status: 200,
            retry_after: None,
        }
    }

    fn watch(app: &mut App, ids: &[&str]) {
        let entries = ids
            .iter()
            .map(|i| WatchEntry {
                item_id: i.to_string(),
                label: None,
                campaign: None,
                price: None,
                added_at: None,
            })
            .collect();
        update(
            app,
            Action::WatchlistLoaded {
                entries,
                read_only: None,
            },
        );
    }

    #[test]
    fn enter_on_a_valid_id_fetches_once_and_clears_the_box() {
        let mut app = app();
        update(&mut app, key(KeyCode::Char('/')));
        type_text(&mut app, &format!("  https://www.douyin.com/video/{ID}  "));
        let effects = update(&mut app, key(KeyCode::Enter));
        assert_eq!(
            effects,
            vec![Effect::Fetch {
                id: id(ID),
                freshness: Freshness::CacheOk
            }]
        );
        assert!(app.input.is_empty());
        assert_eq!(app.shown, Some(id(ID)));
        assert_eq!(app.recent, vec![id(ID)]);
        assert_eq!(app.focus, Focus::Recent, "the keys act on the result next");
        // A second Enter while it is in flight costs nothing.
        update(&mut app, key(KeyCode::Char('/')));
        type_text(&mut app, ID);
        assert!(update(&mut app, key(KeyCode::Enter)).is_empty());
    }

    #[test]
    fn junk_makes_no_call_and_says_why() {
        let mut app = app();
        app.focus = Focus::Input;
        type_text(&mut app, "hello");
        assert!(update(&mut app, key(KeyCode::Enter)).is_empty());
        let status = app.status.clone().unwrap();
        assert_eq!(status.level, Level::Error);
        assert!(status.text.contains("expected"), "{}", status.text);
        assert_eq!(app.input.text(), "hello", "the input is kept for fixing");
        assert_eq!(app.focus, Focus::Input);
        assert!(update(&mut app, key(KeyCode::Enter)).is_empty());
    }

    #[test]
    fn results_update_the_item_and_keep_the_last_success_on_failure() {
        let mut app = app();
        type_text(&mut app, ID);
        update(&mut app, key(KeyCode::Enter));
        let effects = update(
            &mut app,
            Action::Fetched {
                id: id(ID),
                result: Ok(fetched(ID, 1000)),
                calls_made: 1,
            },
        );
        assert!(effects.is_empty(), "{effects:?}");
        // The row's figures move at once, before any reload from the store.
        assert_eq!(app.history.latest[ID].0.vv_cnt, Some(1000));
        let view = app.view(&id(ID)).unwrap();
        assert!(!view.in_flight && view.last_ok.is_some() && view.error.is_none());
        assert_eq!(app.calls_made, 1);

        update(
            &mut app,
            Action::Fetched {
                id: id(ID),
                result: Err(business(500)),
                calls_made: 4,
            },
        );
        let view = app.view(&id(ID)).unwrap();
        assert!(view.last_ok.is_some(), "the last success stays on screen");
        assert_eq!(view.error.as_ref().and_then(ApiError::code), Some(500));
        assert_eq!(app.status.as_ref().unwrap().level, Level::Error);
    }

    #[test]
    fn a_fatal_code_halts_lookups_until_r() {
        let mut app = app();
        type_text(&mut app, ID);
        update(&mut app, key(KeyCode::Enter));
        update(
            &mut app,
            Action::Fetched {
                id: id(ID),
                result: Err(business(601)),
                calls_made: 1,
            },
        );
        assert!(app.halt.is_some() && app.has_banner());
        type_text(&mut app, "7566200471448779515");
        assert_eq!(app.focus, Focus::Input, "a digit starts typing an id");
        let effects = update(&mut app, key(KeyCode::Enter));
        assert!(
            effects.iter().all(|e| matches!(e, Effect::Peek(_))),
            "{effects:?}"
        );
        assert!(app.status.as_ref().unwrap().text.contains("601"));
        update(&mut app, key(KeyCode::Esc));
        let effects = update(&mut app, key(KeyCode::Char('r')));
        assert_eq!(effects[0], Effect::ClearHalt);
        assert!(matches!(
            effects[1],
            Effect::Fetch {
                freshness: Freshness::Force,
                ..
            }
        ));
        assert!(app.halt.is_none());
    }

    fn drawn(app: &App) -> String {
        let (w, h) = app.size;
        let mut terminal =
            ratatui::Terminal::new(ratatui::backend::TestBackend::new(w, h)).unwrap();
        terminal.draw(|f| crate::ui::render(app, f)).unwrap();
        format!("{}", terminal.backend())
    }

    /// The fetcher reports a halting code twice, as a progress event and as the item's
    /// result, on two channels with no order between them, and the dashboard draws between
    /// any two actions. Every order, with a refused lookup typed in between, shows the same.
    #[test]
    fn a_halt_reads_the_same_whichever_report_arrives_first() {
        const OTHER: &str = "7566200471448779515";
        for code in [100, 303, 600, 601, 602] {
            let report = |as_result: bool| {
                if as_result {
                    Action::Fetched {
                        id: id(ID),
                        result: Err(business(code)),
                        calls_made: 1,
                    }
                } else {
                    Action::Progress(FetchEvent::Halted {
                        id: id(ID),
                        error: business(code),
                    })
                }
            };
            let mut screens = Vec::new();
            for (result_first, second_late) in
                [(false, false), (false, true), (true, false), (true, true)]
            {
                let case = format!(
                    "code {code}, result first: {result_first}, second after a lookup: {second_late}"
                );
                let mut app = app();
                update(&mut app, Action::Resize(80, 24));
                type_text(&mut app, ID);
                update(&mut app, key(KeyCode::Enter));
                // Sent before `Halted`, on the same channel.
                update(
                    &mut app,
                    Action::Progress(FetchEvent::Calling {
                        id: id(ID),
                        attempt: 1,
                        total: 1,
                    }),
                );
                update(&mut app, report(result_first));
                let after_first = drawn(&app);
                assert!(
                    after_first.contains(&format!("{ID}: code {code}"))
                        && after_first.contains("calls stopped")
                        && !after_first.contains("fetching"),
                    "{case}\n{after_first}"
                );
                assert!(!app.view(&id(ID)).unwrap().in_flight, "{case}");
                if !second_late {
                    update(&mut app, report(!result_first));
                    assert_eq!(drawn(&app), after_first, "{case}");
                }
                // A lookup refused while halted says so; a late report must not hide it.
                update(&mut app, key(KeyCode::Char('/')));
                type_text(&mut app, OTHER);
                update(&mut app, key(KeyCode::Enter));
                let refused = drawn(&app);
                assert!(refused.contains("calls are stopped"), "{case}\n{refused}");
                if second_late {
                    update(&mut app, report(!result_first));
                    assert_eq!(drawn(&app), refused, "{case}");
                }
                assert_eq!(app.halt, Some(business(code)), "{case}");
                screens.push((case, refused));
            }
            for (case, screen) in &screens[1..] {
                assert_eq!(screen, &screens[0].1, "{case} against {}", screens[0].0);
            }
        }
    }

    /// `r` right after the first report of a halt, before the second: the late one neither
    /// halts again nor ends the new call.
    #[test]
    fn a_late_report_of_a_halt_does_not_undo_r() {
        const OTHER: &str = "7566200471448779515";
        for result_first in [false, true] {
            let report = |as_result: bool| {
                if as_result {
                    Action::Fetched {
                        id: id(ID),
                        result: Err(business(601)),
                        calls_made: 1,
                    }
                } else {
                    Action::Progress(FetchEvent::Halted {
                        id: id(ID),
                        error: business(601),
                    })
                }
            };
            let mut app = app();
            type_text(&mut app, ID);
            update(&mut app, key(KeyCode::Enter));
            update(&mut app, report(result_first));
            type_text(&mut app, OTHER);
            update(&mut app, key(KeyCode::Enter));
            update(&mut app, key(KeyCode::Esc));
            let effects = update(&mut app, key(KeyCode::Char('r')));
            assert_eq!(
                effects,
                vec![
                    Effect::ClearHalt,
                    Effect::Fetch {
                        id: id(OTHER),
                        freshness: Freshness::Force
                    }
                ]
            );
            update(&mut app, report(!result_first));
            assert!(app.halt.is_none() && !app.has_banner(), "{result_first}");
            assert!(app.view(&id(OTHER)).unwrap().in_flight);
        }
    }

    #[test]
    fn the_token_spending_cap_halts_like_an_empty_balance() {
        let mut app = app();
        type_text(&mut app, ID);
        update(&mut app, key(KeyCode::Enter));
        update(
            &mut app,
            Action::Fetched {
                id: id(ID),
                result: Err(business(602)),
                calls_made: 1,
            },
        );
        assert_eq!(app.halt.as_ref().and_then(ApiError::code), Some(602));
        assert!(app.has_banner());
        type_text(&mut app, "7566200471448779515");
        let effects = update(&mut app, key(KeyCode::Enter));
        assert!(
            effects.iter().all(|e| matches!(e, Effect::Peek(_))),
            "no call while the cap is reached: {effects:?}"
        );
    }

    #[test]
    fn progress_annotates_but_never_resurrects_an_item() {
        let mut app = app();
        type_text(&mut app, ID);
        update(&mut app, key(KeyCode::Enter));
        update(
            &mut app,
            Action::Progress(FetchEvent::Retrying {
                id: id(ID),
                attempt: 1,
                wait: std::time::Duration::from_secs(2),
                error: business(301),
            }),
        );
        let retry = app.view(&id(ID)).unwrap().retry.clone().unwrap();
        assert_eq!(retry.0, 1);
        assert_eq!(retry.1, app.now + Duration::seconds(2));
        update(
            &mut app,
            Action::Fetched {
                id: id(ID),
                result: Ok(fetched(ID, 10)),
                calls_made: 2,
            },
        );
        update(
            &mut app,
            Action::Progress(FetchEvent::Calling {
                id: id(ID),
                attempt: 2,
                total: 2,
            }),
        );
        assert!(!app.view(&id(ID)).unwrap().in_flight);
        assert!(!app.animating());
        update(
            &mut app,
            Action::Progress(FetchEvent::SlowingDown {
                wait: std::time::Duration::from_secs(5),
            }),
        );
        assert!(app.animating());
        let later = app.now + Duration::seconds(6);
        update(&mut app, Action::Tick(later));
        assert!(app.slow_until.is_none());
    }

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

    fn short(code: &str) -> ShortLink {
        match ItemRef::parse(&format!("v.douyin.com/{code}")) {
            Ok(ItemRef::Short(link)) => link,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_short_link_is_resolved_then_looked_up() {
        let mut app = app();
        update(
            &mut app,
            Action::Paste("看看 https://v.douyin.com/iRNBho6u/ 复制".into()),
        );
        let effects = update(&mut app, key(KeyCode::Enter));
        let resolve = Effect::Resolve {
            link: short("iRNBho6u"),
            then: AfterResolve::LookUp,
        };
        assert_eq!(effects, vec![resolve.clone()]);
        assert!(app.animating(), "the status bar shows the resolution");
        // The same link again while it resolves asks for nothing more.
        update(&mut app, Action::Paste("v.douyin.com/iRNBho6u".into()));
        assert!(update(&mut app, key(KeyCode::Enter)).is_empty());
        let effects = update(
            &mut app,
            Action::Resolved {
                link: short("iRNBho6u"),
                then: AfterResolve::LookUp,
                result: Ok(id(ID)),
            },
        );
        assert_eq!(
            effects,
            vec![Effect::Fetch {
                id: id(ID),
                freshness: Freshness::CacheOk
            }]
        );
        assert!(app.resolving.is_empty());
        assert_eq!(app.shown, Some(id(ID)));

        let failed = update(
            &mut app,
            Action::Resolved {
                link: short("gone"),
                then: AfterResolve::LookUp,
                result: Err(ResolveError::NotFound {
                    link: "https://v.douyin.com/gone/".into(),
                    status: 404,
                }),
            },
        );
        assert!(failed.is_empty());
        assert!(app.status.clone().unwrap().text.contains("404"));
    }

    #[test]
    fn with_resolution_off_a_short_link_stays_in_the_box() {
        let mut app = app();
        app.resolve_off = Some("link resolution is off (--no-resolve)".into());
        update(&mut app, Action::Paste("v.douyin.com/iRNBho6u".into()));
        assert!(update(&mut app, key(KeyCode::Enter)).is_empty());
        assert!(app.status.clone().unwrap().text.contains("--no-resolve"));
        assert_eq!(app.input.text(), "v.douyin.com/iRNBho6u");
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
            item_id: ID.into(),
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
    fn an_unreadable_config_turns_every_lookup_off() {
        let mut app = app();
        update(
            &mut app,
            Action::WatchlistLoaded {
                entries: vec![],
                read_only: Some("config.toml:1:2: bad".into()),
            },
        );
        type_text(&mut app, ID);
        let fetches = |effects: Vec<Effect>| {
            effects
                .iter()
                .filter(|e| matches!(e, Effect::Fetch { .. }))
                .count()
        };
        assert_eq!(fetches(update(&mut app, key(KeyCode::Enter))), 0);
        assert!(app.status.as_ref().unwrap().text.contains("lookups off"));
        app.shown = Some(id(ID));
        app.focus = Focus::Recent;
        assert_eq!(fetches(update(&mut app, key(KeyCode::Char('r')))), 0);
        app.watch.entries = vec![WatchEntry {
            item_id: ID.into(),
            label: None,
            campaign: None,
            price: None,
            added_at: None,
        }];
        assert_eq!(fetches(update(&mut app, key(KeyCode::Char('R')))), 0);
        app.refresh_every = Some(chrono::Duration::minutes(5));
        let later = app.now + chrono::Duration::hours(1);
        assert_eq!(fetches(update(&mut app, Action::Tick(later))), 0);
    }

    #[test]
    fn refresh_all_respects_the_cache_and_selection_never_calls() {
        let mut app = app();
        watch(&mut app, &[ID, "7566200471448779515"]);
        app.focus = Focus::Watchlist;
        let effects = update(&mut app, key(KeyCode::Char('R')));
        assert_eq!(effects.len(), 2);
        assert!(effects.iter().all(|e| matches!(
            e,
            Effect::Fetch {
                freshness: Freshness::CacheOk,
                ..
            }
        )));
        let effects = update(&mut app, key(KeyCode::Down));
        assert!(
            effects
                .iter()
                .all(|e| matches!(e, Effect::Peek(_) | Effect::LoadSeries)),
            "{effects:?}"
        );
        assert_eq!(app.shown, Some(id("7566200471448779515")));
    }

    #[test]
    fn a_fetch_moves_the_rows_delta_and_sparkline_at_once() {
        let mut app = app();
        watch(&mut app, &[ID]);
        let mut later = fetched(ID, 1500);
        later.fetched_at += Duration::hours(1);
        for f in [fetched(ID, 1000), later] {
            let effects = update(
                &mut app,
                Action::Fetched {
                    id: id(ID),
                    result: Ok(f),
                    calls_made: 1,
                },
            );
            assert!(effects.is_empty(), "no reload needed: {effects:?}");
        }
        let (newest, previous) = &app.history.latest[ID];
        assert_eq!(newest.vv_cnt, Some(1500));
        assert_eq!(previous.as_ref().unwrap().vv_cnt, Some(1000));
        assert_eq!(app.history.sparks[ID], vec![1000, 1500]);
        assert_eq!(
            app.history.texts[ID].title.as_deref(),
            Some(&*format!("t{ID}"))
        );
    }

    #[test]
    fn config_changes_merge_and_a_broken_file_keeps_the_last_good_list() {
        let mut app = app();
        watch(&mut app, &[ID]);
        let other = WatchEntry {
            item_id: "7566200471448779599".into(),
            label: None,
            campaign: None,
            price: None,
            added_at: None,
        };
        let broken = update(
            &mut app,
            Action::ConfigChanged(Err("config.toml:3:1: bad".into())),
        );
        assert!(broken.is_empty());
        assert_eq!(app.watch.entries.len(), 1, "the last good list stays");
        assert!(app.has_banner());

        let mut both = app.watch.entries.clone();
        both.push(other.clone());
        let effects = update(&mut app, Action::ConfigChanged(Ok(both.clone())));
        assert_eq!(effects, vec![Effect::LoadHistory]);
        assert!(app.watch.read_only.is_none() && !app.has_banner());
        assert_eq!(app.watch.entries, both);

        // A change made on screen and not saved yet is not overwritten by the file's list.
        app.watch.unsaved = 1;
        update(&mut app, Action::ConfigChanged(Ok(vec![other])));
        assert_eq!(app.watch.entries, both);
    }

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
    fn auto_refresh_runs_on_ticks_when_due() {
        let mut app = app();
        watch(&mut app, &[ID]);
        app.refresh_every = Some(Duration::minutes(30));
        app.last_auto_refresh = Some(app.now);
        let start = app.now;
        let early = start + Duration::minutes(29);
        assert!(update(&mut app, Action::Tick(early)).is_empty());
        let due = start + Duration::minutes(31);
        let effects = update(&mut app, Action::Tick(due));
        assert!(matches!(effects[..], [Effect::Fetch { .. }]));
    }

    fn watch_in(app: &mut App, rows: &[(&str, Option<&str>)]) {
        let entries = rows
            .iter()
            .map(|(i, campaign)| WatchEntry {
                item_id: i.to_string(),
                label: None,
                campaign: campaign.map(str::to_owned),
                price: None,
                added_at: None,
            })
            .collect();
        update(
            app,
            Action::WatchlistLoaded {
                entries,
                read_only: None,
            },
        );
    }

    fn shown_rows(app: &App) -> Vec<String> {
        (0..app.watch.order.len())
            .map(|r| app.watch_entry_at(r).unwrap().item_id.clone())
            .collect()
    }

    const A: &str = "7566200471448779501";
    const B: &str = "7566200471448779502";
    const C: &str = "7566200471448779503";
    const D: &str = "7566200471448779504";

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
    fn without_campaigns_tab_keys_say_how_to_get_some() {
        let mut app = app();
        watch(&mut app, &[A, B]);
        app.focus = Focus::Watchlist;
        assert!(!app.has_tabs());
        update(&mut app, key(KeyCode::Char(']')));
        assert_eq!(app.watch.tab, Tab::All);
        assert!(app.status.clone().unwrap().text.contains("no campaigns"));
    }

    #[test]
    fn a_click_on_a_tab_switches_to_it() {
        let mut app = app();
        watch_in(&mut app, &[(A, Some("春节")), (B, None)]);
        let areas = screen_areas(&app).unwrap();
        let (tabs, active) = crate::ui::tabs::of(&app);
        let strip = crate::ui::tabs::strip(&tabs, active, areas.watchlist.width - 2);
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
        assert_eq!(app.watch.marked, ids[..8]);
        let status = app.status.clone().unwrap();
        assert_eq!(status.level, Level::Warn);
        assert!(status.text.contains("8 videos at most"), "{}", status.text);
        // Space on a marked row unmarks it; the rest keep their order.
        app.watch.selected = 1;
        update(&mut app, key(KeyCode::Char(' ')));
        assert_eq!(app.mark_of(&ids[1]), None);
        assert_eq!(app.mark_of(&ids[2]), Some(1));

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
        let (columns, lines) = crate::ui::compare::limits(&app);
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
        app.watch.entries.retain(|e| e.item_id != ids[0]);
        resort(&mut app);
        assert_eq!(app.mark_of(&ids[0]), None);
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
        let entry = app.entry_of(ID).unwrap();
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

    #[test]
    fn daily_trend_reads_the_store_first_and_pays_only_when_asked_again() {
        let mut app = app();
        update(&mut app, key(KeyCode::Esc));
        assert!(update(&mut app, key(KeyCode::Char('T'))).is_empty());
        assert!(
            app.status
                .as_ref()
                .unwrap()
                .text
                .contains("look an item up first")
        );

        app.shown = Some(id(ID));
        let want = |refresh| {
            vec![Effect::FetchDaily {
                id: id(ID),
                refresh,
            }]
        };
        assert_eq!(update(&mut app, key(KeyCode::Char('T'))), want(false));
        assert!(
            update(&mut app, key(KeyCode::Char('T'))).is_empty(),
            "one at a time"
        );
        let trend = crate::trend::StoredTrend {
            fetched_at: app.now - Duration::hours(2),
            days: crate::trend::parse(&serde_json::json!({"date_values": {"vv_list": [
                {"visit_date": 20261120, "value": "5"}, {"visit_date": 20261121, "value": 7},
            ]}})),
        };
        let stored = Action::DailyTrend {
            id: id(ID),
            result: Ok((trend.clone(), false)),
            calls_made: 0,
        };
        update(&mut app, stored);
        assert!(app.daily_in_flight.is_none());
        assert_eq!(app.history.daily, Some((id(ID), trend.clone())));
        let status = app.status.clone().unwrap().text;
        assert!(
            status.contains("2 days (no call)") && status.contains("T again"),
            "{status}"
        );
        // T again right after a stored one fetches anew; after a fresh one it reads the store.
        assert_eq!(update(&mut app, key(KeyCode::Char('T'))), want(true));
        let fresh = Action::DailyTrend {
            id: id(ID),
            result: Ok((trend, true)),
            calls_made: 1,
        };
        update(&mut app, fresh);
        assert_eq!(app.calls_made, 1);
        assert_eq!(update(&mut app, key(KeyCode::Char('T'))), want(false));
    }

    #[test]
    fn quitting_waits_for_a_daily_trend_already_paid_for() {
        let mut app = app();
        app.shown = Some(id(ID));
        update(&mut app, key(KeyCode::Esc));
        update(&mut app, key(KeyCode::Char('T')));
        assert_eq!(
            update(&mut app, key(KeyCode::Char('q'))),
            vec![Effect::StopCalls]
        );
        assert!(!app.quit);
        let trend = crate::trend::StoredTrend {
            fetched_at: app.now,
            days: Vec::new(),
        };
        update(
            &mut app,
            Action::DailyTrend {
                id: id(ID),
                result: Ok((trend, true)),
                calls_made: 1,
            },
        );
        assert!(app.quit);
    }

    #[test]
    fn a_halting_code_on_the_daily_trend_stops_calls() {
        let mut app = app();
        app.shown = Some(id(ID));
        update(&mut app, key(KeyCode::Esc));
        update(&mut app, key(KeyCode::Char('T')));
        update(
            &mut app,
            Action::DailyTrend {
                id: id(ID),
                result: Err(business(601)),
                calls_made: 1,
            },
        );
        assert!(app.halt.is_some());
        assert!(app.daily_in_flight.is_none());
        app.daily_refresh_armed = Some(id(ID));
        assert!(update(&mut app, key(KeyCode::Char('T'))).is_empty());
        assert!(
            app.status
                .as_ref()
                .unwrap()
                .text
                .contains("calls are stopped")
        );
    }
}
