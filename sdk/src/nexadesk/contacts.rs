//! Contacts (API README, NexaDesk facts): `GET /contacts` (search, tag, sort, cursor), one
//! contact by `GET /contacts?id=`, `POST /contacts`, `PATCH /contacts?id=`,
//! `DELETE /contacts?id=`. `email` is the deduplication key: a duplicate is 409
//! ([`NexaDeskErrorKind::Conflict`](super::NexaDeskErrorKind::Conflict)). Limits checked
//! before sending: `first_name` required (max 100), `last_name` 100, `phone` 50, a valid email;
//! `company_name` 200 and `profile_notes` 2000 are the contract's (inferred) limits. An update
//! can also clear the optional fields (`null` on the wire, see [`ContactField`]).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::NexaDeskClient;
use super::envelope::{Deleted, NexaDeskCursor, Single, get_by_id, with_id};
use super::leads::SortDirection;
use super::limits::{email, max_chars, required};
use super::nullable::{nullable_fields, text};
use crate::core::error::Result;
use crate::core::macros::{string_enum, string_id};
use crate::core::pagination::{ListParams, ListRequest, PageToken};
use crate::core::transport::RequestSpec;
use crate::core::validate::{in_range, known, non_empty};

string_id!(
    /// A NexaDesk contact's ID (a UUID).
    ContactId
);

string_enum! {
    /// Fields `GET /contacts` can sort by.
    pub enum ContactSortField {
        /// Creation time.
        CreatedAt => "created_at",
        /// Last activity.
        LastActivity => "last_activity",
        /// First then last name.
        Name => "name",
        /// Email.
        Email => "email",
    }
}

/// A NexaDesk contact (fields as listed in the vendor's contacts reference).
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[non_exhaustive]
pub struct Contact {
    /// The contact's ID.
    pub id: ContactId,
    /// First name.
    pub first_name: String,
    /// Last name.
    #[serde(default)]
    pub last_name: Option<String>,
    /// Email, unique in the workspace.
    #[serde(default)]
    pub email: Option<String>,
    /// Phone.
    #[serde(default)]
    pub phone: Option<String>,
    /// Company.
    #[serde(default)]
    pub company_name: Option<String>,
    /// Avatar URL.
    #[serde(default)]
    pub avatar_url: Option<String>,
    /// Tags.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Free-text notes.
    #[serde(default)]
    pub profile_notes: Option<String>,
    /// AI summary of the contact's interests.
    #[serde(default)]
    pub interest_summary: Option<String>,
    /// Last activity.
    #[serde(default)]
    pub last_activity: Option<DateTime<Utc>>,
    /// Creation time.
    pub created_at: DateTime<Utc>,
    /// Conversations with this contact.
    #[serde(default)]
    pub conversation_count: u32,
    /// Latest conversation.
    #[serde(default)]
    pub last_conversation_at: Option<DateTime<Utc>>,
}

/// Filters of `GET /contacts`.
#[derive(Clone, Debug, Default, Serialize)]
#[non_exhaustive]
pub struct ContactsQuery {
    #[serde(skip_serializing_if = "Option::is_none")]
    limit: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    search: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    tag: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sort: Option<String>,
    #[serde(skip)]
    sort_field: Option<ContactSortField>,
}

impl ListParams for ContactsQuery {
    type Item = Contact;
    type Style = NexaDeskCursor;
    fn validate(&self) -> Result<()> {
        in_range("limit", self.limit, 1..=100)?;
        known("sort", self.sort_field.as_ref())?;
        non_empty("search", self.search.as_deref())?;
        non_empty("tag", self.tag.as_deref())
    }
}

impl ListRequest<ContactsQuery> {
    /// Page size, 1-100 (the API's default is 50).
    pub fn limit(mut self, n: u32) -> Self {
        self.params.limit = Some(n);
        self
    }
    /// Case-insensitive partial match on first/last name, email, phone or company.
    pub fn search(mut self, text: impl Into<String>) -> Self {
        self.params.search = Some(text.into());
        self
    }
    /// Only contacts with exactly this tag.
    pub fn tag(mut self, tag: impl Into<String>) -> Self {
        self.params.tag = Some(tag.into());
        self
    }
    /// Sort order (the API's default is `created_at:desc`).
    pub fn sort(mut self, field: ContactSortField, direction: SortDirection) -> Self {
        self.params.sort = Some(format!("{}:{}", field.as_str(), direction.as_str()));
        self.params.sort_field = Some(field);
        self
    }
    /// Starts at this cursor (from an earlier page's `next_cursor`).
    pub fn cursor(self, cursor: impl Into<String>) -> Self {
        self.start_at(PageToken::Cursor(cursor.into()))
    }
}

/// The create and update body. The fields an update may clear are `Option<Option<_>>`
/// (see [`super::nullable`]); a create never holds `Some(None)`, as only [`UpdateContact`] clears.
#[derive(Clone, Debug, Default, Serialize)]
struct ContactBody {
    #[serde(skip_serializing_if = "Option::is_none")]
    first_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    last_name: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    email: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    phone: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    company_name: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    tags: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    profile_notes: Option<Option<String>>,
}

nullable_fields! {
    /// The contact fields an update may clear: [`UpdateContact::clear`] sends the field as `null`.
    ///
    /// Exactly the nullable properties of `UpdateContactBody` in `openapi/nexadesk.yaml` ("Null
    /// clears an optional field"; the update body itself is `x-inferred`, as the API README
    /// leaves it undocumented), which the mock implements. `first_name` is required and `tags`
    /// cannot be `null` (the API answers 400), so they have no variant.
    pub enum ContactField for ContactBody {
        /// `last_name`.
        LastName => last_name,
        /// `email` (clearing it frees the address for another contact).
        Email => email,
        /// `phone`.
        Phone => phone,
        /// `company_name`.
        CompanyName => company_name,
        /// `profile_notes`.
        ProfileNotes => profile_notes,
    }
}

impl ContactBody {
    fn check(&self) -> Result<()> {
        if let Some(name) = &self.first_name {
            required("first_name", name, 100)?;
        }
        max_chars("last_name", text(&self.last_name), 100)?;
        email("email", text(&self.email))?;
        max_chars("phone", text(&self.phone), 50)?;
        max_chars("company_name", text(&self.company_name), 200)?;
        max_chars("profile_notes", text(&self.profile_notes), 2000)
    }
}

macro_rules! contact_setters {
    () => {
        /// Last name, at most 100 characters.
        pub fn last_name(mut self, name: impl Into<String>) -> Self {
            self.body.last_name = Some(Some(name.into()));
            self
        }
        /// Email (unique in the workspace: a duplicate is 409).
        pub fn email(mut self, email: impl Into<String>) -> Self {
            self.body.email = Some(Some(email.into()));
            self
        }
        /// Phone, at most 50 characters.
        pub fn phone(mut self, phone: impl Into<String>) -> Self {
            self.body.phone = Some(Some(phone.into()));
            self
        }
        /// Company, at most 200 characters.
        pub fn company_name(mut self, company: impl Into<String>) -> Self {
            self.body.company_name = Some(Some(company.into()));
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
        /// Notes, at most 2000 characters.
        pub fn profile_notes(mut self, notes: impl Into<String>) -> Self {
            self.body.profile_notes = Some(Some(notes.into()));
            self
        }
    };
}

/// `POST /contacts`; from [`Contacts::create`].
#[derive(Debug)]
#[must_use = "a create does nothing until you call .send()"]
pub struct CreateContact<'a> {
    client: &'a NexaDeskClient,
    body: ContactBody,
}

impl CreateContact<'_> {
    contact_setters!();

    /// Checks the limits, then creates the contact (201) and returns it. A used email is 409.
    #[doc(alias = "createContact")]
    pub async fn send(self) -> Result<Contact> {
        self.body.check()?;
        let spec = RequestSpec::new(http::Method::POST, "/contacts").json(&self.body)?;
        Ok(self.client.transport.json::<Single<Contact>>(spec).await?.data)
    }
}

/// `PATCH /contacts?id=`; from [`Contacts::update`]. Only the fields set are sent.
#[derive(Debug)]
#[must_use = "an update does nothing until you call .send()"]
pub struct UpdateContact<'a> {
    client: &'a NexaDeskClient,
    id: ContactId,
    body: ContactBody,
}

impl UpdateContact<'_> {
    contact_setters!();

    /// New first name, at most 100 characters.
    pub fn first_name(mut self, name: impl Into<String>) -> Self {
        self.body.first_name = Some(name.into());
        self
    }

    /// Clears an optional field: sends it as `null` (`PATCH /contacts?id=`,
    /// `UpdateContactBody` in `openapi/nexadesk.yaml`), and the contact comes back with it `None`.
    ///
    /// Replaces a value set earlier on this builder for the same field, as a setter called
    /// after it replaces the clear: the last call wins and the body names the field once.
    /// Clearing has no limit to check; the required `first_name` has no [`ContactField`].
    ///
    /// ```no_run
    /// # async fn run(client: deskapi::NexaDeskClient) -> deskapi::Result<()> {
    /// use deskapi::nexadesk::ContactField;
    /// // Sends {"company_name": null, "phone": "+1-555-0100"}.
    /// let contact = client.contacts().update("1f0e9c1a-2b3c-4d5e-8f90-a1b2c3d4e5f6")
    ///     .clear(ContactField::CompanyName)
    ///     .phone("+1-555-0100")
    ///     .send().await?;
    /// assert!(contact.company_name.is_none());
    /// # Ok(()) }
    /// ```
    pub fn clear(mut self, field: ContactField) -> Self {
        self.body.clear(field);
        self
    }

    /// Checks the limits, then updates the contact. Another contact's email is 409.
    #[doc(alias = "updateContact")]
    pub async fn send(self) -> Result<Contact> {
        let spec = with_id(http::Method::PATCH, "/contacts", self.id.as_str())?;
        self.body.check()?;
        let spec = spec.json(&self.body)?;
        Ok(self.client.transport.json::<Single<Contact>>(spec).await?.data)
    }
}

/// The contacts endpoints; from [`NexaDeskClient::contacts`].
#[derive(Debug)]
pub struct Contacts<'a> {
    pub(crate) client: &'a NexaDeskClient,
}

impl<'a> Contacts<'a> {
    /// Lists contacts (cursor-paginated; newest first unless sorted otherwise).
    ///
    /// ```no_run
    /// # async fn run(client: deskapi::NexaDeskClient) -> deskapi::Result<()> {
    /// use deskapi::nexadesk::{ContactSortField, SortDirection};
    /// let page = client.contacts().list().tag("vip").sort(ContactSortField::Name, SortDirection::Asc).send().await?;
    /// for contact in &page.items {
    ///     println!("{} {:?}", contact.first_name, contact.email);
    /// }
    /// # Ok(()) }
    /// ```
    #[doc(alias = "listContacts")]
    pub fn list(&self) -> ListRequest<ContactsQuery> {
        ListRequest::new(&self.client.transport, Ok("/contacts".to_owned()), ContactsQuery::default())
    }

    /// One contact (`GET /contacts?id=`); 404 for an unknown one or another workspace's.
    /// The contract has one operation for the list and the single read (`listContacts`,
    /// "or get one with `?id=`"), so this method shares its alias.
    ///
    /// ```no_run
    /// # async fn run(client: deskapi::NexaDeskClient) -> deskapi::Result<()> {
    /// let contact = client.contacts().get("1f0e9c1a-2b3c-4d5e-8f90-a1b2c3d4e5f6").await?;
    /// println!("{}", contact.first_name);
    /// # Ok(()) }
    /// ```
    #[doc(alias = "listContacts")]
    pub async fn get(&self, contact: impl Into<ContactId>) -> Result<Contact> {
        let contact = contact.into();
        Ok(get_by_id::<Contact>(self.client, "/contacts", contact.as_str()).await?.data)
    }

    /// Starts a contact; `first_name` is required (at most 100 characters).
    ///
    /// ```no_run
    /// # async fn run(client: deskapi::NexaDeskClient) -> deskapi::Result<()> {
    /// use deskapi::nexadesk::NexaDeskErrorKind;
    /// match client.contacts().create("Ada").email("ada@example.com").send().await {
    ///     Ok(contact) => println!("created {}", contact.id),
    ///     Err(e) if NexaDeskErrorKind::of(&e) == NexaDeskErrorKind::Conflict => println!("exists"),
    ///     Err(e) => return Err(e),
    /// }
    /// # Ok(()) }
    /// ```
    pub fn create(&self, first_name: impl Into<String>) -> CreateContact<'a> {
        let body = ContactBody { first_name: Some(first_name.into()), ..ContactBody::default() };
        CreateContact { client: self.client, body }
    }

    /// Starts an update of one contact; only the fields set are sent.
    ///
    /// ```no_run
    /// # async fn run(client: deskapi::NexaDeskClient) -> deskapi::Result<()> {
    /// let contact = client.contacts().update("1f0e9c1a-2b3c-4d5e-8f90-a1b2c3d4e5f6").phone("+1-555-0100").send().await?;
    /// println!("{:?}", contact.phone);
    /// # Ok(()) }
    /// ```
    pub fn update(&self, id: impl Into<ContactId>) -> UpdateContact<'a> {
        UpdateContact { client: self.client, id: id.into(), body: ContactBody::default() }
    }

    /// Permanently deletes a contact; returns its id.
    ///
    /// ```no_run
    /// # async fn run(client: deskapi::NexaDeskClient) -> deskapi::Result<()> {
    /// client.contacts().delete("1f0e9c1a-2b3c-4d5e-8f90-a1b2c3d4e5f6").await?;
    /// # Ok(()) }
    /// ```
    #[doc(alias = "deleteContact")]
    pub async fn delete(&self, contact: impl Into<ContactId>) -> Result<ContactId> {
        let contact = contact.into();
        let spec = with_id(http::Method::DELETE, "/contacts", contact.as_str())?;
        let deleted = self.client.transport.json::<Single<Deleted>>(spec).await?.data;
        Ok(ContactId::new(deleted.id))
    }
}
