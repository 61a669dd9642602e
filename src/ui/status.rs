//! The bottom two rows (what is happening, and the keys that apply here) and the banner
//! shown while calls are halted.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::spinner;
use super::theme::Theme;
use crate::app::App;
use crate::app::state::{Focus, Level, Overlay};
use crate::format;
use crate::keymap::{self, Scope};
use crate::t;

pub fn render(app: &App, frame: &mut Frame, area: Rect, theme: &Theme) {
    let right = right_side(app, area.width);
    let room = usize::from(area.width).saturating_sub(format::width(&right) + 1);
    let (text, style) = left_side(app, theme);
    let line = Line::from(vec![
        Span::styled(format::pad_right(&text, room), style),
        Span::raw(" "),
        Span::styled(right, theme.dim()),
    ]);
    frame.render_widget(Paragraph::new(line), area);
}

fn left_side(app: &App, theme: &Theme) -> (String, ratatui::style::Style) {
    if let Some(text) = crate::app::quit::waiting_text(app) {
        return (format!("{} {text}", spinner(app.spinner)), theme.warn());
    }
    if let Some(until) = app.slow_until.filter(|t| *t > app.now) {
        let secs = (until - app.now).num_seconds().max(0) + 1;
        return (
            format!(
                "{} {}",
                spinner(app.spinner),
                t!(
                    "ui-status-paused",
                    why = crate::api::error::rate_limited_summary(),
                    seconds = secs
                )
            ),
            theme.warn(),
        );
    }
    // The lookup of a short link waits for its resolution; say so, not "nothing happening".
    match app.resolving.len() {
        0 => {}
        1 => {
            return (
                format!("{} {}", spinner(app.spinner), t!("ui-status-resolving")),
                theme.accent(),
            );
        }
        n => {
            return (
                format!(
                    "{} {}",
                    spinner(app.spinner),
                    t!("ui-status-resolving-many", count = n)
                ),
                theme.accent(),
            );
        }
    }
    let in_flight = app.in_flight();
    if in_flight > 0 {
        let retry = app
            .items
            .iter()
            .filter_map(|(id, v)| v.retry.as_ref().map(|r| (id, r)))
            .min_by_key(|(_, (_, at, _))| *at);
        let mut text = format!(
            "{} {}",
            spinner(app.spinner),
            t!("ui-status-fetching", count = in_flight)
        );
        if let Some((id, (attempt, at, why))) = retry {
            text.push_str("  ");
            text.push_str(&t!(
                "ui-status-attempt-failed",
                id = id.to_string(),
                attempt = *attempt,
                why = why.as_str(),
                seconds = (*at - app.now).num_seconds().max(0)
            ));
        }
        return (text, theme.accent());
    }
    match &app.status {
        Some(s) => {
            let style = match s.level {
                Level::Info => theme.text(),
                Level::Warn => theme.warn(),
                Level::Error => theme.error(),
            };
            (s.text.clone(), style)
        }
        None => (String::new(), theme.text()),
    }
}

fn right_side(app: &App, width: u16) -> String {
    if app.demo {
        return t!("ui-status-demo", style = app.number_style.name());
    }
    // Calls sent and reports received, apart: an error answer may or may not be billed, so
    // neither number is called "billed".
    let account = crate::app::account::summary(app, width >= 100)
        .map(|a| format!("{a} · "))
        .unwrap_or_default();
    t!(
        "ui-status-calls",
        account = account,
        calls = app.calls_made,
        answers = app.answers,
        style = app.number_style.name()
    )
}

pub fn hints(app: &App, frame: &mut Frame, area: Rect, theme: &Theme) {
    let (scope, hints) = match (&app.overlay, app.focus) {
        (Some(Overlay::Compare { .. }), _) => (Scope::Popup, keymap::HINTS_COMPARE),
        (_, Focus::Input) => (Scope::Box, keymap::HINTS_BOX),
        (_, Focus::Recent) => (Scope::Lists, keymap::HINTS_RECENT),
        (_, Focus::Watchlist) => (Scope::Lists, keymap::HINTS_WATCHLIST),
    };
    // Keys that cannot act yet give their room to those that can.
    let useful = |commands: &[keymap::Command]| {
        use keymap::Command::{Compare, NextTab};
        !(commands.contains(&NextTab) && !app.has_tabs()
            || commands.contains(&Compare) && app.watch.marked.len() < 2)
    };
    let mut keys: Vec<(String, String, bool)> = hints
        .iter()
        .filter(|(commands, _)| useful(commands))
        .filter_map(|(commands, what)| {
            let shown: Vec<String> = commands
                .iter()
                .filter_map(|c| app.keys.hint_key(*c, scope))
                .map(|k| k.to_string())
                .collect();
            // Arrows read as a pair without a separator (↑↓); other keys need one (s/S, [/]).
            let arrows = shown
                .iter()
                .all(|k| ["↑", "↓", "←", "→"].contains(&k.as_str()));
            let joined = shown.join(if arrows { "" } else { "/" });
            let help = commands.contains(&keymap::Command::Help);
            (!shown.is_empty()).then(|| (joined, what(), help))
        })
        .collect();
    if app.quitting.is_some() {
        // Waiting for answers before quitting: only quitting again acts.
        keys = app
            .keys
            .hint_key(keymap::Command::Quit, Scope::Lists)
            .map(|k| (k.to_string(), t!("ui-hint-quit-now"), false))
            .into_iter()
            .collect();
    }
    // Hints are dropped from the end, but the one for help stays: it lists the rest.
    let cost =
        |(key, what, _): &(String, String, bool)| format::width(key) + format::width(what) + 3;
    let help = keys.iter().position(|(_, _, help)| *help);
    let reserved = help.map_or(0, |i| cost(&keys[i]));
    let mut shown = Vec::new();
    let mut used = reserved;
    for (i, hint) in keys.iter().enumerate() {
        if Some(i) == help {
            shown.push(hint);
            continue;
        }
        if used + cost(hint) > usize::from(area.width) {
            continue;
        }
        used += cost(hint);
        shown.push(hint);
    }
    if used > usize::from(area.width) {
        shown.clear();
    }
    let mut spans = Vec::new();
    for (key, what, _) in shown {
        spans.push(Span::styled(format!(" {key}"), theme.strong()));
        spans.push(Span::styled(format!(" {what} "), theme.dim()));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

pub fn banner(app: &App, frame: &mut Frame, area: Rect, theme: &Theme) {
    let text = match (&app.halt, &app.store_down, &app.watch.read_only) {
        (Some(halt), _, _) => {
            let summary = crate::api::error::halt_summary(
                halt.code().unwrap_or_default(),
                &app.key_for(crate::keymap::Command::Refetch),
            );
            match halt {
                // Which machine and when come first: on 80 columns the rest may be cut.
                crate::api::ApiError::HaltedElsewhere { machine, at, .. } => {
                    format!(" ⛔ {machine} {} · {summary} ", format::ago(*at, app.now))
                }
                _ => format!(" ⛔ {} · {summary} ", t!("ui-banner-halted")),
            }
        }
        (None, Some(down), _) => {
            let wait = (down.next_try - app.now).num_seconds().max(0);
            let when = if down.trying || wait == 0 {
                t!("ui-banner-store-trying-now")
            } else {
                t!("ui-banner-store-trying-in", seconds = wait)
            };
            let text = t!(
                "ui-banner-store-down",
                down = format::duration_secs((app.now - down.since).num_seconds() as f64),
                when = when
            );
            format!(" ⚠ {text} · {} ", down.detail)
        }
        (None, None, Some(why)) => format!(" {} · {why} ", t!("ui-banner-config-error")),
        (None, None, None) => match &app.alert_banner {
            Some((alert, count)) => {
                let more = if *count > 1 {
                    t!("ui-banner-alert-more", count = count - 1)
                } else {
                    String::new()
                };
                format!(
                    " ⚑ {}{more} · {} ",
                    alert.short(app.number_style),
                    t!(
                        "ui-banner-alert-keys",
                        key = app.key_for(crate::keymap::Command::Alerts)
                    )
                )
            }
            None => return,
        },
    };
    frame.render_widget(
        Paragraph::new(Line::styled(
            format::pad_right(&text, usize::from(area.width)),
            theme.banner(),
        )),
        area,
    );
}
