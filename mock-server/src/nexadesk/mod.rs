//! NexaDesk REST API, mounted under `/nexadesk` (base URL `/nexadesk/api/v1/external`).
//!
//! [`spec`] is the route table. List responses use [`Page`]
//! (`{success, data, pagination}`); every error is an [`error::NdError`].

pub mod error;
pub mod leads;

use axum::http::StatusCode;
use serde::Serialize;

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
    vec![Route::get("/api/v1/external/leads", "listLeads", leads::list)]
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
