//! The real binary on a real pseudo-terminal, in a channel where nothing happens: each key
//! typed reaches the screen at once (nothing else wakes the app there), a resize is redrawn, and
//! the app ends when its terminal goes away (closed window, dropped SSH) or on SIGTERM, even in
//! a flood of typing, instead of spinning on.

#![cfg(unix)]

use crate::common;

use std::fs::File;
use std::io::{Read, Write};
use std::os::fd::{AsFd, OwnedFd};
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::start_sim;
use rustix::event::{PollFd, PollFlags, Timespec, poll};
use rustix::pty::{OpenptFlags, grantpt, openpt, ptsname, unlockpt};
use rustix::termios::{Winsize, tcsetwinsize};
use tokio::time::{Instant, sleep};
use ttvchat::sim::SimHandle;

/// Generous: each wait ends as soon as its condition holds; a frozen or spinning app never
/// gets there at all.
const WAIT: Duration = Duration::from_secs(10);

/// How the app gets its terminal.
#[derive(Clone, Copy, PartialEq)]
enum Session {
    /// As from a terminal window or sshd: a new session with the terminal as its controlling
    /// terminal, so the kernel sends SIGHUP and SIGWINCH.
    Leader,
    /// Only its standard streams on the terminal: no signal says the terminal went away.
    StreamsOnly,
}

struct App {
    master: Option<Arc<File>>,
    screen: Arc<Mutex<vt100::Parser>>,
    child: Child,
    _home: tempfile::TempDir,
}

fn winsize(cols: u16, rows: u16) -> Winsize {
    Winsize {
        ws_row: rows,
        ws_col: cols,
        ws_xpixel: 0,
        ws_ypixel: 0,
    }
}

/// `ttvchat --irc-url SIM -c alpha` (anonymous: no timer of its own) on a fresh 80x24 terminal,
/// with its own home, and `env` on top.
fn start(sim: &SimHandle, session: Session, env: &[(&str, &str)]) -> App {
    let master = openpt(OpenptFlags::RDWR | OpenptFlags::NOCTTY | OpenptFlags::CLOEXEC).unwrap();
    grantpt(&master).unwrap();
    unlockpt(&master).unwrap();
    let name = ptsname(&master, Vec::new()).unwrap();
    tcsetwinsize(&master, winsize(80, 24)).unwrap();
    let slave: OwnedFd = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(name.to_str().unwrap())
        .unwrap()
        .into();
    let home = tempfile::tempdir().unwrap();
    let config = home.path().join("config.toml");
    std::fs::write(&config, "").unwrap();
    let stderr = File::create(home.path().join("stderr")).unwrap();
    let mut command = Command::new(env!("CARGO_BIN_EXE_ttvchat"));
    command
        .args(["--irc-url", &sim.irc_url(), "-c", "alpha", "--config"])
        .arg(&config)
        .env("HOME", home.path())
        .env("XDG_STATE_HOME", home.path().join("state"))
        .env("XDG_CONFIG_HOME", home.path().join("config"))
        .env("TTVCHAT_DATA_DIR", home.path().join("data"))
        .env("TERM", "xterm-256color")
        .env("LANG", "C.UTF-8")
        .envs(env.iter().copied())
        .stdin(Stdio::from(slave.try_clone().unwrap()))
        .stdout(Stdio::from(slave.try_clone().unwrap()))
        .stderr(Stdio::from(stderr));
    if session == Session::Leader {
        // SAFETY: only async-signal-safe system calls between fork and exec.
        unsafe {
            command.pre_exec(|| {
                rustix::process::setsid()?;
                rustix::process::ioctl_tiocsctty(std::io::stdin().as_fd())?;
                Ok(())
            });
        }
    }
    let child = command.spawn().unwrap();
    drop(slave);
    let master = Arc::new(File::from(master));
    let screen = Arc::new(Mutex::new(vt100::Parser::new(24, 80, 0)));
    let (reader, parser) = (master.clone(), screen.clone());
    // Reads what the app draws; it lets go of the terminal soon after the test does, so that
    // closing it really closes it.
    std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        let tick = Timespec::try_from(Duration::from_millis(20)).unwrap();
        while Arc::strong_count(&reader) > 1 {
            let mut fds = [PollFd::new(&*reader, PollFlags::IN)];
            if poll(&mut fds, Some(&tick)).unwrap_or(0) == 0 {
                continue;
            }
            match (&*reader).read(&mut buf) {
                Ok(n @ 1..) => parser.lock().unwrap().process(&buf[..n]),
                _ => return,
            }
        }
    });
    App {
        master: Some(master),
        screen,
        child,
        _home: home,
    }
}

impl App {
    fn text(&self) -> String {
        self.screen.lock().unwrap().screen().contents()
    }

    fn row(&self, row: u16) -> String {
        let parser = self.screen.lock().unwrap();
        let cols = parser.screen().size().1;
        parser.screen().contents_between(row, 0, row, cols)
    }

    fn type_keys(&mut self, keys: &str) {
        let master = self.master.as_deref().expect("the terminal is open");
        (&*master).write_all(keys.as_bytes()).unwrap();
    }

    async fn wait_for(&self, what: &str, done: impl Fn(&App) -> bool) {
        let deadline = Instant::now() + WAIT;
        while !done(self) {
            assert!(
                Instant::now() < deadline,
                "never saw {what}; the screen:\n{}",
                self.text()
            );
            sleep(Duration::from_millis(20)).await;
        }
    }

    /// The input line (second row from the bottom) starts with `typed`.
    async fn wait_input(&self, typed: &str) {
        let rows = self.screen.lock().unwrap().screen().size().0;
        let want = format!("› {typed}");
        self.wait_for(&format!("{want:?} in the input line"), |app| {
            app.row(rows - 2).starts_with(&want)
        })
        .await;
    }

    async fn wait_exit(&mut self) -> ExitStatus {
        let deadline = Instant::now() + WAIT;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            if Instant::now() >= deadline {
                let _ = self.child.kill();
                let stderr = std::fs::read_to_string(self._home.path().join("stderr"));
                panic!("the app is still running; its stderr: {stderr:?}");
            }
            sleep(Duration::from_millis(20)).await;
        }
    }

    fn signal(&self, signal: rustix::process::Signal) {
        let pid = rustix::process::Pid::from_child(&self.child);
        rustix::process::kill_process(pid, signal).unwrap();
    }
}

impl Drop for App {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn joined(session: Session) -> (SimHandle, App) {
    let sim = start_sim().await;
    let app = start(&sim, session, &[]);
    app.wait_for("Joined #alpha.", |app| {
        app.text().contains("Joined #alpha.")
    })
    .await;
    (sim, app)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_key_shows_at_once_in_a_silent_channel_and_a_resize_is_redrawn() {
    let (_sim, mut app) = joined(Session::Leader).await;
    for typed in ["h", "hi", "hix"] {
        app.type_keys(&typed[typed.len() - 1..]);
        app.wait_input(typed).await;
    }
    tcsetwinsize(app.master.as_deref().unwrap(), winsize(60, 15)).unwrap();
    app.screen.lock().unwrap().screen_mut().set_size(15, 60);
    // The input line's counter sits at the right edge of the new width.
    app.wait_for("the input line redrawn 60 wide", |app| {
        let row = app.row(13);
        row.starts_with("› hix") && row.trim_end().ends_with("497") && row.chars().count() <= 60
    })
    .await;
    app.type_keys("\x03");
    assert!(app.wait_exit().await.success());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn closing_the_terminal_right_after_a_key_ends_the_app() {
    for session in [Session::Leader, Session::StreamsOnly] {
        let (_sim, mut app) = joined(session).await;
        app.type_keys("hello");
        app.wait_input("hello").await;
        app.type_keys("\x15");
        drop(app.master.take());
        app.wait_exit().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_ends_the_app_and_restores_the_terminal_even_while_keys_pour_in() {
    let (_sim, mut app) = joined(Session::Leader).await;
    assert!(app.screen.lock().unwrap().screen().alternate_screen());
    app.type_keys(&"flood ".repeat(2000));
    app.signal(rustix::process::Signal::TERM);
    assert!(app.wait_exit().await.success());
    app.wait_for("the normal screen back", |app| {
        !app.screen.lock().unwrap().screen().alternate_screen()
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unwritable_state_directory_leaves_logging_off_and_says_so() {
    let sim = start_sim().await;
    let home = tempfile::tempdir().unwrap();
    // A file where the state directory would go: nothing can be created under it.
    let blocker = home.path().join("blocker");
    std::fs::write(&blocker, "").unwrap();
    let state = blocker.join("state");
    let state = state.to_str().unwrap();
    let mut app = start(&sim, Session::Leader, &[("XDG_STATE_HOME", state)]);
    app.wait_for("the notice", |app| app.text().contains("Logging is off"))
        .await;
    app.wait_for("chat", |app| app.text().contains("Joined #alpha."))
        .await;
    app.type_keys("\x03");
    assert!(app.wait_exit().await.success());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_monochrome_ascii_terminal_gets_no_colors_and_no_unicode_symbols() {
    let sim = start_sim().await;
    let mut app = start(
        &sim,
        Session::Leader,
        &[("TERM", "xterm-mono"), ("LANG", "C")],
    );
    app.wait_for("chat", |app| app.text().contains("Joined #alpha."))
        .await;
    app.wait_for("the status line", |app| app.text().contains("* connected"))
        .await;
    let text = app.text();
    assert!(text.is_ascii(), "{text}");
    {
        let parser = app.screen.lock().unwrap();
        let screen = parser.screen();
        let (rows, cols) = screen.size();
        for row in 0..rows {
            for col in 0..cols {
                let cell = screen.cell(row, col).unwrap();
                assert_eq!(cell.fgcolor(), vt100::Color::Default, "({row}, {col})");
                assert_eq!(cell.bgcolor(), vt100::Color::Default, "({row}, {col})");
            }
        }
    }
    app.type_keys("\x03");
    assert!(app.wait_exit().await.success());
}
