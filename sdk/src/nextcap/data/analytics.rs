//! Analytics: `GET /external/analytics/overview` and `/analytics/daily`.
//!
//! Both take a required, inclusive date range. It is typed as two [`NaiveDate`]s, not text,
//! so the `YYYY-MM-DD` format cannot be got wrong, and a range that ends before it starts is
//! refused before anything is sent.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::NextCapDataClient;
use crate::core::error::{Error, Result};
use crate::core::transport::RequestSpec;

/// Totals over a date range.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[non_exhaustive]
pub struct AnalyticsOverview {
    /// First day of the range.
    pub start_date: NaiveDate,
    /// Last day of the range (inclusive).
    pub end_date: NaiveDate,
    /// Conversations started.
    pub conversations: u64,
    /// Messages sent.
    pub messages: u64,
    /// Leads captured.
    pub leads: u64,
    /// Tickets created.
    pub tickets: u64,
    /// Call requests received.
    pub call_requests: u64,
    /// Distinct visitors.
    pub visitors: u64,
    /// Conversations handed off to a human.
    pub handed_off_conversations: u64,
    /// Conversations resolved.
    pub resolved_conversations: u64,
    /// Resolved / all conversations, 0 to 1; `None` without conversations.
    pub resolution_rate: Option<f64>,
    /// Average satisfaction rating, 1 to 5; `None` without ratings.
    pub avg_satisfaction_rating: Option<f64>,
    /// Messages rated positive.
    pub positive_feedback: u64,
    /// Messages rated negative.
    pub negative_feedback: u64,
}

/// One day's counters.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[non_exhaustive]
pub struct AnalyticsDay {
    /// The day (UTC).
    pub date: NaiveDate,
    /// Conversations started.
    pub conversations: u64,
    /// Messages sent.
    pub messages: u64,
    /// Leads captured.
    pub leads: u64,
    /// Tickets created.
    pub tickets: u64,
    /// Call requests received.
    pub call_requests: u64,
    /// Distinct visitors.
    pub visitors: u64,
    /// Conversations handed off to a human.
    pub handed_off_conversations: u64,
    /// Conversations resolved.
    pub resolved_conversations: u64,
}

#[derive(Serialize)]
struct DateRange {
    start_date: String,
    end_date: String,
}

/// A GET of `path` for the inclusive range, refused when `end` is before `start`.
fn range_request(path: &str, start: NaiveDate, end: NaiveDate) -> Result<RequestSpec> {
    if end < start {
        return Err(Error::invalid("end", format!("{end} is before the start date {start}")));
    }
    let ymd = |d: NaiveDate| d.format("%Y-%m-%d").to_string();
    RequestSpec::new(http::Method::GET, path).query(&DateRange { start_date: ymd(start), end_date: ymd(end) })
}

/// The analytics endpoints; from [`NextCapDataClient::analytics`].
#[derive(Debug)]
pub struct Analytics<'a> {
    pub(crate) client: &'a NextCapDataClient,
}

impl Analytics<'_> {
    /// Totals from `start` to `end`, both inclusive.
    ///
    /// ```no_run
    /// # async fn run(client: deskapi::NextCapDataClient) -> deskapi::Result<()> {
    /// use chrono::NaiveDate;
    /// let may = client.analytics()
    ///     .overview(NaiveDate::from_ymd_opt(2026, 5, 1).unwrap(), NaiveDate::from_ymd_opt(2026, 5, 31).unwrap())
    ///     .await?;
    /// println!("{} conversations, {} leads", may.conversations, may.leads);
    /// # Ok(()) }
    /// ```
    #[doc(alias = "getAnalyticsOverview")]
    pub async fn overview(&self, start: NaiveDate, end: NaiveDate) -> Result<AnalyticsOverview> {
        self.client.send(range_request("/external/analytics/overview", start, end)?).await
    }

    /// One row per day from `start` to `end`, both inclusive, oldest first.
    ///
    /// ```no_run
    /// # async fn run(client: deskapi::NextCapDataClient) -> deskapi::Result<()> {
    /// use chrono::NaiveDate;
    /// let days = client.analytics()
    ///     .daily(NaiveDate::from_ymd_opt(2026, 5, 1).unwrap(), NaiveDate::from_ymd_opt(2026, 5, 7).unwrap())
    ///     .await?;
    /// for d in days {
    ///     println!("{}: {} conversations", d.date, d.conversations);
    /// }
    /// # Ok(()) }
    /// ```
    #[doc(alias = "getAnalyticsDaily")]
    pub async fn daily(&self, start: NaiveDate, end: NaiveDate) -> Result<Vec<AnalyticsDay>> {
        self.client.send(range_request("/external/analytics/daily", start, end)?).await
    }
}
