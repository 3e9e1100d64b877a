//! [`Tenant`]: the extractor every handler starts with. It takes the principal the pipeline
//! authenticated ([`PRINCIPAL`]), keeps the tenant it acts for (a Next Cap organisation, a NexaDesk workspace, a
//! Desk Hive agent) and is the handler's only door to the store: [`Tenant::read`] and
//! [`Tenant::write`] hand out a view scoped to that tenant, so isolation is structural rather
//! than a filter each handler must remember.
//!
//! Each API says what its tenant is by implementing [`TenantKind`]: which grant it accepts, the
//! error it answers otherwise (in its own envelope), and which views of the store it gets.

use axum::{extract::FromRequestParts, http::request::Parts, response::IntoResponse};

use std::hash::Hash;

use axum::response::Response;

use crate::{
    auth::PRINCIPAL,
    encode::{self, Encoded},
    events::Event,
    keys::Grant,
    state::AppState,
    store::Store,
};

/// What one API's tenant is.
pub trait TenantKind: Send + Sync + 'static {
    /// The tenant's id.
    type Id: Clone + Hash + Eq + Send + Sync + 'static;
    /// A read-only view of the tenant's rows.
    type View<'a>;
    /// A writable view of the tenant's rows.
    type ViewMut<'a>;
    /// The API's error.
    type Error: IntoResponse;

    /// The tenant a grant acts for, if it is this API's kind of grant.
    fn id(grant: &Grant) -> Option<Self::Id>;
    /// The answer when it is not (the pipeline admits only the API's own keys, so this is
    /// defence in depth).
    fn refused() -> Self::Error;
    /// The tenant's rows.
    fn view<'a>(store: &'a Store, id: &'a Self::Id) -> Self::View<'a>;
    /// The tenant's rows, for writing.
    fn view_mut<'a>(store: &'a mut Store, id: &'a Self::Id) -> Self::ViewMut<'a>;
}

/// The tenant the request's key acts for, with the state its rows live in.
#[derive(Debug)]
pub struct Tenant<K: TenantKind> {
    state: AppState,
    id: K::Id,
}

impl<K: TenantKind> FromRequestParts<AppState> for Tenant<K> {
    type Rejection = K::Error;

    async fn from_request_parts(_: &mut Parts, state: &AppState) -> Result<Self, K::Error> {
        let id =
            PRINCIPAL.try_with(|p| p.as_ref().and_then(|p| K::id(&p.grant))).ok().flatten().ok_or_else(K::refused)?;
        Ok(Tenant { state: state.clone(), id })
    }
}

impl<K: TenantKind> Tenant<K> {
    /// The mock clock's current time (whole milliseconds): what every write stamps its rows with.
    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.state.clock().now()
    }

    /// Runs `f` on the tenant's rows under the lock. Never await inside.
    pub fn read<R>(&self, f: impl FnOnce(K::View<'_>) -> R) -> R {
        let inner = self.state.lock();
        f(K::view(inner.store(), &self.id))
    }

    /// A `200` JSON answer that is a function of the tenant's rows, `operation_id` and the
    /// request-`target` (path and query) alone, a list page say: `f` encodes it (with
    /// [`JsonBody::encode`]) under the lock on a miss, and the bytes are served again from the
    /// state's response cache until the store next changes ([`crate::responses`]). Errors are
    /// answered and not kept. Never use it for an answer that reads the clock, the request's
    /// headers or anything else outside the store.
    pub fn read_cached(
        &self,
        operation_id: &'static str,
        target: &str,
        f: impl FnOnce(K::View<'_>) -> Result<Encoded, K::Error>,
    ) -> Result<Response, K::Error> {
        let mut inner = self.state.lock();
        let (store, responses) = inner.store_and_responses();
        if let Some(body) = responses.get::<K, K::Id>(&self.id, operation_id, target) {
            return Ok(encode::json_response(body));
        }
        match f(K::view(store, &self.id))? {
            Ok(body) => {
                responses.insert::<K, K::Id>(&self.id, operation_id, target, &body);
                Ok(encode::json_response(body))
            }
            Err(e) => Ok(encode::encoding_failed(&e)),
        }
    }

    /// Runs `f` on the tenant's rows for writing, under the lock, then publishes the events it
    /// returned once the lock is released (webhook delivery never waits on the lock).
    pub fn write<R>(
        &self,
        f: impl FnOnce(&mut K::ViewMut<'_>) -> Result<(R, Vec<Event>), K::Error>,
    ) -> Result<R, K::Error> {
        let (value, events) = {
            let mut inner = self.state.lock();
            f(&mut K::view_mut(inner.store_mut(), &self.id))?
        };
        self.state.publish(events);
        Ok(value)
    }
}
