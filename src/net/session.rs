//! One chat connection from login to its end: capability request and login, then a loop over
//! incoming frames, the app's commands and timers (login deadline, keepalive, join answers,
//! rate-limit waits). After every step it reconciles: PART what is no longer wanted, JOIN what
//! is (within the JOIN limit), and send every queued message the limiter allows.

use std::collections::{HashMap, HashSet};
use std::time::Duration;

use futures_util::stream::{SplitSink, SplitStream};
use futures_util::{SinkExt, StreamExt};
use tokio::time::{Instant, sleep_until};
use tokio_tungstenite::tungstenite::Message;

use super::chat::{
    Actor, ChatEvent, Credentials, DisconnectReason, DropReason, End, Gone, SendStatus,
};
use super::outbox::MessageId;
use super::transport::{MAX_LINE, Ws};
use crate::twitch::irc::IrcMessage;
use crate::twitch::message::ServerMessage;
use crate::twitch::outgoing::{ClientCommand, Token};
use crate::twitch::room::GlobalUserState;
use crate::twitch::{Login, ParseError};

const CAPABILITIES: [&str; 3] = [
    "twitch.tv/tags",
    "twitch.tv/commands",
    "twitch.tv/membership",
];
/// After the welcome, how long to wait for GLOBALUSERSTATE before calling the login done.
const GLOBAL_STATE_WAIT: Duration = Duration::from_secs(2);
/// NOTICE ids that mean a JOIN failed for good.
const JOIN_FAILURES: [&str; 3] = ["msg_channel_suspended", "msg_room_not_found", "tos_ban"];

type Sink = SplitSink<Ws, Message>;

struct Session {
    nick: Login,
    anonymous: bool,
    started: Instant,
    /// When login completed.
    connected_at: Option<Instant>,
    /// The welcome ended; waiting for GLOBALUSERSTATE until then.
    welcome_done_at: Option<Instant>,
    last_heard: Instant,
    ping_sent: Option<Instant>,
    ping_seq: u64,
    joined: HashSet<Login>,
    /// JOINs sent and not yet answered, with their deadline.
    joining: HashMap<Login, Instant>,
    next_join_at: Option<Instant>,
    next_send_at: Option<Instant>,
    throttle_reported: HashSet<MessageId>,
}

/// How a session step ends the session, or the app left.
enum Stop {
    End(End),
    Gone,
}

impl From<Gone> for Stop {
    fn from(_: Gone) -> Self {
        Stop::Gone
    }
}

fn lost(reason: DisconnectReason) -> Stop {
    Stop::End(End::Lost(reason))
}

async fn write(sink: &mut Sink, command: &ClientCommand) -> Result<(), Stop> {
    tracing::trace!(target: "ttvchat::irc::raw", "> {}", command.redacted());
    sink.send(Message::text(command.to_string()))
        .await
        .map_err(|e| lost(DisconnectReason::Io(e.to_string())))
}

/// Runs a session over a fresh connection. Returns how it ended, and how long it was logged in
/// (`None` if login never completed).
pub(super) async fn run(actor: &mut Actor, ws: Ws) -> (End, Option<Duration>) {
    let (mut sink, mut stream) = ws.split();
    let (nick, pass) = match &actor.config.credentials {
        Credentials::Anonymous => {
            let nick = Login::parse(&format!("justinfan{}", fastrand::u32(10_000..99_999)))
                .expect("justinfan digits make a login");
            (nick, None)
        }
        Credentials::User { login, token } => (login.clone(), Some(token.clone())),
    };
    let now = Instant::now();
    let mut session = Session {
        anonymous: pass.is_none(),
        nick,
        started: now,
        connected_at: None,
        welcome_done_at: None,
        last_heard: now,
        ping_sent: None,
        ping_seq: 0,
        joined: HashSet::new(),
        joining: HashMap::new(),
        next_join_at: None,
        next_send_at: None,
        throttle_reported: HashSet::new(),
    };
    let result = session.drive(actor, &mut sink, &mut stream, pass).await;
    let logged_in_for = session.connected_at.map(|t| t.elapsed());
    let end = match result {
        Ok(never) => match never {},
        Err(Stop::End(end)) => end,
        Err(Stop::Gone) => End::Shutdown,
    };
    if matches!(end, End::Shutdown | End::Relogin) {
        let _ = tokio::time::timeout(Duration::from_secs(1), sink.send(Message::Close(None))).await;
    }
    (end, logged_in_for)
}

/// A session never ends well: it runs until something stops it.
enum Never {}

impl Session {
    async fn drive(
        &mut self,
        actor: &mut Actor,
        sink: &mut Sink,
        stream: &mut SplitStream<Ws>,
        pass: Option<Token>,
    ) -> Result<Never, Stop> {
        let caps = CAPABILITIES.iter().map(|c| (*c).to_owned()).collect();
        write(sink, &ClientCommand::CapReq(caps)).await?;
        if let Some(token) = pass {
            write(sink, &ClientCommand::Pass(token)).await?;
        }
        write(sink, &ClientCommand::Nick(self.nick.clone())).await?;
        loop {
            let deadline = self.next_deadline(actor);
            tokio::select! {
                frame = stream.next() => {
                    self.last_heard = Instant::now();
                    self.ping_sent = None;
                    match frame {
                        Some(Ok(Message::Text(text))) => {
                            for line in text.split("\r\n").filter(|l| !l.is_empty()) {
                                if line.len() > MAX_LINE {
                                    tracing::warn!(target: "ttvchat::chat", "dropped a line of {} bytes (lines are {MAX_LINE} at most)", line.len());
                                    continue;
                                }
                                self.on_line(actor, sink, line).await?;
                            }
                        }
                        Some(Ok(Message::Close(_))) | None => return Err(lost(DisconnectReason::Closed)),
                        Some(Err(e)) => return Err(lost(DisconnectReason::Io(e.to_string()))),
                        Some(Ok(_)) => {}
                    }
                }
                command = actor.commands.recv() => {
                    let command = command.ok_or(Stop::Gone)?;
                    if let Some(credentials) = actor.apply(command).await? {
                        actor.config.credentials = credentials;
                        return Err(Stop::End(End::Relogin));
                    }
                }
                () = sleep_until(deadline) => self.on_timer(actor, sink).await?,
            }
            if self.connected_at.is_some() {
                self.reconcile(actor, sink).await?;
            }
        }
    }

    /// The earliest instant something is due.
    fn next_deadline(&self, actor: &Actor) -> Instant {
        let config = &actor.config;
        let keepalive = match self.ping_sent {
            Some(sent) => sent + config.pong_timeout,
            None => self.last_heard + config.ping_after_idle,
        };
        let login = self
            .connected_at
            .is_none()
            .then_some(self.started + config.login_timeout);
        let global = self
            .welcome_done_at
            .filter(|_| self.connected_at.is_none())
            .map(|t| t + GLOBAL_STATE_WAIT);
        [
            Some(keepalive),
            login,
            global,
            self.joining.values().min().copied(),
            self.next_join_at,
            self.next_send_at,
        ]
        .into_iter()
        .flatten()
        .min()
        .unwrap_or(keepalive)
    }

    async fn on_timer(&mut self, actor: &mut Actor, sink: &mut Sink) -> Result<(), Stop> {
        let now = Instant::now();
        let config = actor.config.clone();
        if self.connected_at.is_none() {
            if self
                .welcome_done_at
                .is_some_and(|t| t + GLOBAL_STATE_WAIT <= now)
            {
                self.connected(actor, None).await?;
            } else if self.started + config.login_timeout <= now {
                return Err(lost(DisconnectReason::LoginTimeout));
            }
        }
        if let Some(sent) = self.ping_sent {
            if sent + config.pong_timeout <= now {
                return Err(lost(DisconnectReason::PingTimeout));
            }
        } else if self.last_heard + config.ping_after_idle <= now {
            self.ping_seq += 1;
            write(
                sink,
                &ClientCommand::Ping(format!("ttvchat-{}", self.ping_seq)),
            )
            .await?;
            self.ping_sent = Some(now);
        }
        let expired: Vec<Login> = self
            .joining
            .iter()
            .filter(|(_, deadline)| **deadline <= now)
            .map(|(c, _)| c.clone())
            .collect();
        for channel in expired {
            self.joining.remove(&channel);
            let reason = "Twitch did not answer the JOIN; trying again".to_owned();
            actor
                .emit(ChatEvent::JoinFailed { channel, reason })
                .await?;
        }
        Ok(())
    }

    async fn connected(
        &mut self,
        actor: &mut Actor,
        global: Option<GlobalUserState>,
    ) -> Result<(), Stop> {
        self.connected_at = Some(Instant::now());
        tracing::info!(target: "ttvchat::chat", "logged in as {}", self.nick);
        actor
            .emit(ChatEvent::Connected {
                login: self.nick.clone(),
                anonymous: self.anonymous,
                global,
            })
            .await?;
        Ok(())
    }

    async fn on_line(
        &mut self,
        actor: &mut Actor,
        sink: &mut Sink,
        line: &str,
    ) -> Result<(), Stop> {
        tracing::trace!(target: "ttvchat::irc::raw", "< {line}");
        let message = match IrcMessage::parse(line) {
            Ok(msg) => ServerMessage::from_irc(&msg),
            Err(error) => return self.unparsed(actor, line, error).await,
        };
        match &message {
            ServerMessage::Ping { argument } => {
                write(
                    sink,
                    &ClientCommand::Pong(argument.as_ref().map(|a| a.to_string())),
                )
                .await?;
            }
            ServerMessage::Other(other)
                if other.command == "376" && self.connected_at.is_none() =>
            {
                if self.anonymous {
                    self.connected(actor, None).await?;
                } else {
                    self.welcome_done_at = Some(Instant::now());
                }
            }
            ServerMessage::GlobalUserState(global) if self.connected_at.is_none() => {
                self.connected(actor, Some(global.clone())).await?;
            }
            ServerMessage::Notice(notice)
                if notice.channel.is_none() && self.connected_at.is_none() =>
            {
                let reason = notice.text.as_deref().unwrap_or("login refused").to_owned();
                actor.emit(ChatEvent::Message(Box::new(message))).await?;
                actor
                    .emit(ChatEvent::AuthFailed {
                        reason: reason.clone(),
                    })
                    .await?;
                return Err(lost(DisconnectReason::AuthFailed(reason)));
            }
            ServerMessage::Cap(cap) if cap.subcommand == "NAK" => {
                tracing::warn!(target: "ttvchat::chat", "capabilities refused: {}", cap.capabilities.join(" "));
            }
            ServerMessage::Join(m) if m.login == self.nick.as_str() => {
                if let Ok(channel) = Login::parse(&m.channel) {
                    self.joining.remove(&channel);
                    if self.joined.insert(channel.clone()) {
                        actor.emit(ChatEvent::Joined { channel }).await?;
                    }
                }
            }
            ServerMessage::UserState(state) => {
                if let Ok(channel) = Login::parse(&state.channel) {
                    let privileged = state.moderator
                        || state.vip
                        || state.badges.iter().any(|b| {
                            matches!(b.name.as_str(), "broadcaster" | "moderator" | "vip")
                        });
                    actor.privileged.insert(channel.clone(), privileged);
                    if let Some(id) = &state.message_id
                        && let Some(queued) = actor.outbox.answered(&channel)
                    {
                        let message_id = Some(id.to_string());
                        actor
                            .outgoing(queued.id, SendStatus::Confirmed { message_id })
                            .await?;
                    }
                }
            }
            ServerMessage::RoomState(room) => {
                if let (Ok(channel), Some(slow)) = (Login::parse(&room.channel), room.slow_s) {
                    actor.slow.insert(channel, Duration::from_secs(slow));
                }
            }
            ServerMessage::Notice(notice) => self.on_notice(actor, notice).await?,
            _ => {}
        }
        let reconnect = matches!(message, ServerMessage::Reconnect);
        actor.emit(ChatEvent::Message(Box::new(message))).await?;
        if reconnect {
            return Err(lost(DisconnectReason::ReconnectRequested));
        }
        Ok(())
    }

    async fn unparsed(&self, actor: &Actor, line: &str, error: ParseError) -> Result<(), Stop> {
        tracing::debug!(target: "ttvchat::chat", "skipping a line that is not IRC ({error})");
        let line = line.to_owned();
        actor.emit(ChatEvent::Unparsed { line, error }).await?;
        Ok(())
    }

    /// A channel NOTICE: the answer to a message in flight, or to a JOIN.
    async fn on_notice(
        &mut self,
        actor: &mut Actor,
        notice: &crate::twitch::room::Notice,
    ) -> Result<(), Stop> {
        let (Some(channel), Some(msg_id)) = (&notice.channel, &notice.msg_id) else {
            return Ok(());
        };
        let Ok(channel) = Login::parse(channel) else {
            return Ok(());
        };
        let text = notice.text.as_deref().unwrap_or_default().to_owned();
        if self.joining.contains_key(&channel) && JOIN_FAILURES.contains(&msg_id.as_str()) {
            self.joining.remove(&channel);
            actor.desired.retain(|c| c != &channel);
            for queued in actor.outbox.drain_channel(&channel) {
                let reason = DropReason::ChannelUnavailable;
                actor
                    .outgoing(queued.id, SendStatus::Dropped { reason })
                    .await?;
            }
            actor
                .emit(ChatEvent::JoinFailed {
                    channel,
                    reason: text,
                })
                .await?;
            return Ok(());
        }
        if msg_id == "msg_ratelimit" {
            let now = Instant::now();
            actor.limiter.back_off(now);
            if let Some(id) = actor.outbox.retry(&channel) {
                let wait = actor.config.limits.message_window;
                actor.outgoing(id, SendStatus::Throttled { wait }).await?;
            }
        } else if msg_id.starts_with("msg_")
            && let Some(queued) = actor.outbox.answered(&channel)
        {
            let status = SendStatus::Rejected {
                msg_id: msg_id.to_string(),
                reason: text,
            };
            actor.outgoing(queued.id, status).await?;
        }
        Ok(())
    }

    /// PART what is no longer wanted, JOIN what is, send what may go out now.
    async fn reconcile(&mut self, actor: &mut Actor, sink: &mut Sink) -> Result<(), Stop> {
        let leaving: Vec<Login> = self
            .joined
            .iter()
            .chain(self.joining.keys())
            .filter(|c| !actor.desired.contains(c))
            .cloned()
            .collect();
        for channel in leaving {
            self.joined.remove(&channel);
            self.joining.remove(&channel);
            write(sink, &ClientCommand::Part(channel.clone())).await?;
            actor.emit(ChatEvent::Parted { channel }).await?;
        }
        self.join_wanted(actor, sink).await?;
        self.send_ready(actor, sink).await
    }

    async fn join_wanted(&mut self, actor: &mut Actor, sink: &mut Sink) -> Result<(), Stop> {
        let now = Instant::now();
        let limit = actor.config.limits.joins;
        let wanted: Vec<Login> = actor
            .desired
            .iter()
            .filter(|c| !self.joined.contains(*c) && !self.joining.contains_key(*c))
            .cloned()
            .collect();
        let room = actor.joins.room(now, limit);
        let batch: Vec<Login> = wanted.iter().take(room).cloned().collect();
        if !batch.is_empty() {
            for channel in &batch {
                actor.joins.record(now);
                self.joining
                    .insert(channel.clone(), now + actor.config.join_timeout);
            }
            write(sink, &ClientCommand::Join(batch.clone())).await?;
        }
        self.next_join_at =
            (wanted.len() > batch.len()).then(|| actor.joins.next_allowed(now, limit));
        Ok(())
    }

    async fn send_ready(&mut self, actor: &mut Actor, sink: &mut Sink) -> Result<(), Stop> {
        loop {
            let now = Instant::now();
            let mut ready = None;
            let mut earliest: Option<Instant> = None;
            let mut waiting = Vec::new();
            let heads: Vec<(usize, MessageId, Login)> = actor
                .outbox
                .heads()
                .into_iter()
                .filter(|(_, q)| self.joined.contains(&q.message.channel))
                .map(|(i, q)| (i, q.id, q.message.channel.clone()))
                .collect();
            for (index, id, channel) in heads {
                let privileged = actor.privileged.get(&channel).copied().unwrap_or(false);
                let slow = actor.slow.get(&channel).copied().unwrap_or_default();
                let at = actor.limiter.ready_at(now, &channel, privileged, slow);
                if at <= now {
                    ready = Some(index);
                    break;
                }
                earliest = Some(earliest.map_or(at, |e| e.min(at)));
                waiting.push((id, at - now));
            }
            let Some(index) = ready else {
                self.next_send_at = earliest;
                for (id, wait) in waiting {
                    if self.throttle_reported.insert(id) {
                        actor.outgoing(id, SendStatus::Throttled { wait }).await?;
                    }
                }
                return Ok(());
            };
            let Some(queued) = actor.outbox.take(index) else {
                return Ok(());
            };
            let message = queued.message;
            let command = ClientCommand::Privmsg {
                channel: message.channel.clone(),
                text: message.text,
                action: message.action,
                reply_to: message.reply_to,
            };
            write(sink, &command).await?;
            actor.limiter.record(now, &message.channel);
            self.throttle_reported.remove(&queued.id);
            actor.outgoing(queued.id, SendStatus::Sent).await?;
        }
    }
}
