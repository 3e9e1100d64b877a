//! The mock server's speed.
//! - `mock_rps_vs_wiremock`: requests per second of the mock serving
//!   `GET /nextcap/api/v1/external/leads?per_page=20` (auth and journal on, rate limit off)
//!   against a wiremock-rs server returning a static body of the same size; the same load
//!   generator for both (32 keep-alive HTTP/1.1 connections on hyper's connection-level client,
//!   all on the benchmark's one thread). Interleaved trials after a warm-up; the headline is the
//!   mock's median trial over wiremock's best trial. Each server runs on a thread of its own, as
//!   wiremock always does ([`serve_on_own_thread`]). A trial is [`ROUNDS`] slices of [`SLICE`]
//!   spread over the run, about 15 s apart (see [`Slice`]); its rate is the requests of its
//!   slices over their seconds. `mock_rps_per_slice` / `wiremock_rps_per_slice` (report only)
//!   give every slice's rate in the order run, warm-up dropped, in their `_trials` arrays.
//! - `mock_server_cpu_us_per_request` / `wiremock_server_cpu_us_per_request`: CPU time of each
//!   server's thread per request served, per trial (summed over its slices like the rate).
//!   Background load on the machine moves these much less than request rates, though a slower
//!   state of the machine raises them too; they say which server does more work per request.
//!   `load_cpu_us_per_mock_request` / `load_cpu_us_per_wiremock_request`: the same for the load
//!   generator (every other thread of the process), which says whether one server's answers
//!   are cheaper for the client to read.
//! - `mock_start_ms_median`: time from `MockServer::start()` to the first successful request,
//!   with the default seed, the server and its client on one thread as in a `#[tokio::test]`:
//!   what every test after the first in a test binary pays, since a process builds the
//!   fixtures of each small `(seed, leads)` once and shares them.
//! - `mock_start_uncached_ms_median` (report only): the same with a seed not seen before, so the
//!   fixtures are built: what the first server of a process pays.

use std::cell::RefCell;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use deskapi_bench::{
    Metric, Spread, Stat, current_thread_id, interleave, ms, ratio, report, thread_cpu_ns, thread_ids,
};
use deskapi_mock::{MockServer, MockServerBuilder, RateLimitSetting};

const CONNECTIONS: usize = 32;
/// The length of one slice of a trial.
const SLICE: Duration = Duration::from_secs(1);
/// Slices per trial, taken one per round: round `r` runs slice `r` of every trial.
const ROUNDS: usize = 4;
// With an odd number of trials and an even number of rounds, each trial goes first (before the
// other side's trial of the same number) in half of its rounds: `interleave` alternates who
// goes first from one slice to the next.
const _: () = assert!(!TRIALS.is_multiple_of(2) && ROUNDS.is_multiple_of(2));
/// Warm-up slices of each side, dropped. wiremock's rate climbs over its first seconds of
/// load (measured after a warm-up of 2 slices: its first measured slices rose from 68,000 to
/// 73,000 requests/s over about six slices while the mock's stayed flat), so the warm-up is
/// 8 s of load per side, longer than that climb.
const WARMUP: usize = 8;
/// Trials per side.
const TRIALS: usize = 7;
const STARTS: usize = 30;

/// Requests completed, and the seconds taken, over one slice of `SLICE` with `CONNECTIONS`
/// requests in flight: one keep-alive HTTP/1.1 connection per task, driven by hyper's
/// connection-level client (no pool, no redirect or header policies), so that as much of the
/// two cores as possible is left to the server under test. Each task drives its connection
/// and its requests together (a connection future in a task of its own costs a hand-off
/// between two tasks per request), and every response's body is read whole, frame by frame,
/// without gathering it.
async fn load(url: &str, key: &str) -> (u64, f64) {
    let uri: hyper::Uri = url.parse().expect("URL");
    let authority = uri.authority().expect("host and port").clone();
    let target = uri.path_and_query().map_or("/", |p| p.as_str()).to_owned();
    let done = Arc::new(AtomicU64::new(0));
    let deadline = Instant::now() + SLICE;
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..CONNECTIONS {
        let (authority, target, key, done) = (authority.clone(), target.clone(), key.to_owned(), done.clone());
        tasks.push(tokio::spawn(async move {
            let stream = tokio::net::TcpStream::connect(authority.as_str()).await.expect("connect");
            stream.set_nodelay(true).expect("nodelay");
            let (mut sender, connection) =
                hyper::client::conn::http1::handshake(hyper_util::rt::TokioIo::new(stream)).await.expect("handshake");
            let requests = async move {
                while Instant::now() < deadline {
                    let request = hyper::Request::get(target.as_str())
                        .header(hyper::header::HOST, authority.as_str())
                        .header("x-api-key", key.as_str())
                        .body(http_body_util::Empty::<hyper::body::Bytes>::new())
                        .expect("request");
                    let response = sender.send_request(request).await.expect("response");
                    assert!(response.status().is_success(), "status {}", response.status());
                    let mut body = response.into_body();
                    while let Some(frame) = http_body_util::BodyExt::frame(&mut body).await {
                        frame.expect("body");
                    }
                    done.fetch_add(1, Ordering::Relaxed);
                }
                // Dropping the sender here lets the connection future finish.
            };
            let (connection, ()) = futures::future::join(connection, requests).await;
            connection.expect("connection");
        }));
    }
    for t in tasks {
        t.await.expect("load task");
    }
    (done.load(Ordering::Relaxed), started.elapsed().as_secs_f64())
}

/// Starts the mock the way wiremock-rs starts itself: on a thread of its own, driven by a
/// single-threaded runtime that does nothing else; returns the handle and that thread's id.
/// Started on the benchmark's runtime instead, the mock would share two worker threads with
/// the 32 client tasks while wiremock's server has a thread to itself, and the figure would
/// compare where the servers run rather than what they do.
fn serve_on_own_thread(builder: MockServerBuilder) -> (MockServer, Option<u32>) {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
        runtime.block_on(async move {
            let mock = builder.start().await.expect("mock starts");
            tx.send((mock, current_thread_id())).expect("hand over the mock");
            // Keep driving the server until the process ends, as wiremock's thread does.
            std::future::pending::<()>().await;
        });
    });
    rx.recv().expect("the mock's thread started it")
}

// The load generator runs on this one thread, as each server runs on one of its own: on two
// cores, the generator and the server under test can then each have a core, and a
// multi-threaded runtime's hand-offs between its workers do not compete with the server
// (measured side by side: 11.3-13.1 us of the generator's CPU per request on two workers,
// 9.8-11.8 us on one thread).
#[tokio::main(flavor = "current_thread")]
async fn main() {
    let client = reqwest::Client::builder().pool_max_idle_per_host(CONNECTIONS).build().expect("client");

    let (mock, mock_thread) = serve_on_own_thread(MockServer::builder().rate_limit(RateLimitSetting::Off));
    let key = mock.keys().nextcap_data.clone();
    let mock_url = format!("{}/external/leads?per_page=20", mock.nextcap_url());
    let body = client.get(&mock_url).header("x-api-key", &key).send().await.unwrap().bytes().await.unwrap();

    let threads_before = thread_ids();
    let wire = wiremock::MockServer::start().await;
    // wiremock's server is the one thread its start added.
    let new_threads: Vec<u32> = thread_ids().into_iter().filter(|t| !threads_before.contains(t)).collect();
    let wire_thread = if let [one] = new_threads[..] { Some(one) } else { None };
    let mount = || {
        wiremock::Mock::given(wiremock::matchers::method("GET"))
            .and(wiremock::matchers::path("/nextcap/api/v1/external/leads"))
            .respond_with(wiremock::ResponseTemplate::new(200).set_body_raw(body.to_vec(), "application/json"))
            .mount(&wire)
    };
    mount().await;
    let wire_url = format!("{}/nextcap/api/v1/external/leads?per_page=20", wire.uri());

    let (mock_slices, wire_slices) = (RefCell::new(Vec::new()), RefCell::new(Vec::new()));
    let servers: Vec<u32> = mock_thread.into_iter().chain(wire_thread).collect();
    interleave(
        WARMUP,
        TRIALS * ROUNDS,
        || async {
            let slice = Slice::run(&mock_url, &key, mock_thread, &servers).await;
            mock_slices.borrow_mut().push(slice);
            // The journal is on (as asked); empty it after each slice so slices stay comparable.
            mock.clear_requests();
            slice.rate()
        },
        || async {
            let slice = Slice::run(&wire_url, &key, wire_thread, &servers).await;
            wire_slices.borrow_mut().push(slice);
            // wiremock records every request too; empty its records the same way. Its only way
            // to do so also removes the mounted response, so mount it again.
            wire.reset().await;
            mount().await;
            slice.rate()
        },
    )
    .await;
    drop(mock);
    drop(wire);
    let (mock_slices, wire_slices) = (mock_slices.into_inner(), wire_slices.into_inner());
    let mock_trials = Slice::trials(&mock_slices[WARMUP..]);
    let wire_trials = Slice::trials(&wire_slices[WARMUP..]);
    let rates = |t: &[Slice]| t.iter().map(Slice::rate).collect::<Vec<_>>();
    let (mock_rps, wire_rps) = (rates(&mock_trials), rates(&wire_trials));
    let (mock_rps_per_slice, wire_rps_per_slice) = (rates(&mock_slices[WARMUP..]), rates(&wire_slices[WARMUP..]));

    let mut starts = Vec::new();
    let mut uncached = Vec::new();
    for i in 0..STARTS {
        starts.push(start_to_first_response(&client, MockServer::builder()).await);
        // Seeds no other server of this process used, so nothing is shared.
        uncached.push(start_to_first_response(&client, MockServer::builder().seed(1_000 + i as u64)).await);
    }

    let (vs_wiremock, paired) = ratio(&mock_rps, Stat::Median, &wire_rps, Stat::Max);
    let mut metrics = vec![
        Metric::goal("mock_rps_vs_wiremock", vs_wiremock, ">=", 1.0).with_spread(paired),
        Metric::median_of("mock_rps", &mock_rps),
        Metric::median_of("wiremock_rps", &wire_rps),
        Metric::median_of("mock_rps_per_slice", &mock_rps_per_slice),
        Metric::median_of("wiremock_rps_per_slice", &wire_rps_per_slice),
    ];
    let per_request = |t: &[Slice], cpu: fn(&Slice) -> Option<u64>| -> Option<Vec<f64>> {
        t.iter().map(|t| Some(cpu(t)? as f64 / 1_000.0 / t.requests.max(1) as f64)).collect()
    };
    if let (Some(mock_load), Some(wire_load)) =
        (per_request(&mock_trials, |t| t.load_ns), per_request(&wire_trials, |t| t.load_ns))
    {
        metrics.push(Metric::median_of("load_cpu_us_per_mock_request", &mock_load));
        metrics.push(Metric::median_of("load_cpu_us_per_wiremock_request", &wire_load));
    } else {
        eprintln!("the load generator's CPU time not readable; its figures left out");
    }
    if let (Some(mock_cpu), Some(wire_cpu)) =
        (per_request(&mock_trials, |t| t.server_ns), per_request(&wire_trials, |t| t.server_ns))
    {
        let (mock_cpu, wire_cpu) = (&mock_cpu[..], &wire_cpu[..]);
        // Lower is better: the mock's median against wiremock's cheapest trial.
        let (cpu_ratio, cpu_paired) = ratio(mock_cpu, Stat::Median, wire_cpu, Stat::Min);
        metrics.push(Metric::info("mock_cpu_per_request_vs_wiremock", cpu_ratio).with_spread(cpu_paired));
        metrics.push(Metric::median_of("mock_server_cpu_us_per_request", mock_cpu));
        metrics.push(Metric::median_of("wiremock_server_cpu_us_per_request", wire_cpu));
    } else {
        eprintln!("server threads' CPU time not readable; CPU figures left out");
    }
    let start = Spread::of(&starts);
    metrics.extend([
        Metric::info("response_bytes", body.len() as f64),
        Metric::goal("mock_start_ms_median", start.median, "<=", 5.0),
        Metric::median_of("mock_start_ms", &starts),
        Metric::median_of("mock_start_uncached_ms", &uncached),
    ]);
    report("mock_speed", &metrics);
}

/// Milliseconds from starting `builder` to the end of the first successful response.
async fn start_to_first_response(client: &reqwest::Client, builder: MockServerBuilder) -> f64 {
    let s = Instant::now();
    let server = builder.start().await.expect("mock starts");
    let url = format!("{}/external/leads", server.nextcap_url());
    let resp = client.get(&url).header("x-api-key", &server.keys().nextcap_data).send().await.expect("first request");
    assert!(resp.status().is_success());
    resp.bytes().await.expect("body");
    ms(s.elapsed())
}

/// What one slice measured: a stretch of `SLICE` of load against one server, or the sum of the
/// [`ROUNDS`] slices that make a trial.
///
/// Why slices: on this shared machine, both servers' CPU time per request (and the load
/// generator's) moves between a fast and a slow state, in stretches from a few seconds to about
/// a minute (measured: the same server at 10.5 and at 12.6 us per request in one run). A trial
/// of a few seconds in one piece lands mostly in one state or the other, so the headline, which
/// sets the mock's median trial against wiremock's single best, said more about which server
/// had the luckier stretch than about the servers. Made of slices
/// spread over the run (round `r` runs slice `r` of every trial, the two sides interleaved as
/// in [`interleave`]), a trial takes four samples about 15 s apart, so one side's trials differ
/// mostly by the noise of one second, not by which state of the machine they ran in. Each side
/// still gets 28 s of measured load, as with seven trials of 4 s.
#[derive(Clone, Copy, Default)]
struct Slice {
    /// Responses read whole.
    requests: u64,
    /// Wall-clock seconds from the first connect to the last response (a little over `SLICE`:
    /// the 32 connects, and the requests in flight at the deadline).
    secs: f64,
    /// CPU nanoseconds of the server's thread, when readable.
    server_ns: Option<u64>,
    /// CPU nanoseconds of the load generator (every thread of the process but the servers').
    load_ns: Option<u64>,
}

impl Slice {
    /// One slice against `url`, with the CPU time of `thread` (the server under test) and of
    /// the load generator, when readable.
    async fn run(url: &str, key: &str, thread: Option<u32>, servers: &[u32]) -> Slice {
        let before = (thread.and_then(thread_cpu_ns), others_cpu_ns(servers));
        let (requests, secs) = load(url, key).await;
        let after = (thread.and_then(thread_cpu_ns), others_cpu_ns(servers));
        let spent = |b: Option<u64>, a: Option<u64>| Some(a?.saturating_sub(b?));
        Slice { requests, secs, server_ns: spent(before.0, after.0), load_ns: spent(before.1, after.1) }
    }

    /// Requests per second.
    fn rate(&self) -> f64 {
        self.requests as f64 / self.secs
    }

    /// The `TRIALS` trials of one side from its slices in the order they ran (warm-up dropped):
    /// slice `i` belongs to trial `i % TRIALS`.
    fn trials(slices: &[Slice]) -> Vec<Slice> {
        assert_eq!(slices.len(), TRIALS * ROUNDS, "one slice per trial and round");
        let mut trials = vec![Slice { server_ns: Some(0), load_ns: Some(0), ..Slice::default() }; TRIALS];
        for (i, s) in slices.iter().enumerate() {
            let t = &mut trials[i % TRIALS];
            t.requests += s.requests;
            t.secs += s.secs;
            t.server_ns = t.server_ns.zip(s.server_ns).map(|(a, b)| a + b);
            t.load_ns = t.load_ns.zip(s.load_ns).map(|(a, b)| a + b);
        }
        trials
    }
}

/// Nanoseconds of CPU all threads of this process but `servers` have run.
fn others_cpu_ns(servers: &[u32]) -> Option<u64> {
    thread_ids().into_iter().filter(|t| !servers.contains(t)).map(thread_cpu_ns).sum()
}
