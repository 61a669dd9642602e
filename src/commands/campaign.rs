//! `xingtu-dash campaign [NAME] [--json|--csv]`: pooled totals, CPM and CPE per campaign, or
//! one campaign's totals and its videos ranked by CPM. Stored figures only: no call.

use std::collections::HashMap;
use std::process::ExitCode;

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use super::costs::{self, marked, opt_yuan, summary};
use super::stored::{self, watchlist};
use super::{EXIT_FAILED, EXIT_OK, EXIT_USAGE, exit};
use crate::cli::CampaignArgs;
use crate::csv::{self, Kind};
use crate::format::{self, pad_left, pad_right};
use crate::money::{Figures, Totals};
use crate::settings::Settings;
use crate::store::config::WatchEntry;
use crate::store::{ItemRow, is_fresh};
use crate::targets::{self, Check, Measures, Metric, TargetSet};

/// The row of the videos that belong to no campaign.
pub const NONE: &str = "(none)";

/// The JSON fields and CSV columns, in order.
const FIELDS: [&str; 18] = [
    "campaign",
    "videos",
    "priced_videos",
    "price",
    "views",
    "likes",
    "comments",
    "shares",
    "saves",
    "like_rate",
    "comment_rate",
    "share_rate",
    "collect_rate",
    "interact_rate",
    "cpm",
    "cpe",
    "fetched_from",
    "fetched_to",
];

/// The campaigns of a watchlist in the order they first appear, "(none)" last when any
/// video has no campaign; each with the indexes of its entries.
pub fn groups(entries: &[WatchEntry]) -> Vec<(Option<&str>, Vec<usize>)> {
    let mut order: Vec<(Option<&str>, Vec<usize>)> = Vec::new();
    let mut at: HashMap<&str, usize> = HashMap::new();
    let mut none = Vec::new();
    for (i, e) in entries.iter().enumerate() {
        match e.campaign.as_deref().map(str::trim) {
            Some(name) => {
                let slot = *at.entry(name).or_insert_with(|| {
                    order.push((Some(name), Vec::new()));
                    order.len() - 1
                });
                order[slot].1.push(i);
            }
            None => none.push(i),
        }
    }
    if !none.is_empty() {
        order.push((None, none));
    }
    order
}

/// The entries of campaign `name` ("(none)": those without one), or an error that lists the
/// campaigns there are.
pub fn select<'e>(entries: &'e [WatchEntry], name: &str) -> Result<Vec<&'e WatchEntry>, String> {
    let name = name.trim();
    let all = groups(entries);
    let found = all
        .iter()
        .find(|(c, _)| *c == Some(name))
        .or_else(|| all.iter().find(|(c, _)| c.is_none() && name == NONE));
    match found {
        Some((_, indexes)) => Ok(indexes.iter().map(|&i| &entries[i]).collect()),
        None if all.is_empty() => Err(format!(
            "no campaign {name:?}: the watchlist is empty (add videos with `xingtu-dash watch add <ITEM> --campaign {name:?}`)"
        )),
        None => {
            let known: Vec<&str> = all.iter().map(|(c, _)| c.unwrap_or(NONE)).collect();
            Err(format!(
                "no campaign {name:?} in the watchlist; campaigns: {} (`xingtu-dash watch set <ITEM> --campaign NAME` puts a video in one)",
                known.join(", ")
            ))
        }
    }
}

/// One campaign's pooled figures.
struct Summary<'a> {
    name: Option<&'a str>,
    totals: Totals,
    /// Completion over the videos that report it, weighted by their views (the pooled rate:
    /// finished plays ÷ views).
    finish_rate: Option<f64>,
    fetched_from: Option<DateTime<Utc>>,
    fetched_to: Option<DateTime<Utc>>,
}

impl Summary<'_> {
    fn measures(&self) -> Measures {
        Measures::of_totals(&self.totals, self.finish_rate)
    }

    fn fetched(&self) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
        self.fetched_from.zip(self.fetched_to)
    }

    fn json(&self, checks: &[Check]) -> Value {
        let mut v = costs::totals_json(self.name, &self.totals, self.fetched());
        if !checks.is_empty() {
            v["targets"] = targets::to_json(checks);
        }
        v
    }

    /// The JSON's fields as one CSV row, the name as text and the rest as figures.
    fn csv(&self) -> String {
        let json = costs::totals_json(
            Some(self.name.unwrap_or(NONE)),
            &self.totals,
            self.fetched(),
        );
        let cells: Vec<(Kind, String)> = json
            .as_object()
            .into_iter()
            .flatten()
            .map(|(key, value)| {
                let kind = if key == "campaign" {
                    Kind::Text
                } else {
                    Kind::Number
                };
                let text = match value {
                    Value::Null => String::new(),
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                (kind, text)
            })
            .collect();
        csv::typed_row(&cells)
    }
}

/// One watched video and what the store knows of it.
struct Video<'a> {
    entry: &'a WatchEntry,
    row: Option<&'a ItemRow>,
}

impl<'a> Video<'a> {
    fn of(entry: &'a WatchEntry, rows: &'a HashMap<String, ItemRow>) -> Video<'a> {
        Video {
            entry,
            row: rows.get(entry.item_id.as_str()),
        }
    }

    fn price(&self) -> Option<f64> {
        self.entry.price.map(|p| p.as_f64())
    }

    fn figures(&self) -> Figures {
        match self.row {
            Some(r) => costs::figures(&r.newest, self.price()),
            None => Figures {
                price: self.price(),
                ..Figures::default()
            },
        }
    }
}

fn summarize<'a>(name: Option<&'a str>, videos: &[Video<'_>]) -> Summary<'a> {
    let mut totals = Totals::default();
    let (mut finished, mut finish_views) = (0.0, 0u64);
    let mut fetched_from: Option<DateTime<Utc>> = None;
    let mut fetched_to: Option<DateTime<Utc>> = None;
    for v in videos {
        totals.add(&v.figures());
        let Some(row) = v.row else { continue };
        let s = &row.newest;
        if let (Some(rate), Some(views)) = (s.finish_rate, s.vv_cnt) {
            finished += rate * views as f64;
            finish_views = finish_views.saturating_add(views);
        }
        fetched_from = Some(fetched_from.map_or(s.fetched_at, |t| t.min(s.fetched_at)));
        fetched_to = Some(fetched_to.map_or(s.fetched_at, |t| t.max(s.fetched_at)));
    }
    Summary {
        name,
        totals,
        finish_rate: (finish_views > 0).then(|| finished / finish_views as f64),
        fetched_from,
        fetched_to,
    }
}

pub fn run(settings: &Settings, args: &CampaignArgs) -> ExitCode {
    // The file was read (and checked) at start; reading it again would double the cost
    // for a long watchlist. The demo has its own.
    let demo;
    let entries: &[WatchEntry] = if settings.demo {
        demo = match watchlist(settings) {
            Ok(e) => e,
            Err(e) => {
                crate::errln!("error: {e}");
                return exit(EXIT_FAILED);
            }
        };
        &demo
    } else {
        &settings.config.watchlist
    };
    let chosen: Vec<&WatchEntry> = match &args.name {
        Some(name) => match select(entries, name) {
            Ok(chosen) => chosen,
            Err(e) => {
                crate::errln!("error: {e}");
                return exit(EXIT_USAGE);
            }
        },
        None => entries.iter().collect(),
    };
    let rows = match read_rows(settings, &chosen, args.name.is_some()) {
        Ok(rows) => rows,
        Err(e) => {
            crate::errln!("error: {e}");
            return exit(EXIT_FAILED);
        }
    };
    let video = |e| Video::of(e, &rows);
    let targets = &settings.config.targets;
    let now = Utc::now();
    let videos: Vec<Video> = chosen.iter().map(|e| video(e)).collect();
    stale_note(settings, &videos, now);
    if args.name.is_none() {
        let summaries: Vec<Summary> = groups(entries)
            .into_iter()
            .map(|(name, indexes)| {
                let group: Vec<Video> = indexes.iter().map(|&i| video(&entries[i])).collect();
                summarize(name, &group)
            })
            .collect();
        if entries.is_empty() && !args.json && !args.csv {
            crate::outln!(
                "the watchlist is empty: add videos with `xingtu-dash watch add <ITEM> --campaign NAME --price AMOUNT`"
            );
            return exit(EXIT_OK);
        }
        return print_list(settings, args, &summaries, targets, now);
    }
    let name = chosen.first().and_then(|e| e.campaign.as_deref());
    let summary = summarize(name.map(str::trim), &videos);
    let set = targets.for_campaign(summary.name);
    let checks = set.check(&summary.measures());
    let ranked = ranking(videos);
    if args.json {
        let mut line = summary.json(&checks);
        line["items"] = ranked
            .iter()
            .enumerate()
            .map(|(i, v)| video_json(i + 1, v, set))
            .collect();
        crate::outln!("{line}");
    } else if args.csv {
        crate::stdio::print(&csv::row(&FIELDS));
        crate::stdio::print(&summary.csv());
    } else {
        print_campaign(settings, &summary, &checks, &ranked, set, now);
    }
    exit(EXIT_OK)
}

/// The newest stored figures of each video, read one at a time (no call); with `titles`,
/// its title too.
fn read_rows(
    settings: &Settings,
    entries: &[&WatchEntry],
    titles: bool,
) -> Result<HashMap<String, ItemRow>, String> {
    let store = stored::open(settings)?;
    let ids: Vec<String> = entries.iter().map(|e| e.item_id.to_string()).collect();
    let mut rows = HashMap::with_capacity(ids.len());
    let read = if titles {
        store.each_row(&ids, 0, &mut |row| {
            rows.insert(row.newest.item_id.clone(), row);
        })
    } else {
        store.each_newest(&ids, &mut |newest| {
            let row = ItemRow {
                newest,
                previous: None,
                title: None,
                creator: None,
                views: Vec::new(),
            };
            rows.insert(row.newest.item_id.clone(), row);
        })
    };
    read.map_err(|e| e.to_string())?;
    Ok(rows)
}

/// Figures older than the cache window, or never fetched, are said so on stderr with how to
/// refresh them: the command itself never calls.
fn stale_note(settings: &Settings, videos: &[Video], now: DateTime<Utc>) {
    if settings.demo {
        return;
    }
    let window = settings.cache_window();
    let minutes = window.num_minutes();
    let never = videos.iter().filter(|v| v.row.is_none()).count();
    let old: Vec<DateTime<Utc>> = videos
        .iter()
        .filter_map(|v| v.row.map(|r| r.newest.fetched_at))
        .filter(|t| !is_fresh(*t, window, now))
        .collect();
    let total = videos.len();
    if let Some(oldest) = old.iter().min() {
        crate::errln!(
            "note: the figures of {} of {total} videos are older than the cache window ({minutes} min; the oldest fetched {}): `xingtu-dash watch refresh` updates them (a paid call for each)",
            old.len(),
            format::ago(*oldest, now)
        );
    }
    if never > 0 {
        crate::errln!(
            "note: {never} of {total} {} {} never fetched, so not in the totals: `xingtu-dash watch refresh` fetches {}",
            if total == 1 { "video" } else { "videos" },
            if never == 1 { "was" } else { "were" },
            if never == 1 { "it" } else { "them" }
        );
    }
}

/// Lowest CPM first; videos without one keep their watchlist order after them.
fn ranking(mut videos: Vec<Video<'_>>) -> Vec<Video<'_>> {
    videos.sort_by(|a, b| match (a.figures().cpm(), b.figures().cpm()) {
        (Some(x), Some(y)) => x.total_cmp(&y),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    });
    videos
}

fn video_json(rank: usize, v: &Video, set: &TargetSet) -> Value {
    let f = v.figures();
    let s = v.row.map(|r| &r.newest);
    let m = Measures::of_video(&f, s.and_then(|s| s.finish_rate));
    let mut line = json!({
        "rank": rank,
        "item_id": v.entry.item_id,
        "label": v.entry.label,
        "title": v.row.and_then(|r| r.title.as_deref()),
        "price": v.entry.price,
        "views": f.views,
        "likes": f.likes,
        "comments": f.comments,
        "shares": f.shares,
        "saves": f.saves,
        "like_rate": m.like_rate,
        "comment_rate": m.comment_rate,
        "share_rate": m.share_rate,
        "interact_rate": m.interact_rate,
        "finish_rate": m.finish_rate,
        "cpm": m.cpm,
        "cpe": m.cpe,
        "fetched_at": s.map(|s| s.fetched_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
    });
    let checks = set.check(&m);
    if !checks.is_empty() {
        line["targets"] = targets::to_json(&checks);
    }
    line
}

fn print_list(
    settings: &Settings,
    args: &CampaignArgs,
    summaries: &[Summary],
    targets: &targets::Targets,
    now: DateTime<Utc>,
) -> ExitCode {
    if args.json {
        for s in summaries {
            let checks = targets.for_campaign(s.name).check(&s.measures());
            crate::outln!("{}", s.json(&checks));
        }
        return exit(EXIT_OK);
    }
    if args.csv {
        crate::stdio::print(&csv::row(&FIELDS));
        for s in summaries {
            crate::stdio::print(&s.csv());
        }
        return exit(EXIT_OK);
    }
    let style = settings.number_style;
    let mut table = vec![vec![
        "CAMPAIGN".to_owned(),
        "PRICED".into(),
        "FEE".into(),
        "VIEWS".into(),
        "ENGAGE%".into(),
        "CPM".into(),
        "CPE".into(),
    ]];
    let show_targets = !targets.is_empty();
    if show_targets {
        table[0].push("TARGETS".into());
    }
    table[0].push("UPDATED".into());
    for s in summaries {
        let t = &s.totals;
        let set = targets.for_campaign(s.name);
        let m = s.measures();
        let mut row = vec![
            format::truncate(&format::clean(s.name.unwrap_or(NONE)), 30),
            format!("{} of {}", t.priced_videos, t.videos),
            if t.priced_videos > 0 {
                costs::fee(t.price)
            } else {
                "—".into()
            },
            format::count(t.views, style),
            format::opt_percent(t.interact_rate()),
            cost_cell(m.cpm, Metric::Cpm, set),
            cost_cell(m.cpe, Metric::Cpe, set),
        ];
        if show_targets {
            row.push(summary(&set.check(&m)));
        }
        row.push(
            s.fetched_from
                .map_or("never".into(), |t| format::ago(t, now)),
        );
        table.push(row);
    }
    print_table(&table, &[0], Some(0));
    exit(EXIT_OK)
}

/// A CPM or CPE with its target's mark.
fn cost_cell(value: Option<f64>, metric: Metric, set: &TargetSet) -> String {
    marked(opt_yuan(value), value.and_then(|x| set.meets(metric, x)))
}

fn print_campaign(
    settings: &Settings,
    s: &Summary,
    checks: &[Check],
    ranked: &[Video],
    set: &TargetSet,
    now: DateTime<Utc>,
) {
    let style = settings.number_style;
    let t = &s.totals;
    let name = format::clean(s.name.unwrap_or(NONE));
    let span = match (s.fetched_from, s.fetched_to) {
        (Some(from), Some(to)) => {
            let (from, to) = (format::ago(from, now), format::ago(to, now));
            if from == to {
                format!(" · fetched {from}")
            } else {
                format!(" · fetched {from} to {to}")
            }
        }
        _ => String::new(),
    };
    crate::outln!(
        "{name} · {} · {} priced{span}",
        super::watch::plural(t.videos, "video", "videos"),
        t.priced_videos
    );
    let mut out = String::new();
    let line = crate::output::line;
    line(
        &mut out,
        "Fee",
        &if t.priced_videos > 0 {
            costs::fee(t.price)
        } else {
            "— (no video has a price: `xingtu-dash watch set <ITEM> --price AMOUNT`)".into()
        },
    );
    // The same grid as `get`'s report, pooled.
    let heads = ["Views", "Likes", "Comments", "Shares", "Saves"];
    crate::output::row(&mut out, "", heads.iter().map(|h| h.to_string()));
    let counts = [t.views, t.likes, t.comments, t.shares, t.saves];
    crate::output::row(
        &mut out,
        "Count",
        counts.iter().map(|c| format::count(*c, style)),
    );
    let rates = [
        t.like_rate(),
        t.comment_rate(),
        t.share_rate(),
        t.collect_rate(),
    ];
    crate::output::row(
        &mut out,
        "Rate",
        std::iter::once(String::new()).chain(rates.iter().map(|r| format::opt_percent(*r))),
    );
    line(
        &mut out,
        "Engagement",
        &format!(
            "{}   Completion {}",
            format::opt_percent(t.interact_rate()),
            format::opt_percent(s.finish_rate)
        ),
    );
    let m = s.measures();
    line(
        &mut out,
        "Cost",
        &format!(
            "CPM {}   CPE {}   (CPM over {} of {} videos)",
            marked(
                opt_yuan(m.cpm),
                m.cpm.and_then(|x| set.meets(Metric::Cpm, x))
            ),
            marked(
                opt_yuan(m.cpe),
                m.cpe.and_then(|x| set.meets(Metric::Cpe, x))
            ),
            t.priced_videos,
            t.videos
        ),
    );
    if !checks.is_empty() {
        line(&mut out, "Targets", &costs::spelled_out(checks));
    }
    crate::stdio::print(&out);
    crate::outln!("");
    let show_targets = !set.is_empty();
    let mut table = vec![vec![
        "#".to_owned(),
        "ITEM".into(),
        "VIDEO".into(),
        "FEE".into(),
        "VIEWS".into(),
        "ENGAGE%".into(),
        "CPM".into(),
        "CPE".into(),
    ]];
    if show_targets {
        table[0].push("TARGETS".into());
    }
    for (i, v) in ranked.iter().enumerate() {
        let f = v.figures();
        let snapshot = v.row.map(|r| &r.newest);
        let m = Measures::of_video(&f, snapshot.and_then(|s| s.finish_rate));
        let name = v
            .entry
            .label
            .as_deref()
            .or(v.row.and_then(|r| r.title.as_deref()))
            .unwrap_or("—");
        let mut row = vec![
            (i + 1).to_string(),
            v.entry.item_id.to_string(),
            format::truncate(&format::clean(name), 30),
            v.entry.price.map_or("—".into(), |p| format!("¥{p}")),
            format::opt_count(f.views, style),
            format::opt_percent(m.interact_rate),
            cost_cell(m.cpm, Metric::Cpm, set),
            cost_cell(m.cpe, Metric::Cpe, set),
        ];
        if show_targets {
            row.push(summary(&set.check(&m)));
        }
        table.push(row);
    }
    print_table(&table, &[1, 2], Some(2));
}

/// Columns padded to their widest cell; `left` ones aligned left, the rest right. On a
/// terminal, the `flex` column (a name) is cut so the table fits its width, down to 8 cells.
pub fn print_table(table: &[Vec<String>], left: &[usize], flex: Option<usize>) {
    let columns = table.first().map_or(0, Vec::len);
    let mut widths: Vec<usize> = (0..columns)
        .map(|c| {
            table
                .iter()
                .map(|row| format::width(&row[c]))
                .max()
                .unwrap_or(0)
        })
        .collect();
    if let (Some(c), Some(room)) = (flex, terminal_width()) {
        let others: usize = widths.iter().sum::<usize>() - widths[c] + 2 * (columns - 1);
        widths[c] = widths[c].min(room.saturating_sub(others).max(8));
    }
    for row in table {
        let cells: Vec<String> = row
            .iter()
            .enumerate()
            .map(|(c, cell)| {
                let cell = format::truncate(cell, widths[c]);
                if left.contains(&c) {
                    pad_right(&cell, widths[c])
                } else {
                    pad_left(&cell, widths[c])
                }
            })
            .collect();
        if !crate::stdio::line(cells.join("  ").trim_end()) {
            return;
        }
    }
}

/// The terminal's width when standard output is one; a pipe or a file takes whole lines.
pub fn terminal_width() -> Option<usize> {
    use std::io::IsTerminal;
    if !std::io::stdout().is_terminal() {
        return None;
    }
    crossterm::terminal::size()
        .ok()
        .map(|(w, _)| usize::from(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Entry `n` of a watchlist: only its campaign matters here.
    fn entry(n: u64, campaign: Option<&str>) -> WatchEntry {
        WatchEntry {
            item_id: crate::item_id::ItemId::parse(&(7_566_200_471_448_779_500 + n).to_string())
                .unwrap(),
            label: None,
            campaign: campaign.map(str::to_owned),
            price: None,
            added_at: None,
        }
    }

    #[test]
    fn campaigns_keep_their_first_order_and_none_comes_last() {
        let entries = [
            entry(1, None),
            entry(2, Some("B")),
            entry(3, Some("A")),
            entry(4, Some(" B ")),
        ];
        let g = groups(&entries);
        assert_eq!(
            g,
            vec![
                (Some("B"), vec![1, 3]),
                (Some("A"), vec![2]),
                (None, vec![0])
            ]
        );
        assert_eq!(select(&entries, "B").unwrap().len(), 2);
        assert_eq!(
            select(&entries, "(none)").unwrap()[0].item_id,
            "7566200471448779501"
        );
        let err = select(&entries, "C").unwrap_err();
        assert!(err.contains("campaigns: B, A, (none)"), "{err}");
        assert!(select(&[], "C").unwrap_err().contains("empty"));
    }
}
