//! Ratio charts of the item on screen: like, comment, share and save rates per view on a
//! fixed logarithmic scale (so two videos compare at a glance and a 0.006 % comment rate is
//! still visible beside a 3 % like rate), the make-up of interactions, and completion.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::details::shown_report;
use super::fields::{self, Field};
use super::pane;
use super::theme::Theme;
use crate::app::App;
use crate::format;
use crate::t;

/// The scale's ends, in percent.
const LOG_MIN_PCT: f64 = 0.001;
const LOG_MAX_PCT: f64 = 10.0;
const LABEL: usize = 11;
/// The pane's title, which names the scale; the compare view's bars use the same one.
pub fn title() -> String {
    t!("ui-rates-title")
}
const VALUE: usize = 9;

pub fn render(app: &App, frame: &mut Frame, area: Rect, theme: &Theme) {
    // The scale's ends are figures: the title says them whole or not at all.
    let full = title();
    let title = if format::width(&full) + 4 <= usize::from(area.width) {
        full
    } else {
        t!("ui-rates-title-short")
    };
    let block = pane(&title, false, theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let Some(f) = shown_report(app) else {
        frame.render_widget(
            Paragraph::new(Line::styled(t!("ui-no-report"), theme.dim())),
            inner,
        );
        return;
    };
    let r = &f.report;
    let q = r.ratios();
    let v = &r.video;
    let width = usize::from(inner.width);
    let mut lines: Vec<Line> = [
        (t!("ui-rate-like"), q.like_rate),
        (t!("ui-rate-comment"), q.comment_rate),
        (t!("ui-rate-share"), q.share_rate),
        (t!("ui-rate-save"), q.collect_rate),
    ]
    .iter()
    .enumerate()
    .map(|(i, (name, rate))| {
        bar_line(
            name,
            rate.map(log_position),
            *rate,
            width,
            theme.series(i),
            theme,
        )
    })
    .collect();
    lines.push(bar_line(
        &t!("ui-rate-completion"),
        q.finish_rate.map(|f| f.clamp(0.0, 1.0)),
        q.finish_rate,
        width,
        theme.series(4),
        theme,
    ));
    lines.extend(mix_lines(
        [v.like_cnt, v.comment_cnt, v.share_cnt],
        usize::from(inner.width),
        theme,
    ));
    let height = usize::from(inner.height);
    frame.render_widget(
        Paragraph::new(lines.into_iter().take(height).collect::<Vec<_>>()),
        inner,
    );
}

/// Where a rate sits on the log scale, 0..=1.
pub fn log_position(fraction: f64) -> f64 {
    let pct = fraction * 100.0;
    if pct <= LOG_MIN_PCT {
        return 0.0;
    }
    ((pct.log10() - LOG_MIN_PCT.log10()) / (LOG_MAX_PCT.log10() - LOG_MIN_PCT.log10()))
        .clamp(0.0, 1.0)
}

/// A bar of `cells` cells filled to `fill` (0..=1) with eighth-cell precision.
pub fn bar(fill: f64, cells: usize) -> String {
    const PARTS: [&str; 8] = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"];
    let eighths = (fill.clamp(0.0, 1.0) * cells as f64 * 8.0).round() as usize;
    let (full, part) = (eighths / 8, eighths % 8);
    let mut s = "█".repeat(full.min(cells));
    if full < cells {
        s.push_str(PARTS[part]);
    }
    s
}

/// `Like  ████▎   0.237%`; where there is no room for a bar, the name and the figure, and
/// where there is none for both, the figure alone.
fn bar_line<'a>(
    name: &str,
    fill: Option<f64>,
    rate: Option<f64>,
    width: usize,
    style: Style,
    theme: &Theme,
) -> Line<'a> {
    let value = format::opt_percent(rate);
    let cells = width.saturating_sub(LABEL + VALUE + 2);
    if cells < 3 {
        let fields = vec![
            Field::whole(vec![Span::styled(name.to_owned(), theme.label())]),
            Field::whole(vec![Span::styled(value, theme.strong())]).keep(9),
        ];
        return fields::line(fields, " ", Style::new(), width);
    }
    let drawn = bar(fill.unwrap_or(0.0), cells);
    Line::from(vec![
        Span::styled(format::pad_right(name, LABEL), theme.label()),
        Span::styled(format::pad_right(&drawn, cells), style),
        Span::raw(" "),
        Span::styled(format::pad_left(&value, VALUE), theme.strong()),
    ])
}

/// Likes : comments : shares as one stacked bar, and its legend.
fn mix_lines<'a>(counts: [Option<u64>; 3], width: usize, theme: &Theme) -> Vec<Line<'a>> {
    let values: Vec<u64> = counts.iter().map(|c| c.unwrap_or(0)).collect();
    let total: u64 = values.iter().sum();
    if total == 0 {
        return vec![Line::from(vec![
            Span::styled(format::pad_right(&t!("ui-mix"), LABEL), theme.label()),
            Span::styled(t!("ui-mix-none"), theme.dim()),
        ])];
    }
    let cells = width.saturating_sub(LABEL + 1);
    let mut spans = vec![Span::styled(
        format::pad_right(&t!("ui-mix"), LABEL),
        theme.label(),
    )];
    let mut used = 0;
    for (i, v) in values.iter().enumerate() {
        let share = *v as f64 / total as f64;
        let n = if i == values.len() - 1 {
            cells - used
        } else {
            ((share * cells as f64).round() as usize).min(cells - used)
        };
        used += n;
        spans.push(Span::styled("█".repeat(n), theme.series(i)));
    }
    // Cut to fit, a legend would end mid-word or mid-figure: it gives up its indent, then
    // abbreviates, and only then leaves entries out.
    let legend = |names: &[String; 3]| -> Vec<Field<'a>> {
        values
            .iter()
            .enumerate()
            .map(|(i, v)| {
                let share = format::percent(*v as f64 / total as f64);
                Field::whole(vec![
                    Span::styled("■ ", theme.series(i)),
                    Span::raw(format!("{} {share}", names[i])),
                ])
            })
            .collect()
    };
    let full = [
        t!("ui-mix-likes"),
        t!("ui-mix-comments"),
        t!("ui-mix-shares"),
    ];
    let short = [t!("ui-mix-l"), t!("ui-mix-c"), t!("ui-mix-s")];
    let (indent, names) = [(LABEL, &full), (0, &full), (LABEL, &short), (0, &short)]
        .into_iter()
        .find(|(indent, names)| fields::fits(&legend(names), " · ", width.saturating_sub(*indent)))
        .unwrap_or((0, &short));
    let mut legend_line = fields::line(legend(names), " · ", theme.dim(), width - indent);
    legend_line.spans.insert(0, Span::raw(" ".repeat(indent)));
    vec![Line::from(spans), legend_line]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_scale_spreads_typical_rates() {
        assert_eq!(log_position(0.0), 0.0);
        assert_eq!(log_position(0.1), 1.0);
        assert!((log_position(0.0001) - 0.25).abs() < 1e-9);
        let like = log_position(107_089.0 / 45_275_627.0);
        let comment = log_position(2686.0 / 45_275_627.0);
        assert!(like > comment && comment > 0.1, "{like} {comment}");
    }

    #[test]
    fn bars_use_eighths_and_never_overflow() {
        assert_eq!(bar(0.0, 4), "");
        assert_eq!(bar(1.0, 4), "████");
        assert_eq!(bar(0.5, 4), "██");
        assert_eq!(bar(0.53125, 4), "██▏");
        assert_eq!(bar(2.0, 3), "███");
    }
}
