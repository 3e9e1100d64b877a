//! Contacts (API README): `GET /contacts` (search, tag, sort) or `GET /contacts?id=` for one;
//! `POST` (email unique per workspace: 409), `PATCH ?id=`, `DELETE ?id=`.

use axum::{
    body::Bytes,
    extract::RawQuery,
    extract::rejection::BytesRejection,
    http::StatusCode,
    response::{IntoResponse, Response},
};

use super::{
    Deleted, Single, Workspace,
    error::NdError,
    paging::{self, parse_sort},
};
use crate::{
    body,
    encode::JsonBody,
    query::{QueryParams, Validator},
    store::nexadesk::{Contact, ContactChanges, ContactQuery, ContactSort, NewContact},
};

const SORTS: [(&str, ContactSort); 4] = [
    ("created_at", ContactSort::CreatedAt),
    ("last_activity", ContactSort::LastActivity),
    ("name", ContactSort::Name),
    ("email", ContactSort::Email),
];

/// `GET /contacts`, or one contact with `?id=`.
pub async fn list(workspace: Workspace, RawQuery(raw): RawQuery) -> Result<Response, NdError> {
    let q = QueryParams::parse(raw.as_deref());
    if let Some(id) = paging::optional_id(&q, "Contact")? {
        let contact = workspace.read(|v| v.contact(id).cloned()).ok_or_else(|| NdError::not_found("Contact"))?;
        return Ok(JsonBody(Single::new(contact)).into_response());
    }
    let mut v = Validator::default();
    let (offset, limit) = paging::window(&q, &mut v);
    let sort = v.check(parse_sort(q.get("sort"), &SORTS, ContactSort::CreatedAt));
    v.finish()?;
    let (sort, descending) = sort.unwrap_or((ContactSort::CreatedAt, true));
    let query = ContactQuery {
        search: q.get("search").map(str::to_owned),
        tag: q.get("tag").map(str::to_owned),
        sort,
        descending,
    };
    let (data, total) = workspace.read(|v| v.contact_page(&query, offset, limit));
    Ok(JsonBody(paging::page(data, total, offset, limit)).into_response())
}

/// `POST /contacts` -> 201.
pub async fn create(
    workspace: Workspace,
    body: Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, JsonBody<Single<Contact>>), NdError> {
    let input: NewContact = body::parse(&body?)?;
    let contact = workspace.write(|v| Ok(v.create_contact(input, workspace.now())?))?;
    Ok((StatusCode::CREATED, JsonBody(Single::new(contact))))
}

/// `PATCH /contacts?id=`.
pub async fn update(
    workspace: Workspace,
    RawQuery(raw): RawQuery,
    body: Result<Bytes, BytesRejection>,
) -> Result<JsonBody<Single<Contact>>, NdError> {
    let id = paging::required_id(&QueryParams::parse(raw.as_deref()), "Contact")?;
    let changes: ContactChanges = body::parse(&body?)?;
    let contact = workspace.write(|v| Ok(v.update_contact(id, changes)?))?;
    Ok(JsonBody(Single::new(contact)))
}

/// `DELETE /contacts?id=`.
pub async fn delete(workspace: Workspace, RawQuery(raw): RawQuery) -> Result<JsonBody<Single<Deleted>>, NdError> {
    let id = paging::required_id(&QueryParams::parse(raw.as_deref()), "Contact")?;
    let id = workspace.write(|v| Ok(v.delete_contact(id)?))?;
    Ok(JsonBody(Single::new(Deleted { deleted: true, id })))
}
