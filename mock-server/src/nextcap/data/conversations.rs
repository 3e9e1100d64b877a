//! `GET /external/conversations`, `/conversations/{id}` and `/conversations/{id}/messages`.
//!
//! Filters: `status` (enum), `agent_id` (UUID), `visitor_id` (the widget's text id, exact),
//! `assigned_agent_id` (UUID). Conversations come newest first; messages oldest first (the
//! documented chronological order), without the model usage the store keeps for them.

use crate::{
    encode::JsonBody,
    nextcap::{
        Reply,
        extract::{DataOrg, ListFilter, ListQuery, PathId, not_found},
        found,
    },
    query::{QueryParams, Validator},
    store::nextcap::{CONVERSATION_STATUSES, Conversation, ConversationFilter},
};

impl ListFilter for ConversationFilter {
    fn parse(q: &QueryParams<'_>, v: &mut Validator) -> ConversationFilter {
        ConversationFilter {
            status: v.check(q.one_of("status", &CONVERSATION_STATUSES)).flatten(),
            agent_id: v.check(q.uuid("agent_id")).flatten(),
            visitor_id: q.get("visitor_id").map(str::to_owned),
            assigned_agent_id: v.check(q.uuid("assigned_agent_id")).flatten(),
        }
    }
}

/// `GET /external/conversations`.
pub async fn list(org: DataOrg, ListQuery { args, filter, target }: ListQuery<ConversationFilter>) -> Reply {
    org.read_cached("listConversations", &target, |v| {
        let rows = v.conversations().filter(|c| filter.accepts(c));
        Ok(JsonBody(args.page_of(rows, |row| row)).encode())
    })
}

/// `GET /external/conversations/{id}`.
pub async fn get(org: DataOrg, id: PathId<Conversation>) -> Reply {
    org.read(|v| found(v.conversation(id.id()), "Conversation"))
}

/// `GET /external/conversations/{id}/messages`, in sending order.
pub async fn messages(org: DataOrg, id: PathId<Conversation>, ListQuery { args, target, .. }: ListQuery<()>) -> Reply {
    org.read_cached("listConversationMessages", &target, |v| {
        let rows = v.messages(id.id()).ok_or_else(|| not_found("Conversation"))?;
        Ok(JsonBody(args.page_of(rows.into_iter(), |row| row)).encode())
    })
}
