//! [`ChatError`]: what a live-chat call or the event stream can fail with.

use std::time::Duration;

/// A live-chat failure.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ChatError {
    /// The server refused the namespace connection (CONNECT_ERROR): `UNAUTHORIZED` for a
    /// missing, unknown, revoked or deactivated key, `FORBIDDEN` for a seat without
    /// `live-chat:view`/`conversations:view`, a plan without the CRM, or a browser `Origin`.
    /// Not retried: the stream ends with it.
    #[error("live chat refused the connection: {code}: {message}")]
    Refused {
        /// The error code (`UNAUTHORIZED`, `FORBIDDEN`, or as sent).
        code: String,
        /// The server's message.
        message: String,
    },
    /// The first connection could not be made (network, WebSocket or protocol failure).
    #[error("could not connect to live chat: {0}")]
    Connect(String),
    /// The server did not acknowledge within the configured ack timeout.
    #[error("no acknowledgement within {0:?}")]
    AckTimeout(Duration),
    /// The server acknowledged with `{"success": false, "error": {code, message}}`.
    #[error("{event} was refused: {code}: {message}")]
    Rejected {
        /// The client event (`crm:join`, ...).
        event: String,
        /// The REST API's error code (`FORBIDDEN`, `NOT_FOUND`, `VALIDATION_ERROR`, ...).
        code: String,
        /// The server's message.
        message: String,
    },
    /// The call was made while the connection was down (the client is reconnecting).
    #[error("live chat is not connected (reconnecting)")]
    NotConnected,
    /// The client has stopped (dropped, or ended by a refusal).
    #[error("the live-chat client has stopped")]
    Closed,
    /// An argument was rejected before anything was sent.
    #[error("invalid argument `{name}`: {message}")]
    InvalidArgument {
        /// The argument.
        name: String,
        /// What is wrong with it.
        message: String,
    },
    /// A CRM REST call the client makes for live chat failed: the join-time lookup of the
    /// conversation's newest message, or the catch-up after a reconnect (see the module's
    /// guarantees). `status` is the HTTP status when the API answered with an error.
    #[error("live chat's REST call failed: {message}")]
    Rest {
        /// The HTTP status, when the API answered.
        status: Option<u16>,
        /// What went wrong.
        message: String,
    },
    /// The server's acknowledgement did not have the contract's shape.
    #[error("unexpected acknowledgement: {0}")]
    UnexpectedAck(String),
}
