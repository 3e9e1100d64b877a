//! `GET /external/crm/conversations` (+ `/queue`, `/{id}`, `/{id}/messages`) and the live-chat
//! actions `POST /conversations/{id}/assign` and `/resolve`.
//!
//! Reads see the seat's widgets, and a seat without `conversations:view` (only
//! `conversations:view-own`) sees the conversations assigned to it. The queue and the two
//! actions need `live-chat:join` and reach every conversation of the seat's widgets: picking a
//! conversation up from the queue is what they are for. `assign` and `resolve` publish
//! `agent:assigned` and `conversation:resolved` on the event bus (the live-chat events).

use axum::{http::Uri, response::IntoResponse};
use serde::Deserialize;
use uuid::Uuid;

use super::refused;
use crate::{
    encode::JsonBody,
    nextcap::{
        Item, Reply,
        error::NcError,
        extract::{self, CrmSeat, ListArgs, ListQuery, PathId},
    },
    query::{QueryParams, Validator, request_target},
    store::nextcap::{Conversation, CrmConversationFilter},
};

const NOUN: &str = "Conversation";

/// The documented default page size of a conversation's messages.
const MESSAGES_PER_PAGE: i64 = 50;

/// `GET /external/crm/conversations`.
pub async fn list(seat: CrmSeat, ListQuery { args, filter, target }: ListQuery<CrmConversationFilter>) -> Reply {
    seat.read_cached("listCrmConversations", &target, |v| {
        let mut rows: Vec<&Conversation> = v.conversations().filter(|c| filter.accepts(c)).collect();
        filter.sort.conversations(&mut rows);
        Ok(JsonBody(args.page_of(rows.into_iter(), |c| c)).encode())
    })
}

/// `GET /external/crm/conversations/queue`: `{"data": [...]}`, longest waiting first.
pub async fn queue(seat: CrmSeat) -> Reply {
    seat.read(|v| Ok(JsonBody(Item { data: v.queue() }).into_response()))
}

/// `GET /external/crm/conversations/{id}`, with every message, oldest first.
pub async fn get(seat: CrmSeat, id: PathId<Conversation>) -> Reply {
    seat.read(|v| {
        let detail = v.conversation_detail(id.id()).map_err(refused(NOUN))?;
        Ok(JsonBody(Item { data: detail }).into_response())
    })
}

/// `GET /external/crm/conversations/{id}/messages`, oldest first, 50 a page by default.
pub async fn messages(seat: CrmSeat, id: PathId<Conversation>, uri: Uri) -> Reply {
    let q = QueryParams::parse(uri.query());
    let mut check = Validator::default();
    let args = ListArgs::parse_with(&q, &mut check, MESSAGES_PER_PAGE);
    check.finish()?;
    seat.read_cached("listCrmConversationMessages", request_target(&uri), |v| {
        let rows = v.messages(id.id()).map_err(refused(NOUN))?;
        Ok(JsonBody(args.page_of(rows.into_iter(), |m| m)).encode())
    })
}

/// The body of both `assign` actions: `{"agent_id": "<uuid>"}`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AssignBody {
    agent_id: String,
}

impl AssignBody {
    /// The agent id, or a 400 naming `agent_id`.
    pub fn agent(&self) -> Result<Uuid, NcError> {
        Uuid::parse_str(self.agent_id.trim()).map_err(|_| NcError::invalid("agent_id", "must be a valid UUID"))
    }
}

/// `POST /external/crm/conversations/{id}/assign`: the updated conversation.
pub async fn assign(seat: CrmSeat, id: PathId<Conversation>, body: extract::JsonBody) -> Reply {
    let id = id.id();
    seat.read(|v| v.widget_conversation(id).map(|_| ()).map_err(refused(NOUN)))?;
    let agent = body.parse::<AssignBody>()?.agent()?;
    let c = seat.write(|v| v.assign_conversation(id, agent, seat.now()).map_err(refused(NOUN)))?;
    Ok(JsonBody(Item { data: c }).into_response())
}

/// `POST /external/crm/conversations/{id}/resolve`: the resolved conversation (unchanged, and
/// no event, when it already was).
pub async fn resolve(seat: CrmSeat, id: PathId<Conversation>) -> Reply {
    let c = seat.write(|v| v.resolve_conversation(id.id(), seat.now()).map_err(refused(NOUN)))?;
    Ok(JsonBody(Item { data: c }).into_response())
}
