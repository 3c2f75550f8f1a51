//! Logging setup: `tracing` events filtered by `TTVCHAT_LOG` (an env-filter such as `debug` or
//! `ttvchat::irc=trace`), default `warn`. The TUI logs to a file readable only by the user, which
//! is rotated by size (one older file kept) so it never grows without end.

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use tracing_subscriber::EnvFilter;

/// The environment variable that sets what is logged.
pub const LOG_ENV: &str = "TTVCHAT_LOG";
/// The log file is rotated past this size: it becomes `ttvchat.log.1`, replacing the older one.
pub const ROTATE_BYTES: u64 = 10 * 1024 * 1024;

/// Logs to standard error: for the command-line tools, which own the terminal's stdout.
pub fn to_stderr() {
    let filter = EnvFilter::try_from_env(LOG_ENV).unwrap_or_else(|_| EnvFilter::new("warn"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}

/// Logs to `path` (created readable by the user only, rotated past [`ROTATE_BYTES`]): for the
/// TUI, which owns the terminal, so nothing is ever printed over it.
pub fn to_file(path: &Path) -> io::Result<()> {
    let file = Rotating::open(path.to_path_buf(), ROTATE_BYTES)?;
    let filter = EnvFilter::try_from_env(LOG_ENV).unwrap_or_else(|_| EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(false)
        .with_writer(std::sync::Mutex::new(file))
        .try_init();
    Ok(())
}

/// Where the TUI logs: the platform state directory (`~/.local/state/ttvchat/ttvchat.log`).
pub fn default_log_path() -> Option<PathBuf> {
    let dirs = directories::ProjectDirs::from("", "", "ttvchat")?;
    let dir = dirs.state_dir().unwrap_or(dirs.data_local_dir());
    Some(dir.join("ttvchat.log"))
}

/// A log file that moves itself aside to `<name>.1` once it has grown past `limit` bytes.
pub struct Rotating {
    path: PathBuf,
    file: File,
    size: u64,
    limit: u64,
}

fn open_private(path: &Path) -> io::Result<File> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let mut options = OpenOptions::new();
    options.create(true).append(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)
}

impl Rotating {
    pub fn open(path: PathBuf, limit: u64) -> io::Result<Rotating> {
        let file = open_private(&path)?;
        let size = file.metadata()?.len();
        Ok(Rotating {
            path,
            file,
            size,
            limit,
        })
    }

    fn rotate(&mut self) -> io::Result<()> {
        let mut old = self.path.clone().into_os_string();
        old.push(".1");
        std::fs::rename(&self.path, old)?;
        self.file = open_private(&self.path)?;
        self.size = 0;
        Ok(())
    }
}

impl Write for Rotating {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.size > 0 && self.size + buf.len() as u64 > self.limit {
            // Could it not be moved aside, logging goes on in the same file.
            let _ = self.rotate();
        }
        let written = self.file.write(buf)?;
        self.size += written as u64;
        Ok(written)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_log_moves_aside_past_its_limit_keeping_one_older_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state").join("ttvchat.log");
        let mut log = Rotating::open(path.clone(), 100).unwrap();
        // One write per event, as tracing writes them.
        for i in 0..25 {
            log.write_all(format!("line {i:02} of the log\n").as_bytes())
                .unwrap();
        }
        let current = std::fs::read_to_string(&path).unwrap();
        let older = std::fs::read_to_string(dir.path().join("state/ttvchat.log.1")).unwrap();
        assert!(current.len() <= 100 && older.len() <= 100);
        assert!(current.ends_with("line 24 of the log\n"), "{current}");
        // The older file ends just where the current one begins.
        let number = |line: &str| line[5..7].parse::<u32>().unwrap();
        let first_now = number(current.lines().next().unwrap());
        assert_eq!(number(older.lines().last().unwrap()), first_now - 1);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
        }
        // A log that exists already counts toward the limit when reopened.
        let mut again = Rotating::open(path.clone(), 100).unwrap();
        again
            .write_all(format!("{}\n", "x".repeat(90)).as_bytes())
            .unwrap();
        assert!(std::fs::read_to_string(&path).unwrap().starts_with("xxx"));
    }
}
