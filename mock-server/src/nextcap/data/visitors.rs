//! `GET /external/visitors`, `/visitors/{id}`, `/visitors/{id}/sessions` and
//! `/visitors/{id}/profile`.
//!
//! Filters: `country` (two letters, ISO 3166-1 alpha-2, matched case-insensitively, as the
//! contract's pattern allows `de` as well as `DE`) and `has_email` (`true` / `false`).
//! Visitors and their sessions come newest first. The profile is derived from the visitor's
//! conversations; a visitor without any has none yet (404).

use crate::{
    encode::JsonBody,
    nextcap::{
        Reply,
        extract::{DataOrg, ListFilter, ListQuery, PathId, not_found},
        found,
    },
    query::{FieldError, Problem, QueryParams, Validator},
    store::nextcap::{Visitor, VisitorFilter},
};

const NOUN: &str = "Visitor";

impl ListFilter for VisitorFilter {
    fn parse(q: &QueryParams<'_>, v: &mut Validator) -> VisitorFilter {
        VisitorFilter {
            country: q.get("country").and_then(|c| v.check(country(c))),
            has_email: v.check(q.boolean("has_email")).flatten(),
        }
    }
}

/// `GET /external/visitors`.
pub async fn list(org: DataOrg, ListQuery { args, filter, target }: ListQuery<VisitorFilter>) -> Reply {
    org.read_cached("listVisitors", &target, |v| {
        Ok(JsonBody(args.page_of(v.visitors().filter(|row| filter.accepts(row)), |row| row)).encode())
    })
}

/// Two ASCII letters, upper-cased.
fn country(raw: &str) -> Result<String, FieldError> {
    let code = raw.trim();
    if code.len() == 2 && code.bytes().all(|b| b.is_ascii_alphabetic()) {
        Ok(code.to_ascii_uppercase())
    } else {
        Err(FieldError::new("country", Problem::Other("must be a two-letter ISO 3166-1 code such as US".to_owned())))
    }
}

/// `GET /external/visitors/{id}`.
pub async fn get(org: DataOrg, id: PathId<Visitor>) -> Reply {
    org.read(|v| found(v.visitor(id.id()), NOUN))
}

/// `GET /external/visitors/{id}/sessions`, newest first.
pub async fn sessions(org: DataOrg, id: PathId<Visitor>, ListQuery { args, target, .. }: ListQuery<()>) -> Reply {
    org.read_cached("listVisitorSessions", &target, |v| {
        let rows = v.sessions(id.id()).ok_or_else(|| not_found(NOUN))?;
        Ok(JsonBody(args.page_of(rows.into_iter(), |row| row)).encode())
    })
}

/// `GET /external/visitors/{id}/profile`; 404 `Visitor profile not found` for a visitor with
/// no conversation to derive one from.
pub async fn profile(org: DataOrg, id: PathId<Visitor>) -> Reply {
    org.read(|v| found(v.visitor_profile(id.id()).ok_or_else(|| not_found(NOUN))?, "Visitor profile"))
}
