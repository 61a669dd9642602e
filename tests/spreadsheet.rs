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
use wiremock::MockServer;

const EVIL_TITLE: &str = "=HYPERLINK(\"http://evil.example/x\";\"click me\")";
const EVIL_AUTHOR: &str = "@SUM(1+1)*cmd";
const EVIL_LABEL: &str = "+86 理想L6, \"第一周\"";
const MINUS_LABEL: &str = "-1 下周";

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
    let server = MockServer::start().await;
    endpoint()
        .respond_with(json_response(200, &envelope))
        .mount(&server)
        .await;
    let env = TestEnv::new();
    let other = "7566200471448700002";
    env.write_file(
        &env.default_config_path(),
        &format!(
            "[[watchlist]]\nitem_id = \"{EXAMPLE_ID}\"\nlabel = {}\n\n[[watchlist]]\nitem_id = \"{other}\"\nlabel = {}\n",
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
    // Figures stay numbers, exactly.
    assert_eq!(column(&rows, "vv_cnt")[0], "45275627");

    let history = env.root().join("history.csv");
    let run = env.run_async(["history", EXAMPLE_ID, "--csv"]).await;
    run.assert_code(0);
    std::fs::write(&history, &run.stdout).unwrap();
    let rows = through_calc(&soffice, &history);
    assert_eq!(column(&rows, "item_id"), [EXAMPLE_ID]);
    assert_eq!(column(&rows, "vv_cnt"), ["45275627"]);
}
