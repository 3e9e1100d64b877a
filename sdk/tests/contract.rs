//! The SDK against the contract in `openapi/`.
//!
//! Every SDK method that sends a request carries `#[doc(alias = "<operationId>")]` (which also
//! makes the API docs searchable by operationId). This test reads the operationIds of each
//! OpenAPI file and the SDK's sources, and fails when:
//! - an SDK method that sends a request names no operation,
//! - a named operation does not exist in that API's spec,
//! - two SDK methods claim the same operation,
//! - an operation of a spec has no SDK method (every documented endpoint is wrapped).

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// Which spec each SDK source folder implements.
const MODULES: &[(&str, &str)] = &[
    ("src/nextcap/data", "nextcap-data.yaml"),
    ("src/nextcap/crm", "nextcap-crm.yaml"),
    ("src/nexadesk", "nexadesk.yaml"),
    ("src/deskhive", "deskhive.yaml"),
];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn spec_operations(file: &str) -> BTreeSet<String> {
    let path = root().join("../openapi").join(file);
    let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    text.lines()
        .filter_map(|l| l.trim().strip_prefix("operationId:"))
        .map(|id| id.trim().trim_matches(['"', '\'']).to_owned())
        .collect()
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap_or_else(|e| panic!("read {}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// An SDK method that sends a request, with the operation it names (if any).
#[derive(Debug)]
struct Endpoint {
    place: String,
    alias: Option<String>,
}

/// What a method calls when it sends a request: the transport's request builders, or the
/// client's one-line helpers around them.
const SENDS: &[&str] = &[
    "RequestSpec::new(",
    "ListRequest::new(",
    ".client.fetch(",
    ".client.send(",
    ".client.list(",
    ".client.list::<",
    "with_id(",
];

fn is_fn_start(line: &str) -> bool {
    let t = line.trim_start();
    ["pub fn ", "pub async fn ", "pub(crate) fn ", "pub(crate) async fn ", "fn ", "async fn "]
        .iter()
        .any(|p| t.starts_with(p))
}

/// Finds methods whose body builds a request, and the `doc(alias)` above each.
fn endpoints_in(file: &Path) -> Vec<Endpoint> {
    let text = fs::read_to_string(file).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let starts: Vec<usize> = (0..lines.len()).filter(|&i| is_fn_start(lines[i])).collect();
    let mut found = Vec::new();
    for (n, &start) in starts.iter().enumerate() {
        let head = lines[start].trim_start();
        if !(head.starts_with("pub fn ") || head.starts_with("pub async fn ")) {
            continue;
        }
        let end = starts.get(n + 1).copied().unwrap_or(lines.len());
        let body = lines[start..end].join("\n");
        // Test modules build requests too; they are not SDK methods.
        if lines[..start].iter().any(|l| l.trim() == "#[cfg(test)]") {
            continue;
        }
        if !SENDS.iter().any(|p| body.contains(p)) {
            continue;
        }
        let mut alias = None;
        let mut i = start;
        while i > 0 {
            i -= 1;
            let l = lines[i].trim();
            if let Some(rest) = l.strip_prefix("#[doc(alias = \"") {
                alias = rest.split('"').next().map(str::to_owned);
            } else if !(l.starts_with("///") || l.starts_with("#[")) {
                break;
            }
        }
        let name = lines[start].trim().split('(').next().unwrap_or("").to_owned();
        found.push(Endpoint { place: format!("{}:{} `{name}`", file.display(), start + 1), alias });
    }
    found
}

#[test]
fn every_sdk_request_maps_to_a_spec_operation_and_gaps_are_listed() {
    let mut problems = Vec::new();
    let mut gaps: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    let mut mapped = 0;
    for (dir, spec) in MODULES {
        let ops = spec_operations(spec);
        assert!(!ops.is_empty(), "{spec} lists no operationId");
        let mut files = Vec::new();
        let dir = root().join(dir);
        if dir.exists() {
            rust_files(&dir, &mut files);
        }
        let mut claimed: BTreeMap<String, String> = BTreeMap::new();
        for file in &files {
            for ep in endpoints_in(file) {
                match &ep.alias {
                    None => problems
                        .push(format!("{}: sends a request but has no #[doc(alias = \"<operationId>\")]", ep.place)),
                    Some(op) if !ops.contains(op) => {
                        problems.push(format!("{}: operation `{op}` is not in {spec}", ep.place))
                    }
                    Some(op) => {
                        if let Some(other) = claimed.insert(op.clone(), ep.place.clone()) {
                            problems.push(format!("`{op}` is claimed by {} and {}", other, ep.place));
                        }
                        mapped += 1;
                    }
                }
            }
        }
        let missing: Vec<String> = ops.iter().filter(|op| !claimed.contains_key(*op)).cloned().collect();
        if !missing.is_empty() {
            gaps.insert(spec, missing);
        }
    }
    println!("SDK methods mapped to spec operations: {mapped}");
    for (spec, ops) in &gaps {
        problems.push(format!("{spec}: {} operation(s) with no SDK method: {}", ops.len(), ops.join(", ")));
    }
    assert!(problems.is_empty(), "SDK and contract disagree:\n{}", problems.join("\n"));
    assert!(mapped > 0, "no SDK method was found at all: the scan is broken");
}

#[test]
fn the_scanner_recognises_endpoints_and_aliases() {
    // Guard the guard: the scan must see this crate's known endpoint and its alias.
    let eps = endpoints_in(&root().join("src/deskhive/mod.rs"));
    let check = eps.iter().find(|e| e.place.contains("connection_check")).expect("connection_check is found");
    assert_eq!(check.alias.as_deref(), Some("getConnectionCheck"));
}
