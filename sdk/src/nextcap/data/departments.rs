//! Departments: `GET /external/departments` and `/departments/:id`.
//!
//! The documented list has no `meta`: it comes whole, and the shared paginator reads it as a
//! single page, so it is still a [`ListRequest`] like every other list.

use super::NextCapDataClient;
use super::common::item_path;
use crate::core::error::Result;
use crate::core::pagination::ListRequest;
use crate::nextcap::PlainQuery;
use crate::nextcap::models::{Department, DepartmentId};

/// The departments endpoints; from [`NextCapDataClient::departments`].
#[derive(Debug)]
pub struct Departments<'a> {
    pub(crate) client: &'a NextCapDataClient,
}

impl Departments<'_> {
    /// Lists the active departments.
    ///
    /// ```no_run
    /// # async fn run(client: deskapi::NextCapDataClient) -> deskapi::Result<()> {
    /// let departments = client.departments().list().send().await?.items;
    /// for d in &departments {
    ///     println!("{} / {}", d.name, d.name_for("fr"));
    /// }
    /// # Ok(()) }
    /// ```
    #[doc(alias = "listDepartments")]
    pub fn list(&self) -> ListRequest<PlainQuery<Department>> {
        self.client.list(Ok("/external/departments".to_owned()))
    }

    /// Gets one department.
    ///
    /// ```no_run
    /// # async fn run(client: deskapi::NextCapDataClient) -> deskapi::Result<()> {
    /// let d = client.departments().get("3c2b1a00-0000-4000-8000-000000000001").await?;
    /// println!("{} ({})", d.name, d.slug);
    /// # Ok(()) }
    /// ```
    #[doc(alias = "getDepartment")]
    pub async fn get(&self, id: impl Into<DepartmentId>) -> Result<Department> {
        self.client.fetch(item_path("departments", id.into().as_str(), "")).await
    }
}
