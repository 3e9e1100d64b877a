//! Drives the official Socket.IO client (`socket.io-client` from npm, `../socketio-client/`)
//! from the live-chat tests: one Node process per test, commands as JSON lines on its stdin,
//! reports as JSON lines on its stdout (see `driver.mjs`).
//!
//! Without Node or the installed package the tests skip with a message, except under CI
//! (`CI` set), where `.ci/run` installs the package and a missing client is a failure.

#![allow(dead_code)] // each test binary uses a different subset

use std::{path::PathBuf, process::Stdio, time::Duration};

use serde_json::{Value, json};
use tokio::{
    io::{AsyncBufReadExt, AsyncWriteExt, BufReader},
    process::{Child, ChildStdin, Command},
    sync::mpsc,
    time::timeout,
};

/// How long a report may take to come.
pub const WAIT: Duration = Duration::from_secs(5);

/// A running driver.
pub struct Driver {
    child: Child,
    stdin: ChildStdin,
    reports: mpsc::UnboundedReceiver<Value>,
    /// Reports read but not yet asked for.
    pending: Vec<Value>,
    url: String,
    seq: u64,
}

fn client_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/socketio-client")
}

impl Driver {
    /// Starts the driver against the mock at `base` (`http://HOST:PORT`); `None` (with a
    /// message) when Node or the client package is missing outside CI.
    pub async fn start(base: &str) -> Option<Driver> {
        let dir = client_dir();
        let installed = dir.join("node_modules/socket.io-client").is_dir();
        let node = Command::new("node").arg("--version").output().await.is_ok_and(|o| o.status.success());
        if !(installed && node) {
            let why = format!(
                "live-chat interop test needs node and `npm ci` in {} (node found: {node}, package installed: {installed})",
                dir.display()
            );
            assert!(std::env::var_os("CI").is_none(), "{why}");
            eprintln!("SKIPPED: {why}");
            return None;
        }
        let mut child = Command::new("node")
            .arg(dir.join("driver.mjs"))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .expect("start node");
        let stdin = child.stdin.take().expect("stdin");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, reports) = mpsc::unbounded_channel();
        tokio::spawn(async move {
            let mut lines = BufReader::new(stdout).lines();
            while let Ok(Some(line)) = lines.next_line().await {
                let value: Value = serde_json::from_str(&line).expect("driver reports JSON");
                if tx.send(value).is_err() {
                    break;
                }
            }
        });
        Some(Driver { child, stdin, reports, pending: Vec::new(), url: format!("{base}/crm-chat"), seq: 0 })
    }

    async fn send(&mut self, command: Value) {
        let mut line = command.to_string();
        line.push('\n');
        self.stdin.write_all(line.as_bytes()).await.expect("driver stdin");
        self.stdin.flush().await.expect("driver stdin");
    }

    /// The first report (pending or new) that `wanted` accepts, within `within`.
    pub async fn wait_for(&mut self, within: Duration, wanted: impl Fn(&Value) -> bool) -> Option<Value> {
        if let Some(i) = self.pending.iter().position(&wanted) {
            return Some(self.pending.remove(i));
        }
        let deadline = tokio::time::Instant::now() + within;
        loop {
            let report = tokio::time::timeout_at(deadline, self.reports.recv()).await.ok()??;
            if wanted(&report) {
                return Some(report);
            }
            self.pending.push(report);
        }
    }

    /// Opens socket `id` with `auth` (none for `Value::Null`) and extra HTTP `headers`; `Ok` once
    /// the namespace accepted it, `Err(connect_error report)` when it refused.
    pub async fn connect(&mut self, id: &str, auth: Value, headers: Value) -> Result<(), Value> {
        self.send(json!({ "op": "connect", "id": id, "url": self.url, "auth": auth, "headers": headers })).await;
        let report = self
            .wait_for(WAIT, |r| r["id"] == id && (r["type"] == "connect" || r["type"] == "connect_error"))
            .await
            .unwrap_or_else(|| panic!("socket {id}: neither connect nor connect_error"));
        if report["type"] == "connect" { Ok(()) } else { Err(report) }
    }

    /// Opens socket `id` with CRM key `key`, which must be admitted.
    pub async fn connect_key(&mut self, id: &str, key: &str) {
        if let Err(refused) = self.connect(id, json!({ "apiKey": key }), json!({})).await {
            panic!("socket {id} refused: {refused}");
        }
    }

    /// Emits `event` with `payload` on socket `id` and returns its ack.
    pub async fn emit(&mut self, id: &str, event: &str, payload: Value) -> Value {
        self.seq += 1;
        let seq = self.seq;
        self.send(json!({ "op": "emit", "id": id, "seq": seq, "event": event, "payload": payload })).await;
        self.ack(id, seq).await
    }

    /// Emits `event` with the arguments `args` (none, several) on socket `id`; returns its ack.
    pub async fn emit_args(&mut self, id: &str, event: &str, args: Value) -> Value {
        self.seq += 1;
        let seq = self.seq;
        self.send(json!({ "op": "emitRaw", "id": id, "seq": seq, "event": event, "args": args })).await;
        self.ack(id, seq).await
    }

    async fn ack(&mut self, id: &str, seq: u64) -> Value {
        let report = self
            .wait_for(WAIT * 2, |r| r["id"] == id && r["seq"] == seq)
            .await
            .unwrap_or_else(|| panic!("socket {id}: no ack report for #{seq}"));
        assert_eq!(report["type"], "ack", "socket {id}: the ack of #{seq} timed out");
        report["ack"].clone()
    }

    /// The next server event `event` on socket `id`, within [`WAIT`].
    pub async fn event(&mut self, id: &str, event: &str) -> Value {
        self.wait_for(WAIT, |r| r["id"] == id && r["type"] == "event" && r["event"] == event)
            .await
            .unwrap_or_else(|| panic!("socket {id}: no {event} event"))["payload"]
            .clone()
    }

    /// Asserts socket `id` gets no server event within `within`.
    pub async fn no_event(&mut self, id: &str, within: Duration) {
        let got = self.wait_for(within, |r| r["id"] == id && r["type"] == "event").await;
        assert!(got.is_none(), "socket {id} got an unexpected event: {got:?}");
    }

    /// Waits for socket `id` to be disconnected; returns the client's reason.
    pub async fn disconnected(&mut self, id: &str) -> String {
        let report = self
            .wait_for(WAIT, |r| r["id"] == id && r["type"] == "disconnect")
            .await
            .unwrap_or_else(|| panic!("socket {id} was not disconnected"));
        report["reason"].as_str().unwrap_or_default().to_owned()
    }

    /// Closes socket `id` from the client side.
    pub async fn close(&mut self, id: &str) {
        self.send(json!({ "op": "close", "id": id })).await;
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.start_kill();
    }
}

/// Keeps `timeout` in scope for tests that wait on other things.
pub async fn within<T>(future: impl std::future::Future<Output = T>) -> T {
    timeout(WAIT, future).await.expect("timed out")
}
