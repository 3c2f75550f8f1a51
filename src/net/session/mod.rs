//! The chat session as a pure state machine (sans-IO, as quinn-proto and rustls do it): it is
//! fed what the sockets did, the app's commands and the time, and it hands back what to open,
//! write and close, the events for the app, and when it next needs waking. No tokio, no socket,
//! no clock read: `chat.rs` drives it over WebSockets, and tests drive it in virtual time.
//!
//! It keeps what outlives connections: the wanted channels in the order asked, the queue of
//! messages, the account's limits and what we learned of our roles. Channels past
//! `channels_per_connection` go to further connections, each with its own login, keepalive
//! and backoff ([`conn`]); they share the account's JOIN and message budgets. The first
//! connection speaks for the account: its news is the app's connection state.

mod conn;
mod lines;

use std::collections::{HashMap, HashSet, VecDeque};
use std::time::{Duration, Instant};

use self::conn::{Conn, Phase};
use super::chat::{ChatConfig, Credentials};
use super::outbox::{Outbox, Queued};
use super::ratelimit::{SendLimiter, SlidingWindow};
use crate::twitch::Login;
use crate::twitch::chat::{ChatEvent, DisconnectReason, DropReason, MessageId, SendStatus};
use crate::twitch::outgoing::ClientCommand;

/// One socket attempt. Every attempt gets a new id, so news from a socket that was replaced
/// can never be taken for its successor's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LinkId(pub u64);

/// What the driver is to do.
#[derive(Debug, Clone, PartialEq)]
pub enum Output {
    /// Open a WebSocket to the chat server; report it with [`Session::opened`] or
    /// [`Session::open_failed`].
    Open(LinkId),
    /// Write one line.
    Write(LinkId, ClientCommand),
    /// Close the socket (politely, if it is open) and forget it.
    Close(LinkId),
    /// Tell the app.
    Event(ChatEvent),
}

/// What the app asks of the chat connection.
#[derive(Debug)]
pub enum Command {
    Join(Login),
    Part(Login),
    Send(Queued),
    /// Take a message back if it has not gone out yet.
    Cancel(MessageId),
    /// Log in again with new credentials, now.
    Relogin(Credentials),
    /// Use these credentials from the next connection on.
    Renewed(Credentials),
}

/// The chat session over all its connections.
pub struct Session {
    config: ChatConfig,
    conns: Vec<Conn>,
    next_link: u64,
    next_conn: u64,
    /// The channels the app wants, in the order asked, and the connection each goes on.
    desired: Vec<(Login, u64)>,
    outbox: Outbox,
    limiter: SendLimiter,
    joins: SlidingWindow,
    /// Broadcaster, moderator or VIP, per channel (from USERSTATE).
    privileged: HashMap<Login, bool>,
    /// Slow mode per channel (from ROOMSTATE).
    slow: HashMap<Login, Duration>,
    throttle_reported: HashSet<MessageId>,
    next_join_at: Option<Instant>,
    next_send_at: Option<Instant>,
    /// The last join progress told: joined, wanted.
    progress: (usize, usize),
    out: VecDeque<Output>,
    rng: fastrand::Rng,
}

impl Session {
    /// A session that starts connecting at once.
    pub fn new(config: ChatConfig) -> Session {
        let channels = config.channels.clone();
        let mut session = Session {
            outbox: Outbox::new(config.queue_capacity),
            limiter: SendLimiter::new(config.limits),
            joins: SlidingWindow::new(config.limits.join_window + config.limits.margin),
            config,
            conns: Vec::new(),
            next_link: 0,
            next_conn: 0,
            desired: Vec::new(),
            privileged: HashMap::new(),
            slow: HashMap::new(),
            throttle_reported: HashSet::new(),
            next_join_at: None,
            next_send_at: None,
            progress: (0, 0),
            out: VecDeque::new(),
            rng: fastrand::Rng::new(),
        };
        session.add_conn();
        for channel in channels {
            session.want(channel);
        }
        session
    }

    /// The next thing for the driver to do.
    pub fn poll(&mut self) -> Option<Output> {
        self.out.pop_front()
    }

    /// When [`Session::tick`] is next due.
    pub fn deadline(&self) -> Option<Instant> {
        let linked = self.conns.iter().any(Conn::logged_in);
        let pacing = [self.next_join_at, self.next_send_at]
            .into_iter()
            .flatten()
            .filter(|_| linked);
        self.conns
            .iter()
            .filter_map(|c| c.deadline(&self.config))
            .chain(pacing)
            .min()
    }

    /// The socket for `link` is open: log in.
    pub fn opened(&mut self, link: LinkId, now: Instant) {
        let nick = match &self.config.credentials {
            Credentials::Anonymous => {
                let digits = self.rng.u32(10_000..99_999);
                Login::parse(&format!("justinfan{digits}")).expect("justinfan digits make a login")
            }
            Credentials::User { login, .. } => login.clone(),
        };
        let pass = match &self.config.credentials {
            Credentials::Anonymous => None,
            Credentials::User { token, .. } => Some(token.clone()),
        };
        let Some(conn) = self.conns.iter_mut().find(|c| c.opening(link)) else {
            self.out.push_back(Output::Close(link));
            return;
        };
        conn.open(nick.clone(), pass.is_none(), now);
        let caps = lines::CAPABILITIES
            .iter()
            .map(|c| (*c).to_owned())
            .collect();
        self.out
            .push_back(Output::Write(link, ClientCommand::CapReq(caps)));
        if let Some(token) = pass {
            self.out
                .push_back(Output::Write(link, ClientCommand::Pass(token)));
        }
        self.out
            .push_back(Output::Write(link, ClientCommand::Nick(nick)));
    }

    /// The socket for `link` could not be opened.
    pub fn open_failed(&mut self, link: LinkId, error: String, now: Instant) {
        if let Some(index) = self.conns.iter().position(|c| c.opening(link)) {
            self.lost(index, DisconnectReason::ConnectFailed(error), now);
        }
    }

    /// The socket for `link` ended.
    pub fn closed(&mut self, link: LinkId, reason: DisconnectReason, now: Instant) {
        if let Some(index) = self.conns.iter().position(|c| c.link() == Some(link)) {
            self.lost(index, reason, now);
        }
    }

    /// A WebSocket message came on `link`: one or more lines.
    pub fn received(&mut self, link: LinkId, text: &str, now: Instant) {
        let Some(index) = self.conns.iter().position(|c| c.is_open(link)) else {
            return;
        };
        self.conns[index].heard(now);
        for line in text.split("\r\n").filter(|l| !l.is_empty()) {
            if let Err(reason) = self.on_line(index, line, now) {
                self.lost(index, reason, now);
                break;
            }
        }
        self.reconcile(now);
    }

    /// What the app asked.
    pub fn command(&mut self, command: Command, now: Instant) {
        match command {
            Command::Join(channel) => self.want(channel),
            Command::Part(channel) => {
                self.desired.retain(|(c, _)| c != &channel);
                self.drop_queued(&channel, DropReason::ChannelUnavailable);
            }
            Command::Send(queued) => self.queue(queued),
            Command::Cancel(id) => {
                if self.outbox.cancel(id).is_some() {
                    let reason = DropReason::Cancelled;
                    self.outgoing(id, SendStatus::Dropped { reason });
                }
            }
            Command::Relogin(credentials) => {
                self.config.credentials = credentials;
                for index in 0..self.conns.len() {
                    if let Some(link) = self.conns[index].link() {
                        self.out.push_back(Output::Close(link));
                    }
                    let scope = self.scope_of(index);
                    self.outbox.requeue_in_flight(|c| scope.contains(c));
                    self.conns[index].reset();
                    self.start(index);
                }
            }
            Command::Renewed(credentials) => self.config.credentials = credentials,
        }
        self.reconcile(now);
    }

    /// Time passed: act on whatever fell due by `now`.
    pub fn tick(&mut self, now: Instant) {
        for index in 0..self.conns.len() {
            if let Err(reason) = self.on_time(index, now) {
                self.lost(index, reason, now);
            }
        }
        self.reconcile(now);
    }

    fn emit(&mut self, event: ChatEvent) {
        self.out.push_back(Output::Event(event));
    }

    fn outgoing(&mut self, id: MessageId, status: SendStatus) {
        self.emit(ChatEvent::Outgoing { id, status });
    }

    fn add_conn(&mut self) -> u64 {
        let id = self.next_conn;
        self.next_conn += 1;
        self.conns.push(Conn::new(id, self.config.backoff));
        let index = self.conns.len() - 1;
        self.start(index);
        id
    }

    /// Opens a new socket for the connection at `index`.
    fn start(&mut self, index: usize) {
        let link = LinkId(self.next_link);
        self.next_link += 1;
        let attempt = self.conns[index].start(link);
        if index == 0 {
            self.emit(ChatEvent::Connecting { attempt });
        }
        tracing::info!(target: "ttvchat::chat", "connecting to {} (connection {}, attempt {attempt})", self.config.url, self.conns[index].id);
        self.out.push_back(Output::Open(link));
    }

    /// The channels the connection at `index` carries.
    fn scope_of(&self, index: usize) -> HashSet<Login> {
        let id = self.conns[index].id;
        let mut scope: HashSet<Login> = self
            .desired
            .iter()
            .filter(|(_, on)| *on == id)
            .map(|(c, _)| c.clone())
            .collect();
        scope.extend(self.conns[index].channels());
        scope
    }

    /// Adds a wanted channel, on the first connection with room (a new one when all are full).
    fn want(&mut self, channel: Login) {
        if self.desired.iter().any(|(c, _)| *c == channel) {
            return;
        }
        let per = self.config.channels_per_connection.max(1);
        let room = self
            .conns
            .iter()
            .map(|c| c.id)
            .find(|id| self.desired.iter().filter(|(_, on)| on == id).count() < per);
        let on = match room {
            Some(id) => id,
            None => self.add_conn(),
        };
        self.desired.push((channel, on));
    }

    fn queue(&mut self, queued: Queued) {
        if self.config.credentials == Credentials::Anonymous {
            let reason = DropReason::ReadOnly;
            return self.outgoing(queued.id, SendStatus::Dropped { reason });
        }
        self.want(queued.message.channel.clone());
        if let Err(queued) = self.outbox.push(queued) {
            let reason = DropReason::QueueFull;
            self.outgoing(queued.id, SendStatus::Dropped { reason });
        }
    }

    fn drop_queued(&mut self, channel: &Login, reason: DropReason) {
        for queued in self.outbox.drain_channel(channel) {
            self.outgoing(queued.id, SendStatus::Dropped { reason });
        }
    }

    /// The connection at `index` ended: say so, and wait before it connects again.
    fn lost(&mut self, index: usize, reason: DisconnectReason, now: Instant) {
        if let Some(link) = self.conns[index].link() {
            self.out.push_back(Output::Close(link));
        }
        let scope = self.scope_of(index);
        self.outbox.requeue_in_flight(|c| scope.contains(c));
        let conn = &mut self.conns[index];
        let (lasted, channels) = conn.end(now);
        tracing::info!(target: "ttvchat::chat", "disconnected (connection {}): {reason}", conn.id);
        let retry_in = match &reason {
            DisconnectReason::AuthFailed(_) => {
                conn.phase = Phase::Halted;
                None
            }
            DisconnectReason::ReconnectRequested => Some(conn.backoff.requested(lasted)),
            _ => {
                conn.backoff.session_ended(lasted);
                Some(conn.backoff.next_delay())
            }
        };
        if let Some(wait) = retry_in {
            conn.phase = Phase::Waiting(now + wait);
        }
        match (index, retry_in) {
            (0, retry_in) => self.emit(ChatEvent::Disconnected { reason, retry_in }),
            (_, Some(retry_in)) if !channels.is_empty() => self.emit(ChatEvent::ChannelsLost {
                channels,
                reason,
                retry_in,
            }),
            _ => {}
        }
        self.report_progress();
    }

    /// PART what is no longer wanted, close connections left without channels, JOIN what is
    /// wanted (within the account's JOIN budget), and send what may go out now.
    fn reconcile(&mut self, now: Instant) {
        for index in 0..self.conns.len() {
            let id = self.conns[index].id;
            let leaving: Vec<Login> = self.conns[index]
                .channels()
                .into_iter()
                .filter(|c| !self.desired.iter().any(|(d, on)| d == c && *on == id))
                .collect();
            for channel in leaving {
                if let Some(link) = self.conns[index].leave(&channel) {
                    self.out
                        .push_back(Output::Write(link, ClientCommand::Part(channel.clone())));
                }
                self.emit(ChatEvent::Parted { channel });
            }
        }
        self.close_idle();
        self.join_wanted(now);
        self.send_ready(now);
        self.report_progress();
    }

    /// A further connection whose channels are all gone is closed.
    fn close_idle(&mut self) {
        let desired = &self.desired;
        let mut closing = Vec::new();
        self.conns.retain(|conn| {
            let idle = conn.id != 0 && !desired.iter().any(|(_, on)| *on == conn.id);
            if idle {
                closing.extend(conn.link());
            }
            !idle
        });
        self.out.extend(closing.into_iter().map(Output::Close));
    }

    fn join_wanted(&mut self, now: Instant) {
        let limit = self.config.limits.joins;
        let mut waiting = 0;
        let mut room = self.joins.room(now, limit);
        let mut batches: HashMap<usize, Vec<Login>> = HashMap::new();
        for (channel, on) in &self.desired {
            let Some(index) = self.conns.iter().position(|c| c.id == *on) else {
                continue;
            };
            let conn = &self.conns[index];
            if !conn.logged_in() || conn.has(channel) {
                continue;
            }
            if room == 0 {
                waiting += 1;
                continue;
            }
            room -= 1;
            batches.entry(index).or_default().push(channel.clone());
        }
        let mut indexes: Vec<usize> = batches.keys().copied().collect();
        indexes.sort_unstable();
        for index in indexes {
            let batch = batches.remove(&index).unwrap_or_default();
            for channel in &batch {
                self.joins.record(now);
                self.conns[index].joining(channel.clone(), now + self.config.join_timeout);
            }
            if let Some(link) = self.conns[index].link() {
                self.out
                    .push_back(Output::Write(link, ClientCommand::Join(batch)));
            }
        }
        self.next_join_at = (waiting > 0).then(|| self.joins.next_allowed(now, limit));
    }

    fn send_ready(&mut self, now: Instant) {
        loop {
            let mut ready = None;
            let mut earliest: Option<Instant> = None;
            let mut waiting = Vec::new();
            let heads: Vec<(usize, MessageId, Login)> = self
                .outbox
                .heads()
                .into_iter()
                .map(|(i, q)| (i, q.id, q.message.channel.clone()))
                .collect();
            for (position, id, channel) in heads {
                let Some(link) = self.joined_link(&channel) else {
                    continue;
                };
                let privileged = self.privileged.get(&channel).copied().unwrap_or(false);
                let slow = self.slow.get(&channel).copied().unwrap_or_default();
                let at = self.limiter.ready_at(now, &channel, privileged, slow);
                if at <= now {
                    ready = Some((position, link));
                    break;
                }
                earliest = Some(earliest.map_or(at, |e| e.min(at)));
                waiting.push((id, at - now));
            }
            let Some((position, link)) = ready else {
                self.next_send_at = earliest;
                for (id, wait) in waiting {
                    if self.throttle_reported.insert(id) {
                        self.outgoing(id, SendStatus::Throttled { wait });
                    }
                }
                return;
            };
            let Some(queued) = self.outbox.take(position) else {
                return;
            };
            let message = queued.message;
            self.limiter.record(now, &message.channel);
            let command = ClientCommand::Privmsg {
                channel: message.channel,
                text: message.text,
                action: message.action,
                reply_to: message.reply_to,
            };
            self.out.push_back(Output::Write(link, command));
            self.throttle_reported.remove(&queued.id);
            self.outgoing(queued.id, SendStatus::Sent);
        }
    }

    /// The link of the connection that has joined `channel`.
    fn joined_link(&self, channel: &Login) -> Option<LinkId> {
        let (_, on) = self.desired.iter().find(|(c, _)| c == channel)?;
        let conn = self.conns.iter().find(|c| c.id == *on)?;
        conn.joined(channel).then(|| conn.link()).flatten()
    }

    /// Tells the app how far joining has come, when that changed.
    fn report_progress(&mut self) {
        let wanted = self.desired.len();
        let joined = self
            .desired
            .iter()
            .filter(|(channel, on)| self.conns.iter().any(|c| c.id == *on && c.joined(channel)))
            .count();
        if (joined, wanted) != self.progress {
            self.progress = (joined, wanted);
            self.emit(ChatEvent::JoinProgress { joined, wanted });
        }
    }
}
