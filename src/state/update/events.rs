//! Chat events into the state: connection news, joins, every kind of server message, and the
//! fate of the messages we sent.

use super::super::channel::{Channel, Group, Kind, Member};
use super::super::message::{About, Alert, Body, Chat, Level, OwnHold, SendState, System, badges};
use super::super::text::sanitize;
use super::super::{AppState, Connection};
use super::{disconnected_text, group_of, short_duration, system, system_about};
use crate::twitch::chat::MessageId;
use crate::twitch::chat::{ChatEvent, DropReason, SendStatus};
use crate::twitch::message::ServerMessage;
use crate::twitch::room::{ClearChatAction, FollowersOnly};
use crate::twitch::usernotice::UserNoticeKind;

pub(super) fn chat(state: &mut AppState, event: ChatEvent) {
    match event {
        ChatEvent::Connecting { attempt } => {
            if !matches!(state.connection, Connection::LoginFailed(_)) || attempt == 1 {
                state.connection = Connection::Connecting { attempt };
            }
        }
        ChatEvent::Connected {
            login,
            anonymous,
            global,
        } => {
            // Lost before (the attempt that worked came through Connecting, so the outage, not
            // the connection state, tells).
            let was_lost = state.outage.is_some();
            state.connection = Connection::Connected;
            state.account.login = Some(login.to_string());
            state.account.anonymous = anonymous;
            if let Some(global) = global {
                state.account.display = global
                    .display_name
                    .as_deref()
                    .map(|d| sanitize(d).into_owned());
                state.account.color = global.color;
            }
            if was_lost {
                let (since, attempts) = state.outage.take().unwrap_or((state.now, 1));
                let lasted = short_duration(((state.now - since).max(0) / 1000) as u64);
                let text = match attempts {
                    1 => format!("Connected again as {login} (lost for {lasted})."),
                    n => format!(
                        "Connected again as {login} after {n} attempts (lost for {lasted})."
                    ),
                };
                let now = state.now;
                for chan in &mut state.channels {
                    // The outage's line says how it ended, and is closed for the next one.
                    if let Some(line) = chan.line_about(&About::Outage, now) {
                        (line.level, line.text, line.about) = (Level::Info, text.clone(), None);
                    }
                }
            }
        }
        ChatEvent::Disconnected { reason, retry_in } => {
            state.connection = match retry_in {
                Some(wait) => Connection::Reconnecting {
                    at: state.now + wait.as_millis() as i64,
                    reason: reason.to_string(),
                },
                None => Connection::LoginFailed(reason.to_string()),
            };
            let (since, attempts) = state.outage.unwrap_or((state.now, 0));
            state.outage = Some((since, attempts + 1));
            let text = disconnected_text(&state.connection, state.now, attempts + 1);
            for chan in state.channels.iter_mut().filter(|c| c.kind == Kind::Room) {
                chan.joined = false;
            }
            // One line per outage, updated at each attempt.
            for name in channel_names(state) {
                system_about(
                    state,
                    &name,
                    Level::Error,
                    text.clone(),
                    Some(About::Outage),
                );
            }
        }
        ChatEvent::AuthFailed { reason } => {
            state.connection = Connection::LoginFailed(sanitize(&reason).into_owned());
        }
        ChatEvent::Joined { channel } => {
            if state.channel_mut(channel.as_str()).is_none() {
                state.channels.push(Channel::new(channel.clone()));
            }
            if state
                .channel_mut(channel.as_str())
                .is_some_and(|c| c.stream.is_none())
                && state.streams_due.is_some()
            {
                state.streams_due = Some(state.now);
            }
            let now = state.now;
            if let Some(chan) = state.channel_mut(channel.as_str()) {
                chan.joined = true;
                // A further connection's outage ends with its rejoin.
                if let Some(line) = chan.line_about(&About::Outage, now) {
                    (line.level, line.about) = (Level::Info, None);
                    line.text = "Connected again.".to_owned();
                }
            }
            system(
                state,
                channel.as_str(),
                Level::Info,
                format!("Joined #{channel}."),
            );
        }
        ChatEvent::JoinProgress { joined, wanted } => {
            state.joining = (joined < wanted && wanted > 1).then_some((joined, wanted));
        }
        ChatEvent::ChannelsLost {
            channels,
            reason,
            retry_in,
        } => {
            let wait = short_duration(retry_in.as_secs().max(1));
            let text = format!("Disconnected: {reason}. Joining again in {wait}.");
            for channel in channels {
                if let Some(chan) = state.channel_mut(channel.as_str()) {
                    chan.joined = false;
                }
                let about = Some(About::Outage);
                system_about(state, channel.as_str(), Level::Error, text.clone(), about);
            }
        }
        ChatEvent::Parted { .. } | ChatEvent::Unparsed { .. } => {}
        ChatEvent::JoinFailed { channel, reason } => {
            let text = format!("Could not join #{channel}: {}", sanitize(&reason));
            system(state, channel.as_str(), Level::Error, text);
        }
        ChatEvent::Message(message) => server(state, *message),
        ChatEvent::Outgoing { id, status } => outgoing(state, id, status),
    }
}

fn channel_names(state: &AppState) -> Vec<String> {
    let rooms = state.channels.iter().filter(|c| c.kind == Kind::Room);
    rooms.map(|c| c.name.to_string()).collect()
}

/// Counts a new line in a tab the user is not looking at.
fn count_unread(state: &mut AppState, channel: &str, mention: bool) {
    let focused = state.focused().map(|c| c.is_room(channel)).unwrap_or(false);
    if let Some(chan) = state.channel_mut(channel)
        && !focused
    {
        chan.unread = chan.unread.saturating_add(1);
        if mention {
            chan.mentions = chan.mentions.saturating_add(1);
        }
    }
}

pub(super) fn server(state: &mut AppState, message: ServerMessage) {
    let (now, cap) = (state.now, state.settings.scrollback);
    let me = state.account.login.clone();
    match message {
        ServerMessage::Privmsg(msg) => {
            let at = msg.sent_at_ms.unwrap_or(now);
            let mut chat = Chat::from_privmsg(&msg, me.as_deref());
            let mention = chat.mention;
            let Some(chan) = state.channel_mut(&msg.channel) else {
                return;
            };
            chat.suspect = chan.suspects.get(&chat.author.login).cloned().map(Box::new);
            if me.as_deref() == Some(chat.author.login.as_str())
                && super::own_held::echoed(chan, &chat)
            {
                return;
            }
            for range in &chat.emotes {
                if let Some(code) = chat.text.get(range.clone()) {
                    chan.emotes.insert(code.to_owned());
                }
            }
            let group = group_of(&chat.author.badges);
            chan.saw_chatter(&chat.author.login, &chat.author.display, group);
            chan.push(at, Body::Chat(chat), cap);
            count_unread(state, &msg.channel, mention);
        }
        ServerMessage::UserNotice(notice) => {
            let at = notice.sent_at_ms.unwrap_or(now);
            let alert = Alert::from_usernotice(&notice);
            let Some(chan) = state.channel_mut(&notice.channel) else {
                return;
            };
            if is_gift(&notice.kind) && group_gift(chan, &alert) {
                return;
            }
            chan.push(at, Body::Alert(alert), cap);
            count_unread(state, &notice.channel, false);
        }
        ServerMessage::RoomState(room) => {
            let Some(chan) = state.channel_mut(&room.channel) else {
                return;
            };
            if let Some(id) = &room.channel_id {
                chan.room_id = Some(sanitize(id).into_owned());
            }
            let first = chan.modes == Default::default();
            let before = chan.modes;
            let modes = &mut chan.modes;
            if let Some(slow) = room.slow_s {
                modes.slow_s = Some(slow);
            }
            if let Some(followers) = room.followers_only {
                modes.followers_only = Some(match followers {
                    FollowersOnly::Off => None,
                    FollowersOnly::Minutes(m) => Some(m),
                });
            }
            modes.subs_only = room.subs_only.or(modes.subs_only);
            modes.emote_only = room.emote_only.or(modes.emote_only);
            modes.unique_chat = room.r9k.or(modes.unique_chat);
            // Only what changed is told: a rejoin repeats every mode as it was.
            let after = chan.modes;
            let changed = crate::twitch::room::RoomState {
                slow_s: room.slow_s.filter(|_| before.slow_s != after.slow_s),
                followers_only: room
                    .followers_only
                    .filter(|_| before.followers_only != after.followers_only),
                subs_only: room
                    .subs_only
                    .filter(|_| before.subs_only != after.subs_only),
                emote_only: room
                    .emote_only
                    .filter(|_| before.emote_only != after.emote_only),
                r9k: room.r9k.filter(|_| before.unique_chat != after.unique_chat),
                ..room.clone()
            };
            if !first {
                let now = state.now;
                for (line, about) in mode_change_lines(&changed) {
                    // A moderator's action already told of it (with who did it).
                    let told = state
                        .channel_mut(&room.channel)
                        .and_then(|c| c.line_about(&about, now))
                        .is_some();
                    if !told {
                        system_about(state, &room.channel, Level::Notice, line, Some(about));
                    }
                }
            }
        }
        ServerMessage::ClearChat(clear) => {
            let Some(chan) = state.channel_mut(&clear.channel) else {
                return;
            };
            let at = clear.sent_at_ms.unwrap_or(now);
            let (text, about) = match &clear.action {
                ClearChatAction::ClearAll => {
                    for entry in &mut chan.messages {
                        entry.gone = true;
                    }
                    (
                        "The chat was cleared by a moderator.".to_owned(),
                        Some(About::Cleared),
                    )
                }
                ClearChatAction::Ban { login, .. } | ClearChatAction::Timeout { login, .. } => {
                    for entry in &mut chan.messages {
                        if matches!(&entry.body, Body::Chat(c) if c.author.login == login.as_str())
                        {
                            entry.gone = true;
                        }
                    }
                    let name = chan.display_of(&sanitize(login));
                    let login = login.to_string();
                    match clear.action {
                        ClearChatAction::Timeout { duration_s, .. } => (
                            format!("{name} was timed out for {}.", short_duration(duration_s)),
                            Some(About::TimedOut(login)),
                        ),
                        _ => (format!("{name} was banned."), Some(About::Banned(login))),
                    }
                }
            };
            // Our own action, already confirmed: its line says it all.
            if let Some(about) = &about
                && chan.line_about(about, at).is_some()
            {
                return;
            }
            chan.push(
                at,
                Body::System(System {
                    level: Level::Notice,
                    text,
                    about,
                }),
                cap,
            );
        }
        ServerMessage::ClearMsg(clear) => {
            let Some(chan) = state.channel_mut(&clear.channel) else {
                return;
            };
            let target = clear.target_message_id.as_deref();
            if let Some(entry) = chan
                .messages
                .iter_mut()
                .rev()
                .find(|e| matches!(&e.body, Body::Chat(c) if c.id.as_deref() == target && target.is_some()))
            {
                entry.gone = true;
            }
        }
        ServerMessage::Notice(notice) => {
            // Refusals of what we sent show on the message itself; join failures come as events.
            if notice
                .msg_id
                .as_deref()
                .is_some_and(|id| id.starts_with("msg_"))
            {
                return;
            }
            let text = sanitize(notice.text.as_deref().unwrap_or("")).into_owned();
            match notice.channel.as_deref() {
                Some(channel) => system(state, channel, Level::Notice, text),
                None => super::system_here(state, Level::Notice, text),
            }
        }
        ServerMessage::UserState(user) => {
            if let Some(display) = &user.display_name {
                state.account.display = Some(sanitize(display).into_owned());
            }
            if user.color.is_some() {
                state.account.color = user.color;
            }
            let me = state.account.login.clone();
            let display = state.account.display.clone();
            if let Some(chan) = state.channel_mut(&user.channel) {
                chan.my_badges = badges(&user.badges, &user.badge_info);
                if let Some(me) = me {
                    let group = group_of(&chan.my_badges);
                    chan.set_member(&me, display.as_deref().unwrap_or(&me), group);
                }
            }
        }
        ServerMessage::GlobalUserState(global) => {
            if let Some(display) = &global.display_name {
                state.account.display = Some(sanitize(display).into_owned());
            }
            state.account.color = global.color.or(state.account.color);
        }
        ServerMessage::Join(join) => {
            if let Some(chan) = state.channel_mut(&join.channel) {
                add_member(chan, &join.login);
            }
        }
        ServerMessage::Part(part) => {
            if let Some(chan) = state.channel_mut(&part.channel)
                && !chan.recent.iter().any(|l| l == part.login.as_str())
            {
                chan.members.remove(part.login.as_str());
            }
        }
        ServerMessage::Names(names) => {
            if let Some(chan) = state.channel_mut(&names.channel) {
                for login in &names.names {
                    add_member(chan, login);
                }
            }
        }
        _ => {}
    }
}

/// Someone seen in NAMES or JOIN: the broadcaster by name, everyone else a chatter until their
/// badges say more.
fn add_member(chan: &mut Channel, login: &str) {
    let login = sanitize(login).into_owned();
    if chan.members.contains_key(&login) {
        return;
    }
    let group = if login == chan.name.as_str() {
        Group::Broadcaster
    } else {
        Group::Others
    };
    chan.members.insert(
        login.clone(),
        Member {
            display: login,
            group,
        },
    );
}

/// Twitch's NOTICE when AutoMod holds what we sent.
const AUTOMOD_HOLDS: &str = "msg_rejected";

pub(super) fn outgoing(state: &mut AppState, id: MessageId, status: SendStatus) {
    let Some((channel, seq, _)) = state.pending.get(&id).cloned() else {
        return;
    };
    let new_state = match &status {
        SendStatus::Throttled { wait } => Some(SendState::Throttled(id, wait.as_secs().max(1))),
        SendStatus::Sent => Some(SendState::Pending(id)),
        SendStatus::Confirmed { .. } => Some(SendState::Confirmed),
        // AutoMod holds it: moderators decide, so it is not ours to send again.
        SendStatus::Rejected { msg_id, .. } if msg_id == AUTOMOD_HOLDS => {
            Some(SendState::Held(OwnHold::Waiting))
        }
        SendStatus::Rejected { reason, .. } => Some(SendState::Failed {
            id,
            reason: sanitize(reason).into_owned(),
        }),
        SendStatus::Dropped { reason } => Some(SendState::Failed {
            id,
            reason: reason.to_string(),
        }),
    };
    if matches!(&status, SendStatus::Confirmed { .. })
        || matches!(&status, SendStatus::Rejected { msg_id, .. } if msg_id == AUTOMOD_HOLDS)
    {
        state.pending.remove(&id);
    }
    if let Some((taking, edit)) = state.taking_back
        && taking == id
    {
        state.taking_back = None;
        match &status {
            SendStatus::Dropped {
                reason: DropReason::Cancelled,
            } => {
                if edit && let Some((_, _, message)) = state.pending.get(&id) {
                    let text = match message.action {
                        true => format!("/me {}", message.text),
                        false => message.text.clone(),
                    };
                    state.leave_select();
                    state.input.fill(&text);
                }
                state.feedback = Some((Level::Info, "Taken back: it was not sent.".into()));
            }
            SendStatus::Throttled { .. } => state.taking_back = Some((taking, edit)),
            _ => {
                state.feedback = Some((
                    Level::Info,
                    "Too late to take it back: it had gone out.".into(),
                ));
            }
        }
    }
    if let Some(Body::Chat(chat)) = state
        .channel_mut(channel.as_str())
        .and_then(|c| c.entry_mut(seq))
        .map(|e| &mut e.body)
    {
        if let SendStatus::Confirmed { message_id } = &status {
            chat.id = message_id.as_deref().map(|m| sanitize(m).into_owned());
        }
        // The live feeds may have told of AutoMod's hold first: that stays.
        if !matches!(chat.send, Some(SendState::Held(_))) {
            chat.send = new_state;
        }
    }
    state.throttled = state.channels.iter().any(|c| {
        c.messages.iter().rev().take(200).any(|e| {
            matches!(
                &e.body,
                Body::Chat(Chat {
                    send: Some(SendState::Throttled(..)),
                    ..
                })
            )
        })
    });
}

/// How a ROOMSTATE change reads in the chat, each line with the mode it is about.
fn mode_change_lines(room: &crate::twitch::room::RoomState) -> Vec<(String, About)> {
    let mut lines = Vec::new();
    if let Some(slow) = room.slow_s {
        lines.push(if slow == 0 {
            ("Slow mode is off.".to_owned(), "slow:off".to_owned())
        } else {
            (
                format!("Slow mode is on: one message every {slow}s."),
                format!("slow:{slow}"),
            )
        });
    }
    if let Some(followers) = room.followers_only {
        lines.push(match followers {
            FollowersOnly::Off => (
                "Followers-only mode is off.".to_owned(),
                "followers:off".into(),
            ),
            FollowersOnly::Minutes(0) => (
                "Followers-only mode is on.".to_owned(),
                "followers:0".into(),
            ),
            FollowersOnly::Minutes(m) => (
                format!("Followers-only mode is on: {m} minutes of following."),
                format!("followers:{m}"),
            ),
        });
    }
    for (value, name, mode) in [
        (room.subs_only, "Subscribers-only", "subscribers"),
        (room.emote_only, "Emote-only", "emoteonly"),
        (room.r9k, "Unique-chat", "uniquechat"),
    ] {
        if let Some(on) = value {
            let switch = if on { "on" } else { "off" };
            lines.push((
                format!("{name} mode is {switch}."),
                format!("{mode}:{switch}"),
            ));
        }
    }
    lines
        .into_iter()
        .map(|(line, about)| (line, About::Mode(about)))
        .collect()
}

/// Gift bombs: a gift that belongs to a recent mystery gift joins its alert.
fn group_gift(chan: &mut Channel, alert: &Alert) -> bool {
    let Some(gift) = &alert.gift else {
        return false;
    };
    if gift.recipients.is_empty() {
        return false;
    }
    for entry in chan.messages.iter_mut().rev().take(500) {
        if let Body::Alert(Alert {
            gift: Some(group), ..
        }) = &mut entry.body
            && group.id == gift.id
        {
            group.recipients.extend(gift.recipients.iter().cloned());
            return true;
        }
    }
    false
}

fn is_gift(kind: &UserNoticeKind) -> bool {
    matches!(
        kind,
        UserNoticeKind::SubGift(_) | UserNoticeKind::SubMysteryGift(_)
    )
}
