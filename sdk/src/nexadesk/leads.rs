//! Leads: the model and `GET /leads` (cursor-paginated); the writes are in lead_writes.rs.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::NexaDeskClient;
use super::envelope::NexaDeskCursor;
use crate::core::error::Result;
use crate::core::macros::{string_enum, string_id};
use crate::core::pagination::{ListParams, ListRequest, PageToken};
use crate::core::validate::{in_range, known, non_empty};

string_id!(
    /// A NexaDesk lead's ID (a UUID).
    LeadId
);
string_id!(
    /// A sales rep's (user's) ID.
    RepId
);

string_enum! {
    /// A lead's pipeline stage.
    pub enum PipelineStage {
        /// New lead.
        New => "new",
        /// Qualified.
        Qualified => "qualified",
        /// Assigned to a rep.
        Assigned => "assigned",
        /// Contacted.
        Contacted => "contacted",
        /// Converted into a customer.
        Converted => "converted",
        /// Lost.
        Lost => "lost",
    }
}

string_enum! {
    /// Fields `GET /leads` can sort by.
    pub enum LeadSortField {
        /// Creation time.
        CreatedAt => "created_at",
        /// Last update time.
        UpdatedAt => "updated_at",
        /// Lead score.
        LeadScore => "lead_score",
        /// Visitor name.
        VisitorName => "visitor_name",
    }
}

/// Sort direction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SortDirection {
    /// Ascending.
    Asc,
    /// Descending.
    Desc,
}

impl SortDirection {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            SortDirection::Asc => "asc",
            SortDirection::Desc => "desc",
        }
    }
}

/// A NexaDesk CRM lead.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[non_exhaustive]
pub struct Lead {
    /// The lead's ID.
    pub id: LeadId,
    /// The lead's name.
    pub visitor_name: String,
    /// Email address.
    #[serde(default)]
    pub visitor_email: Option<String>,
    /// Phone number.
    #[serde(default)]
    pub visitor_phone: Option<String>,
    /// Company name.
    #[serde(default)]
    pub visitor_company: Option<String>,
    /// Pipeline stage.
    pub pipeline_stage: PipelineStage,
    /// What the lead needs.
    #[serde(default)]
    pub need_summary: Option<String>,
    /// Tags.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Where the lead came from (free text, e.g. `widget`, `api`).
    #[serde(default)]
    pub source: Option<String>,
    /// Estimated deal value.
    #[serde(default)]
    pub expected_billing_amount: Option<f64>,
    /// Lead score, 0-100 (the list can be sorted by it).
    #[serde(default)]
    pub lead_score: Option<i64>,
    /// The assigned sales rep.
    #[serde(default)]
    pub assigned_rep_id: Option<RepId>,
    /// The assigned rep's first name.
    #[serde(default)]
    pub rep_first_name: Option<String>,
    /// The assigned rep's last name.
    #[serde(default)]
    pub rep_last_name: Option<String>,
    /// The assigned rep's email.
    #[serde(default)]
    pub rep_email: Option<String>,
    /// When the lead was created.
    pub created_at: DateTime<Utc>,
    /// When the lead last changed.
    pub updated_at: DateTime<Utc>,
}

/// Filters of `GET /leads`.
#[derive(Clone, Debug, Default, Serialize)]
#[non_exhaustive]
pub struct LeadsQuery {
    #[serde(skip_serializing_if = "Option::is_none")]
    limit: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    stage: Option<PipelineStage>,
    #[serde(skip_serializing_if = "Option::is_none")]
    search: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sort: Option<String>,
    #[serde(skip)]
    sort_field: Option<LeadSortField>,
}

impl ListParams for LeadsQuery {
    type Item = Lead;
    type Style = NexaDeskCursor;
    fn validate(&self) -> Result<()> {
        in_range("limit", self.limit, 1..=100)?;
        known("stage", self.stage.as_ref())?;
        known("sort", self.sort_field.as_ref())?;
        non_empty("search", self.search.as_deref())
    }
}

impl ListRequest<LeadsQuery> {
    /// Page size, 1-100 (the API's default is 50).
    pub fn limit(mut self, n: u32) -> Self {
        self.params.limit = Some(n);
        self
    }
    /// Only leads in this pipeline stage.
    pub fn stage(mut self, stage: PipelineStage) -> Self {
        self.params.stage = Some(stage);
        self
    }
    /// Case-insensitive partial match on name, email or company.
    pub fn search(mut self, text: impl Into<String>) -> Self {
        self.params.search = Some(text.into());
        self
    }
    /// Sort order (the API's default is `created_at:desc`).
    pub fn sort(mut self, field: LeadSortField, direction: SortDirection) -> Self {
        self.params.sort = Some(format!("{}:{}", field.as_str(), direction.as_str()));
        self.params.sort_field = Some(field);
        self
    }
    /// Starts at this cursor (from an earlier page's `next_cursor`).
    pub fn cursor(self, cursor: impl Into<String>) -> Self {
        self.start_at(PageToken::Cursor(cursor.into()))
    }
}

/// The leads endpoints; from [`NexaDeskClient::leads`].
#[derive(Debug)]
pub struct Leads<'a> {
    pub(crate) client: &'a NexaDeskClient,
}

impl Leads<'_> {
    /// Lists leads (cursor-paginated; newest first unless sorted otherwise).
    ///
    /// ```no_run
    /// # async fn run(client: deskapi::NexaDeskClient) -> deskapi::Result<()> {
    /// use deskapi::nexadesk::{LeadSortField, PipelineStage, SortDirection};
    /// use futures::TryStreamExt;
    /// let mut leads = client.leads().list()
    ///     .stage(PipelineStage::Qualified)
    ///     .sort(LeadSortField::LeadScore, SortDirection::Desc)
    ///     .stream();
    /// while let Some(lead) = leads.try_next().await? {
    ///     println!("{} ({:?})", lead.visitor_name, lead.lead_score);
    /// }
    /// # Ok(()) }
    /// ```
    #[doc(alias = "listLeads")]
    pub fn list(&self) -> ListRequest<LeadsQuery> {
        ListRequest::new(&self.client.transport, Ok("/leads".to_owned()), LeadsQuery::default())
    }
}
