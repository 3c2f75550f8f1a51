//! The chat connection actor: one task that keeps a Twitch chat connection alive through
//! anything the network does, and the [`ChatHandle`] the app drives it with.
//!
//! It connects (TLS for `wss://`), logs in with a token or anonymously, joins every channel the
//! app wants (20 JOINs per 10 s at most) and rejoins them after each reconnect, answers PING,
//! PINGs when idle and reconnects when the PONG does not come, follows RECONNECT, and backs off
//! exponentially with jitter between attempts. Messages go out through a rate limiter that
//! knows our role in each channel; what cannot go out yet waits in a bounded queue, in order,
//! and every message's fate is reported. Tokens never reach the logs.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use tokio::sync::mpsc;
use tokio::time::sleep;

use super::backoff::{Backoff, BackoffPolicy};
pub use super::outbox::{MessageId, OutgoingMessage};
use super::outbox::{Outbox, Queued};
use super::ratelimit::{RateLimits, SendLimiter, SlidingWindow};
use super::session;
use super::transport;
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
        }
    }
}

pub use crate::twitch::chat::{ChatEvent, DisconnectReason, DropReason, SendStatus};

#[derive(Debug)]
pub(super) enum Command {
    Join(Login),
    Part(Login),
    Send(Queued),
    /// Take a message back if it has not gone out yet.
    Cancel(MessageId),
    Relogin(Credentials),
    Renewed(Credentials),
}

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
        let actor = Actor {
            outbox: Outbox::new(config.queue_capacity),
            desired: config.channels.clone(),
            limiter: SendLimiter::new(config.limits),
            joins: SlidingWindow::new(config.limits.join_window + config.limits.margin),
            privileged: HashMap::new(),
            slow: HashMap::new(),
            backoff: Backoff::new(config.backoff),
            config,
            commands,
            events,
        };
        tokio::spawn(actor.run());
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

/// The app is gone (handle dropped or events no longer read): stop.
#[derive(Debug)]
pub(super) struct Gone;

/// How a session ended.
pub(super) enum End {
    Shutdown,
    Relogin,
    Lost(DisconnectReason),
}

/// What outlives a connection: the queue, wanted channels, limits, what we learned of our roles.
pub(super) struct Actor {
    pub config: ChatConfig,
    pub commands: mpsc::UnboundedReceiver<Command>,
    pub events: mpsc::Sender<ChatEvent>,
    pub outbox: Outbox,
    /// The channels the app wants, in the order it asked.
    pub desired: Vec<Login>,
    pub limiter: SendLimiter,
    pub joins: SlidingWindow,
    /// Broadcaster, moderator or VIP, per channel (from USERSTATE).
    pub privileged: HashMap<Login, bool>,
    /// Slow mode per channel (from ROOMSTATE).
    pub slow: HashMap<Login, Duration>,
    backoff: Backoff,
}

impl Actor {
    pub async fn emit(&self, event: ChatEvent) -> Result<(), Gone> {
        self.events.send(event).await.map_err(|_| Gone)
    }

    /// Bookkeeping for a command; the session then acts on the new wishes. `Relogin` is
    /// returned for the caller to end the connection.
    pub async fn apply(&mut self, command: Command) -> Result<Option<Credentials>, Gone> {
        match command {
            Command::Join(channel) => {
                if !self.desired.contains(&channel) {
                    self.desired.push(channel);
                }
            }
            Command::Part(channel) => {
                self.desired.retain(|c| c != &channel);
                for queued in self.outbox.drain_channel(&channel) {
                    let reason = DropReason::ChannelUnavailable;
                    self.outgoing(queued.id, SendStatus::Dropped { reason })
                        .await?;
                }
            }
            Command::Send(queued) => {
                if self.config.credentials == Credentials::Anonymous {
                    let reason = DropReason::ReadOnly;
                    return self
                        .outgoing(queued.id, SendStatus::Dropped { reason })
                        .await
                        .map(|()| None);
                }
                if !self.desired.contains(&queued.message.channel) {
                    self.desired.push(queued.message.channel.clone());
                }
                if let Err(queued) = self.outbox.push(queued) {
                    let reason = DropReason::QueueFull;
                    self.outgoing(queued.id, SendStatus::Dropped { reason })
                        .await?;
                }
            }
            Command::Cancel(id) => {
                if self.outbox.cancel(id).is_some() {
                    let reason = DropReason::Cancelled;
                    self.outgoing(id, SendStatus::Dropped { reason }).await?;
                }
            }
            Command::Relogin(credentials) => return Ok(Some(credentials)),
            Command::Renewed(credentials) => self.config.credentials = credentials,
        }
        Ok(None)
    }

    pub async fn outgoing(&self, id: MessageId, status: SendStatus) -> Result<(), Gone> {
        self.emit(ChatEvent::Outgoing { id, status }).await
    }

    /// The next command, or `Gone` when the handle was dropped.
    async fn next_command(&mut self) -> Result<Command, Gone> {
        self.commands.recv().await.ok_or(Gone)
    }

    /// Waits `delay` while still taking commands; a relogin cuts the wait short.
    async fn wait(&mut self, delay: Duration) -> Result<(), Gone> {
        let until = sleep(delay);
        tokio::pin!(until);
        loop {
            tokio::select! {
                () = &mut until => return Ok(()),
                command = self.commands.recv() => {
                    let command = command.ok_or(Gone)?;
                    if let Some(credentials) = self.apply(command).await? {
                        self.config.credentials = credentials;
                        return Ok(());
                    }
                }
            }
        }
    }

    /// After a failed login: only new credentials restart the connection.
    async fn halt_until_relogin(&mut self) -> Result<(), Gone> {
        loop {
            let command = self.next_command().await?;
            if let Some(credentials) = self.apply(command).await? {
                self.config.credentials = credentials;
                return Ok(());
            }
        }
    }

    async fn run(mut self) {
        let _ = self.run_until_gone().await;
        tracing::debug!(target: "ttvchat::chat", "chat actor stopped");
    }

    async fn run_until_gone(&mut self) -> Result<(), Gone> {
        let mut attempt = 0;
        loop {
            attempt += 1;
            self.emit(ChatEvent::Connecting { attempt }).await?;
            tracing::info!(target: "ttvchat::chat", "connecting to {} (attempt {attempt})", self.config.url);
            let (end, lasted) = match self.connect().await? {
                Err(e) => (
                    End::Lost(DisconnectReason::ConnectFailed(e)),
                    Duration::ZERO,
                ),
                Ok(ws) => {
                    let (end, logged_in_for) = session::run(self, ws).await;
                    if logged_in_for.is_some() {
                        attempt = 0;
                    }
                    (end, logged_in_for.unwrap_or_default())
                }
            };
            self.outbox.requeue_in_flight();
            let reason = match end {
                End::Shutdown => return Err(Gone),
                End::Relogin => continue,
                End::Lost(reason) => reason,
            };
            tracing::info!(target: "ttvchat::chat", "disconnected: {reason}");
            match reason {
                DisconnectReason::AuthFailed(_) => {
                    self.emit(ChatEvent::Disconnected {
                        reason,
                        retry_in: None,
                    })
                    .await?;
                    self.halt_until_relogin().await?;
                    attempt = 0;
                }
                DisconnectReason::ReconnectRequested => {
                    let delay = self.backoff.requested(lasted);
                    let retry_in = Some(delay);
                    self.emit(ChatEvent::Disconnected { reason, retry_in })
                        .await?;
                    self.wait(delay).await?;
                }
                reason => {
                    self.backoff.session_ended(lasted);
                    let delay = self.backoff.next_delay();
                    let retry_in = Some(delay);
                    self.emit(ChatEvent::Disconnected { reason, retry_in })
                        .await?;
                    self.wait(delay).await?;
                }
            }
        }
    }

    /// Connects while still taking commands.
    async fn connect(&mut self) -> Result<Result<transport::Ws, String>, Gone> {
        let url = self.config.url.clone();
        let attempt = transport::connect(&url, self.config.connect_timeout);
        tokio::pin!(attempt);
        loop {
            tokio::select! {
                result = &mut attempt => return Ok(result.map_err(|e| e.to_string())),
                command = self.commands.recv() => {
                    let command = command.ok_or(Gone)?;
                    if let Some(credentials) = self.apply(command).await? {
                        self.config.credentials = credentials;
                    }
                }
            }
        }
    }
}
