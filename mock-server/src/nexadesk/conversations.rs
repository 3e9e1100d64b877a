//! Conversations (API README): `GET /conversations` (status incl. `all`, search, tag, sort) or
//! `GET /conversations?id=` for `{conversation, messages}`; `PATCH ?id=` (status, assignment,
//! tags).

use axum::{
    body::Bytes,
    extract::RawQuery,
    extract::rejection::BytesRejection,
    response::{IntoResponse, Response},
};

use super::{
    Single, Workspace,
    error::NdError,
    paging::{self, parse_sort},
};
use crate::{
    body,
    encode::JsonBody,
    query::{FieldError, Problem, QueryParams, Validator},
    store::nexadesk::{CONVERSATION_STATUSES, Conversation, ConversationChanges, ConversationQuery, ConversationSort},
};

const SORTS: [(&str, ConversationSort); 2] =
    [("created_at", ConversationSort::CreatedAt), ("updated_at", ConversationSort::UpdatedAt)];

fn status(q: &QueryParams<'_>) -> Result<Option<String>, FieldError> {
    match q.get("status") {
        None | Some("all") => Ok(None),
        Some(s) if CONVERSATION_STATUSES.contains(&s) => Ok(Some(s.to_owned())),
        Some(_) => Err(FieldError::new(
            "status",
            Problem::Other("must be one of open, pending, active, archived, all".to_owned()),
        )),
    }
}

/// `GET /conversations`, or one conversation and its messages with `?id=`.
pub async fn list(workspace: Workspace, RawQuery(raw): RawQuery) -> Result<Response, NdError> {
    let q = QueryParams::parse(raw.as_deref());
    if let Some(id) = paging::optional_id(&q, "Conversation")? {
        let detail = workspace.read(|v| v.conversation_detail(id)).ok_or_else(|| NdError::not_found("Conversation"))?;
        return Ok(JsonBody(Single::new(detail)).into_response());
    }
    let mut v = Validator::default();
    let (offset, limit) = paging::window(&q, &mut v);
    let status = v.check(status(&q)).flatten();
    let sort = v.check(parse_sort(q.get("sort"), &SORTS, ConversationSort::CreatedAt));
    v.finish()?;
    let (sort, descending) = sort.unwrap_or((ConversationSort::CreatedAt, true));
    let query = ConversationQuery {
        status,
        search: q.get("search").map(str::to_owned),
        tag: q.get("tag").map(str::to_owned),
        sort,
        descending,
    };
    let (data, total) = workspace.read(|v| v.conversation_page(&query, offset, limit));
    Ok(JsonBody(paging::page(data, total, offset, limit)).into_response())
}

/// `PATCH /conversations?id=`.
pub async fn update(
    workspace: Workspace,
    RawQuery(raw): RawQuery,
    body: Result<Bytes, BytesRejection>,
) -> Result<JsonBody<Single<Conversation>>, NdError> {
    let id = paging::required_id(&QueryParams::parse(raw.as_deref()), "Conversation")?;
    let changes: ConversationChanges = body::parse(&body?)?;
    let conversation = workspace.write(|v| Ok(v.update_conversation(id, changes, workspace.now())?))?;
    Ok(JsonBody(Single::new(conversation)))
}
