//! Shared helpers of the benchmarks: interleaved trials of two contenders, their statistics,
//! the results table and JSON file, and the process-memory reading used by the memory benchmark.
//!
//! These machines are shared and noisy: a figure from one trial of each side says as much about
//! what else the machine was doing as about the code. So every side-by-side figure here is built
//! the same way ([`interleave`]): a warm-up of both sides, then at least five trials of each run
//! alternately in one process (A B, B A, A B, ...), so that load from elsewhere hits both sides
//! alike and neither always goes first. A claim that we beat a peer compares our median trial
//! with the peer's *best* trial ([`ratio`] with [`Stat::Max`] of a rate or [`Stat::Min`] of a
//! time), so that a peer's unlucky trial cannot make us look good; the spread of the ratios of
//! trials run back to back is reported next to it.

use std::future::Future;
use std::path::PathBuf;
use std::time::Duration;

/// Median of a sample (the mean of the two middle values for an even count). Sorts the slice.
///
/// # Panics
/// On an empty sample: a benchmark that measured nothing has a bug.
pub fn median(samples: &mut [f64]) -> f64 {
    assert!(!samples.is_empty(), "median of nothing");
    samples.sort_by(|a, b| a.total_cmp(b));
    let n = samples.len();
    if n % 2 == 1 { samples[n / 2] } else { (samples[n / 2 - 1] + samples[n / 2]) / 2.0 }
}

/// Milliseconds as a float.
pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1_000.0
}

/// Which order statistic of a set of trials a figure uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stat {
    /// The smallest trial (the best one when the trials are times).
    Min,
    /// The median trial.
    Median,
    /// The largest trial (the best one when the trials are rates).
    Max,
}

/// Smallest, median and largest of a set of trials.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Spread {
    /// Smallest trial.
    pub min: f64,
    /// Median trial ([`median`]).
    pub median: f64,
    /// Largest trial.
    pub max: f64,
}

impl Spread {
    /// The spread of `trials`.
    ///
    /// # Panics
    /// On an empty sample.
    pub fn of(trials: &[f64]) -> Self {
        let mut sorted = trials.to_vec();
        let median = median(&mut sorted);
        Self { min: sorted[0], median, max: sorted[sorted.len() - 1] }
    }

    /// One of the three figures.
    pub fn get(&self, stat: Stat) -> f64 {
        match stat {
            Stat::Min => self.min,
            Stat::Median => self.median,
            Stat::Max => self.max,
        }
    }
}

/// The trials of two contenders measured by [`interleave`]: `a[i]` and `b[i]` ran back to back.
#[derive(Clone, Debug, Default)]
pub struct Trials {
    /// Side A's measurements, in the order they were taken.
    pub a: Vec<f64>,
    /// Side B's measurements, in the order they were taken.
    pub b: Vec<f64>,
}

/// Runs two contenders in interleaved trials and returns what each trial measured.
///
/// First `warmup` rounds of A then B whose results are dropped (connection pools, caches, the
/// allocator and CPU frequency settle), then `trials` rounds in which the side that goes first
/// alternates: A B, B A, A B, ... Each call of `a` or `b` is one trial and returns its figure
/// (a rate, a time per operation, a memory size). Trial `i` of A and trial `i` of B always run
/// next to each other, so their ratio is taken under the same machine load.
///
/// # Panics
/// When `trials` is zero.
pub async fn interleave<FA, FB, A, B>(warmup: usize, trials: usize, mut a: FA, mut b: FB) -> Trials
where
    FA: FnMut() -> A,
    FB: FnMut() -> B,
    A: Future<Output = f64>,
    B: Future<Output = f64>,
{
    assert!(trials > 0, "interleave needs at least one trial");
    for _ in 0..warmup {
        a().await;
        b().await;
    }
    let mut out = Trials { a: Vec::with_capacity(trials), b: Vec::with_capacity(trials) };
    for i in 0..trials {
        if i % 2 == 0 {
            out.a.push(a().await);
            out.b.push(b().await);
        } else {
            out.b.push(b().await);
            out.a.push(a().await);
        }
    }
    out
}

/// A ratio figure of two sets of trials run side by side: the headline value is
/// `numerator.get(num_stat) / denominator.get(den_stat)`, and its spread is that of the ratios
/// `numerator[i] / denominator[i]` of trials run back to back.
///
/// Which statistic each side uses is the caller's statement of how strict the figure is: for
/// "ours is faster than the peer", ours is the median and the peer its best trial (the largest
/// rate, the smallest time).
///
/// # Panics
/// When the two sets differ in length or are empty.
pub fn ratio(numerator: &[f64], num_stat: Stat, denominator: &[f64], den_stat: Stat) -> (f64, Spread) {
    assert_eq!(numerator.len(), denominator.len(), "ratio of unpaired trials");
    let headline = Spread::of(numerator).get(num_stat) / Spread::of(denominator).get(den_stat);
    let paired: Vec<f64> = numerator.iter().zip(denominator).map(|(n, d)| n / d).collect();
    (headline, Spread::of(&paired))
}

/// `target/bench-results/`, created if needed.
pub fn results_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..").join("target"));
    let dir = target.join("bench-results");
    std::fs::create_dir_all(&dir).expect("create target/bench-results");
    dir
}

/// One reported figure: name, headline value, the goal it is held to (if any), and the spread
/// and trials behind it (if it came from repeated trials).
pub struct Metric {
    /// Metric name as written to the JSON file.
    pub name: &'static str,
    /// The headline value (the one held to the goal).
    pub value: f64,
    /// `Some((">=", 3.0))` or `Some(("<=", 1.05))`; `None` for informational figures.
    pub goal: Option<(&'static str, f64)>,
    /// Smallest, median and largest trial (or paired-trial ratio) behind the value.
    pub spread: Option<Spread>,
    /// Every trial, in the order taken, written as `<name>_trials`.
    pub trials: Option<Vec<f64>>,
}

impl Metric {
    /// A figure held to a goal.
    pub fn goal(name: &'static str, value: f64, op: &'static str, target: f64) -> Self {
        Self { name, value, goal: Some((op, target)), spread: None, trials: None }
    }
    /// An informational figure.
    pub fn info(name: &'static str, value: f64) -> Self {
        Self { name, value, goal: None, spread: None, trials: None }
    }
    /// An informational figure whose value is the median of `trials`, reported with them.
    pub fn median_of(name: &'static str, trials: &[f64]) -> Self {
        Self::info(name, Spread::of(trials).median).with_trials(trials)
    }
    /// Attaches a spread (written as `<name>_min`, `_median`, `_max`).
    pub fn with_spread(mut self, spread: Spread) -> Self {
        self.spread = Some(spread);
        self
    }
    /// Attaches the trials (written as `<name>_trials`) and their spread.
    pub fn with_trials(mut self, trials: &[f64]) -> Self {
        self.spread = Some(Spread::of(trials));
        self.trials = Some(trials.to_vec());
        self
    }
    fn met(&self) -> Option<bool> {
        self.goal.map(|(op, t)| if op == ">=" { self.value >= t } else { self.value <= t })
    }
}

/// The JSON object of a benchmark's figures: `<name>` is the headline; `<name>_min`,
/// `<name>_median`, `<name>_max` and `<name>_trials` follow where the metric carries them.
pub fn to_json(metrics: &[Metric]) -> serde_json::Map<String, serde_json::Value> {
    let mut json = serde_json::Map::new();
    for m in metrics {
        json.insert(m.name.to_owned(), serde_json::json!(m.value));
        if let Some(s) = m.spread {
            json.insert(format!("{}_min", m.name), serde_json::json!(s.min));
            json.insert(format!("{}_median", m.name), serde_json::json!(s.median));
            json.insert(format!("{}_max", m.name), serde_json::json!(s.max));
        }
        if let Some(t) = &m.trials {
            json.insert(format!("{}_trials", m.name), serde_json::json!(t));
        }
    }
    json
}

/// The machine's load average over the last minute (`/proc/loadavg`), if readable: how busy the
/// machine was around the trials, which explains a wide spread.
pub fn load_average() -> Option<f64> {
    std::fs::read_to_string("/proc/loadavg").ok()?.split_whitespace().next()?.parse().ok()
}

/// Prints the table (headline and spread) and writes `target/bench-results/<bench>.json`
/// ([`to_json`]), with the machine's one-minute load average as `machine_load_1m` (-1 when
/// unreadable).
pub fn report(bench: &str, metrics: &[Metric]) {
    let load = load_average();
    println!("\n{bench} (machine load, 1-minute average: {})", load.map_or("unknown".into(), |l| format!("{l:.2}")));
    println!("{:<34} {:>12} {:>12} {:>12} {:>12}  {:<10} met", "metric", "value", "min", "median", "max", "goal");
    for m in metrics {
        let goal = m.goal.map(|(op, t)| format!("{op} {t}")).unwrap_or_default();
        let met = match m.met() {
            Some(true) => "yes",
            Some(false) => "NO",
            None => "",
        };
        let [min, med, max] = match m.spread {
            Some(s) => [s.min, s.median, s.max].map(|v| format!("{v:.4}")),
            None => [(); 3].map(|_| "-".to_owned()),
        };
        println!("{:<34} {:>12.4} {min:>12} {med:>12} {max:>12}  {goal:<10} {met}", m.name, m.value);
    }
    let mut json = to_json(metrics);
    json.insert("machine_load_1m".into(), serde_json::json!(load.unwrap_or(-1.0)));
    let path = results_dir().join(format!("{bench}.json"));
    std::fs::write(&path, serde_json::to_string_pretty(&json).expect("serialize results")).expect("write results");
    println!("written to {}", path.display());
}

/// The Linux thread id of the calling thread (from `/proc/thread-self`), if readable.
pub fn current_thread_id() -> Option<u32> {
    let link = std::fs::read_link("/proc/thread-self").ok()?;
    link.file_name()?.to_str()?.parse().ok()
}

/// The ids of this process's threads (`/proc/self/task`), in no particular order.
pub fn thread_ids() -> Vec<u32> {
    std::fs::read_dir("/proc/self/task")
        .map(|dir| dir.filter_map(|e| e.ok()?.file_name().to_str()?.parse().ok()).collect())
        .unwrap_or_default()
}

/// Nanoseconds thread `tid` of this process has run on a CPU (first field of
/// `/proc/self/task/<tid>/schedstat`), if readable. It counts only the time the thread itself
/// ran, so other processes' load moves it much less than a request rate (a slower state of a
/// shared machine, caches and memory contended, still raises it).
pub fn thread_cpu_ns(tid: u32) -> Option<u64> {
    std::fs::read_to_string(format!("/proc/self/task/{tid}/schedstat")).ok()?.split_whitespace().next()?.parse().ok()
}

/// Peak resident set size of this process in KiB (`VmHWM` from `/proc/self/status`).
pub fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

/// The in-process request of the `mock_app` and `mock_allocs` benchmarks: the mock's whole
/// application next to a bare axum router serving the same bytes.
pub mod in_process {
    use axum::{body::Body, http::Request, routing::get};
    use deskapi_mock::{AppState, Config, RateLimitSetting};
    use http_body_util::BodyExt;
    use tower::ServiceExt;

    /// The request: one page of Next Cap leads.
    pub const PATH: &str = "/nextcap/api/v1/external/leads?per_page=20";

    /// The mock (auth and journal on, rate limit off), the Data API key, and a bare router
    /// answering [`PATH`] with a static copy of the mock's answer.
    pub async fn apps() -> (AppState, String, axum::Router, axum::Router) {
        let state = AppState::new(Config { rate_limit: RateLimitSetting::Off, ..Config::default() });
        let key = state.demo_keys().nextcap_data.clone();
        let mock = deskapi_mock::app(state.clone());
        let body = {
            let request = Request::get(PATH).header("x-api-key", &key).body(Body::empty()).expect("request");
            let response = mock.clone().oneshot(request).await.expect("infallible");
            response.into_body().collect().await.expect("body").to_bytes()
        };
        let path = PATH.split_once('?').map_or(PATH, |(path, _)| path);
        let static_router = axum::Router::new().route(
            path,
            get(move || {
                let body = body.clone();
                async move { ([(axum::http::header::CONTENT_TYPE, "application/json")], body) }
            }),
        );
        (state, key, mock, static_router)
    }

    /// One request to `app`, body read whole; returns the body's length.
    pub async fn one(app: &axum::Router, key: &str) -> usize {
        one_at(app, key, PATH).await
    }

    /// One request for `target` (path and query) to `app`, body read whole; returns the body's
    /// length.
    pub async fn one_at(app: &axum::Router, key: &str, target: &str) -> usize {
        let request = Request::get(target).header("x-api-key", key).body(Body::empty()).expect("request");
        let response = app.clone().oneshot(request).await.expect("infallible");
        assert!(response.status().is_success(), "status {}", response.status());
        response.into_body().collect().await.expect("body").to_bytes().len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::RefCell;

    #[test]
    fn median_of_odd_and_even_samples() {
        assert_eq!(median(&mut [3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&mut [4.0, 1.0, 3.0, 2.0]), 2.5);
    }

    #[test]
    fn spread_takes_extremes_and_median_without_reordering_the_input() {
        let trials = [5.0, 1.0, 4.0, 2.0, 3.0];
        assert_eq!(Spread::of(&trials), Spread { min: 1.0, median: 3.0, max: 5.0 });
        assert_eq!(trials, [5.0, 1.0, 4.0, 2.0, 3.0]);
    }

    #[test]
    fn interleave_warms_up_then_alternates_who_goes_first() {
        let log = RefCell::new(Vec::new());
        let step = |side: char| {
            let log = &log;
            move || async move {
                log.borrow_mut().push(side);
                log.borrow().len() as f64
            }
        };
        let trials = futures::executor::block_on(interleave(1, 4, step('A'), step('B')));
        assert_eq!(log.into_inner(), ['A', 'B', 'A', 'B', 'B', 'A', 'A', 'B', 'B', 'A']);
        // Positions 3..=10 in the log are the measured trials.
        assert_eq!(trials.a, [3.0, 6.0, 7.0, 10.0]);
        assert_eq!(trials.b, [4.0, 5.0, 8.0, 9.0]);
    }

    #[test]
    fn ratio_against_the_peers_best_trial_is_stricter_than_medians() {
        // Ours (rates): steady at 10. The peer: one lucky 12, otherwise 8.
        let ours = [10.0, 10.0, 10.0, 10.0, 10.0];
        let peer = [8.0, 12.0, 8.0, 8.0, 8.0];
        let (headline, spread) = ratio(&ours, Stat::Median, &peer, Stat::Max);
        assert!((headline - 10.0 / 12.0).abs() < 1e-12);
        assert_eq!(spread.median, 1.25);
        assert!((spread.min - 10.0 / 12.0).abs() < 1e-12);
        assert_eq!(spread.max, 1.25);
    }

    #[test]
    fn json_carries_headline_spread_and_trials() {
        let json = to_json(&[
            Metric::goal("speed_ratio", 0.9, ">=", 1.0).with_spread(Spread { min: 0.8, median: 1.1, max: 1.3 }),
            Metric::median_of("rps", &[3.0, 1.0, 2.0]),
            Metric::info("bytes", 7.0),
        ]);
        assert_eq!(json["speed_ratio"], 0.9);
        assert_eq!(json["speed_ratio_min"], 0.8);
        assert_eq!(json["speed_ratio_median"], 1.1);
        assert_eq!(json["speed_ratio_max"], 1.3);
        assert!(!json.contains_key("speed_ratio_trials"));
        assert_eq!(json["rps"], 2.0);
        assert_eq!(json["rps_trials"], serde_json::json!([3.0, 1.0, 2.0]));
        assert_eq!(json["rps_max"], 3.0);
        assert_eq!(json["bytes"], 7.0);
        assert!(!json.contains_key("bytes_min"));
    }

    #[test]
    fn goal_is_judged_on_the_headline_not_the_spread() {
        let m = Metric::goal("r", 0.9, ">=", 1.0).with_spread(Spread { min: 1.0, median: 1.2, max: 1.4 });
        assert_eq!(m.met(), Some(false));
        assert_eq!(Metric::goal("t", 1.04, "<=", 1.05).met(), Some(true));
    }

    #[test]
    fn a_busy_threads_cpu_time_grows() {
        let tid = current_thread_id().expect("thread id");
        assert!(thread_ids().contains(&tid));
        let before = thread_cpu_ns(tid).expect("schedstat");
        let spin = std::time::Instant::now();
        let mut x = 0u64;
        while spin.elapsed() < Duration::from_millis(20) {
            x = std::hint::black_box(x.wrapping_add(1));
        }
        assert!(thread_cpu_ns(tid).expect("schedstat") > before);
    }

    #[test]
    fn peak_rss_is_readable_on_linux() {
        assert!(peak_rss_kib().is_some_and(|kib| kib > 0));
    }
}
