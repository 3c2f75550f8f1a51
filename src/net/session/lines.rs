//! What the session does with each line from the server and with the passing of time on one
//! connection: PING and PONG, the welcome and GLOBALUSERSTATE that complete a login, a refused
//! login, JOIN answers and failures, USERSTATE and ROOMSTATE (our role, slow mode), the answers
//! to the messages we sent, and RECONNECT.

use std::time::{Duration, Instant};

use super::conn::{GLOBAL_STATE_WAIT, Phase};
use super::{Output, Session};
use crate::net::transport::MAX_LINE;
use crate::twitch::Login;
use crate::twitch::chat::{ChatEvent, DisconnectReason, DropReason, SendStatus};
use crate::twitch::irc::IrcMessage;
use crate::twitch::message::ServerMessage;
use crate::twitch::outgoing::ClientCommand;
use crate::twitch::room::{GlobalUserState, Notice};

pub(super) const CAPABILITIES: [&str; 3] = [
    "twitch.tv/tags",
    "twitch.tv/commands",
    "twitch.tv/membership",
];
/// NOTICE ids that mean a JOIN failed for good.
const JOIN_FAILURES: [&str; 3] = ["msg_channel_suspended", "msg_room_not_found", "tos_ban"];

/// Whether a further connection passes this on: only what belongs to one of its channels (the
/// first connection brings the rest once).
fn channel_bound(message: &ServerMessage) -> bool {
    match message {
        ServerMessage::Notice(notice) => notice.channel.is_some(),
        ServerMessage::Privmsg(_)
        | ServerMessage::UserNotice(_)
        | ServerMessage::RoomState(_)
        | ServerMessage::ClearChat(_)
        | ServerMessage::ClearMsg(_)
        | ServerMessage::UserState(_)
        | ServerMessage::Join(_)
        | ServerMessage::Part(_)
        | ServerMessage::Names(_)
        | ServerMessage::EndOfNames { .. } => true,
        _ => false,
    }
}

impl Session {
    fn write(&mut self, index: usize, command: ClientCommand) {
        if let Some(link) = self.conns[index].link() {
            self.out.push_back(Output::Write(link, command));
        }
    }

    /// One line on the connection at `index`; an error ends the connection.
    pub(super) fn on_line(
        &mut self,
        index: usize,
        line: &str,
        now: Instant,
    ) -> Result<(), DisconnectReason> {
        if line.len() > MAX_LINE {
            tracing::warn!(target: "ttvchat::chat", "dropped a line of {} bytes (lines are {MAX_LINE} at most)", line.len());
            return Ok(());
        }
        tracing::trace!(target: "ttvchat::irc::raw", "< {line}");
        let message = match IrcMessage::parse(line) {
            Ok(msg) => ServerMessage::from_irc(&msg),
            Err(error) => {
                tracing::debug!(target: "ttvchat::chat", "skipping a line that is not IRC ({error})");
                let line = line.to_owned();
                self.emit(ChatEvent::Unparsed { line, error });
                return Ok(());
            }
        };
        let logged_in = self.conns[index].logged_in();
        let anonymous = self.conns[index].live().is_some_and(|l| l.anonymous);
        let nick = self.conns[index].nick().cloned();
        match &message {
            ServerMessage::Ping { argument } => {
                let pong = ClientCommand::Pong(argument.as_ref().map(|a| a.to_string()));
                self.write(index, pong);
            }
            ServerMessage::Other(other) if other.command == "376" && !logged_in => {
                if anonymous {
                    self.connected(index, None, now);
                } else if let Some(link) = self.conns[index].live_mut() {
                    link.welcome_done_at = Some(now);
                }
            }
            ServerMessage::GlobalUserState(global) if !logged_in => {
                self.connected(index, Some(global.clone()), now);
            }
            ServerMessage::Notice(notice) if notice.channel.is_none() && !logged_in => {
                let reason = notice.text.as_deref().unwrap_or("login refused").to_owned();
                if index == 0 {
                    self.emit(ChatEvent::Message(Box::new(message)));
                    let failed = reason.clone();
                    self.emit(ChatEvent::AuthFailed { reason: failed });
                }
                return Err(DisconnectReason::AuthFailed(reason));
            }
            ServerMessage::Cap(cap) if cap.subcommand == "NAK" => {
                tracing::warn!(target: "ttvchat::chat", "capabilities refused: {}", cap.capabilities.join(" "));
            }
            ServerMessage::Join(m) if nick.as_ref().is_some_and(|n| m.login == n.as_str()) => {
                if let (Ok(channel), Some(link)) =
                    (Login::parse(&m.channel), self.conns[index].live_mut())
                {
                    link.joining.remove(&channel);
                    if link.joined.insert(channel.clone()) {
                        self.emit(ChatEvent::Joined { channel });
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
                    self.privileged.insert(channel.clone(), privileged);
                    if let Some(id) = &state.message_id
                        && let Some(queued) = self.outbox.answered(&channel)
                    {
                        let message_id = Some(id.to_string());
                        self.outgoing(queued.id, SendStatus::Confirmed { message_id });
                    }
                }
            }
            ServerMessage::RoomState(room) => {
                if let (Ok(channel), Some(slow)) = (Login::parse(&room.channel), room.slow_s) {
                    self.slow.insert(channel, Duration::from_secs(slow));
                }
            }
            ServerMessage::Notice(notice) => self.on_notice(index, notice, now),
            _ => {}
        }
        let reconnect = matches!(message, ServerMessage::Reconnect);
        if index == 0 || channel_bound(&message) {
            self.emit(ChatEvent::Message(Box::new(message)));
        }
        if reconnect {
            return Err(DisconnectReason::ReconnectRequested);
        }
        Ok(())
    }

    fn connected(&mut self, index: usize, global: Option<GlobalUserState>, now: Instant) {
        let Some(link) = self.conns[index].live_mut() else {
            return;
        };
        link.connected_at = Some(now);
        let (login, anonymous) = (link.nick.clone(), link.anonymous);
        tracing::info!(target: "ttvchat::chat", "logged in as {login} (connection {})", self.conns[index].id);
        if index == 0 {
            self.emit(ChatEvent::Connected {
                login,
                anonymous,
                global,
            });
        }
    }

    /// A channel NOTICE: the answer to a message in flight, or to a JOIN.
    fn on_notice(&mut self, index: usize, notice: &Notice, now: Instant) {
        let (Some(channel), Some(msg_id)) = (&notice.channel, &notice.msg_id) else {
            return;
        };
        let Ok(channel) = Login::parse(channel) else {
            return;
        };
        let text = notice.text.as_deref().unwrap_or_default().to_owned();
        let joining = self.conns[index]
            .live()
            .is_some_and(|l| l.joining.contains_key(&channel));
        if joining && JOIN_FAILURES.contains(&msg_id.as_str()) {
            if let Some(link) = self.conns[index].live_mut() {
                link.joining.remove(&channel);
            }
            self.desired.retain(|(c, _)| c != &channel);
            self.drop_queued(&channel, DropReason::ChannelUnavailable);
            let reason = text;
            self.emit(ChatEvent::JoinFailed { channel, reason });
            return;
        }
        if msg_id == "msg_ratelimit" {
            self.limiter.back_off(now);
            if let Some(id) = self.outbox.retry(&channel) {
                let wait = self.config.limits.message_window;
                self.outgoing(id, SendStatus::Throttled { wait });
            }
        } else if msg_id.starts_with("msg_")
            && let Some(queued) = self.outbox.answered(&channel)
        {
            let status = SendStatus::Rejected {
                msg_id: msg_id.to_string(),
                reason: text,
            };
            self.outgoing(queued.id, status);
        }
    }

    /// What fell due on the connection at `index` by `now`; an error ends the connection.
    pub(super) fn on_time(&mut self, index: usize, now: Instant) -> Result<(), DisconnectReason> {
        if matches!(self.conns[index].phase, Phase::Waiting(at) if at <= now) {
            self.start(index);
            return Ok(());
        }
        let config = &self.config;
        let (login_timeout, pong_timeout, ping_after_idle) = (
            config.login_timeout,
            config.pong_timeout,
            config.ping_after_idle,
        );
        let Some(link) = self.conns[index].live_mut() else {
            return Ok(());
        };
        if link.connected_at.is_none() {
            if link
                .welcome_done_at
                .is_some_and(|t| t + GLOBAL_STATE_WAIT <= now)
            {
                self.connected(index, None, now);
            } else if link.opened + login_timeout <= now {
                return Err(DisconnectReason::LoginTimeout);
            }
        }
        let Some(link) = self.conns[index].live_mut() else {
            return Ok(());
        };
        if let Some(sent) = link.ping_sent {
            if sent + pong_timeout <= now {
                return Err(DisconnectReason::PingTimeout);
            }
        } else if link.last_heard + ping_after_idle <= now {
            link.ping_seq += 1;
            link.ping_sent = Some(now);
            let ping = ClientCommand::Ping(format!("ttvchat-{}", link.ping_seq));
            self.write(index, ping);
        }
        let Some(link) = self.conns[index].live_mut() else {
            return Ok(());
        };
        let mut expired: Vec<Login> = link
            .joining
            .iter()
            .filter(|(_, deadline)| **deadline <= now)
            .map(|(c, _)| c.clone())
            .collect();
        expired.sort();
        for channel in &expired {
            link.joining.remove(channel);
        }
        for channel in expired {
            let reason = "Twitch did not answer the JOIN; trying again".to_owned();
            self.emit(ChatEvent::JoinFailed { channel, reason });
        }
        Ok(())
    }
}
