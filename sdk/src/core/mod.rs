//! What every API shares and no API-specific code lives in: transport, retries, rate limiting,
//! pagination, errors, decoding, secrets, and the reading of server scheduling hints.

pub(crate) mod client;
pub(crate) mod config;
pub(crate) mod decode;
pub(crate) mod error;
pub(crate) mod flavor;
pub(crate) mod hints;
pub(crate) mod macros;
pub(crate) mod pagination;
pub(crate) mod ratelimit;
pub(crate) mod secret;
pub(crate) mod transport;
pub(crate) mod validate;
