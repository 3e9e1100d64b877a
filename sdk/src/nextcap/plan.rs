//! Next Cap plans, and telling a plan refusal apart from other 403s.
//!
//! Next Cap gates its APIs by the organisation's plan (nextcap-external-data-api.txt, "Plan
//! requirements": the Data API needs Pro or above, webhooks need Enterprise;
//! nextcap-crm-integration.txt: the CRM Integration API needs Enterprise). A refused call is a
//! 403 `FORBIDDEN` whose message starts with the plan needed ("Enterprise plan required").
//! [`PlanRefusal::required_plan`] reads that once, here, so callers branch on a typed value
//! instead of matching message text.

use crate::core::error::{ApiError, Error};
use crate::core::macros::string_enum;

string_enum! {
    /// A Next Cap plan.
    pub enum Plan {
        /// No API access.
        Free => "free",
        /// The Data API, without webhooks.
        Pro => "pro",
        /// Everything: the Data API with webhooks, and the CRM Integration API.
        Enterprise => "enterprise",
    }
}

/// Tells a plan refusal apart from other errors.
///
/// ```no_run
/// use deskapi::nextcap::{Plan, PlanRefusal};
///
/// # async fn run(client: deskapi::NextCapDataClient) {
/// match client.webhooks().list().send().await {
///     Err(e) if e.required_plan() == Some(Plan::Enterprise) => println!("webhooks need Enterprise"),
///     Err(e) => eprintln!("{e}"),
///     Ok(page) => println!("{} webhooks", page.items.len()),
/// }
/// # }
/// ```
pub trait PlanRefusal {
    /// The plan the organisation needs for the refused call, when this is Next Cap's 403
    /// "... plan required"; `None` for every other error.
    fn required_plan(&self) -> Option<Plan>;
}

impl PlanRefusal for ApiError {
    fn required_plan(&self) -> Option<Plan> {
        if self.status != 403 || !matches!(self.api, crate::ApiKind::NextCapData | crate::ApiKind::NextCapCrm) {
            return None;
        }
        let (name, rest) = self.message.trim_start().split_once(' ')?;
        if !rest.trim_start().to_ascii_lowercase().starts_with("plan required") {
            return None;
        }
        name.to_ascii_lowercase().parse().ok()
    }
}

impl PlanRefusal for Error {
    fn required_plan(&self) -> Option<Plan> {
        match self {
            Error::Api(api) => api.required_plan(),
            _ => None,
        }
    }
}
