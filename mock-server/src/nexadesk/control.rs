//! NexaDesk's part of the control API: what happens outside the REST API in real life.
//!
//! - Visitor actions, `POST /__mock/nexadesk/actions/{name}` ([`actions_router`]): a visitor
//!   starts a conversation in the widget, writes in it, leaves it.
//! - Webhooks, which the vendor creates in its dashboard only: `POST /__mock/nexadesk/webhooks`
//!   `{"workspace", "url", "events"?}` -> 201 with `id` and `secret`, `GET` lists them,
//!   `DELETE /__mock/nexadesk/webhooks/{id}` removes one ([`webhooks_router`]).
//!
//! Every operation is also a [`NexaDeskControl`] method (`server.nexadesk()`), and both doors
//! run the same functions. `workspace` is a workspace id (`ws_...`) or name (`Acme`, `Globex`).
//! Errors are the control API's `{"error", "field"}`: 400 for bad input, 404 for an unknown
//! workspace, conversation or webhook.
//!
//! | action | input | answers |
//! |---|---|---|
//! | `start-conversation` | [`StartConversation`] | 201 conversation (`conversation.created`, `message.created`) |
//! | `send-message` | [`SendMessage`] | 201 message (`message.created`) |
//! | `close-conversation` | [`CloseConversation`] | 200 conversation (`conversation.closed`) |

use axum::{
    Router,
    extract::{Path, State},
    http::StatusCode,
    routing::delete,
};
use serde::{Deserialize, Serialize};
use serde_json::json;
use uuid::Uuid;

use crate::{
    action::route as action,
    encode::JsonBody,
    events::NexaDeskEventName,
    state::AppState,
    store::nexadesk::{self as rows, Conversation, Message, NdWebhook, Outcome, WorkspaceViewMut, WriteError},
};

/// Why a control operation was refused: 400 for bad input, 404 for an unknown workspace,
/// conversation or webhook (the shape every API's control actions share).
pub use crate::action::ActionError as ControlError;

impl From<WriteError> for ControlError {
    fn from(error: WriteError) -> ControlError {
        match error {
            WriteError::Invalid { field, message } => ControlError::new(400, &field, message),
            WriteError::NotFound(noun) => ControlError::new(404, "conversation_id", format!("{noun} not found")),
            WriteError::Conflict(message) => ControlError::new(409, "body", message),
        }
    }
}

/// `start-conversation` input.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct StartConversation {
    /// Workspace id or name.
    pub workspace: String,
    /// The visitor's name (required, at most 200 characters).
    pub visitor_name: String,
    /// The visitor's email.
    #[serde(default)]
    pub visitor_email: Option<String>,
    /// A first message (at most 2000 characters).
    #[serde(default)]
    pub message: Option<String>,
}

/// `send-message` input: the visitor writes in an open conversation.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SendMessage {
    /// Workspace id or name.
    pub workspace: String,
    /// The conversation.
    pub conversation_id: Uuid,
    /// The text (at most 2000 characters).
    pub content: String,
}

/// `close-conversation` input: the visitor leaves (status `archived`).
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CloseConversation {
    /// Workspace id or name.
    pub workspace: String,
    /// The conversation.
    pub conversation_id: Uuid,
}

/// `POST /__mock/nexadesk/webhooks` input.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct NewWebhook {
    /// Workspace id or name.
    pub workspace: String,
    /// `http://` or `https://` URL deliveries are POSTed to.
    pub url: String,
    /// Event names (`lead.created`, ...); absent or empty means every event.
    #[serde(default)]
    pub events: Option<Vec<String>>,
}

/// The visitor actions' routes, mounted at `/__mock/nexadesk/actions`.
pub fn actions_router() -> Router<AppState> {
    Router::new()
        .route("/start-conversation", action(StatusCode::CREATED, start_conversation))
        .route("/send-message", action(StatusCode::CREATED, send_message))
        .route("/close-conversation", action(StatusCode::OK, close_conversation))
}

/// The webhook registration routes, with their full paths inside `/__mock`.
pub fn webhooks_router() -> Router<AppState> {
    Router::new()
        .route(
            "/nexadesk/webhooks",
            action(StatusCode::CREATED, register_webhook)
                .get(|State(state): State<AppState>| async move { JsonBody(list_webhooks(&state)) }),
        )
        .route(
            "/nexadesk/webhooks/{id}",
            delete(|State(state): State<AppState>, Path(id): Path<String>| async move {
                let id = Uuid::parse_str(&id).map_err(|_| ControlError::new(404, "id", "no such webhook"))?;
                delete_webhook(&state, id).map(|()| JsonBody(json!({ "deleted": true, "id": id })))
            }),
        )
}

/// Runs a write on the named workspace under the lock, then publishes its events.
fn in_workspace<T>(
    state: &AppState,
    workspace: &str,
    f: impl FnOnce(&mut WorkspaceViewMut<'_>) -> Outcome<T>,
) -> Result<T, ControlError> {
    let (value, events) = {
        let mut inner = state.lock();
        let store = inner.store_mut();
        let workspace_id = store
            .nexadesk()
            .resolve_workspace(workspace)
            .ok_or_else(|| ControlError::new(404, "workspace", format!("no workspace {workspace:?}")))?;
        f(&mut store.nexadesk_mut().workspace_view_mut(&workspace_id))?
    };
    state.publish(events);
    Ok(value)
}

fn start_conversation(state: &AppState, input: StartConversation) -> Result<Conversation, ControlError> {
    let start = rows::StartConversation {
        visitor_name: input.visitor_name,
        visitor_email: input.visitor_email,
        message: input.message,
    };
    in_workspace(state, &input.workspace, |v| v.start_conversation(start, state.clock().now()))
}

fn send_message(state: &AppState, input: SendMessage) -> Result<Message, ControlError> {
    in_workspace(state, &input.workspace, |v| {
        v.visitor_message(input.conversation_id, input.content, state.clock().now())
    })
}

fn close_conversation(state: &AppState, input: CloseConversation) -> Result<Conversation, ControlError> {
    in_workspace(state, &input.workspace, |v| v.close_conversation(input.conversation_id, state.clock().now()))
}

fn register_webhook(state: &AppState, input: NewWebhook) -> Result<NdWebhook, ControlError> {
    let url = url::Url::parse(&input.url).map_err(|e| ControlError::new(400, "url", format!("is not a URL ({e})")))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(ControlError::new(400, "url", "must be an http or https URL"));
    }
    let events = input.events.unwrap_or_default();
    if let Some(unknown) = events.iter().find(|e| NexaDeskEventName::parse(e).is_none()) {
        return Err(ControlError::new(400, "events", format!("unknown event {unknown:?}")));
    }
    let mut inner = state.lock();
    let nexadesk = inner.store_mut().nexadesk_mut();
    let workspace_id = nexadesk
        .resolve_workspace(&input.workspace)
        .ok_or_else(|| ControlError::new(404, "workspace", format!("no workspace {:?}", input.workspace)))?;
    Ok(nexadesk.register_webhook(workspace_id, input.url, events, state.clock().now()))
}

fn list_webhooks(state: &AppState) -> Vec<NdWebhook> {
    state.lock().store().nexadesk().webhooks().to_vec()
}

fn delete_webhook(state: &AppState, id: Uuid) -> Result<(), ControlError> {
    let mut inner = state.lock();
    if inner.store_mut().nexadesk_mut().delete_webhook(id) {
        Ok(())
    } else {
        Err(ControlError::new(404, "id", "no such webhook"))
    }
}

/// The NexaDesk control operations as methods, from [`crate::MockServer::nexadesk`].
///
/// ```no_run
/// # async fn demo() {
/// use deskapi_mock::actions::nexadesk::{NewWebhook, StartConversation};
/// let server = deskapi_mock::MockServer::start().await;
/// let hook = server
///     .nexadesk()
///     .register_webhook(NewWebhook { workspace: "Acme".into(), url: "http://127.0.0.1:9/hook".into(), events: None })
///     .expect("Acme exists");
/// let conversation = server
///     .nexadesk()
///     .start_conversation(StartConversation {
///         workspace: "Acme".into(),
///         visitor_name: "Ada".into(),
///         message: Some("Hello!".into()),
///         ..Default::default()
///     })
///     .expect("valid input");
/// println!("{} signed with {}", conversation.id, hook.secret);
/// # }
/// ```
#[derive(Clone, Copy, Debug)]
pub struct NexaDeskControl<'a> {
    state: &'a AppState,
}

impl<'a> NexaDeskControl<'a> {
    /// Control operations on `state`.
    pub fn new(state: &'a AppState) -> NexaDeskControl<'a> {
        NexaDeskControl { state }
    }

    /// A visitor starts a conversation (`POST /__mock/nexadesk/actions/start-conversation`).
    pub fn start_conversation(&self, input: StartConversation) -> Result<Conversation, ControlError> {
        start_conversation(self.state, input)
    }

    /// The visitor writes in a conversation (`.../send-message`).
    pub fn send_message(&self, input: SendMessage) -> Result<Message, ControlError> {
        send_message(self.state, input)
    }

    /// The visitor leaves: the conversation is archived (`.../close-conversation`).
    pub fn close_conversation(&self, input: CloseConversation) -> Result<Conversation, ControlError> {
        close_conversation(self.state, input)
    }

    /// Registers a webhook (`POST /__mock/nexadesk/webhooks`); the answer holds `id` and `secret`.
    pub fn register_webhook(&self, input: NewWebhook) -> Result<NdWebhook, ControlError> {
        register_webhook(self.state, input)
    }

    /// Every registered webhook (`GET /__mock/nexadesk/webhooks`).
    pub fn webhooks(&self) -> Vec<NdWebhook> {
        list_webhooks(self.state)
    }

    /// Removes a webhook (`DELETE /__mock/nexadesk/webhooks/{id}`); its retries stop.
    pub fn delete_webhook(&self, id: Uuid) -> Result<(), ControlError> {
        delete_webhook(self.state, id)
    }
}
