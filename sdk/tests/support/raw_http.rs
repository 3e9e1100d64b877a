//! A scripted HTTP/1.1 server on a raw TCP socket, for the faults wiremock cannot produce:
//! a connection closed before the response or halfway through the body, and a body that stalls
//! after the headers. Each connection serves one request (`Connection: close`) with the next
//! step of the script, then the fallback; every request line is logged so a test can count how
//! often a POST went out.
#![allow(dead_code)]

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// What the server does with one request.
#[derive(Clone, Debug)]
pub enum Step {
    /// A complete response.
    Respond { status: u16, headers: Vec<(String, String)>, body: Vec<u8> },
    /// Close the connection without answering.
    CloseBeforeResponse,
    /// Send the headers (announcing the full length) and the first half of the body, then close.
    CloseMidBody { status: u16, body: Vec<u8> },
    /// Wait this long before sending anything, then answer with the fallback.
    StallBeforeHeaders(Duration),
    /// Send the headers and the first half of the body, then wait this long, then close.
    StallMidBody { status: u16, body: Vec<u8>, stall: Duration },
}

impl Step {
    /// A response with a `Content-Type` and a body.
    pub fn respond(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Step {
        Step::Respond { status, headers: vec![("Content-Type".into(), content_type.into())], body: body.into() }
    }

    /// A JSON response.
    pub fn json(status: u16, body: &serde_json::Value) -> Step {
        Step::respond(status, "application/json", body.to_string())
    }

    /// Adds a header to a [`Step::Respond`].
    pub fn header(mut self, name: &str, value: &str) -> Step {
        if let Step::Respond { headers, .. } = &mut self {
            headers.push((name.into(), value.into()));
        }
        self
    }
}

/// The running server.
pub struct RawServer {
    addr: SocketAddr,
    log: Arc<Mutex<Vec<String>>>,
}

impl RawServer {
    /// Serves `script` in order, then `fallback` for every later request.
    pub async fn start(script: Vec<Step>, fallback: Step) -> RawServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("address");
        let log = Arc::new(Mutex::new(Vec::new()));
        let script = Arc::new(Mutex::new(std::collections::VecDeque::from(script)));
        let server_log = log.clone();
        tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                let (script, log, fallback) = (script.clone(), server_log.clone(), fallback.clone());
                tokio::spawn(async move {
                    let _ = serve(socket, script, log, fallback).await;
                });
            }
        });
        RawServer { addr, log }
    }

    /// The base URL, e.g. `http://127.0.0.1:41234`.
    pub fn uri(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The request lines received so far, e.g. `POST /external/webhooks`.
    pub fn requests(&self) -> Vec<String> {
        self.log.lock().unwrap().clone()
    }

    /// How many requests used `method`.
    pub fn count(&self, method: &str) -> usize {
        self.requests().iter().filter(|line| line.starts_with(&format!("{method} "))).count()
    }
}

async fn serve(
    mut socket: TcpStream,
    script: Arc<Mutex<std::collections::VecDeque<Step>>>,
    log: Arc<Mutex<Vec<String>>>,
    fallback: Step,
) -> std::io::Result<()> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        let n = socket.read(&mut chunk).await?;
        if n == 0 {
            return Ok(());
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(at) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let length: usize = head
        .lines()
        .find_map(|l| l.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().to_owned()))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    while buf.len() < head_end + length {
        let n = socket.read(&mut chunk).await?;
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    let request_line = head.lines().next().unwrap_or_default();
    let mut parts = request_line.split(' ');
    let method = parts.next().unwrap_or_default();
    let target = parts.next().unwrap_or_default();
    log.lock().unwrap().push(format!("{method} {}", target.split('?').next().unwrap_or_default()));
    let step = script.lock().unwrap().pop_front().unwrap_or_else(|| fallback.clone());
    match step {
        Step::Respond { status, headers, body } => {
            socket.write_all(&head_of(status, &headers, body.len())).await?;
            socket.write_all(&body).await?;
        }
        Step::CloseBeforeResponse => {}
        Step::CloseMidBody { status, body } => {
            socket.write_all(&head_of(status, &json_type(), body.len())).await?;
            socket.write_all(&body[..body.len() / 2]).await?;
        }
        Step::StallBeforeHeaders(stall) => {
            tokio::time::sleep(stall).await;
            if let Step::Respond { status, headers, body } = fallback {
                socket.write_all(&head_of(status, &headers, body.len())).await?;
                socket.write_all(&body).await?;
            }
        }
        Step::StallMidBody { status, body, stall } => {
            socket.write_all(&head_of(status, &json_type(), body.len())).await?;
            socket.write_all(&body[..body.len() / 2]).await?;
            socket.flush().await?;
            tokio::time::sleep(stall).await;
        }
    }
    socket.flush().await?;
    socket.shutdown().await
}

fn json_type() -> Vec<(String, String)> {
    vec![("Content-Type".into(), "application/json".into())]
}

fn head_of(status: u16, headers: &[(String, String)], length: usize) -> Vec<u8> {
    let mut head = format!("HTTP/1.1 {status} X\r\nContent-Length: {length}\r\nConnection: close\r\n");
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    head.into_bytes()
}
