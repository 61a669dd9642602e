//! The interface in Chinese through the real binary: `get` and `watch list` under a Chinese
//! locale (or `--lang zh`) say 播放量, 点赞… with their columns lined up by display width;
//! `--lang en` beats a Chinese locale; `--json` is byte for byte the same in both languages;
//! the export's header row is translated, its data is not.

mod common;

use common::*;
use serde_json::json;
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer};

const ZH: &str = "zh_CN.UTF-8";
const C: &str = "C";

/// Runs the binary with `LANG` set to `lang` (the harness clears LC_ALL and LC_MESSAGES).
async fn run_in(env: &TestEnv, lang: &str, args: &[String]) -> Run {
    let mut cmd = env.cmd(args);
    cmd.env("LANG", lang);
    env.run_cmd_async(cmd).await
}

fn args(server: &MockServer, args: &[&str]) -> Vec<String> {
    api_args(&server.uri(), args)
}

/// The display width of `line` up to the end of each of `cells`, found left to right.
fn right_edges(line: &str, cells: &[&str]) -> Vec<usize> {
    let mut from = 0;
    cells
        .iter()
        .map(|cell| {
            let at = from
                + line[from..]
                    .find(cell)
                    .unwrap_or_else(|| panic!("{cell:?} not in {line:?}"));
            from = at + cell.len();
            xingtu_dash::format::width(&line[..from])
        })
        .collect()
}

fn line_with<'a>(text: &'a str, needle: &str) -> &'a str {
    text.lines()
        .find(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("no line with {needle:?} in\n{text}"))
}

const ID: &str = "7566200471448779514";

#[tokio::test(flavor = "multi_thread")]
async fn get_speaks_chinese_under_a_chinese_locale_or_lang_zh_with_columns_aligned() {
    let server = server_ok().await;
    let env = TestEnv::new();
    let by_locale = run_in(&env, ZH, &args(&server, &["get", ID])).await;
    let by_flag = run_in(&env, C, &args(&server, &["--lang", "zh", "get", ID])).await;
    for run in [&by_locale, &by_flag] {
        run.assert_code(0);
        let out = &run.stdout;
        for word in [
            "达人",
            "粉丝",
            "发布时间",
            "时长",
            "播放量",
            "点赞",
            "评论",
            "分享",
            "收藏",
            "互动率",
            "完播率",
        ] {
            assert!(out.contains(word), "{word} missing\n{}", run.describe());
        }
        assert!(
            !out.contains("Views") && !out.contains("Followers"),
            "{out}"
        );
        let heads = ["播放量", "点赞", "评论", "分享", "收藏"];
        let head_line = line_with(out, "播放量");
        let count_line = line_with(out, "数量");
        let rate_line = line_with(out, "比率");
        let counts: Vec<&str> = count_line.split_whitespace().skip(1).collect();
        let rates: Vec<&str> = rate_line.split_whitespace().skip(1).collect();
        assert_eq!(counts.len(), 5, "{out}");
        let edges = right_edges(head_line, &heads);
        assert_eq!(right_edges(count_line, &counts), edges, "\n{out}");
        // Views has no rate: the four rates sit under likes, comments, shares and saves.
        assert_eq!(right_edges(rate_line, &rates), edges[1..], "\n{out}");
        // Labels are padded by display width: the values after them start in one column.
        let value_column = |label: &str| {
            let line = line_with(out, label);
            let value = line[line.find(label).unwrap() + label.len()..].trim_start();
            xingtu_dash::format::width(&line[..line.len() - value.len()])
        };
        assert_eq!(value_column("达人"), value_column("粉丝"), "\n{out}");
        assert_eq!(value_column("互动率"), value_column("发布时间"), "\n{out}");
    }
    // The number style follows its own setting: a Chinese LANG writes 万, `--lang zh` alone
    // under LANG=C does not.
    assert!(
        by_locale.stdout.contains("4527.6万"),
        "{}",
        by_locale.stdout
    );
    assert!(by_flag.stdout.contains("45.3M"), "{}", by_flag.stdout);
}

#[tokio::test(flavor = "multi_thread")]
async fn lang_en_beats_a_chinese_locale() {
    let server = server_ok().await;
    let env = TestEnv::new();
    let run = run_in(&env, ZH, &args(&server, &["--lang", "en", "get", ID])).await;
    run.assert_code(0);
    assert!(run.stdout.contains("Views") && run.stdout.contains("Followers"));
    assert!(!run.stdout.contains("播放量"), "{}", run.stdout);
    // Counts still follow the locale: the number style is its own setting.
    assert!(run.stdout.contains("4527.6万"), "{}", run.stdout);
}

#[tokio::test(flavor = "multi_thread")]
async fn watch_list_in_chinese_lines_up_by_display_width() {
    let server = server_ok().await;
    let env = TestEnv::new();
    let ids = distinct_ids(2);
    let config = format!(
        "[[watchlist]]\nitem_id = \"{}\"\nlabel = \"理想L6 达人测评\"\ncampaign = \"双十一\"\nprice = 1200\n\n[[watchlist]]\nitem_id = \"{}\"\nlabel = \"plain\"\n",
        ids[0], ids[1]
    );
    env.write_file(&env.default_config_path(), &config);
    run_in(&env, C, &args(&server, &["watch", "refresh"]))
        .await
        .assert_code(0);
    let run = run_in(&env, ZH, &args(&server, &["watch", "list"])).await;
    run.assert_code(0);
    let out = &run.stdout;
    let header = out.lines().next().unwrap();
    for word in [
        "视频 ID",
        "标签",
        "活动",
        "价格",
        "播放量",
        "点赞率",
        "更新于",
    ] {
        assert!(header.contains(word), "{word} missing from {header:?}");
    }
    let first = line_with(out, &ids[0]);
    let second = line_with(out, &ids[1]);
    // Views (right-aligned) end in one column whatever the width of the label before them.
    let views_edge = right_edges(header, &["播放量"])[0];
    assert_eq!(right_edges(first, &["4527.6万"])[0], views_edge, "\n{out}");
    assert_eq!(right_edges(second, &["4527.6万"])[0], views_edge, "\n{out}");
    // The label column (left-aligned) is as wide as its widest label, in cells.
    let label_start =
        |line: &str, label: &str| xingtu_dash::format::width(&line[..line.find(label).unwrap()]);
    assert_eq!(
        label_start(first, "理想L6"),
        label_start(second, "plain"),
        "\n{out}"
    );
    assert!(
        first.contains("分钟前") || first.contains("刚刚"),
        "{first}"
    );
}

/// Every `--json` output is the same bytes whatever the language.
#[tokio::test(flavor = "multi_thread")]
async fn json_output_is_the_same_bytes_in_both_languages() {
    let server = MockServer::start().await;
    let bad = "7566200471448779999";
    endpoint()
        .and(query_param("itemId", bad))
        .respond_with(json_response(
            200,
            &envelope_for_code(601, "Insufficient Balance"),
        ))
        .with_priority(1)
        .mount(&server)
        .await;
    endpoint().respond_with(ok_response()).mount(&server).await;
    Mock::given(method("GET"))
        .and(path("/user/get-balance"))
        .respond_with(json_response(
            200,
            &json!({"code": 0, "data": {"balance": "12.5", "currency": "CNY"}}),
        ))
        .mount(&server)
        .await;
    let env = TestEnv::new();
    let config = format!(
        "[targets]\ncpm = 30\n\n[[watchlist]]\nitem_id = \"{ID}\"\nlabel = \"理想\"\ncampaign = \"双十一\"\nprice = 1200\n"
    );
    env.write_file(&env.default_config_path(), &config);
    // Once fetched, `get` answers from the cache: both languages see the same report.
    run_in(&env, C, &args(&server, &["get", ID]))
        .await
        .assert_code(0);
    let commands: [&[&str]; 6] = [
        &["get", "--json", ID],
        &["get", "--json", bad],
        &["watch", "list", "--json"],
        &["campaign", "--json"],
        &["campaign", "双十一", "--json"],
        &["balance", "--json"],
    ];
    for command in commands {
        let zh = run_in(&env, ZH, &args(&server, command)).await;
        let c = run_in(&env, C, &args(&server, command)).await;
        assert!(!c.stdout.is_empty(), "{command:?}\n{}", c.describe());
        assert_eq!(zh.stdout, c.stdout, "{command:?}");
        assert_eq!(zh.parts().0, c.parts().0, "{command:?}: exit status");
    }
    // What a person reads next to the JSON is in their language.
    let failed = run_in(&env, ZH, &args(&server, &["balance"])).await;
    assert_eq!(failed.stdout.trim(), "¥12.50", "{}", failed.describe());
}

#[tokio::test(flavor = "multi_thread")]
async fn export_headers_are_translated_and_the_data_is_not() {
    let server = server_ok().await;
    let env = TestEnv::new();
    let config = format!("[[watchlist]]\nitem_id = \"{ID}\"\nlabel = \"理想\"\n");
    env.write_file(&env.default_config_path(), &config);
    run_in(&env, C, &args(&server, &["watch", "refresh"]))
        .await
        .assert_code(0);

    let zh = run_in(&env, ZH, &["export".into(), "--no-bom".into()]).await;
    zh.assert_code(0);
    let en = run_in(&env, C, &["export".into(), "--no-bom".into()]).await;
    let (zh_head, zh_rows) = zh.stdout.split_once('\n').unwrap();
    let (en_head, en_rows) = en.stdout.split_once('\n').unwrap();
    assert!(
        en_head.starts_with("item_id,label,title,author,fetched_at,vv_cnt"),
        "{en_head}"
    );
    assert!(
        zh_head.starts_with("视频ID,标签,标题,达人,获取时间,播放量,点赞,评论"),
        "{zh_head}"
    );
    assert_eq!(zh_head.split(',').count(), en_head.split(',').count());
    assert_eq!(zh_rows, en_rows, "the data is the same");

    let book = env.root().join("watchlist.xlsx");
    let book_arg = book.to_str().unwrap().to_owned();
    run_in(&env, ZH, &["export".into(), "-o".into(), book_arg])
        .await
        .assert_code(0);
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&book).unwrap()).unwrap();
    let strings = std::io::read_to_string(zip.by_name("xl/sharedStrings.xml").unwrap()).unwrap();
    for heading in ["视频ID", "播放量", "完播率", "已定价视频数"] {
        assert!(strings.contains(heading), "{heading} missing");
    }
    let workbook = std::io::read_to_string(zip.by_name("xl/workbook.xml").unwrap()).unwrap();
    assert!(workbook.contains("name=\"汇总\""), "{workbook}");
}
