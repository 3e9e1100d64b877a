//! Exactly-once `message:new` across reconnects: the client's ledger of joined rooms (for each,
//! the last message it delivered and a bounded window of recent message IDs) and the REST
//! catch-up that fetches what a dropped connection missed.
//!
//! Socket.IO does not replay what the server emitted while a socket was gone, so after a
//! reconnect the client asks the CRM REST API (`GET /external/crm/conversations/{id}/messages`,
//! nextcap-crm-integration.txt; oldest first, `page`/`per_page` only, no "since" filter) for the
//! messages after the last one it delivered, walking back from the newest page until it finds
//! that message. Both sources then pass through the same window of seen IDs, which is what keeps
//! a message that arrives live *and* in the catch-up from being delivered twice.

use std::collections::{HashMap, HashSet, VecDeque};

use super::{ChatError, NewMessage};
use crate::NextCapCrmClient;
use crate::nextcap::Message;

/// How many message IDs each joined conversation remembers for de-duplication. A live copy of a
/// caught-up message arrives within one catch-up, so this only has to exceed the number of
/// messages one conversation receives while a catch-up runs.
pub const DEDUP_WINDOW: usize = 1024;

/// The most messages one conversation's catch-up delivers after one reconnect; older missed
/// messages beyond it are skipped (the catch-up reads at most this many back from the newest).
pub const MAX_CATCH_UP: usize = 1000;

/// Messages per page the catch-up asks for (the contract's maximum).
const PER_PAGE: u32 = 100;

/// Where a room's catch-up starts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Anchor {
    /// Joined; the newest message at join time is still being looked up.
    Pending,
    /// The conversation had no message when joined: everything is new.
    Start,
    /// Everything up to and including this message was delivered.
    After(String),
}

/// One joined room's delivery record.
#[derive(Debug)]
struct RoomLog {
    anchor: Anchor,
    recent: VecDeque<String>,
    seen: HashSet<String>,
}

impl RoomLog {
    fn new() -> RoomLog {
        RoomLog { anchor: Anchor::Pending, recent: VecDeque::new(), seen: HashSet::new() }
    }
}

/// The joined rooms, in join order, with what each has delivered.
#[derive(Debug, Default)]
pub(crate) struct Rooms {
    order: Vec<String>,
    logs: HashMap<String, RoomLog>,
}

impl Rooms {
    /// The joined conversation IDs, in join order.
    pub fn list(&self) -> Vec<String> {
        self.order.clone()
    }

    /// Records a successful `crm:join` (joining twice keeps the existing record).
    pub fn joined(&mut self, room: &str) {
        if !self.logs.contains_key(room) {
            self.order.push(room.to_owned());
            self.logs.insert(room.to_owned(), RoomLog::new());
        }
    }

    /// Forgets a room (left, or refused on a re-join).
    pub fn left(&mut self, room: &str) {
        self.order.retain(|r| r != room);
        self.logs.remove(room);
    }

    /// The catch-up start of `room` (`None` when not joined).
    pub fn anchor(&self, room: &str) -> Option<Anchor> {
        self.logs.get(room).map(|log| log.anchor.clone())
    }

    /// Sets the anchor looked up at join time, unless a message was delivered meanwhile.
    pub fn anchor_from_join(&mut self, room: &str, anchor: Anchor) {
        if let Some(log) = self.logs.get_mut(room)
            && log.anchor == Anchor::Pending
        {
            log.anchor = anchor;
        }
    }

    /// Whether `message` is to be delivered: `false` for one already delivered (within the
    /// window). A delivered message of a joined room becomes its anchor.
    pub fn admit(&mut self, message: &NewMessage) -> bool {
        let Some(log) = self.logs.get_mut(message.conversation_id.as_str()) else { return true };
        let id = message.id.as_str();
        if log.seen.contains(id) {
            return false;
        }
        log.seen.insert(id.to_owned());
        log.recent.push_back(id.to_owned());
        if log.recent.len() > DEDUP_WINDOW
            && let Some(old) = log.recent.pop_front()
        {
            log.seen.remove(&old);
        }
        log.anchor = Anchor::After(id.to_owned());
        true
    }
}

/// A REST failure of the catch-up or the join-time lookup, as a [`ChatError::Rest`].
pub(crate) fn rest_error(error: crate::Error) -> ChatError {
    let status = match &error {
        crate::Error::Api(api) => Some(api.status),
        _ => None,
    };
    ChatError::Rest { status, message: error.to_string() }
}

/// The anchor for a room joined now: its newest message, or [`Anchor::Start`] when it has none.
pub(crate) async fn newest(crm: &NextCapCrmClient, room: &str) -> Result<Anchor, ChatError> {
    let first = crm.conversations().messages(room).per_page(PER_PAGE).send().await.map_err(rest_error)?;
    let last_page = first.meta.total_pages.max(1);
    let items = if last_page == 1 {
        first.items
    } else {
        let page = crm.conversations().messages(room).per_page(PER_PAGE).page(last_page).send().await;
        page.map_err(rest_error)?.items
    };
    Ok(items.last().map(|m| Anchor::After(m.id.as_str().to_owned())).unwrap_or(Anchor::Start))
}

/// The messages of `room` after `anchor`, oldest first, at most [`MAX_CATCH_UP`]: page 1 (for
/// the page count), then from the last page backwards until the anchor's page.
pub(crate) async fn missed(crm: &NextCapCrmClient, room: &str, anchor: &Anchor) -> Result<Vec<NewMessage>, ChatError> {
    let list = || crm.conversations().messages(room).per_page(PER_PAGE);
    let first = list().send().await.map_err(rest_error)?;
    let anchor_id = match anchor {
        Anchor::After(id) => Some(id.as_str()),
        Anchor::Start | Anchor::Pending => None,
    };
    let mut newest_first: Vec<Message> = Vec::new();
    let mut page = first.meta.total_pages.max(1);
    let mut found = false;
    // The newest MAX_CATCH_UP messages lie within this many pages of the end (every page but
    // the last is as full as page 1), so a `total_pages` far past the messages a server holds
    // costs at most this many requests, not one per page it claims.
    let mut budget = if first.items.is_empty() { 0 } else { MAX_CATCH_UP.div_ceil(first.items.len()) + 1 };
    while page > 1 && !found && newest_first.len() < MAX_CATCH_UP && budget > 0 {
        budget -= 1;
        let items = list().page(page).send().await.map_err(rest_error)?.items;
        found = take_after(items, anchor_id, &mut newest_first);
        page -= 1;
    }
    if !found && newest_first.len() < MAX_CATCH_UP {
        take_after(first.items, anchor_id, &mut newest_first);
    }
    newest_first.truncate(MAX_CATCH_UP);
    Ok(newest_first.into_iter().rev().map(from_rest).collect())
}

/// Appends the messages of one oldest-first page that come after `anchor`, newest first; true
/// when the anchor was on the page.
fn take_after(items: Vec<Message>, anchor: Option<&str>, newest_first: &mut Vec<Message>) -> bool {
    for message in items.into_iter().rev() {
        if Some(message.id.as_str()) == anchor {
            return true;
        }
        newest_first.push(message);
    }
    false
}

/// A REST message as the `message:new` it would have been. The REST shape has no `visitorId`,
/// so caught-up messages carry `None` there.
fn from_rest(message: Message) -> NewMessage {
    NewMessage {
        id: message.id,
        conversation_id: message.conversation_id,
        role: message.role,
        content: message.content,
        visitor_id: None,
        created_at: message.created_at,
        attachments: message.attachments,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn message(conversation: &str, id: &str) -> NewMessage {
        serde_json::from_value(json!({
            "id": id, "conversationId": conversation, "role": "user", "content": "hi",
            "visitorId": null, "createdAt": "2026-04-07T14:30:00Z"
        }))
        .expect("a message")
    }

    #[test]
    fn the_window_drops_repeats_and_forgets_beyond_its_bound() {
        let mut rooms = Rooms::default();
        rooms.joined("c");
        assert_eq!(rooms.anchor("c"), Some(Anchor::Pending));
        assert!(rooms.admit(&message("c", "m0")));
        assert!(!rooms.admit(&message("c", "m0")), "a repeat is dropped");
        assert_eq!(rooms.anchor("c"), Some(Anchor::After("m0".into())));
        rooms.anchor_from_join("c", Anchor::Start);
        assert_eq!(rooms.anchor("c"), Some(Anchor::After("m0".into())), "a delivered message wins");
        for i in 1..=DEDUP_WINDOW {
            assert!(rooms.admit(&message("c", &format!("m{i}"))));
        }
        assert!(rooms.admit(&message("c", "m0")), "past the window an ID is forgotten");
        assert!(!rooms.admit(&message("c", &format!("m{DEDUP_WINDOW}"))));
        assert!(rooms.admit(&message("other", "m1")), "rooms not joined pass through");
        rooms.left("c");
        assert_eq!((rooms.anchor("c"), rooms.list()), (None, vec![]));
    }

    #[tokio::test]
    async fn a_page_count_past_the_messages_costs_a_bounded_walk() {
        use wiremock::{Mock, MockServer, ResponseTemplate, matchers};
        let server = MockServer::start().await;
        let message = |id: &str| {
            json!({"id": id, "conversation_id": "c", "role": "user", "content": "hi", "sources": null,
                   "attachments": [], "feedback": null, "created_at": "2026-04-07T14:30:00.000Z"})
        };
        let page = |data: serde_json::Value| {
            let meta = json!({"page": 1, "per_page": 100, "total": u64::from(u32::MAX) * 100, "total_pages": u32::MAX});
            ResponseTemplate::new(200).set_body_json(json!({"data": data, "meta": meta}))
        };
        let path = "/external/crm/conversations/c/messages";
        Mock::given(matchers::path(path))
            .and(matchers::query_param_is_missing("page"))
            .respond_with(page(json!([message("m1"), message("m2")])))
            .mount(&server)
            .await;
        // Every page the claim invents past page 1 is empty.
        Mock::given(matchers::path(path)).respond_with(page(json!([]))).mount(&server).await;
        let crm = NextCapCrmClient::builder("nextcap_ck_test").base_url(server.uri()).build().expect("client");
        let anchor = Anchor::After("gone".into());
        let walk = missed(&crm, "c", &anchor);
        let caught = tokio::time::timeout(std::time::Duration::from_secs(20), walk).await.expect("a bounded walk");
        let ids: Vec<String> = caught.expect("caught up").into_iter().map(|m| m.id.as_str().to_owned()).collect();
        assert_eq!(ids, ["m1", "m2"], "what page 1 holds after an anchor that is gone");
        let requests = server.received_requests().await.map_or(0, |r| r.len());
        assert!(requests <= MAX_CATCH_UP.div_ceil(2) + 2, "{requests} requests");
    }
}
