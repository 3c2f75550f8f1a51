//! Our own messages AutoMod holds: Twitch's NOTICE marks the line "held by AutoMod"; the
//! live feeds name it (its id) and then say whether a moderator approved or denied it. An
//! approved message that chat then brings back is the line already shown.

use super::super::AppState;
use super::super::channel::Channel;
use super::super::message::{Body, Chat, OwnHold, SendState};
use crate::state::text::sanitize;

/// How many of the newest entries are searched for our held line.
const RECENT: usize = 300;

/// Our newest line in `chan` that `matches`.
fn ours(chan: &mut Channel, matches: impl Fn(&Chat) -> bool) -> Option<&mut Chat> {
    chan.messages
        .iter_mut()
        .rev()
        .take(RECENT)
        .find_map(|e| match &mut e.body {
            Body::Chat(chat) if chat.send.is_some() && matches(chat) => Some(chat),
            _ => None,
        })
}

/// The feeds say AutoMod holds our message `text` in `channel`, under `message_id`.
pub(super) fn held(state: &mut AppState, channel: &str, message_id: &str, text: &str) {
    let Some(chan) = state.channel_mut(channel) else {
        return;
    };
    let text = sanitize(text);
    let waiting =
        |c: &Chat| c.id.is_none() && c.text == text && c.send != Some(SendState::Confirmed);
    if let Some(line) = ours(chan, waiting) {
        line.id = Some(sanitize(message_id).into_owned());
        line.send = Some(SendState::Held(OwnHold::Waiting));
    }
}

/// What a moderator decided about our held message `message_id`.
pub(super) fn updated(state: &mut AppState, channel: &str, message_id: &str, status: &str) {
    let Some(chan) = state.channel_mut(channel) else {
        return;
    };
    let verdict = match status {
        "approved" => OwnHold::Approved,
        "denied" => OwnHold::Denied,
        _ => OwnHold::Expired,
    };
    if let Some(line) = ours(chan, |c| c.id.as_deref() == Some(message_id)) {
        line.send = Some(SendState::Held(verdict));
    }
}

/// Whether `chat`, from us, is our held message coming back approved (then the line we show
/// says so, and no second one is added).
pub(super) fn echoed(chan: &mut Channel, chat: &Chat) -> bool {
    let same = |c: &Chat| {
        matches!(
            c.send,
            Some(SendState::Held(OwnHold::Waiting | OwnHold::Approved))
        ) && (c.text == chat.text || (c.id.is_some() && c.id == chat.id))
    };
    match ours(chan, same) {
        Some(line) => {
            line.send = Some(SendState::Held(OwnHold::Approved));
            true
        }
        None => false,
    }
}
