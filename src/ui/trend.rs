//! Trend charts of the item on screen from its stored snapshots: views, likes, and like /
//! engagement rate over real time; `t` switches counts to growth per hour. Once Xingtu's
//! own daily series is known (`T`), its daily views are drawn as bars beside the snapshots'
//! growth per day, with a legend.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Axis, Chart, Dataset, GraphType, Paragraph, Wrap};

use super::pane;
use super::theme::Theme;
use crate::app::App;
use crate::format::{self, NumberStyle};
use crate::store::Snapshot;
use crate::t;
use crate::trend::StoredTrend;

pub fn render(app: &App, frame: &mut Frame, area: Rect, theme: &Theme) {
    let mode = if app.trend_rate {
        t!("ui-trend-growth")
    } else {
        t!("ui-trend-absolute")
    };
    let toggle = app.key_for(crate::keymap::Command::Trend);
    let daily = match (&app.shown, &app.history.daily) {
        (Some(shown), Some((id, t))) if id == shown => daily_points(t),
        _ => Vec::new(),
    };
    let title = if daily.is_empty() {
        t!("ui-trend-title", mode = mode, key = toggle)
    } else {
        t!("ui-trend-title-daily", mode = mode, key = toggle)
    };
    let block = pane(&title, false, theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);

    let series = match (&app.shown, &app.history.series) {
        (Some(shown), Some((id, s))) if id == shown => s.as_slice(),
        _ => &[],
    };
    if series.len() < 2 && daily.is_empty() {
        let why = app.history.error.clone().unwrap_or_else(|| {
            t!(
                "ui-trend-needs-snapshots",
                count = series.len(),
                daily = app.key_for(crate::keymap::Command::DailyTrend)
            )
        });
        frame.render_widget(
            Paragraph::new(Line::styled(why, theme.dim())).wrap(Wrap { trim: true }),
            inner,
        );
        return;
    }
    // Daily bars need the height to read; the lines below keep a quarter each.
    let split = if daily.is_empty() {
        [Constraint::Ratio(1, 3); 3]
    } else {
        [
            Constraint::Ratio(1, 2),
            Constraint::Ratio(1, 4),
            Constraint::Ratio(1, 4),
        ]
    };
    let [views, likes, rates] = Layout::vertical(split).areas(inner);
    let style = app.number_style;
    let counts = |metric: fn(&Snapshot) -> Option<u64>| -> Vec<(f64, f64)> {
        let points: Vec<(f64, f64)> = series
            .iter()
            .filter_map(|s| Some((s.fetched_at.timestamp() as f64, metric(s)? as f64)))
            .collect();
        if app.trend_rate {
            per_hour(&points)
        } else {
            points
        }
    };
    let (views_name, likes_name) = if app.trend_rate {
        (t!("ui-trend-views-per-hour"), t!("ui-trend-likes-per-hour"))
    } else {
        (t!("ui-trend-views"), t!("ui-trend-likes"))
    };
    if daily.is_empty() {
        chart(
            frame,
            views,
            &[Plot::line(views_name, counts(|s| s.vv_cnt))],
            Scale::Count(style),
            theme,
            0,
            app.zone,
        );
    } else {
        // Xingtu's figures are daily increments, so the snapshots are drawn as growth per
        // day beside them: one unit, whichever way `t` is set.
        let own = per_day(
            &series
                .iter()
                .filter_map(|s| Some((s.fetched_at.timestamp() as f64, s.vv_cnt? as f64)))
                .collect::<Vec<_>>(),
        );
        let mut plots = vec![Plot::bars(t!("ui-trend-xingtu-daily"), daily)];
        if !own.is_empty() {
            plots.push(Plot::line(t!("ui-trend-snapshots"), own));
        }
        chart(
            frame,
            views,
            &plots,
            Scale::Count(style),
            theme,
            0,
            app.zone,
        );
    }
    if series.len() < 2 {
        let why = t!("ui-trend-likes-need-snapshots", count = series.len());
        let [_, rest] = Layout::vertical([Constraint::Length(1), Constraint::Fill(1)])
            .areas(likes.union(rates));
        frame.render_widget(
            Paragraph::new(Line::styled(why, theme.dim())).wrap(Wrap { trim: true }),
            rest,
        );
        return;
    }
    chart(
        frame,
        likes,
        &[Plot::line(likes_name, counts(|s| s.like_cnt))],
        Scale::Count(style),
        theme,
        1,
        app.zone,
    );
    let rate = |f: fn(&Snapshot) -> Option<f64>| -> Vec<(f64, f64)> {
        series
            .iter()
            .filter_map(|s| Some((s.fetched_at.timestamp() as f64, f(s)?)))
            .collect()
    };
    let like_rate = |s: &Snapshot| crate::report::per_view(s.like_cnt, s.vv_cnt);
    chart(
        frame,
        rates,
        &[
            Plot::line(t!("ui-trend-like-rate"), rate(like_rate)),
            Plot::line(t!("ui-trend-engagement"), rate(|s| s.interact_rate)),
        ],
        Scale::Percent,
        theme,
        2,
        app.zone,
    );
}

/// On a terminal too short for the trend pane: Xingtu's daily views of the item on screen
/// alone, as bars, in the rates pane's place.
pub fn render_daily(app: &App, frame: &mut Frame, area: Rect, theme: &Theme) {
    let daily = match (&app.shown, &app.history.daily) {
        (Some(shown), Some((id, t))) if id == shown => daily_points(t),
        _ => Vec::new(),
    };
    let block = pane(&t!("ui-trend-daily-title"), false, theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if daily.is_empty() {
        frame.render_widget(
            Paragraph::new(Line::styled(t!("ui-trend-no-daily"), theme.dim())),
            inner,
        );
        return;
    }
    chart(
        frame,
        inner,
        &[Plot::bars(t!("ui-trend-xingtu-daily"), daily)],
        Scale::Count(app.number_style),
        theme,
        0,
        app.zone,
    );
}

/// Xingtu's daily views, each at noon of its day in China (UTC+8), where Xingtu counts it.
fn daily_points(trend: &StoredTrend) -> Vec<(f64, f64)> {
    trend
        .series(crate::trend::VIEWS)
        .into_iter()
        .filter_map(|(date, v)| {
            let noon = date.and_hms_opt(12, 0, 0)?.and_utc() - chrono::Duration::hours(8);
            Some((noon.timestamp() as f64, v))
        })
        .collect()
}

/// One dataset of a chart: its legend name, its points, and whether it is drawn as bars.
struct Plot {
    name: String,
    points: Vec<(f64, f64)>,
    bars: bool,
}

impl Plot {
    fn line(name: String, points: Vec<(f64, f64)>) -> Plot {
        Plot {
            name,
            points,
            bars: false,
        }
    }

    fn bars(name: String, points: Vec<(f64, f64)>) -> Plot {
        Plot {
            name,
            points,
            bars: true,
        }
    }
}

/// Growth per day between points at least an hour apart (closer ones are merged: a rate
/// taken over minutes and scaled to a day is noise), placed at the later point.
pub fn per_day(points: &[(f64, f64)]) -> Vec<(f64, f64)> {
    let mut out = Vec::new();
    let Some(mut anchor) = points.first().copied() else {
        return out;
    };
    for &(x, y) in &points[1..] {
        let hours = (x - anchor.0) / 3600.0;
        if hours >= 1.0 {
            out.push((x, (y - anchor.1) / hours * 24.0));
            anchor = (x, y);
        }
    }
    out
}

/// Growth per hour between consecutive points, placed at the later point.
pub fn per_hour(points: &[(f64, f64)]) -> Vec<(f64, f64)> {
    points
        .windows(2)
        .filter_map(|w| {
            let hours = (w[1].0 - w[0].0) / 3600.0;
            (hours > 0.0).then(|| (w[1].0, (w[1].1 - w[0].1) / hours))
        })
        .collect()
}

#[derive(Clone, Copy)]
enum Scale {
    Count(NumberStyle),
    Percent,
}

impl Scale {
    fn label(self, v: f64) -> String {
        match self {
            Scale::Count(style) if v < 0.0 => format!("-{}", format::count((-v) as u64, style)),
            Scale::Count(style) => format::count(v as u64, style),
            Scale::Percent => format::percent(v),
        }
    }
}

fn chart(
    frame: &mut Frame,
    area: Rect,
    plots: &[Plot],
    scale: Scale,
    theme: &Theme,
    color: usize,
    zone: format::Zone,
) {
    let all = plots.iter().flat_map(|p| p.points.iter());
    let (mut x0, mut x1, mut y0, mut y1) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
    for (x, y) in all {
        x0 = x0.min(*x);
        x1 = x1.max(*x);
        y0 = y0.min(*y);
        y1 = y1.max(*y);
    }
    if x0 > x1 {
        return;
    }
    // Bars rise from zero.
    let bars = plots.iter().any(|p| p.bars);
    if bars {
        y0 = y0.min(0.0);
    }
    if (y1 - y0).abs() < f64::EPSILON {
        y0 -= 1.0_f64.max(y0.abs() * 0.01);
        y1 += 1.0_f64.max(y1.abs() * 0.01);
    }
    let datasets: Vec<Dataset> = plots
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let (marker, kind) = if p.bars {
                (Marker::HalfBlock, GraphType::Bar)
            } else {
                (Marker::Braille, GraphType::Line)
            };
            Dataset::default()
                .name(p.name.clone())
                .marker(marker)
                .graph_type(kind)
                .style(theme.series(color + i))
                .data(&p.points)
        })
        .collect();
    let when = |t: f64| zone.format(t as i64, "%m-%d %H:%M").unwrap_or_default();
    let x_axis = Axis::default()
        .bounds([x0, x1.max(x0 + 1.0)])
        .labels([Span::raw(when(x0)), Span::raw(when(x1))])
        .style(theme.dim());
    // The axis title is the legend: each dataset's name (with its mark) in its colour, on
    // one line, which a low chart still has room for.
    let mut legend = Vec::new();
    for (i, p) in plots.iter().enumerate() {
        if i > 0 {
            legend.push(Span::styled(" · ", theme.dim()));
        }
        legend.push(Span::styled(p.name.clone(), theme.series(color + i)));
    }
    let y_axis = Axis::default()
        .title(Line::from(legend))
        .bounds([y0, y1])
        .labels([Span::raw(scale.label(y0)), Span::raw(scale.label(y1))])
        .style(theme.dim());
    frame.render_widget(
        Chart::new(datasets)
            .x_axis(x_axis)
            .y_axis(y_axis)
            .legend_position(None),
        area,
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn growth_per_hour_between_points() {
        let pts = [
            (0.0, 100.0),
            (3600.0, 160.0),
            (5400.0, 190.0),
            (5400.0, 999.0),
        ];
        assert_eq!(per_hour(&pts), vec![(3600.0, 60.0), (5400.0, 60.0)]);
    }

    #[test]
    fn growth_per_day_skips_points_less_than_an_hour_apart() {
        let pts = [
            (0.0, 100.0),
            (60.0, 5_000.0),
            (7200.0, 300.0),
            (9000.0, 400.0),
            (10800.0, 500.0),
        ];
        assert_eq!(per_day(&pts), vec![(7200.0, 2400.0), (10800.0, 4800.0)]);
    }
}
