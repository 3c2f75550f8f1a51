//! Suspicious users: Twitch (or a moderator) marks someone as a likely ban evader or to be
//! watched. Their messages are marked for moderators; a restricted user's messages, which
//! nobody else sees, show to moderators only, marked so. `/monitor`, `/restrict` and their
//! opposites change the treatment, and every moderator sees who changed it.

use super::super::AppState;
use super::super::channel::Channel;
use super::super::message::{About, Body, Chat, Level, Suspect};
use super::feeds::{author, name};
use super::system_about;
use crate::state::text::sanitize;
use crate::twitch::Login;
use crate::twitch::eventsub::events::{SuspiciousMessage, SuspiciousUpdate, Treatment};

/// Why Twitch thinks someone suspicious, in words.
fn why(types: &[String], ban_evasion: &str) -> Option<String> {
    let mut reasons = Vec::new();
    match ban_evasion {
        "likely" => reasons.push("likely ban evader"),
        "possible" => reasons.push("possible ban evader"),
        _ => {}
    }
    for kind in types {
        match kind.as_str() {
            "banned_in_shared_channel" | "shared_channel_ban" => {
                reasons.push("banned in a shared channel")
            }
            "manually_added" | "manual" => reasons.push("marked by a moderator"),
            "ban_evader" | "ban_evader_detector" if reasons.is_empty() => {
                reasons.push("ban evader")
            }
            _ => {}
        }
    }
    reasons.dedup();
    (!reasons.is_empty()).then(|| reasons.join(", "))
}

/// A suspicious user's message: remembered for their next ones, marked when chat already
/// showed it, shown marked when only moderators get it (restricted).
pub(super) fn message(state: &mut AppState, message: SuspiciousMessage) {
    let login = message.user.login.to_string();
    let suspect = Suspect {
        restricted: message.treatment == Treatment::Restricted,
        why: why(&message.types, &message.ban_evasion),
    };
    let (now, cap) = (state.now, state.settings.scrollback);
    let focused = state
        .focused()
        .is_some_and(|c| c.is_room(&message.broadcaster.login));
    let Some(chan) = state.channel_mut(message.broadcaster.login.as_str()) else {
        return;
    };
    if message.treatment == Treatment::None {
        chan.suspects.remove(&login);
    } else {
        chan.suspects.insert(login.clone(), suspect.clone());
    }
    let seen = chan
        .messages
        .iter_mut()
        .rev()
        .find_map(|e| match &mut e.body {
            Body::Chat(chat) if chat.id.as_deref() == Some(message.message_id.as_str()) => {
                Some(chat)
            }
            _ => None,
        });
    if let Some(chat) = seen {
        chat.suspect = Some(Box::new(suspect));
        return;
    }
    if !suspect.restricted {
        // Chat brings it, and it is marked then.
        return;
    }
    let chat = Chat {
        id: Some(sanitize(&message.message_id).into_owned()),
        suspect: Some(Box::new(suspect)),
        ..Chat::plain(author(&message.user), sanitize(&message.text).into_owned())
    };
    chan.push(now, Body::Chat(chat), cap);
    if !focused {
        chan.unread = chan.unread.saturating_add(1);
    }
}

/// A moderator changed how someone is treated: remembered, and told in one line (ours and
/// Twitch's news of it are the same line).
pub(super) fn update(state: &mut AppState, update: SuspiciousUpdate) {
    let login = update.user.login.to_string();
    let channel = update.broadcaster.login;
    if let Some(chan) = state.channel_mut(channel.as_str()) {
        treat(chan, &login, update.treatment);
    }
    let text = treated(
        Some(&name(&update.moderator)),
        &name(&update.user),
        update.treatment,
    );
    system_about(
        state,
        channel.as_str(),
        Level::Notice,
        text,
        Some(About::Suspicion(login)),
    );
}

/// `by` (`None`: we) changed how `user` is treated, in words.
pub(super) fn treated(by: Option<&str>, user: &str, treatment: Treatment) -> String {
    let (by, is, treats) = match by {
        Some(by) => (by, "is", "treats"),
        None => ("You", "are", "treat"),
    };
    match treatment {
        Treatment::Monitored => {
            format!("{by} {is} monitoring {user}: their messages are marked for moderators.")
        }
        Treatment::Restricted => {
            format!("{by} restricted {user}: only moderators see their messages.")
        }
        Treatment::None => format!("{by} no longer {treats} {user} as suspicious."),
    }
}

/// Helix took our `/monitor`, `/restrict` or their opposite: remembered at once.
pub(super) fn changed(state: &mut AppState, channel: &Login, user: &Login, treatment: Treatment) {
    if let Some(chan) = state.channel_mut(channel.as_str()) {
        treat(chan, user.as_str(), treatment);
    }
}

/// `login` is now treated so in `chan`.
fn treat(chan: &mut Channel, login: &str, treatment: Treatment) {
    if treatment == Treatment::None {
        chan.suspects.remove(login);
        return;
    }
    let suspect = chan.suspects.entry(login.to_owned()).or_insert(Suspect {
        restricted: false,
        why: Some("marked by a moderator".into()),
    });
    suspect.restricted = treatment == Treatment::Restricted;
}
