//! `GET /external/analytics/overview` and `GET /external/analytics/daily`.
//!
//! Both require `start_date` and `end_date` (`YYYY-MM-DD`, inclusive UTC days); `end_date`
//! before `start_date`, or a range over 366 days, is a 400 naming `end_date`. The numbers are
//! computed from the store's rows on every request (see `store::nextcap::analytics` for what
//! each counter counts), so they match what the lists return for the same range. Daily has one
//! entry per day, zero days included, and no `meta`: the range bounds its size.

use axum::{extract::RawQuery, response::IntoResponse};

use crate::{
    encode::JsonBody,
    nextcap::{Item, Reply, error::NcError, extract::DataOrg},
    query::{FieldError, Problem, QueryParams, Validator},
    store::nextcap::DateRange,
};

fn range(raw: Option<&str>) -> Result<DateRange, NcError> {
    let q = QueryParams::parse(raw);
    let mut v = Validator::default();
    let start = v.check(q.required_date("start_date"));
    let end = v.check(q.required_date("end_date"));
    let range = match (start, end) {
        (Some(start), Some(end)) => {
            v.check(DateRange::new(start, end).map_err(|why| FieldError::new("end_date", Problem::Other(why))))
        }
        _ => None,
    };
    v.finish()?;
    // With no error recorded both dates parsed and formed a range.
    range.ok_or_else(|| FieldError::new("start_date", Problem::Other("is required".to_owned())).into())
}

/// `GET /external/analytics/overview?start_date&end_date`.
pub async fn overview(org: DataOrg, RawQuery(raw): RawQuery) -> Reply {
    let range = range(raw.as_deref())?;
    org.read(|v| Ok(JsonBody(Item { data: v.analytics_overview(&range) }).into_response()))
}

/// `GET /external/analytics/daily?start_date&end_date`: one row per day, unpaginated.
pub async fn daily(org: DataOrg, RawQuery(raw): RawQuery) -> Reply {
    let range = range(raw.as_deref())?;
    org.read(|v| Ok(JsonBody(Item { data: v.analytics_daily(&range) }).into_response()))
}
