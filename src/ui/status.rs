//! The bottom two rows (what is happening, and the keys that apply here) and the banner
//! shown while calls are halted.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::spinner;
use super::theme::Theme;
use crate::app::App;
use crate::app::state::{Focus, Level};
use crate::format;
use crate::keymap::{self, Scope};

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
                "{} {}: all calls paused {secs}s, then retried",
                spinner(app.spinner),
                crate::api::error::rate_limited_summary()
            ),
            theme.warn(),
        );
    }
    // The lookup of a short link waits for its resolution; say so, not "nothing happening".
    match app.resolving.len() {
        0 => {}
        1 => {
            return (
                format!("{} resolving link…", spinner(app.spinner)),
                theme.accent(),
            );
        }
        n => {
            return (
                format!(
                    "{} resolving link… ({n} short links, free)",
                    spinner(app.spinner)
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
            "{} fetching {in_flight} item{}…",
            spinner(app.spinner),
            if in_flight == 1 { "" } else { "s" }
        );
        if let Some((id, (attempt, at, why))) = retry {
            text.push_str(&format!(
                "  {id}: attempt {attempt} failed ({why}), retry in {}s",
                (*at - app.now).num_seconds().max(0)
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
        return format!("DEMO · nothing billed · {}", app.number_style.name());
    }
    // Calls sent and reports received, apart: an error answer may or may not be billed, so
    // neither number is called "billed".
    let plural = |n: u64| if n == 1 { "" } else { "s" };
    let account = crate::app::account::summary(app, width >= 100)
        .map(|a| format!("{a} · "))
        .unwrap_or_default();
    format!(
        "{account}{} call{} · {} answer{} · {}",
        app.calls_made,
        plural(app.calls_made),
        app.answers,
        plural(app.answers),
        app.number_style.name()
    )
}

pub fn hints(app: &App, frame: &mut Frame, area: Rect, theme: &Theme) {
    let (scope, hints) = match app.focus {
        Focus::Input => (Scope::Box, keymap::HINTS_BOX),
        Focus::Recent => (Scope::Lists, keymap::HINTS_RECENT),
        Focus::Watchlist => (Scope::Lists, keymap::HINTS_WATCHLIST),
    };
    let mut keys: Vec<(String, &str)> = hints
        .iter()
        .filter_map(|(commands, what)| {
            let shown: Vec<String> = commands
                .iter()
                .filter_map(|c| app.keys.hint_key(*c, scope))
                .map(|k| k.to_string())
                .collect();
            // Arrows read as a pair without a separator (↑↓); letters need one (s/S).
            let glyphs = shown
                .iter()
                .all(|k| k.chars().count() == 1 && !k.chars().all(char::is_alphanumeric));
            let joined = shown.join(if glyphs { "" } else { "/" });
            (!shown.is_empty()).then_some((joined, *what))
        })
        .collect();
    if app.quitting.is_some() {
        // Waiting for answers before quitting: only quitting again acts.
        keys = app
            .keys
            .hint_key(keymap::Command::Quit, Scope::Lists)
            .map(|k| (k.to_string(), "quit now, abandon the calls"))
            .into_iter()
            .collect();
    }
    let mut spans = Vec::new();
    let mut used = 0;
    for (key, what) in keys {
        let cost = format::width(&key) + format::width(what) + 3;
        if used + cost > usize::from(area.width) {
            break;
        }
        used += cost;
        spans.push(Span::styled(format!(" {key}"), theme.strong()));
        spans.push(Span::styled(format!(" {what} "), theme.dim()));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

pub fn banner(app: &App, frame: &mut Frame, area: Rect, theme: &Theme) {
    let text = match (&app.halt, &app.watch.read_only) {
        (Some(halt), _) => format!(
            " ⛔ calls stopped · {} ",
            crate::api::error::halt_summary(
                halt.code().unwrap_or_default(),
                &app.key_for(crate::keymap::Command::Refetch)
            )
        ),
        (None, Some(why)) => format!(
            " config file error: lookups off, watchlist read-only; fix it and restart · {why} "
        ),
        (None, None) => match &app.alert_banner {
            Some((alert, count)) => {
                let more = if *count > 1 {
                    format!(" (+{} more)", count - 1)
                } else {
                    String::new()
                };
                format!(
                    " ⚑ {}{more} · {} lists, Esc dismisses ",
                    alert.short(app.number_style),
                    app.key_for(crate::keymap::Command::Alerts)
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
