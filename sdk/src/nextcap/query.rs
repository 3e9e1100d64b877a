//! The filters of a Data API list that has none of its own (a conversation's messages, a
//! ticket's events, a visitor's sessions, departments, webhooks). The CRM API's lists of that
//! kind take no date filter, so they use [`crate::nextcap::crm::PageQuery`] instead.
//!
//! Generic over the item type so one type serves every such list; the item type is what the
//! paginator decodes, so it is carried as a marker only.

use std::fmt;
use std::marker::PhantomData;

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::core::error::Result;
use crate::core::pagination::ListParams;
use crate::nextcap::envelope::{ListWindow, NextCapList, NextCapPages};

/// Filters of a list that takes only the ones every Next Cap list shares (page size and
/// creation window): a conversation's messages, a ticket's events, a visitor's sessions,
/// departments and webhooks. `T` is the item type.
#[derive(Serialize)]
#[serde(bound = "")]
pub struct PlainQuery<T> {
    #[serde(flatten)]
    window: ListWindow,
    #[serde(skip)]
    item: PhantomData<fn() -> T>,
}

impl<T> Default for PlainQuery<T> {
    fn default() -> Self {
        Self { window: ListWindow::default(), item: PhantomData }
    }
}

impl<T> Clone for PlainQuery<T> {
    fn clone(&self) -> Self {
        Self { window: self.window.clone(), item: PhantomData }
    }
}

impl<T> fmt::Debug for PlainQuery<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PlainQuery").field("window", &self.window).finish()
    }
}

impl<T: DeserializeOwned + Send + 'static> ListParams for PlainQuery<T> {
    type Item = T;
    type Style = NextCapPages;
    fn validate(&self) -> Result<()> {
        self.window.validate()
    }
}

impl<T: DeserializeOwned + Send + 'static> NextCapList for PlainQuery<T> {
    fn window(&mut self) -> &mut ListWindow {
        &mut self.window
    }
}
