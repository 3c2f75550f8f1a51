//! What waits for a moderator: messages AutoMod holds and unban requests. Each shows in its
//! channel, marked, and in the queue tab that gathers every channel's; one key allows
//! (approves) and one denies the selected one, in either tab, and both lines then say who
//! decided, including other moderators, or that it expired.

use super::super::channel::{Channel, Kind};
use super::super::message::{Body, Chat, Hold, HoldKind, HoldState, Level};
use super::super::{AppState, Effect, Mode};
use super::feeds::author;
use super::{system, system_here};
use crate::state::text::sanitize;
use crate::twitch::Login;
use crate::twitch::eventsub::events::{Held, HoldReason, UnbanRequest, User};
use crate::twitch::helix::{Call, Failure, PendingUnban, Reply};

/// The queue tab's name (its label is "⚑ queue").
const QUEUE: &str = "queue";

/// A line waiting for a decision, written by `user`.
fn waiting(user: &User, text: &str, hold: Hold) -> Chat {
    Chat {
        held: Some(Box::new(hold)),
        ..Chat::plain(author(user), sanitize(text).into_owned())
    }
}

/// A held message goes into its channel, marked, and into the queue tab.
pub(super) fn automod(state: &mut AppState, held: Held) {
    let reason = match &held.reason {
        HoldReason::Automod { category, level } => {
            format!("{}, level {level}", sanitize(category))
        }
        HoldReason::BlockedTerm { terms } if terms.is_empty() => "a blocked term".into(),
        HoldReason::BlockedTerm { terms } => format!(
            "blocked term {}",
            terms
                .iter()
                .map(|t| format!("“{}”", sanitize(t)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    let hold = Hold {
        id: held.message_id,
        channel: held.broadcaster.login,
        kind: HoldKind::Automod,
        reason,
        state: HoldState::Pending,
    };
    put(state, waiting(&held.user, &held.text, hold));
}

/// A banned user asks to be unbanned: the request waits in its channel and the queue.
pub(super) fn unban_request(state: &mut AppState, request: UnbanRequest) {
    let hold = unban_hold(request.id, request.broadcaster.login);
    put(state, waiting(&request.user, &request.text, hold));
}

fn unban_hold(id: String, channel: Login) -> Hold {
    Hold {
        id,
        channel,
        kind: HoldKind::Unban,
        reason: String::new(),
        state: HoldState::Pending,
    }
}

/// The unban requests Helix says wait in `channel` (made before we came too): those not shown
/// yet join the channel and the queue.
pub(super) fn pending_unbans(state: &mut AppState, channel: &Login, pending: Vec<PendingUnban>) {
    let shown = |state: &AppState, id: &str| {
        state
            .channels
            .iter()
            .filter(|c| c.is_room(channel))
            .any(|c| {
                c.messages.iter().any(|e| {
                    matches!(&e.body, Body::Chat(Chat { held: Some(h), .. })
                    if h.kind == HoldKind::Unban && h.id == id)
                })
            })
    };
    for request in pending {
        if shown(state, &request.id) {
            continue;
        }
        let user = User {
            id: String::new(),
            login: request.login,
            name: request.display,
        };
        let hold = unban_hold(request.id, channel.clone());
        put(state, waiting(&user, &request.text, hold));
    }
}

/// Shows a waiting line in its channel and in the queue tab (opened at the end when needed),
/// counted where the user is not looking.
fn put(state: &mut AppState, chat: Chat) {
    let Some(channel) = chat.held.as_ref().map(|h| h.channel.clone()) else {
        return;
    };
    if !state.channels.iter().any(|c| c.kind == Kind::Queue) {
        let queue = Login::parse(QUEUE).expect("a valid login");
        state.channels.push(Channel::queue(queue));
    }
    let (now, cap, focus) = (state.now, state.settings.scrollback, state.focus);
    for (index, chan) in state.channels.iter_mut().enumerate() {
        let room = chan.is_room(&channel);
        if !room && chan.kind != Kind::Queue {
            continue;
        }
        chan.push(now, Body::Chat(chat.clone()), cap);
        if index != focus {
            chan.unread = chan.unread.saturating_add(1);
            if room {
                chan.mentions = chan.mentions.saturating_add(1);
            }
        }
    }
}

/// Sets what became of the waiting line `id` (of `kind`) from `channel`, in its channel and
/// the queue; whether there was one.
pub(super) fn set_hold(
    state: &mut AppState,
    channel: &str,
    kind: HoldKind,
    id: &str,
    new: HoldState,
) -> bool {
    let mut found = false;
    let tabs = state
        .channels
        .iter_mut()
        .filter(|c| c.is_room(channel) || c.kind == Kind::Queue);
    for chan in tabs {
        let hold = chan
            .messages
            .iter_mut()
            .rev()
            .find_map(|e| match &mut e.body {
                Body::Chat(Chat { held: Some(h), .. })
                    if h.id == id && h.kind == kind && h.channel.as_str() == channel =>
                {
                    Some(h)
                }
                _ => None,
            });
        if let Some(hold) = hold {
            found = true;
            // A decision stays; an expiry after it changes nothing.
            if !(matches!(hold.state, HoldState::Resolved { .. }) && new == HoldState::Expired) {
                hold.state = new.clone();
            }
        }
    }
    found
}

/// The id of the newest unban request of `user` shown in `channel` (Twitch's news that it
/// was decided may come before Helix's answer).
fn request_of(state: &AppState, channel: &Login, user: &Login) -> Option<String> {
    let chan = state.channels.iter().find(|c| c.is_room(channel))?;
    chan.messages.iter().rev().find_map(|e| match &e.body {
        Body::Chat(Chat {
            held: Some(h),
            author,
            ..
        }) if h.kind == HoldKind::Unban && author.login == user.as_str() => Some(h.id.clone()),
        _ => None,
    })
}

/// Selects the oldest line in the focused tab that still waits, in view, so one more key
/// allows or denies it.
pub(super) fn select_held(state: &mut AppState) {
    let rows = state.message_rows();
    let selecting = state.mode == Mode::Select;
    let Some(chan) = state.focused_mut() else {
        return;
    };
    let waiting = chan.messages.iter().find(|e| {
        matches!(&e.body, Body::Chat(Chat { held: Some(h), .. }) if h.state == HoldState::Pending)
    });
    let Some(seq) = waiting.map(|e| e.seq) else {
        let text = match chan.kind {
            Kind::Queue => "Nothing waits in the queue.".to_owned(),
            _ => format!(
                "Nothing waits here: no held message or unban request in {}.",
                chan.label(true)
            ),
        };
        state.feedback = Some((Level::Info, text));
        return;
    };
    let bottom = chan.anchor.or(chan.messages.back().map(|e| e.seq));
    let in_view = bottom
        .and_then(|b| chan.index_of(b))
        .zip(chan.index_of(seq))
        .is_some_and(|(b, s)| b >= s && b - s < rows);
    if !selecting {
        chan.resume_live = chan.anchor.is_none();
    }
    chan.anchor = if in_view { bottom } else { Some(seq) };
    chan.selected = Some(seq);
    chan.hold_view(rows);
    state.mode = Mode::Select;
}

/// Allows (approves) or denies the selected waiting line; says why not when it cannot be.
pub(super) fn decide(state: &mut AppState, allow: bool, effects: &mut Vec<Effect>) {
    let Some(chan) = state.focused() else { return };
    let selected = chan.selected.and_then(|seq| chan.entry(seq));
    let hold = match selected.map(|e| &e.body) {
        Some(Body::Chat(Chat {
            held: Some(hold),
            author,
            ..
        })) => Some(((**hold).clone(), author.clone())),
        _ => None,
    };
    let Some((hold, author)) = hold else {
        return system_here(
            state,
            Level::Info,
            "Select a message AutoMod holds or an unban request to allow or deny it.".into(),
        );
    };
    if hold.state != HoldState::Pending {
        return system_here(
            state,
            Level::Info,
            "That one no longer waits: it was already decided or expired.".into(),
        );
    }
    let channel = hold.channel.clone();
    let asked = HoldState::Asked(allow);
    set_hold(state, channel.as_str(), hold.kind, &hold.id, asked);
    let call = match hold.kind {
        HoldKind::Automod => Call::Automod {
            message_id: hold.id,
            allow,
            author: author.display,
        },
        HoldKind::Unban => match Login::parse(&author.login) {
            Ok(user) => Call::ResolveUnban {
                user,
                approve: allow,
                text: String::new(),
            },
            Err(_) => return,
        },
    };
    effects.push(Effect::Helix { channel, call });
}

/// Helix's answer to a decision (`/approve-unban` and `/deny-unban` too): the waiting line
/// says what became of it.
pub(super) fn decided(
    state: &mut AppState,
    channel: &Login,
    call: &Call,
    result: Result<Reply, Failure>,
) {
    let (kind, id, allow, what) = match call {
        Call::Automod {
            message_id, allow, ..
        } => (
            HoldKind::Automod,
            Some(message_id.clone()),
            *allow,
            "the held message".to_owned(),
        ),
        Call::ResolveUnban { user, approve, .. } => (
            HoldKind::Unban,
            request_of(state, channel, user),
            *approve,
            format!("{user}'s unban request"),
        ),
        _ => return,
    };
    let me = state.account.display.clone();
    let new = match &result {
        Ok(_) => HoldState::Resolved {
            allowed: allow,
            by: me.unwrap_or_else(|| "you".into()),
        },
        Err(Failure::NotFound { .. }) => HoldState::Expired,
        Err(_) => HoldState::Pending,
    };
    if let Some(id) = &id {
        set_hold(state, channel.as_str(), kind, id, new.clone());
    }
    let (verb, done) = match (kind, allow) {
        (HoldKind::Automod, true) => ("allow", "allowed"),
        (HoldKind::Unban, true) => ("approve", "approved"),
        (_, false) => ("deny", "denied"),
    };
    match result {
        Ok(_) if id.is_none() => {
            let text = format!("You {done} {what}.");
            system(state, channel.as_str(), Level::Notice, text);
        }
        Ok(_) => {}
        Err(Failure::NotFound { .. }) if kind == HoldKind::Automod => system(
            state,
            channel.as_str(),
            Level::Error,
            format!("Could not {verb} {what}: it was already decided or expired."),
        ),
        Err(failure) => system(
            state,
            channel.as_str(),
            Level::Error,
            format!("Could not {verb} {what}: {failure}"),
        ),
    }
}
