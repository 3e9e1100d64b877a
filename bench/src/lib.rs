//! Shared helpers of the benchmarks: statistics, the results table and JSON file, and the
//! process-memory reading used by the memory benchmark.
//!
//! Every benchmark measures its pair of contenders side by side in one run (interleaved where
//! that is possible) and reports medians and their ratio: these machines are shared and noisy,
//! so absolute numbers mean little and ratios measured together mean more.

use std::path::PathBuf;
use std::time::Duration;

/// Median of a sample (the mean of the two middle values for an even count).
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

/// `target/bench-results/`, created if needed.
pub fn results_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..").join("target"));
    let dir = target.join("bench-results");
    std::fs::create_dir_all(&dir).expect("create target/bench-results");
    dir
}

/// One reported figure: name, value, and the goal it is held to (if any).
pub struct Metric {
    /// Metric name as written to the JSON file.
    pub name: &'static str,
    /// The measured value.
    pub value: f64,
    /// `Some((">=", 3.0))` or `Some(("<=", 1.05))`; `None` for informational figures.
    pub goal: Option<(&'static str, f64)>,
}

impl Metric {
    /// A figure held to a goal.
    pub fn goal(name: &'static str, value: f64, op: &'static str, target: f64) -> Self {
        Self { name, value, goal: Some((op, target)) }
    }
    /// An informational figure.
    pub fn info(name: &'static str, value: f64) -> Self {
        Self { name, value, goal: None }
    }
    fn met(&self) -> Option<bool> {
        self.goal.map(|(op, t)| if op == ">=" { self.value >= t } else { self.value <= t })
    }
}

/// Prints the table and writes `target/bench-results/<bench>.json` (metric name -> number).
pub fn report(bench: &str, metrics: &[Metric]) {
    println!("\n{bench}");
    println!("{:<36} {:>14}  {:<12} met", "metric", "value", "goal");
    for m in metrics {
        let goal = m.goal.map(|(op, t)| format!("{op} {t}")).unwrap_or_default();
        let met = match m.met() {
            Some(true) => "yes",
            Some(false) => "NO",
            None => "",
        };
        println!("{:<36} {:>14.4}  {:<12} {}", m.name, m.value, goal, met);
    }
    let json: serde_json::Map<String, serde_json::Value> =
        metrics.iter().map(|m| (m.name.to_owned(), serde_json::json!(m.value))).collect();
    let path = results_dir().join(format!("{bench}.json"));
    std::fs::write(&path, serde_json::to_string_pretty(&json).expect("serialize results")).expect("write results");
    println!("written to {}", path.display());
}

/// Peak resident set size of this process in KiB (`VmHWM` from `/proc/self/status`).
pub fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_of_odd_and_even_samples() {
        assert_eq!(median(&mut [3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&mut [4.0, 1.0, 3.0, 2.0]), 2.5);
    }

    #[test]
    fn peak_rss_is_readable_on_linux() {
        assert!(peak_rss_kib().is_some_and(|kib| kib > 0));
    }
}
