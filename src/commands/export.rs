//! `xingtu-dash export`: the watchlist with its latest metrics, rates, the change since the
//! previous snapshot and what each video cost, one row per watched item, as CSV
//! (Excel/WPS-ready), JSON, or an xlsx workbook with a sheet per campaign and a summary.

use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::io::{BufWriter, IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use super::history::{like_rate, rfc3339};
use super::stored;
use super::{EXIT_FAILED, EXIT_OK, EXIT_USAGE, exit};
use crate::cli::{ExportArgs, ExportFormat};
use crate::csv;
use crate::money::{Figures, Totals};
use crate::report::Report;
use crate::settings::Settings;
use crate::store::config::WatchEntry;
use crate::store::{Snapshot, Store};
use crate::xlsx::{self, Cell};

/// The columns of every format, in order. The cost columns came last, so a script that
/// reads an older export's columns by position still finds them.
pub const COLUMNS: &[(&str, Cell)] = &[
    ("item_id", Cell::Id),
    ("label", Cell::Text),
    ("title", Cell::Text),
    ("author", Cell::Text),
    ("fetched_at", Cell::Time),
    ("vv_cnt", Cell::Count),
    ("like_cnt", Cell::Count),
    ("comment_cnt", Cell::Count),
    ("share_cnt", Cell::Count),
    ("collect_cnt", Cell::Count),
    ("interact_cnt", Cell::Count),
    ("like_rate", Cell::Rate),
    ("comment_rate", Cell::Rate),
    ("share_rate", Cell::Rate),
    ("collect_rate", Cell::Rate),
    ("interact_rate", Cell::Rate),
    ("finish_rate", Cell::Rate),
    ("follower", Cell::Count),
    ("previous_fetched_at", Cell::Time),
    ("vv_change", Cell::Count),
    ("like_change", Cell::Count),
    ("url", Cell::Text),
    ("campaign", Cell::Text),
    ("price", Cell::Money),
    ("cpm", Cell::Money),
    ("cpe", Cell::Money),
];

/// The workbook's summary sheet: one row per campaign, pooled (`money::Totals`).
const SUMMARY: &[(&str, Cell)] = &[
    ("campaign", Cell::Text),
    ("videos", Cell::Count),
    ("priced_videos", Cell::Count),
    ("price", Cell::Money),
    ("views", Cell::Count),
    ("likes", Cell::Count),
    ("comments", Cell::Count),
    ("shares", Cell::Count),
    ("saves", Cell::Count),
    ("like_rate", Cell::Rate),
    ("comment_rate", Cell::Rate),
    ("share_rate", Cell::Rate),
    ("collect_rate", Cell::Rate),
    ("interact_rate", Cell::Rate),
    ("cpm", Cell::Money),
    ("cpe", Cell::Money),
    ("fetched_from", Cell::Time),
    ("fetched_to", Cell::Time),
];

const SUMMARY_SHEET: &str = "Summary";
/// The sheet (and summary row) of the videos without a campaign.
const NO_CAMPAIGN: &str = "(none)";
/// A sheet this long or longer is written through a temporary file rather than held in
/// memory; shorter ones stay in memory, so a watchlist of many small campaigns does not
/// hold a file open per campaign.
const STREAMED_SHEET_ROWS: usize = 100;
/// At most this many sheets are streamed (the longest), each holding a file open: well
/// under the usual limit of 1,024 open files.
const STREAMED_SHEETS: usize = 500;

pub fn run(settings: &Settings, args: &ExportArgs) -> ExitCode {
    let format = args
        .format
        .unwrap_or_else(|| format_of(args.output.as_deref()));
    let entries = match stored::watchlist(settings) {
        Ok(e) => e,
        Err(e) => {
            crate::errln!("error: {e}");
            return exit(EXIT_FAILED);
        }
    };
    let entries = match &args.campaign {
        Some(name) => match only_campaign(entries, name) {
            Ok(e) => e,
            Err(message) => {
                crate::errln!("error: {message}");
                return exit(EXIT_USAGE);
            }
        },
        None => entries,
    };
    if format == ExportFormat::Xlsx && args.output.is_none() && std::io::stdout().is_terminal() {
        crate::errln!(
            "error: an xlsx workbook is binary and would garble the terminal: give --output FILE.xlsx, or redirect it (> watchlist.xlsx)"
        );
        return exit(EXIT_USAGE);
    }
    let store = match stored::open(settings) {
        Ok(s) => s,
        Err(e) => {
            crate::errln!("error: {e}");
            return exit(EXIT_FAILED);
        }
    };
    let written = match (format, &args.output) {
        (ExportFormat::Xlsx, Some(path)) => replace_file(path, |file| {
            workbook(&entries, &*store, BufWriter::new(file))
        }),
        (ExportFormat::Xlsx, None) => {
            let mut out = BufWriter::new(crate::stdio::Stdout);
            workbook(&entries, &*store, &mut out).and_then(|()| out.flush().map_err(Failure::write))
        }
        (_, Some(path)) => match File::create(path) {
            Ok(f) => stream(format, args.no_bom, &entries, &*store, f),
            Err(e) => Err(Failure::write(e)),
        },
        (_, None) => stream(format, args.no_bom, &entries, &*store, crate::stdio::Stdout),
    };
    match (written, &args.output) {
        (Err(Failure::Read(e)), _) => {
            crate::errln!("error: {e}");
            exit(EXIT_FAILED)
        }
        (Ok(()), Some(path)) => {
            let of = match &args.campaign {
                Some(name) => format!(" of campaign {:?}", name.trim()),
                None => String::new(),
            };
            crate::errln!(
                "exported {} watched items{of} to {}",
                entries.len(),
                path.display()
            );
            exit(EXIT_OK)
        }
        (Ok(()), None) => exit(EXIT_OK),
        (Err(Failure::Write(e)), Some(path)) => {
            crate::errln!("error: cannot write {}: {e}", path.display());
            exit(EXIT_FAILED)
        }
        // A closed or failing stdout is reported by `main`, which knows every command's.
        (Err(Failure::Write(_)), None) if crate::stdio::lost().is_some() => exit(EXIT_FAILED),
        (Err(Failure::Write(e)), None) => {
            crate::errln!("error: cannot write the output: {e}");
            exit(EXIT_FAILED)
        }
    }
}

/// The format an `--output` file's extension asks for: `report.xlsx` is a workbook.
fn format_of(output: Option<&Path>) -> ExportFormat {
    let extension = output
        .and_then(Path::extension)
        .map(|e| e.to_string_lossy().to_ascii_lowercase());
    match extension.as_deref() {
        Some("xlsx") => ExportFormat::Xlsx,
        Some("json") => ExportFormat::Json,
        _ => ExportFormat::Csv,
    }
}

/// A watched video's campaign, if it names one.
fn campaign_of(e: &WatchEntry) -> Option<&str> {
    e.campaign
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
}

/// The entries of campaign `name` (`(none)`: those without a campaign, unless a campaign has
/// that very name), or what to say when there are none.
fn only_campaign(entries: Vec<WatchEntry>, name: &str) -> Result<Vec<WatchEntry>, String> {
    let name = name.trim();
    if name.is_empty() {
        return Err("--campaign needs a campaign name".into());
    }
    let mut seen = HashSet::new();
    let mut known: Vec<String> = entries
        .iter()
        .filter_map(campaign_of)
        .filter(|c| seen.insert(*c))
        .map(|c| format!("{c:?}"))
        .collect();
    let unassigned = entries.iter().any(|e| campaign_of(e).is_none());
    let wanted = if seen.contains(name) {
        Some(name)
    } else if name == NO_CAMPAIGN && unassigned {
        None
    } else if known.is_empty() {
        return Err(format!(
            "no campaign {name:?}: no watched video has a campaign yet (give one with `xingtu-dash watch set <ITEM> --campaign NAME`); nothing was exported"
        ));
    } else {
        if unassigned && !seen.contains(NO_CAMPAIGN) {
            known.push(format!("{NO_CAMPAIGN:?} (the videos without one)"));
        }
        return Err(format!(
            "no campaign {name:?} in the watchlist; its campaigns are {}; nothing was exported",
            known.join(", ")
        ));
    };
    Ok(entries
        .into_iter()
        .filter(|e| campaign_of(e) == wanted)
        .collect())
}

/// CSV or JSON, one row at a time: the store hands over one item's figures and report, the
/// row is written, and both are dropped before the next.
fn stream(
    format: ExportFormat,
    no_bom: bool,
    entries: &[WatchEntry],
    store: &dyn Store,
    sink: impl Write,
) -> Result<(), Failure> {
    let mut out = BufWriter::new(sink);
    let header = csv::row(&COLUMNS.iter().map(|(name, _)| *name).collect::<Vec<_>>());
    match format {
        ExportFormat::Json => out.write_all(b"["),
        _ if no_bom => out.write_all(header.as_bytes()),
        _ => out.write_all(format!("{}{header}", csv::BOM).as_bytes()),
    }
    .map_err(Failure::write)?;
    for (n, e) in entries.iter().enumerate() {
        let value = item(store, e)?.value;
        match format {
            ExportFormat::Json => {
                let sep = if n == 0 { "\n" } else { ",\n" };
                let pretty = serde_json::to_string_pretty(&value).unwrap_or_default();
                let indented = pretty.replace('\n', "\n  ");
                write!(out, "{sep}  {indented}")
            }
            _ => out.write_all(csv::typed_row(&csv_cells(&value)).as_bytes()),
        }
        .map_err(Failure::write)?;
    }
    if format == ExportFormat::Json {
        out.write_all(if entries.is_empty() { b"]\n" } else { b"\n]\n" })
            .map_err(Failure::write)?;
    }
    out.flush().map_err(Failure::write)
}

/// The workbook: a summary sheet, then one sheet per campaign in the order the watchlist
/// first names them, then the videos without a campaign.
fn workbook(
    entries: &[WatchEntry],
    store: &dyn Store,
    out: impl Write + Send,
) -> Result<(), Failure> {
    let mut groups: Vec<(Option<&str>, Vec<&WatchEntry>)> = Vec::new();
    let mut group_of: HashMap<Option<&str>, usize> = HashMap::new();
    for e in entries {
        let campaign = campaign_of(e);
        let at = *group_of.entry(campaign).or_insert_with(|| {
            groups.push((campaign, Vec::new()));
            groups.len() - 1
        });
        groups[at].1.push(e);
    }
    groups.sort_by_key(|(campaign, _)| campaign.is_none());
    // "(none)" claims its name before a campaign that happens to be called that.
    let has_none = groups.last().is_some_and(|(c, _)| c.is_none());
    let names = xlsx::sheet_names(
        [SUMMARY_SHEET]
            .into_iter()
            .chain(has_none.then_some(NO_CAMPAIGN))
            .chain(groups.iter().filter_map(|(c, _)| *c)),
    );
    let first_campaign_sheet = 1 + usize::from(has_none);
    let streamed = streamed_sheets(&groups.iter().map(|(_, m)| m.len()).collect::<Vec<_>>());

    let mut book = xlsx::Book::default();
    let mut summary = book
        .add_sheet(&names[0], SUMMARY, false)
        .map_err(Failure::write)?;
    let mut summary_rows = Vec::with_capacity(groups.len());
    for (n, (campaign, members)) in groups.iter().enumerate() {
        let name = match campaign {
            Some(_) => &names[first_campaign_sheet + n],
            None => &names[1],
        };
        let mut sheet = book
            .add_sheet(name, COLUMNS, streamed.contains(&n))
            .map_err(Failure::write)?;
        let mut totals = Totals::default();
        let mut fetched: Option<(DateTime<Utc>, DateTime<Utc>)> = None;
        for e in members {
            let item = item(store, e)?;
            totals.add(&item.figures);
            if let Some(t) = item.fetched_at {
                fetched = Some(fetched.map_or((t, t), |(from, to)| (from.min(t), to.max(t))));
            }
            book.write_row(&mut sheet, &item.value)
                .map_err(Failure::write)?;
        }
        summary_rows.push(super::costs::totals_json(
            Some(campaign.unwrap_or(NO_CAMPAIGN)),
            &totals,
            fetched,
        ));
    }
    for row in &summary_rows {
        book.write_row(&mut summary, row).map_err(Failure::write)?;
    }
    book.save(out).map_err(Failure::write)
}

/// Which of the sheets of `rows` rows each are streamed: the longest, within the limits.
fn streamed_sheets(rows: &[usize]) -> HashSet<usize> {
    let mut long: Vec<usize> = (0..rows.len())
        .filter(|&n| rows[n] >= STREAMED_SHEET_ROWS)
        .collect();
    long.sort_by_key(|&n| std::cmp::Reverse(rows[n]));
    long.truncate(STREAMED_SHEETS);
    long.into_iter().collect()
}

/// Writes `path` whole or not at all: into a new file beside it, renamed over it once
/// complete, so a failure leaves no half a workbook (and an older export intact).
fn replace_file(
    path: &Path,
    write: impl FnOnce(&mut File) -> Result<(), Failure>,
) -> Result<(), Failure> {
    let mut name = path
        .file_name()
        .ok_or_else(|| Failure::Write("not a file name".into()))?
        .to_os_string();
    name.push(format!(".partial-{}", std::process::id()));
    let partial = path.with_file_name(name);
    let result = File::options()
        .write(true)
        .create_new(true)
        .open(&partial)
        .map_err(Failure::write)
        .and_then(|mut file| {
            write(&mut file)?;
            file.sync_all().map_err(Failure::write)
        })
        .and_then(|()| std::fs::rename(&partial, path).map_err(Failure::write));
    if result.is_err() {
        // Best effort: the error that stopped the export matters more.
        let _ = std::fs::remove_file(&partial);
    }
    result
}

/// Why an export stopped: the history could not be read, or the output not written.
enum Failure {
    Read(String),
    Write(String),
}

impl Failure {
    fn write(e: impl std::fmt::Display) -> Failure {
        Failure::Write(e.to_string())
    }
}

/// One watched item's row, with what its cost and the campaign totals are computed from.
struct Item {
    value: Value,
    figures: Figures,
    fetched_at: Option<DateTime<Utc>>,
}

fn item(store: &dyn Store, e: &WatchEntry) -> Result<Item, Failure> {
    let row = store
        .row(e.item_id.as_str(), 0)
        .map_err(|e| Failure::Read(e.to_string()))?;
    let report = store
        .latest_report(e.item_id.as_str())
        .ok()
        .flatten()
        .map(|c| Report::from_data(e.item_id.as_str(), &c.data));
    let newest = row.as_ref().map(|r| &r.newest);
    let figures = Figures {
        views: newest.and_then(|s| s.vv_cnt),
        likes: newest.and_then(|s| s.like_cnt),
        comments: newest.and_then(|s| s.comment_cnt),
        shares: newest.and_then(|s| s.share_cnt),
        saves: newest.and_then(|s| s.collect_cnt),
        price: e.price.map(|p| p.as_f64()),
    };
    Ok(Item {
        value: self::row(
            e,
            report.as_ref(),
            newest,
            row.as_ref().and_then(|r| r.previous.as_ref()),
            &figures,
        ),
        figures,
        fetched_at: newest.map(|s| s.fetched_at),
    })
}

fn row(
    e: &WatchEntry,
    report: Option<&Report>,
    newest: Option<&Snapshot>,
    previous: Option<&Snapshot>,
    figures: &Figures,
) -> Value {
    let rate = |count: fn(&Snapshot) -> Option<u64>| {
        newest.and_then(|s| crate::report::per_view(count(s), s.vv_cnt))
    };
    let change = |metric: fn(&Snapshot) -> Option<u64>| -> Option<i64> {
        let (n, p) = (metric(newest?)?, metric(previous?)?);
        // Saturating: a bad count from the API must not wrap into a plausible figure.
        let (n, p) = (
            i64::try_from(n).unwrap_or(i64::MAX),
            i64::try_from(p).unwrap_or(i64::MAX),
        );
        Some(n.saturating_sub(p))
    };
    json!({
        "item_id": e.item_id,
        "label": e.label,
        "title": report.and_then(|r| r.video.title.clone()),
        "author": report.and_then(|r| r.author.name.clone()),
        "fetched_at": newest.map(|s| rfc3339(s.fetched_at)),
        "vv_cnt": newest.and_then(|s| s.vv_cnt),
        "like_cnt": newest.and_then(|s| s.like_cnt),
        "comment_cnt": newest.and_then(|s| s.comment_cnt),
        "share_cnt": newest.and_then(|s| s.share_cnt),
        "collect_cnt": newest.and_then(|s| s.collect_cnt),
        "interact_cnt": newest.and_then(|s| s.interact_cnt),
        "like_rate": newest.and_then(like_rate),
        "comment_rate": rate(|s| s.comment_cnt),
        "share_rate": rate(|s| s.share_cnt),
        "collect_rate": rate(|s| s.collect_cnt),
        "interact_rate": newest.and_then(|s| s.interact_rate),
        "finish_rate": newest.and_then(|s| s.finish_rate),
        "follower": newest.and_then(|s| s.follower),
        "previous_fetched_at": previous.map(|s| rfc3339(s.fetched_at)),
        "vv_change": change(|s| s.vv_cnt),
        "like_change": change(|s| s.like_cnt),
        "url": report.and_then(|r| r.video.url.clone()),
        "campaign": campaign_of(e),
        "price": e.price,
        "cpm": figures.cpm(),
        "cpe": figures.cpe(),
    })
}

fn csv_cells(r: &Value) -> Vec<(csv::Kind, String)> {
    COLUMNS
        .iter()
        .map(|(name, cell)| {
            let value = match &r[*name] {
                Value::Null => String::new(),
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            // Labels, titles, creator names, campaigns and URLs are anyone's text.
            let kind = match cell {
                Cell::Id => csv::Kind::Id,
                Cell::Text => csv::Kind::Text,
                _ => csv::Kind::Number,
            };
            (kind, value)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_sheets_are_streamed_and_no_more_of_them_than_files_allow() {
        let streamed = streamed_sheets(&[150, 99, 100, 5000, 0]);
        assert_eq!(streamed, HashSet::from([0, 2, 3]));
        let mut rows = vec![100; STREAMED_SHEETS + 100];
        rows.push(1000);
        let streamed = streamed_sheets(&rows);
        assert_eq!(streamed.len(), STREAMED_SHEETS);
        assert!(streamed.contains(&(rows.len() - 1)), "the longest first");
    }

    #[test]
    fn the_output_extension_picks_the_format() {
        for (file, format) in [
            ("a.xlsx", ExportFormat::Xlsx),
            ("A.XLSX", ExportFormat::Xlsx),
            ("a.json", ExportFormat::Json),
            ("a.csv", ExportFormat::Csv),
            ("a.xlsx.txt", ExportFormat::Csv),
            ("noext", ExportFormat::Csv),
        ] {
            assert_eq!(format_of(Some(Path::new(file))), format, "{file}");
        }
        assert_eq!(format_of(None), ExportFormat::Csv);
    }
}
