//! EventSub over WebSocket: the moderator's live feeds and whispers. The session ([`session`])
//! decides everything, sans-IO like the chat session; the driver runs it over sockets and Helix.

pub mod session;
mod socket;
