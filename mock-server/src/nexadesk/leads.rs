//! Leads (`nexadesk-leads.txt`): `GET /leads` with stage filter, search and sort; `POST`,
//! `PATCH ?id=` and `DELETE ?id=`. The rules live in the store's inputs and writes.

use axum::{
    body::Bytes,
    extract::{RawQuery, rejection::BytesRejection},
    http::StatusCode,
};

use super::{
    Deleted, Page, Single, Workspace,
    error::NdError,
    paging::{self, parse_sort},
};
use crate::{
    body,
    encode::JsonBody,
    query::{QueryParams, Validator},
    store::nexadesk::{Lead, LeadChanges, LeadQuery, LeadSort, NewLead, STAGES},
};

const SORTS: [(&str, LeadSort); 4] = [
    ("created_at", LeadSort::CreatedAt),
    ("updated_at", LeadSort::UpdatedAt),
    ("lead_score", LeadSort::LeadScore),
    ("visitor_name", LeadSort::VisitorName),
];

/// `GET /leads`.
pub async fn list(workspace: Workspace, RawQuery(raw): RawQuery) -> Result<JsonBody<Page<Lead>>, NdError> {
    let q = QueryParams::parse(raw.as_deref());
    let mut v = Validator::default();
    let (offset, limit) = paging::window(&q, &mut v);
    let stage = v.check(q.one_of("stage", &STAGES)).flatten();
    let sort = v.check(parse_sort(q.get("sort"), &SORTS, LeadSort::CreatedAt));
    v.finish()?;
    let (sort, descending) = sort.unwrap_or((LeadSort::CreatedAt, true));
    let query =
        LeadQuery { stage: stage.map(str::to_owned), search: q.get("search").map(str::to_owned), sort, descending };
    let (data, total) = workspace.read(|v| v.leads(&query, offset, limit));
    Ok(JsonBody(paging::page(data, total, offset, limit)))
}

/// `POST /leads` -> 201 with the full lead.
pub async fn create(
    workspace: Workspace,
    body: Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, JsonBody<Single<Lead>>), NdError> {
    let input: NewLead = body::parse(&body?)?;
    let lead = workspace.write(|v| Ok(v.create_lead(input, workspace.now())?))?;
    Ok((StatusCode::CREATED, JsonBody(Single::new(lead))))
}

/// `PATCH /leads?id=`.
pub async fn update(
    workspace: Workspace,
    RawQuery(raw): RawQuery,
    body: Result<Bytes, BytesRejection>,
) -> Result<JsonBody<Single<Lead>>, NdError> {
    let id = paging::required_id(&QueryParams::parse(raw.as_deref()), "Lead")?;
    let changes: LeadChanges = body::parse(&body?)?;
    let lead = workspace.write(|v| Ok(v.update_lead(id, changes, workspace.now())?))?;
    Ok(JsonBody(Single::new(lead)))
}

/// `DELETE /leads?id=` -> `{deleted: true, id}`.
pub async fn delete(workspace: Workspace, RawQuery(raw): RawQuery) -> Result<JsonBody<Single<Deleted>>, NdError> {
    let id = paging::required_id(&QueryParams::parse(raw.as_deref()), "Lead")?;
    let id = workspace.write(|v| Ok(v.delete_lead(id)?))?;
    Ok(JsonBody(Single::new(Deleted { deleted: true, id })))
}
