//! Our chat going out: typed in a channel (shown at once as pending), whispered in a
//! conversation, refused in the queue tab; taken back while it waits; sent again after a
//! failure.

use super::super::channel::Kind;
use super::super::input;
use super::super::keymap::{Action, KeyMode};
use super::super::message::{Author, Body, Chat, Level, SendState};
use super::super::{AppState, Effect, Mode};
use super::{system_here, whispers};
use crate::twitch::chat::OutgoingMessage;

/// Sends chat typed in the focused channel, showing it at once as pending.
pub(super) fn send(state: &mut AppState, text: String, action: bool, effects: &mut Vec<Effect>) {
    let Some(chan) = state.focused() else {
        return;
    };
    let (channel, kind) = (chan.name.clone(), chan.kind.clone());
    if kind == Kind::Queue {
        let key = state.key_for(KeyMode::Normal, Action::Held);
        let allow = state.key_for(KeyMode::Select, Action::Allow);
        let deny = state.key_for(KeyMode::Select, Action::Deny);
        system_here(
            state,
            Level::Info,
            format!(
                "The queue takes no chat: {key} selects what waits, then {allow} allows and {deny} denies. Your text is still in the input line."
            ),
        );
        state.input.fill(&text);
        return;
    }
    if state.account.anonymous || state.account.signed_out.is_some() {
        system_here(
            state,
            Level::Error,
            "Read-only: log in to chat (`ttvchat login`). Your text is still in the input line."
                .into(),
        );
        state.input.fill(&text);
        return;
    }
    if kind != Kind::Room {
        if action {
            system_here(
                state,
                Level::Error,
                "Whispers cannot be actions (/me). Your text is still in the input line.".into(),
            );
            state.input.fill(&format!("/me {text}"));
        } else {
            whispers::reply(state, text, effects);
        }
        return;
    }
    let over = text.chars().count().saturating_sub(input::MAX_CHARS);
    if over > 0 {
        system_here(
            state,
            Level::Error,
            format!(
                "Not sent: that is {over} character{} over Twitch's limit of {}, and Twitch would cut it. Your text is still in the input line.",
                if over == 1 { "" } else { "s" },
                input::MAX_CHARS
            ),
        );
        state
            .input
            .fill(&if action { format!("/me {text}") } else { text });
        return;
    }
    let reply = state.input.reply.take();
    let id = state.new_message_id();
    let message = OutgoingMessage {
        channel: channel.clone(),
        text: text.clone(),
        action,
        reply_to: reply.as_ref().map(|(id, _)| id.clone()),
    };
    let login = state.account.login.clone().unwrap_or_default();
    let display = state
        .account
        .display
        .clone()
        .unwrap_or_else(|| login.clone());
    let chat = Chat {
        id: None,
        author: Author {
            login: login.clone(),
            display,
            color: state.account.color,
            badges: state
                .focused()
                .map(|c| c.my_badges.clone())
                .unwrap_or_default(),
        },
        emotes: Vec::new(),
        text,
        action,
        mention: false,
        first: false,
        bits: None,
        paid: None,
        reply: reply.map(|(_, label)| {
            let (name, text) = label.split_once(": ").unwrap_or((&label, ""));
            super::super::message::ReplyTo {
                name: name.to_owned(),
                text: text.to_owned(),
            }
        }),
        send: Some(SendState::Pending(id)),
        held: None,
        suspect: None,
    };
    let (now, cap) = (state.now, state.settings.scrollback);
    let Some(chan) = state.focused_mut() else {
        return;
    };
    let seq = chan.push(now, Body::Chat(chat), cap);
    chan.anchor = None;
    state.pending.insert(id, (channel, seq, message.clone()));
    effects.push(Effect::Send { id, message });
}

/// Takes back our message `seq` of the focused channel while it waits (slow mode, the rate
/// limit); with `edit`, its text then comes back to the input line. The chat actor answers:
/// taken back, or it had already gone out.
pub(super) fn take_back(state: &mut AppState, seq: u64, edit: bool, effects: &mut Vec<Effect>) {
    let waiting = state
        .focused()
        .and_then(|c| c.entry(seq))
        .and_then(|e| match &e.body {
            Body::Chat(Chat {
                send: Some(SendState::Throttled(id, _) | SendState::Pending(id)),
                ..
            }) => Some(*id),
            _ => None,
        });
    let Some(id) = waiting else {
        state.feedback = Some((
            Level::Info,
            "Only your own messages that have not gone out yet can be taken back.".into(),
        ));
        return;
    };
    state.taking_back = Some((id, edit));
    state.feedback = Some((Level::Info, "Taking it back…".into()));
    effects.push(Effect::Cancel(id));
}

/// Sends a failed message again: the selected one, or the newest failed one in this channel.
pub(super) fn retry(state: &mut AppState, effects: &mut Vec<Effect>) {
    let Some(chan) = state.focused() else { return };
    let selected = chan.selected.filter(|_| state.mode == Mode::Select);
    let failed = chan
        .messages
        .iter()
        .rev()
        .filter(|e| selected.is_none_or(|s| e.seq == s))
        .find_map(|e| match &e.body {
            Body::Chat(Chat {
                send: Some(SendState::Failed { id, .. }),
                ..
            }) => Some(*id),
            _ => None,
        });
    let Some(old) = failed else {
        let text = "No failed message here to send again.";
        system_here(state, Level::Info, text.into());
        state.feedback = Some((Level::Info, text.into()));
        return;
    };
    let Some((channel, seq, message)) = state.pending.remove(&old) else {
        return;
    };
    let id = state.new_message_id();
    if let Some(Body::Chat(chat)) = state
        .channel_mut(channel.as_str())
        .and_then(|c| c.entry_mut(seq))
        .map(|e| &mut e.body)
    {
        chat.send = Some(SendState::Pending(id));
    }
    state.feedback = Some((
        Level::Info,
        format!("Sending again: {}", input::preview(&message.text)),
    ));
    state.pending.insert(id, (channel, seq, message.clone()));
    effects.push(Effect::Send { id, message });
}
