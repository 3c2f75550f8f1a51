//! Logging setup: `tracing` events filtered by `TTVCHAT_LOG` (an env-filter such as `debug` or
//! `ttvchat::irc=trace`), default `warn`.

use tracing_subscriber::EnvFilter;

/// The environment variable that sets what is logged.
pub const LOG_ENV: &str = "TTVCHAT_LOG";

/// Logs to standard error: for the command-line tools, which own the terminal's stdout.
pub fn to_stderr() {
    let filter = EnvFilter::try_from_env(LOG_ENV).unwrap_or_else(|_| EnvFilter::new("warn"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}
