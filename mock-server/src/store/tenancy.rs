//! Next Cap tenancy as the organisation's owner changes it in the dashboard: plans, seats and
//! their CRM keys (nextcap-crm-integration.txt, "How It Works", "Obtaining CRM Keys",
//! "API-only seats"; nextcap-external-data-api.txt, "Plan requirements").
//!
//! These writes span the key directory and the Next Cap rows, so they live on [`Store`]. The
//! control actions `set-plan`, `deactivate-seat`, `reactivate-seat`, `create-crm-key`,
//! `revoke-crm-key`, `create-api-only-seat` and `update-seat` call them; every change takes
//! effect on the next request, because the auth step reads plans, seats and keys live.

use rand::Rng;
use uuid::Uuid;

use super::{
    Store,
    nextcap::{NextCapStore, Organisation, Seat, permissions_of},
};
use crate::keys::{Grant, KeyInfo, KeyRecord, NEXTCAP_CRM_PREFIX, Plan, prefixed_key};

/// Why a tenancy change was refused: the input field at fault and what is wrong (400).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refused {
    /// The input field.
    pub field: &'static str,
    /// What is wrong.
    pub message: String,
}

fn refused(field: &'static str, message: impl Into<String>) -> Refused {
    Refused { field, message: message.into() }
}

/// A seat and the raw CRM key just made for it.
#[derive(Clone, Debug, serde::Serialize)]
pub struct SeatWithKey {
    /// The seat.
    pub seat: SeatInfo,
    /// The new key (`nextcap_ck_...`), shown once, as the dashboard does.
    pub key: String,
}

/// A seat as the control API shows it.
#[derive(Clone, Debug, serde::Serialize)]
pub struct SeatInfo {
    /// Seat (user) id.
    pub id: Uuid,
    /// Its organisation's name.
    pub organisation: String,
    /// Name.
    pub name: String,
    /// Email; API-only seats may have none.
    pub email: Option<String>,
    /// Role slug.
    pub role: String,
    /// What the role grants.
    pub permissions: Vec<String>,
    /// Widgets it may see.
    pub widget_ids: Vec<Uuid>,
    /// False once deactivated.
    pub active: bool,
}

/// The input of `create-api-only-seat`, checked.
#[derive(Clone, Debug)]
pub struct NewSeat {
    /// Name.
    pub name: String,
    /// Role slug, one of [`super::nextcap::ROLES`].
    pub role: String,
    /// Widgets of the organisation.
    pub widget_ids: Vec<Uuid>,
    /// Optional email.
    pub email: Option<String>,
}

impl NextCapStore {
    fn org_index(&self, reference: &str) -> Result<usize, Refused> {
        let id = self.org_by_ref(reference).map(|o| o.id).ok_or_else(|| refused("org", "no such organisation"))?;
        self.orgs.iter().position(|o| o.id == id).ok_or_else(|| refused("org", "no such organisation"))
    }

    /// A seat of the organisation named by id, name or email (case-insensitive). Names need
    /// not be unique (two API-only seats may both be "Sync Bot"), so a name that more than one
    /// seat carries is refused rather than resolved to whichever came first; an empty reference
    /// never matches a seat that has no email.
    fn seat_index(&self, org_id: Uuid, reference: &str) -> Result<usize, Refused> {
        let reference = reference.trim();
        if reference.is_empty() {
            return Err(refused("seat", "is required"));
        }
        let id = Uuid::parse_str(reference).ok();
        let in_org = || self.seats.iter().enumerate().filter(|(_, s)| s.org_id == org_id);
        if let Some((i, _)) =
            in_org().find(|(_, s)| Some(s.id) == id || (!s.email.is_empty() && s.email.eq_ignore_ascii_case(reference)))
        {
            return Ok(i);
        }
        let mut named = in_org().filter(|(_, s)| s.name.eq_ignore_ascii_case(reference)).map(|(i, _)| i);
        match (named.next(), named.next()) {
            (Some(i), None) => Ok(i),
            (Some(_), Some(_)) => Err(refused("seat", "more than one seat has this name; give its id or email")),
            (None, _) => Err(refused("seat", "no such seat in this organisation (give its id, name or email)")),
        }
    }

    /// Checks a seat's widget list; a widget named twice is refused, since a seat's access
    /// is a set and a repeated id is a caller's mistake worth naming.
    fn check_widgets(&self, org_id: Uuid, widget_ids: &[Uuid]) -> Result<(), Refused> {
        if let Some((i, w)) = widget_ids.iter().enumerate().find(|(i, w)| widget_ids[..*i].contains(w)) {
            return Err(refused("widget_ids", format!("{w} is given twice (at {i})")));
        }
        if widget_ids.is_empty() {
            return Err(refused("widget_ids", "give at least one widget"));
        }
        match widget_ids.iter().find(|w| self.widget(org_id, **w).is_none()) {
            Some(w) => Err(refused("widget_ids", format!("{w} is not a widget of this organisation"))),
            None => Ok(()),
        }
    }
}

fn role_permissions(role: &str) -> Result<Vec<String>, Refused> {
    permissions_of(role).map(|p| p.iter().map(|s| (*s).to_owned()).collect()).ok_or_else(|| {
        refused(
            "role",
            "must be one of owner, admin, live_chat_agent, ticketing_agent, agent, viewer, live_chat_viewer",
        )
    })
}

fn seat_info(org: &Organisation, seat: &Seat) -> SeatInfo {
    SeatInfo {
        id: seat.id,
        organisation: org.name.clone(),
        name: seat.name.clone(),
        email: (!seat.email.is_empty()).then(|| seat.email.clone()),
        role: seat.role.clone(),
        permissions: seat.permissions.clone(),
        widget_ids: seat.widget_ids.clone(),
        active: seat.active,
    }
}

impl Store {
    /// Every key as `GET /__mock/keys` lists it: Next Cap keys with their organisation's plan
    /// and their seat's state as they are now.
    pub fn key_listing(&self) -> Vec<KeyInfo> {
        self.keys
            .records()
            .map(|r| {
                let mut info = r.info.clone();
                match r.grant {
                    Grant::NextCapData { org_id } => info.plan = self.plan_of(org_id),
                    Grant::NextCapCrm { org_id, seat_id } => {
                        info.plan = self.plan_of(org_id);
                        if let Some(seat) = self.nextcap.seat(seat_id) {
                            info.active = seat.active;
                            info.role.clone_from(&seat.role);
                            info.permissions.clone_from(&seat.permissions);
                        }
                    }
                    _ => {}
                }
                info
            })
            .collect()
    }

    fn plan_of(&self, org_id: Uuid) -> Option<String> {
        self.nextcap.org(org_id).map(|o| o.plan.as_str().to_owned())
    }

    /// Moves an organisation to `plan`.
    pub fn set_plan(&mut self, org: &str, plan: Plan) -> Result<(String, Plan), Refused> {
        let i = self.nextcap.org_index(org)?;
        self.nextcap.orgs[i].plan = plan;
        Ok((self.nextcap.orgs[i].name.clone(), plan))
    }

    /// Deactivates or reactivates a seat; its CRM keys follow at once.
    pub fn set_seat_active(&mut self, org: &str, seat: &str, active: bool) -> Result<SeatInfo, Refused> {
        let o = self.nextcap.org_index(org)?;
        let org_id = self.nextcap.orgs[o].id;
        let s = self.nextcap.seat_index(org_id, seat)?;
        self.nextcap.seats[s].active = active;
        Ok(seat_info(&self.nextcap.orgs[o], &self.nextcap.seats[s]))
    }

    /// Makes a new CRM key for a seat, as an owner does in Settings -> API Keys.
    pub fn create_crm_key(&mut self, org: &str, seat: &str, name: &str) -> Result<SeatWithKey, Refused> {
        let o = self.nextcap.org_index(org)?;
        let org_id = self.nextcap.orgs[o].id;
        let s = self.nextcap.seat_index(org_id, seat)?;
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 100 {
            return Err(refused("name", "is required, at most 100 characters"));
        }
        let (org_row, seat_row) = (self.nextcap.orgs[o].clone(), self.nextcap.seats[s].clone());
        let key = self.insert_crm_key(&org_row, &seat_row, name);
        Ok(SeatWithKey { seat: seat_info(&org_row, &seat_row), key })
    }

    fn insert_crm_key(&mut self, org: &Organisation, seat: &Seat, name: &str) -> String {
        // Keys made at run time are random: tests read them from the answer, never guess them.
        let key = prefixed_key(&mut rand::thread_rng(), NEXTCAP_CRM_PREFIX);
        self.keys.insert(KeyRecord {
            info: KeyInfo {
                key: key.clone(),
                api: "nextcap-crm".to_owned(),
                organisation: org.name.clone(),
                role: seat.role.clone(),
                permissions: seat.permissions.clone(),
                active: seat.active,
                label: format!("{} ({name})", seat.name),
                plan: None,
            },
            grant: Grant::NextCapCrm { org_id: org.id, seat_id: seat.id },
        });
        key
    }

    /// Revokes a CRM key; later requests with it get 401.
    pub fn revoke_crm_key(&mut self, key: &str) -> Result<(), Refused> {
        match self.keys.get(key.trim()).map(|r| r.grant.clone()) {
            Some(Grant::NextCapCrm { .. }) => {
                self.keys.remove(key.trim());
                Ok(())
            }
            Some(_) => Err(refused("key", "is not a CRM key (nextcap_ck_...)")),
            None => Err(refused("key", "no such key")),
        }
    }

    /// Creates an API-only seat with a role, widget access and a key, in one step.
    pub fn create_api_only_seat(&mut self, org: &str, new: NewSeat) -> Result<SeatWithKey, Refused> {
        let o = self.nextcap.org_index(org)?;
        let org_id = self.nextcap.orgs[o].id;
        let name = new.name.trim().to_owned();
        if name.is_empty() || name.chars().count() > 100 {
            return Err(refused("name", "is required, at most 100 characters"));
        }
        let permissions = role_permissions(&new.role)?;
        self.nextcap.check_widgets(org_id, &new.widget_ids)?;
        let email = new.email.map(|e| e.trim().to_owned()).filter(|e| !e.is_empty());
        if let Some(email) = &email {
            if !email.contains('@') {
                return Err(refused("email", "must be an email address"));
            }
            if self.nextcap.seats.iter().any(|s| s.org_id == org_id && s.email.eq_ignore_ascii_case(email)) {
                return Err(refused("email", "a seat of this organisation already has it"));
            }
        }
        let seat = Seat {
            id: uuid::Builder::from_random_bytes(rand::thread_rng().r#gen()).into_uuid(),
            org_id,
            name,
            email: email.unwrap_or_default(),
            role: new.role,
            permissions,
            widget_ids: new.widget_ids,
            active: true,
        };
        self.nextcap.seats.push(seat.clone());
        let org_row = self.nextcap.orgs[o].clone();
        let key = self.insert_crm_key(&org_row, &seat, "API-only seat");
        Ok(SeatWithKey { seat: seat_info(&org_row, &seat), key })
    }

    /// Changes a seat's role and/or widgets; its keys inherit the change on the next request.
    pub fn update_seat(
        &mut self,
        org: &str,
        seat: &str,
        role: Option<&str>,
        widget_ids: Option<Vec<Uuid>>,
    ) -> Result<SeatInfo, Refused> {
        let o = self.nextcap.org_index(org)?;
        let org_id = self.nextcap.orgs[o].id;
        let s = self.nextcap.seat_index(org_id, seat)?;
        if role.is_none() && widget_ids.is_none() {
            return Err(refused("body", "give role, widget_ids or both"));
        }
        let permissions = role.map(role_permissions).transpose()?;
        if let Some(widgets) = &widget_ids {
            self.nextcap.check_widgets(org_id, widgets)?;
        }
        let row = &mut self.nextcap.seats[s];
        if let (Some(role), Some(permissions)) = (role, permissions) {
            role.clone_into(&mut row.role);
            row.permissions = permissions;
        }
        if let Some(widgets) = widget_ids {
            row.widget_ids = widgets;
        }
        Ok(seat_info(&self.nextcap.orgs[o], &self.nextcap.seats[s]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plans_seats_and_keys_change_what_the_listing_shows() {
        let mut store = crate::store::fixtures::build(42, 5);
        let keys = store.demo_keys().clone();
        let plan_of = |s: &Store, key: &str| s.key_listing().into_iter().find(|k| k.key == key).and_then(|k| k.plan);
        assert_eq!(plan_of(&store, &keys.nextcap_data).as_deref(), Some("enterprise"));
        assert_eq!(plan_of(&store, &keys.nextcap_data_pro).as_deref(), Some("pro"));
        assert_eq!(plan_of(&store, &keys.nextcap_data_free).as_deref(), Some("free"));
        // The Pro organisation's owner holds what every owner holds: its CRM key is refused
        // for the plan alone.
        let pro_owner = store.key_listing().into_iter().find(|k| k.key == keys.nextcap_crm_pro).map(|k| k.permissions);
        let owner: Vec<String> = permissions_of("owner").unwrap_or_default().iter().map(|p| (*p).to_owned()).collect();
        assert_eq!(pro_owner, Some(owner));
        assert_eq!(store.set_plan("Acme", Plan::Pro).map(|(n, _)| n).as_deref(), Ok("Acme"));
        assert_eq!(plan_of(&store, &keys.nextcap_crm_admin).as_deref(), Some("pro"));
        assert!(store.set_plan("nobody", Plan::Pro).is_err());

        let seat = store.set_seat_active("acme", "Liam Chat", false).expect("a seat by name");
        assert!(!seat.active);
        let listed = store.key_listing().into_iter().find(|k| k.key == keys.nextcap_crm_live_chat);
        assert_eq!(listed.map(|k| k.active), Some(false));

        let made = store.create_crm_key("acme", "ada.admin@acme.example", "sync").expect("a key by email");
        assert!(made.key.starts_with("nextcap_ck_"));
        assert!(store.keys().get(&made.key).is_some());
        assert_eq!(store.revoke_crm_key(&made.key), Ok(()));
        assert!(store.keys().get(&made.key).is_none());
        assert_eq!(store.revoke_crm_key(&keys.nextcap_data).map_err(|r| r.field), Err("key"));

        let widget = store
            .nextcap()
            .org_view(store.nextcap().org_by_ref("acme").map(|o| o.id).unwrap_or_default())
            .widgets()
            .next()
            .map(|w| w.id);
        let new = NewSeat {
            name: "Sync Bot".into(),
            role: "ticketing_agent".into(),
            widget_ids: widget.into_iter().collect(),
            email: None,
        };
        let made = store.create_api_only_seat("acme", new).expect("an API-only seat");
        assert_eq!(made.seat.permissions.len(), 5);
        assert_eq!(made.seat.widget_ids.len(), 1);
        let bad = NewSeat { name: "X".into(), role: "boss".into(), widget_ids: Vec::new(), email: None };
        assert_eq!(store.create_api_only_seat("acme", bad).map_err(|r| r.field).err(), Some("role"));
        let updated = store.update_seat("acme", "Sync Bot", Some("viewer"), None).expect("an update");
        assert_eq!(updated.permissions, ["conversations:view-own", "tickets:view"]);

        // A widget named twice is refused, not stored twice.
        let twice = NewSeat {
            name: "Twice".into(),
            role: "agent".into(),
            widget_ids: widget.into_iter().chain(widget).collect(),
            email: None,
        };
        assert_eq!(store.create_api_only_seat("acme", twice).map_err(|r| r.field).err(), Some("widget_ids"));
        // A second seat with the same name makes the name ambiguous: refused, not the first one.
        let again = NewSeat {
            name: "sync bot".into(),
            role: "agent".into(),
            widget_ids: widget.into_iter().collect(),
            email: None,
        };
        let second = store.create_api_only_seat("acme", again).expect("names need not be unique");
        let by_name = store.update_seat("acme", "Sync Bot", Some("agent"), None);
        assert_eq!(
            by_name.map_err(|r| r.message).err().as_deref(),
            Some("more than one seat has this name; give its id or email")
        );
        let by_id = store.update_seat("acme", &second.seat.id.to_string(), Some("viewer"), None).expect("by id");
        assert_eq!(by_id.id, second.seat.id);
        // Neither seat has an email: an empty reference matches neither.
        assert_eq!(store.set_seat_active("acme", " ", false).map_err(|r| r.field).err(), Some("seat"));
    }
}
