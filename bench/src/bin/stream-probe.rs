//! A process that streams N Next Cap leads with the SDK's default `.stream()` and prints its
//! own peak RSS. The memory benchmark runs it as a child so the mock's memory is not counted.
//!
//! Usage: `stream-probe BASE_URL KEY COUNT` -> prints `peak_rss_kib=<n> items=<n>`.

use futures::TryStreamExt;

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(base), Some(key), Some(count)) = (args.next(), args.next(), args.next()) else {
        eprintln!("usage: stream-probe BASE_URL KEY COUNT");
        std::process::exit(2);
    };
    let count: usize = count.parse().expect("COUNT is a number");
    let client = deskapi::NextCapDataClient::builder(key).base_url(base).build().expect("client");
    let mut stream = client.leads().list().per_page(100).stream();
    let mut seen = 0usize;
    let mut checksum = 0usize;
    while seen < count {
        match stream.try_next().await {
            Ok(Some(lead)) => {
                // Touch every item so none is optimised away.
                checksum = checksum.wrapping_add(lead.id.as_str().len());
                seen += 1;
            }
            Ok(None) => break,
            Err(e) => {
                eprintln!("stream failed: {e}");
                std::process::exit(1);
            }
        }
    }
    drop(stream);
    let rss = deskapi_bench::peak_rss_kib().unwrap_or(0);
    println!("peak_rss_kib={rss} items={seen} checksum={checksum}");
}
