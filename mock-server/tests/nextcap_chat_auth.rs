//! Live chat's handshake over the real protocol (the official `socket.io-client`): who may open
//! `/crm-chat`, the CONNECT_ERROR for everyone else, and sockets dropped when their seat is
//! deactivated or their key revoked.

mod chat_support;

use chat_support::Driver;
use deskapi_mock::{
    MockServer,
    actions::nextcap::{RevokeCrmKey, SeatRef},
};
use serde_json::{Value, json};

async fn refused(driver: &mut Driver, id: &str, auth: Value, headers: Value) -> String {
    let report = driver.connect(id, auth, headers).await.expect_err("the namespace must refuse");
    report["message"].as_str().expect("connect_error has a message").to_owned()
}

/// `POST /__mock/chat/disconnect` with `body` sent as `content_type`.
async fn post_disconnect(server: &MockServer, content_type: &str, body: &str) -> reqwest::Response {
    let url = format!("{}/__mock/chat/disconnect", server.url());
    let post = reqwest::Client::new().post(&url).header("content-type", content_type).body(body.to_owned());
    post.send().await.expect("POST")
}

#[tokio::test]
async fn every_handshake_without_a_usable_seat_key_is_refused_with_its_code() {
    let server = MockServer::start().await;
    let Some(mut d) = Driver::start(&server.url()).await else { return };
    let keys = server.keys().clone();
    let none = json!({});
    let cases = [
        ("no-auth", Value::Null, "UNAUTHORIZED: Missing API key"),
        ("empty-key", json!({ "apiKey": "" }), "UNAUTHORIZED: Missing API key"),
        ("unknown", json!({ "apiKey": "nextcap_ck_nope" }), "UNAUTHORIZED: Invalid API key"),
        ("data-key", json!({ "apiKey": keys.nextcap_data }), "UNAUTHORIZED: Invalid API key"),
        ("deactivated", json!({ "apiKey": keys.nextcap_crm_deactivated }), "UNAUTHORIZED: API key is no longer valid"),
        ("ticketing", json!({ "apiKey": keys.nextcap_crm_ticketing }), "FORBIDDEN: Insufficient permissions"),
        ("pro-plan", json!({ "apiKey": keys.nextcap_crm_pro }), "FORBIDDEN: Enterprise plan required"),
    ];
    for (id, auth, expected) in cases {
        let message = refused(&mut d, id, auth, none.clone()).await;
        assert!(message.starts_with(expected), "{id}: {message}");
    }
    let browser = json!({ "Origin": "https://acme.example" });
    let message = refused(&mut d, "browser", json!({ "apiKey": keys.nextcap_crm_admin }), browser).await;
    assert!(message.starts_with("FORBIDDEN: Browser connections are not allowed"), "{message}");
    assert!(server.chat_sockets().is_empty(), "no refused socket stays: {:?}", server.chat_sockets());
}

#[tokio::test]
async fn seats_with_live_chat_or_conversation_view_are_admitted_and_listed() {
    let server = MockServer::start().await;
    let Some(mut d) = Driver::start(&server.url()).await else { return };
    let keys = server.keys().clone();
    d.connect_key("admin", &keys.nextcap_crm_admin).await;
    d.connect_key("chat", &keys.nextcap_crm_live_chat).await;
    d.connect_key("globex", &keys.nextcap_crm_globex_admin).await;
    let mut names: Vec<String> = server.chat_sockets().into_iter().map(|s| s.seat_name).collect();
    names.sort();
    assert_eq!(names, ["Ada Admin", "Gina Globex", "Liam Chat"]);
    // The control API lists the same sockets.
    let text = reqwest::get(format!("{}/__mock/chat/sockets", server.url())).await.expect("GET").text().await;
    let listed: Vec<Value> = serde_json::from_str(&text.expect("body")).expect("JSON");
    assert_eq!(listed.len(), 3);
    assert!(listed.iter().all(|s| s["seatId"].is_string() && s["rooms"].is_array()), "{listed:?}");
}

#[tokio::test]
async fn deactivating_a_seat_or_revoking_its_key_drops_its_sockets_only() {
    let server = MockServer::start().await;
    let Some(mut d) = Driver::start(&server.url()).await else { return };
    let keys = server.keys().clone();
    d.connect_key("chat", &keys.nextcap_crm_live_chat).await;
    d.connect_key("admin", &keys.nextcap_crm_admin).await;
    d.connect_key("globex", &keys.nextcap_crm_globex_admin).await;
    server.nextcap().deactivate_seat(SeatRef { org: "acme".into(), seat: "Liam Chat".into() }).expect("deactivate");
    assert_eq!(d.disconnected("chat").await, "io server disconnect");
    server.nextcap().revoke_crm_key(RevokeCrmKey { key: keys.nextcap_crm_globex_admin.clone() }).expect("revoke");
    assert_eq!(d.disconnected("globex").await, "io server disconnect");
    let left: Vec<String> = server.chat_sockets().into_iter().map(|s| s.seat_name).collect();
    assert_eq!(left, ["Ada Admin"]);
    // And the deactivated seat cannot come back.
    let message = refused(&mut d, "again", json!({ "apiKey": keys.nextcap_crm_live_chat }), json!({})).await;
    assert!(message.starts_with("UNAUTHORIZED"), "{message}");
}

#[tokio::test]
async fn the_control_api_drops_one_seats_sockets_or_all() {
    let server = MockServer::start().await;
    let Some(mut d) = Driver::start(&server.url()).await else { return };
    let keys = server.keys().clone();
    d.connect_key("chat", &keys.nextcap_crm_live_chat).await;
    d.connect_key("admin", &keys.nextcap_crm_admin).await;
    let sent = post_disconnect(&server, "application/json", r#"{"seat": "Liam Chat"}"#).await;
    let body: Value = serde_json::from_str(&sent.text().await.expect("body")).expect("JSON");
    assert_eq!(body, json!({ "disconnected": 1 }));
    d.disconnected("chat").await;
    assert_eq!(server.disconnect_chat(None).expect("disconnect"), 1);
    d.disconnected("admin").await;
    assert!(server.chat_sockets().is_empty());
}

#[tokio::test]
async fn a_bad_disconnect_body_is_a_400_in_the_control_apis_envelope() {
    let server = MockServer::start().await;
    for body in ["", "{", r#"{"seat": 5}"#, r#"{"zzz": 1}"#] {
        let sent = post_disconnect(&server, "application/json", body).await;
        assert_eq!(sent.status(), reqwest::StatusCode::BAD_REQUEST, "{body:?}");
        let answer: Value = serde_json::from_str(&sent.text().await.expect("body")).expect("a JSON answer");
        assert!(answer["error"].as_str().is_some_and(|e| e.starts_with("invalid body")), "{body:?}: {answer}");
    }
    let url = format!("{}/__mock/chat/disconnect", server.url());
    let none = reqwest::Client::new().post(&url).send().await.expect("POST");
    assert_eq!(none.status(), reqwest::StatusCode::OK, "no body drops every socket");
    // A seat sent with curl's form Content-Type is still read, never taken for "every socket".
    let form = post_disconnect(&server, "application/x-www-form-urlencoded", r#"{"seat": "nobody"}"#).await;
    assert_eq!(form.status(), reqwest::StatusCode::NOT_FOUND, "the seat in the body is read");
}

#[tokio::test]
async fn disconnecting_a_seat_that_does_not_exist_is_a_404_both_ways() {
    let server = MockServer::start().await;
    let sent = post_disconnect(&server, "application/json", r#"{"seat": "nobody"}"#).await;
    assert_eq!(sent.status(), reqwest::StatusCode::NOT_FOUND);
    let answer: Value = serde_json::from_str(&sent.text().await.expect("body")).expect("a JSON answer");
    assert_eq!(answer["field"], "seat", "{answer}");
    let refused = server.disconnect_chat(Some("nobody")).expect_err("an unknown seat");
    assert_eq!((refused.status, refused.field.as_str()), (404, "seat"));
    assert_eq!(server.disconnect_chat(Some("Liam Chat")).expect("a seat with no socket"), 0);
}
