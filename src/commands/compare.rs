//! `xingtu-dash compare <ITEM>... [--json]`: two to eight videos side by side, the best value
//! in each row marked. Lookups follow `get`'s rules (stored reports younger than the cache
//! window cost nothing, duplicates one call, a halting code stops the rest).

use std::io::IsTerminal;
use std::process::ExitCode;

use chrono::{DateTime, Utc};

use super::costs::{self, Watched, marked, opt_yuan};
use super::get::{Printer, lookup_all};
use super::{EXIT_FAILED, EXIT_OK, EXIT_USAGE, exit, items};
use crate::cli::CompareArgs;
use crate::fetcher::{Fetched, Freshness};
use crate::format::{self, pad_left, pad_right};
use crate::item_id::ItemId;
use crate::money::Figures;
use crate::session::Session;
use crate::settings::Settings;
use crate::t;
use crate::targets::{Measures, Metric};

pub const MIN_ITEMS: usize = 2;
pub const MAX_ITEMS: usize = 8;

pub async fn run(settings: &Settings, args: &CompareArgs) -> ExitCode {
    let mut ids = match items::ids(settings, &args.items, None).await {
        Ok(ids) => ids,
        Err(rejected) => return rejected.report(&crate::t!("cli-nothing-looked-up")),
    };
    // The same video twice (an id and its link) is one column.
    let mut seen = std::collections::HashSet::new();
    ids.retain(|id| seen.insert(id.clone()));
    if !(MIN_ITEMS..=MAX_ITEMS).contains(&ids.len()) {
        super::error(t!(
            "cli-compare-count",
            min = MIN_ITEMS,
            max = MAX_ITEMS,
            got = ids.len()
        ));
        return exit(EXIT_USAGE);
    }
    let session = match Session::open(settings, 4) {
        Ok(s) => s,
        Err(e) => {
            super::error(e);
            return exit(EXIT_USAGE);
        }
    };
    let mut fetched: Vec<(ItemId, Fetched)> = Vec::new();
    let outcome = if args.json {
        let printer = Printer::new(settings, true, false);
        lookup_all(&session.fetcher(), &ids, Freshness::CacheOk, |id, r| {
            printer.print(id, r)
        })
        .await
    } else {
        lookup_all(&session.fetcher(), &ids, Freshness::CacheOk, |id, r| {
            match r {
                Ok(f) => fetched.push((id.clone(), f.clone())),
                Err(e) => crate::errln!("{}", crate::output::human_err(id.as_str(), e).trim_end()),
            }
            true
        })
        .await
    };
    session.finish().await.iter().for_each(super::warning);
    if !args.json && !fetched.is_empty() {
        print_side_by_side(settings, &fetched, Utc::now());
    }
    if outcome.failed > 0 {
        if !args.json && crate::stdio::lost().is_none() {
            let (failed, total) = (outcome.failed, outcome.total);
            crate::errln!(
                "{}",
                t!("cli-get-some-failed", failed = failed, total = total)
            );
        }
        return exit(EXIT_FAILED);
    }
    exit(EXIT_OK)
}

/// Which value of a row is best.
#[derive(Clone, Copy)]
enum Best {
    Highest,
    Lowest,
    /// Not ranked: a fee, a date.
    None,
}

/// One row: its name, which value wins, the target it is checked against, and per video
/// the value (for ranking) and its text.
struct Row {
    name: String,
    best: Best,
    metric: Option<Metric>,
    cells: Vec<(Option<f64>, String)>,
}

/// A video's counts with its fee, what targets see, and its report.
type Facts<'a> = (Figures, Measures, &'a Fetched);

fn rows(settings: &Settings, videos: &[(ItemId, Fetched)], now: DateTime<Utc>) -> Vec<Row> {
    let style = settings.number_style;
    let watched = Watched::of(settings);
    let facts: Vec<Facts> = videos
        .iter()
        .map(|(id, f)| {
            let price = watched
                .entry(id.as_str())
                .and_then(|e| e.price)
                .map(|p| p.as_f64());
            let figures = Figures::of(&f.report, price);
            let m = Measures::of_video(&figures, f.report.video.finish_rate);
            (figures, m, f)
        })
        .collect();
    let row =
        |name, best, metric: Option<Metric>, cell: &dyn Fn(&Facts) -> (Option<f64>, String)| Row {
            name,
            best,
            metric,
            cells: facts.iter().map(cell).collect(),
        };
    let rate = |x: Option<f64>| (x, format::opt_percent(x));
    let count = |n: Option<u64>| (n.map(|n| n as f64), format::opt_count(n, style));
    let ratios = |f: &Fetched| f.report.ratios();
    vec![
        row(t!("cli-compare-views"), Best::Highest, None, &|(
            fg,
            _,
            _,
        )| {
            count(fg.views)
        }),
        row(
            t!("cli-compare-like"),
            Best::Highest,
            Some(Metric::LikeRate),
            &|(_, _, f)| rate(ratios(f).like_rate),
        ),
        row(
            t!("cli-compare-comment"),
            Best::Highest,
            Some(Metric::CommentRate),
            &|(_, _, f)| rate(ratios(f).comment_rate),
        ),
        row(
            t!("cli-compare-share"),
            Best::Highest,
            Some(Metric::ShareRate),
            &|(_, _, f)| rate(ratios(f).share_rate),
        ),
        row(t!("cli-compare-save"), Best::Highest, None, &|(_, _, f)| {
            rate(ratios(f).collect_rate)
        }),
        row(
            t!("cli-compare-engagement"),
            Best::Highest,
            Some(Metric::InteractRate),
            &|(_, _, f)| rate(ratios(f).interact_rate),
        ),
        row(
            t!("cli-compare-completion"),
            Best::Highest,
            Some(Metric::FinishRate),
            &|(_, _, f)| rate(ratios(f).finish_rate),
        ),
        row(
            t!("cli-compare-followers"),
            Best::Highest,
            None,
            &|(_, _, f)| count(f.report.author.follower),
        ),
        row(t!("cli-compare-price"), Best::None, None, &|(fg, _, _)| {
            (fg.price, fg.price.map_or("—".into(), costs::fee))
        }),
        row("CPM".into(), Best::Lowest, Some(Metric::Cpm), &|(
            _,
            m,
            _,
        )| {
            (m.cpm, opt_yuan(m.cpm))
        }),
        row("CPE".into(), Best::Lowest, Some(Metric::Cpe), &|(
            _,
            m,
            _,
        )| {
            (m.cpe, opt_yuan(m.cpe))
        }),
        row(t!("cli-compare-published"), Best::None, None, &|(
            _,
            _,
            f,
        )| {
            // The day is enough to compare by, and keeps the columns narrow.
            let day = |t| format::Zone::Local.format(t, "%Y-%m-%d");
            (
                None,
                f.report
                    .video
                    .create_time
                    .and_then(day)
                    .unwrap_or("—".into()),
            )
        }),
        row(t!("cli-compare-fetched"), Best::None, None, &|(_, _, f)| {
            (None, format::ago(f.fetched_at, now))
        }),
    ]
}

/// The values of a row that are best (ties all win); none when fewer than two are known.
fn winners(row: &Row) -> Vec<bool> {
    let known: Vec<f64> = row.cells.iter().filter_map(|(v, _)| *v).collect();
    let best = match row.best {
        _ if known.len() < 2 => None,
        Best::Highest => known.iter().copied().reduce(f64::max),
        Best::Lowest => known.iter().copied().reduce(f64::min),
        Best::None => None,
    };
    row.cells
        .iter()
        .map(|(v, _)| best.is_some() && *v == best)
        .collect()
}

fn print_side_by_side(settings: &Settings, videos: &[(ItemId, Fetched)], now: DateTime<Utc>) {
    let terminal = std::io::stdout().is_terminal();
    let bold = |s: String| {
        if terminal {
            format!("\x1b[1m{s}\x1b[0m")
        } else {
            s
        }
    };
    let watched = Watched::of(settings);
    let table = rows(settings, videos, now);
    // Each cell: ★ for the best in its row, ✓/✗ for the video's target.
    let cells: Vec<Vec<(String, bool)>> = table
        .iter()
        .map(|row| {
            let win = winners(row);
            row.cells
                .iter()
                .zip(videos)
                .zip(win)
                .map(|(((value, text), (id, _)), best)| {
                    let met = row
                        .metric
                        .zip(*value)
                        .and_then(|(metric, v)| watched.targets(id.as_str()).meets(metric, v));
                    let text = marked(text.clone(), met);
                    (if best { format!("★ {text}") } else { text }, best)
                })
                .collect()
        })
        .collect();
    let names: Vec<String> = videos
        .iter()
        .map(|(id, f)| {
            let label = watched.entry(id.as_str()).and_then(|e| e.label.as_deref());
            format::clean(label.unwrap_or(f.report.display_title()))
        })
        .collect();
    const HEAD: usize = 11;
    const NAME_MAX: usize = 11;
    let widths: Vec<usize> = (0..videos.len())
        .map(|c| {
            let widest = cells
                .iter()
                .map(|r| format::width(&r[c].0))
                .max()
                .unwrap_or(0);
            widest.max(format::width(&names[c]).min(NAME_MAX)).max(8)
        })
        .collect();
    // Columns that do not fit the terminal go to a second block below.
    let room = super::campaign::terminal_width().unwrap_or(usize::MAX);
    let mut blocks: Vec<Vec<usize>> = vec![Vec::new()];
    let mut used = HEAD;
    for (c, w) in widths.iter().enumerate() {
        let block = blocks.last_mut().expect("one block");
        if !block.is_empty() && used + 2 + w > room {
            blocks.push(Vec::new());
            used = HEAD;
        }
        blocks.last_mut().expect("one block").push(c);
        used += 2 + w;
    }
    for (b, block) in blocks.iter().enumerate() {
        if b > 0 && !crate::outln!("") {
            return;
        }
        let mut head = pad_right("", HEAD);
        for &c in block {
            head.push_str("  ");
            head.push_str(&pad_left(
                &format::truncate(&names[c], widths[c]),
                widths[c],
            ));
        }
        if !crate::outln!("{}", head.trim_end()) {
            return;
        }
        for (row, line) in table.iter().zip(&cells) {
            let mut text = pad_right(&row.name, HEAD);
            for &c in block {
                let (cell, best) = &line[c];
                text.push_str("  ");
                let padded = pad_left(cell, widths[c]);
                text.push_str(&if *best { bold(padded) } else { padded });
            }
            if !crate::outln!("{}", text.trim_end()) {
                return;
            }
        }
    }
    // Which column is which video, in full.
    let _ = crate::outln!("");
    for (id, f) in videos {
        let title = format::truncate(&format::clean(f.report.display_title()), 60);
        if !crate::outln!("{id}  {title}") {
            return;
        }
    }
    let _ = crate::outln!("{}", t!("cli-compare-legend"));
}
