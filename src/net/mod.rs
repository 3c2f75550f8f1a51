//! I/O actors. Each is a handle the app owns plus a channel of typed events; dropping the handle
//! stops the work. Nothing here touches the app state.

pub mod auth;
pub mod backoff;
pub mod chat;
pub mod eventsub;
pub mod helix;
pub mod outbox;
pub mod ratelimit;
pub mod session;
pub mod store;
pub mod transport;
