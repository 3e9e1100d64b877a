//! NexaDesk REST API, mounted under `/nexadesk` (base URL `/nexadesk/api/v1/external`).
//!
//! [`spec`] is the route table. List responses use [`Page`]
//! (`{success, data, pagination}`); every error is an [`error::NdError`].

pub mod contacts;
pub mod control;
pub mod conversations;
pub mod error;
pub mod leads;
pub mod paging;

use axum::http::{Method, StatusCode};
use serde::Serialize;
use uuid::Uuid;

use crate::{
    api::Api,
    keys::{Grant, KeyFamily},
    routes::{ApiSpec, Route},
    store::{
        Store,
        nexadesk::{WorkspaceView, WorkspaceViewMut},
    },
    tenant::{Tenant, TenantKind},
};
use error::NdError;

/// The NexaDesk spec: workspace keys, the route table (paths inside `/nexadesk`), its errors.
pub fn spec() -> ApiSpec {
    ApiSpec {
        api: Api::NexaDesk,
        family: KeyFamily::NexaDesk,
        mount: "/nexadesk",
        routes: routes(),
        render: error::render,
        min_plan: None,
    }
}

/// The route table: method, path (inside `/nexadesk`), operationId, handler.
fn routes() -> Vec<Route> {
    const LEADS: &str = "/api/v1/external/leads";
    const CONTACTS: &str = "/api/v1/external/contacts";
    const CONVERSATIONS: &str = "/api/v1/external/conversations";
    vec![
        Route::get(LEADS, "listLeads", leads::list),
        Route::new(Method::POST, LEADS, "createLead", leads::create),
        Route::new(Method::PATCH, LEADS, "updateLead", leads::update),
        Route::new(Method::DELETE, LEADS, "deleteLead", leads::delete),
        Route::get(CONTACTS, "listContacts", contacts::list),
        Route::new(Method::POST, CONTACTS, "createContact", contacts::create),
        Route::new(Method::PATCH, CONTACTS, "updateContact", contacts::update),
        Route::new(Method::DELETE, CONTACTS, "deleteContact", contacts::delete),
        Route::get(CONVERSATIONS, "listConversations", conversations::list),
        Route::new(Method::PATCH, CONVERSATIONS, "updateConversation", conversations::update),
    ]
}

/// `{"success": true, "data": ...}`: one resource.
#[derive(Clone, Debug, Serialize)]
pub struct Single<T> {
    /// Always true.
    pub success: bool,
    /// The resource.
    pub data: T,
}

impl<T> Single<T> {
    /// The envelope around `data`.
    pub fn new(data: T) -> Single<T> {
        Single { success: true, data }
    }
}

/// `data` of a delete: `{"deleted": true, "id": ...}` (`nexadesk-leads.txt`).
#[derive(Clone, Debug, Serialize)]
pub struct Deleted {
    /// Always true.
    pub deleted: bool,
    /// The deleted row.
    pub id: Uuid,
}

/// `{"has_more", "next_cursor", "total_count", "limit"}`.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Pagination {
    /// More rows after this page.
    pub has_more: bool,
    /// Cursor for the next page; `null` when there is none.
    pub next_cursor: Option<String>,
    /// Matching rows in total.
    pub total_count: usize,
    /// Page size used.
    pub limit: usize,
}

/// A list response.
#[derive(Clone, Debug, Serialize)]
pub struct Page<T> {
    /// Always true.
    pub success: bool,
    /// The rows.
    pub data: Vec<T>,
    /// Paging.
    pub pagination: Pagination,
}

/// The tenant of a NexaDesk key: its workspace (`ws_...`).
#[derive(Debug)]
pub enum WorkspaceKey {}

impl TenantKind for WorkspaceKey {
    type Id = String;
    type View<'a> = WorkspaceView<'a>;
    type ViewMut<'a> = WorkspaceViewMut<'a>;
    type Error = NdError;

    fn id(grant: &Grant) -> Option<String> {
        match grant {
            Grant::NexaDesk { workspace_id, .. } => Some(workspace_id.clone()),
            _ => None,
        }
    }

    fn refused() -> NdError {
        NdError::new(StatusCode::UNAUTHORIZED, "Invalid API key")
    }

    fn view<'a>(store: &'a Store, id: &'a String) -> WorkspaceView<'a> {
        store.nexadesk().workspace_view(id)
    }

    fn view_mut<'a>(store: &'a mut Store, id: &'a String) -> WorkspaceViewMut<'a> {
        store.nexadesk_mut().workspace_view_mut(id)
    }
}

/// The workspace a NexaDesk key acts for, and the door to its rows.
pub type Workspace = Tenant<WorkspaceKey>;
