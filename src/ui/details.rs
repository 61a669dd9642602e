//! The creator and video panes for the item on screen. Each builds its lines most important
//! first and shows as many as fit, so small terminals lose detail, never alignment.

use chrono::{TimeZone, Utc};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::fields::{self, Field, pair};
use super::theme::Theme;
use super::{pairs, pane, spinner, text_pair};
use crate::api::demo::EXAMPLE_ID;
use crate::app::App;
use crate::fetcher::Fetched;
use crate::format;
use crate::keymap::Command;
use crate::report::ContentTag;

pub fn render_creator(app: &App, frame: &mut Frame, area: Rect, theme: &Theme) {
    let block = pane("Creator", false, theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let lines = match shown_report(app) {
        Some(f) => creator_lines(app, f, inner.width, theme),
        None => placeholder(app, inner.width, theme),
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
            let lines = video_lines(app, f, inner.width, theme);
            frame.render_widget(Paragraph::new(fit(lines, inner)), inner);
        }
        None => {
            let lines = status_lines(app, inner.width, theme);
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

fn creator_lines<'a>(app: &App, f: &Fetched, width: u16, theme: &Theme) -> Vec<Line<'a>> {
    let a = &f.report.author;
    let style = app.number_style;
    let mut head = vec![
        Field::text(vec![Span::styled(
            a.name
                .as_deref()
                .map_or_else(|| "(no name)".into(), format::clean),
            theme.strong(),
        )])
        .keep(9),
    ];
    if a.is_star == Some(1) {
        head.push(Field::whole(vec![Span::styled("★ Xingtu creator", theme.accent())]).keep(1));
    }
    let place: Vec<String> = [a.city.clone(), Some(format::gender(a.gender).to_owned())]
        .into_iter()
        .flatten()
        .filter(|s| !s.is_empty() && s != "—")
        .collect();
    if !place.is_empty() {
        let place = format::clean(&place.join(" · "));
        head.push(Field::text(vec![Span::styled(place, theme.dim())]).keep(5));
    }
    let followers = match a.follower {
        Some(n) => vec![
            Field::whole(pair("Followers", format::count(n, style), theme)),
            Field::whole(vec![Span::raw(format!("({})", format::grouped(n)))]),
        ],
        None => vec![Field::whole(pair("Followers", "—".into(), theme))],
    };
    let tags: Vec<String> = a.content_tags.iter().map(ContentTag::to_string).collect();
    let tags = if tags.is_empty() {
        "—".into()
    } else {
        tags.join("; ")
    };
    let w = usize::from(width);
    let mut lines = vec![
        fields::line(head, "  ", Style::new(), w),
        fields::line(followers, " ", Style::new(), w),
        text_pair("Tags", tags, width, theme),
    ];
    if !a.industry_tags.is_empty() {
        lines.push(text_pair(
            "Industry",
            a.industry_tags.join(", "),
            width,
            theme,
        ));
    }
    lines.push(pairs(
        &[
            ("Link cnt", format::opt_count(a.link_cnt, style)),
            ("Ink cnt", format::opt_count(a.ink_cnt, style)),
        ],
        width,
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
        width,
        theme,
    ));
    lines
}

fn video_lines<'a>(app: &App, f: &Fetched, width: u16, theme: &Theme) -> Vec<Line<'a>> {
    let r = &f.report;
    let v = &r.video;
    let style = app.number_style;
    let q = r.ratios();
    let w = usize::from(width);
    let posted = match v.create_time {
        Some(t) => {
            let mut parts =
                vec![Field::whole(pair("Posted", format::local_time(t, app.zone), theme)).keep(3)];
            if let Some(at) = Utc.timestamp_opt(t, 0).single() {
                parts.push(Field::whole(vec![Span::raw(format::ago(at, app.now))]).keep(1));
            }
            if let Some(d) = v.duration {
                let length = format!("length {}", format::duration_secs(d));
                parts.push(Field::whole(vec![Span::raw(length)]).keep(2));
            }
            fields::line(parts, " · ", Style::new(), w)
        }
        None => pairs(&[("Posted", "—".into())], width, theme),
    };
    let title = Field::text(vec![Span::styled(
        format::clean(r.display_title()),
        theme.strong(),
    )]);
    let mut lines = vec![
        fields::line(vec![title], "", Style::new(), w),
        posted,
        pairs(
            &[
                ("Views", format::opt_count(v.vv_cnt, style)),
                ("Likes", format::opt_count(v.like_cnt, style)),
                ("Comments", format::opt_count(v.comment_cnt, style)),
            ],
            width,
            theme,
        ),
    ];
    // What the video cost, for a watched one with a price: before the shares line, so an
    // 80x24 screen shows it.
    if let Some(price) = app
        .shown
        .as_ref()
        .and_then(|id| app.entry_of(id))
        .and_then(|e| e.price)
    {
        let figures = crate::money::Figures::of(r, Some(price.as_f64()));
        let cost =
            |x: Option<f64>| x.map_or_else(|| "—".to_owned(), |x| format!("¥{}", format::yuan(x)));
        lines.push(fields::line(
            vec![
                Field::whole(pair("Price", format!("¥{price}"), theme)),
                Field::whole(pair("CPM", cost(figures.cpm()), theme)).keep(9),
                Field::whole(pair("CPE", cost(figures.cpe()), theme)).keep(8),
            ],
            "   ",
            Style::new(),
            w,
        ));
    }
    lines.push(fields::line(
        vec![
            Field::whole(pair("Shares", format::opt_count(v.share_cnt, style), theme)),
            Field::whole(pair(
                "Saves",
                format::opt_count(v.collect_cnt, style),
                theme,
            )),
            // The one figure on this line that is not also in the charts.
            Field::whole(pair(
                "Engagement",
                format::opt_percent(q.interact_rate),
                theme,
            ))
            .keep(9),
        ],
        "   ",
        Style::new(),
        w,
    ));
    if !v.content_theme_labels.is_empty() {
        lines.push(text_pair(
            "Themes",
            v.content_theme_labels.join(", "),
            width,
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
        lines.push(text_pair("Music", music, width, theme));
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
        width,
        theme,
    ));
    if let Some(url) = &v.url {
        lines.push(text_pair("URL", url.clone(), width, theme));
    }
    lines
}

/// What the video pane says while there is no report to show.
fn status_lines<'a>(app: &App, width: u16, theme: &Theme) -> Vec<Line<'a>> {
    let Some((id, view)) = app.shown_view() else {
        return placeholder(app, width, theme);
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
        format!(
            "{id}: not fetched yet — {} fetches it (one billed call)",
            app.key_for(Command::Refetch)
        ),
        theme.dim(),
    )]
}

fn placeholder<'a>(app: &App, width: u16, theme: &Theme) -> Vec<Line<'a>> {
    let mut lines = vec![Line::styled(
        "press / and paste a video id or Douyin link",
        theme.dim(),
    )];
    if app.demo {
        let mut ids = vec![Field::whole(vec![Span::styled("demo ids:", theme.dim())]).keep(9)];
        ids.extend(
            [EXAMPLE_ID, "7571234567890123456", "7569876543210987654"]
                .into_iter()
                .map(|id| Field::whole(vec![Span::styled(id, theme.dim())])),
        );
        // The label alone says nothing: no ids, no line.
        let line = fields::line(ids, " ", Style::new(), usize::from(width));
        if line.spans.len() > 1 {
            lines.push(line);
        }
    }
    lines
}
