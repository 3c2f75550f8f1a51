//! Commands and keys that go through Helix: who may run them here (role and scopes, with a
//! sentence saying why not), the calls they make, the user card and the ban question. What
//! comes back is in `answers`, what is refused before sending in `refusals`.

use super::super::channel::{Channel, Kind};
use super::super::command::{Role, Spec, UserCommand};
use super::super::keymap::{Action, KeyMode};
use super::super::message::{BadgeKind, Body, Chat, Level};
use super::super::{AppState, CardView, Effect, Overlay, TIMEOUT_S};
use super::refusals::foreseen;
use super::{send, system, system_here};
use crate::twitch::Login;
use crate::twitch::helix::Call;

/// Our role in a channel, from our badges there.
pub(super) fn my_role(state: &AppState, chan: &Channel) -> Role {
    if chan.my_badges.contains(&BadgeKind::Broadcaster)
        || state.account.login.as_deref() == Some(chan.name.as_str())
    {
        Role::Broadcaster
    } else if chan.my_badges.contains(&BadgeKind::Moderator) {
        Role::Moderator
    } else {
        Role::Anyone
    }
}

/// Why a command may not run here.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NotPermitted {
    #[error("/{command} is not a command")]
    Unknown { command: String },
    #[error("/{command} needs you logged in: run `ttvchat login`.")]
    LoggedOut { command: &'static str },
    #[error("/{command} is for moderators, and you are not a moderator in #{channel}.")]
    Moderators {
        command: &'static str,
        channel: Login,
    },
    #[error("/{command} is for the broadcaster of #{channel} only.")]
    Broadcaster {
        command: &'static str,
        channel: Login,
    },
    #[error(
        "/{command} needs the {} scope, which your login did not grant: run `ttvchat login` again.",
        scopes.join(" or ")
    )]
    Scope {
        command: &'static str,
        scopes: &'static [&'static str],
    },
}

/// Whether we may run `spec` in `channel`; the reason we may not otherwise.
pub(in crate::state) fn permitted(
    state: &AppState,
    channel: &Login,
    spec: &Spec,
) -> Result<(), NotPermitted> {
    let command = spec.name;
    if state.account.signed_out.is_some() || state.account.anonymous || !state.has_helix() {
        return Err(NotPermitted::LoggedOut { command });
    }
    let role = state
        .channels
        .iter()
        .find(|c| c.is_room(channel))
        .map_or(Role::Anyone, |c| my_role(state, c));
    if role < spec.role {
        let channel = channel.clone();
        return Err(match spec.role {
            Role::Moderator => NotPermitted::Moderators { command, channel },
            _ => NotPermitted::Broadcaster { command, channel },
        });
    }
    if let Some(scopes) = &state.account.scopes
        && !spec.scopes.is_empty()
        && !spec.scopes.iter().any(|s| scopes.iter().any(|g| g == s))
    {
        return Err(NotPermitted::Scope {
            command,
            scopes: spec.scopes,
        });
    }
    Ok(())
}

/// Runs a parsed command that is not plain chat or a tab change.
pub(super) fn command(
    state: &mut AppState,
    spec: &'static Spec,
    command: UserCommand,
    effects: &mut Vec<Effect>,
) {
    let Some(chan) = state.focused() else {
        return;
    };
    // Outside a channel's tab there is no channel to act in: a conversation takes whispers,
    // the user's card and replies (whispered); the queue only whispers.
    let here = matches!(
        (&chan.kind, &command),
        (Kind::Room, _)
            | (
                _,
                UserCommand::Help(_) | UserCommand::Helix(Call::Whisper { .. })
            )
            | (
                Kind::Whisper { .. },
                UserCommand::User(_) | UserCommand::Reply { .. }
            )
    );
    if !here {
        let text = format!(
            "/{} works in a channel's tab, not in {}.",
            spec.name,
            chan.label(true)
        );
        return system_here(state, Level::Info, text);
    }
    let channel = chan.name.clone();
    match command {
        UserCommand::Help(Some(spec)) => system_here(state, Level::Info, spec.describe()),
        UserCommand::User(user) => user_card(state, user.as_str(), effects),
        UserCommand::Reply { user, text } => reply(state, &user, text, effects),
        UserCommand::Helix(call) => checked(state, channel, spec, call, effects),
        _ => {}
    }
}

/// Opens the card of `login` in the focused channel, by name: it holds on to their newest
/// message here, which it shows.
pub(super) fn user_card(state: &mut AppState, login: &str, effects: &mut Vec<Effect>) {
    let Some(chan) = state.focused() else { return };
    let Ok(user) = Login::parse(login) else {
        return;
    };
    let channel = chan.name.clone();
    let newest = chats_from(chan, login).next().map(|(seq, _)| seq);
    open_card(state, channel, user, newest, effects)
}

/// Makes `call` in `channel` if `spec`'s needs are met; says why not otherwise.
fn checked(
    state: &mut AppState,
    channel: Login,
    spec: &Spec,
    call: Call,
    effects: &mut Vec<Effect>,
) {
    let checked = permitted(state, &channel, spec)
        .map_err(|e| e.to_string())
        .and_then(|()| foreseen(state, &channel, &call).map_or(Ok(()), Err));
    match checked {
        Ok(()) => effects.push(Effect::Helix { channel, call }),
        Err(why) => system(state, channel.as_str(), Level::Error, why),
    }
}

/// The chat messages of `login` in `chan`, newest first.
pub(super) fn chats_from<'a>(
    chan: &'a Channel,
    login: &'a str,
) -> impl Iterator<Item = (u64, &'a Chat)> + 'a {
    chan.messages
        .iter()
        .rev()
        .filter_map(move |e| match &e.body {
            Body::Chat(chat) if chat.author.login == login => Some((e.seq, chat)),
            _ => None,
        })
}

/// `/reply user text`: a reply to the user's newest message here that Twitch gave an id.
fn reply(state: &mut AppState, user: &Login, text: String, effects: &mut Vec<Effect>) {
    let newest = state.focused().and_then(|chan| {
        chats_from(chan, user.as_str()).find_map(|(_, chat)| {
            let id = chat.id.clone()?;
            Some((id, format!("{}: {}", chat.author.display, chat.text)))
        })
    });
    match newest {
        Some(parent) => {
            state.input.reply = Some(parent);
            send(state, text, false, effects);
        }
        None => {
            system_here(
                state,
                Level::Error,
                format!(
                    "{user} has said nothing here to reply to. Your text is still in the input line."
                ),
            );
            state.input.fill(&format!("/reply {user} {text}"));
        }
    }
}

/// Opens `user`'s card in `channel`, holding on to `message` (the one its `d` deletes), and
/// asks Helix for their details.
pub(super) fn open_card(
    state: &mut AppState,
    channel: Login,
    user: Login,
    message: Option<u64>,
    effects: &mut Vec<Effect>,
) {
    let error = (!state.has_helix() || state.account.signed_out.is_some())
        .then(|| "Log in (`ttvchat login`) to see account details.".to_owned());
    if error.is_none() {
        let follows = state
            .channels
            .iter()
            .find(|c| c.is_room(&channel))
            .is_some_and(|c| my_role(state, c) >= Role::Moderator);
        effects.push(Effect::Helix {
            channel: channel.clone(),
            call: Call::Card {
                user: user.clone(),
                follows,
            },
        });
    }
    state.overlay = Some(Overlay::Card(CardView {
        channel,
        login: user,
        message,
        info: None,
        error,
        scroll: 0,
    }));
}

/// Who a moderation key acts on: the selected message's author (and the message), or the
/// card's user (and the message the card shows as theirs to delete).
struct Target {
    channel: Login,
    login: Login,
    display: String,
    /// The message (its seq here) and Twitch's id for it.
    message: Option<(u64, Option<String>)>,
    text: String,
}

fn selected_target(state: &AppState) -> Option<Target> {
    let chan = state.focused()?;
    target_of(chan, chan.selected?)
}

/// The author of the entry `seq` in `chan`, with the message. In the queue tab: the author in
/// the channel the line waits in, without the message (its seq is the queue's, not the
/// channel's); in a whisper conversation: nobody (no channel to act in).
fn target_of(chan: &Channel, seq: u64) -> Option<Target> {
    let Body::Chat(chat) = &chan.entry(seq)?.body else {
        return None;
    };
    let (channel, message) = match &chan.kind {
        Kind::Room => (chan.name.clone(), Some((seq, chat.id.clone()))),
        Kind::Queue => (chat.held.as_ref()?.channel.clone(), None),
        Kind::Whisper { .. } => return None,
    };
    Some(Target {
        channel,
        login: Login::parse(&chat.author.login).ok()?,
        display: chat.author.display.clone(),
        message,
        text: chat.text.clone(),
    })
}

fn card_target(state: &AppState, view: &CardView) -> Target {
    let shown = state
        .channels
        .iter()
        .find(|c| c.is_room(&view.channel))
        .and_then(|chan| target_of(chan, view.message?));
    shown.unwrap_or_else(|| Target {
        channel: view.channel.clone(),
        login: view.login.clone(),
        display: view.login.as_str().to_owned(),
        message: None,
        text: String::new(),
    })
}

/// A moderation key in select mode: acts on the selected message.
pub(super) fn select_key(state: &mut AppState, action: Action, effects: &mut Vec<Effect>) {
    match selected_target(state) {
        Some(target) => act(state, action, target, effects),
        None if state
            .focused()
            .is_some_and(|c| matches!(c.kind, Kind::Whisper { .. })) =>
        {
            system_here(
                state,
                Level::Info,
                "Moderation keys act in a channel's tab; this is a whisper conversation.".into(),
            )
        }
        None => system_here(
            state,
            Level::Info,
            "Select a chat message first (Up/Down in select mode).".into(),
        ),
    }
}

/// A moderation key in the user card: acts on the card's user.
pub(super) fn card_key(state: &mut AppState, action: Action, effects: &mut Vec<Effect>) {
    let Some(Overlay::Card(view)) = &state.overlay else {
        return;
    };
    let target = card_target(state, view);
    state.overlay = None;
    act(state, action, target, effects);
}

fn act(state: &mut AppState, action: Action, target: Target, effects: &mut Vec<Effect>) {
    let Target {
        channel,
        login,
        display,
        message,
        text,
    } = target;
    let message_id = message.as_ref().and_then(|(_, id)| id.clone());
    let spec = |name: &str| Spec::find(name).expect("moderation commands are in the table");
    let own = state.account.login.as_deref() == Some(login.as_str());
    let seconds = match action {
        Action::Timeout => Some(TIMEOUT_S),
        Action::Preset(n) => state.preset(n),
        _ => None,
    };
    match action {
        Action::Card => {
            let seq = message.map(|(seq, _)| seq);
            open_card(state, channel, login, seq, effects)
        }
        Action::Reply => match message_id {
            Some(id) => {
                state.input.reply = Some((id, format!("{display}: {text}")));
                if state.input.is_empty() {
                    state.input.set(&format!("@{display} "));
                }
                state.leave_select();
            }
            None => system_here(
                state,
                Level::Info,
                "Only chat messages with an id can be replied to.".into(),
            ),
        },
        Action::DeleteMessage if message.is_none() => system_here(
            state,
            Level::Info,
            format!("No message of {display} is on the card, so nothing was deleted."),
        ),
        Action::DeleteMessage => match message_id {
            Some(message_id) => checked(
                state,
                channel,
                spec("delete"),
                Call::Delete { message_id },
                effects,
            ),
            None => system_here(
                state,
                Level::Info,
                "That message has no id from Twitch yet, so it cannot be deleted.".into(),
            ),
        },
        _ if own => system_here(
            state,
            Level::Info,
            "That is you: moderation keys act on other people's messages.".into(),
        ),
        Action::Timeout | Action::Preset(_) => match seconds {
            Some(seconds) => {
                let call = Call::Timeout {
                    user: login,
                    seconds,
                    reason: String::new(),
                };
                checked(state, channel, spec("timeout"), call, effects)
            }
            None => system_here(
                state,
                Level::Info,
                "No timeout preset on that key ([moderation] timeouts in the config).".into(),
            ),
        },
        Action::Unban => checked(
            state,
            channel,
            spec("unban"),
            Call::Unban { user: login },
            effects,
        ),
        Action::Ban => match permitted(state, &channel, spec("ban"))
            .map_err(|e| e.to_string())
            .and_then(|()| {
                let ban = Call::Ban {
                    user: login.clone(),
                    reason: String::new(),
                };
                foreseen(state, &channel, &ban).map_or(Ok(()), Err)
            }) {
            Ok(()) => {
                state.overlay = Some(Overlay::Confirm {
                    question: format!("Ban {} from #{channel}?", named(&display, &login)),
                    channel,
                    call: Call::Ban {
                        user: login,
                        reason: String::new(),
                    },
                });
            }
            Err(why) => system(state, channel.as_str(), Level::Error, why),
        },
        Action::Warn => match permitted(state, &channel, spec("warn")) {
            Ok(()) => {
                let kept = state.input.fill(&format!("/warn {login} "));
                state.leave_select();
                let draft = if kept {
                    format!(
                        " Your draft comes back after it (or now, with {}).",
                        state.key_for(KeyMode::Input, Action::Cancel)
                    )
                } else {
                    String::new()
                };
                let send = state.key_for(KeyMode::Input, Action::Send);
                system(
                    state,
                    channel.as_str(),
                    Level::Info,
                    format!(
                        "Type the reason for warning {}, then {send}.{draft}",
                        named(&display, &login)
                    ),
                );
            }
            Err(why) => system(state, channel.as_str(), Level::Error, why.to_string()),
        },
        _ => {}
    }
}

/// `小雷 (xiaolei)` where the display name is more than the login in other letters, so people
/// who share a display name are told apart.
pub(super) fn named(display: &str, login: &Login) -> String {
    if display.eq_ignore_ascii_case(login.as_str()) {
        display.to_owned()
    } else {
        format!("{display} ({login})")
    }
}
