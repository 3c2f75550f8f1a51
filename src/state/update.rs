//! `update`: the only place the app state changes. Keys, pasted text, chat events, stream
//! information and the clock come in as [`Msg`]; what must happen outside comes out as
//! [`Effect`]s. No I/O, no clock reads: everything it knows arrives in the message.

use super::channel::{Channel, Group, Kind};
use super::command::{self, UserCommand};
use super::input;
use super::keymap::Action;
use super::message::{About, BadgeKind, Body, Level, System};
use super::text::sanitize;
use super::{AppState, Connection, Effect, Mode, Msg, Overlay};
use crate::twitch::Login;
use crate::twitch::chat::ChatEvent;
use crate::twitch::message::ServerMessage;

mod answers;
mod events;
mod feeds;
mod hints;
mod keys;
mod moderation;
mod own_held;
mod panes;
mod queue;
mod refusals;
mod search;
mod sending;
mod suspects;
mod whispers;

use sending::{retry, send, take_back};

pub use moderation::NotPermitted;
pub(in crate::state) use moderation::permitted;

pub fn update(state: &mut AppState, msg: Msg) -> Vec<Effect> {
    let mut effects = Vec::new();
    match msg {
        Msg::Tick(now) => {
            state.now = now;
            if state.streams_due.is_some_and(|due| now >= due) && !state.channels.is_empty() {
                state.streams_due = Some(now + super::STREAMS_EVERY_MS);
                effects.push(Effect::FetchStreams(
                    state
                        .channels
                        .iter()
                        .filter(|c| c.kind == Kind::Room)
                        .map(|c| c.name.clone())
                        .collect(),
                ));
            }
            if state.validate_due.is_some_and(|due| now >= due) {
                state.validate_due = Some(now + super::VALIDATE_EVERY_MS);
                effects.push(Effect::Validate);
            }
        }
        Msg::Resize { width, height } => {
            state.size = (width, height);
            // Too narrow for the user list: it hides, and so it cannot keep the keys.
            if width < super::USER_LIST_MIN_WIDTH && matches!(state.mode, Mode::Users { .. }) {
                state.mode = Mode::Input;
            }
        }
        Msg::Paste(text) => paste(state, &text),
        Msg::Wheel { up } => {
            state.feedback = None;
            keys::wheel(state, up, &mut effects)
        }
        Msg::Click(clicked) => {
            state.feedback = None;
            keys::click(state, clicked, &mut effects)
        }
        Msg::Key(key) => {
            state.feedback = None;
            keys::key(state, key, &mut effects)
        }
        Msg::Chat(event) => {
            // Our role or a room id may change: the feeds follow.
            let roles = matches!(&event, ChatEvent::Message(m)
                if matches!(**m, ServerMessage::RoomState(_) | ServerMessage::UserState(_)));
            events::chat(state, event);
            if roles {
                feeds::follow(state, &mut effects);
            }
        }
        Msg::Feed(event) => feeds::event(state, event),
        Msg::Stream { channel, info } => {
            if let Some(chan) = state.channel_mut(channel.as_str()) {
                chan.stream = info;
            }
        }
        Msg::Helix {
            channel,
            call,
            result,
        } => answers::done(state, channel, call, result),
        Msg::Validated { user_id, scopes } => {
            feeds::validated(state, user_id, scopes, &mut effects)
        }
        Msg::SignedOut { reason } => {
            if state.account.signed_out.is_none() {
                let login = state.account.login.clone().unwrap_or_default();
                state.sign_out(&login, &reason);
                effects.push(Effect::SignOut);
            }
        }
    }
    unwatch_parted(state, &mut effects);
    effects
}

/// A channel left stops its live feeds.
fn unwatch_parted(state: &mut AppState, effects: &mut Vec<Effect>) {
    if !state.feeds {
        return;
    }
    let parted: Vec<Login> = effects
        .iter()
        .filter_map(|e| match e {
            Effect::Part(channel) => Some(channel.clone()),
            _ => None,
        })
        .collect();
    for channel in parted {
        effects.push(Effect::Unwatch(channel));
    }
}

/// Pasted text goes into the input line (or the search), up to [`input::MAX_PASTE`]
/// characters in all; the rest is dropped, and the user told.
fn paste(state: &mut AppState, text: &str) {
    let held = match &state.mode {
        Mode::Search { query, .. } => query.chars().count(),
        _ => state.input.text.chars().count(),
    };
    let room = input::MAX_PASTE.saturating_sub(held);
    let kept = match text.char_indices().nth(room) {
        Some((end, _)) => &text[..end],
        None => text,
    };
    match &mut state.mode {
        Mode::Search { query, .. } => query.push_str(&sanitize(&kept.replace(['\r', '\n'], " "))),
        _ => {
            state.leave_select();
            state.input.insert(kept);
        }
    }
    if kept.len() < text.len() {
        let dropped = text.chars().count() - kept.chars().count();
        system_here(
            state,
            Level::Info,
            format!(
                "The paste was cut to fit: the input line holds {} characters at most (Twitch takes {} per message); {dropped} were left out.",
                input::MAX_PASTE,
                input::MAX_CHARS
            ),
        );
    }
}

/// Adds a system line to a channel; if it lands out of sight below the focused channel's paused
/// view, the status line shows it too.
fn system(state: &mut AppState, channel: &str, level: Level, text: String) {
    system_about(state, channel, level, text, None);
}

/// [`system`] for a line that tells of a moderation action: when a line about the same action
/// came moments ago (Twitch's echo of it, or our confirmation), that line becomes this one.
fn system_about(
    state: &mut AppState,
    channel: &str,
    level: Level,
    text: String,
    about: Option<About>,
) {
    let (now, cap) = (state.now, state.settings.scrollback);
    let paused_here = state
        .focused()
        .is_some_and(|c| c.is_room(channel) && c.anchor.is_some());
    if paused_here {
        state.feedback = Some((level, text.clone()));
    }
    let Some(chan) = state.channel_mut(channel) else {
        return;
    };
    if let Some(about) = &about
        && let Some(line) = chan.line_about(about, now)
    {
        (line.level, line.text) = (level, text);
        return;
    }
    chan.push(now, Body::System(System { level, text, about }), cap);
}

/// Adds a system line to the focused channel.
fn system_here(state: &mut AppState, level: Level, text: String) {
    let (now, cap) = (state.now, state.settings.scrollback);
    let Some(chan) = state.focused_mut() else {
        return;
    };
    let paused = chan.anchor.is_some();
    chan.push(
        now,
        Body::System(System {
            level,
            text: text.clone(),
            about: None,
        }),
        cap,
    );
    if paused {
        state.feedback = Some((level, text));
    }
}

/// The user-list group a chatter's badges put them in.
fn group_of(badges: &[BadgeKind]) -> Group {
    if badges.contains(&BadgeKind::Broadcaster) {
        Group::Broadcaster
    } else if badges.contains(&BadgeKind::Moderator) {
        Group::Moderators
    } else if badges.contains(&BadgeKind::Vip) {
        Group::Vips
    } else if badges
        .iter()
        .any(|b| matches!(b, BadgeKind::Subscriber { .. } | BadgeKind::Founder))
    {
        Group::Subscribers
    } else {
        Group::Others
    }
}

/// Switches tabs and clears the new tab's unread counters.
fn focus(state: &mut AppState, index: usize) {
    if index < state.channels.len() {
        state.leave_select();
        state.focus = index;
        let chan = &mut state.channels[index];
        chan.unread = 0;
        chan.mentions = 0;
    }
}

/// Opens a tab (or focuses it) and asks the actor to join.
fn join(state: &mut AppState, channel: Login, effects: &mut Vec<Effect>) {
    match state.channels.iter().position(|c| c.is_room(&channel)) {
        Some(index) => focus(state, index),
        None => {
            state.channels.push(Channel::new(channel.clone()));
            focus(state, state.channels.len() - 1);
            effects.push(Effect::Join(channel));
        }
    }
}

fn part(state: &mut AppState, channel: Login, effects: &mut Vec<Effect>) {
    let Some(index) = state.channels.iter().position(|c| c.is_room(&channel)) else {
        system_here(
            state,
            Level::Info,
            format!("#{channel} is not open here, so there is nothing to leave."),
        );
        return;
    };
    state.channels.remove(index);
    state.pending.retain(|_, (name, _, _)| *name != channel);
    let focus_on = state.focus.min(state.channels.len().saturating_sub(1));
    focus(state, focus_on);
    effects.push(Effect::Part(channel));
}

/// Closes the focused whisper conversation.
fn close_conversation(state: &mut AppState) {
    state.channels.remove(state.focus);
    let focus_on = state.focus.min(state.channels.len().saturating_sub(1));
    focus(state, focus_on);
}

/// Runs a slash-command or sends chat.
fn submit(state: &mut AppState, effects: &mut Vec<Effect>) {
    let line = state.input.take();
    let text = line.trim();
    if text.is_empty() {
        return;
    }
    match command::parse(text) {
        None => send(state, text.to_owned(), false, effects),
        Some(Ok((_, UserCommand::Me(text)))) => send(state, text, true, effects),
        Some(Ok((_, UserCommand::Join(channels)))) => {
            for channel in channels {
                join(state, channel, effects);
            }
        }
        Some(Ok((_, UserCommand::Part(None))))
            if state.focused().is_some_and(|c| c.kind != Kind::Room) =>
        {
            close_conversation(state);
        }
        Some(Ok((_, UserCommand::Part(channel)))) => {
            if let Some(channel) = channel.or_else(|| state.focused().map(|c| c.name.clone())) {
                part(state, channel, effects);
            }
        }
        Some(Ok((_, UserCommand::Quit))) => effects.push(Effect::Quit),
        Some(Ok((_, UserCommand::Help(None)))) => open_help(state),
        Some(Ok((spec, command))) => moderation::command(state, spec, command, effects),
        Some(Err(error)) => {
            system_here(state, Level::Error, error.to_string());
            state.input.fill(&line);
        }
    }
}

/// What `action` does, in any mode.
fn act(state: &mut AppState, action: Action, effects: &mut Vec<Effect>) {
    let count = state.channels.len();
    let page = state.message_rows().saturating_sub(2).max(1);
    match action {
        Action::NextTab if count > 0 => focus(state, (state.focus + 1) % count),
        Action::PrevTab if count > 0 => focus(state, (state.focus + count - 1) % count),
        Action::Tab(n) => focus(state, usize::from(n).saturating_sub(1)),
        Action::ScrollUp => scroll_up(state, 1),
        Action::ScrollDown => scroll_down(state, 1),
        Action::PageUp => scroll_up(state, page),
        Action::PageDown => scroll_down(state, page),
        Action::ScrollTop => {
            if let Some(chan) = state.focused_mut() {
                chan.anchor = chan.messages.front().map(|e| e.seq);
            }
        }
        Action::ScrollBottom => {
            if let Some(chan) = state.focused_mut() {
                chan.anchor = None;
            }
        }
        Action::ToggleUsers if !state.show_users && state.size.0 < super::USER_LIST_MIN_WIDTH => {
            state.feedback = Some((
                Level::Info,
                format!(
                    "The user list needs a window {} columns wide.",
                    super::USER_LIST_MIN_WIDTH
                ),
            ));
        }
        Action::ToggleUsers => {
            // Shown, the list takes the keys (type to find a name); again, it goes.
            state.leave_select();
            state.show_users = !state.show_users;
            state.mode = if state.show_users {
                Mode::Users {
                    filter: String::new(),
                    selected: 0,
                }
            } else {
                Mode::Input
            };
        }
        Action::Help => open_help(state),
        Action::Log => {
            state.leave_select();
            state.overlay = Some(Overlay::Log { scroll: 0 });
        }
        Action::ModLog => {
            state.leave_select();
            state.overlay = Some(Overlay::ModLog {
                scroll: 0,
                filter: String::new(),
            });
        }
        Action::Hints => hints::start_hints(state),
        Action::Search => {
            state.mode = Mode::Search {
                query: String::new(),
                current: None,
                found: None,
            }
        }
        Action::Select => keys::toggle_select(state),
        Action::Held => queue::select_held(state),
        Action::Queue => match state.channels.iter().position(|c| c.kind == Kind::Queue) {
            Some(index) => focus(state, index),
            None => {
                let text = "Nothing has waited for a moderator yet: the queue tab opens with the first held message or unban request.";
                state.feedback = Some((Level::Info, text.into()));
            }
        },
        Action::Whispers => whispers::go_to(state),
        Action::Retry => retry(state, effects),
        Action::Quit => effects.push(Effect::Quit),
        _ => {}
    }
}

fn open_help(state: &mut AppState) {
    state.overlay = Some(Overlay::Help {
        scroll: 0,
        filter: String::new(),
    });
}

fn scroll_up(state: &mut AppState, n: usize) {
    if let Some(chan) = state.focused_mut()
        && let Some(last) = chan.messages.back().map(|e| e.seq)
    {
        chan.anchor = chan.step(chan.anchor.unwrap_or(last), -(n as isize));
    }
}

fn scroll_down(state: &mut AppState, n: usize) {
    if let Some(chan) = state.focused_mut() {
        let last = chan.messages.back().map(|e| e.seq);
        chan.anchor = chan
            .anchor
            .and_then(|a| chan.step(a, n as isize))
            .filter(|a| Some(*a) != last);
    }
}

/// `10m`, `1h 30m`, `45s`.
pub fn short_duration(seconds: u64) -> String {
    let (d, h, m, s) = (
        seconds / 86_400,
        seconds / 3600 % 24,
        seconds / 60 % 60,
        seconds % 60,
    );
    let parts: Vec<String> = [(d, "d"), (h, "h"), (m, "m"), (s, "s")]
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, unit)| format!("{n}{unit}"))
        .collect();
    if parts.is_empty() {
        "0s".to_owned()
    } else {
        parts.join(" ")
    }
}

/// The outage line: why, and when the next attempt is (`attempt` counts from 1).
fn disconnected_text(connection: &Connection, now: i64, attempt: u32) -> String {
    match connection {
        Connection::Reconnecting { at, reason } => {
            let secs = ((at - now).max(0) as u64).div_ceil(1000);
            let next = match secs {
                0 => "now".to_owned(),
                s => format!("in {}", short_duration(s)),
            };
            match attempt {
                1 => format!("Disconnected ({reason}); reconnecting {next}."),
                n => format!("Disconnected ({reason}); reconnecting, attempt {n}, next {next}."),
            }
        }
        Connection::LoginFailed(reason) => format!("Login failed: {reason}."),
        Connection::Connecting { .. } | Connection::Connected => String::new(),
    }
}
