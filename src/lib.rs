//! ttvchat: a full-screen terminal client for Twitch chat.
//!
//! The library holds every layer so integration tests and benchmarks use the same code as the
//! binary: the pure protocol core ([`twitch`]), the network actors ([`net`]), the local Twitch
//! simulator ([`sim`]) and the command-line tools built on them ([`cli`]).

pub mod app;
pub mod cli;
pub mod config;
pub mod logging;
pub mod net;
pub mod sim;
pub mod state;
pub mod terminal;
pub mod twitch;
pub mod ui;
