//! Campaigns and money on the command line: `watch list` with CPM, CPE and `--campaign`,
//! `get`'s cost of a watched item, `campaign`, `compare` and `[targets]`. The binary runs as
//! a child process with its own XDG tree against a fake API on loopback; figures come from the
//! provider's published example (45,275,627 views, 107,089 likes, 2,686 comments, 7,943
//! shares, 10,595 saves) and variants of it.

mod common;

use common::*;
use serde_json::{Value, json};
use wiremock::MockServer;
use wiremock::matchers::query_param;

/// The fixture, in campaign 秋季发布会 at ¥12,000.
const A: &str = EXAMPLE_ID;
/// 1,000,000 views and 50,000 likes, in 秋季发布会 at ¥3,000.
const B: &str = "7566200471448700001";
/// 2,000,000 views and 10,000 likes, in 秋季发布会 without a price.
const C: &str = "7566200471448700002";
/// The fixture's figures, in campaign 双11 at ¥500.
const D: &str = "7566200471448700003";
/// The fixture's figures, in no campaign and without a price.
const E: &str = "7566200471448700004";

const COMMENTS: u64 = 2686;
const SHARES: u64 = 7943;
const SAVES: u64 = 10595;

/// The example envelope with other views and likes (and the interaction count to match).
fn envelope(views: u64, likes: u64) -> Value {
    let mut env = example_envelope_with_counts(views, likes);
    env["data"]["video_info"]["interact_cnt"] = json!((likes + COMMENTS + SHARES).to_string());
    env
}

fn figures(id: &str) -> (u64, u64) {
    match id {
        B => (1_000_000, 50_000),
        C => (2_000_000, 10_000),
        _ => (45_275_627, 107_089),
    }
}

async fn server() -> MockServer {
    let server = MockServer::start().await;
    for id in [A, B, C, D, E] {
        let (views, likes) = figures(id);
        endpoint()
            .and(query_param("itemId", id))
            .respond_with(json_response(200, &envelope(views, likes)))
            .mount(&server)
            .await;
    }
    server
}

/// The watchlist above, after `head` (settings and targets).
fn config(head: &str) -> String {
    format!(
        r#"{head}
[[watchlist]]
item_id = "{A}"
label = "理想L6"
campaign = "秋季发布会"
price = 12000

[[watchlist]]
item_id = "{B}"
campaign = "秋季发布会"
price = 3000.0

[[watchlist]]
item_id = "{C}"
campaign = "秋季发布会"

[[watchlist]]
item_id = "{D}"
campaign = "双11"
price = 500

[[watchlist]]
item_id = "{E}"
"#
    )
}

fn env_with(head: &str) -> TestEnv {
    let env = TestEnv::new();
    env.write_file(&env.default_config_path(), &config(head));
    env
}

async fn run(env: &TestEnv, server: &MockServer, args: &[&str]) -> Run {
    let mut all = vec!["--number-style", "intl"];
    all.extend_from_slice(args);
    env.run_async(api_args(&server.uri(), &all)).await
}

/// Fetches every watched video once, so the store holds their figures.
async fn fetched(head: &str) -> (TestEnv, MockServer) {
    let env = env_with(head);
    let server = server().await;
    run(&env, &server, &["watch", "refresh"])
        .await
        .assert_code(0);
    assert_eq!(request_count(&server).await, 5);
    (env, server)
}

fn cpm(fee: f64, views: u64) -> f64 {
    fee / views as f64 * 1000.0
}

fn cpe(fee: f64, likes: u64) -> f64 {
    fee / (likes + COMMENTS + SHARES) as f64
}

fn close(actual: &Value, expected: f64) -> bool {
    actual
        .as_f64()
        .is_some_and(|a| (a - expected).abs() <= expected.abs() * 1e-12)
}

fn line_with<'a>(text: &'a str, needle: &str) -> &'a str {
    text.lines()
        .find(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("no line with {needle:?} in\n{text}"))
}

// ---------------------------------------------------------------------------------------------
// watch list
// ---------------------------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread")]
async fn watch_list_shows_cpm_and_cpe_from_stored_figures() {
    let (env, server) = fetched("").await;
    let run = run(&env, &server, &["watch", "list"]).await;
    run.assert_code(0);
    let out = &run.stdout;
    let header = out.lines().next().unwrap();
    for column in ["CAMPAIGN", "PRICE", "CPM", "CPE"] {
        assert!(header.contains(column), "{out}");
    }
    assert!(!header.contains("TARGETS"), "no targets set\n{out}");
    // ¥12,000 / 45,275,627 views × 1000 = ¥0.265; / 117,718 interactions = ¥0.102.
    let a = line_with(out, A);
    assert!(
        a.contains("¥12,000") && a.contains("¥0.265") && a.contains("¥0.102"),
        "{a}"
    );
    // ¥3,000 / 1,000,000 × 1000 = ¥3.00; / 60,629 = ¥0.0495.
    let b = line_with(out, B);
    assert!(b.contains("¥3.00") && b.contains("¥0.0495"), "{b}");
    let c = line_with(out, C);
    assert!(!c.contains('¥'), "unpriced: no cost\n{c}");
    assert_eq!(request_count(&server).await, 5, "no call");
}

#[tokio::test(flavor = "multi_thread")]
async fn watch_list_json_carries_cpm_and_cpe() {
    let (env, server) = fetched("").await;
    let run = run(&env, &server, &["watch", "list", "--json"]).await;
    run.assert_code(0);
    let lines = run.json_lines();
    assert_eq!(lines.len(), 5);
    let (a, b, c) = (&lines[0], &lines[1], &lines[2]);
    assert!(close(&a["cpm"], cpm(12000.0, 45_275_627)), "{a}");
    assert!(close(&a["cpe"], cpe(12000.0, 107_089)), "{a}");
    assert!(close(&b["cpm"], 3.0), "{b}");
    assert!(close(&b["cpe"], cpe(3000.0, 50_000)), "{b}");
    assert_eq!((&c["cpm"], &c["cpe"]), (&Value::Null, &Value::Null), "{c}");
    assert_eq!(a["price"], json!(12000));
    assert!(a.get("targets").is_none(), "no targets set: {a}");
}

#[tokio::test(flavor = "multi_thread")]
async fn watch_list_campaign_filters_human_and_json() {
    let (env, server) = fetched("").await;
    let human = run(
        &env,
        &server,
        &["watch", "list", "--campaign", "秋季发布会"],
    )
    .await;
    human.assert_code(0);
    for id in [A, B, C] {
        assert!(human.stdout.contains(id), "{}", human.describe());
    }
    for id in [D, E] {
        assert!(!human.stdout.contains(id), "{}", human.describe());
    }
    let json = run(
        &env,
        &server,
        &["watch", "list", "--json", "--campaign", "双11"],
    )
    .await;
    let ids: Vec<Value> = json
        .json_lines()
        .iter()
        .map(|l| l["item_id"].clone())
        .collect();
    assert_eq!(ids, vec![json!(D)]);
    let none = run(
        &env,
        &server,
        &["watch", "list", "--json", "--campaign", "(none)"],
    )
    .await;
    let ids: Vec<Value> = none
        .json_lines()
        .iter()
        .map(|l| l["item_id"].clone())
        .collect();
    assert_eq!(ids, vec![json!(E)]);
}

#[tokio::test(flavor = "multi_thread")]
async fn watch_list_unknown_campaign_is_a_usage_error_naming_the_known_ones() {
    let env = env_with("");
    let server = server().await;
    let run = run(&env, &server, &["watch", "list", "--campaign", "春节"]).await;
    run.assert_code(2);
    assert!(run.stdout.is_empty(), "{}", run.describe());
    assert!(
        run.stderr
            .contains("no campaign \"春节\" in the watchlist; campaigns: 秋季发布会, 双11, (none)"),
        "{}",
        run.describe()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn watch_list_marks_targets_met_and_missed() {
    let (env, server) = fetched("[targets]\ncpm = 1\n").await;
    let human = run(&env, &server, &["watch", "list"]).await;
    human.assert_code(0);
    assert!(human.stdout.lines().next().unwrap().contains("TARGETS"));
    // CPM ¥0.265 meets a maximum of ¥1; ¥3.00 misses it; unpriced cannot tell.
    assert!(
        line_with(&human.stdout, A).contains("¥0.265 ✓"),
        "{}",
        human.stdout
    );
    assert!(
        line_with(&human.stdout, A).contains("✓ 1/1"),
        "{}",
        human.stdout
    );
    assert!(
        line_with(&human.stdout, B).contains("¥3.00 ✗"),
        "{}",
        human.stdout
    );
    assert!(
        line_with(&human.stdout, B).contains("✗ CPM"),
        "{}",
        human.stdout
    );
    let json = run(&env, &server, &["watch", "list", "--json"]).await;
    let lines = json.json_lines();
    assert_eq!(
        lines[0]["targets"],
        json!({"cpm": {"target": 1.0, "met": true}})
    );
    assert_eq!(
        lines[1]["targets"],
        json!({"cpm": {"target": 1.0, "met": false}})
    );
    assert_eq!(
        lines[2]["targets"],
        json!({"cpm": {"target": 1.0, "met": null}})
    );
}

// ---------------------------------------------------------------------------------------------
// get
// ---------------------------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread")]
async fn get_json_adds_cost_and_campaign_of_a_watched_item() {
    let env = env_with("");
    let server = server().await;
    let run = run(&env, &server, &["get", "--json", A, C, E]).await;
    run.assert_code(0);
    let lines = run.json_lines();
    let a = &lines[0];
    assert_eq!(a["campaign"], json!("秋季发布会"), "{a}");
    assert_eq!(a["cost"]["price"], json!(12000), "{a}");
    assert!(close(&a["cost"]["cpm"], cpm(12000.0, 45_275_627)), "{a}");
    assert!(close(&a["cost"]["cpe"], cpe(12000.0, 107_089)), "{a}");
    let keys: Vec<&String> = a.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        [
            "item_id",
            "ok",
            "author",
            "video",
            "ratios",
            "fetched_at",
            "cached",
            "campaign",
            "cost"
        ]
    );
    // A campaign but no price: no cost. Neither: nothing added.
    assert_eq!(lines[1]["campaign"], json!("秋季发布会"));
    assert!(lines[1].get("cost").is_none(), "{}", lines[1]);
    assert!(lines[2].get("cost").is_none() && lines[2].get("campaign").is_none());
}

#[tokio::test(flavor = "multi_thread")]
async fn get_json_of_an_unwatched_item_has_no_cost() {
    let env = TestEnv::new();
    let server = server().await;
    let run = run(&env, &server, &["get", "--json", A]).await;
    run.assert_code(0);
    let a = run.single_json();
    assert!(
        a.get("cost").is_none() && a.get("campaign").is_none(),
        "{a}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn get_shows_price_cpm_cpe_and_targets_of_a_priced_watched_item() {
    let env = env_with("[targets]\nlike_rate = \"0.2%\"\ncpe = 0.1\n");
    let server = server().await;
    let run = run(&env, &server, &["get", A]).await;
    run.assert_code(0);
    let out = &run.stdout;
    assert!(out.contains("  Campaign   秋季发布会\n"), "{out}");
    assert!(
        out.contains("  Cost       ¥12,000   CPM ¥0.265   CPE ¥0.102\n"),
        "{out}"
    );
    // Like rate 0.237% ≥ 0.2%; CPE ¥0.102 > ¥0.1.
    assert!(
        out.contains("  Targets    ✓ Like ≥ 0.200%   ✗ CPE ≤ ¥0.100\n"),
        "{out}"
    );
    let json = run_json_targets(&env, &server).await;
    assert_eq!(
        json,
        json!({"like_rate": {"target": 0.002, "met": true}, "cpe": {"target": 0.1, "met": false}})
    );
}

async fn run_json_targets(env: &TestEnv, server: &MockServer) -> Value {
    let run = run(env, server, &["get", "--json", A]).await;
    run.single_json()["targets"].clone()
}

// ---------------------------------------------------------------------------------------------
// campaign
// ---------------------------------------------------------------------------------------------

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

#[tokio::test(flavor = "multi_thread")]
async fn campaign_json_pools_totals_and_prices_only_priced_videos() {
    let (env, server) = fetched("").await;
    let run = run(&env, &server, &["campaign", "--json"]).await;
    run.assert_code(0);
    assert_eq!(request_count(&server).await, 5, "campaign never calls");
    let lines = run.json_lines();
    let names: Vec<&Value> = lines.iter().map(|l| &l["campaign"]).collect();
    assert_eq!(names, [&json!("秋季发布会"), &json!("双11"), &Value::Null]);
    let autumn = &lines[0];
    let keys: Vec<&String> = autumn.as_object().unwrap().keys().collect();
    assert_eq!(keys, FIELDS);
    let views = 45_275_627 + 1_000_000 + 2_000_000;
    let likes = 107_089 + 50_000 + 10_000;
    assert_eq!(autumn["videos"], json!(3));
    assert_eq!(autumn["priced_videos"], json!(2));
    assert_eq!(autumn["price"], json!(15000));
    assert_eq!(autumn["views"], json!(views));
    assert_eq!(autumn["likes"], json!(likes));
    assert_eq!(autumn["comments"], json!(3 * COMMENTS));
    assert_eq!(autumn["shares"], json!(3 * SHARES));
    assert_eq!(autumn["saves"], json!(3 * SAVES));
    // Pooled: total likes ÷ total views, not the mean of the three rates.
    assert!(
        close(&autumn["like_rate"], likes as f64 / views as f64),
        "{autumn}"
    );
    assert!(close(
        &autumn["interact_rate"],
        (likes + 3 * COMMENTS + 3 * SHARES) as f64 / views as f64
    ));
    assert!(close(
        &autumn["collect_rate"],
        (3 * SAVES) as f64 / views as f64
    ));
    // CPM and CPE over the two priced videos: ¥15,000 for 46,275,627 views.
    assert!(close(&autumn["cpm"], cpm(15000.0, 46_275_627)), "{autumn}");
    assert!(close(
        &autumn["cpe"],
        15000.0 / (107_089 + 50_000 + 2 * (COMMENTS + SHARES)) as f64
    ));
    assert!(autumn["fetched_from"].as_str().unwrap().ends_with('Z'));
    assert!(autumn["fetched_to"].as_str().unwrap() >= autumn["fetched_from"].as_str().unwrap());
    let none = &lines[2];
    assert_eq!(
        (&none["videos"], &none["priced_videos"]),
        (&json!(1), &json!(0))
    );
    // No priced video: no fee, as no CPM (the xlsx Summary leaves the same cells empty).
    assert_eq!((&none["cpm"], &none["price"]), (&Value::Null, &Value::Null));
    assert!(
        run.stderr.is_empty(),
        "fresh figures need no note\n{}",
        run.describe()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn campaign_list_human_and_csv() {
    let (env, server) = fetched("").await;
    let human = run(&env, &server, &["campaign"]).await;
    human.assert_code(0);
    let out = &human.stdout;
    let rows: Vec<&str> = out.lines().collect();
    assert_eq!(rows.len(), 4, "{out}");
    assert!(rows[0].starts_with("CAMPAIGN"), "{out}");
    assert!(
        rows[1].starts_with("秋季发布会") && rows[1].contains("¥15,000"),
        "{out}"
    );
    assert!(rows[1].contains("¥0.324"), "pooled CPM\n{out}");
    assert!(
        rows[2].starts_with("双11") && rows[2].contains("¥500"),
        "{out}"
    );
    assert!(rows[3].starts_with("(none)"), "{out}");

    let csv = run(&env, &server, &["campaign", "--csv"]).await;
    csv.assert_code(0);
    let table = parse_csv(&csv.stdout);
    assert_eq!(table[0], FIELDS);
    assert_eq!(table.len(), 4);
    assert_eq!(
        &table[1][..5],
        ["秋季发布会", "3", "2", "15000", "48275627"]
    );
    assert_eq!(table[3][0], "(none)");
    assert_eq!(table[3][14], "", "no CPM without a price");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_named_campaign_shows_totals_then_videos_ranked_by_cpm() {
    let (env, server) = fetched("").await;
    let human = run(&env, &server, &["campaign", "秋季发布会"]).await;
    human.assert_code(0);
    let out = &human.stdout;
    assert!(out.starts_with("秋季发布会 · 3 videos · 2 priced"), "{out}");
    assert!(out.contains("(CPM over 2 of 3 videos)"), "{out}");
    assert!(out.contains("  Fee        ¥15,000\n"), "{out}");
    // A (¥0.265) before B (¥3.00); C has no CPM and comes last.
    let at = |id| out.find(id).unwrap();
    assert!(at(A) < at(B) && at(B) < at(C), "{out}");
    assert!(line_with(out, A).starts_with("1  "), "{out}");
    assert!(line_with(out, A).contains("理想L6"), "the label\n{out}");

    let json = run(&env, &server, &["campaign", "秋季发布会", "--json"]).await;
    json.assert_code(0);
    let whole = json.single_json();
    assert_eq!(whole["campaign"], json!("秋季发布会"));
    assert_eq!(whole["videos"], json!(3));
    let items = whole["items"].as_array().unwrap();
    let order: Vec<&Value> = items.iter().map(|i| &i["item_id"]).collect();
    assert_eq!(order, [&json!(A), &json!(B), &json!(C)]);
    assert_eq!(items[0]["rank"], json!(1));
    assert!(close(&items[1]["cpm"], 3.0));

    let csv = run(&env, &server, &["campaign", "秋季发布会", "--csv"]).await;
    let table = parse_csv(&csv.stdout);
    assert_eq!(table.len(), 2);
    assert_eq!(table[1][0], "秋季发布会");
    let none = run(&env, &server, &["campaign", "(none)", "--json"]).await;
    assert_eq!(none.single_json()["campaign"], Value::Null);
    assert_eq!(request_count(&server).await, 5, "no call");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unknown_campaign_is_an_error_listing_the_known_ones() {
    let (env, server) = fetched("").await;
    for args in [vec!["campaign", "春节"], vec!["campaign", "春节", "--json"]] {
        let run = run(&env, &server, &args).await;
        run.assert_code(2);
        assert!(run.stdout.is_empty(), "{}", run.describe());
        assert!(
            run.stderr.contains("campaigns: 秋季发布会, 双11, (none)"),
            "{}",
            run.describe()
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn campaign_says_when_figures_are_old_or_missing_and_how_to_refresh() {
    let (env, server) = fetched("").await;
    // A cache window of 0 minutes makes every stored figure older than it.
    env.write_file(
        &env.default_config_path(),
        &config("[watch]\ncache_minutes = 0\n"),
    );
    let run = run(&env, &server, &["campaign", "--json"]).await;
    run.assert_code(0);
    assert!(
        run.stderr
            .contains("note: the figures of 5 of 5 videos are older than the cache window (0 min;")
            && run
                .stderr
                .contains("`xingtu-dash watch refresh` updates them"),
        "{}",
        run.describe()
    );
    assert_eq!(run.json_lines().len(), 3, "stdout stays JSON");

    let never = env_with("");
    let run = never_fetched(&never, &server).await;
    run.assert_code(0);
    assert!(
        run.stderr
            .contains("note: 3 of 3 videos were never fetched, so not in the totals"),
        "{}",
        run.describe()
    );
    let autumn = run.single_json();
    assert_eq!(
        (&autumn["views"], &autumn["priced_videos"]),
        (&json!(0), &json!(2))
    );
    assert_eq!(autumn["cpm"], Value::Null);
    assert_eq!(request_count(&server).await, 5, "no call");
}

async fn never_fetched(env: &TestEnv, server: &MockServer) -> Run {
    run(env, server, &["campaign", "秋季发布会", "--json"]).await
}

#[tokio::test(flavor = "multi_thread")]
async fn campaign_targets_use_the_campaign_override() {
    let (env, server) = fetched(
        "[targets]\ncpm = 0.3\nlike_rate = 0.001\n[targets.campaign.\"双11\"]\ncpm = 0.01\n",
    )
    .await;
    let run = run(&env, &server, &["campaign", "--json"]).await;
    let lines = run.json_lines();
    // 秋季发布会: CPM ¥0.324 misses ¥0.3; 双11: ¥0.011 misses its own ¥0.01.
    assert_eq!(
        lines[0]["targets"],
        json!({"like_rate": {"target": 0.001, "met": true}, "cpm": {"target": 0.3, "met": false}})
    );
    assert_eq!(
        lines[1]["targets"]["cpm"],
        json!({"target": 0.01, "met": false})
    );
    assert_eq!(lines[1]["targets"]["like_rate"]["met"], json!(true));
    let human = run_human(&env, &server).await;
    assert!(
        line_with(&human, "秋季发布会").contains("¥0.324 ✗"),
        "{human}"
    );
    assert!(line_with(&human, "秋季发布会").contains("✗ CPM"), "{human}");
}

async fn run_human(env: &TestEnv, server: &MockServer) -> String {
    run(env, server, &["campaign"]).await.stdout
}

// ---------------------------------------------------------------------------------------------
// compare
// ---------------------------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread")]
async fn compare_shows_videos_side_by_side_and_marks_the_best() {
    let env = env_with("[targets]\ncpm = 1\n");
    let server = server().await;
    let run = env
        .run_async(api_args(
            &server.uri(),
            &["--number-style", "intl", "compare", A, B, C],
        ))
        .await;
    run.assert_code(0);
    let out = &run.stdout;
    assert!(!out.contains('\x1b'), "no escapes into a pipe\n{out}");
    for row in [
        "Views",
        "Like",
        "Comment",
        "Share",
        "Save",
        "Engagement",
        "Completion",
        "Followers",
        "Price",
        "CPM",
        "CPE",
        "Published",
        "Fetched",
    ] {
        assert!(out.lines().any(|l| l.starts_with(row)), "row {row}\n{out}");
    }
    // Most views: A; highest like rate: B (5%); lowest CPM: A (¥0.265 against ¥3.00).
    assert!(line_with(out, "Views").contains("★ 45.3M"), "{out}");
    assert!(line_with(out, "Like ").contains("★ 5.00%"), "{out}");
    assert!(line_with(out, "CPM").contains("★ ¥0.265 ✓"), "{out}");
    assert!(line_with(out, "CPM").contains("¥3.00 ✗"), "{out}");
    assert_eq!(line_with(out, "CPM").matches('★').count(), 1, "{out}");
    assert!(line_with(out, "Price").contains("¥12,000"), "{out}");
    assert!(
        !line_with(out, "Price").contains('★'),
        "a fee is not ranked\n{out}"
    );
    // The same followers everywhere: all tie.
    assert_eq!(line_with(out, "Followers").matches('★').count(), 3, "{out}");
    assert!(out.contains(&format!("{A}  少爷")), "the legend\n{out}");
}

#[tokio::test(flavor = "multi_thread")]
async fn compare_reuses_fresh_reports_and_pays_only_for_missing_ones() {
    let env = env_with("");
    let server = server().await;
    run(&env, &server, &["get", A]).await.assert_code(0);
    let link = format!("https://www.douyin.com/video/{A}");
    let run = run(&env, &server, &["compare", A, B, &link]).await;
    run.assert_code(0);
    assert_eq!(request_count_for(&server, A).await, 1, "{}", run.describe());
    assert_eq!(request_count_for(&server, B).await, 1, "{}", run.describe());
    assert!(line_with(&run.stdout, "Fetched").contains("just now"));
}

#[tokio::test(flavor = "multi_thread")]
async fn compare_json_is_one_get_row_per_video() {
    let env = env_with("[targets]\ncpm = 1\n");
    let server = server().await;
    let run = run(&env, &server, &["compare", "--json", B, A]).await;
    run.assert_code(0);
    let lines = run.json_lines();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["item_id"], json!(B));
    assert_eq!(lines[1]["item_id"], json!(A));
    assert_eq!(lines[1]["ok"], json!(true));
    assert_eq!(lines[1]["video"]["vv_cnt"], json!(45_275_627));
    assert_eq!(lines[1]["cost"]["price"], json!(12000));
    assert_eq!(
        lines[0]["targets"]["cpm"],
        json!({"target": 1.0, "met": false})
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn compare_needs_two_to_eight_different_videos() {
    let env = TestEnv::new();
    let server = server().await;
    let nine = distinct_ids(9);
    let link = format!("https://www.douyin.com/video/{A}");
    let mut cases: Vec<Vec<&str>> = vec![vec!["compare", A], vec!["compare", A, &link]];
    let mut many = vec!["compare"];
    many.extend(nine.iter().map(String::as_str));
    cases.push(many);
    for args in cases {
        let run = run(&env, &server, &args).await;
        run.assert_code(2);
        assert!(
            run.stderr.contains("compare takes 2 to 8 different videos"),
            "{}",
            run.describe()
        );
    }
    let run = run(&env, &server, &["compare"]).await;
    run.assert_code(2);
    assert_eq!(request_count(&server).await, 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn compare_stops_calling_after_a_halting_code() {
    let server = server_answering(json_response(200, &envelope_for_code(601, "no money"))).await;
    let env = TestEnv::new();
    let ids = distinct_ids(8);
    let mut args = vec!["compare", "--json"];
    args.extend(ids.iter().map(String::as_str));
    let run = run(&env, &server, &args).await;
    run.assert_code(1);
    let calls = request_count(&server).await;
    // At most the four calls in flight before the first answer; the rest never start.
    assert!(
        (1..=4).contains(&calls),
        "{calls} calls\n{}",
        run.describe()
    );
    let halted = run
        .json_lines()
        .iter()
        .filter(|l| l["error"]["kind"] == json!("halted"))
        .count();
    assert_eq!(halted, 8 - calls, "{}", run.describe());
}

// ---------------------------------------------------------------------------------------------
// [targets] in the config file
// ---------------------------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread")]
async fn a_bad_target_is_a_config_error_with_its_place() {
    let env = env_with("[targets]\nlike_rate = 2\n");
    let server = server().await;
    let run = run(&env, &server, &["campaign"]).await;
    run.assert_code(2);
    let path = env.default_config_path();
    assert!(
        run.stderr.contains(&format!(
            "{}:2:13: a rate target is a fraction",
            path.display()
        )),
        "{}",
        run.describe()
    );
    assert_eq!(request_count(&server).await, 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unknown_target_key_is_a_warning() {
    let env = env_with("[targets]\nlike_rat = 0.1\n");
    let server = server().await;
    let run = run(&env, &server, &["campaign"]).await;
    run.assert_code(0);
    assert!(
        run.stderr.contains("unknown key `like_rat` in [targets]")
            && run.stderr.contains("did you mean `like_rate`?"),
        "{}",
        run.describe()
    );
}

// ---------------------------------------------------------------------------------------------
// Standard input, a reader that goes away, the demo
// ---------------------------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread")]
async fn compare_reads_items_from_standard_input() {
    let env = env_with("");
    let server = server().await;
    let list = env.write_file(
        &env.root().join("items.txt"),
        &format!("# the two\n{B}\nhttps://www.douyin.com/video/{A}\n"),
    );
    let mut cmd = env.cmd(api_args(&server.uri(), &["compare", "--json", "-"]));
    cmd.stdin(std::fs::File::open(list).unwrap());
    let run = output(cmd).await;
    run.assert_code(0);
    let ids: Vec<Value> = run
        .json_lines()
        .iter()
        .map(|l| l["item_id"].clone())
        .collect();
    assert_eq!(ids, vec![json!(B), json!(A)], "{}", run.describe());
}

/// Runs a command with the standard streams it was given (the rest captured).
async fn output(mut cmd: std::process::Command) -> Run {
    let start = std::time::Instant::now();
    let out = tokio::task::spawn_blocking(move || cmd.output().expect("run xingtu-dash"))
        .await
        .unwrap();
    let run = Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        elapsed: start.elapsed(),
    };
    run.assert_no_secrets(&[TOKEN.to_owned()]);
    run
}

/// Runs `args` with stdout a pipe whose reader has already gone.
async fn into_closed_pipe(env: &TestEnv, args: Vec<String>) -> Run {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let mut cmd = env.cmd(args);
    cmd.stdout(writer);
    output(cmd).await
}

#[tokio::test(flavor = "multi_thread")]
async fn a_reader_that_goes_away_stops_campaign_and_compare_quietly() {
    let (env, server) = fetched("").await;
    for args in [
        vec!["campaign"],
        vec!["campaign", "秋季发布会"],
        vec!["campaign", "--json"],
        vec!["compare", A, B],
        vec!["watch", "list", "--campaign", "秋季发布会"],
    ] {
        let run = into_closed_pipe(&env, api_args(&server.uri(), &args)).await;
        assert_eq!(run.code, Some(141), "{args:?}\n{}", run.describe());
        assert_eq!(run.stderr, "", "{args:?}\n{}", run.describe());
    }
    assert_eq!(request_count(&server).await, 5, "all from the store");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_demo_has_campaign_and_compare_without_any_call() {
    let env = TestEnv::new();
    let run = env.run_async(["--demo", "campaign", "--json"]).await;
    run.assert_code(0);
    let lines = run.json_lines();
    let videos: u64 = lines.iter().map(|l| l["videos"].as_u64().unwrap()).sum();
    assert_eq!(videos, 5, "every demo video in one row\n{}", run.describe());
    for line in &lines {
        let keys: Vec<&String> = line.as_object().unwrap().keys().collect();
        assert_eq!(keys, FIELDS, "{line}");
    }
    let run = env
        .run_async(["--demo", "compare", A, "7571234567890123456"])
        .await;
    run.assert_code(0);
    assert!(
        line_with(&run.stdout, "Views").contains('★'),
        "{}",
        run.describe()
    );
}
