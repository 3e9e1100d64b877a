//! `GET /external/leads` and `GET /external/leads/{id}` (Data API keys).
//!
//! Filters: `source` (enum), `agent_id` (UUID), `email` (case-insensitive substring), plus the
//! shared paging and date window ([`super::list`]). Order: newest first, which is the order the
//! store keeps leads in, so a page is one scan even with 100,000 leads.

use crate::{
    encode::JsonBody,
    nextcap::{
        Reply,
        extract::{DataOrg, ListFilter, ListQuery, PathId},
        found,
    },
    query::{QueryParams, Validator},
    store::{
        cached::Cached,
        nextcap::{LEAD_SOURCES, Lead, LeadFilter},
    },
};

impl ListFilter for LeadFilter {
    fn parse(q: &QueryParams<'_>, v: &mut Validator) -> LeadFilter {
        LeadFilter {
            source: v.check(q.one_of("source", &LEAD_SOURCES)).flatten().map(str::to_owned),
            agent_id: v.check(q.uuid("agent_id")).flatten(),
            email_lower: q.get("email").map(str::to_lowercase),
        }
    }
}

/// `GET /external/leads`.
pub async fn list(org: DataOrg, ListQuery { args, filter, target }: ListQuery<LeadFilter>) -> Reply {
    org.read_cached("listLeads", &target, |v| {
        Ok(JsonBody(args.page_of(v.leads().filter(|l| filter.accepts(l)), |row| row)).encode())
    })
}

/// `GET /external/leads/{id}`.
pub async fn get(org: DataOrg, id: PathId<Cached<Lead>>) -> Reply {
    org.read(|v| found(v.lead(id.id()), "Lead"))
}
