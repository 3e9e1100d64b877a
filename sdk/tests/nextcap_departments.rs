//! Next Cap departments: the documented list (no `meta`) is one complete page, and names
//! and descriptions fall back by locale.
#![cfg(feature = "nextcap")]

mod common;

use common::*;
use deskapi::nextcap::*;
use futures::TryStreamExt;
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn the_documented_departments_list_has_no_meta_and_is_one_complete_page() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/external/departments"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(DOC_DEPARTMENTS, "application/json"))
        .mount(&server)
        .await;
    let client = nextcap(&server);
    let page = client.departments().list().send().await.unwrap();
    assert_eq!((page.meta.page, page.meta.total, page.meta.total_pages), (1, 1, 1));
    let d = &page.items[0];
    assert_eq!((d.slug.as_str(), d.parent_id.as_ref(), d.is_default), ("technical-support", None, false));
    assert_eq!(d.settings["autoAssign"], json!(false));
    assert_eq!(d.name_for("fa"), "پشتیبانی فنی");
    assert_eq!(d.name_for("es"), "Technical Support");
    assert_eq!(d.description_for("fr"), Some("..."));
    assert_eq!(d.description_for("es"), Some("Help with technical issues"));

    let all: Vec<Department> = client.departments().list().stream().try_collect().await.unwrap();
    assert_eq!(all.len(), 1);
    assert_eq!(server.received_requests().await.unwrap().len(), 2, "the stream stops after the only page");
}

#[test]
fn a_department_without_translations_falls_back_everywhere() {
    let d: Department = decode(json!({
        "id": "d2", "name": "Billing", "description": null, "name_translations": {}, "description_translations": null,
        "supported_languages": [], "slug": "billing", "parent_id": "d1", "is_default": true, "color": null,
        "settings": {}, "created_at": "2026-03-15T10:30:00.000Z"
    }));
    assert_eq!(d.name_for("fa"), "Billing");
    assert_eq!(d.description_for("fa"), None);
    assert_eq!(d.parent_id, Some(DepartmentId::new("d1")));
    assert!(d.supported_languages.is_empty(), "empty means every language");
}

#[tokio::test]
async fn one_department() {
    let server = MockServer::start().await;
    serve(&server, "/external/departments/d1", json!({"data": first_item(DOC_DEPARTMENTS)})).await;
    let d = nextcap(&server).departments().get("d1").await.unwrap();
    assert_eq!(d.name_for("fr"), "Support technique");
}
