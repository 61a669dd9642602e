//! The campaign summary, in the recent list's place while a campaign's tab is shown: the
//! pooled totals, CPM and CPE over the priced videos ("over 2 of 3 videos"), and the
//! campaign's videos ranked by the metric `m` picks.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::charts::{bar, log_position};
use super::fields::{self, Field, pair};
use super::pane;
use super::theme::Theme;
use crate::app::App;
use crate::app::figures::{self, Metric, ranked};
use crate::format;
use crate::keymap::Command;
use crate::money::Totals;
use crate::targets::{Measures, Metric as TargetMetric};

/// Height from which the pooled rates get a line of their own.
const RATES_LINE_FROM: u16 = 10;

/// One video of the campaign: its entry and its value of the ranking metric.
struct Ranked {
    entry: usize,
    value: Option<f64>,
}

/// A video's name in the ranking: its label, else its title, else its id. Only the rows
/// drawn are named.
fn name_of(app: &App, entry: usize) -> String {
    let entry = &app.watch.entries[entry];
    let name = entry
        .label
        .as_deref()
        .filter(|l| !l.trim().is_empty())
        .or_else(|| {
            app.history
                .texts
                .get(entry.item_id.as_str())
                .and_then(|t| t.title.as_deref())
        })
        .unwrap_or(entry.item_id.as_str());
    format::clean(name)
}

pub fn render(app: &App, frame: &mut Frame, area: Rect, theme: &Theme) {
    let Some(campaign) = app.watch.tab.campaign() else {
        return;
    };
    let metric = app.watch.metric;
    let mut totals = Totals::default();
    // Completion weighted by views, the campaign's share of views watched to the end.
    let (mut finished, mut finish_views) = (0.0, 0u64);
    let mut videos = Vec::with_capacity(app.watch.order.len());
    for i in &app.watch.order {
        let entry = &app.watch.entries[*i];
        let newest = figures::newest(app, entry.item_id.as_str());
        let newest = newest.as_deref();
        let price = entry.price.map(|p| p.as_f64());
        totals.add(&figures::money_figures(newest, price));
        if let Some((rate, views)) = newest.and_then(|s| Some((s.finish_rate?, s.vv_cnt?))) {
            finished += rate * views as f64;
            finish_views = finish_views.saturating_add(views);
        }
        videos.push(Ranked {
            entry: *i,
            value: metric.value(newest, price),
        });
    }
    let n = totals.videos;
    let title = fields::title(
        vec![
            (format!("Campaign {}", format::clean(campaign)), 9),
            (format!("{n} video{}", if n == 1 { "" } else { "s" }), 5),
        ],
        area.width,
    );
    // The ranking's metric and the key that changes it sit on the bottom border, so the
    // bars keep every row.
    let ranked_by = fields::title(
        vec![
            (format!("ranked by {}", metric.name()), 9),
            (format!("{} next", app.key_for(Command::Metric)), 5),
        ],
        area.width,
    );
    let block = pane(&title, false, theme)
        .title_bottom(Span::styled(format!(" {ranked_by} "), theme.accent()));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let width = usize::from(inner.width);
    let style = app.number_style;

    let finish_rate = (finish_views > 0).then(|| finished / finish_views as f64);
    let measures = Measures::of_totals(&totals, finish_rate);
    let targets = app.targets.for_campaign(Some(campaign));
    // `2.80% ✓` against the campaign's target, when it has one.
    let marked = |value: Option<f64>, metric: Option<TargetMetric>, text: String| {
        let met = metric
            .and_then(|m| Some(targets.meets(m, value?)))
            .flatten();
        match crate::targets::mark(met) {
            "" => text,
            mark => format!("{text} {mark}"),
        }
    };
    let rates = [
        (
            "Engagement",
            measures.interact_rate,
            Some(TargetMetric::InteractRate),
        ),
        ("Like", measures.like_rate, Some(TargetMetric::LikeRate)),
        (
            "Comment",
            measures.comment_rate,
            Some(TargetMetric::CommentRate),
        ),
        ("Share", measures.share_rate, Some(TargetMetric::ShareRate)),
        ("Save", totals.collect_rate(), None),
        ("Completion", finish_rate, Some(TargetMetric::FinishRate)),
    ];
    let rate_fields = |keep: u8| -> Vec<Field> {
        rates
            .iter()
            .map(|(name, r, t)| {
                let text = marked(*r, *t, format::opt_percent(*r));
                Field::whole(pair(name, text, theme)).keep(keep)
            })
            .collect()
    };
    let mut first = vec![
        Field::whole(pair("Fee", fee(totals.price), theme)).keep(9),
        Field::whole(pair("Views", format::count(totals.views, style), theme)).keep(8),
        Field::whole(pair(
            "Interactions",
            format::count(totals.interactions(), style),
            theme,
        ))
        .keep(2),
    ];
    let rates_apart = inner.height >= RATES_LINE_FROM;
    if !rates_apart {
        first.extend(rate_fields(1));
    }
    let mut lines = vec![fields::line(first, "   ", Style::new(), width)];
    for (name, value, metric) in [
        ("CPM", totals.cpm(), TargetMetric::Cpm),
        ("CPE", totals.cpe(), TargetMetric::Cpe),
    ] {
        let figure = value.map_or_else(|| "—".to_owned(), |v| format!("¥{}", format::yuan(v)));
        let figure = marked(value, Some(metric), figure);
        lines.push(cost_line(name, figure, &totals, app, width, theme));
    }
    if rates_apart {
        lines.push(fields::line(rate_fields(0), "   ", Style::new(), width));
    }
    let room = usize::from(inner.height).saturating_sub(lines.len());
    lines.extend(ranking(app, metric, &videos, room, width, theme));
    frame.render_widget(Paragraph::new(lines), inner);
}

/// A sum of fees as they are written: whole yuan without the fen.
fn fee(x: f64) -> String {
    if x.fract() == 0.0 && x >= 0.0 {
        format!("¥{}", format::grouped(x as u64))
    } else {
        format!("¥{}", format::yuan(x))
    }
}

/// `CPM ¥26.50 over 2 of 3 videos`; the count goes before the figure does.
fn cost_line<'a>(
    name: &'a str,
    figure: String,
    totals: &Totals,
    app: &App,
    width: usize,
    theme: &Theme,
) -> Line<'a> {
    let over = if totals.priced_videos == 0 {
        format!(
            "no video priced ({} sets a price)",
            app.key_for(Command::Label)
        )
    } else {
        format!("over {} of {} videos", totals.priced_videos, totals.videos)
    };
    fields::line(
        vec![
            Field::whole(pair(name, figure, theme)).keep(9),
            Field::whole(vec![Span::styled(over, theme.dim())]),
        ],
        " ",
        Style::new(),
        width,
    )
}

/// The videos best first, as bars: costs against the largest, rates on the rates pane's log
/// scale. The last line says how many did not fit.
fn ranking<'a>(
    app: &App,
    metric: Metric,
    videos: &[Ranked],
    room: usize,
    width: usize,
    theme: &Theme,
) -> Vec<Line<'a>> {
    if room == 0 {
        return Vec::new();
    }
    let values: Vec<Option<f64>> = videos.iter().map(|v| v.value).collect();
    // Every video fits, or the last row says how many did not.
    let shown = if videos.len() > room {
        room - 1
    } else {
        videos.len()
    };
    let order = ranked(metric, &values, shown);
    let largest = values.iter().flatten().fold(0.0f64, |m, v| m.max(*v));
    let fill = |v: f64| {
        if metric.is_cost() {
            if largest > 0.0 { v / largest } else { 0.0 }
        } else {
            log_position(v)
        }
    };
    const VALUE: usize = 10;
    let name_w = (width / 3).clamp(6, 24);
    let cells = width.saturating_sub(name_w + 1 + 1 + VALUE);
    let mut lines: Vec<Line> = order
        .iter()
        .take(shown)
        .enumerate()
        .map(|(rank, i)| {
            let v = &videos[*i];
            let value = v.value.map_or_else(|| "—".to_owned(), |x| metric.format(x));
            Line::from(vec![
                Span::raw(format::pad_right(&name_of(app, v.entry), name_w)),
                Span::raw(" "),
                Span::styled(
                    format::pad_right(&bar(v.value.map_or(0.0, fill), cells), cells),
                    theme.series(rank),
                ),
                Span::raw(" "),
                Span::styled(format::pad_left(&value, VALUE), theme.strong()),
            ])
        })
        .collect();
    if shown < videos.len() {
        lines.push(Line::styled(
            format!("… {} more", videos.len() - shown),
            theme.dim(),
        ));
    }
    lines
}
