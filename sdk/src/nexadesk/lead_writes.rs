//! Writing leads (`nexadesk-leads.txt`): `POST /leads`, `PATCH /leads?id=` and
//! `DELETE /leads?id=`. The builders check the documented limits before sending:
//! `visitor_name` required (max 200), `visitor_phone` 50, `visitor_company` 200,
//! `need_summary` 2000, `source` 100, a valid email, a known stage. An update can also clear
//! the optional fields (`null` on the wire, see [`LeadField`]).

use serde::Serialize;

use super::NexaDeskClient;
use super::envelope::{Deleted, Single, with_id};
use super::leads::{Lead, LeadId, Leads, PipelineStage, RepId};
use super::limits::{email, finite, max_chars, required};
use super::nullable::{nullable_fields, text};
use crate::core::error::Result;
use crate::core::transport::RequestSpec;
use crate::core::validate::known;

/// The create and update body. The fields an update may clear are `Option<Option<_>>`
/// (see [`super::nullable`]); a create never holds `Some(None)`, as only [`UpdateLead`] clears.
#[derive(Clone, Debug, Default, Serialize)]
struct LeadBody {
    #[serde(skip_serializing_if = "Option::is_none")]
    visitor_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    visitor_email: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    visitor_phone: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    visitor_company: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pipeline_stage: Option<PipelineStage>,
    #[serde(skip_serializing_if = "Option::is_none")]
    need_summary: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    tags: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    expected_billing_amount: Option<Option<f64>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    assigned_rep_id: Option<Option<RepId>>,
}

nullable_fields! {
    /// The lead fields an update may clear: [`UpdateLead::clear`] sends the field as `null`.
    ///
    /// Exactly the nullable properties of `UpdateLeadBody` in `openapi/nexadesk.yaml`.
    /// `nexadesk-leads.txt` documents `null` for `assigned_rep_id` only; the others follow the
    /// contract (`x-inferred`: "null clears an optional field as on updateContact"), which the
    /// mock implements. `visitor_name`, `pipeline_stage` and `tags` cannot be empty (the API
    /// answers 400), so they have no variant.
    pub enum LeadField for LeadBody {
        /// `visitor_email`.
        VisitorEmail => visitor_email,
        /// `visitor_phone`.
        VisitorPhone => visitor_phone,
        /// `visitor_company`.
        VisitorCompany => visitor_company,
        /// `need_summary`.
        NeedSummary => need_summary,
        /// `expected_billing_amount`.
        ExpectedBillingAmount => expected_billing_amount,
        /// `assigned_rep_id` (the same as [`UpdateLead::unassign_rep`]).
        AssignedRepId => assigned_rep_id,
    }
}

impl LeadBody {
    fn check(&self) -> Result<()> {
        if let Some(name) = &self.visitor_name {
            required("visitor_name", name, 200)?;
        }
        email("visitor_email", text(&self.visitor_email))?;
        max_chars("visitor_phone", text(&self.visitor_phone), 50)?;
        max_chars("visitor_company", text(&self.visitor_company), 200)?;
        known("pipeline_stage", self.pipeline_stage.as_ref())?;
        max_chars("need_summary", text(&self.need_summary), 2000)?;
        max_chars("source", self.source.as_deref(), 100)?;
        finite("expected_billing_amount", self.expected_billing_amount.flatten())
    }
}

macro_rules! lead_setters {
    () => {
        /// Email address (checked to look like one).
        pub fn visitor_email(mut self, email: impl Into<String>) -> Self {
            self.body.visitor_email = Some(Some(email.into()));
            self
        }
        /// Phone number, at most 50 characters.
        pub fn visitor_phone(mut self, phone: impl Into<String>) -> Self {
            self.body.visitor_phone = Some(Some(phone.into()));
            self
        }
        /// Company name, at most 200 characters.
        pub fn visitor_company(mut self, company: impl Into<String>) -> Self {
            self.body.visitor_company = Some(Some(company.into()));
            self
        }
        /// Pipeline stage.
        pub fn pipeline_stage(mut self, stage: PipelineStage) -> Self {
            self.body.pipeline_stage = Some(stage);
            self
        }
        /// What the lead needs, at most 2000 characters.
        pub fn need_summary(mut self, summary: impl Into<String>) -> Self {
            self.body.need_summary = Some(Some(summary.into()));
            self
        }
        /// Tags (on update: replaces the whole array).
        pub fn tags<I, S>(mut self, tags: I) -> Self
        where
            I: IntoIterator<Item = S>,
            S: Into<String>,
        {
            self.body.tags = Some(tags.into_iter().map(Into::into).collect());
            self
        }
        /// Estimated deal value.
        pub fn expected_billing_amount(mut self, amount: f64) -> Self {
            self.body.expected_billing_amount = Some(Some(amount));
            self
        }
    };
}

/// `POST /leads`; from [`Leads::create`]. Send with [`CreateLead::send`].
#[derive(Debug)]
#[must_use = "a create does nothing until you call .send()"]
pub struct CreateLead<'a> {
    client: &'a NexaDeskClient,
    body: LeadBody,
}

impl CreateLead<'_> {
    lead_setters!();

    /// Lead source, at most 100 characters (the API's default is `"api"`).
    pub fn source(mut self, source: impl Into<String>) -> Self {
        self.body.source = Some(source.into());
        self
    }

    /// Checks the limits, then creates the lead (201) and returns it.
    ///
    /// Errors: [`Error::InvalidArgument`](crate::Error::InvalidArgument) before sending;
    /// 400 validation, 403 for a `read` key (see [`NexaDeskErrorKind`](super::NexaDeskErrorKind)).
    #[doc(alias = "createLead")]
    pub async fn send(self) -> Result<Lead> {
        self.body.check()?;
        let spec = RequestSpec::new(http::Method::POST, "/leads").json(&self.body)?;
        Ok(self.client.transport.json::<Single<Lead>>(spec).await?.data)
    }
}

/// `PATCH /leads?id=`; from [`Leads::update`]. Only the fields set are sent and changed.
#[derive(Debug)]
#[must_use = "an update does nothing until you call .send()"]
pub struct UpdateLead<'a> {
    client: &'a NexaDeskClient,
    id: LeadId,
    body: LeadBody,
}

impl UpdateLead<'_> {
    lead_setters!();

    /// New name, at most 200 characters.
    pub fn visitor_name(mut self, name: impl Into<String>) -> Self {
        self.body.visitor_name = Some(name.into());
        self
    }

    /// Assigns the lead to a sales rep of the workspace.
    pub fn assign_rep(mut self, rep: impl Into<RepId>) -> Self {
        self.body.assigned_rep_id = Some(Some(rep.into()));
        self
    }

    /// Unassigns the lead (sends `assigned_rep_id: null`).
    pub fn unassign_rep(self) -> Self {
        self.clear(LeadField::AssignedRepId)
    }

    /// Clears an optional field: sends it as `null` (`PATCH /leads?id=`, `UpdateLeadBody` in
    /// `openapi/nexadesk.yaml`), and the lead comes back with it `None`.
    ///
    /// Replaces a value set earlier on this builder for the same field, as a setter called
    /// after it replaces the clear: the last call wins and the body names the field once.
    /// Clearing has no limit to check; a required field (`visitor_name`) has no [`LeadField`].
    ///
    /// ```no_run
    /// # async fn run(client: deskapi::NexaDeskClient) -> deskapi::Result<()> {
    /// use deskapi::nexadesk::LeadField;
    /// // Sends {"visitor_phone": null, "expected_billing_amount": null}.
    /// let lead = client.leads().update("550e8400-e29b-41d4-a716-446655440000")
    ///     .clear(LeadField::VisitorPhone)
    ///     .clear(LeadField::ExpectedBillingAmount)
    ///     .send().await?;
    /// assert!(lead.visitor_phone.is_none());
    /// # Ok(()) }
    /// ```
    pub fn clear(mut self, field: LeadField) -> Self {
        self.body.clear(field);
        self
    }

    /// Checks the limits, then updates the lead and returns it.
    ///
    /// Errors: [`Error::InvalidArgument`](crate::Error::InvalidArgument) before sending
    /// (an empty id or a broken limit); 404 for an unknown lead or another workspace's.
    #[doc(alias = "updateLead")]
    pub async fn send(self) -> Result<Lead> {
        let spec = with_id(http::Method::PATCH, "/leads", self.id.as_str())?;
        self.body.check()?;
        let spec = spec.json(&self.body)?;
        Ok(self.client.transport.json::<Single<Lead>>(spec).await?.data)
    }
}

impl<'a> Leads<'a> {
    /// Starts a lead; `visitor_name` is required (at most 200 characters).
    ///
    /// ```no_run
    /// # async fn run(client: deskapi::NexaDeskClient) -> deskapi::Result<()> {
    /// use deskapi::nexadesk::PipelineStage;
    /// let lead = client.leads().create("John Doe")
    ///     .visitor_email("john@techcorp.example")
    ///     .pipeline_stage(PipelineStage::New)
    ///     .tags(["wordpress"])
    ///     .expected_billing_amount(1200.0)
    ///     .send().await?;
    /// println!("created {}", lead.id);
    /// # Ok(()) }
    /// ```
    pub fn create(&self, visitor_name: impl Into<String>) -> CreateLead<'a> {
        let body = LeadBody { visitor_name: Some(visitor_name.into()), ..LeadBody::default() };
        CreateLead { client: self.client, body }
    }

    /// Starts an update of one lead; only the fields set are sent.
    ///
    /// ```no_run
    /// # async fn run(client: deskapi::NexaDeskClient) -> deskapi::Result<()> {
    /// use deskapi::nexadesk::PipelineStage;
    /// let lead = client.leads().update("550e8400-e29b-41d4-a716-446655440000")
    ///     .pipeline_stage(PipelineStage::Qualified)
    ///     .unassign_rep()
    ///     .send().await?;
    /// assert!(lead.assigned_rep_id.is_none());
    /// # Ok(()) }
    /// ```
    pub fn update(&self, id: impl Into<LeadId>) -> UpdateLead<'a> {
        UpdateLead { client: self.client, id: id.into(), body: LeadBody::default() }
    }

    /// Permanently deletes a lead; returns its id. 404 for an unknown one.
    ///
    /// ```no_run
    /// # async fn run(client: deskapi::NexaDeskClient) -> deskapi::Result<()> {
    /// let gone = client.leads().delete("550e8400-e29b-41d4-a716-446655440000").await?;
    /// println!("deleted {gone}");
    /// # Ok(()) }
    /// ```
    #[doc(alias = "deleteLead")]
    pub async fn delete(&self, lead: impl Into<LeadId>) -> Result<LeadId> {
        let lead = lead.into();
        let spec = with_id(http::Method::DELETE, "/leads", lead.as_str())?;
        let deleted = self.client.transport.json::<Single<Deleted>>(spec).await?.data;
        Ok(LeadId::new(deleted.id))
    }
}
