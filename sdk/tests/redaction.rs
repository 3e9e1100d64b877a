//! Keys never reach `Debug` output or logs.
#![cfg(feature = "nextcap")]

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};

use common::*;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn keys_appear_in_no_debug_output_and_no_log_line() {
    let capture = Capture::default();
    let writer = capture.clone();
    let subscriber =
        tracing_subscriber::fmt().with_max_level(tracing::Level::TRACE).with_writer(move || writer.clone()).finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(500)).mount(&server).await;
    let client = nextcap(&server);
    let debug = format!("{client:?} {:?}", deskapi::NextCapDataClient::builder(DATA_KEY));
    assert!(!debug.contains(DATA_KEY), "{debug}");
    assert!(debug.contains("redacted"));

    let err = client.leads().list().send().await.unwrap_err();
    assert!(!format!("{err:?} {err}").contains(DATA_KEY));

    let logs = String::from_utf8(capture.0.lock().unwrap().clone()).unwrap();
    assert!(logs.contains("deskapi.request"), "the request span was logged: {logs}");
    assert!(!logs.contains(DATA_KEY), "a log line contains the key");
    assert!(!logs.contains("TESTKEYTESTKEY"), "a log line contains part of the key");
}
