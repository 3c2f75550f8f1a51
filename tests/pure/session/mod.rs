//! The chat session in virtual time: lines, commands and instants go into the sans-IO
//! [`Session`]; what it writes, opens, closes and tells the app comes out. No sockets, no
//! sleeping: an hour of reconnects takes microseconds, and every deadline is exact.

mod connection;
mod joins;
mod sending;

use std::collections::HashMap;
use std::time::{Duration, Instant};

use ttvchat::net::backoff::BackoffPolicy;
use ttvchat::net::chat::{ChatConfig, ChatEvent, Credentials};
use ttvchat::net::outbox::{MessageId, OutgoingMessage, Queued};
use ttvchat::net::session::{Command, LinkId, Output, Session};
use ttvchat::twitch::Login;
use ttvchat::twitch::outgoing::Token;

pub fn login(name: &str) -> Login {
    Login::parse(name).unwrap()
}

pub fn user() -> Credentials {
    Credentials::User {
        login: login("me"),
        token: Token::new("sekrit0token"),
    }
}

/// Twitch's own limits and timings, joining `channels`.
pub fn config(channels: &[&str]) -> ChatConfig {
    ChatConfig {
        channels: channels.iter().map(|c| login(c)).collect(),
        backoff: BackoffPolicy {
            initial: Duration::from_secs(1),
            max: Duration::from_secs(60),
            stable_after: Duration::from_secs(60),
        },
        ..ChatConfig::new("wss://irc-ws.chat.twitch.tv:443", user())
    }
}

pub fn secs(s: u64) -> Duration {
    Duration::from_secs(s)
}

/// A session, the clock, and everything it did, link by link.
pub struct Harness {
    pub session: Session,
    pub t0: Instant,
    pub now: Instant,
    /// Sockets asked for and not yet opened or failed.
    pub opening: Vec<LinkId>,
    pub open: Vec<LinkId>,
    pub closed: Vec<LinkId>,
    /// Lines written per link, oldest first, not yet taken.
    pub written: HashMap<LinkId, Vec<String>>,
    /// Every line written, with when and where.
    pub log: Vec<(Duration, LinkId, String)>,
    pub events: Vec<ChatEvent>,
    next_id: u64,
}

impl Harness {
    pub fn new(config: ChatConfig) -> Harness {
        let t0 = Instant::now();
        let mut harness = Harness {
            session: Session::new(config),
            t0,
            now: t0,
            opening: Vec::new(),
            open: Vec::new(),
            closed: Vec::new(),
            written: HashMap::new(),
            log: Vec::new(),
            events: Vec::new(),
            next_id: 1,
        };
        harness.drain();
        harness
    }

    pub fn drain(&mut self) {
        while let Some(output) = self.session.poll() {
            match output {
                Output::Open(link) => self.opening.push(link),
                Output::Write(link, command) => {
                    assert!(
                        self.open.contains(&link),
                        "wrote on a link not open: {command}"
                    );
                    let line = command.to_string();
                    self.log.push((self.now - self.t0, link, line.clone()));
                    self.written.entry(link).or_default().push(line);
                }
                Output::Close(link) => {
                    self.opening.retain(|l| *l != link);
                    self.open.retain(|l| *l != link);
                    self.closed.push(link);
                }
                Output::Event(event) => self.events.push(event),
            }
        }
    }

    /// Moves the clock on by `by`, waking the session at each of its deadlines on the way.
    pub fn advance(&mut self, by: Duration) {
        let until = self.now + by;
        while let Some(due) = self.session.deadline().filter(|d| *d <= until) {
            self.now = self.now.max(due);
            self.session.tick(self.now);
            self.drain();
        }
        self.now = until;
    }

    /// Opens the socket the session asked for first.
    pub fn open_socket(&mut self) -> LinkId {
        assert!(!self.opening.is_empty(), "the session asked for no socket");
        let link = self.opening.remove(0);
        self.open.push(link);
        self.session.opened(link, self.now);
        self.drain();
        link
    }

    pub fn fail_socket(&mut self, error: &str) {
        assert!(!self.opening.is_empty(), "the session asked for no socket");
        let link = self.opening.remove(0);
        self.session.open_failed(link, error.to_owned(), self.now);
        self.drain();
    }

    /// The server sends `text` (lines separated by CRLF) on `link`.
    pub fn server(&mut self, link: LinkId, text: &str) {
        self.session.received(link, text, self.now);
        self.drain();
    }

    /// The server ends the socket.
    pub fn drop_socket(&mut self, link: LinkId) {
        self.open.retain(|l| *l != link);
        let reason = ttvchat::net::chat::DisconnectReason::Closed;
        self.session.closed(link, reason, self.now);
        self.drain();
    }

    /// Opens the asked-for socket and completes a login as `me` the way Twitch does.
    pub fn log_in(&mut self) -> LinkId {
        let link = self.open_socket();
        self.server(
            link,
            ":tmi.twitch.tv 001 me :Welcome, GLHF!\r\n:tmi.twitch.tv 376 me :>\r\n@badge-info=;badges=;color=;display-name=Me;emote-sets=0;user-id=1;user-type= :tmi.twitch.tv GLOBALUSERSTATE",
        );
        link
    }

    /// Answers what was written on `link` so far as Twitch does: each channel of a JOIN with
    /// our JOIN, a PING with its PONG.
    pub fn serve(&mut self, link: LinkId) {
        let nick = "me";
        for line in self.take(link) {
            if let Some(targets) = line.strip_prefix("JOIN ") {
                for channel in targets.split(',') {
                    let answer = format!(":{nick}!{nick}@{nick}.tmi.twitch.tv JOIN {channel}");
                    self.server(link, &answer);
                }
            } else if let Some(argument) = line.strip_prefix("PING ") {
                let answer = format!(":tmi.twitch.tv PONG tmi.twitch.tv :{argument}");
                self.server(link, &answer);
            }
        }
    }

    /// Lines written on `link` since last taken.
    pub fn take(&mut self, link: LinkId) -> Vec<String> {
        self.written.remove(&link).unwrap_or_default()
    }

    pub fn take_events(&mut self) -> Vec<ChatEvent> {
        std::mem::take(&mut self.events)
    }

    pub fn command(&mut self, command: Command) {
        self.session.command(command, self.now);
        self.drain();
    }

    /// Queues a chat message; returns its id.
    pub fn send(&mut self, channel: &str, text: &str) -> MessageId {
        let id = MessageId(self.next_id);
        self.next_id += 1;
        let message = OutgoingMessage {
            channel: login(channel),
            text: text.to_owned(),
            action: false,
            reply_to: None,
        };
        self.command(Command::Send(Queued { id, message }));
        id
    }
}
