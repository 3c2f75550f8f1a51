//! Taking the terminal over and always giving it back: raw mode, the alternate screen,
//! bracketed paste and mouse reports on the way in; the way out runs on normal exit (the guard's drop), on panic
//! (a hook installed before the terminal is touched; it also ends the process) and when the app
//! stops on SIGTERM/SIGHUP or a hangup. Also what the terminal can show (colors, Unicode), from
//! the environment; its input is read in [`input`].

mod decode;
pub mod input;

use std::io::{self, Stdout};

use crossterm::event::{DisableBracketedPaste, EnableBracketedPaste};
use crossterm::execute;
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;

pub type Tui = Terminal<CrosstermBackend<Stdout>>;

/// Clipboard text past this many bytes is cut (terminals refuse long OSC 52 sequences).
const CLIPBOARD_MAX: usize = 65_536;

/// The escape sequence that asks the terminal to put `text` on the system clipboard (OSC 52).
/// It travels over SSH and through tmux (with `set-clipboard on`); the text is base64, so
/// nothing in it can act as a control sequence.
pub fn osc52(text: &str) -> String {
    use base64::Engine;
    let mut end = text.len().min(CLIPBOARD_MAX);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let encoded = base64::engine::general_purpose::STANDARD.encode(&text[..end]);
    format!("\x1b]52;c;{encoded}\x07")
}

/// What a terminal can show, from the environment `var` reads: no colors with `NO_COLOR`,
/// `TERM=dumb` or a monochrome terminal type (`xterm-mono`, `vt100`, ...); ASCII only when the
/// locale names a character set other than UTF-8 (`LANG=C`). An unset locale is taken as UTF-8,
/// as every terminal of today is.
pub fn look(var: impl Fn(&str) -> Option<String>) -> crate::state::Look {
    let set = |name: &str| var(name).filter(|v| !v.is_empty());
    let term = set("TERM").unwrap_or_default();
    let mono_term = term == "dumb"
        || term.ends_with("-mono")
        || term.ends_with("-m")
        || matches!(term.as_str(), "vt52" | "vt100" | "vt102" | "vt220");
    let locale = set("LC_ALL")
        .or_else(|| set("LC_CTYPE"))
        .or_else(|| set("LANG"));
    let utf8 = locale.is_none_or(|l| {
        let l = l.to_ascii_lowercase();
        l.contains("utf-8") || l.contains("utf8")
    });
    crate::state::Look {
        color: set("NO_COLOR").is_none() && !mono_term,
        unicode: utf8,
    }
}

/// Mouse reports on: clicks and the wheel (1000), in the SGR form (1006). Motion is not asked
/// for, so moving the mouse sends nothing.
const MOUSE_ON: &str = "\x1b[?1000h\x1b[?1006h";
const MOUSE_OFF: &str = "\x1b[?1006l\x1b[?1000l";

/// Puts the terminal back as it was. Safe to call more than once.
pub fn restore() {
    let _ = disable_raw_mode();
    let _ = execute!(
        io::stdout(),
        crossterm::style::Print(MOUSE_OFF),
        DisableBracketedPaste,
        LeaveAlternateScreen,
        crossterm::cursor::Show
    );
}

/// On a panic anywhere (the event loop or any background task): restores the terminal, logs the
/// panic, prints the usual message where it can be read, and ends the process with status 101, so
/// a half-dead app never keeps drawing over the shell.
pub fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        tracing::error!(%info, "panic");
        previous(info);
        std::process::exit(101);
    }));
}

/// The terminal, taken over; dropping it restores it.
pub struct Guard {
    pub terminal: Tui,
}

impl Guard {
    /// Takes the terminal over; with `mouse`, clicks and the wheel are reported to the app
    /// (the terminal's own selection then needs Shift held).
    pub fn enter(mouse: bool) -> io::Result<Guard> {
        install_panic_hook();
        enable_raw_mode()?;
        let mut stdout = io::stdout();
        let mouse = if mouse { MOUSE_ON } else { "" };
        let entered = execute!(
            stdout,
            EnterAlternateScreen,
            EnableBracketedPaste,
            crossterm::style::Print(mouse)
        );
        if let Err(e) = entered {
            restore();
            return Err(e);
        }
        let terminal = Terminal::new(CrosstermBackend::new(stdout)).inspect_err(|_| restore())?;
        Ok(Guard { terminal })
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        restore();
    }
}
