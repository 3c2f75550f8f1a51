//! Shared helpers for loopback tests: a small, quiet test scenario, fast timings for the
//! simulator and the chat actor, and waiting for events instead of sleeping.

use std::time::Duration;

use tokio::sync::mpsc;
use ttvchat::net::backoff::BackoffPolicy;
use ttvchat::net::chat::{ChatConfig, ChatEvent, ChatHandle, Credentials, MessageId, SendStatus};
use ttvchat::net::helix::{Helix, HelixBuilder};
use ttvchat::net::ratelimit::RateLimits;
use ttvchat::sim::{DemoAccount, Limits, SIM_CLIENT_ID, Scenario, Sim, SimConfig, SimHandle};
use ttvchat::twitch::Login;
use ttvchat::twitch::message::ServerMessage;
use ttvchat::twitch::outgoing::Token;
use ttvchat::twitch::privmsg::Privmsg;

pub const SCENARIO: &str = r#"
seed = 1

[[account]]
login = "streamer"
role = "broadcaster"
token = "streamertoken000000000000000000"
scopes = ["chat:read", "chat:edit", "moderator:manage:banned_users", "moderator:manage:chat_messages",
          "moderator:manage:chat_settings", "moderator:manage:announcements", "channel:manage:moderators",
          "channel:manage:vips", "channel:manage:raids", "moderator:read:chatters", "moderator:read:followers",
          "moderator:manage:shield_mode", "moderator:manage:warnings", "user:manage:whispers",
          "user:manage:chat_color", "moderator:manage:blocked_terms", "moderator:manage:unban_requests"]

[[account]]
login = "mod_user"
role = "moderator"
token = "modtoken00000000000000000000000"
scopes = ["chat:read", "chat:edit", "moderator:manage:banned_users", "moderator:manage:chat_messages",
          "moderator:read:chat_settings", "moderator:manage:automod", "user:read:whispers",
          "moderator:manage:suspicious_users", "moderator:read:suspicious_users",
          "moderator:read:unban_requests"]

[[account]]
login = "viewer"
role = "viewer"
token = "viewertoken0000000000000000000"
scopes = ["chat:read", "chat:edit", "user:read:chat"]

[[channel]]
name = "streamer"
moderators = ["mod_user"]
chatters = 120
followers = { viewer = "30 days" }

[[channel]]
name = "alpha"
chatters = 10

[[channel]]
name = "beta"
chatters = 10

[[channel]]
name = "gamma"
chatters = 10

[[channel]]
name = "delta"
live = false
title = "Back tomorrow"
category = "Just Chatting"
chatters = 10

[[channel]]
name = "chatty"
chat_rate = 300.0
chatters = 50

[[channel]]
name = "subsroom"
subs_only = true
chatters = 5

[[channel]]
name = "slowroom"
slow = 1
chatters = 5
"#;

/// The simulator's limits, scaled down as the client's are in [`limits`]: Twitch's proportions
/// over a 300 ms window.
pub fn sim_limits() -> Limits {
    Limits {
        message_window: WINDOW,
        viewer_messages: 10,
        privileged_messages: 40,
        join_window: WINDOW,
        joins: 3,
        verified_bot_joins: 2000,
    }
}

/// The rate-limit window of the tests (Twitch's are 30 s for messages, 10 s for JOINs).
pub const WINDOW: Duration = Duration::from_millis(300);

/// Limits scaled down so rate-limit tests over real sockets take well under a second.
pub fn limits() -> RateLimits {
    RateLimits {
        message_window: WINDOW,
        viewer_messages: 10,
        privileged_messages: 40,
        join_window: WINDOW,
        joins: 3,
        margin: Duration::ZERO,
    }
}

pub async fn start_sim() -> SimHandle {
    start_sim_with(|_| {}).await
}

/// The test simulator, with `adjust` applied to its configuration.
pub async fn start_sim_with(adjust: impl FnOnce(&mut SimConfig)) -> SimHandle {
    let mut config = SimConfig {
        scenario: Scenario::parse(SCENARIO, "test").unwrap(),
        limits: sim_limits(),
        ping_every: Duration::from_secs(3600),
        pong_within: Duration::from_secs(5),
        reconnect_grace: Duration::from_millis(500),
        ..SimConfig::default()
    };
    adjust(&mut config);
    Sim::start(config).await.expect("simulator starts")
}

pub fn login(name: &str) -> Login {
    Login::parse(name).unwrap()
}

/// A scenario account, with its tokens.
pub fn sim_account(sim: &SimHandle, login: &str) -> DemoAccount {
    sim.accounts()
        .iter()
        .find(|a| a.login == login)
        .expect("a test account")
        .clone()
}

/// A Helix client with the token of `account`.
pub fn helix_for(sim: &SimHandle, account: &str) -> Helix {
    helix_builder(sim, account).build().unwrap()
}

/// A Helix client with the token of `account`, to be configured.
pub fn helix_builder(sim: &SimHandle, account: &str) -> HelixBuilder {
    Helix::builder(
        sim.helix_url(),
        SIM_CLIENT_ID,
        Token::new(sim.token(account).unwrap()),
    )
}

pub fn user(sim: &SimHandle, login: &str) -> Credentials {
    Credentials::User {
        login: Login::parse(login).unwrap(),
        token: Token::new(sim.token(login).expect("a test account")),
    }
}

pub fn chat_config(sim: &SimHandle, credentials: Credentials, channels: &[&str]) -> ChatConfig {
    ChatConfig {
        channels: channels.iter().map(|c| Login::parse(c).unwrap()).collect(),
        ..fast_config(sim.irc_url(), credentials)
    }
}

/// Fast timings and the test's limits for a chat connection to `url`.
pub fn fast_config(url: String, credentials: Credentials) -> ChatConfig {
    ChatConfig {
        limits: RateLimits {
            margin: Duration::from_millis(60),
            ..limits()
        },
        backoff: BackoffPolicy {
            initial: Duration::from_millis(100),
            max: Duration::from_millis(800),
            stable_after: Duration::from_secs(5),
        },
        connect_timeout: Duration::from_secs(2),
        login_timeout: Duration::from_secs(2),
        ping_after_idle: Duration::from_millis(400),
        pong_timeout: Duration::from_millis(400),
        join_timeout: Duration::from_secs(2),
        ..ChatConfig::new(url, credentials)
    }
}

/// The actor's events, remembered, with waiting by predicate.
pub struct Events {
    rx: mpsc::Receiver<ChatEvent>,
    pub seen: Vec<ChatEvent>,
}

impl Events {
    pub fn new(rx: mpsc::Receiver<ChatEvent>) -> Self {
        Events {
            rx,
            seen: Vec::new(),
        }
    }

    /// Waits for an event `matches` accepts; panics with what was seen on timeout.
    pub async fn until(
        &mut self,
        timeout: Duration,
        mut matches: impl FnMut(&ChatEvent) -> bool,
    ) -> ChatEvent {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            match tokio::time::timeout_at(deadline, self.rx.recv()).await {
                Ok(Some(event)) => {
                    self.seen.push(event.clone());
                    if matches(&event) {
                        return event;
                    }
                }
                Ok(None) => panic!("the actor stopped; seen: {:#?}", self.tail()),
                Err(_) => panic!("timed out; last events: {:#?}", self.tail()),
            }
        }
    }

    /// Like `until`, but an event already seen counts too.
    pub async fn seen_or_until(
        &mut self,
        timeout: Duration,
        mut matches: impl FnMut(&ChatEvent) -> bool,
    ) -> ChatEvent {
        if let Some(event) = self.seen.iter().find(|e| matches(e)) {
            return event.clone();
        }
        self.until(timeout, matches).await
    }

    /// Waits for news of a sent message whose status `matches` accepts.
    pub async fn outgoing(
        &mut self,
        matches: impl Fn(&SendStatus) -> bool,
    ) -> (MessageId, SendStatus) {
        let event = self
            .until(
                WAIT,
                |e| matches!(e, ChatEvent::Outgoing { status, .. } if matches(status)),
            )
            .await;
        match event {
            ChatEvent::Outgoing { id, status } => (id, status),
            _ => unreachable!("until returns what matched"),
        }
    }

    /// Waits for a chat message `matches` accepts.
    pub async fn privmsg(&mut self, matches: impl Fn(&Privmsg) -> bool) -> Privmsg {
        let event = self.until(WAIT, |e| privmsg(e).is_some_and(&matches)).await;
        privmsg(&event).cloned().expect("a PRIVMSG")
    }

    /// Collects events for `period` (for asserting that something does not happen).
    pub async fn during(&mut self, period: Duration) -> Vec<ChatEvent> {
        let deadline = tokio::time::Instant::now() + period;
        let mut got = Vec::new();
        while let Ok(Some(event)) = tokio::time::timeout_at(deadline, self.rx.recv()).await {
            self.seen.push(event.clone());
            got.push(event);
        }
        got
    }

    fn tail(&self) -> Vec<String> {
        self.seen
            .iter()
            .rev()
            .filter(|e| !matches!(e, ChatEvent::Message(_)))
            .take(15)
            .map(|e| format!("{e:?}").chars().take(300).collect())
            .collect()
    }
}

pub fn spawn(config: ChatConfig) -> (ChatHandle, Events) {
    let (handle, rx) = ChatHandle::spawn(config);
    (handle, Events::new(rx))
}

pub fn privmsg(e: &ChatEvent) -> Option<&Privmsg> {
    match e {
        ChatEvent::Message(m) => match &**m {
            ServerMessage::Privmsg(p) => Some(p),
            _ => None,
        },
        _ => None,
    }
}

pub fn is_connected(e: &ChatEvent) -> bool {
    matches!(e, ChatEvent::Connected { .. })
}

pub fn is_joined(e: &ChatEvent, channel: &str) -> bool {
    matches!(e, ChatEvent::Joined { channel: c } if c.as_str() == channel)
}

pub const WAIT: Duration = Duration::from_secs(10);
