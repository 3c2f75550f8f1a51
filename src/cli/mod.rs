//! Command-line tools that run without the terminal UI. Each takes its streams as arguments, so
//! tests drive them exactly as `main` does.

pub mod login;
pub mod parse;
pub mod record;
pub mod run;
pub mod sim;
