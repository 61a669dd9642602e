//! Trend charts of the item on screen from its stored snapshots: views, likes, and like /
//! engagement rate over real time; `t` switches counts to growth per hour.

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

pub fn render(app: &App, frame: &mut Frame, area: Rect, theme: &Theme) {
    let mode = if app.trend_rate {
        "growth per hour"
    } else {
        "absolute"
    };
    let title = format!("Trend · {mode} (t toggles)");
    let block = pane(&title, false, theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);

    let series = match (&app.shown, &app.history.series) {
        (Some(shown), Some((id, s))) if id == shown => s.as_slice(),
        _ => &[],
    };
    if series.len() < 2 {
        let why = app.history.error.clone().unwrap_or_else(|| {
            format!(
                "a trend needs two snapshots or more; this item has {}. Every successful fetch adds one (r, R, or `xingtu-dash watch refresh` from cron).",
                series.len()
            )
        });
        frame.render_widget(
            Paragraph::new(Line::styled(why, theme.dim())).wrap(Wrap { trim: true }),
            inner,
        );
        return;
    }
    let [views, likes, rates] = Layout::vertical([Constraint::Ratio(1, 3); 3]).areas(inner);
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
    let suffix = if app.trend_rate { "/h" } else { "" };
    chart(
        frame,
        views,
        &[(&format!("views{suffix}"), counts(|s| s.vv_cnt))],
        Scale::Count(style),
        theme,
        0,
        app.zone,
    );
    chart(
        frame,
        likes,
        &[(&format!("likes{suffix}"), counts(|s| s.like_cnt))],
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
            ("like rate", rate(like_rate)),
            ("engagement", rate(|s| s.interact_rate)),
        ],
        Scale::Percent,
        theme,
        2,
        app.zone,
    );
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
    series: &[(&str, Vec<(f64, f64)>)],
    scale: Scale,
    theme: &Theme,
    color: usize,
    zone: format::Zone,
) {
    let all = series.iter().flat_map(|(_, p)| p.iter());
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
    if (y1 - y0).abs() < f64::EPSILON {
        y0 -= 1.0_f64.max(y0.abs() * 0.01);
        y1 += 1.0_f64.max(y1.abs() * 0.01);
    }
    let datasets: Vec<Dataset> = series
        .iter()
        .enumerate()
        .map(|(i, (name, points))| {
            Dataset::default()
                .name(name.to_string())
                .marker(Marker::Braille)
                .graph_type(GraphType::Line)
                .style(theme.series(color + i))
                .data(points)
        })
        .collect();
    let when = |t: f64| zone.format(t as i64, "%m-%d %H:%M").unwrap_or_default();
    let x_axis = Axis::default()
        .bounds([x0, x1.max(x0 + 1.0)])
        .labels([Span::raw(when(x0)), Span::raw(when(x1))])
        .style(theme.dim());
    let names: Vec<&str> = series.iter().map(|(n, _)| *n).collect();
    let y_axis = Axis::default()
        .title(Span::styled(names.join(" · "), theme.series(color)))
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
}
