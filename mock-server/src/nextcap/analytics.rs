//! `GET /external/analytics/overview` and `GET /external/analytics/daily`.
//!
//! Both require `start_date` and `end_date` (`YYYY-MM-DD`, inclusive UTC days); `end_date`
//! before `start_date`, or a range over 366 days, is a 400 naming `end_date`. The numbers are
//! computed from the store's rows on every request (see `store::nextcap::analytics` for what
//! each counter counts), so they match what the lists return for the same range. Daily has one
//! entry per day, zero days included, and no `meta`: the range bounds its size.

use crate::encode::Json;
use axum::{
    Extension,
    extract::{RawQuery, State},
};

use super::{Reply, Single, Whole, list::org_of};
use crate::{
    auth::Principal,
    query::{FieldError, Problem, QueryParams, Validator},
    state::AppState,
    store::nextcap::{AnalyticsDay, AnalyticsOverview, DateRange},
};

/// Reads and checks the required range, naming every bad field at once.
fn range(raw: Option<&str>) -> Result<DateRange, super::error::NcError> {
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

/// `GET /external/analytics/overview`.
pub async fn overview(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    RawQuery(raw): RawQuery,
) -> Reply<Single<AnalyticsOverview>> {
    let (org, range) = (org_of(&principal)?, range(raw.as_deref())?);
    Ok(Json(Single { data: state.lock().store.nextcap.analytics_overview(org, &range) }))
}

/// `GET /external/analytics/daily`.
pub async fn daily(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    RawQuery(raw): RawQuery,
) -> Reply<Whole<AnalyticsDay>> {
    let (org, range) = (org_of(&principal)?, range(raw.as_deref())?);
    Ok(Json(Single { data: state.lock().store.nextcap.analytics_daily(org, &range) }))
}
