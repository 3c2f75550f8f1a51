//! ttvchat: a full-screen terminal client for Twitch chat.
//!
//! The library holds every layer so integration tests and benchmarks use the same code as the
//! binary: the pure protocol core ([`twitch`]) and the command-line tools built on it ([`cli`]).

pub mod cli;
pub mod twitch;
