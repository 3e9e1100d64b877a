//! `attachment_upload_peak_rss_ratio`: peak RSS of a process uploading a 200 MB file through
//! the SDK (`client.attachments().upload(path)`) divided by one uploading 20 MB. An upload must
//! stream the file from disk, so ten times the bytes must not mean ten times the memory
//! (goal <= 1.3). `attachment_upload_mb_s` is the 200 MB upload's throughput (report only).
//!
//! Three processes: this one writes the files and runs the trials; the mock is the standalone
//! binary (`deskapi-mock-standalone`, the mock's `main.rs`) started with a 300 MiB attachment
//! limit; each upload is a child process (`upload-probe`) that reports its own `VmHWM`. So the
//! mock's copy of the bytes is never counted against the SDK. Both sides are the SDK: the
//! headline is the ratio of the medians of interleaved trials, with the spread of the
//! back-to-back ratios.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;

use deskapi_bench::{Metric, Stat, interleave, ratio, report};

const WARMUP: usize = 1;
const TRIALS: usize = 5;
const BIG: u64 = 200_000_000;
const SMALL: u64 = 20_000_000;
/// The mock's attachment limit: above the big file (the default is 50 MiB).
const MOCK_LIMIT: u64 = 300 * 1024 * 1024;

/// The standalone mock, killed when dropped (also when a trial panics).
struct Mock {
    child: Child,
    url: String,
}

impl Mock {
    fn start() -> Mock {
        let mut child = Command::new(env!("CARGO_BIN_EXE_deskapi-mock-standalone"))
            .args(["--port", "0", "--rate-limit", "off", "--attachment-max-bytes", &MOCK_LIMIT.to_string()])
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start deskapi-mock-standalone");
        let stdout = child.stdout.take().expect("piped stdout");
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line).expect("read the mock's first line");
        let url =
            line.trim().strip_prefix("listening on ").unwrap_or_else(|| panic!("unexpected: {line:?}")).to_owned();
        Mock { child, url }
    }
}

impl Drop for Mock {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An active Enterprise CRM key with upload rights (`tickets:reply`), from the mock's key list.
async fn crm_key(mock_url: &str) -> String {
    let body = reqwest::get(format!("{mock_url}/__mock/keys"))
        .await
        .expect("GET /__mock/keys")
        .bytes()
        .await
        .expect("the key list");
    let keys: serde_json::Value = serde_json::from_slice(&body).expect("keys JSON");
    let list = keys.as_array().cloned().or_else(|| keys["keys"].as_array().cloned()).expect("a key list");
    let found = list.iter().find(|k| {
        k["key"].as_str().is_some_and(|key| key.starts_with("nextcap_ck_"))
            && k["active"] == true
            && k["plan"].as_str().is_none_or(|p| p == "enterprise")
            && k["permissions"].as_array().is_some_and(|p| p.iter().any(|x| x == "tickets:reply"))
    });
    found.and_then(|k| k["key"].as_str()).expect("an active CRM key that may upload").to_owned()
}

/// A file of `len` bytes (a repeating non-constant pattern), written 1 MiB at a time.
fn write_file(dir: &Path, name: &str, len: u64) -> PathBuf {
    let path = dir.join(name);
    let mut file = std::io::BufWriter::new(std::fs::File::create(&path).expect("create file"));
    let chunk: Vec<u8> = (0..1024 * 1024u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8).collect();
    let mut left = len;
    while left > 0 {
        let n = left.min(chunk.len() as u64) as usize;
        file.write_all(&chunk[..n]).expect("write file");
        left -= n as u64;
    }
    file.flush().expect("flush file");
    path
}

/// One upload in a child process: `(peak RSS in KiB, MB/s)`.
fn probe(base: &str, key: &str, path: &Path, len: u64) -> (f64, f64) {
    let out = Command::new(env!("CARGO_BIN_EXE_upload-probe"))
        .args([base, key, path.to_str().expect("UTF-8 temp path")])
        .output()
        .expect("run upload-probe");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "upload-probe failed: {text} {}", String::from_utf8_lossy(&out.stderr));
    let field = |name: &str| -> f64 {
        text.split_whitespace()
            .find_map(|kv| kv.strip_prefix(name))
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("no {name} in {text}"))
    };
    assert_eq!(field("bytes=") as u64, len, "the probe uploaded another file");
    (field("peak_rss_kib="), len as f64 / 1e6 / field("secs="))
}

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let big = write_file(dir.path(), "big.bin", BIG);
    let small = write_file(dir.path(), "small.bin", SMALL);
    let mock = Mock::start();
    let base = format!("{}/nextcap/api/v1", mock.url);
    let key = crm_key(&mock.url).await;

    let speeds = Mutex::new(Vec::new());
    let run = |path: &PathBuf, len: u64, record_speed: bool| {
        let (base, key, path, speeds) = (base.clone(), key.clone(), path.clone(), &speeds);
        async move {
            let (rss, mb_s) =
                tokio::task::spawn_blocking(move || probe(&base, &key, &path, len)).await.expect("probe ran");
            if record_speed {
                speeds.lock().unwrap_or_else(std::sync::PoisonError::into_inner).push(mb_s);
            }
            rss
        }
    };
    let trials = interleave(WARMUP, TRIALS, || run(&big, BIG, true), || run(&small, SMALL, false)).await;
    drop(mock);
    // The warm-up's speed is dropped like its memory figure.
    let speeds: Vec<f64> = speeds.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner).split_off(WARMUP);
    let (growth, paired) = ratio(&trials.a, Stat::Median, &trials.b, Stat::Median);
    report(
        "attachment_upload",
        &[
            Metric::goal("attachment_upload_peak_rss_ratio", growth, "<=", 1.3).with_spread(paired),
            Metric::median_of("peak_rss_kib_20mb_upload", &trials.b),
            Metric::median_of("peak_rss_kib_200mb_upload", &trials.a),
            Metric::median_of("attachment_upload_mb_s", &speeds),
        ],
    );
}
