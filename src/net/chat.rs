//! The chat connection actor: one task that drives the sans-IO [`Session`] over real
//! WebSockets, and the [`ChatHandle`] the app drives it with.
//!
//! The session decides everything (login, keepalive, RECONNECT, backoff, rejoining, the JOIN
//! and message limits, the queue, more connections for many channels); this task only opens
//! sockets, writes what it says, reads frames, keeps the time, and passes events on. Each
//! socket's reading runs in its own task feeding one channel, so any number of connections
//! share one loop. Tokens never reach the logs.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use futures_util::stream::SplitSink;
use futures_util::{SinkExt, StreamExt};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use tokio::time::{Instant, sleep_until};
use tokio_tungstenite::tungstenite::Message;

use super::backoff::BackoffPolicy;
use super::outbox::Queued;
pub use super::outbox::{MessageId, OutgoingMessage};
use super::ratelimit::RateLimits;
use super::session::{Command, LinkId, Output, Session};
use super::transport::{self, Ws};
use crate::twitch::Login;
use crate::twitch::outgoing::Token;

/// Twitch chat over secure WebSocket.
pub const TWITCH_IRC_URL: &str = "wss://irc-ws.chat.twitch.tv:443";

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Credentials {
    /// Read-only, as `justinfan<digits>`.
    Anonymous,
    User {
        login: Login,
        token: Token,
    },
}

#[derive(Debug, Clone)]
pub struct ChatConfig {
    pub url: String,
    pub credentials: Credentials,
    /// Channels to join at once.
    pub channels: Vec<Login>,
    pub limits: RateLimits,
    pub backoff: BackoffPolicy,
    pub connect_timeout: Duration,
    /// From connecting to the end of the welcome.
    pub login_timeout: Duration,
    /// Send our own PING after this long without hearing anything...
    pub ping_after_idle: Duration,
    /// ...and reconnect when no answer comes within this.
    pub pong_timeout: Duration,
    pub join_timeout: Duration,
    /// Messages waiting to go out (while throttled or disconnected) at most.
    pub queue_capacity: usize,
    /// Events not yet taken by the app at most; the connection waits when it is full.
    pub event_capacity: usize,
    /// Channels one connection carries at most; more go on further connections.
    pub channels_per_connection: usize,
}

impl ChatConfig {
    pub fn new(url: impl Into<String>, credentials: Credentials) -> Self {
        ChatConfig {
            url: url.into(),
            credentials,
            channels: Vec::new(),
            limits: RateLimits::default(),
            backoff: BackoffPolicy::default(),
            connect_timeout: Duration::from_secs(10),
            login_timeout: Duration::from_secs(15),
            ping_after_idle: Duration::from_secs(60),
            pong_timeout: Duration::from_secs(10),
            join_timeout: Duration::from_secs(15),
            queue_capacity: 200,
            event_capacity: 8192,
            channels_per_connection: 100,
        }
    }
}

pub use crate::twitch::chat::{ChatEvent, DisconnectReason, DropReason, SendStatus};

/// Drives the chat actor. Dropping it closes the connection and ends the actor.
pub struct ChatHandle {
    commands: mpsc::UnboundedSender<Command>,
    next_id: AtomicU64,
}

impl ChatHandle {
    /// Starts the actor on the current tokio runtime.
    pub fn spawn(config: ChatConfig) -> (ChatHandle, mpsc::Receiver<ChatEvent>) {
        let (commands_tx, commands) = mpsc::unbounded_channel();
        let (events, events_rx) = mpsc::channel(config.event_capacity.max(1));
        tokio::spawn(drive(config, commands, events));
        let handle = ChatHandle {
            commands: commands_tx,
            next_id: AtomicU64::new(1),
        };
        (handle, events_rx)
    }

    pub fn join(&self, channel: Login) {
        let _ = self.commands.send(Command::Join(channel));
    }

    pub fn part(&self, channel: Login) {
        let _ = self.commands.send(Command::Part(channel));
    }

    /// Queues a message; its fate arrives as [`ChatEvent::Outgoing`] with the id returned.
    pub fn send(&self, message: OutgoingMessage) -> MessageId {
        let id = MessageId(self.next_id.fetch_add(1, Ordering::Relaxed));
        let _ = self.commands.send(Command::Send(Queued { id, message }));
        id
    }

    /// Queues a message under an id the caller chose (the app numbers its messages itself);
    /// don't mix with [`ChatHandle::send`] on one handle, whose ids could repeat these.
    pub fn send_with_id(&self, id: MessageId, message: OutgoingMessage) {
        let _ = self.commands.send(Command::Send(Queued { id, message }));
    }

    /// Reconnects with new credentials (after a failed login, or a refreshed token).
    /// Takes back a message that waits (slow mode, the rate limit): its fate comes back as
    /// [`DropReason::Cancelled`]; one already sent goes on as it would.
    pub fn cancel(&self, id: MessageId) {
        let _ = self.commands.send(Command::Cancel(id));
    }

    pub fn relogin(&self, credentials: Credentials) {
        let _ = self.commands.send(Command::Relogin(credentials));
    }

    /// Something that hands renewed credentials to the actor, for its next connection (the
    /// current one stays up). It does not keep the actor alive.
    pub fn renewer(&self) -> ChatRenewer {
        ChatRenewer(self.commands.downgrade())
    }
}

/// Hands renewed credentials to a chat actor, if it still runs.
#[derive(Clone)]
pub struct ChatRenewer(mpsc::WeakUnboundedSender<Command>);

impl ChatRenewer {
    pub fn renewed(&self, credentials: Credentials) {
        if let Some(commands) = self.0.upgrade() {
            let _ = commands.send(Command::Renewed(credentials));
        }
    }
}

/// What a socket did, from its own task.
enum Io {
    Opened(SplitSink<Ws, Message>),
    OpenFailed(String),
    Frame(String),
    Closed(DisconnectReason),
}

/// The sockets of the session, by link.
#[derive(Default)]
struct Sockets {
    sinks: HashMap<LinkId, SplitSink<Ws, Message>>,
    tasks: HashMap<LinkId, JoinHandle<()>>,
}

impl Sockets {
    /// Forgets a socket: its task stops, and an open one is closed politely in the background.
    fn close(&mut self, link: LinkId) {
        if let Some(task) = self.tasks.remove(&link) {
            task.abort();
        }
        if let Some(mut sink) = self.sinks.remove(&link) {
            tokio::spawn(async move {
                let close = sink.send(Message::Close(None));
                let _ = tokio::time::timeout(Duration::from_secs(1), close).await;
            });
        }
    }
}

/// Opens a socket and reads it until it ends, reporting on `io`.
async fn socket(url: String, timeout: Duration, link: LinkId, io: mpsc::Sender<(LinkId, Io)>) {
    let ws = match transport::connect(&url, timeout).await {
        Ok(ws) => ws,
        Err(e) => {
            let _ = io.send((link, Io::OpenFailed(e.to_string()))).await;
            return;
        }
    };
    let (sink, mut stream) = ws.split();
    if io.send((link, Io::Opened(sink))).await.is_err() {
        return;
    }
    let end = loop {
        match stream.next().await {
            Some(Ok(Message::Text(text))) => {
                if io.send((link, Io::Frame(text.to_string()))).await.is_err() {
                    return;
                }
            }
            Some(Ok(Message::Close(_))) | None => break DisconnectReason::Closed,
            Some(Err(e)) => break DisconnectReason::Io(e.to_string()),
            Some(Ok(_)) => {}
        }
    };
    let _ = io.send((link, Io::Closed(end))).await;
}

/// The actor: runs the session until the handle is dropped or the app stops reading events.
async fn drive(
    config: ChatConfig,
    mut commands: mpsc::UnboundedReceiver<Command>,
    events: mpsc::Sender<ChatEvent>,
) {
    let (url, connect_timeout) = (config.url.clone(), config.connect_timeout);
    let mut session = Session::new(config);
    let (io_tx, mut io) = mpsc::channel::<(LinkId, Io)>(256);
    let mut sockets = Sockets::default();
    'run: loop {
        while let Some(output) = session.poll() {
            match output {
                Output::Open(link) => {
                    let task = socket(url.clone(), connect_timeout, link, io_tx.clone());
                    sockets.tasks.insert(link, tokio::spawn(task));
                }
                Output::Write(link, command) => {
                    let Some(sink) = sockets.sinks.get_mut(&link) else {
                        continue;
                    };
                    tracing::trace!(target: "ttvchat::irc::raw", "> {}", command.redacted());
                    if let Err(e) = sink.send(Message::text(command.to_string())).await {
                        let now = Instant::now().into_std();
                        session.closed(link, DisconnectReason::Io(e.to_string()), now);
                    }
                }
                Output::Close(link) => sockets.close(link),
                Output::Event(event) => {
                    if events.send(event).await.is_err() {
                        break 'run;
                    }
                }
            }
        }
        let deadline = session.deadline().map(Instant::from_std);
        tokio::select! {
            Some((link, happened)) = io.recv() => {
                let now = Instant::now().into_std();
                match happened {
                    Io::Opened(sink) => {
                        sockets.sinks.insert(link, sink);
                        session.opened(link, now);
                    }
                    Io::OpenFailed(error) => session.open_failed(link, error, now),
                    Io::Frame(text) => session.received(link, &text, now),
                    Io::Closed(reason) => session.closed(link, reason, now),
                }
            }
            command = commands.recv() => match command {
                Some(command) => session.command(command, Instant::now().into_std()),
                None => break 'run,
            },
            () = sleep_until(deadline.unwrap_or_else(far_future)) => {
                session.tick(Instant::now().into_std());
            }
        }
    }
    let links: Vec<LinkId> = sockets
        .sinks
        .keys()
        .chain(sockets.tasks.keys())
        .copied()
        .collect();
    for link in links {
        sockets.close(link);
    }
    tracing::debug!(target: "ttvchat::chat", "chat actor stopped");
}

/// A deadline that never comes (nothing is due).
fn far_future() -> Instant {
    Instant::now() + Duration::from_secs(86_400)
}
