//! The team directory (shared/api/README.md, "CRM Team Directory"): `GET /external/crm/members`
//! (paged, `search` over name and email, case-insensitive), `/members/{id}` and
//! `/members/by-email/{email}` (URL-encoded in the path, matched case-insensitively). Owner and
//! admin seats only: the route table asks for `team:invite`. Members are the organisation's
//! seats, deactivated ones included (with `disabled_at` set); widget scoping does not apply to
//! people.

use axum::{extract::Path, response::IntoResponse};

use super::lists::MemberSearch;
use crate::{
    encode::JsonBody,
    nextcap::{
        Item, Page, PageMeta, Reply,
        extract::{CrmSeat, ListQuery, PathId, not_found},
    },
    store::nextcap::{Member, Seat},
};

const NOUN: &str = "Member";

/// `GET /external/crm/members`.
pub async fn list(
    seat: CrmSeat,
    ListQuery { args, filter: MemberSearch(search), target }: ListQuery<MemberSearch>,
) -> Reply {
    seat.read_cached("listCrmMembers", &target, |v| {
        let rows: Vec<&Seat> =
            v.members().filter(|s| search.as_deref().is_none_or(|needle| Member::matches(s, needle))).collect();
        let offset = (args.page - 1).saturating_mul(args.per_page);
        let data: Vec<Member> = rows.iter().skip(offset).take(args.per_page).map(|s| Member::of(s)).collect();
        Ok(JsonBody(Page { data, meta: PageMeta::new(args.page, args.per_page, rows.len()) }).encode())
    })
}

/// `GET /external/crm/members/{id}`.
pub async fn get(seat: CrmSeat, id: PathId<Seat>) -> Reply {
    seat.read(|v| {
        let member = v.members().find(|s| s.id == id.id()).map(Member::of).ok_or_else(|| not_found(NOUN))?;
        Ok(JsonBody(Item { data: member }).into_response())
    })
}

/// `GET /external/crm/members/by-email/{email}` (axum has already percent-decoded the path).
pub async fn by_email(seat: CrmSeat, Path(email): Path<String>) -> Reply {
    let email = email.trim().to_lowercase();
    seat.read(|v| {
        let member =
            v.members().find(|s| s.email.to_lowercase() == email).map(Member::of).ok_or_else(|| not_found(NOUN))?;
        Ok(JsonBody(Item { data: member }).into_response())
    })
}
