//! The Next Cap External Data API (nextcap-external-data-api.txt): `sk_live_` organisation keys,
//! mounted under `/nextcap`.
//!
//! [`spec`] is the route table; each endpoint is one line there plus a handler of a few lines in
//! the file named after its resource, built from the extractors in [`super::extract`].

mod analytics;
mod call_requests;
mod conversations;
mod departments;
mod leads;
mod tickets;
mod visitors;
mod webhooks;

pub use call_requests::MAX_NOTES;

use axum::http::Method;

use crate::{
    api::Api,
    keys::{KeyFamily, Plan},
    routes::{ApiSpec, Route},
};

/// The Data API spec: organisation keys, the route table, Next Cap's errors.
pub fn spec() -> ApiSpec {
    ApiSpec {
        api: Api::NextCap,
        family: KeyFamily::NextCapData,
        mount: "/nextcap",
        routes: routes(),
        render: super::error::render,
        min_plan: Some(Plan::Pro),
    }
}

/// The route table: method, path (inside `/nextcap`), operationId, handler.
fn routes() -> Vec<Route> {
    vec![
        Route::get("/api/v1/external/leads", "listLeads", leads::list),
        Route::get("/api/v1/external/leads/{id}", "getLead", leads::get),
        Route::get("/api/v1/external/conversations", "listConversations", conversations::list),
        Route::get("/api/v1/external/conversations/{id}", "getConversation", conversations::get),
        Route::get("/api/v1/external/conversations/{id}/messages", "listConversationMessages", conversations::messages),
        Route::get("/api/v1/external/tickets", "listTickets", tickets::list),
        Route::get("/api/v1/external/tickets/{id}", "getTicket", tickets::get),
        Route::get("/api/v1/external/tickets/{id}/events", "listTicketEvents", tickets::events),
        Route::get("/api/v1/external/call-requests", "listCallRequests", call_requests::list),
        Route::get("/api/v1/external/call-requests/{id}", "getCallRequest", call_requests::get),
        Route::new(Method::PATCH, "/api/v1/external/call-requests/{id}", "updateCallRequest", call_requests::update),
        Route::get("/api/v1/external/visitors", "listVisitors", visitors::list),
        Route::get("/api/v1/external/visitors/{id}", "getVisitor", visitors::get),
        Route::get("/api/v1/external/visitors/{id}/sessions", "listVisitorSessions", visitors::sessions),
        Route::get("/api/v1/external/visitors/{id}/profile", "getVisitorProfile", visitors::profile),
        Route::get("/api/v1/external/departments", "listDepartments", departments::list),
        Route::get("/api/v1/external/departments/{id}", "getDepartment", departments::get),
        Route::get("/api/v1/external/analytics/overview", "getAnalyticsOverview", analytics::overview),
        Route::get("/api/v1/external/analytics/daily", "getAnalyticsDaily", analytics::daily),
        // Webhooks are an Enterprise feature (nextcap-external-data-api.txt, "Plan requirements").
        Route::new(Method::POST, "/api/v1/external/webhooks", "createWebhook", webhooks::create).plan(Plan::Enterprise),
        Route::get("/api/v1/external/webhooks", "listWebhooks", webhooks::list).plan(Plan::Enterprise),
        Route::new(Method::DELETE, "/api/v1/external/webhooks/{id}", "deleteWebhook", webhooks::delete)
            .plan(Plan::Enterprise),
    ]
}
