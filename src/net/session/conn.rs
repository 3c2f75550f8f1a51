//! One chat connection of the session: where it stands (waiting to reconnect, opening, open,
//! halted after a failed login), its login and keepalive clocks, the channels it joined and is
//! joining, and its own backoff. Plain data over instants passed in.

use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

use super::LinkId;
use crate::net::backoff::{Backoff, BackoffPolicy};
use crate::net::chat::ChatConfig;
use crate::twitch::Login;

/// After the welcome, how long to wait for GLOBALUSERSTATE before calling the login done.
pub(super) const GLOBAL_STATE_WAIT: Duration = Duration::from_secs(2);

pub(super) enum Phase {
    /// Connect again at this instant.
    Waiting(Instant),
    /// The driver is opening this socket.
    Opening(LinkId),
    Open(Box<Link>),
    /// A failed login: only new credentials start it again.
    Halted,
}

/// An open socket's session.
pub(super) struct Link {
    pub id: LinkId,
    pub nick: Login,
    pub anonymous: bool,
    pub opened: Instant,
    /// When login completed.
    pub connected_at: Option<Instant>,
    /// The welcome ended; waiting for GLOBALUSERSTATE until then.
    pub welcome_done_at: Option<Instant>,
    pub last_heard: Instant,
    pub ping_sent: Option<Instant>,
    pub ping_seq: u64,
    pub joined: HashSet<Login>,
    /// JOINs sent and not yet answered, with their deadline.
    pub joining: HashMap<Login, Instant>,
}

pub(super) struct Conn {
    /// 0 is the first connection, which speaks for the account.
    pub id: u64,
    pub phase: Phase,
    pub backoff: Backoff,
    /// Attempts since the last login that worked.
    attempt: u32,
}

impl Conn {
    pub fn new(id: u64, policy: BackoffPolicy) -> Conn {
        Conn {
            id,
            phase: Phase::Halted,
            backoff: Backoff::new(policy),
            attempt: 0,
        }
    }

    /// A new socket attempt; returns its number.
    pub fn start(&mut self, link: LinkId) -> u32 {
        self.attempt += 1;
        self.phase = Phase::Opening(link);
        self.attempt
    }

    /// Forgets past attempts (new credentials).
    pub fn reset(&mut self) {
        self.attempt = 0;
        self.phase = Phase::Halted;
    }

    pub fn opening(&self, link: LinkId) -> bool {
        matches!(self.phase, Phase::Opening(l) if l == link)
    }

    pub fn open(&mut self, nick: Login, anonymous: bool, now: Instant) {
        if let Phase::Opening(id) = self.phase {
            self.phase = Phase::Open(Box::new(Link {
                id,
                nick,
                anonymous,
                opened: now,
                connected_at: None,
                welcome_done_at: None,
                last_heard: now,
                ping_sent: None,
                ping_seq: 0,
                joined: HashSet::new(),
                joining: HashMap::new(),
            }));
        }
    }

    pub fn is_open(&self, link: LinkId) -> bool {
        matches!(&self.phase, Phase::Open(l) if l.id == link)
    }

    /// The current socket, opening or open.
    pub fn link(&self) -> Option<LinkId> {
        match &self.phase {
            Phase::Opening(id) => Some(*id),
            Phase::Open(link) => Some(link.id),
            Phase::Waiting(_) | Phase::Halted => None,
        }
    }

    pub fn live(&self) -> Option<&Link> {
        match &self.phase {
            Phase::Open(link) => Some(link),
            _ => None,
        }
    }

    pub fn live_mut(&mut self) -> Option<&mut Link> {
        match &mut self.phase {
            Phase::Open(link) => Some(link),
            _ => None,
        }
    }

    pub fn nick(&self) -> Option<&Login> {
        self.live().map(|l| &l.nick)
    }

    pub fn logged_in(&self) -> bool {
        self.live().is_some_and(|l| l.connected_at.is_some())
    }

    /// Anything came from the server: it is alive.
    pub fn heard(&mut self, now: Instant) {
        if let Some(link) = self.live_mut() {
            link.last_heard = now;
            link.ping_sent = None;
        }
    }

    /// Joined or joining.
    pub fn has(&self, channel: &Login) -> bool {
        self.live()
            .is_some_and(|l| l.joined.contains(channel) || l.joining.contains_key(channel))
    }

    pub fn joined(&self, channel: &Login) -> bool {
        self.live().is_some_and(|l| l.joined.contains(channel))
    }

    /// Every channel joined or joining, sorted.
    pub fn channels(&self) -> Vec<Login> {
        let mut channels: Vec<Login> = self
            .live()
            .map(|l| l.joined.iter().chain(l.joining.keys()).cloned().collect())
            .unwrap_or_default();
        channels.sort();
        channels
    }

    pub fn joining(&mut self, channel: Login, deadline: Instant) {
        if let Some(link) = self.live_mut() {
            link.joining.insert(channel, deadline);
        }
    }

    /// Forgets a channel; the link to PART it on, if it was joined or joining.
    pub fn leave(&mut self, channel: &Login) -> Option<LinkId> {
        let link = self.live_mut()?;
        let had = link.joined.remove(channel) | link.joining.remove(channel).is_some();
        had.then_some(link.id)
    }

    /// The socket is gone: how long it was logged in, and the channels it had joined.
    pub fn end(&mut self, now: Instant) -> (Duration, Vec<Login>) {
        let Phase::Open(link) = std::mem::replace(&mut self.phase, Phase::Halted) else {
            return (Duration::ZERO, Vec::new());
        };
        if link.connected_at.is_some() {
            self.attempt = 0;
        }
        let lasted = link
            .connected_at
            .map_or(Duration::ZERO, |t| now.saturating_duration_since(t));
        let mut channels: Vec<Login> = link.joined.into_iter().collect();
        channels.sort();
        (lasted, channels)
    }

    /// The earliest instant something is due on this connection.
    pub fn deadline(&self, config: &ChatConfig) -> Option<Instant> {
        match &self.phase {
            Phase::Waiting(at) => Some(*at),
            Phase::Opening(_) | Phase::Halted => None,
            Phase::Open(link) => {
                let keepalive = match link.ping_sent {
                    Some(sent) => sent + config.pong_timeout,
                    None => link.last_heard + config.ping_after_idle,
                };
                let login = link
                    .connected_at
                    .is_none()
                    .then_some(link.opened + config.login_timeout);
                let global = link
                    .welcome_done_at
                    .filter(|_| link.connected_at.is_none())
                    .map(|t| t + GLOBAL_STATE_WAIT);
                [
                    Some(keepalive),
                    login,
                    global,
                    link.joining.values().min().copied(),
                ]
                .into_iter()
                .flatten()
                .min()
            }
        }
    }
}
