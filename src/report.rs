//! The normalized report of one video: what the API's loosely typed `data` object means, with
//! integer counts and the ratios marketers read.
//!
//! Extraction is deliberately forgiving: counts arrive as digit strings or numbers, any
//! sub-object may be missing, a field of an unexpected type is treated as absent rather than
//! failing the whole (already paid for) response, and unknown fields are ignored.

use serde::Serialize;
use serde_json::{Map, Value};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub item_id: String,
    pub author: Author,
    pub video: Video,
}

/// The creator, with the API's field names (they are a contract of `get --json`).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Author {
    pub author_id: Option<String>,
    pub core_user_id: Option<String>,
    pub name: Option<String>,
    pub avatar_uri: Option<String>,
    pub city: Option<String>,
    pub gender: Option<i64>,
    pub follower: Option<u64>,
    /// 1 for a Xingtu creator, as the API sends it.
    pub is_star: Option<i64>,
    pub link_cnt: Option<u64>,
    pub ink_cnt: Option<u64>,
    /// `{category: [subtags]}` in the API; kept in the API's order.
    #[serde(serialize_with = "content_tags_as_map")]
    pub content_tags: Vec<ContentTag>,
    pub industry_tags: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ContentTag {
    pub category: String,
    pub subtags: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Video {
    pub item_id: Option<String>,
    pub video_id: Option<String>,
    pub title: Option<String>,
    pub url: Option<String>,
    /// Unix seconds.
    pub create_time: Option<i64>,
    /// Seconds.
    pub duration: Option<f64>,
    pub vv_cnt: Option<u64>,
    pub like_cnt: Option<u64>,
    pub comment_cnt: Option<u64>,
    pub share_cnt: Option<u64>,
    pub collect_cnt: Option<u64>,
    pub interact_cnt: Option<u64>,
    pub interact_rate: Option<f64>,
    pub finish_rate: Option<f64>,
    pub content_theme_labels: Vec<String>,
    pub head_image_uri: Option<String>,
    pub music_info: Option<Music>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Music {
    pub music_id: Option<String>,
    pub title: Option<String>,
    pub author: Option<String>,
    pub duration: Option<f64>,
}

/// Per-view ratios as fractions (0.0026 = 0.26 %). `None` when views are unknown or zero.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Ratios {
    pub like_rate: Option<f64>,
    pub comment_rate: Option<f64>,
    pub share_rate: Option<f64>,
    pub collect_rate: Option<f64>,
    pub interact_rate: Option<f64>,
    pub finish_rate: Option<f64>,
}

/// `汽车 › 汽车测评, SUV测评`, or just the category.
impl std::fmt::Display for ContentTag {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.subtags.is_empty() {
            f.write_str(&self.category)
        } else {
            write!(f, "{} › {}", self.category, self.subtags.join(", "))
        }
    }
}

impl Report {
    /// Builds a report from the envelope's `data` value. `requested` is the id that was asked
    /// for; it names the report even when the response omits `video_info.item_id`.
    pub fn from_data(requested: &str, data: &Value) -> Report {
        let empty = Map::new();
        let root = data.as_object().unwrap_or(&empty);
        let author = root
            .get("author_info")
            .and_then(Value::as_object)
            .map(author_from)
            .unwrap_or_default();
        let video = root
            .get("video_info")
            .and_then(Value::as_object)
            .map(video_from)
            .unwrap_or_default();
        Report {
            item_id: requested.to_owned(),
            author,
            video,
        }
    }

    /// The interaction count, derived from its parts when the API left it out
    /// (`interact_cnt = like + comment + share`; saves are not part of it).
    pub fn interactions(&self) -> Option<u64> {
        let v = &self.video;
        v.interact_cnt.or_else(|| {
            Some(
                v.like_cnt?
                    .saturating_add(v.comment_cnt?)
                    .saturating_add(v.share_cnt?),
            )
        })
    }

    pub fn ratios(&self) -> Ratios {
        let v = &self.video;
        let per_view = |count: Option<u64>| per_view(count, v.vv_cnt);
        Ratios {
            like_rate: per_view(v.like_cnt),
            comment_rate: per_view(v.comment_cnt),
            share_rate: per_view(v.share_cnt),
            collect_rate: per_view(v.collect_cnt),
            // The API's own interact_rate is rounded to 4 places; recompute when possible.
            interact_rate: per_view(self.interactions()).or(v.interact_rate),
            finish_rate: v.finish_rate,
        }
    }

    /// The best one-line name for the video: its title, or its id.
    pub fn display_title(&self) -> &str {
        self.video
            .title
            .as_deref()
            .filter(|t| !t.trim().is_empty())
            .unwrap_or(&self.item_id)
    }
}

const AUTHOR_KEYS: [&str; 12] = [
    "author_id",
    "core_user_id",
    "name",
    "avatar_uri",
    "city",
    "gender",
    "follower",
    "is_star",
    "link_cnt",
    "ink_cnt",
    "content_tags",
    "industry_tags",
];
const VIDEO_KEYS: [&str; 17] = [
    "item_id",
    "video_id",
    "title",
    "url",
    "create_time",
    "duration",
    "vv_cnt",
    "like_cnt",
    "comment_cnt",
    "share_cnt",
    "collect_cnt",
    "interact_cnt",
    "interact_rate",
    "finish_rate",
    "content_theme_labels",
    "head_image_uri",
    "music_info",
];
const MUSIC_KEYS: [&str; 4] = ["music_id", "title", "author", "duration"];

/// The part of a `data` object that a report is built from, in the API's own shape: what
/// the response cache keeps, so 1,000 cached items stay small (music cover URLs, play URLs
/// and the like are dropped). `Report::from_data` gives the same report from either.
pub fn essential(data: &Value) -> Value {
    fn keep(v: Option<&Value>, keys: &[&str]) -> Option<Value> {
        let o = v?.as_object()?;
        Some(Value::Object(
            keys.iter()
                .filter_map(|k| o.get(*k).map(|v| ((*k).to_owned(), v.clone())))
                .collect(),
        ))
    }
    let mut out = Map::new();
    if let Some(author) = keep(data.get("author_info"), &AUTHOR_KEYS) {
        out.insert("author_info".into(), author);
    }
    if let Some(mut video) = keep(data.get("video_info"), &VIDEO_KEYS) {
        if let Some(music) = video
            .get("music_info")
            .and_then(|m| keep(Some(m), &MUSIC_KEYS))
        {
            video["music_info"] = music;
        }
        out.insert("video_info".into(), video);
    }
    Value::Object(out)
}

/// A count per view as a fraction; `None` when either is unknown or there are no views yet.
pub fn per_view(count: Option<u64>, views: Option<u64>) -> Option<f64> {
    match (count, views) {
        (Some(c), Some(v)) if v > 0 => Some(c as f64 / v as f64),
        _ => None,
    }
}

/// Written back in the API's own shape, `{category: [subtags]}`.
fn content_tags_as_map<S: serde::Serializer>(tags: &[ContentTag], s: S) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let mut map = s.serialize_map(Some(tags.len()))?;
    for tag in tags {
        map.serialize_entry(&tag.category, &tag.subtags)?;
    }
    map.end()
}

fn author_from(o: &Map<String, Value>) -> Author {
    Author {
        author_id: text(o, "author_id"),
        core_user_id: text(o, "core_user_id"),
        name: text(o, "name"),
        avatar_uri: text(o, "avatar_uri"),
        city: text(o, "city"),
        gender: int(o, "gender"),
        follower: count(o, "follower"),
        is_star: int(o, "is_star"),
        link_cnt: count(o, "link_cnt"),
        ink_cnt: count(o, "ink_cnt"),
        content_tags: content_tags(o.get("content_tags")),
        industry_tags: strings(o.get("industry_tags")),
    }
}

fn video_from(o: &Map<String, Value>) -> Video {
    Video {
        item_id: text(o, "item_id"),
        video_id: text(o, "video_id"),
        title: text(o, "title"),
        url: text(o, "url"),
        create_time: int(o, "create_time"),
        duration: float(o, "duration"),
        vv_cnt: count(o, "vv_cnt"),
        like_cnt: count(o, "like_cnt"),
        comment_cnt: count(o, "comment_cnt"),
        share_cnt: count(o, "share_cnt"),
        collect_cnt: count(o, "collect_cnt"),
        interact_cnt: count(o, "interact_cnt"),
        interact_rate: float(o, "interact_rate"),
        finish_rate: float(o, "finish_rate"),
        content_theme_labels: strings(o.get("content_theme_labels")),
        head_image_uri: text(o, "head_image_uri"),
        music_info: o
            .get("music_info")
            .and_then(Value::as_object)
            .map(|m| Music {
                music_id: text(m, "music_id"),
                title: text(m, "title"),
                author: text(m, "author"),
                duration: float(m, "duration"),
            }),
    }
}

/// A string field; numbers are accepted too since ids sometimes arrive unquoted.
fn text(o: &Map<String, Value>, key: &str) -> Option<String> {
    match o.get(key)? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A non-negative count: a number, or a string of digits (possibly with a fraction, which
/// the API never sends but which should not lose the whole value).
fn count(o: &Map<String, Value>, key: &str) -> Option<u64> {
    match o.get(key)? {
        Value::Number(n) => n
            .as_u64()
            .or_else(|| n.as_f64().filter(|f| *f >= 0.0).map(|f| f.round() as u64)),
        Value::String(s) => {
            let s = s.trim();
            s.parse::<u64>().ok().or_else(|| {
                s.parse::<f64>()
                    .ok()
                    .filter(|f| f.is_finite() && *f >= 0.0)
                    .map(|f| f.round() as u64)
            })
        }
        _ => None,
    }
}

fn int(o: &Map<String, Value>, key: &str) -> Option<i64> {
    match o.get(key)? {
        Value::Number(n) => n.as_i64().or_else(|| n.as_f64().map(|f| f as i64)),
        Value::String(s) => s.trim().parse().ok(),
        Value::Bool(b) => Some(i64::from(*b)),
        _ => None,
    }
}

fn float(o: &Map<String, Value>, key: &str) -> Option<f64> {
    match o.get(key)? {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse::<f64>().ok(),
        _ => None,
    }
    .filter(|f| f.is_finite())
}

fn strings(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .filter_map(|i| i.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

fn content_tags(v: Option<&Value>) -> Vec<ContentTag> {
    match v {
        Some(Value::Object(map)) => map
            .iter()
            .map(|(category, subtags)| ContentTag {
                category: category.clone(),
                subtags: strings(Some(subtags)),
            })
            .collect(),
        // Seen in other Xingtu endpoints: a flat list of tag names.
        Some(Value::Array(_)) => strings(v)
            .into_iter()
            .map(|category| ContentTag {
                category,
                subtags: Vec::new(),
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// Published more than `days` days before `now`: settled. Xingtu stops updating a video's
/// post-campaign figures 45 days after publication, so refreshing it later buys nothing new.
pub fn is_settled(
    published: chrono::DateTime<chrono::Utc>,
    days: u32,
    now: chrono::DateTime<chrono::Utc>,
) -> bool {
    now - published > chrono::Duration::days(i64::from(days))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn example() -> Value {
        let text = include_str!("../assets/demo/item_report_detail_ok.json");
        let envelope: Value = serde_json::from_str(text).unwrap();
        envelope["data"].clone()
    }

    #[test]
    fn reads_the_providers_example() {
        let r = Report::from_data("7566200471448779514", &example());
        assert_eq!(r.author.name.as_deref(), Some("好热的黄彬"));
        assert_eq!(r.author.follower, Some(1_588_458));
        assert_eq!(r.author.is_star, Some(1));
        assert_eq!(r.author.content_tags[0].category, "汽车");
        assert_eq!(r.author.content_tags[0].subtags, ["汽车测评"]);
        assert_eq!(r.video.vv_cnt, Some(45_275_627));
        assert_eq!(r.video.like_cnt, Some(107_089));
        assert_eq!(r.video.create_time, Some(1_761_648_197));
        assert_eq!(r.video.duration, Some(165.9));
        assert_eq!(
            r.video.music_info.as_ref().and_then(|m| m.duration),
            Some(165.0)
        );
        assert_eq!(r.interactions(), Some(117_718));
    }

    #[test]
    fn ratios_are_per_view_fractions() {
        let r = Report::from_data("1", &example());
        let q = r.ratios();
        let close = |a: Option<f64>, b: f64| (a.unwrap() - b).abs() < 1e-9;
        assert!(close(q.like_rate, 107_089.0 / 45_275_627.0));
        assert!(close(q.comment_rate, 2_686.0 / 45_275_627.0));
        assert!(close(q.share_rate, 7_943.0 / 45_275_627.0));
        assert!(close(q.collect_rate, 10_595.0 / 45_275_627.0));
        assert!(close(q.interact_rate, 117_718.0 / 45_275_627.0));
        assert!(close(q.finish_rate, 0.0189992082));
    }

    #[test]
    fn counts_as_numbers_or_strings() {
        let data = json!({"video_info": {
            "vv_cnt": 1000, "like_cnt": "10", "comment_cnt": 2.0, "share_cnt": " 3 ",
            "collect_cnt": "4.0", "interact_cnt": null, "finish_rate": "0.5", "create_time": 1761648197
        }});
        let r = Report::from_data("1", &data);
        assert_eq!(r.video.vv_cnt, Some(1000));
        assert_eq!(r.video.like_cnt, Some(10));
        assert_eq!(r.video.comment_cnt, Some(2));
        assert_eq!(r.video.share_cnt, Some(3));
        assert_eq!(r.video.collect_cnt, Some(4));
        assert_eq!(r.video.interact_cnt, None);
        assert_eq!(r.interactions(), Some(15));
        assert_eq!(r.ratios().interact_rate, Some(0.015));
        assert_eq!(r.video.finish_rate, Some(0.5));
    }

    #[test]
    fn wrong_types_and_missing_objects_are_absent_not_fatal() {
        let data = json!({"author_info": "oops", "video_info": {
            "vv_cnt": {"nested": 1}, "like_cnt": [1], "title": 42, "unknown_new_field": true,
            "content_theme_labels": "not a list", "music_info": null
        }});
        let r = Report::from_data("42", &data);
        assert_eq!(r.author, Author::default());
        assert_eq!(r.video.vv_cnt, None);
        assert_eq!(r.video.like_cnt, None);
        assert_eq!(r.video.title.as_deref(), Some("42"));
        assert!(r.video.content_theme_labels.is_empty());
        assert_eq!(r.video.music_info, None);
        assert_eq!(r.ratios(), Ratios::default());

        let r = Report::from_data("42", &json!(null));
        assert_eq!(r.item_id, "42");
        assert_eq!(r.display_title(), "42");
    }

    #[test]
    fn the_essential_part_gives_the_same_report() {
        let full = example();
        let small = essential(&full);
        assert_eq!(
            Report::from_data("1", &full),
            Report::from_data("1", &small)
        );
        assert!(small.to_string().len() * 4 < full.to_string().len() * 3);
        assert_eq!(essential(&json!(null)), json!({}));
    }

    #[test]
    fn zero_views_give_no_ratios_instead_of_infinity() {
        let data = json!({"video_info": {"vv_cnt": "0", "like_cnt": "5"}});
        let r = Report::from_data("1", &data);
        assert_eq!(r.ratios().like_rate, None);
    }

    #[test]
    fn negative_or_huge_counts_do_not_wrap() {
        let data = json!({"video_info": {"vv_cnt": -5, "like_cnt": "-3", "comment_cnt": "18446744073709551615", "share_cnt": 1}});
        let r = Report::from_data("1", &data);
        assert_eq!(r.video.vv_cnt, None);
        assert_eq!(r.video.like_cnt, None);
        assert_eq!(r.video.comment_cnt, Some(u64::MAX));
    }
}
