//! The CSV we write, opened by a real spreadsheet: LibreOffice Calc, headless, reads the file
//! as a person's spreadsheet would (UTF-8, comma, formulas evaluated) and writes back what its
//! cells hold. Every digit of a 19-digit id must survive, and text from strangers must stay
//! text, never a formula that runs.
//!
//! Needs `soffice` (Debian: libreoffice-calc-nogui, which `.ci/run` installs). Without it the
//! test says so and passes, except under CI, where it fails.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;
use serde_json::Value;

const EVIL_TITLE: &str = "=HYPERLINK(\"http://evil.example/x\";\"click me\")";
const EVIL_AUTHOR: &str = "@SUM(1+1)*cmd";
const EVIL_LABEL: &str = "+86 理想L6, \"第一周\"";
const MINUS_LABEL: &str = "-1 下周";
const EVIL_CAMPAIGN: &str = "@618大促";

fn soffice() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join("soffice"))
        .find(|p| p.is_file())
}

/// Converts `csv` with LibreOffice Calc and returns the cells as Calc shows them.
fn through_calc(soffice: &Path, csv: &Path) -> Vec<Vec<String>> {
    let dir = csv.parent().unwrap();
    let out = dir.join("calc-out");
    // A private profile: parallel runs would otherwise fight over the user's.
    let profile = url::Url::from_directory_path(dir.join("lo-profile")).unwrap();
    let output = Command::new(soffice)
        .arg(format!("-env:UserInstallation={profile}"))
        .args(["--headless", "--norestore"])
        // Comma, double quote, UTF-8 (76), from line 1: what the import dialog proposes.
        .arg("--infilter=CSV:44,34,76,1")
        .args(["--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1"])
        .arg("--outdir")
        .arg(&out)
        .arg(csv)
        .env("HOME", dir)
        .output()
        .expect("run soffice");
    let converted = out.join(csv.file_name().unwrap());
    let text = std::fs::read_to_string(&converted).unwrap_or_else(|e| {
        panic!(
            "soffice wrote no {}: {e}\nstdout: {}\nstderr: {}",
            converted.display(),
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    });
    parse_csv(&text)
}

fn column(rows: &[Vec<String>], name: &str) -> Vec<String> {
    let at = rows[0]
        .iter()
        .position(|h| h.trim_start_matches('\u{feff}') == name)
        .unwrap_or_else(|| panic!("no column {name} in {:?}", rows[0]));
    rows[1..].iter().map(|r| r[at].clone()).collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_spreadsheet_keeps_every_digit_and_runs_no_strangers_formula() {
    let Some(soffice) = soffice() else {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "soffice is missing under CI: .ci/run installs libreoffice-calc-nogui"
        );
        eprintln!(
            "skipped: soffice (LibreOffice Calc) is not installed; apt-get install libreoffice-calc-nogui"
        );
        return;
    };
    let mut envelope: Value = example_envelope();
    envelope["data"]["video_info"]["title"] = EVIL_TITLE.into();
    envelope["data"]["author_info"]["name"] = EVIL_AUTHOR.into();
    let server = server_answering(json_response(200, &envelope)).await;
    let env = TestEnv::new();
    let other = "7566200471448700002";
    env.write_file(
        &env.default_config_path(),
        &format!(
            "[[watchlist]]\nitem_id = \"{EXAMPLE_ID}\"\nlabel = {}\ncampaign = \"{EVIL_CAMPAIGN}\"\nprice = 50000\n\n[[watchlist]]\nitem_id = \"{other}\"\nlabel = {}\n",
            toml::Value::String(EVIL_LABEL.into()),
            toml::Value::String(MINUS_LABEL.into()),
        ),
    );
    env.run_async(api_args(&server.uri(), &["watch", "refresh"]))
        .await
        .assert_code(0);

    let export = env.root().join("export.csv");
    env.run_async(["export", "--output", export.to_str().unwrap()])
        .await
        .assert_code(0);
    let rows = through_calc(&soffice, &export);
    assert_eq!(column(&rows, "item_id"), [EXAMPLE_ID, other]);
    assert_eq!(column(&rows, "title")[0], format!("'{EVIL_TITLE}"));
    assert_eq!(column(&rows, "author")[0], format!("'{EVIL_AUTHOR}"));
    assert_eq!(
        column(&rows, "label"),
        [format!("'{EVIL_LABEL}"), format!("'{MINUS_LABEL}")]
    );
    assert_eq!(
        column(&rows, "campaign"),
        [format!("'{EVIL_CAMPAIGN}"), String::new()]
    );
    // Figures stay numbers, exactly.
    assert_eq!(column(&rows, "vv_cnt")[0], "45275627");
    assert_eq!(column(&rows, "price"), ["50000", ""]);
    let cpm: f64 = column(&rows, "cpm")[0].parse().unwrap();
    assert!((cpm - 1.1043469370396573).abs() < 1e-12, "{cpm}");

    let history = env.root().join("history.csv");
    let run = env.run_async(["history", EXAMPLE_ID, "--csv"]).await;
    run.assert_code(0);
    std::fs::write(&history, &run.stdout).unwrap();
    let rows = through_calc(&soffice, &history);
    assert_eq!(column(&rows, "item_id"), [EXAMPLE_ID]);
    assert_eq!(column(&rows, "vv_cnt"), ["45275627"]);
}

// ---------------------------------------------------------------------------------------------
// The xlsx workbook, read back by LibreOffice
// ---------------------------------------------------------------------------------------------

/// A cell as LibreOffice understood it: its type (`string`, `float`, `percentage`,
/// `currency`, `date`, or empty), its value, and the text it shows.
#[derive(Debug, Clone, Default)]
struct Seen {
    kind: String,
    value: String,
    text: String,
}

/// A sheet's name and its rows of cells, as read from LibreOffice's flat XML.
type Sheets = Vec<(String, Vec<Vec<Seen>>)>;

/// Opens `book` in LibreOffice Calc and saves it as flat OpenDocument XML: every sheet, cell
/// types, values and shown text, and the autofilter ranges (`table:database-range`).
fn calc_xml(soffice: &Path, book: &Path) -> String {
    let dir = book.parent().unwrap();
    let out = dir.join("calc-xml");
    let profile = url::Url::from_directory_path(dir.join("lo-profile")).unwrap();
    let output = Command::new(soffice)
        .arg(format!("-env:UserInstallation={profile}"))
        .args([
            "--headless",
            "--norestore",
            "--convert-to",
            "fods",
            "--outdir",
        ])
        .arg(&out)
        .arg(book)
        .env("HOME", dir)
        .output()
        .expect("run soffice");
    let converted = out.join(book.with_extension("fods").file_name().unwrap());
    std::fs::read_to_string(&converted).unwrap_or_else(|e| {
        panic!(
            "soffice wrote no {}: {e}\nstdout: {}\nstderr: {}",
            converted.display(),
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    })
}

fn attr(tag: &str, name: &str) -> Option<String> {
    let at = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    let end = tag[at..].find('"')? + at;
    Some(unescape(&tag[at..end]))
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// The text of a cell's paragraphs, without markup.
fn cell_text(inner: &str) -> String {
    let mut text = String::new();
    let mut rest = inner;
    while let Some(open) = rest.find('<') {
        text.push_str(&rest[..open]);
        let close = rest[open..].find('>').unwrap() + open;
        if rest[open..].starts_with("<text:s") {
            let n: usize = attr(&rest[open..=close], "text:c").map_or(1, |c| c.parse().unwrap());
            text.push_str(&" ".repeat(n));
        }
        rest = &rest[close + 1..];
    }
    text.push_str(rest);
    unescape(text.trim())
}

fn sheets(xml: &str) -> Sheets {
    let mut sheets = Vec::new();
    for table in xml.split("<table:table table:name=").skip(1) {
        let name = unescape(&table[1..table[1..].find('"').unwrap() + 1]);
        let body = &table[..table.find("</table:table>").unwrap()];
        let mut rows = Vec::new();
        for row in body.split("<table:table-row").skip(1) {
            let mut cells = Vec::new();
            for cell in row.split("<table:table-cell").skip(1) {
                let tag_end = cell.find('>').unwrap();
                let tag = &cell[..tag_end];
                let inner = if tag.ends_with('/') {
                    ""
                } else {
                    &cell[tag_end + 1..cell.find("</table:table-cell>").unwrap()]
                };
                let seen = Seen {
                    kind: attr(tag, "office:value-type").unwrap_or_default(),
                    value: attr(tag, "office:value")
                        .or_else(|| attr(tag, "office:date-value"))
                        .unwrap_or_default(),
                    text: cell_text(inner),
                };
                let repeated: usize =
                    attr(tag, "table:number-columns-repeated").map_or(1, |n| n.parse().unwrap());
                // The empty rest of a row is one cell repeated to column XFD.
                cells.extend(std::iter::repeat_n(seen, repeated.min(64)));
            }
            while cells.last().is_some_and(|c: &Seen| c.kind.is_empty()) {
                cells.pop();
            }
            if !cells.is_empty() {
                rows.push(cells);
            }
        }
        sheets.push((name, rows));
    }
    sheets
}

fn sheet<'a>(sheets: &'a Sheets, name: &str) -> &'a [Vec<Seen>] {
    &sheets
        .iter()
        .find(|(n, _)| n == name)
        .unwrap_or_else(|| panic!("no sheet {name:?} in {:?}", names(sheets)))
        .1
}

fn names(sheets: &Sheets) -> Vec<&str> {
    sheets.iter().map(|(n, _)| n.as_str()).collect()
}

/// The cell of `column` (by its header) in data row `row` (0 is the first after the header).
fn at<'a>(rows: &'a [Vec<Seen>], column: &str, row: usize) -> &'a Seen {
    let col = rows[0]
        .iter()
        .position(|h| h.text == column)
        .unwrap_or_else(|| panic!("no column {column}"));
    static EMPTY: Seen = Seen {
        kind: String::new(),
        value: String::new(),
        text: String::new(),
    };
    rows[row + 1].get(col).unwrap_or(&EMPTY)
}

fn number(cell: &Seen) -> f64 {
    cell.value
        .parse()
        .unwrap_or_else(|_| panic!("not a number: {cell:?}"))
}

/// Every autofilter LibreOffice found: the sheet (as quoted in the address) and its range.
fn autofilters(xml: &str) -> Vec<String> {
    xml.split("<table:database-range ")
        .skip(1)
        .filter(|r| r.contains("table:display-filter-buttons=\"true\""))
        .filter_map(|r| attr(&format!(" {r}"), "table:target-range-address"))
        .collect()
}

/// The xml of every worksheet in the workbook, by its file name in the zip.
fn worksheet_xml(book: &Path) -> Vec<String> {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(book).unwrap()).unwrap();
    let names: Vec<String> = zip
        .file_names()
        .map(|n| n.unwrap().into_owned())
        .filter(|n| n.starts_with("xl/worksheets/sheet"))
        .collect();
    names
        .iter()
        .map(|n| std::io::read_to_string(zip.by_name(n).unwrap()).unwrap())
        .collect()
}

const LONG_CAMPAIGN: &str = "二零二六年春节档汽车品牌联合推广第一阶段达人短视频种草计划";

#[tokio::test(flavor = "multi_thread")]
async fn a_workbook_reads_back_with_text_ids_numbers_formats_and_a_sheet_per_campaign() {
    let Some(soffice) = soffice() else {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "soffice is missing under CI: .ci/run installs libreoffice-calc-nogui"
        );
        eprintln!("skipped: soffice (LibreOffice Calc) is not installed");
        return;
    };
    let mut envelope: Value = example_envelope();
    envelope["data"]["video_info"]["title"] = EVIL_TITLE.into();
    let server = server_answering(json_response(200, &envelope)).await;
    let env = TestEnv::new();
    let ids = distinct_ids(5);
    let campaign = "618大促/直播:第一波";
    let entry = |id: &str, extra: &str| format!("[[watchlist]]\nitem_id = \"{id}\"\n{extra}\n");
    let config = [
        entry(
            EXAMPLE_ID,
            &format!(
                "label = {}\ncampaign = \"{campaign}\"\nprice = 50000",
                toml::Value::String(EVIL_LABEL.into())
            ),
        ),
        entry(
            &ids[1],
            &format!("campaign = \"{LONG_CAMPAIGN}\"\nprice = 1200.5"),
        ),
        entry(&ids[2], "campaign = \"summary\""),
        entry(&ids[3], "price = 300"),
        entry(&ids[4], &format!("campaign = \"{campaign}\"")),
    ]
    .concat();
    env.write_file(&env.default_config_path(), &config);
    env.run_async(api_args(&server.uri(), &["watch", "refresh"]))
        .await
        .assert_code(0);

    let book = env.root().join("watchlist.xlsx");
    env.run_async(["export", "--format", "xlsx", "-o", book.to_str().unwrap()])
        .await
        .assert_code(0);
    let xml = calc_xml(&soffice, &book);
    let seen = sheets(&xml);
    // Forbidden characters replaced, the long name cut to Excel's 31, the clash with the
    // summary numbered, the videos without a campaign last.
    let long_sheet: String = LONG_CAMPAIGN.chars().take(31).collect();
    assert_eq!(
        names(&seen),
        [
            "Summary",
            "618大促_直播_第一波",
            long_sheet.as_str(),
            "summary (2)",
            "(none)"
        ]
    );

    let rows = sheet(&seen, "618大促_直播_第一波");
    assert_eq!(rows.len(), 3, "a header and two videos: {rows:?}");
    let header: Vec<&str> = rows[0].iter().map(|c| c.text.as_str()).collect();
    assert_eq!(
        header[..5],
        ["item_id", "label", "title", "author", "fetched_at"]
    );
    assert_eq!(header[22..], ["campaign", "price", "cpm", "cpe"]);
    let id = at(rows, "item_id", 0);
    assert_eq!((id.kind.as_str(), id.text.as_str()), ("string", EXAMPLE_ID));
    assert_eq!(at(rows, "item_id", 1).text, ids[4]);
    // Strangers' text is a string cell, exactly as given: never run, nothing prepended.
    for (column, text) in [("title", EVIL_TITLE), ("label", EVIL_LABEL)] {
        let cell = at(rows, column, 0);
        assert_eq!((cell.kind.as_str(), cell.text.as_str()), ("string", text));
    }
    assert_eq!(at(rows, "campaign", 0).text, campaign);
    let views = at(rows, "vv_cnt", 0);
    assert_eq!(
        (
            views.kind.as_str(),
            views.value.as_str(),
            views.text.as_str()
        ),
        ("float", "45275627", "45,275,627")
    );
    let like_rate = at(rows, "like_rate", 0);
    assert_eq!(
        (like_rate.kind.as_str(), like_rate.text.as_str()),
        ("percentage", "0.237%")
    );
    assert!((number(like_rate) - 107089.0 / 45275627.0).abs() < 1e-15);
    assert_eq!(at(rows, "finish_rate", 0).text, "1.900%");
    let price = at(rows, "price", 0);
    assert_eq!(
        (price.kind.as_str(), price.text.as_str()),
        ("currency", "¥50,000.00")
    );
    assert_eq!(number(price), 50000.0);
    let cpm = at(rows, "cpm", 0);
    assert_eq!(
        (cpm.kind.as_str(), cpm.text.as_str()),
        ("currency", "¥1.10")
    );
    assert!((number(cpm) - 1.1043469370396573).abs() < 1e-12);
    assert_eq!(at(rows, "cpe", 0).text, "¥0.42");
    assert_eq!(at(rows, "fetched_at", 0).kind, "date");
    // The unpriced video: no fee, no cost, in empty cells.
    for column in ["price", "cpm", "cpe"] {
        assert_eq!(at(rows, column, 1).kind, "", "{column}");
    }
    assert_eq!(
        at(sheet(&seen, long_sheet.as_str()), "price", 0).text,
        "¥1,200.50"
    );

    // The summary: per campaign, pooled totals, CPM and CPE over the priced videos only.
    let summary = sheet(&seen, "Summary");
    let campaigns: Vec<&str> = (0..summary.len() - 1)
        .map(|r| at(summary, "campaign", r).text.as_str())
        .collect();
    assert_eq!(campaigns, [campaign, LONG_CAMPAIGN, "summary", "(none)"]);
    let count = |column: &str, row: usize| number(at(summary, column, row));
    assert_eq!((count("videos", 0), count("priced_videos", 0)), (2.0, 1.0));
    assert_eq!(count("views", 0), 2.0 * 45275627.0);
    assert_eq!(at(summary, "price", 0).text, "¥50,000.00");
    // ¥50,000 over the priced video's views only, not over both videos'.
    assert!((count("cpm", 0) - 1.1043469370396573).abs() < 1e-12);
    assert!((count("cpe", 0) - 0.42474387944069725).abs() < 1e-12);
    assert_eq!(at(summary, "like_rate", 0).text, "0.237%");
    assert_eq!(at(summary, "interact_rate", 0).kind, "percentage");
    // A campaign with no fee has no cost at all.
    for column in ["price", "cpm", "cpe"] {
        assert_eq!(at(summary, column, 2).kind, "", "{column}");
    }
    assert!((count("cpm", 3) - 300.0 / 45275627.0 * 1000.0).abs() < 1e-12);
    assert_eq!(at(summary, "fetched_from", 3).kind, "date");

    // Every sheet: its header filtered over all its rows, and frozen.
    let filters = autofilters(&xml);
    for (name, rows) in &seen {
        let last_col = (b'A' + rows[0].len() as u8 - 1) as char;
        let range = format!("{0}.A1:{0}.{last_col}{1}", quoted_sheet(name), rows.len());
        assert!(filters.contains(&range), "{range} in {filters:?}");
    }
    let xml = worksheet_xml(&book);
    assert_eq!(xml.len(), 5);
    for sheet in xml {
        assert!(
            sheet.contains(
                r#"<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>"#
            ),
            "the header row is frozen: {}",
            &sheet[..sheet.len().min(800)]
        );
    }
}

/// How LibreOffice writes a sheet name in a range address.
fn quoted_sheet(name: &str) -> String {
    if name.chars().all(|c| c.is_alphanumeric() || c == '_') {
        name.to_owned()
    } else {
        format!("'{}'", name.replace('\'', "''"))
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_workbook_of_ten_thousand_videos_huge_counts_or_none_at_all_opens_whole() {
    let Some(soffice) = soffice() else {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "soffice is missing under CI: .ci/run installs libreoffice-calc-nogui"
        );
        eprintln!("skipped: soffice (LibreOffice Calc) is not installed");
        return;
    };
    let env = TestEnv::new();
    let book = env.root().join("empty.xlsx");
    env.run_async(["export", "-o", book.to_str().unwrap()])
        .await
        .assert_code(0);
    let seen = sheets(&calc_xml(&soffice, &book));
    assert_eq!(names(&seen), ["Summary"]);
    assert_eq!(sheet(&seen, "Summary").len(), 1, "the header alone");

    // 10,000 watched videos in four groups, one of them a campaign called "(none)", straight
    // into the store (as 10,000 refreshes would leave it); the first has the largest counts
    // the store keeps, far beyond the 15 digits a spreadsheet number holds exactly.
    let huge = i64::MAX as u64;
    let n = 10_000;
    let ids = distinct_ids(n);
    let campaign = |i: usize| ["A", "B", "(none)", ""][i % 4];
    let mut config = String::new();
    for (i, id) in ids.iter().enumerate() {
        config.push_str(&format!("[[watchlist]]\nitem_id = \"{id}\"\n"));
        if !campaign(i).is_empty() {
            config.push_str(&format!("campaign = \"{}\"\n", campaign(i)));
        }
        config.push_str("price = 99999999.99\n\n");
    }
    env.write_file(&env.default_config_path(), &config);
    let data = example_envelope()["data"].clone();
    let now = chrono::Utc::now();
    let records: Vec<_> = ids
        .iter()
        .enumerate()
        .map(|(i, id)| xingtu_dash::store::Record {
            snapshot: xingtu_dash::store::Snapshot {
                item_id: id.clone(),
                fetched_at: now,
                vv_cnt: Some(if i == 0 { huge } else { 1000 + i as u64 }),
                like_cnt: Some(if i == 0 { huge } else { 10 }),
                comment_cnt: Some(1),
                share_cnt: Some(1),
                collect_cnt: Some(1),
                interact_cnt: Some(12),
                interact_rate: Some(0.012),
                finish_rate: Some(0.1),
                follower: Some(5),
            },
            data: &data,
        })
        .collect();
    xingtu_dash::store::open_db(&xingtu_dash::store::StoreLocation::sqlite(
        env.history_db_path(),
    ))
    .unwrap()
    .record(&records)
    .unwrap();

    let book = env.root().join("big.xlsx");
    env.run_async(["export", "-o", book.to_str().unwrap()])
        .await
        .assert_code(0);
    let seen = sheets(&calc_xml(&soffice, &book));
    assert_eq!(names(&seen), ["Summary", "A", "B", "(none) (2)", "(none)"]);
    for (name, rows) in &seen[1..] {
        assert_eq!(rows.len(), 1 + n / 4, "{name}: the header and every video");
    }
    let a = sheet(&seen, "A");
    assert_eq!(at(a, "item_id", 0).text, ids[0]);
    assert_eq!(at(a, "item_id", n / 4 - 1).text, ids[n - 4]);
    let close = |cell: &Seen, expected: f64| {
        assert_eq!(cell.kind, "float", "{cell:?}");
        assert!(
            (number(cell) / expected - 1.0).abs() < 1e-14,
            "{cell:?} != {expected}"
        );
    };
    close(at(a, "vv_cnt", 0), huge as f64);
    assert_eq!(at(a, "price", 1).text, "¥99,999,999.99");
    let summary = sheet(&seen, "Summary");
    assert_eq!(summary.len(), 5);
    assert_eq!(number(at(summary, "videos", 0)), (n / 4) as f64);
    let others: u64 = (1004..n as u64 + 1000).step_by(4).sum();
    close(at(summary, "views", 0), (huge + others) as f64);
    assert_eq!(at(summary, "campaign", 2).text, "(none)");
    assert_eq!(at(summary, "campaign", 3).text, "(none)");
    close(
        at(summary, "views", 3),
        (1003..n as u64 + 1000).step_by(4).sum::<u64>() as f64,
    );
}
