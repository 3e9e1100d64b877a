//! `GET /external/departments` (the active departments, oldest first, paginated and
//! date-filtered like every list: the document says all lists are, although its example shows
//! no `meta`) and `GET /external/departments/{id}` (active or not: tickets keep pointing at a
//! department after it is switched off, and their `department_id` must resolve).

use crate::{
    encode::JsonBody,
    nextcap::{
        Reply,
        extract::{DataOrg, ListQuery, PathId},
        found,
    },
    store::nextcap::Department,
};

/// `GET /external/departments`: the organisation's active departments.
pub async fn list(org: DataOrg, ListQuery { args, target, .. }: ListQuery<()>) -> Reply {
    org.read_cached("listDepartments", &target, |v| {
        Ok(JsonBody(args.page_of(v.active_departments(), |row| row)).encode())
    })
}

/// `GET /external/departments/{id}`.
pub async fn get(org: DataOrg, id: PathId<Department>) -> Reply {
    org.read(|v| found(v.department(id.id()), "Department"))
}
