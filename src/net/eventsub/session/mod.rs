//! The EventSub session as a pure state machine, the same shape as the chat session: fed what
//! the sockets did, the answers to subscription requests, the app's commands and the time; it
//! hands back sockets to open and close, subscriptions to request and delete, events for the
//! app, and when it next needs waking.
//!
//! It keeps the subscriptions the app's channels and roles want and places them on up to
//! `max_sockets` connections of `per_socket` each (Twitch's limits), the most needed feeds
//! first; what does not fit is named. After a welcome it requests the socket's subscriptions
//! at once (Twitch closes an unused socket after the welcome's keepalive time). A
//! `session_reconnect` opens the given URL and keeps the old socket until the new welcome; the
//! subscriptions move along. A lost socket reconnects with backoff and subscribes again.
//! Notifications are passed on once per `message_id`.

use std::collections::{HashSet, VecDeque};
use std::time::{Duration, Instant};

mod plan;

use super::socket::{Phase, Socket};
use crate::net::backoff::BackoffPolicy;
use crate::net::session::LinkId;
use crate::twitch::Login;
use crate::twitch::eventsub::{
    Condition, Feed, FeedEvent, Frame, SocketEnd, SubscribeError, Unavailable,
};

/// Twitch's WebSocket address for EventSub.
pub const EVENTSUB_URL: &str = "wss://eventsub.wss.twitch.tv/ws";

#[derive(Debug, Clone)]
pub struct EventSubConfig {
    pub url: String,
    /// The logged-in user: the moderator, chatter or whisper recipient in every condition.
    pub user_id: String,
    /// The token's scopes.
    pub scopes: Vec<String>,
    /// Silence past the keepalive time plus this closes the socket.
    pub keepalive_grace: Duration,
    /// An opened socket that sends no welcome this soon is given up.
    pub welcome_within: Duration,
    pub backoff: BackoffPolicy,
    /// Enabled subscriptions per socket (Twitch: 300).
    pub per_socket: usize,
    /// Sockets with subscriptions per account (Twitch: 3).
    pub max_sockets: usize,
    /// A subscription request that could not reach Helix is tried again after this.
    pub retry_after: Duration,
    /// How many recent notification ids are remembered to drop repeats.
    pub dedupe: usize,
}

impl EventSubConfig {
    pub fn new(url: impl Into<String>, user_id: impl Into<String>, scopes: Vec<String>) -> Self {
        EventSubConfig {
            url: url.into(),
            user_id: user_id.into(),
            scopes,
            keepalive_grace: Duration::from_secs(5),
            welcome_within: Duration::from_secs(10),
            backoff: BackoffPolicy::default(),
            per_socket: 300,
            max_sockets: 3,
            retry_after: Duration::from_secs(5),
            dedupe: 4096,
        }
    }
}

/// A subscription request, so its answer finds its subscription.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RequestId(pub u64);

#[derive(Debug, Clone, PartialEq)]
pub enum Output {
    /// Open a WebSocket to this URL; report with `opened`, `open_failed`, `received`, `closed`.
    Open(LinkId, String),
    Close(LinkId),
    /// `POST /eventsub/subscriptions`; answer with [`Session::subscribed`].
    Subscribe {
        request: RequestId,
        session_id: String,
        feed: Feed,
        condition: Condition,
    },
    /// `DELETE /eventsub/subscriptions?id=`.
    Unsubscribe(String),
    Event(FeedEvent),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// Follow a channel's feeds as a moderator (or the broadcaster) or as a chatter; again when
    /// the role changes.
    Watch {
        channel: Login,
        broadcaster_id: String,
        moderator: bool,
    },
    Unwatch(Login),
}

#[derive(Debug, Clone, PartialEq)]
enum State {
    /// Waits for its socket's welcome (or for room on a socket).
    Waiting,
    Requested(RequestId),
    /// Running; the id is unknown when Twitch said it existed already.
    Active(Option<String>),
}

#[derive(Debug)]
struct Sub {
    feed: Feed,
    channel: Option<Login>,
    condition: Condition,
    socket: Option<usize>,
    state: State,
}

pub struct Session {
    config: EventSubConfig,
    subs: Vec<Sub>,
    sockets: Vec<Socket>,
    next_link: u64,
    next_request: u64,
    seen: HashSet<String>,
    seen_order: VecDeque<String>,
    /// The feeds are live as far as the app was told.
    live: bool,
    retry_at: Option<Instant>,
    /// Requests whose subscription is no longer wanted: a success is deleted at once.
    abandoned: HashSet<RequestId>,
    out: VecDeque<Output>,
}

impl Session {
    /// A session for the account's feeds (whispers); channels come with [`Command::Watch`].
    pub fn new(config: EventSubConfig, now: Instant) -> Session {
        let mut session = Session {
            subs: Vec::new(),
            sockets: Vec::new(),
            next_link: 0,
            next_request: 0,
            seen: HashSet::new(),
            seen_order: VecDeque::new(),
            live: false,
            retry_at: None,
            abandoned: HashSet::new(),
            out: VecDeque::new(),
            config,
        };
        let user_id = session.config.user_id.clone();
        session.want(None, [Feed::Whisper].into_iter(), &user_id);
        session.place(now);
        session
    }

    pub fn poll(&mut self) -> Option<Output> {
        self.out.pop_front()
    }

    pub fn deadline(&self) -> Option<Instant> {
        let (within, grace) = (self.config.welcome_within, self.config.keepalive_grace);
        self.sockets
            .iter()
            .filter_map(|s| s.deadline(within, grace))
            .chain(self.retry_at)
            .min()
    }

    /// How many subscriptions are running, and how many are wanted in all.
    pub fn counts(&self) -> (usize, usize) {
        let active = self
            .subs
            .iter()
            .filter(|s| matches!(s.state, State::Active(_)))
            .count();
        (active, self.subs.len())
    }

    pub fn command(&mut self, command: Command, now: Instant) {
        match command {
            Command::Watch {
                channel,
                broadcaster_id,
                moderator,
            } => {
                let feeds: Vec<Feed> = Feed::for_channel(moderator).collect();
                self.drop_where(|s| {
                    s.channel.as_ref() == Some(&channel) && !feeds.contains(&s.feed)
                });
                let (usable, missing): (Vec<Feed>, Vec<Feed>) = feeds
                    .into_iter()
                    .partition(|f| f.missing_scope(&self.config.scopes).is_none());
                self.tell_missing(Some(&channel), &missing);
                self.want(Some(channel), usable.into_iter(), &broadcaster_id);
            }
            Command::Unwatch(channel) => {
                self.drop_where(|s| s.channel.as_ref() == Some(&channel));
            }
        }
        self.place(now);
    }

    pub fn opened(&mut self, link: LinkId, now: Instant) {
        // The socket is open; Twitch speaks first. The welcome clock runs from now.
        if let Some(socket) = self.sockets.iter_mut().find(|s| s.link() == Some(link))
            && let Phase::Opening { since, .. } = &mut socket.phase
        {
            *since = now;
        }
    }

    pub fn open_failed(&mut self, link: LinkId, error: String, now: Instant) {
        self.closed(link, SocketEnd::Unreachable(error), now);
    }

    pub fn closed(&mut self, link: LinkId, end: SocketEnd, now: Instant) {
        let Some(index) = self.sockets.iter().position(|s| s.owns(link)) else {
            return;
        };
        let socket = &mut self.sockets[index];
        if socket.handover.is_some_and(|(l, _)| l == link) {
            // The new link failed: the old socket carries on until it closes.
            socket.handover = None;
            return;
        }
        if let Some((next, since)) = socket.handover.take() {
            // The old socket went before the new welcome: the new link takes over, and its
            // welcome brings the subscriptions along.
            socket.phase = Phase::Opening { link: next, since };
            socket.carried = true;
            return;
        }
        self.lost(index, end, now);
    }

    pub fn received(&mut self, link: LinkId, text: &str, now: Instant) {
        let Some(index) = self.sockets.iter().position(|s| s.owns(link)) else {
            return;
        };
        let frame = match Frame::parse(text) {
            Ok(frame) => frame,
            Err(error) => {
                tracing::debug!(target: "ttvchat::eventsub", "unreadable frame: {error}");
                return;
            }
        };
        self.sockets[index].heard(link, now);
        match frame {
            Frame::Welcome(info) => self.welcome(index, link, info, now),
            Frame::Keepalive { .. } => {}
            Frame::Notification(notification) => {
                if self.first_time(&notification.message_id) {
                    self.out
                        .push_back(Output::Event(FeedEvent::Notification(notification)));
                }
            }
            Frame::Reconnect(info) => {
                let socket = &mut self.sockets[index];
                if socket.handover.is_none()
                    && socket.link() == Some(link)
                    && let Some(url) = info.reconnect_url
                {
                    let next = LinkId(self.next_link);
                    self.next_link += 1;
                    self.sockets[index].handover = Some((next, now));
                    self.out.push_back(Output::Open(next, url));
                }
            }
            Frame::Revocation {
                message_id,
                subscription,
            } => {
                if !self.first_time(&message_id) {
                    return;
                }
                let gone = self.subs.iter().position(|s| {
                    s.state == State::Active(Some(subscription.id.clone()))
                        || (s.feed.kind() == subscription.kind
                            && s.condition == subscription.condition)
                });
                if let Some(i) = gone {
                    let sub = self.subs.remove(i);
                    self.out.push_back(Output::Event(FeedEvent::Unavailable {
                        channel: sub.channel,
                        feeds: vec![sub.feed],
                        reason: Unavailable::Revoked(subscription.status),
                    }));
                    self.place(now);
                }
            }
        }
    }

    /// The answer to a subscription request.
    pub fn subscribed(
        &mut self,
        request: RequestId,
        result: Result<String, SubscribeError>,
        now: Instant,
    ) {
        let Some(i) = self
            .subs
            .iter()
            .position(|s| s.state == State::Requested(request))
        else {
            if self.abandoned.remove(&request)
                && let Ok(id) = result
            {
                self.out.push_back(Output::Unsubscribe(id));
            }
            return;
        };
        let reason = match result {
            Ok(id) => {
                self.subs[i].state = State::Active(Some(id));
                return self.tell_live();
            }
            Err(SubscribeError::AlreadyExists) => {
                self.subs[i].state = State::Active(None);
                return self.tell_live();
            }
            Err(SubscribeError::SessionGone) => {
                self.subs[i].state = State::Waiting;
                return;
            }
            Err(SubscribeError::Network(_)) => {
                self.subs[i].state = State::Waiting;
                self.retry_at.get_or_insert(now + self.config.retry_after);
                return;
            }
            Err(SubscribeError::MissingScope(scope)) => Unavailable::MissingScope(scope),
            Err(SubscribeError::NotAllowed) => Unavailable::NotAllowed,
            Err(SubscribeError::Limit(message)) => Unavailable::Refused {
                status: 429,
                message,
            },
            Err(SubscribeError::Refused { status, message }) => {
                Unavailable::Refused { status, message }
            }
        };
        let sub = self.subs.remove(i);
        self.out.push_back(Output::Event(FeedEvent::Unavailable {
            channel: sub.channel,
            feeds: vec![sub.feed],
            reason,
        }));
        self.place(now);
    }

    pub fn tick(&mut self, now: Instant) {
        if self.retry_at.is_some_and(|t| t <= now) {
            self.retry_at = None;
            for index in 0..self.sockets.len() {
                self.request_waiting(index);
            }
        }
        let (within, grace) = (self.config.welcome_within, self.config.keepalive_grace);
        for index in 0..self.sockets.len() {
            let socket = &mut self.sockets[index];
            if let Some((link, since)) = socket.handover
                && since + within <= now
            {
                socket.handover = None;
                self.out.push_back(Output::Close(link));
            }
            match self.sockets[index].phase {
                Phase::Waiting(at) if at <= now => self.open(index, now),
                Phase::Opening { link, since } if since + within <= now => {
                    self.out.push_back(Output::Close(link));
                    self.lost(index, SocketEnd::NoWelcome, now);
                }
                Phase::Welcomed {
                    link,
                    keepalive,
                    heard,
                    ..
                } if heard + keepalive + grace <= now => {
                    self.out.push_back(Output::Close(link));
                    self.lost(index, SocketEnd::Silent(keepalive + grace), now);
                }
                _ => {}
            }
        }
    }

    fn welcome(
        &mut self,
        index: usize,
        link: LinkId,
        info: crate::twitch::eventsub::SessionInfo,
        now: Instant,
    ) {
        let keepalive = Duration::from_secs(info.keepalive_timeout_seconds.unwrap_or(10));
        let socket = &mut self.sockets[index];
        let handed_over = socket.handover.is_some_and(|(l, _)| l == link);
        if handed_over {
            if let Some(old) = socket.link() {
                self.out.push_back(Output::Close(old));
            }
            socket.handover = None;
        } else if socket.link() != Some(link) {
            return;
        }
        let carried = handed_over || std::mem::take(&mut socket.carried);
        socket.phase = Phase::Welcomed {
            link,
            session_id: info.id,
            keepalive,
            heard: now,
            since: now,
        };
        if !carried {
            self.request_waiting(index);
        }
        self.tell_live();
    }

    /// Asks for every subscription placed on socket `index` that waits, if it is welcomed.
    fn request_waiting(&mut self, index: usize) {
        let Some(session_id) = self.sockets[index].session_id().map(str::to_owned) else {
            return;
        };
        for sub in &mut self.subs {
            if sub.socket == Some(index) && sub.state == State::Waiting {
                let request = RequestId(self.next_request);
                self.next_request += 1;
                sub.state = State::Requested(request);
                self.out.push_back(Output::Subscribe {
                    request,
                    session_id: session_id.clone(),
                    feed: sub.feed,
                    condition: sub.condition.clone(),
                });
            }
        }
    }

    /// Socket `index` is gone: its subscriptions wait for the next one.
    fn lost(&mut self, index: usize, end: SocketEnd, now: Instant) {
        let socket = &mut self.sockets[index];
        let lasted = match socket.phase {
            Phase::Welcomed { since, .. } => now.saturating_duration_since(since),
            _ => Duration::ZERO,
        };
        socket.backoff.session_ended(lasted);
        socket.carried = false;
        let retry_in = socket.backoff.next_delay();
        socket.phase = Phase::Waiting(now + retry_in);
        for sub in &mut self.subs {
            if sub.socket == Some(index) {
                sub.state = State::Waiting;
            }
        }
        if std::mem::take(&mut self.live) || index == 0 {
            self.out.push_back(Output::Event(FeedEvent::Disconnected {
                reason: end,
                retry_in,
            }));
        }
    }

    fn open(&mut self, index: usize, now: Instant) {
        let link = LinkId(self.next_link);
        self.next_link += 1;
        self.sockets[index].phase = Phase::Opening { link, since: now };
        self.out
            .push_back(Output::Open(link, self.config.url.clone()));
    }

    fn tell_live(&mut self) {
        let running = self
            .subs
            .iter()
            .any(|s| matches!(s.state, State::Active(_)));
        if running && !self.live {
            self.live = true;
            self.out.push_back(Output::Event(FeedEvent::Connected));
        }
    }

    fn first_time(&mut self, message_id: &str) -> bool {
        if !self.seen.insert(message_id.to_owned()) {
            return false;
        }
        self.seen_order.push_back(message_id.to_owned());
        if self.seen_order.len() > self.config.dedupe
            && let Some(old) = self.seen_order.pop_front()
        {
            self.seen.remove(&old);
        }
        true
    }
}
