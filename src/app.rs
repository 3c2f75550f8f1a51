//! The event loop: a `select!` over terminal input (first, so typing stays responsive in a
//! flood), chat events, signals and one deadline timer. Each wake-up folds everything already
//! queued into the state through `state::update`, runs the effects, and draws once if anything
//! changed, at most ~60 frames per second. Nothing wakes it while nothing happens.

use std::cell::RefCell;
use std::io::Write;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use std::task::Poll;

use crossterm::event::{Event, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEventKind};
use futures_util::{Stream, StreamExt};
use ratatui::Terminal;
use ratatui::backend::Backend;
use tokio::sync::mpsc;
use tokio::time::{Instant, sleep_until};

use crate::net::auth::OAuth;
use crate::net::chat::{ChatEvent, ChatHandle, Credentials};
use crate::net::eventsub::EventSubHandle;
use crate::net::eventsub::session::EventSubConfig;
use crate::net::helix::calls::{self, Call, Card, PendingUnban, Reply};
use crate::net::helix::{Broadcast, Helix, HelixError};
use crate::state::channel::{FOLLOWS_WINDOW, StreamInfo};
use crate::state::keymap::{Key, KeyCode, Mods};
use crate::state::message::Millis;
use crate::state::text::sanitize;
use crate::state::{AppState, Connection, Effect, Msg, update};
use crate::terminal::Tui;
use crate::twitch::Login;
use crate::twitch::helix::Failure;
use crate::twitch::message::ServerMessage;
use crate::ui;

/// The shortest time between two frames while only chat changes the screen (~60 per second).
const FRAME: Duration = Duration::from_millis(16);
/// The shortest time between two frames when the user pressed a key: typing must feel
/// instant even in a flood, and people type far slower than this.
const INPUT_FRAME: Duration = Duration::from_millis(4);
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

/// A click (on press) or a turn of the wheel; other mouse events mean nothing here.
fn pointer(event: &Event) -> Option<ui::Pointer> {
    let Event::Mouse(mouse) = event else {
        return None;
    };
    let (column, row) = (mouse.column, mouse.row);
    match mouse.kind {
        MouseEventKind::Down(MouseButton::Left) => Some(ui::Pointer::Click { column, row }),
        MouseEventKind::ScrollUp => Some(ui::Pointer::Wheel {
            column,
            row,
            up: true,
        }),
        MouseEventKind::ScrollDown => Some(ui::Pointer::Wheel {
            column,
            row,
            up: false,
        }),
        _ => None,
    }
}

/// Whether a chat event can change the screen (keepalive traffic cannot).
fn shows(event: &ChatEvent) -> bool {
    !matches!(
        event,
        ChatEvent::Message(m) if matches!(**m, ServerMessage::Ping { .. } | ServerMessage::Pong { .. })
    )
}

/// When the state next needs the time with nothing else happening: each second of a reconnect
/// countdown, when stream information is due, and when a new follower leaves the room bar's
/// count; otherwise never.
fn next_tick(state: &AppState) -> Option<Instant> {
    // Countdowns on screen (the next reconnect, a raid leaving) tick every second.
    let raiding = state
        .channels
        .iter()
        .any(|c| c.raid.as_ref().is_some_and(|(_, at)| *at > state.now));
    let countdown = (matches!(state.connection, Connection::Reconnecting { .. }) || raiding)
        .then(|| 1000 - state.now.rem_euclid(1000));
    let streams = state.streams_due.map(|due| (due - state.now).max(0));
    // The room bar's count of new followers drops each one a minute after it came.
    let follows = state.focused().and_then(|c| {
        let ends = c.follows.iter().map(|at| at + FOLLOWS_WINDOW);
        ends.map(|end| end - state.now).find(|left| *left > 0)
    });
    let wait = countdown.into_iter().chain(streams).chain(follows).min()?;
    Some(Instant::now() + Duration::from_millis(wait as u64))
}

/// What the loop drives: the chat actor, its events, and Helix (with the login service that
/// checks its token) when there is a token for it.
pub struct Services {
    pub chat: ChatHandle,
    pub events: mpsc::Receiver<ChatEvent>,
    pub helix: Option<(Helix, OAuth)>,
    /// EventSub's WebSocket for the live feeds, started once the login is known.
    pub eventsub_url: Option<String>,
    /// Where requests to the terminal beside the frames go (the clipboard): the terminal.
    pub terminal: Box<dyn Write + Send>,
}

/// The handles effects act on, and where Helix answers come back.
struct Runner {
    chat: ChatHandle,
    helix: Option<(Helix, OAuth)>,
    replies: mpsc::Sender<Msg>,
    terminal: RefCell<Box<dyn Write + Send>>,
    eventsub_url: Option<String>,
    /// The live feeds, once started.
    feeds: RefCell<Option<EventSubHandle>>,
}

/// A stream's state for the room bar, with everything from the network made safe to show.
fn stream_info(broadcast: &Broadcast) -> StreamInfo {
    let clean = |text: &str| sanitize(text).into_owned();
    match (&broadcast.live, &broadcast.channel) {
        (Some(s), _) => StreamInfo {
            live: true,
            viewers: s.viewers,
            started_at: s.started_at,
            title: clean(&s.title),
            category: clean(&s.category),
        },
        (None, channel) => StreamInfo {
            title: channel
                .as_ref()
                .map(|c| clean(&c.title))
                .unwrap_or_default(),
            category: channel
                .as_ref()
                .map(|c| clean(&c.category))
                .unwrap_or_default(),
            ..StreamInfo::default()
        },
    }
}

/// A Helix reply with the names in it made safe to show.
fn sanitized(reply: Reply) -> Reply {
    let clean = |text: &str| sanitize(text).into_owned();
    match reply {
        Reply::Names { names, total } => Reply::Names {
            names: names.iter().map(|n| clean(n)).collect(),
            total,
        },
        Reply::Card(card) => Reply::Card(Card {
            display: clean(&card.display),
            id: clean(&card.id),
            ..card
        }),
        Reply::Unbans(pending) => Reply::Unbans(
            pending
                .into_iter()
                .map(|p| PendingUnban {
                    id: clean(&p.id),
                    display: clean(&p.display),
                    text: clean(&p.text),
                    ..p
                })
                .collect(),
        ),
        Reply::Done => Reply::Done,
    }
}

impl Runner {
    /// Runs effects; `false` means quit.
    fn run(&self, effects: Vec<Effect>) -> bool {
        for effect in effects {
            match effect {
                Effect::Send { id, message } => self.chat.send_with_id(id, message),
                Effect::Join(channel) => self.chat.join(channel),
                Effect::Part(channel) => self.chat.part(channel),
                Effect::FetchStreams(channels) => self.fetch_streams(channels),
                Effect::Helix { channel, call } => self.call(channel, call),
                Effect::Validate => self.validate(),
                Effect::SignOut => {
                    self.feeds.borrow_mut().take();
                    self.chat.relogin(Credentials::Anonymous);
                }
                Effect::StartFeeds { user_id, scopes } => self.start_feeds(user_id, scopes),
                Effect::Watch {
                    channel,
                    broadcaster_id,
                    moderator,
                } => {
                    if let Some(feeds) = &*self.feeds.borrow() {
                        feeds.watch(channel, broadcaster_id, moderator);
                    }
                }
                Effect::Unwatch(channel) => {
                    if let Some(feeds) = &*self.feeds.borrow() {
                        feeds.unwatch(channel);
                    }
                }
                Effect::Cancel(id) => self.chat.cancel(id),
                Effect::Clipboard(text) => {
                    let mut out = self.terminal.borrow_mut();
                    let written = out
                        .write_all(crate::terminal::osc52(&text).as_bytes())
                        .and_then(|()| out.flush());
                    if let Err(e) = written {
                        tracing::warn!(target: "ttvchat::terminal", "clipboard: {e}");
                    }
                }
                Effect::Quit => return false,
            }
        }
        true
    }

    /// Starts the live feeds; their news comes back as [`Msg::Feed`].
    fn start_feeds(&self, user_id: String, scopes: Vec<String>) {
        let (Some((helix, _)), Some(url)) = (self.helix.clone(), self.eventsub_url.clone()) else {
            return;
        };
        let (handle, mut news) =
            EventSubHandle::spawn(EventSubConfig::new(url, user_id, scopes), helix);
        *self.feeds.borrow_mut() = Some(handle);
        let replies = self.replies.clone();
        tokio::spawn(async move {
            while let Some(event) = news.recv().await {
                if replies.send(Msg::Feed(event)).await.is_err() {
                    break;
                }
            }
        });
    }

    /// Asks Helix in the background; each channel's answer comes back as a message.
    fn fetch_streams(&self, channels: Vec<Login>) {
        let Some((helix, _)) = self.helix.clone() else {
            return;
        };
        let replies = self.replies.clone();
        tokio::spawn(async move {
            match helix.broadcasts(&channels).await {
                Ok(broadcasts) => {
                    for broadcast in &broadcasts {
                        let msg = Msg::Stream {
                            channel: broadcast.login.clone(),
                            info: Some(stream_info(broadcast)),
                        };
                        let _ = replies.send(msg).await;
                    }
                }
                Err(HelixError::Unauthorized(reason)) => {
                    let _ = replies.send(Msg::SignedOut { reason }).await;
                }
                Err(e) => tracing::warn!(target: "ttvchat::helix", "stream information: {e}"),
            }
        });
    }

    /// Runs a command's Helix call; the outcome comes back as [`Msg::Helix`].
    fn call(&self, channel: Login, call: Call) {
        let Some((helix, _)) = self.helix.clone() else {
            return;
        };
        let replies = self.replies.clone();
        tokio::spawn(async move {
            let result = calls::run(&helix, &channel, &call).await;
            if let Err(HelixError::Unauthorized(reason)) = &result {
                let reason = sanitize(reason).into_owned();
                let _ = replies.send(Msg::SignedOut { reason }).await;
            }
            let result = result
                .map(sanitized)
                .map_err(|e| Failure::from(e).map_text(|t| sanitize(t).into_owned()));
            let _ = replies
                .send(Msg::Helix {
                    channel,
                    call,
                    result,
                })
                .await;
        });
    }

    /// Checks the token with Twitch (renewing it if need be); a login that is over signs out.
    fn validate(&self) {
        let Some((helix, oauth)) = self.helix.clone() else {
            return;
        };
        let replies = self.replies.clone();
        tokio::spawn(async move {
            let msg = match helix.validate(&oauth).await {
                Ok(validation) => Msg::Validated {
                    user_id: validation.user_id,
                    scopes: validation.scopes,
                },
                Err(HelixError::Unauthorized(reason)) => Msg::SignedOut {
                    reason: sanitize(&reason).into_owned(),
                },
                Err(e) => {
                    tracing::warn!(target: "ttvchat::auth", "could not check the login: {e}");
                    return;
                }
            };
            let _ = replies.send(msg).await;
        });
    }

    /// Folds one message in (with the current time first); `false` means quit.
    fn apply(&self, state: &mut AppState, msg: Msg) -> bool {
        let tick = update(state, Msg::Tick(now_ms()));
        let effects = update(state, msg);
        self.run(tick) & self.run(effects)
    }
}

/// Runs on the real terminal until the user quits, the terminal goes away, or SIGTERM/SIGHUP.
pub async fn run_terminal(
    terminal: &mut Tui,
    state: AppState,
    services: Services,
) -> std::io::Result<()> {
    run(
        terminal,
        crate::terminal::input::terminal()?,
        state,
        services,
    )
    .await
}

/// The next item `stream` already has, without waiting for one. It polls with the task's own
/// waker: a stream polled with any other one may never wake this task again.
async fn ready<S: Stream + Unpin>(stream: &mut S) -> Option<S::Item> {
    std::future::poll_fn(|cx| match stream.poll_next_unpin(cx) {
        Poll::Ready(item) => Poll::Ready(item),
        Poll::Pending => Poll::Ready(None),
    })
    .await
}

/// The loop over any backend and any source of terminal events (tests feed both).
pub async fn run<B, I>(
    terminal: &mut Terminal<B>,
    mut input: I,
    mut state: AppState,
    services: Services,
) -> std::io::Result<()>
where
    B: Backend,
    B::Error: std::error::Error + Send + Sync + 'static,
    I: Stream<Item = std::io::Result<Event>> + Unpin,
{
    let mut signals = Signals::new()?;
    let Services {
        chat,
        mut events,
        helix,
        eventsub_url,
        terminal: out,
    } = services;
    let (replies, mut helix_replies) = mpsc::channel(256);
    let runner = Runner {
        chat,
        helix,
        replies,
        terminal: RefCell::new(out),
        eventsub_url,
        feeds: RefCell::new(None),
    };
    let size = terminal.size().map_err(std::io::Error::other)?;
    let _ = update(
        &mut state,
        Msg::Resize {
            width: size.width,
            height: size.height,
        },
    );
    let mut view = ui::View::default();
    let mut dirty = true;
    // A key was pressed since the last frame: the next one comes sooner.
    let mut urgent = false;
    let mut last_draw: Option<Instant> = None;
    loop {
        let now = Instant::now();
        let gap = if urgent { INPUT_FRAME } else { FRAME };
        if dirty && last_draw.is_none_or(|t| now >= t + gap) {
            terminal
                .draw(|frame| view.render(&state, frame))
                .map_err(std::io::Error::other)?;
            dirty = false;
            urgent = false;
            last_draw = Some(now);
        }
        let deadline = if dirty {
            last_draw.map(|t| t + gap)
        } else {
            next_tick(&state)
        };
        tokio::select! {
            biased;
            // Signals first: no amount of ready input may keep SIGTERM or SIGHUP waiting.
            () = signals.next() => return Ok(()),
            event = input.next() => {
                let Some(event) = event else { return Ok(()) };
                let mut keep = true;
                let (mut next, mut handled) = (Some(event), 0);
                while let Some(event) = next {
                    let event = event?;
                    let msg = match pointer(&event) {
                        Some(pointer) => view.pointer(&state, pointer),
                        None => msg_from(event),
                    };
                    if let Some(msg) = msg {
                        keep &= runner.apply(&mut state, msg);
                    }
                    handled += 1;
                    next = if handled < BATCH { ready(&mut input).await } else { None };
                }
                if !keep {
                    return Ok(());
                }
                dirty = true;
                urgent = true;
            }
            event = events.recv() => {
                let Some(event) = event else { return Ok(()) };
                dirty |= shows(&event);
                let mut keep = runner.apply(&mut state, Msg::Chat(event));
                for _ in 0..BATCH {
                    match events.try_recv() {
                        Ok(event) => {
                            dirty |= shows(&event);
                            keep &= runner.run(update(&mut state, Msg::Chat(event)));
                        }
                        Err(_) => break,
                    }
                }
                if !keep {
                    return Ok(());
                }
            }
            Some(msg) = helix_replies.recv() => {
                if !runner.apply(&mut state, msg) {
                    return Ok(());
                }
                dirty = true;
            }
            () = async { sleep_until(deadline.expect("checked")).await }, if deadline.is_some() => {
                if !runner.run(update(&mut state, Msg::Tick(now_ms()))) {
                    return Ok(());
                }
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
