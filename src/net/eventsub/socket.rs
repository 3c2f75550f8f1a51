//! One EventSub connection of the session: where it stands (idle, waiting to reconnect,
//! opening, welcomed), its keepalive clock, the link a `session_reconnect` is handing over to,
//! and its own backoff. Plain data over instants passed in.

use std::time::{Duration, Instant};

use crate::net::backoff::{Backoff, BackoffPolicy};
use crate::net::session::LinkId;

#[derive(Debug)]
pub(super) enum Phase {
    /// No subscriptions placed here: no socket.
    Idle,
    /// Reconnecting at this instant.
    Waiting(Instant),
    /// The socket is being opened, or is open without a welcome yet.
    Opening { link: LinkId, since: Instant },
    Welcomed {
        link: LinkId,
        session_id: String,
        keepalive: Duration,
        heard: Instant,
        since: Instant,
    },
}

#[derive(Debug)]
pub(super) struct Socket {
    pub phase: Phase,
    /// A new link opened to a `reconnect_url`, taking over at its welcome.
    pub handover: Option<(LinkId, Instant)>,
    /// The subscriptions came along from a socket that closed during a handover.
    pub carried: bool,
    pub backoff: Backoff,
}

impl Socket {
    pub fn new(policy: BackoffPolicy) -> Socket {
        Socket {
            phase: Phase::Idle,
            handover: None,
            carried: false,
            backoff: Backoff::new(policy),
        }
    }

    /// The link that speaks for this socket.
    pub fn link(&self) -> Option<LinkId> {
        match self.phase {
            Phase::Opening { link, .. } | Phase::Welcomed { link, .. } => Some(link),
            Phase::Idle | Phase::Waiting(_) => None,
        }
    }

    pub fn owns(&self, link: LinkId) -> bool {
        self.link() == Some(link) || self.handover.is_some_and(|(l, _)| l == link)
    }

    pub fn session_id(&self) -> Option<&str> {
        match &self.phase {
            Phase::Welcomed { session_id, .. } => Some(session_id),
            _ => None,
        }
    }

    /// Something arrived on `link`: the connection is alive.
    pub fn heard(&mut self, link: LinkId, now: Instant) {
        if let Phase::Welcomed {
            link: current,
            heard,
            ..
        } = &mut self.phase
            && *current == link
        {
            *heard = now;
        }
    }

    /// When this socket next needs a tick: reconnecting, a welcome overdue, silence.
    pub fn deadline(&self, welcome_within: Duration, grace: Duration) -> Option<Instant> {
        let own = match &self.phase {
            Phase::Idle => None,
            Phase::Waiting(at) => Some(*at),
            Phase::Opening { since, .. } => Some(*since + welcome_within),
            Phase::Welcomed {
                keepalive, heard, ..
            } => Some(*heard + *keepalive + grace),
        };
        let handover = self.handover.map(|(_, since)| since + welcome_within);
        own.into_iter().chain(handover).min()
    }
}
