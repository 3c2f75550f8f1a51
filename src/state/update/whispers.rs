//! Whisper conversations: a tab per user, opened by the first whisper either way. Incoming
//! whispers (from the live feeds) count as unread mentions and show on the status line;
//! text typed in a conversation is whispered (Helix), and what we whispered, from any tab,
//! shows in the conversation once Twitch took it.

use super::super::channel::{Channel, Kind};
use super::super::message::{Author, Body, Chat, Level, System};
use super::super::{AppState, Effect};
use super::{system, system_here};
use crate::state::text::sanitize;
use crate::twitch::Login;
use crate::twitch::eventsub::events::Whisper;
use crate::twitch::helix::{Call, Failure, Reply};

/// The index of the conversation with `login`, opened (not focused) when there is none.
fn conversation(state: &mut AppState, login: &Login, display: &str) -> usize {
    let open = state
        .channels
        .iter()
        .position(|c| matches!(c.kind, Kind::Whisper { .. }) && c.name == *login);
    open.unwrap_or_else(|| {
        state
            .channels
            .push(Channel::whisper(login.clone(), display.to_owned()));
        state.channels.len() - 1
    })
}

/// A whisper came: it goes into its conversation, counted and told on the status line when
/// the user is looking elsewhere.
pub(super) fn received(state: &mut AppState, whisper: Whisper) {
    let author = super::feeds::author(&whisper.from);
    let display = author.display.clone();
    let text = sanitize(&whisper.text).into_owned();
    let index = conversation(state, &whisper.from.login, &display);
    let (now, cap) = (state.now, state.settings.scrollback);
    let focused = state.focus == index;
    let chan = &mut state.channels[index];
    chan.push(now, Body::Chat(Chat::plain(author, text.clone())), cap);
    if !focused {
        chan.unread = chan.unread.saturating_add(1);
        chan.mentions = chan.mentions.saturating_add(1);
        let tab = index + 1;
        state.feedback = Some((
            Level::Notice,
            format!("✉ {display} whispers (tab {tab}): {text}"),
        ));
    }
}

/// Goes to the whisper conversation with unread whispers (the last such tab), or the newest
/// conversation; says so when there is none.
pub(super) fn go_to(state: &mut AppState) {
    let conversations: Vec<(usize, u32)> = state
        .channels
        .iter()
        .enumerate()
        .filter(|(_, c)| matches!(c.kind, Kind::Whisper { .. }))
        .map(|(i, c)| (i, c.unread))
        .collect();
    let news = conversations.iter().rev().find(|(_, unread)| *unread > 0);
    match news.or(conversations.last()) {
        Some((index, _)) => super::focus(state, *index),
        None => {
            let text =
                "No whisper conversation yet: one opens with the first whisper (or /w user text).";
            state.feedback = Some((Level::Info, text.into()));
        }
    }
}

/// Text typed in a conversation is whispered to its user.
pub(super) fn reply(state: &mut AppState, text: String, effects: &mut Vec<Effect>) {
    let Some(to) = state.focused().map(|c| c.name.clone()) else {
        return;
    };
    effects.push(Effect::Helix {
        channel: to.clone(),
        call: Call::Whisper { to, text },
    });
}

/// Twitch took (or refused) a whisper typed in `channel`: it shows in its conversation, with
/// a line in the channel it was typed in when that is not the conversation. A refusal is told
/// where it was typed (in the conversation when that channel is not open), with the text.
pub(super) fn answered(
    state: &mut AppState,
    channel: &Login,
    to: &Login,
    text: &str,
    result: Result<Reply, Failure>,
) {
    let in_conversation = state
        .focused()
        .is_some_and(|c| matches!(c.kind, Kind::Whisper { .. }) && c.name == *to);
    let from_room = !in_conversation && state.channels.iter().any(|c| c.is_room(channel));
    if let Err(failure) = result {
        let refused = super::refusals::plain(
            state,
            channel,
            &Call::Whisper {
                to: to.clone(),
                text: text.to_owned(),
            },
            &failure,
        );
        let text = format!("{refused} Not sent: {text}");
        if in_conversation {
            system_here(state, Level::Error, text);
        } else if from_room {
            system(state, channel.as_str(), Level::Error, text);
        } else {
            // Typed in the conversation, which is no longer in front: it is told there.
            let index = conversation(state, to, to.as_str());
            let (now, cap) = (state.now, state.settings.scrollback);
            let line = System {
                level: Level::Error,
                text,
                about: None,
            };
            state.channels[index].push(now, Body::System(line), cap);
        }
        return;
    }
    let login = state.account.login.clone().unwrap_or_default();
    let author = Author {
        display: state
            .account
            .display
            .clone()
            .unwrap_or_else(|| login.clone()),
        login,
        color: state.account.color,
        badges: Vec::new(),
    };
    let index = conversation(state, to, to.as_str());
    let (now, cap) = (state.now, state.settings.scrollback);
    state.channels[index].push(now, Body::Chat(Chat::plain(author, text.to_owned())), cap);
    if from_room {
        let text = format!("You whispered to {to} (tab {}): {text}", index + 1);
        system(state, channel.as_str(), Level::Notice, text);
    }
}
