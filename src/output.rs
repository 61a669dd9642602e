//! What one-shot commands print: the aligned human report and the JSON Lines objects.

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use crate::api::ApiError;
use crate::fetcher::Fetched;
use crate::format::{self, NumberStyle, opt_count, opt_percent, pad_left, pad_right};
use crate::i18n::{self, Lang};
use crate::report::{ContentTag, Report};
use crate::t;

/// `{"item_id", "ok": true, "author", "video", "ratios", "fetched_at", "cached"}`.
pub fn json_ok(item_id: &str, fetched: &Fetched) -> Value {
    let report = &fetched.report;
    let mut video = serde_json::to_value(&report.video).unwrap_or(Value::Null);
    if let Some(v) = video.as_object_mut() {
        // Derived when the API leaves it out, so scripts can rely on it.
        v.insert("interact_cnt".into(), json!(report.interactions()));
    }
    json!({
        "item_id": item_id,
        "ok": true,
        "author": report.author,
        "video": video,
        "ratios": report.ratios(),
        "fetched_at": fetched.fetched_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        "cached": fetched.from_cache,
    })
}

/// `{"item_id", "ok": false, "error": {"code", "kind", "message", "http_status"}}`.
pub fn json_err(item_id: &str, err: &ApiError) -> Value {
    json!({
        "item_id": item_id,
        "ok": false,
        "error": json_error(err),
    })
}

/// `{"code", "kind", "message", "http_status"}`, the message in English.
pub fn json_error(err: &ApiError) -> Value {
    json!({
            "code": err.code(),
            "kind": err.kind(),
            // Scripts read the same bytes whatever the reader's language.
            "message": i18n::scoped(Lang::En, || err.to_string()),
            "http_status": err.http_status(),
    })
}

const LABEL: usize = 11;
const COLUMN: usize = 10;

/// The compact aligned report `get` prints for one item.
pub fn human_ok(fetched: &Fetched, style: NumberStyle, now: DateTime<Utc>) -> String {
    let r: &Report = &fetched.report;
    let a = &r.author;
    let v = &r.video;
    let q = r.ratios();
    let mut out = String::new();
    let mut header = format!("{} · {}", r.item_id, format::clean(r.display_title()));
    if fetched.from_cache {
        let ago = format::ago(fetched.fetched_at, now);
        header.push_str(&t!("cli-get-cached", ago = ago));
    }
    out.push_str(&header);
    out.push('\n');

    let mut creator = a.name.clone().unwrap_or_else(|| "—".into());
    let details: Vec<String> = [
        a.city.clone().filter(|c| !c.is_empty()),
        Some(format::gender(a.gender)).filter(|g| g != "—"),
        (a.is_star == Some(1)).then(|| t!("cli-get-star")),
    ]
    .into_iter()
    .flatten()
    .collect();
    if !details.is_empty() {
        creator.push_str(&format!(" ({})", details.join(" · ")));
    }
    line(&mut out, &t!("cli-get-creator"), &creator);
    line(
        &mut out,
        &t!("cli-get-followers"),
        &a.follower.map_or("—".into(), |f| {
            format!("{} ({})", format::count(f, style), format::grouped(f))
        }),
    );
    let tags: Vec<String> = a
        .content_tags
        .iter()
        .map(ContentTag::to_string)
        .chain(a.industry_tags.iter().cloned())
        .collect();
    if !tags.is_empty() {
        line(&mut out, &t!("cli-get-tags"), &tags.join("; "));
    }
    let published = v
        .create_time
        .map_or("—".into(), |t| format::local_time(t, format::Zone::Local));
    let duration = v.duration.map_or("—".into(), format::duration_secs);
    line(
        &mut out,
        &t!("cli-get-published"),
        &t!(
            "cli-get-duration",
            published = published,
            duration = duration
        ),
    );

    let counts = [
        v.vv_cnt,
        v.like_cnt,
        v.comment_cnt,
        v.share_cnt,
        v.collect_cnt,
    ];
    let rates = [
        None,
        q.like_rate,
        q.comment_rate,
        q.share_rate,
        q.collect_rate,
    ];
    grid(
        &mut out,
        counts.map(|c| opt_count(c, style)),
        rates.map(|r| r.map(format::percent).unwrap_or_default()),
    );
    engagement(&mut out, q.interact_rate, q.finish_rate);
    out
}

/// The counts grid of `get`'s report (and `campaign`'s, pooled): views, likes, comments,
/// shares and saves, a row of counts and one of rates.
pub fn grid(out: &mut String, counts: [String; 5], rates: [String; 5]) {
    let heads = [
        t!("cli-report-views"),
        t!("cli-report-likes"),
        t!("cli-report-comments"),
        t!("cli-report-shares"),
        t!("cli-report-saves"),
    ];
    row(out, "", heads.into_iter());
    row(out, &t!("cli-report-count"), counts.into_iter());
    row(out, &t!("cli-report-rate"), rates.into_iter());
}

/// The `Engagement … Completion …` line.
pub fn engagement(out: &mut String, interact_rate: Option<f64>, finish_rate: Option<f64>) {
    line(
        out,
        &t!("cli-report-engagement"),
        &t!(
            "cli-report-completion",
            engagement = opt_percent(interact_rate),
            completion = opt_percent(finish_rate)
        ),
    );
}

pub fn human_err(item_id: &str, err: &ApiError) -> String {
    format!(
        "{}\n",
        t!("cli-get-failed", item = item_id, error = err.to_string())
    )
}

/// One `  Label      value` line of the report.
pub fn line(out: &mut String, label: &str, value: &str) {
    out.push_str("  ");
    out.push_str(&pad_right(label, LABEL));
    out.push_str(&format::clean(value));
    out.push('\n');
}

/// One row of the counts grid: a label, then right-aligned cells.
pub fn row(out: &mut String, label: &str, cells: impl Iterator<Item = String>) {
    let mut text = format!("  {}", pad_right(label, LABEL - COLUMN + 4));
    for cell in cells {
        text.push_str(&pad_left(&cell, COLUMN));
    }
    out.push_str(text.trim_end());
    out.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn example() -> Fetched {
        let envelope: Value =
            serde_json::from_str(include_str!("../assets/demo/item_report_detail_ok.json"))
                .unwrap();
        let data = envelope["data"].clone();
        Fetched {
            report: Arc::new(Report::from_data("7566200471448779514", &data)),
            data: Arc::new(data),
            fetched_at: Utc::now(),
            from_cache: false,
        }
    }

    #[test]
    fn json_uses_api_field_names_and_integer_counts() {
        let v = json_ok("7566200471448779514", &example());
        assert_eq!(v["ok"], true);
        assert_eq!(v["author"]["name"], "好热的黄彬");
        assert_eq!(v["author"]["follower"], 1_588_458);
        assert_eq!(v["author"]["content_tags"]["汽车"][0], "汽车测评");
        assert_eq!(v["video"]["vv_cnt"], 45_275_627);
        assert_eq!(v["video"]["interact_cnt"], 117_718);
        assert!(v["ratios"]["like_rate"].as_f64().unwrap() > 0.00236);
        assert_eq!(v["ratios"]["finish_rate"], 0.0189992082);
    }

    #[test]
    fn human_report_columns_line_up() {
        let text = human_ok(&example(), NumberStyle::Cn, Utc::now());
        assert!(text.contains("4527.6万"), "{text}");
        assert!(text.contains("0.237%"), "{text}");
        let lines: Vec<&str> = text.lines().collect();
        let heads = lines.iter().find(|l| l.contains("Views")).unwrap();
        let counts = lines.iter().find(|l| l.contains("Count")).unwrap();
        assert_eq!(format::width(heads), format::width(counts), "{text}");
    }
}
