//! The extractors every Next Cap handler is made of, each rejecting in Next Cap's own error
//! envelope, so a handler is only its own lookup and rendering:
//!
//! - [`DataOrg`]: the organisation a Data API key acts for, and the door to its rows: reads go
//!   through [`Tenant::read`] with a tenant-scoped [`OrgView`], writes through
//!   [`Tenant::write`], which publishes the events the write returns once the lock is released.
//! - [`CrmSeat`]: the seat a CRM key acts for, the same door with seat-scoped views.
//! - [`PathId`]: a path id as a UUID; a malformed id is as absent as an unknown one or another
//!   organisation's (one 404 for all three, naming the resource, so nothing leaks).
//! - [`ListQuery`]: the shared list arguments (`page` >= 1, `per_page` 1-100,
//!   `created_after` / `created_before` as ISO 8601 dates or date-times, both exclusive) and the
//!   endpoint's own [`ListFilter`], parsed in one go so one 400 names every bad field at once.
//!   [`ListArgs::page_of`] applies the date window to rows already in the endpoint's order and
//!   cuts one page out in a single pass, rendering only the rows on the page (a page past the end
//!   is an empty page, not an error). Rows render as borrows and the page is encoded while the
//!   lock is held: cloning every row only to serialize it was a large share of a list's cost.
//! - [`JsonBody`]: the raw body of a write, parsed on demand into the endpoint's input type
//!   (after the handler has checked that the resource exists, so an unknown id is a 404 first).

use std::marker::PhantomData;

use axum::{
    body::Bytes,
    extract::{FromRequest, FromRequestParts, Path, Request},
    http::request::Parts,
};
use serde::de::DeserializeOwned;
use uuid::Uuid;

use super::{Page, PageMeta, error::NcError};
use crate::{
    body,
    keys::Grant,
    query::{QueryParams, Validator},
    store::{
        Store,
        nextcap::{OrgView, OrgViewMut, Row, SeatRef, SeatView, SeatViewMut, Window},
    },
    tenant::{Tenant, TenantKind},
};

/// Largest `per_page`.
pub const MAX_PER_PAGE: i64 = 100;
/// Default `per_page`.
pub const DEFAULT_PER_PAGE: i64 = 20;

/// The arguments every paginated list takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ListArgs {
    /// Requested page, from 1.
    pub page: usize,
    /// Page size, 1-100.
    pub per_page: usize,
    /// `created_after` / `created_before`.
    pub window: Window,
}

impl ListArgs {
    /// Reads the shared arguments, recording bad ones in `v`.
    pub fn parse(q: &QueryParams<'_>, v: &mut Validator) -> ListArgs {
        ListArgs::parse_with(q, v, DEFAULT_PER_PAGE)
    }

    /// Reads the shared arguments of a list whose `per_page` defaults to `default_per_page`
    /// (the CRM's conversation messages: 50).
    pub fn parse_with(q: &QueryParams<'_>, v: &mut Validator, default_per_page: i64) -> ListArgs {
        let page = v.check(q.int("page", 1, 1, i64::MAX)).unwrap_or(1);
        let per_page = v.check(q.int("per_page", default_per_page, 1, MAX_PER_PAGE)).unwrap_or(default_per_page);
        let window = Window {
            after: v.check(q.datetime("created_after")).flatten(),
            before: v.check(q.datetime("created_before")).flatten(),
        };
        // Both are validated positive and per_page <= 100; the conversions cannot truncate.
        let to_usize = |n: i64| usize::try_from(n).unwrap_or(usize::MAX);
        ListArgs { page: to_usize(page), per_page: to_usize(per_page), window }
    }

    /// One page of `rows` (already filtered by the endpoint and in its order) inside the date
    /// window, each rendered with `render`, and the number of rows that matched.
    pub fn page_of<'a, R, T>(&self, rows: impl Iterator<Item = &'a R>, mut render: impl FnMut(&'a R) -> T) -> Page<T>
    where
        R: Row + 'a,
    {
        let offset = (self.page - 1).saturating_mul(self.per_page);
        let mut data = Vec::new();
        let mut total = 0;
        for row in rows.filter(|r| self.window.contains(r.created_at())) {
            if total >= offset && data.len() < self.per_page {
                data.push(render(row));
            }
            total += 1;
        }
        Page { data, meta: PageMeta::new(self.page, self.per_page, total) }
    }
}

/// An endpoint's own list filters, parsed from the query next to the shared arguments.
pub trait ListFilter: Sized {
    /// Reads the filters, recording bad ones in `v`.
    fn parse(q: &QueryParams<'_>, v: &mut Validator) -> Self;
}

/// No filters beyond the shared arguments.
impl ListFilter for () {
    fn parse(_: &QueryParams<'_>, _: &mut Validator) {}
}

/// A list request's query: the shared arguments and the endpoint's filters. Every bad field is
/// reported in one 400.
#[derive(Clone, Debug)]
pub struct ListQuery<F> {
    /// Paging and the date window.
    pub args: ListArgs,
    /// The endpoint's filters.
    pub filter: F,
    /// The request-target: with the tenant and the operation, what a cached page is filed
    /// under ([`Tenant::read_cached`]).
    pub target: Target,
}

/// A request-target (path and query, RFC 9112 section 3.2) as received; reads as a `&str`.
/// It shares the request URI's buffer rather than copying it.
#[derive(Clone, Debug)]
pub struct Target(axum::http::Uri);

impl std::ops::Deref for Target {
    type Target = str;

    fn deref(&self) -> &str {
        crate::query::request_target(&self.0)
    }
}

impl<F: ListFilter> ListQuery<F> {
    /// Parses the query of a request URI.
    pub fn parse(uri: &axum::http::Uri) -> Result<ListQuery<F>, NcError> {
        let q = QueryParams::parse(uri.query());
        let mut v = Validator::default();
        let args = ListArgs::parse(&q, &mut v);
        let filter = F::parse(&q, &mut v);
        v.finish()?;
        Ok(ListQuery { args, filter, target: Target(uri.clone()) })
    }
}

impl<F: ListFilter, S: Send + Sync> FromRequestParts<S> for ListQuery<F> {
    type Rejection = NcError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, NcError> {
        ListQuery::parse(&parts.uri)
    }
}

/// `"{noun} not found"`, the one 404 every lookup gives.
pub fn not_found(noun: &str) -> NcError {
    NcError::not_found(format!("{noun} not found"))
}

/// A resource a path id can name; its noun words the 404 (`Ticket not found`).
pub trait Noun {
    /// The resource's name in messages, capitalised.
    const NOUN: &'static str;
}

/// The UUID in a path, naming an `N`; anything else is the same 404 as an unknown id.
#[derive(Debug)]
pub struct PathId<N>(pub Uuid, PhantomData<N>);

impl<N> PathId<N> {
    /// The id.
    pub fn id(&self) -> Uuid {
        self.0
    }
}

impl<N: Noun, S: Send + Sync> FromRequestParts<S> for PathId<N> {
    type Rejection = NcError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, NcError> {
        let Path(id) = Path::<String>::from_request_parts(parts, state).await.map_err(|_| not_found(N::NOUN))?;
        let id = Uuid::parse_str(&id).map_err(|_| not_found(N::NOUN))?;
        Ok(PathId(id, PhantomData))
    }
}

/// The tenant of a Data API key: its organisation.
#[derive(Debug)]
pub enum DataApi {}

impl TenantKind for DataApi {
    type Id = Uuid;
    type View<'a> = OrgView<'a>;
    type ViewMut<'a> = OrgViewMut<'a>;
    type Error = NcError;

    fn id(grant: &Grant) -> Option<Uuid> {
        match grant {
            Grant::NextCapData { org_id } => Some(*org_id),
            _ => None,
        }
    }

    fn refused() -> NcError {
        NcError::unauthorized("Invalid API key")
    }

    fn view<'a>(store: &'a Store, id: &'a Uuid) -> OrgView<'a> {
        store.nextcap().org_view(*id)
    }

    fn view_mut<'a>(store: &'a mut Store, id: &'a Uuid) -> OrgViewMut<'a> {
        store.nextcap_mut().org_view_mut(*id)
    }
}

/// The organisation a Data API key acts for: reads through [`Tenant::read`] with an
/// [`OrgView`], writes through [`Tenant::write`].
pub type DataOrg = Tenant<DataApi>;

/// The tenant of a CRM key: one seat of one organisation. Its views are scoped to the seat's
/// widgets (and, for view-own seats, to the conversations assigned to it); see
/// [`SeatView`].
#[derive(Debug)]
pub enum CrmApi {}

impl TenantKind for CrmApi {
    type Id = SeatRef;
    type View<'a> = SeatView<'a>;
    type ViewMut<'a> = SeatViewMut<'a>;
    type Error = NcError;

    fn id(grant: &Grant) -> Option<SeatRef> {
        match grant {
            Grant::NextCapCrm { org_id, seat_id } => Some(SeatRef { org: *org_id, seat: *seat_id }),
            _ => None,
        }
    }

    fn refused() -> NcError {
        NcError::unauthorized("Invalid API key")
    }

    fn view<'a>(store: &'a Store, id: &'a SeatRef) -> SeatView<'a> {
        store.nextcap().seat_view(*id)
    }

    fn view_mut<'a>(store: &'a mut Store, id: &'a SeatRef) -> SeatViewMut<'a> {
        store.nextcap_mut().seat_view_mut(*id)
    }
}

/// The seat a CRM key acts for: reads through [`Tenant::read`] with a [`SeatView`], writes
/// through [`Tenant::write`] with a [`SeatViewMut`].
pub type CrmSeat = Tenant<CrmApi>;

/// A write's raw body, parsed on demand with [`JsonBody::parse`].
#[derive(Clone, Debug)]
pub struct JsonBody(Bytes);

impl<S: Send + Sync> FromRequest<S> for JsonBody {
    type Rejection = NcError;

    async fn from_request(req: Request, state: &S) -> Result<Self, NcError> {
        let bytes = Bytes::from_request(req, state).await.map_err(|e| NcError::invalid("body", e.body_text()))?;
        Ok(JsonBody(bytes))
    }
}

impl JsonBody {
    /// The body as a JSON object of type `T`; a 400 naming the field at fault otherwise.
    pub fn parse<T: DeserializeOwned>(&self) -> Result<T, NcError> {
        Ok(body::parse(&self.0)?)
    }
}

/// The nouns of the resources Next Cap paths name.
mod nouns {
    use super::Noun;
    use crate::store::{
        cached::Cached,
        nextcap::{Attachment, CallRequest, Conversation, Department, Lead, Seat, Ticket, Visitor, Webhook},
    };

    macro_rules! nouns {
        ($($ty:ty => $noun:literal),* $(,)?) => {
            $(impl Noun for $ty { const NOUN: &'static str = $noun; })*
        };
    }

    nouns! {
        Cached<Lead> => "Lead",
        Conversation => "Conversation",
        Ticket => "Ticket",
        CallRequest => "Call request",
        Visitor => "Visitor",
        Department => "Department",
        Webhook => "Webhook",
        Seat => "Member",
        Attachment => "Attachment",
    }
}
