//! The mock server's speed.
//! - `mock_rps_vs_wiremock`: requests per second of the mock serving
//!   `GET /nextcap/api/v1/external/leads?per_page=20` (auth and journal on, rate limit off)
//!   against a wiremock-rs server returning a static body of the same size; the same load
//!   generator for both (32 keep-alive HTTP/1.1 connections on hyper's connection-level client).
//!   Interleaved trials after a warm-up; the headline is the mock's median trial over
//!   wiremock's best trial. Each server runs on a thread of its
//!   own, as wiremock always does ([`serve_on_own_thread`]).
//! - `mock_server_cpu_us_per_request` / `wiremock_server_cpu_us_per_request`: CPU time of each
//!   server's thread per request served, per trial. The machine's load moves request rates a
//!   lot and these hardly at all, so they say which server does more work per request.
//! - `mock_start_ms_median`: time from `MockServer::start()` to the first successful request,
//!   with the default seed: what every test after the first in a test binary pays, since a
//!   process builds the fixtures of each small `(seed, leads)` once and shares them.
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
const TRIAL: Duration = Duration::from_secs(4);
const WARMUP: usize = 1;
const TRIALS: usize = 7;
const STARTS: usize = 30;

/// Requests per second, and requests completed, over one trial of `TRIAL` with `CONNECTIONS`
/// requests in flight: one keep-alive HTTP/1.1 connection per task, driven by hyper's
/// connection-level client (no pool, no redirect or header policies), so that as much of the
/// two cores as possible is left to the server under test. Each task drives its connection
/// and its requests together (a connection future in a task of its own costs a hand-off
/// between two tasks per request), and every response's body is read whole, frame by frame,
/// without gathering it.
async fn load(url: &str, key: &str) -> (f64, u64) {
    let uri: hyper::Uri = url.parse().expect("URL");
    let authority = uri.authority().expect("host and port").clone();
    let target = uri.path_and_query().map_or("/", |p| p.as_str()).to_owned();
    let done = Arc::new(AtomicU64::new(0));
    let deadline = Instant::now() + TRIAL;
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
    let requests = done.load(Ordering::Relaxed);
    (requests as f64 / started.elapsed().as_secs_f64(), requests)
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

#[tokio::main]
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

    let (mock_cpu, wire_cpu) = (RefCell::new(TrialCpu::default()), RefCell::new(TrialCpu::default()));
    let servers: Vec<u32> = mock_thread.into_iter().chain(wire_thread).collect();
    let trials = interleave(
        WARMUP,
        TRIALS,
        || async {
            let rps = trial(&mock_url, &key, mock_thread, &servers, &mock_cpu).await;
            // The journal is on (as asked); empty it after each trial so trials stay comparable.
            mock.clear_requests();
            rps
        },
        || async {
            let rps = trial(&wire_url, &key, wire_thread, &servers, &wire_cpu).await;
            // wiremock records every request too; empty its records the same way. Its only way
            // to do so also removes the mounted response, so mount it again.
            wire.reset().await;
            mount().await;
            rps
        },
    )
    .await;
    drop(mock);
    drop(wire);

    let mut starts = Vec::new();
    let mut uncached = Vec::new();
    for i in 0..STARTS {
        starts.push(start_to_first_response(&client, MockServer::builder()).await);
        // Seeds no other server of this process used, so nothing is shared.
        uncached.push(start_to_first_response(&client, MockServer::builder().seed(1_000 + i as u64)).await);
    }

    let (vs_wiremock, paired) = ratio(&trials.a, Stat::Median, &trials.b, Stat::Max);
    let mut metrics = vec![
        Metric::goal("mock_rps_vs_wiremock", vs_wiremock, ">=", 1.0).with_spread(paired),
        Metric::median_of("mock_rps", &trials.a),
        Metric::median_of("wiremock_rps", &trials.b),
    ];
    // The warm-up's CPU figures are dropped like its rates.
    let (mock_cpu, wire_cpu) = (mock_cpu.into_inner(), wire_cpu.into_inner());
    if mock_cpu.load.len() == WARMUP + TRIALS && wire_cpu.load.len() == WARMUP + TRIALS {
        metrics.push(Metric::median_of("load_cpu_us_per_mock_request", &mock_cpu.load[WARMUP..]));
        metrics.push(Metric::median_of("load_cpu_us_per_wiremock_request", &wire_cpu.load[WARMUP..]));
    }
    if mock_cpu.server.len() == WARMUP + TRIALS && wire_cpu.server.len() == WARMUP + TRIALS {
        let (mock_cpu, wire_cpu) = (&mock_cpu.server[WARMUP..], &wire_cpu.server[WARMUP..]);
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

/// CPU microseconds per request of one trial: the server thread's, and the load generator's
/// (every other thread of the process but the two servers').
#[derive(Default)]
struct TrialCpu {
    server: Vec<f64>,
    load: Vec<f64>,
}

/// Nanoseconds of CPU all threads of this process but `servers` have run.
fn others_cpu_ns(servers: &[u32]) -> Option<u64> {
    thread_ids().into_iter().filter(|t| !servers.contains(t)).map(thread_cpu_ns).sum()
}

/// One trial against `url`: returns the rate and records the CPU per request of `thread` (the
/// server under test) and of the load generator, when readable.
async fn trial(url: &str, key: &str, thread: Option<u32>, servers: &[u32], cpu: &RefCell<TrialCpu>) -> f64 {
    let before = (thread.and_then(thread_cpu_ns), others_cpu_ns(servers));
    let (rps, requests) = load(url, key).await;
    let after = (thread.and_then(thread_cpu_ns), others_cpu_ns(servers));
    let per_request = |before: u64, after: u64| after.saturating_sub(before) as f64 / 1_000.0 / requests.max(1) as f64;
    let mut cpu = cpu.borrow_mut();
    if let ((Some(b), _), (Some(a), _)) = (before, after) {
        cpu.server.push(per_request(b, a));
    }
    if let ((_, Some(b)), (_, Some(a))) = (before, after) {
        cpu.load.push(per_request(b, a));
    }
    rps
}
