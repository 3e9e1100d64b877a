//! A process that uploads one file to the Next Cap CRM with the SDK's
//! `client.attachments().upload(path)` (a direct, streamed multipart upload) and prints its own
//! peak RSS and how long the upload took. The attachment benchmark runs it as a child, against
//! the mock in another child, so only the SDK's memory is counted.
//!
//! Usage: `upload-probe BASE_URL KEY PATH` -> prints `peak_rss_kib=<n> bytes=<n> secs=<f>`.
//! The attachment is deleted afterwards, because the mock keeps uploads in memory.

use std::time::Instant;

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(base), Some(key), Some(path)) = (args.next(), args.next(), args.next()) else {
        eprintln!("usage: upload-probe BASE_URL KEY PATH");
        std::process::exit(2);
    };
    let size = std::fs::metadata(&path).unwrap_or_else(|e| fail(&format!("cannot read {path}: {e}"))).len();
    let client = deskapi::NextCapCrmClient::builder(key).base_url(base).build().expect("client");
    let started = Instant::now();
    // The limit is raised to the file's size: the mock was started with a larger one.
    let uploaded = client.attachments().upload(&path).max_bytes(size).send().await;
    let secs = started.elapsed().as_secs_f64();
    let uploaded = uploaded.unwrap_or_else(|e| fail(&format!("upload failed: {e}")));
    if uploaded.size != size {
        fail(&format!("the server stored {} bytes of {size}", uploaded.size));
    }
    if let Err(e) = client.attachments().delete(uploaded.id).await {
        fail(&format!("delete failed: {e}"));
    }
    let rss = deskapi_bench::peak_rss_kib().unwrap_or(0);
    println!("peak_rss_kib={rss} bytes={size} secs={secs}");
}

fn fail(message: &str) -> ! {
    eprintln!("{message}");
    std::process::exit(1);
}
