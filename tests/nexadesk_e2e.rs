//! End to end: the SDK's NexaDesk contacts, conversations and lead writes against the mock,
//! scopes both ways, 409, limits before sending, clearing a field with `null`, and a signed
//! webhook verified by the SDK.

mod support;

use deskapi::nexadesk::{ContactField, ConversationStatus, LeadField, NexaDeskErrorKind, PipelineStage, webhooks};
use futures::TryStreamExt;
use support::*;

#[tokio::test]
async fn lead_writes_scopes_and_limits() {
    let server = server().await;
    let rw = nexadesk(&server, &server.keys().nexadesk_read_write);
    let ro = nexadesk(&server, &server.keys().nexadesk_read_only);
    let lead = rw.leads().create("Jane Smith").visitor_email("jane@acme.example").send().await.unwrap();
    assert_eq!(lead.pipeline_stage, PipelineStage::New);
    assert_eq!(lead.source.as_deref(), Some("api"));
    let denied = ro.leads().create("Nope").send().await.unwrap_err();
    assert_eq!(NexaDeskErrorKind::of(&denied), NexaDeskErrorKind::Scope);
    let updated = rw.leads().update(lead.id.clone()).pipeline_stage(PipelineStage::Qualified).send().await.unwrap();
    assert_eq!((updated.pipeline_stage, updated.visitor_email), (PipelineStage::Qualified, lead.visitor_email));
    let before = server.requests().len();
    let refused = rw.leads().create("x".repeat(201)).send().await.unwrap_err();
    assert_eq!(NexaDeskErrorKind::of(&refused), NexaDeskErrorKind::InvalidArgument);
    assert!(rw.leads().create("x".repeat(200)).send().await.is_ok(), "200 characters is the limit");
    assert_eq!(server.requests().len(), before + 1, "the refused one was never sent");
    assert_eq!(rw.leads().delete(lead.id.clone()).await.unwrap(), lead.id);
    let gone = rw.leads().delete(lead.id.clone()).await.unwrap_err();
    assert_eq!(NexaDeskErrorKind::of(&gone), NexaDeskErrorKind::NotFound);
}

#[tokio::test]
async fn contacts_conflict_isolation_and_cursor_walk() {
    let server = server().await;
    let rw = nexadesk(&server, &server.keys().nexadesk_read_write);
    let globex = nexadesk(&server, &server.keys().nexadesk_globex);
    let all: Vec<_> = rw.contacts().list().limit(7).stream().try_collect().await.unwrap();
    let mut ids: Vec<_> = all.iter().map(|c| c.id.clone()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), all.len());
    let total = rw.contacts().list().send().await.unwrap().meta.total_count.unwrap_or(0);
    assert_eq!(all.len() as u64, total);
    let created = rw.contacts().create("Ada").email("ada@example.com").send().await.unwrap();
    let dup = rw.contacts().create("Eve").email("ada@example.com").send().await.unwrap_err();
    assert_eq!(NexaDeskErrorKind::of(&dup), NexaDeskErrorKind::Conflict);
    assert_eq!(rw.contacts().get(created.id.clone()).await.unwrap().email.as_deref(), Some("ada@example.com"));
    let hidden = globex.contacts().get(created.id.clone()).await.unwrap_err();
    assert_eq!(NexaDeskErrorKind::of(&hidden), NexaDeskErrorKind::NotFound);
    let updated = rw.contacts().update(created.id.clone()).last_name("Lovelace").send().await.unwrap();
    assert_eq!((updated.first_name.as_str(), updated.last_name.as_deref()), ("Ada", Some("Lovelace")));
    rw.contacts().delete(created.id).await.unwrap();
}

#[tokio::test]
async fn clearing_a_lead_phone_and_a_contact_company_reads_back_as_none() {
    let server = server().await;
    let rw = nexadesk(&server, &server.keys().nexadesk_read_write);
    let lead = rw
        .leads()
        .create("Clearable Lead")
        .visitor_phone("+1-555-0123")
        .visitor_company("Acme Corp")
        .send()
        .await
        .unwrap();
    assert_eq!(lead.visitor_phone.as_deref(), Some("+1-555-0123"));
    let updated = rw.leads().update(lead.id.clone()).clear(LeadField::VisitorPhone).send().await.unwrap();
    assert_eq!((updated.visitor_phone, updated.visitor_company.as_deref()), (None, Some("Acme Corp")));
    // Read back from the list: the clear was stored, and the other fields were left alone.
    let found = rw.leads().list().search("Clearable Lead").send().await.unwrap().items;
    let stored = found.iter().find(|l| l.id == lead.id).expect("the lead is listed");
    assert_eq!((stored.visitor_phone.as_deref(), stored.visitor_company.as_deref()), (None, Some("Acme Corp")));

    let contact = rw.contacts().create("Ada").company_name("Analytical Engines Ltd").phone("+44").send().await.unwrap();
    assert_eq!(contact.company_name.as_deref(), Some("Analytical Engines Ltd"));
    let updated = rw.contacts().update(contact.id.clone()).clear(ContactField::CompanyName).send().await.unwrap();
    assert_eq!(updated.company_name, None);
    let stored = rw.contacts().get(contact.id.clone()).await.unwrap();
    assert_eq!((stored.company_name, stored.phone.as_deref(), stored.first_name.as_str()), (None, Some("+44"), "Ada"));

    // The last call wins against the real handler too: set after clear stores the value.
    let restored = rw
        .contacts()
        .update(contact.id)
        .clear(ContactField::CompanyName)
        .company_name("Babbage & Co")
        .send()
        .await
        .unwrap();
    assert_eq!(restored.company_name.as_deref(), Some("Babbage & Co"));
}

#[tokio::test]
async fn conversation_update_fires_a_signed_webhook() {
    let server = server().await;
    let rw = nexadesk(&server, &server.keys().nexadesk_read_write);
    let open = rw.conversations().list().status(ConversationStatus::Open).limit(1).send().await.unwrap();
    let id = open.items[0].id.clone();
    let thread = rw.conversations().get(id.clone()).await.unwrap();
    assert_eq!(thread.messages.len() as u32, thread.conversation.message_count);
    let closed = rw.conversations().update(id).status(ConversationStatus::Archived).send().await.unwrap();
    assert_eq!(closed.status, ConversationStatus::Archived);
    // Signature round trip with the SDK's verifier, over a body signed like the mock signs.
    let body = serde_json::json!({
        "event": "conversation.closed", "timestamp": "2026-03-20T14:00:00.000Z",
        "workspace_id": "ws_1", "data": closed,
    })
    .to_string();
    let mut headers = http::HeaderMap::new();
    let signature = deskapi_mock::sign_nexadesk_webhook("s3cret", body.as_bytes());
    headers.insert(webhooks::SIGNATURE_HEADER, signature.parse().unwrap());
    let delivery = webhooks::verify_and_parse("s3cret", &headers, body.as_bytes()).unwrap();
    assert!(
        matches!(delivery.event, webhooks::NexaDeskEvent::ConversationClosed(ref c) if c.status == ConversationStatus::Archived)
    );
    assert!(webhooks::verify_and_parse("other", &headers, body.as_bytes()).is_err());
}
