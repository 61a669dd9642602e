//! What every benchmark starts from: the release binary it measures, and the fake API it
//! calls (the provider's example answer after a set latency).

use std::path::{Path, PathBuf};
use std::time::Duration;

use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

pub const ENDPOINT: &str = "/api/douyin-xingtu/gw/api/data_sp/item_report_detail/v1";

/// The release binary, or `None` after saying (as `bench`) how to build it.
pub fn release_binary(bench: &str) -> Option<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let target =
        std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from);
    let binary = target.join("release/xingtu-dash");
    if binary.is_file() {
        return Some(binary);
    }
    println!(
        "{bench}: {} not found: run `cargo build --release` first (benches/run.sh does)",
        binary.display()
    );
    None
}

/// The endpoint answering every call with the provider's example report after `latency`.
pub async fn fake_api(latency: Duration) -> MockServer {
    let server = MockServer::start().await;
    let body: serde_json::Value = serde_json::from_str(include_str!(
        "../../tests/fixtures/item_report_detail_ok.json"
    ))
    .expect("the example envelope");
    Mock::given(method("GET"))
        .and(path(ENDPOINT))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(body)
                .set_delay(latency),
        )
        .mount(&server)
        .await;
    server
}

pub fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}
