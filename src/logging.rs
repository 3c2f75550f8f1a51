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

/// Logs to `path` (created readable by the user only): for the TUI, which owns the terminal,
/// so nothing is ever printed over it.
pub fn to_file(path: &std::path::Path) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.create(true).append(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let file = options.open(path)?;
    let filter = EnvFilter::try_from_env(LOG_ENV).unwrap_or_else(|_| EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(false)
        .with_writer(std::sync::Mutex::new(file))
        .try_init();
    Ok(())
}

/// Where the TUI logs: the platform state directory (`~/.local/state/ttvchat/ttvchat.log`).
pub fn default_log_path() -> Option<std::path::PathBuf> {
    let dirs = directories::ProjectDirs::from("", "", "ttvchat")?;
    let dir = dirs.state_dir().unwrap_or(dirs.data_local_dir());
    Some(dir.join("ttvchat.log"))
}
