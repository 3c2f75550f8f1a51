//! Tests over real sockets and processes: the simulator as Twitch (IRC over WebSocket, Helix,
//! OAuth), the chat actor, the Helix client and the login against it, the whole app end to end,
//! and the real binary in a pseudo-terminal. One binary, so the tree is linked once for all of
//! them.

mod common;

mod app_e2e;
mod auth;
mod chat_actor;
mod eventsub;
mod helix;
mod helix_calls;
mod raw;
mod real_terminal;
mod sim;
mod sim_eventsub;
mod sim_forms;
mod sim_http;
mod sim_watch;
