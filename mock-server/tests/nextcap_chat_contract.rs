//! The live chat held to its AsyncAPI contract, `openapi/nextcap-chat.yaml`, as
//! `.ci/spec/mock_conformance.sh` holds the REST APIs to their OpenAPI files: every server event
//! the mock emits, every acknowledgement (success and failure) of every client event, and the
//! CONNECT_ERROR of a refused key are read off the wire and validated against the schema of the
//! contract's message for them. Every server message the contract defines must be seen, so a
//! message added to the contract without a way to cause it here fails the test.
//!
//! The payloads come from a bare Socket.IO reader (`chat_wire`), not from a client library,
//! so what is validated is the JSON the mock sent. The schemas are AsyncAPI schema objects
//! (a superset of JSON Schema draft 7) validated with formats asserted.

mod chat_wire;

use std::{
    collections::{BTreeMap, BTreeSet, HashMap},
    path::PathBuf,
    time::Duration,
};

use chat_wire::Wire;
use deskapi_mock::{
    MockServer,
    actions::nextcap::{NewConversation, NewTicket, RateConversation, VisitorMessage, VisitorTyping},
};
use jsonschema::{Draft, Validator};
use serde_json::{Value, json};
use uuid::Uuid;

/// How long a socket must stay quiet before its remaining events are taken as all of them.
const QUIET: Duration = Duration::from_millis(300);

/// The contract document and what its operations say about each Socket.IO event.
struct Contract {
    doc: Value,
    /// Server event name -> JSON pointer of its message (`/components/messages/...`).
    server_events: BTreeMap<String, String>,
    /// Client event name -> JSON pointer of its reply (ack) message.
    acks: BTreeMap<String, String>,
    validators: HashMap<String, Validator>,
}

/// Follows `$ref`s (local ones only) from `pointer` to the object they end at: (its pointer, it).
fn resolve<'a>(doc: &'a Value, pointer: &str) -> (String, &'a Value) {
    let mut pointer = pointer.to_owned();
    loop {
        let value = doc.pointer(&pointer).unwrap_or_else(|| panic!("the contract has nothing at #{pointer}"));
        match value.get("$ref").and_then(Value::as_str) {
            Some(target) => {
                let local = target.strip_prefix('#').unwrap_or_else(|| panic!("non-local $ref {target}"));
                pointer = local.to_owned();
            }
            None => return (pointer, value),
        }
    }
}

/// The message pointers an operation's `messages` list names.
fn message_pointers(doc: &Value, list: &Value) -> Vec<String> {
    let items = list.as_array().map(Vec::as_slice).unwrap_or_default();
    items
        .iter()
        .map(|m| {
            let target = m["$ref"].as_str().unwrap_or_else(|| panic!("message without $ref: {m}"));
            resolve(doc, target.trim_start_matches('#')).0
        })
        .collect()
}

/// A `format: uuid` check: the hyphenated RFC 9562 text form only.
fn is_uuid(text: &str) -> bool {
    text.len() == 36 && Uuid::try_parse(text).is_ok()
}

impl Contract {
    fn load() -> Contract {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../openapi/nextcap-chat.yaml");
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let doc: Value = serde_norway::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let mut server_events = BTreeMap::new();
        let mut acks = BTreeMap::new();
        let operations = doc["operations"].as_object().expect("operations");
        for (id, op) in operations {
            let messages = message_pointers(&doc, &op["messages"]);
            match op["action"].as_str() {
                Some("send") => {
                    for pointer in messages {
                        server_events.insert(Self::name_at(&doc, &pointer), pointer);
                    }
                }
                Some("receive") => {
                    let replies = message_pointers(&doc, &op["reply"]["messages"]);
                    assert_eq!(replies.len(), 1, "operation {id}: one reply message");
                    for pointer in messages {
                        acks.insert(Self::name_at(&doc, &pointer), replies[0].clone());
                    }
                }
                other => panic!("operation {id}: action {other:?}"),
            }
        }
        Contract { doc, server_events, acks, validators: HashMap::new() }
    }

    fn name_at(doc: &Value, pointer: &str) -> String {
        let name = doc.pointer(pointer).and_then(|m| m["name"].as_str());
        name.unwrap_or_else(|| panic!("message #{pointer} has no name")).to_owned()
    }

    /// The validator of the payload of the message at `pointer`: the whole document with a root
    /// `$ref` to the payload, so the payload's own `$ref`s resolve within the document.
    fn validator(&mut self, pointer: &str) -> &Validator {
        let doc = &self.doc;
        self.validators.entry(pointer.to_owned()).or_insert_with(|| {
            let mut root = doc.clone();
            root["$ref"] = json!(format!("#{pointer}/payload"));
            jsonschema::options()
                .with_draft(Draft::Draft7)
                .should_validate_formats(true)
                .should_ignore_unknown_formats(false)
                .with_format("uuid", is_uuid)
                .build(&root)
                .unwrap_or_else(|e| panic!("schema of #{pointer}: {e}"))
        })
    }

    /// Why `payload` does not fit the message at `pointer` (empty when it fits).
    fn errors(&mut self, pointer: &str, payload: &Value) -> Vec<String> {
        self.validator(pointer).iter_errors(payload).map(|e| format!("{e} (at '{}')", e.instance_path())).collect()
    }
}

/// What the test saw: every payload checked, every mismatch kept (so one run reports all).
struct Audit {
    contract: Contract,
    /// Message pointer -> how many payloads of it were checked.
    seen: BTreeMap<String, usize>,
    /// Client event -> (success acks, failure acks) seen.
    acks: BTreeMap<String, (usize, usize)>,
    failures: Vec<String>,
}

impl Audit {
    fn new() -> Audit {
        Audit { contract: Contract::load(), seen: BTreeMap::new(), acks: BTreeMap::new(), failures: Vec::new() }
    }

    /// Checks one payload of the message at `pointer`; `what` names it in a failure.
    fn check(&mut self, what: &str, pointer: &str, args: &[Value]) {
        *self.seen.entry(pointer.to_owned()).or_default() += 1;
        let [payload] = args else {
            self.failures.push(format!("{what}: one argument expected, got {}: {args:?}", args.len()));
            return;
        };
        for error in self.contract.errors(pointer, payload) {
            self.failures.push(format!("{what} {payload}: {error}"));
        }
    }

    /// Checks a server event (one not in the contract is a failure).
    fn event(&mut self, name: &str, args: &[Value]) {
        match self.contract.server_events.get(name).cloned() {
            Some(pointer) => self.check(&format!("event {name}"), &pointer, args),
            None => self.failures.push(format!("event {name} is not in the contract: {args:?}")),
        }
    }

    /// Checks the ack of client event `event`, which should say `success`.
    fn ack(&mut self, event: &str, success: bool, args: &[Value]) {
        let pointer = self.contract.acks.get(event).cloned().unwrap_or_else(|| panic!("no ack for {event}"));
        self.check(&format!("{event} ack"), &pointer, args);
        let said = args.first().map(|a| &a["success"]);
        assert_eq!(said, Some(&json!(success)), "{event}: expected success {success}, got {args:?}");
        let counts = self.acks.entry(event.to_owned()).or_default();
        if success { counts.0 += 1 } else { counts.1 += 1 }
    }

    /// Waits for server event `name` on `socket`, checks it, and returns its payload.
    async fn expect(&mut self, socket: &mut Wire, name: &str) -> Value {
        let args = socket.event(name).await;
        self.event(name, &args);
        args.first().cloned().unwrap_or(Value::Null)
    }

    /// Emits client event `event` with `payload` on `socket` and checks its ack.
    async fn emit(&mut self, socket: &mut Wire, event: &str, payload: Value, success: bool) -> Value {
        let args = socket.emit(event, &[payload]).await;
        self.ack(event, success, &args);
        args.first().cloned().unwrap_or(Value::Null)
    }
}

/// A CRM REST call to the mock: (status, body).
async fn crm(server: &MockServer, key: &str, method: reqwest::Method, path: &str, body: Option<Value>) -> (u16, Value) {
    let url = format!("{}/external/crm{path}", server.nextcap_url());
    let mut request = reqwest::Client::new().request(method, url).header("X-Api-Key", key);
    if let Some(body) = body {
        request = request.header("content-type", "application/json").body(body.to_string());
    }
    let response = request.send().await.expect("CRM request");
    let status = response.status().as_u16();
    (status, serde_json::from_str(&response.text().await.expect("body")).expect("JSON"))
}

#[tokio::test]
async fn every_payload_the_mock_sends_matches_the_contract() {
    let server = MockServer::start().await;
    let keys = server.keys().clone();
    let mut audit = Audit::new();
    let url = server.chat_url();
    let ns = MockServer::CHAT_NAMESPACE;
    let input = NewConversation { org: "acme".into(), message: Some("Hi".into()), ..NewConversation::default() };
    let conv = server.nextcap().start_conversation(input).expect("start conversation").id;
    let room = json!({ "conversationId": conv });

    // The agent (live-chat seat) and a watcher (admin seat), both in the room.
    let connect = |key: String| {
        let url = url.clone();
        async move { Wire::connect(&url, ns, &json!({ "apiKey": key })).await.expect("admitted") }
    };
    let mut agent = connect(keys.nextcap_crm_live_chat.clone()).await;
    let mut watcher = connect(keys.nextcap_crm_admin.clone()).await;
    audit.emit(&mut agent, "crm:join", room.clone(), true).await;
    audit.emit(&mut watcher, "crm:join", room.clone(), true).await;
    audit.emit(&mut agent, "crm:join", json!({ "conversationId": Uuid::from_u128(0x5eed) }), false).await;

    // crm:message: message:new (role agent) to the whole room; an empty message is refused.
    let sent = audit.emit(&mut agent, "crm:message", json!({ "conversationId": conv, "content": "On it" }), true).await;
    for socket in [&mut agent, &mut watcher] {
        let event = audit.expect(socket, "message:new").await;
        assert_eq!((&event["id"], &event["role"]), (&sent["messageId"], &json!("agent")), "{event}");
        assert_eq!(event["createdAt"], sent["createdAt"], "the ack's createdAt is the message's");
    }
    audit.emit(&mut agent, "crm:message", json!({ "conversationId": conv, "content": "" }), false).await;

    // crm:typing: typing (role agent) to the others in the room; a payload without an id is refused.
    audit.emit(&mut agent, "crm:typing", room.clone(), true).await;
    assert_eq!(audit.expect(&mut watcher, "typing").await["role"], "agent");
    audit.emit(&mut agent, "crm:typing", json!("not an object"), false).await;

    // A visitor's message and typing (with its sneak peek), through the control actions.
    let message = VisitorMessage { org: "acme".into(), conversation_id: Some(conv), content: "Order #9".into() };
    server.nextcap().send_visitor_message(message).expect("send-message");
    assert_eq!(audit.expect(&mut watcher, "message:new").await["role"], "user");
    let typing = VisitorTyping { org: "acme".into(), conversation_id: Some(conv), content: Some("Where is".into()) };
    server.nextcap().visitor_typing(typing).expect("visitor-typing");
    assert_eq!(audit.expect(&mut watcher, "typing").await["role"], "visitor");
    assert_eq!(audit.expect(&mut watcher, "typing:content").await["content"], "Where is");

    // agent:assigned through the CRM REST API.
    let by_email = "/members/by-email/ada.admin%40acme.example";
    let (status, admin) = crm(&server, &keys.nextcap_crm_admin, reqwest::Method::GET, by_email, None).await;
    assert_eq!(status, 200, "{admin}");
    let admin_id = admin["data"]["id"].clone();
    let assign = Some(json!({ "agent_id": admin_id }));
    let path = format!("/conversations/{conv}/assign");
    let (status, body) = crm(&server, &keys.nextcap_crm_admin, reqwest::Method::POST, &path, assign).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(audit.expect(&mut watcher, "agent:assigned").await["agentUserId"], admin_id);

    // ticket:created (a ticket filed from the chat) and feedback:received (the visitor's rating).
    let subject = "Order #9 never arrived";
    let ticket =
        NewTicket { org: "acme".into(), subject: subject.into(), conversation_id: Some(conv), ..NewTicket::default() };
    server.nextcap().file_ticket(ticket).expect("file-ticket");
    assert_eq!(audit.expect(&mut watcher, "ticket:created").await["subject"], subject);
    let feedback = json!({ "comment": "Quick" }).as_object().cloned();
    let rating =
        RateConversation { org: "acme".into(), conversation_id: Some(conv), satisfaction_rating: Some(4), feedback };
    server.nextcap().rate_conversation(rating).expect("rate-conversation");
    assert_eq!(audit.expect(&mut watcher, "feedback:received").await["satisfactionRating"], 4);

    // conversation:resolved through the CRM REST API.
    let path = format!("/conversations/{conv}/resolve");
    let (status, body) = crm(&server, &keys.nextcap_crm_admin, reqwest::Method::POST, &path, None).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(audit.expect(&mut watcher, "conversation:resolved").await["conversationId"], conv.to_string());

    // crm:leave, and one with a conversationId that is no UUID.
    audit.emit(&mut watcher, "crm:leave", room.clone(), true).await;
    audit.emit(&mut watcher, "crm:leave", json!({ "conversationId": "conv_1" }), false).await;

    // Whatever else the sockets got (the agent's own copies of the room's events) is checked too.
    for socket in [&mut agent, &mut watcher] {
        for (name, args) in socket.drain(QUIET).await {
            audit.event(&name, &args);
        }
    }

    // A refused key: the CONNECT_ERROR payload.
    let refused = Wire::connect(&url, ns, &json!({ "apiKey": "nextcap_ck_nope" })).await.err().expect("refused");
    audit.event("connect_error", std::slice::from_ref(&refused));

    let unseen: Vec<&String> =
        audit.contract.server_events.iter().filter(|(_, p)| !audit.seen.contains_key(*p)).map(|(n, _)| n).collect();
    assert!(unseen.is_empty(), "server messages of the contract this test never caused: {unseen:?}");
    let acks: BTreeSet<&String> = audit.contract.acks.keys().collect();
    for event in acks {
        let (ok, failed) = audit.acks.get(event).copied().unwrap_or_default();
        assert!(ok > 0 && failed > 0, "{event}: {ok} success and {failed} failure acks checked, want both");
    }
    assert!(audit.failures.is_empty(), "payloads off the contract:\n{}", audit.failures.join("\n"));
}

/// The checks above can fail: payloads that break the contract in each way it can be broken
/// are caught, the contract's own examples pass, and an event it does not list is flagged.
#[test]
fn payloads_off_the_contract_fail_validation() {
    let mut audit = Audit::new();
    let message_new = audit.contract.server_events["message:new"].clone();
    let examples = audit.contract.doc.pointer(&format!("{message_new}/examples")).cloned();
    let example = examples.and_then(|e| e[0]["payload"].as_object().cloned()).expect("message:new example");
    let example = Value::Object(example);
    assert_eq!(audit.contract.errors(&message_new, &example), Vec::<String>::new(), "the example fits");

    let broken: [(&str, Value); 6] = [
        ("createdAt", Value::Null),            // required, and a string
        ("createdAt", json!("yesterday")),     // not a date-time
        ("conversationId", json!("conv_1")),   // not a UUID
        ("role", json!("bot")),                // not in the enum
        ("attachments", json!([{ "id": 1 }])), // an attachment without its fields
        ("visitorId", json!(7)),               // neither string nor null
    ];
    for (field, value) in broken {
        let mut payload = example.clone();
        payload[field] = value.clone();
        assert!(!audit.contract.errors(&message_new, &payload).is_empty(), "{field} = {value} passed");
    }
    let mut missing = example.clone();
    missing.as_object_mut().expect("object").remove("content");
    assert!(!audit.contract.errors(&message_new, &missing).is_empty(), "a message without content passed");

    let typing = audit.contract.server_events["typing"].clone();
    let ok = json!({ "conversationId": Uuid::from_u128(1), "role": "agent", "identifier": "u1" });
    assert!(audit.contract.errors(&typing, &ok).is_empty());
    let bad = json!({ "conversationId": Uuid::from_u128(1), "role": "robot", "identifier": "u1" });
    assert!(!audit.contract.errors(&typing, &bad).is_empty(), "role robot passed");

    // Acks: a success without its id, a failure without its error, and a non-boolean success.
    let message_ack = audit.contract.acks["crm:message"].clone();
    for ack in [json!({ "success": true }), json!({ "success": false }), json!({ "success": "yes" })] {
        assert!(!audit.contract.errors(&message_ack, &ack).is_empty(), "{ack} passed as a crm:message ack");
    }

    audit.event("message:deleted", &[json!({})]);
    audit.event("typing", &[ok.clone(), ok]);
    assert_eq!(audit.failures.len(), 2, "{:?}", audit.failures);
}
