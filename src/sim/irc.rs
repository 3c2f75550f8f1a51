//! Twitch chat over WebSocket: one task per connection. A connection
//! negotiates capabilities, logs in (a token from the table, or anonymous `justinfan`), joins
//! and parts channels, chats under Twitch's rules, and keeps alive with PING/PONG both ways.
//! Outgoing lines are batched, several to a frame, as Twitch does. Faults act here.

use std::sync::Arc;
use std::sync::atomic::Ordering;

use futures_util::{SinkExt, StreamExt};
use tokio::net::TcpStream;
use tokio::sync::mpsc;
use tokio::time::{Instant, sleep_until};
use tokio_tungstenite::tungstenite::Message;

use super::faults::{Control, garbage};
use super::limits::Tally;
use super::lines;
use super::record::SimEvent;
use super::rules;
use super::world::{Name, Say};
use super::{Conn, Outbound, Shared, State};
use crate::twitch::irc::IrcMessage;

const CAPABILITIES: [&str; 3] = [
    "twitch.tv/tags",
    "twitch.tv/commands",
    "twitch.tv/membership",
];
/// Lines (or bytes) sent in one WebSocket frame at most.
const FRAME_LINES: usize = 256;
const FRAME_BYTES: usize = 64 * 1024;
/// NAMES lists the people present only in rooms up to this size, like Twitch.
const NAMES_UP_TO_VIEWERS: u64 = 1000;
/// The most names a NAMES reply carries.
const NAMES_LISTED: usize = 100;

/// One client's login and per-connection limits.
struct Client {
    id: u64,
    caps: Vec<String>,
    pass: Option<String>,
    nick: Option<Name>,
    /// Logged in as this user; `None` before login or for anonymous logins.
    user: Option<Name>,
    logged_in: bool,
    /// Chat messages sent on this connection.
    messages: Tally,
    awaiting_pong: Option<Instant>,
    closing_at: Option<Instant>,
}

impl Client {
    fn has(&self, cap: &str) -> bool {
        self.caps.iter().any(|c| c == cap)
    }
}

/// What handling a line asks of the connection.
enum Next {
    Continue,
    Close,
}

/// One chat connection, from the handshake on.
pub(super) async fn chat(shared: Arc<Shared>, ws: tokio_tungstenite::WebSocketStream<TcpStream>) {
    let config = shared.config.clone();
    let (out_tx, mut out_rx) = mpsc::channel::<Outbound>(config.client_queue);
    let (control_tx, mut control_rx) = mpsc::unbounded_channel();
    let id = {
        let mut state = shared.state();
        let id = state.new_conn_id();
        state.conns.insert(
            id,
            Conn {
                login: None,
                out: out_tx,
                control: control_tx,
                membership: false,
            },
        );
        id
    };
    shared.record.push(SimEvent::Accepted { conn: id });
    {
        let (mut sink, mut source) = ws.split();
        let mut client = Client {
            id,
            caps: Vec::new(),
            pass: None,
            nick: None,
            user: None,
            logged_in: false,
            messages: Tally::new(config.limits.message_window),
            awaiting_pong: None,
            closing_at: None,
        };
        let mut next_ping = Instant::now() + config.ping_every;
        loop {
            let deadline = [Some(next_ping), client.awaiting_pong, client.closing_at]
                .into_iter()
                .flatten()
                .min()
                .unwrap_or(next_ping);
            tokio::select! {
                frame = source.next() => {
                    let text = match frame {
                        Some(Ok(Message::Text(text))) => text,
                        Some(Ok(Message::Close(_))) | Some(Err(_)) | None => break,
                        Some(Ok(_)) => continue,
                    };
                    let mut close = false;
                    for line in text.split(['\r', '\n']).filter(|l| !l.is_empty()) {
                        if let Next::Close = handle(&shared, &mut client, line) {
                            close = true;
                            break;
                        }
                    }
                    if close {
                        while let Ok((_, line)) = out_rx.try_recv() {
                            if sink.feed(Message::text(format!("{line}\r\n"))).await.is_err() {
                                break;
                            }
                            shared.lines_sent.fetch_add(1, Ordering::Relaxed);
                        }
                        let _ = sink.send(Message::Close(None)).await;
                        break;
                    }
                }
                first = out_rx.recv() => {
                    let Some(first) = first else { break };
                    let mut batch = vec![first];
                    let mut bytes = batch[0].1.len();
                    while batch.len() < FRAME_LINES && bytes < FRAME_BYTES {
                        match out_rx.try_recv() {
                            Ok(item) => {
                                bytes += item.1.len() + 2;
                                batch.push(item);
                            }
                            Err(_) => break,
                        }
                    }
                    let delay = shared.conditions.delay(Instant::now());
                    if !delay.is_zero() {
                        sleep_until(batch[0].0 + delay).await;
                    }
                    if shared.conditions.silent(Instant::now()) {
                        continue;
                    }
                    let frame = batch.iter().map(|(_, l)| &**l).collect::<Vec<_>>().join("\r\n") + "\r\n";
                    if sink.send(Message::text(frame)).await.is_err() {
                        break;
                    }
                    shared.lines_sent.fetch_add(batch.len() as u64, Ordering::Relaxed);
                }
                control = control_rx.recv() => {
                    match control {
                        Some(Control::Drop | Control::TooSlow) | None => break,
                        Some(Control::Reconnect) => {
                            queue(&shared, id, ":tmi.twitch.tv RECONNECT");
                            client.closing_at = Some(Instant::now() + config.reconnect_grace);
                        }
                        Some(Control::Garbage) => {
                            if sink.send(Message::text(garbage())).await.is_err() {
                                break;
                            }
                        }
                        Some(Control::Ping) => {
                            queue(&shared, id, "PING :tmi.twitch.tv");
                            client.awaiting_pong.get_or_insert(Instant::now() + config.pong_within);
                        }
                    }
                }
                () = sleep_until(deadline) => {
                    let now = Instant::now();
                    if client.closing_at.is_some_and(|t| t <= now)
                        || client.awaiting_pong.is_some_and(|t| t <= now)
                    {
                        break;
                    }
                    if next_ping <= now {
                        next_ping = now + config.ping_every;
                        if !shared.conditions.silent(now) {
                            queue(&shared, id, "PING :tmi.twitch.tv");
                            client.awaiting_pong.get_or_insert(now + config.pong_within);
                        }
                    }
                }
            }
        }
    }
    let mut state = shared.state();
    // Leaving by closing the connection: the others in its channels see it PART.
    let channels: Vec<String> = state
        .members
        .iter()
        .filter(|(_, members)| members.contains(&id))
        .map(|(channel, _)| channel.to_string())
        .collect();
    if let Some(nick) = state.conns.get(&id).and_then(|c| c.login.clone()) {
        for channel in &channels {
            tell_members(
                &state,
                channel,
                id,
                &lines::part(&nick, channel),
                Instant::now(),
            );
        }
    }
    state.conns.remove(&id);
    for members in state.members.values_mut() {
        members.remove(&id);
    }
    drop(state);
    shared.record.push(SimEvent::Closed { conn: id });
}

/// Sends a JOIN or PART to the other members of `channel` that asked for membership.
fn tell_members(state: &State, channel: &str, except: u64, line: &str, now: Instant) {
    let line: Arc<str> = Arc::from(line);
    for &member in state.members.get(channel).into_iter().flatten() {
        if member != except && state.conns.get(&member).is_some_and(|c| c.membership) {
            state.send_to(member, line.clone(), now);
        }
    }
}

/// Queues a line for this connection.
fn queue(shared: &Shared, conn: u64, line: &str) {
    shared
        .state()
        .send_to(conn, Arc::from(line), Instant::now());
}

fn handle(shared: &Shared, client: &mut Client, line: &str) -> Next {
    shared.record.push(SimEvent::Received {
        conn: client.id,
        line: line.to_owned(),
    });
    let now = Instant::now();
    if shared.conditions.silent(now) {
        return Next::Continue;
    }
    let Ok(msg) = IrcMessage::parse(line) else {
        return Next::Continue;
    };
    let command = msg.command().to_ascii_uppercase();
    match command.as_str() {
        "CAP" => cap(shared, client, &msg),
        "PASS" => client.pass = msg.param(0).map(str::to_owned),
        "NICK" => {
            client.nick = msg.param(0).map(|n| n.to_ascii_lowercase().into());
            return login(shared, client);
        }
        "PING" if !shared.conditions.ignoring_pings(now) => {
            // As Twitch answers: a bare PING gets `PONG :tmi.twitch.tv`, `PING x` gets
            // `:tmi.twitch.tv PONG tmi.twitch.tv :x`.
            let line = match msg.last_param() {
                None => "PONG :tmi.twitch.tv".to_owned(),
                Some(arg) => lines::server("PONG", &["tmi.twitch.tv"], Some(arg)),
            };
            queue(shared, client.id, &line);
        }
        "PONG" => client.awaiting_pong = None,
        "QUIT" => return Next::Close,
        _ if !client.logged_in => {}
        "JOIN" => join(shared, client, msg.param(0).unwrap_or_default(), now),
        "PART" => part(shared, client, msg.param(0).unwrap_or_default()),
        "PRIVMSG" => privmsg(shared, client, &msg, now),
        "PING" => {}
        other => {
            let nick = client.nick.clone().unwrap_or_default();
            let line = lines::server("421", &[&nick, other], Some("Unknown command"));
            queue(shared, client.id, &line);
        }
    }
    Next::Continue
}

fn cap(shared: &Shared, client: &mut Client, msg: &IrcMessage<'_>) {
    let sub = msg.param(0).unwrap_or_default().to_ascii_uppercase();
    match sub.as_str() {
        "REQ" => {
            let wanted: Vec<&str> = msg
                .param(1)
                .unwrap_or_default()
                .split_whitespace()
                .collect();
            let known = wanted.iter().all(|c| CAPABILITIES.contains(c));
            let reply = if known { "ACK" } else { "NAK" };
            if known {
                client.caps.extend(wanted.iter().map(|c| (*c).to_owned()));
            }
            let line = lines::server("CAP", &["*", reply], Some(&wanted.join(" ")));
            queue(shared, client.id, &line);
            let mut state = shared.state();
            if let Some(conn) = state.conns.get_mut(&client.id) {
                conn.membership = client.has("twitch.tv/membership");
            }
        }
        "LS" => queue(
            shared,
            client.id,
            &lines::server("CAP", &["*", "LS"], Some(&CAPABILITIES.join(" "))),
        ),
        _ => {}
    }
}

fn is_anonymous_nick(nick: &str) -> bool {
    nick.strip_prefix("justinfan")
        .is_some_and(|digits| !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
}

fn login(shared: &Shared, client: &mut Client) -> Next {
    let Some(nick) = client.nick.clone() else {
        return Next::Continue;
    };
    let mut state = shared.state();
    let user = match client.pass.as_deref() {
        None if is_anonymous_nick(&nick) => None,
        Some(pass) if is_anonymous_nick(&nick) && !pass.starts_with("oauth:") => None,
        Some(pass) => {
            let Some(token) = pass.strip_prefix("oauth:") else {
                return refuse_login(shared, client, &mut state, "Improperly formatted auth");
            };
            match state.grants.get(token) {
                Some(grant) if grant.login == nick && grant.expires_at > Instant::now() => {
                    Some(nick.clone())
                }
                _ => {
                    return refuse_login(shared, client, &mut state, "Login authentication failed");
                }
            }
        }
        None => return refuse_login(shared, client, &mut state, "Improperly formatted auth"),
    };
    let now = Instant::now();
    client.logged_in = true;
    client.user = user.clone();
    if let Some(conn) = state.conns.get_mut(&client.id) {
        conn.login = Some(nick.clone());
    }
    for line in lines::welcome(&nick) {
        state.send_to(client.id, Arc::from(line), now);
    }
    if let Some(login) = &user
        && client.has("twitch.tv/tags")
        && let Some(u) = state.world.users.get(login)
    {
        let line = lines::globaluserstate(u);
        state.send_to(client.id, Arc::from(line), now);
    }
    drop(state);
    shared.record.push(SimEvent::LoggedIn {
        conn: client.id,
        login: user.map(|u| u.to_string()),
    });
    Next::Continue
}

fn refuse_login(shared: &Shared, client: &Client, state: &mut State, text: &str) -> Next {
    state.send_to(
        client.id,
        Arc::from(lines::notice(None, None, text)),
        Instant::now(),
    );
    shared.record.push(SimEvent::AuthFailed { conn: client.id });
    Next::Close
}

/// Counts a JOIN attempt against its user's limit (a verified bot's is higher).
fn join_admitted(shared: &Shared, state: &mut State, nick: &Name, now: Instant) -> bool {
    let limits = shared.config.limits;
    let limit = if state.verified_bots.contains(nick) {
        limits.verified_bot_joins
    } else {
        limits.joins
    };
    state
        .joins
        .entry(nick.clone())
        .or_insert_with(|| Tally::new(limits.join_window))
        .admit(now, limit)
}

fn join(shared: &Shared, client: &mut Client, targets: &str, now: Instant) {
    let nick = client.nick.clone().unwrap_or_default();
    let mut state = shared.state();
    for target in targets.split(',').filter(|t| !t.is_empty()) {
        let channel: Name = target.trim_start_matches('#').to_ascii_lowercase().into();
        if !join_admitted(shared, &mut state, &nick, now) {
            shared
                .record
                .push(SimEvent::JoinViolation { conn: client.id });
            continue;
        }
        let Some(chan) = state.world.channels.get(&channel) else {
            let line = lines::notice(
                Some(&channel),
                Some("msg_channel_suspended"),
                "This channel does not exist or has been suspended.",
            );
            state.send_to(client.id, Arc::from(line), now);
            continue;
        };
        let mut replies = vec![lines::join(&nick, &channel)];
        if client.has("twitch.tv/commands")
            && let Some(user) = client.user.as_ref().and_then(|u| state.world.users.get(u))
        {
            let role = state.world.role(chan, &user.login);
            replies.push(lines::userstate(chan, user, role, None));
        }
        if client.has("twitch.tv/commands") {
            replies.push(lines::roomstate(chan, None));
        }
        let mut names: Vec<&str> = vec![&nick];
        // As on Twitch: only with the membership capability, and only yourself in big rooms.
        if client.has("twitch.tv/membership") && chan.viewers <= NAMES_UP_TO_VIEWERS {
            let mut staff: Vec<&str> = chan
                .moderators
                .iter()
                .chain(&chan.vips)
                .map(|n| n.as_str())
                .collect();
            staff.sort_unstable();
            let present = std::iter::once(chan.login.as_str())
                .chain(staff)
                .chain(chan.chatters.iter().map(|n| n.as_str()));
            for name in present {
                if names.len() == NAMES_LISTED {
                    break;
                }
                if !names.contains(&name) {
                    names.push(name);
                }
            }
        }
        replies.extend(lines::names(&nick, &channel, &names));
        for line in replies {
            state.send_to(client.id, Arc::from(line), now);
        }
        if client.user.is_some() {
            tell_members(
                &state,
                &channel,
                client.id,
                &lines::join(&nick, &channel),
                now,
            );
        }
        state
            .members
            .entry(channel.clone())
            .or_default()
            .insert(client.id);
        state.activated.entry(channel).or_insert(now);
    }
}

fn part(shared: &Shared, client: &mut Client, targets: &str) {
    let nick = client.nick.clone().unwrap_or_default();
    let mut state = shared.state();
    for target in targets.split(',').filter(|t| !t.is_empty()) {
        let channel = target.trim_start_matches('#').to_ascii_lowercase();
        let was_in = state
            .members
            .get_mut(channel.as_str())
            .is_some_and(|members| members.remove(&client.id));
        let line = lines::part(&nick, &channel);
        if was_in && client.user.is_some() {
            tell_members(&state, &channel, client.id, &line, Instant::now());
        }
        state.send_to(client.id, Arc::from(line), Instant::now());
    }
}

/// How long a client's held message waits before the channel's own moderators decide it.
const DECIDED_AFTER: std::time::Duration = std::time::Duration::from_secs(8);

fn privmsg(shared: &Shared, client: &mut Client, msg: &IrcMessage<'_>, now: Instant) {
    let Some(login) = client.user.clone() else {
        return;
    };
    let (Some(target), Some(text)) = (msg.param(0), msg.param(1)) else {
        return;
    };
    let channel = target.trim_start_matches('#').to_ascii_lowercase();
    let mut state = shared.state();
    let notice = |state: &mut State, msg_id: &str, text: &str| {
        let line = lines::notice(Some(&channel), Some(msg_id), text);
        state.send_to(client.id, Arc::from(line), now);
    };
    let (body, action) = match crate::twitch::privmsg::unwrap_action(text) {
        (body, true) => (body, true),
        _ => match text.strip_prefix("/me ") {
            Some(body) => (body, true),
            None => (text, false),
        },
    };
    if !action && text.starts_with('/') {
        let command = text.split(' ').next().unwrap_or(text);
        notice(
            &mut state,
            "unrecognized_cmd",
            &format!("Unrecognized command: {command}"),
        );
        return;
    }
    let privileged = state
        .world
        .channels
        .get(channel.as_str())
        .is_some_and(|c| state.world.role(c, &login).privileged());
    let limits = shared.config.limits;
    let limit = if privileged {
        limits.privileged_messages
    } else {
        limits.viewer_messages
    };
    if !client.messages.admit(now, limit) {
        drop(state);
        shared.record.push(SimEvent::RateViolation {
            conn: client.id,
            channel: channel.clone(),
        });
        let line = lines::notice(
            Some(&channel),
            Some("msg_ratelimit"),
            "Your message was not sent because you are sending messages too quickly.",
        );
        queue(shared, client.id, &line);
        return;
    }
    if let Err(refusal) = rules::check(&mut state.world, now, &channel, &login, body) {
        notice(&mut state, refusal.msg_id, &refusal.text);
        return;
    }
    // AutoMod holds what it flags from chatters until a moderator decides.
    if let Some(chan) = state.world.channels.get(channel.as_str())
        && chan.automod
        && state.world.role(chan, &login) < super::world::Role::Moderator
        && let Some((category, level)) = super::feeds::flagged(body)
    {
        notice(
            &mut state,
            "msg_rejected",
            "Hey! Your message is being checked by mods and has not been sent.",
        );
        state.hold(&channel, &login, body, category, level, now);
        if let Some(held) = state.held.last_mut() {
            held.decide_at = Some(now + DECIDED_AFTER);
        }
        return;
    }
    let say = Say {
        text: body.to_owned(),
        action,
        reply_to: msg
            .tags()
            .get("reply-parent-msg-id")
            .map(|c| c.into_owned()),
        ..Say::default()
    };
    // A suspicious user's message goes to the moderators' feed too; a restricted one's only
    // there (their own client is told it was sent).
    let said = match state.suspicious_says(now, &channel, &login, &say) {
        Some((said, restricted)) => Some((said, !restricted)),
        None => state
            .world
            .chat(now, &channel, &login, &say)
            .map(|s| (s, true)),
    };
    if let Some((said, shown)) = said {
        if shown {
            state.broadcast(&channel, &said.broadcast, Some(client.id), now);
        }
        state.send_to(client.id, Arc::from(said.userstate), now);
    }
}
