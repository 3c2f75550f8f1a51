//! What the simulator saw: connections, logins, every line clients sent, limit violations. Tests
//! wait on it instead of sleeping.

use std::sync::Mutex;
use std::time::Duration;

use tokio::sync::watch;
use tokio::time::Instant;

/// Records kept; older ones are dropped so a long-running simulator stays bounded.
const KEEP: usize = 200_000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SimEvent {
    /// A connection was accepted (before the WebSocket handshake).
    Accepted {
        conn: u64,
    },
    /// A connection was refused (the refuse fault).
    Refused,
    /// Login succeeded; `login` is `None` for an anonymous `justinfan` login.
    LoggedIn {
        conn: u64,
        login: Option<String>,
    },
    AuthFailed {
        conn: u64,
    },
    /// A line a client sent.
    Received {
        conn: u64,
        line: String,
    },
    Closed {
        conn: u64,
    },
    /// A client sent more messages than Twitch allows (it got `msg_ratelimit`).
    RateViolation {
        conn: u64,
        channel: String,
    },
    /// A client joined more channels than Twitch allows in the window.
    JoinViolation {
        conn: u64,
    },
    /// A Helix request: its method and path after `/helix/`.
    Helix {
        method: String,
        path: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stamped {
    pub at: Instant,
    pub event: SimEvent,
}

#[derive(Debug)]
pub struct Recorder {
    events: Mutex<Vec<Stamped>>,
    changed: watch::Sender<u64>,
}

impl Default for Recorder {
    fn default() -> Self {
        Recorder {
            events: Mutex::new(Vec::new()),
            changed: watch::Sender::new(0),
        }
    }
}

impl Recorder {
    pub fn push(&self, event: SimEvent) {
        {
            let mut events = self.events.lock().unwrap_or_else(|e| e.into_inner());
            if events.len() >= KEEP {
                events.drain(..KEEP / 10);
            }
            events.push(Stamped {
                at: Instant::now(),
                event,
            });
        }
        self.changed.send_modify(|n| *n += 1);
    }

    pub fn snapshot(&self) -> Vec<Stamped> {
        self.events
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    pub async fn wait_for<T>(
        &self,
        timeout: Duration,
        mut found: impl FnMut(&[Stamped]) -> Option<T>,
    ) -> Option<T> {
        let mut changed = self.changed.subscribe();
        let deadline = Instant::now() + timeout;
        loop {
            {
                let events = self.events.lock().unwrap_or_else(|e| e.into_inner());
                if let Some(t) = found(&events) {
                    return Some(t);
                }
            }
            if tokio::time::timeout_at(deadline, changed.changed())
                .await
                .is_err()
            {
                return None;
            }
        }
    }
}
