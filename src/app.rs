//! The event loop: a `select!` over terminal input (first, so typing stays responsive in a
//! flood), chat events, signals and one deadline timer. Each wake-up folds everything already
//! queued into the state through `state::update`, runs the effects, and draws once if anything
//! changed, at most ~60 frames per second. Nothing wakes it while nothing happens.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crossterm::event::{Event, EventStream, KeyEvent, KeyEventKind, KeyModifiers};
use futures_util::{FutureExt, Stream, StreamExt};
use ratatui::Terminal;
use ratatui::backend::Backend;
use tokio::sync::mpsc;
use tokio::time::{Instant, sleep_until};

use crate::net::chat::{ChatEvent, ChatHandle};
use crate::state::keymap::{Key, KeyCode, Mods};
use crate::state::message::Millis;
use crate::state::{AppState, Connection, Effect, Msg, update};
use crate::terminal::Tui;
use crate::ui;

/// The shortest time between two frames.
const FRAME: Duration = Duration::from_millis(16);
/// Chat events folded in before the screen gets a chance to draw.
const BATCH: usize = 4096;

pub fn now_ms() -> Millis {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as Millis)
}

/// A terminal key as the state knows keys.
pub fn key_from(event: KeyEvent) -> Option<Key> {
    use crossterm::event::KeyCode as K;
    let code = match event.code {
        K::Char(c) => KeyCode::Char(c),
        K::Enter => KeyCode::Enter,
        K::Esc => KeyCode::Esc,
        K::Backspace => KeyCode::Backspace,
        K::Delete => KeyCode::Delete,
        K::Left => KeyCode::Left,
        K::Right => KeyCode::Right,
        K::Up => KeyCode::Up,
        K::Down => KeyCode::Down,
        K::Home => KeyCode::Home,
        K::End => KeyCode::End,
        K::PageUp => KeyCode::PageUp,
        K::PageDown => KeyCode::PageDown,
        K::Tab => KeyCode::Tab,
        K::BackTab => KeyCode::BackTab,
        K::F(n) => KeyCode::F(n),
        _ => return None,
    };
    let m = event.modifiers;
    let mut mods = Mods {
        ctrl: m.contains(KeyModifiers::CONTROL),
        alt: m.contains(KeyModifiers::ALT),
        shift: m.contains(KeyModifiers::SHIFT),
    };
    let code = match code {
        // A shifted letter arrives as the capital; the capital is what counts.
        KeyCode::Char(c) if !mods.ctrl && !mods.alt => {
            mods.shift = false;
            KeyCode::Char(c)
        }
        KeyCode::Char(c) => KeyCode::Char(c.to_ascii_lowercase()),
        other => other,
    };
    Some(Key { code, mods })
}

/// A terminal event as a state message.
fn msg_from(event: Event) -> Option<Msg> {
    match event {
        Event::Key(key) if key.kind != KeyEventKind::Release => key_from(key).map(Msg::Key),
        Event::Paste(text) => Some(Msg::Paste(text)),
        Event::Resize(width, height) => Some(Msg::Resize { width, height }),
        _ => None,
    }
}

/// When the screen next needs a redraw with nothing else happening: a reconnect countdown
/// ticks each second; otherwise never.
fn next_tick(state: &AppState) -> Option<Instant> {
    match state.connection {
        Connection::Reconnecting { .. } => {
            let into_second = state.now.rem_euclid(1000) as u64;
            Some(Instant::now() + Duration::from_millis(1000 - into_second))
        }
        _ => None,
    }
}

/// Runs effects; `false` means quit.
fn run_effects(chat: &ChatHandle, effects: Vec<Effect>) -> bool {
    for effect in effects {
        match effect {
            Effect::Send { id, message } => chat.send_with_id(id, message),
            Effect::Join(channel) => chat.join(channel),
            Effect::Part(channel) => chat.part(channel),
            Effect::Quit => return false,
        }
    }
    true
}

/// Folds one message in (with the current time first); `false` means quit.
fn apply(state: &mut AppState, chat: &ChatHandle, msg: Msg) -> bool {
    let _ = update(state, Msg::Tick(now_ms()));
    let effects = update(state, msg);
    run_effects(chat, effects)
}

/// Runs on the real terminal until the user quits, the input ends, or SIGTERM/SIGHUP.
pub async fn run_terminal(
    terminal: &mut Tui,
    state: AppState,
    chat: ChatHandle,
    events: mpsc::Receiver<ChatEvent>,
) -> std::io::Result<()> {
    run(terminal, EventStream::new(), state, chat, events).await
}

/// The loop over any backend and any source of terminal events (tests feed both).
pub async fn run<B, I>(
    terminal: &mut Terminal<B>,
    mut input: I,
    mut state: AppState,
    chat: ChatHandle,
    mut events: mpsc::Receiver<ChatEvent>,
) -> std::io::Result<()>
where
    B: Backend,
    B::Error: std::error::Error + Send + Sync + 'static,
    I: Stream<Item = std::io::Result<Event>> + Unpin,
{
    let mut signals = Signals::new()?;
    let size = terminal.size().map_err(std::io::Error::other)?;
    let _ = update(
        &mut state,
        Msg::Resize {
            width: size.width,
            height: size.height,
        },
    );
    let mut dirty = true;
    let mut last_draw: Option<Instant> = None;
    loop {
        let now = Instant::now();
        if dirty && last_draw.is_none_or(|t| now >= t + FRAME) {
            terminal
                .draw(|frame| ui::render(&state, frame))
                .map_err(std::io::Error::other)?;
            dirty = false;
            last_draw = Some(now);
        }
        let deadline = if dirty {
            last_draw.map(|t| t + FRAME)
        } else {
            next_tick(&state)
        };
        tokio::select! {
            biased;
            event = input.next() => {
                let Some(event) = event else { return Ok(()) };
                let mut keep = true;
                for event in std::iter::once(event).chain(std::iter::from_fn(|| input.next().now_or_never().flatten())) {
                    if let Some(msg) = msg_from(event?) {
                        keep &= apply(&mut state, &chat, msg);
                    }
                }
                if !keep {
                    return Ok(());
                }
                dirty = true;
            }
            event = events.recv() => {
                let Some(event) = event else { return Ok(()) };
                let mut keep = apply(&mut state, &chat, Msg::Chat(event));
                for _ in 0..BATCH {
                    match events.try_recv() {
                        Ok(event) => keep &= run_effects(&chat, update(&mut state, Msg::Chat(event))),
                        Err(_) => break,
                    }
                }
                if !keep {
                    return Ok(());
                }
                dirty = true;
            }
            () = signals.next() => return Ok(()),
            () = async { sleep_until(deadline.expect("checked")).await }, if deadline.is_some() => {
                let _ = update(&mut state, Msg::Tick(now_ms()));
                dirty = true;
            }
        }
    }
}

/// SIGTERM and SIGHUP end the app like a quit, so the terminal is restored.
struct Signals {
    #[cfg(unix)]
    term: tokio::signal::unix::Signal,
    #[cfg(unix)]
    hup: tokio::signal::unix::Signal,
}

impl Signals {
    fn new() -> std::io::Result<Signals> {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            Ok(Signals {
                term: signal(SignalKind::terminate())?,
                hup: signal(SignalKind::hangup())?,
            })
        }
        #[cfg(not(unix))]
        Ok(Signals {})
    }

    async fn next(&mut self) {
        #[cfg(unix)]
        tokio::select! {
            _ = self.term.recv() => {}
            _ = self.hup.recv() => {}
        }
        #[cfg(not(unix))]
        std::future::pending::<()>().await
    }
}
