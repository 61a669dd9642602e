//! The creator and video panes for the item on screen. Each builds its lines most important
//! first and shows as many as fit, so small terminals lose detail, never alignment.

use chrono::{TimeZone, Utc};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::theme::Theme;
use super::{pairs, pane, spinner};
use crate::app::App;
use crate::fetcher::Fetched;
use crate::format;
use crate::report::ContentTag;

pub fn render_creator(app: &App, frame: &mut Frame, area: Rect, theme: &Theme) {
    let block = pane("Creator", false, theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let lines = match shown_report(app) {
        Some(f) => creator_lines(app, f, theme),
        None => placeholder(app, theme),
    };
    frame.render_widget(Paragraph::new(fit(lines, inner)), inner);
}

pub fn render_video(app: &App, frame: &mut Frame, area: Rect, theme: &Theme) {
    let title = match app.shown_view() {
        Some((_, v)) if v.last_ok.as_ref().is_some_and(|f| f.from_cache) => {
            "Video · from cache".to_owned()
        }
        Some((_, v)) if v.error.is_some() && v.last_ok.is_some() => format!(
            "Video · last refresh failed: {}",
            v.error.as_ref().map(|e| e.short()).unwrap_or_default()
        ),
        _ => "Video".to_owned(),
    };
    let block = pane(&title, false, theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    match shown_report(app) {
        Some(f) => {
            let lines = video_lines(app, f, theme);
            frame.render_widget(Paragraph::new(fit(lines, inner)), inner);
        }
        None => {
            let lines = status_lines(app, theme);
            frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), inner);
        }
    }
}

pub fn shown_report(app: &App) -> Option<&Fetched> {
    app.shown_view().and_then(|(_, v)| v.last_ok.as_ref())
}

/// Keeps the first lines that fit, each cut to the width without splitting a character.
fn fit<'a>(lines: Vec<Line<'a>>, area: Rect) -> Vec<Line<'a>> {
    lines.into_iter().take(usize::from(area.height)).collect()
}

fn creator_lines<'a>(app: &App, f: &Fetched, theme: &Theme) -> Vec<Line<'a>> {
    let a = &f.report.author;
    let style = app.number_style;
    let mut head = vec![Span::styled(
        a.name
            .as_deref()
            .map_or_else(|| "(no name)".into(), format::clean),
        theme.strong(),
    )];
    if a.is_star == Some(1) {
        head.push(Span::styled("  ★ Xingtu creator", theme.accent()));
    }
    let place: Vec<String> = [a.city.clone(), Some(format::gender(a.gender).to_owned())]
        .into_iter()
        .flatten()
        .filter(|s| !s.is_empty() && s != "—")
        .collect();
    if !place.is_empty() {
        head.push(Span::styled(
            format::clean(&format!("  {}", place.join(" · "))),
            theme.dim(),
        ));
    }
    let tags: Vec<String> = a.content_tags.iter().map(ContentTag::to_string).collect();
    let mut lines = vec![
        Line::from(head),
        pairs(
            &[(
                "Followers",
                a.follower.map_or("—".into(), |n| {
                    format!("{} ({})", format::count(n, style), format::grouped(n))
                }),
            )],
            theme,
        ),
        pairs(
            &[(
                "Tags",
                if tags.is_empty() {
                    "—".into()
                } else {
                    tags.join("; ")
                },
            )],
            theme,
        ),
    ];
    if !a.industry_tags.is_empty() {
        lines.push(pairs(&[("Industry", a.industry_tags.join(", "))], theme));
    }
    lines.push(pairs(
        &[
            ("Link cnt", format::opt_count(a.link_cnt, style)),
            ("Ink cnt", format::opt_count(a.ink_cnt, style)),
        ],
        theme,
    ));
    lines.push(pairs(
        &[
            (
                "Author id",
                a.author_id.clone().unwrap_or_else(|| "—".into()),
            ),
            (
                "Core id",
                a.core_user_id.clone().unwrap_or_else(|| "—".into()),
            ),
        ],
        theme,
    ));
    lines
}

fn video_lines<'a>(app: &App, f: &Fetched, theme: &Theme) -> Vec<Line<'a>> {
    let r = &f.report;
    let v = &r.video;
    let style = app.number_style;
    let q = r.ratios();
    let published = match v.create_time {
        Some(t) => {
            let age = Utc
                .timestamp_opt(t, 0)
                .single()
                .map(|at| format::ago(at, app.now))
                .unwrap_or_default();
            let length = v
                .duration
                .map(|d| format!(" · length {}", format::duration_secs(d)))
                .unwrap_or_default();
            format!("{} · {age}{length}", format::local_time(t))
        }
        None => "—".into(),
    };
    let mut lines = vec![
        Line::styled(format::clean(r.display_title()), theme.strong()),
        pairs(&[("Posted", published)], theme),
        pairs(
            &[
                ("Views", format::opt_count(v.vv_cnt, style)),
                ("Likes", format::opt_count(v.like_cnt, style)),
                ("Comments", format::opt_count(v.comment_cnt, style)),
            ],
            theme,
        ),
        pairs(
            &[
                ("Shares", format::opt_count(v.share_cnt, style)),
                ("Saves", format::opt_count(v.collect_cnt, style)),
                ("Engagement", format::opt_percent(q.interact_rate)),
            ],
            theme,
        ),
    ];
    if !v.content_theme_labels.is_empty() {
        lines.push(pairs(
            &[("Themes", v.content_theme_labels.join(", "))],
            theme,
        ));
    }
    if let Some(m) = &v.music_info {
        let music = match (&m.title, &m.author) {
            (Some(t), Some(a)) if !t.contains(a.as_str()) => format!("{t} — {a}"),
            (Some(t), _) => t.clone(),
            (None, Some(a)) => a.clone(),
            (None, None) => "—".into(),
        };
        lines.push(pairs(&[("Music", music)], theme));
    }
    lines.push(pairs(
        &[
            ("Id", r.item_id.clone()),
            (
                "Fetched",
                format!(
                    "{}{}",
                    format::ago(f.fetched_at, app.now),
                    if f.from_cache { " (cache)" } else { "" }
                ),
            ),
        ],
        theme,
    ));
    if let Some(url) = &v.url {
        lines.push(pairs(&[("URL", url.clone())], theme));
    }
    lines
}

/// What the video pane says while there is no report to show.
fn status_lines<'a>(app: &App, theme: &Theme) -> Vec<Line<'a>> {
    let Some((id, view)) = app.shown_view() else {
        return placeholder(app, theme);
    };
    if view.in_flight {
        let mut lines = vec![Line::from(vec![
            Span::styled(format!("{} ", spinner(app.spinner)), theme.accent()),
            Span::raw(format!("looking up {id}…")),
        ])];
        if let Some((attempt, at, why)) = &view.retry {
            lines.push(Line::styled(
                format!(
                    "attempt {attempt} failed ({why}); retrying in {}s",
                    (*at - app.now).num_seconds().max(0)
                ),
                theme.warn(),
            ));
        } else {
            lines.push(Line::styled(
                "the provider collects on demand: this can take up to a minute",
                theme.dim(),
            ));
        }
        return lines;
    }
    if let Some(err) = &view.error {
        return vec![
            Line::styled(format!("{id}: lookup failed"), theme.error()),
            Line::raw(err.to_string()),
        ];
    }
    vec![Line::styled(
        format!("{id}: not fetched yet — r fetches it (one billed call)"),
        theme.dim(),
    )]
}

fn placeholder<'a>(app: &App, theme: &Theme) -> Vec<Line<'a>> {
    let mut lines = vec![Line::styled(
        "press / and paste a video id or Douyin link",
        theme.dim(),
    )];
    if app.demo {
        lines.push(Line::styled(
            "demo ids: 7566200471448779514 7571234567890123456 7569876543210987654",
            theme.dim(),
        ));
    }
    lines
}
