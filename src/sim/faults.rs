//! Network faults on demand: one-shot actions on every open connection (drop, RECONNECT, garbage,
//! a server PING) and lasting conditions (silence, ignored PINGs, refused connections, delay);
//! and EventSub's (reconnect, a close code, silence, revocation).

use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

/// A fault, from a test (`SimHandle::fault`) or a scenario's `[[fault]]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// Close every connection at once, without a WebSocket close.
    Drop,
    /// Send RECONNECT, then close a few seconds later, as Twitch does before maintenance.
    Reconnect,
    /// Stop answering client PINGs for a while (chat still flows).
    IgnorePing(Duration),
    /// Send nothing at all for a while, answer nothing.
    Silence(Duration),
    /// Send garbage: malformed lines, a half line, an empty line, a huge line.
    Garbage,
    /// Refuse new connections for a while.
    Refuse(Duration),
    /// Deliver every line this much later, for a while.
    Delay(Duration, Duration),
    /// Send a PING now (the server's keepalive).
    Ping,
    /// Every EventSub socket sends `session_reconnect` (and closes with 4004 if the client
    /// stays 30 s more).
    EventSubReconnect,
    /// Every EventSub socket closes with this code (4000-4007).
    EventSubClose(u16),
    /// EventSub sockets send nothing (no keepalive, no notification) for a while.
    EventSubSilence(Duration),
    /// Twitch withdraws every EventSub subscription (`authorization_revoked`).
    EventSubRevoke,
}

/// One-shot actions a connection task carries out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Control {
    Drop,
    Reconnect,
    Garbage,
    Ping,
    /// The client could not keep up with its queue: close it, as Twitch drops slow readers.
    TooSlow,
}

/// The lasting conditions, checked by connection tasks and the accept loop.
#[derive(Debug, Default)]
pub struct Conditions {
    inner: Mutex<Lasting>,
}

#[derive(Debug, Default, Clone, Copy)]
struct Lasting {
    silent_until: Option<Instant>,
    ignore_ping_until: Option<Instant>,
    refuse_until: Option<Instant>,
    delay: Option<(Duration, Instant)>,
    eventsub_silent_until: Option<Instant>,
}

fn active(until: Option<Instant>, now: Instant) -> bool {
    until.is_some_and(|u| u > now)
}

impl Conditions {
    fn lasting(&self) -> Lasting {
        *self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Starts a lasting fault; one-shot faults return the action for every connection.
    pub fn apply(&self, fault: Fault, now: Instant) -> Option<Control> {
        let mut lasting = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        match fault {
            Fault::Drop => return Some(Control::Drop),
            Fault::Reconnect => return Some(Control::Reconnect),
            Fault::Garbage => return Some(Control::Garbage),
            Fault::Ping => return Some(Control::Ping),
            Fault::IgnorePing(d) => lasting.ignore_ping_until = Some(now + d),
            Fault::Silence(d) => lasting.silent_until = Some(now + d),
            Fault::Refuse(d) => lasting.refuse_until = Some(now + d),
            Fault::Delay(by, d) => lasting.delay = Some((by, now + d)),
            Fault::EventSubSilence(d) => lasting.eventsub_silent_until = Some(now + d),
            // EventSub's one-shot faults act on its sockets and subscriptions, not on chat.
            Fault::EventSubReconnect | Fault::EventSubClose(_) | Fault::EventSubRevoke => {}
        }
        None
    }

    pub fn silent_eventsub(&self, now: Instant) -> bool {
        active(self.lasting().eventsub_silent_until, now)
    }

    pub fn silent(&self, now: Instant) -> bool {
        active(self.lasting().silent_until, now)
    }

    pub fn ignoring_pings(&self, now: Instant) -> bool {
        active(self.lasting().ignore_ping_until, now)
    }

    pub fn refusing(&self, now: Instant) -> bool {
        active(self.lasting().refuse_until, now)
    }

    /// How late lines are delivered now.
    pub fn delay(&self, now: Instant) -> Duration {
        match self.lasting().delay {
            Some((by, until)) if until > now => by,
            _ => Duration::ZERO,
        }
    }
}

/// What the garbage fault sends in one frame: lines a client must survive, ending with half a
/// line (no CR LF).
pub fn garbage() -> String {
    [
        "@@@ :: ::",
        ": PRIVMSG #nowhere :no source",
        "",
        "\u{1}\u{7}\u{1b}[31m not irc at all \u{202e}",
        &format!(":tmi.twitch.tv NOTICE * :{}", "x".repeat(20_000)),
        "123456 too many digits",
        "@badge-info=;badges=;color=#FF0000;display-name=Half",
    ]
    .join("\r\n")
}
