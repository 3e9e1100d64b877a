//! Next Cap live chat's speed over the mock's `/crm-chat` namespace (Socket.IO v4, WebSocket).
//! - `chat_fanout_p99_ms`: 200 SDK chat clients (`deskapi::nextcap::chat`) joined to one
//!   conversation; a visitor message is sent through the mock's control action (in process) and
//!   timed to its arrival on each client's event stream. One message at a time, the next once
//!   all 200 have it; the p99 over every (message, client) delivery. Also the p99 of each
//!   message's last arrival (`chat_fanout_all_p99_ms`).
//! - `chat_client_overhead_ratio`: one SDK client's median `message:new` latency (control action
//!   to the typed event on its stream) over a bare reader's on the same mock in the same run: a
//!   tokio-tungstenite socket speaking the Engine.IO/Socket.IO frames itself (open, `40/crm-chat,`
//!   with the key, `crm:join` with an ack, then reading `42/crm-chat,["message:new",...]` and
//!   parsing its JSON). Each side has a conversation of its own; interleaved trials of
//!   `MESSAGES_PER_TRIAL` messages, the SDK's median trial over the bare reader's best; a
//!   spinning thread keeps the cores out of idle states meanwhile ([`KeepAwake`]).
//!
//! The mock runs on a thread of its own with a single-threaded runtime (as in `mock_speed`), so
//! the clients' runtime does not also carry the server; rate limiting is off (200 joins each
//! read the conversation's newest message over REST).

use std::sync::Arc;
use std::time::{Duration, Instant};

use deskapi::nextcap::ConversationId;
use deskapi::nextcap::chat::{ChatClient, ChatConfig, ChatEvent, ChatEvents};
use deskapi_bench::{Metric, Stat, interleave, ms, ratio, report};
use deskapi_mock::actions::nextcap::{NewConversation, VisitorMessage};
use deskapi_mock::{MockServer, MockServerBuilder, RateLimitSetting};
use futures::{SinkExt, StreamExt};
use tokio::sync::{Mutex, mpsc};
use tokio_tungstenite::tungstenite::Message as Frame;

const CLIENTS: usize = 200;
const FANOUT_WARMUP: usize = 20;
const FANOUT_MESSAGES: usize = 1_000;
const MESSAGES_PER_TRIAL: usize = 1_000;
const WARMUP: usize = 1;
const TRIALS: usize = 11;
const IDLE_TRIALS: usize = 5;
const WAIT: Duration = Duration::from_secs(30);

fn serve_on_own_thread(builder: MockServerBuilder) -> MockServer {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
        runtime.block_on(async move {
            tx.send(builder.start().await.expect("mock starts")).expect("hand over the mock");
            std::future::pending::<()>().await;
        });
    });
    rx.recv().expect("the mock's thread started it")
}

fn conversation(mock: &MockServer) -> ConversationId {
    let input = NewConversation { org: "acme".into(), message: Some("Hello".into()), ..NewConversation::default() };
    mock.nextcap().start_conversation(input).expect("start").id.to_string().into()
}

/// The visitor sends `content`; returns the time just before.
fn visitor_says(mock: &MockServer, conv: &ConversationId, content: String) -> Instant {
    let input =
        VisitorMessage { org: "acme".into(), conversation_id: Some(conv.as_str().parse().expect("uuid")), content };
    let sent = Instant::now();
    mock.nextcap().send_visitor_message(input).expect("send-message");
    sent
}

async fn sdk_client(mock: &MockServer, conv: &ConversationId) -> (ChatClient, ChatEvents) {
    let key = mock.keys().nextcap_crm_live_chat.clone();
    let config = ChatConfig::new(key.as_str())
        .base_url(&mock.url())
        .expect("url")
        .rest_base_url(&mock.nextcap_url())
        .expect("REST url");
    let (chat, events) = ChatClient::connect(config).await.expect("connect");
    chat.join(conv).await.expect("join");
    (chat, events)
}

/// Reads `events` until the `message:new` whose content is `content`.
async fn until_message(events: &mut ChatEvents, content: &str) -> Instant {
    loop {
        let event = tokio::time::timeout(WAIT, events.next()).await.expect("in time").expect("open").expect("ok");
        if let ChatEvent::Message(m) = event
            && m.content == content
        {
            return Instant::now();
        }
    }
}

fn p99(samples: &mut [f64]) -> f64 {
    samples.sort_by(f64::total_cmp);
    let rank = ((samples.len() as f64) * 0.99).ceil() as usize;
    samples[rank.saturating_sub(1).min(samples.len() - 1)]
}

/// `chat_fanout_*`: every delivery's latency in ms, and each message's last delivery's.
async fn fanout(mock: &MockServer) -> (Vec<f64>, Vec<f64>) {
    let conv = conversation(mock);
    let (arrivals, mut arrived) = mpsc::unbounded_channel::<(usize, Instant)>();
    let mut clients = Vec::new();
    for _ in 0..CLIENTS {
        let (chat, mut events) = sdk_client(mock, &conv).await;
        let arrivals = arrivals.clone();
        clients.push(chat);
        tokio::spawn(async move {
            while let Some(Ok(event)) = events.next().await {
                if let ChatEvent::Message(m) = event
                    && let Some(i) = m.content.strip_prefix("fanout ").and_then(|n| n.parse().ok())
                {
                    let _ = arrivals.send((i, Instant::now()));
                }
            }
        });
    }
    let (mut each, mut all) = (Vec::new(), Vec::new());
    for i in 0..FANOUT_WARMUP + FANOUT_MESSAGES {
        let sent = visitor_says(mock, &conv, format!("fanout {i}"));
        let mut last = sent;
        for _ in 0..CLIENTS {
            let (got, at) = tokio::time::timeout(WAIT, arrived.recv()).await.expect("in time").expect("open");
            assert_eq!(got, i, "messages arrive one at a time");
            last = last.max(at);
            if i >= FANOUT_WARMUP {
                each.push(ms(at - sent));
            }
        }
        if i >= FANOUT_WARMUP {
            all.push(ms(last - sent));
        }
    }
    drop(clients);
    (each, all)
}

/// A thread that spins while the headline's overhead trials run, so that one of the two cores
/// never idles between two messages. One message's path is about 25-30 us with a core awake; on
/// an otherwise quiet machine the cores sleep between messages and the same path took 70-110 us,
/// by an amount that changed from one trial to the next (a trial that happened to find the
/// cores awake ran about three times faster than the others), and the headline, which divides
/// by the bare reader's single best trial, measured that luck. Both readers' trials run with
/// the spinner, which also takes one core away from the mock and the client runtime; the same
/// trials without it are reported as `chat_*_message_idle_ms` (what a message costs on an idle
/// machine, where the SDK's extra task wake-up also costs more).
struct KeepAwake {
    stop: Arc<std::sync::atomic::AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl KeepAwake {
    fn start() -> KeepAwake {
        let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let flag = stop.clone();
        let thread = std::thread::spawn(move || {
            while !flag.load(std::sync::atomic::Ordering::Relaxed) {
                std::hint::spin_loop();
            }
        });
        KeepAwake { stop, thread: Some(thread) }
    }
}

impl Drop for KeepAwake {
    fn drop(&mut self) {
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// A bare Socket.IO reader: the frames, and nothing else.
struct Bare {
    socket: tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>,
}

impl Bare {
    async fn connect(mock: &MockServer, conv: &ConversationId) -> Bare {
        let url = format!("ws://{}/socket.io/?EIO=4&transport=websocket", mock.addr());
        let (mut socket, _) = tokio_tungstenite::connect_async(url.as_str()).await.expect("websocket");
        let open = Bare::text(&mut socket).await;
        assert!(open.starts_with('0'), "Engine.IO open, got {open}");
        let key = mock.keys().nextcap_crm_live_chat.clone();
        let auth = serde_json::json!({ "apiKey": key });
        socket.send(Frame::text(format!("40/crm-chat,{auth}"))).await.expect("connect");
        let connected = Bare::text(&mut socket).await;
        assert!(connected.starts_with("40/crm-chat,"), "CONNECT, got {connected}");
        let join = serde_json::json!(["crm:join", { "conversationId": conv.as_str() }]);
        socket.send(Frame::text(format!("42/crm-chat,1{join}"))).await.expect("join");
        loop {
            let frame = Bare::text(&mut socket).await;
            if frame.starts_with("43/crm-chat,1") {
                assert!(frame.contains("\"success\":true"), "joined: {frame}");
                break;
            }
        }
        Bare { socket }
    }

    async fn text(
        socket: &mut tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>,
    ) -> String {
        loop {
            let frame =
                tokio::time::timeout(WAIT, socket.next()).await.expect("in time").expect("open").expect("frame");
            match frame {
                // Engine.IO's ping can come at any point, even between open and CONNECT.
                Frame::Text(text) if text.as_str() == "2" => socket.send(Frame::text("3")).await.expect("pong"),
                Frame::Text(text) => return text.as_str().to_owned(),
                _ => {}
            }
        }
    }

    /// Reads until the `message:new` whose content is `content` (pings are answered by `text`).
    async fn until_message(&mut self, content: &str) -> Instant {
        loop {
            let text = Bare::text(&mut self.socket).await;
            let Some(body) = text.strip_prefix("42/crm-chat,") else { continue };
            let Ok(serde_json::Value::Array(parts)) = serde_json::from_str::<serde_json::Value>(body) else { continue };
            if parts.first().and_then(|n| n.as_str()) == Some("message:new")
                && parts.get(1).and_then(|m| m.get("content")).and_then(|c| c.as_str()) == Some(content)
            {
                return Instant::now();
            }
        }
    }
}

/// The two readers of the overhead figure, each joined to a conversation of its own.
struct Readers {
    mock: Arc<MockServer>,
    sdk: Arc<Mutex<(ChatClient, ChatEvents)>>,
    bare: Arc<Mutex<Bare>>,
    sdk_conv: ConversationId,
    bare_conv: ConversationId,
    counter: Arc<std::sync::atomic::AtomicUsize>,
}

impl Readers {
    /// A unique message content.
    fn next_content(&self) -> String {
        format!("overhead {}", self.counter.fetch_add(1, std::sync::atomic::Ordering::Relaxed))
    }

    /// One SDK trial: the median latency of `MESSAGES_PER_TRIAL` messages, in milliseconds.
    async fn sdk_trial(&self) -> f64 {
        let mut guard = self.sdk.lock().await;
        let mut latencies = Vec::with_capacity(MESSAGES_PER_TRIAL);
        for _ in 0..MESSAGES_PER_TRIAL {
            let content = self.next_content();
            let sent = visitor_says(&self.mock, &self.sdk_conv, content.clone());
            latencies.push(ms(until_message(&mut guard.1, &content).await - sent));
        }
        deskapi_bench::median(&mut latencies)
    }

    /// One bare-reader trial, measured the same way.
    async fn bare_trial(&self) -> f64 {
        let mut guard = self.bare.lock().await;
        let mut latencies = Vec::with_capacity(MESSAGES_PER_TRIAL);
        for _ in 0..MESSAGES_PER_TRIAL {
            let content = self.next_content();
            let sent = visitor_says(&self.mock, &self.bare_conv, content.clone());
            latencies.push(ms(guard.until_message(&content).await - sent));
        }
        deskapi_bench::median(&mut latencies)
    }

    /// `WARMUP` + `trials` interleaved trials of each reader.
    async fn trials(&self, trials: usize) -> deskapi_bench::Trials {
        interleave(WARMUP, trials, || self.sdk_trial(), || self.bare_trial()).await
    }
}

#[tokio::main]
async fn main() {
    let mock = Arc::new(serve_on_own_thread(MockServer::builder().rate_limit(RateLimitSetting::Off)));

    let (mut each, mut all) = fanout(&mock).await;
    let deliveries = each.len();
    let fanout_p99 = p99(&mut each);
    let fanout_all_p99 = p99(&mut all);
    let fanout_median = deskapi_bench::median(&mut each);

    // One SDK client and one bare reader, each in a conversation of its own.
    let sdk_conv = conversation(&mock);
    let bare_conv = conversation(&mock);
    let sdk = Arc::new(Mutex::new(sdk_client(&mock, &sdk_conv).await));
    let bare = Arc::new(Mutex::new(Bare::connect(&mock, &bare_conv).await));
    let readers = Readers { mock: mock.clone(), sdk, bare, sdk_conv, bare_conv, counter: Default::default() };
    let awake = KeepAwake::start();
    let trials = readers.trials(TRIALS).await;
    drop(awake);
    // The same without the spinner, for what a message costs on an otherwise idle machine
    // (report only: see `KeepAwake`).
    let idle = readers.trials(IDLE_TRIALS).await;

    let (overhead, paired) = ratio(&trials.a, Stat::Median, &trials.b, Stat::Min);
    report(
        "chat_speed",
        &[
            Metric::goal("chat_fanout_p99_ms", fanout_p99, "<=", 20.0),
            Metric::info("chat_fanout_all_p99_ms", fanout_all_p99),
            Metric::info("chat_fanout_median_ms", fanout_median),
            Metric::info("chat_fanout_deliveries", deliveries as f64),
            Metric::goal("chat_client_overhead_ratio", overhead, "<=", 1.25).with_spread(paired),
            Metric::median_of("chat_sdk_message_ms", &trials.a),
            Metric::median_of("chat_bare_message_ms", &trials.b),
            Metric::median_of("chat_sdk_message_idle_ms", &idle.a),
            Metric::median_of("chat_bare_message_idle_ms", &idle.b),
        ],
    );
}
