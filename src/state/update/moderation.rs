//! Commands and keys that go through Helix: who may run them here (role and scopes, with a
//! sentence saying why not), the calls they make, the user card and the ban question, and the
//! lines that confirm (or explain the failure of) each call when its answer arrives.

use super::super::channel::{Channel, Group, Member};
use super::super::command::{Role, Spec, UserCommand};
use super::super::keymap::{Action, KeyMode};
use super::super::message::{About, BadgeKind, Body, Chat, Level};
use super::super::{AppState, CardView, Effect, Mode, Overlay, TIMEOUT_S};
use super::{send, short_duration, system, system_about, system_here};
use crate::net::helix::calls::{Call, ChatSettings, Reply};
use crate::twitch::Login;
use crate::twitch::tags::Rgb;

/// Twitch's countdown before a raid leaves (the broadcaster can also press Raid Now).
const RAID_COUNTDOWN_MS: i64 = 90_000;

/// Names shown for `/mods` and `/vips` before "and N more".
const NAMES_SHOWN: usize = 50;

/// Our role in a channel, from our badges there.
fn my_role(state: &AppState, chan: &Channel) -> Role {
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

/// Whether we may run `spec` in `channel`; the reason we may not otherwise.
pub(in crate::state) fn permitted(
    state: &AppState,
    channel: &Login,
    spec: &Spec,
) -> Result<(), String> {
    let name = spec.name;
    if state.account.signed_out.is_some() || state.account.anonymous || !state.has_helix() {
        return Err(format!("/{name} needs you logged in: run `ttvchat login`."));
    }
    let role = state
        .channels
        .iter()
        .find(|c| c.name == *channel)
        .map_or(Role::Anyone, |c| my_role(state, c));
    if role < spec.role {
        return Err(match spec.role {
            Role::Moderator => {
                format!("/{name} is for moderators, and you are not a moderator in #{channel}.")
            }
            _ => format!("/{name} is for the broadcaster of #{channel} only."),
        });
    }
    if let Some(scopes) = &state.account.scopes
        && !spec.scopes.is_empty()
        && !spec.scopes.iter().any(|s| scopes.iter().any(|g| g == s))
    {
        return Err(format!(
            "/{name} needs the {} scope, which your login did not grant: run `ttvchat login` again.",
            spec.scopes.join(" or ")
        ));
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
    let Some(channel) = state.focused().map(|c| c.name.clone()) else {
        return;
    };
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
        .and_then(|()| foreseen(state, &channel, &call).map_or(Ok(()), Err));
    match checked {
        Ok(()) => effects.push(Effect::Helix { channel, call }),
        Err(why) => system(state, channel.as_str(), Level::Error, why),
    }
}

/// The role `login` showed in `chan` (their badges on their newest message here), when it was
/// a moderator's or the broadcaster's.
fn known_role(chan: &Channel, login: &str) -> Option<Role> {
    if chan.name.as_str() == login {
        return Some(Role::Broadcaster);
    }
    let (_, chat) = chats_from(chan, login).next()?;
    let badges = &chat.author.badges;
    if badges.contains(&BadgeKind::Broadcaster) {
        Some(Role::Broadcaster)
    } else if badges.contains(&BadgeKind::Moderator) {
        Some(Role::Moderator)
    } else {
        None
    }
}

/// What the app already knows Twitch would refuse, or is already so, told before anything is
/// sent: moderators and the broadcaster cannot be banned or timed out, a moderator cannot
/// delete another's message, a mode cannot be turned to what it is.
fn foreseen(state: &AppState, channel: &Login, call: &Call) -> Option<String> {
    let chan = state.channels.iter().find(|c| c.name == *channel)?;
    let who = |login: &str| match known_role(chan, login) {
        Some(Role::Broadcaster) => Some("the broadcaster"),
        Some(_) => Some("a moderator"),
        None => None,
    };
    match call {
        Call::Ban { user, .. } | Call::Timeout { user, .. } => {
            let role = who(user.as_str())?;
            let done = if matches!(call, Call::Ban { .. }) {
                "banned"
            } else {
                "timed out"
            };
            let unmod = if role == "a moderator" {
                " (the broadcaster can /unmod them first)"
            } else {
                ""
            };
            Some(format!(
                "{} is {role} of #{channel}, and Twitch does not let {role} be {done}{unmod}. Nothing was sent.",
                chan.display_of(user.as_str())
            ))
        }
        Call::Delete { message_id } => {
            let author = chan.messages.iter().find_map(|e| match &e.body {
                Body::Chat(c) if c.id.as_deref() == Some(message_id.as_str()) => Some(c),
                _ => None,
            })?;
            let role = who(&author.author.login)?;
            (my_role(state, chan) < Role::Broadcaster).then(|| {
                format!(
                    "That message is from {role} ({}), and Twitch lets only the broadcaster delete it. Nothing was sent.",
                    author.author.display
                )
            })
        }
        Call::Settings(change) => {
            let m = &chan.modes;
            let same = |want: Option<bool>, now: Option<bool>| want.is_none() || want == now;
            let slow_now = m.slow_s.map(|s| (s > 0).then_some(s));
            let already = (change.slow.is_none() || change.slow == slow_now)
                && (change.followers.is_none() || change.followers == m.followers_only)
                && same(change.subscribers, m.subs_only)
                && same(change.emote_only, m.emote_only)
                && same(change.unique, m.unique_chat);
            already.then(|| {
                format!(
                    "Nothing to change in #{channel}: {} already. Nothing was sent.",
                    mode_text(change).replace(" mode ", " mode is ")
                )
            })
        }
        _ => None,
    }
}

/// Twitch's refusal in plain words where it is one Twitch documents; its own text otherwise.
fn plain(state: &AppState, channel: &Login, call: &Call, message: &str) -> String {
    let lower = message.to_lowercase();
    let name = |user: &Login| {
        state
            .channels
            .iter()
            .find(|c| c.name == *channel)
            .map_or_else(|| user.to_string(), |c| c.display_of(user.as_str()))
    };
    let known = match call {
        Call::Ban { user, .. } | Call::Timeout { user, .. } | Call::Warn { user, .. }
            if lower.contains("may not be") =>
        {
            Some(format!(
                "Twitch does not let {} be {} here: moderators and the broadcaster cannot be.",
                name(user),
                match call {
                    Call::Ban { .. } => "banned",
                    Call::Timeout { .. } => "timed out",
                    _ => "warned",
                }
            ))
        }
        Call::Ban { user, .. } | Call::Timeout { user, .. } if lower.contains("already banned") => {
            Some(format!("{} is already banned from #{channel}.", name(user)))
        }
        Call::Unban { user } | Call::Untimeout { user } if lower.contains("not banned") => Some(
            format!("{} is not banned or timed out in #{channel}.", name(user)),
        ),
        Call::Delete { .. } if lower.contains("another moderator") => {
            Some("Twitch does not let moderators delete other moderators' messages.".to_owned())
        }
        Call::Delete { .. } if lower.contains("broadcaster's messages") => {
            Some("Twitch does not let anyone delete the broadcaster's messages.".to_owned())
        }
        Call::Mod { user } if lower.contains("already a moderator") => Some(format!(
            "{} is already a moderator of #{channel}.",
            name(user)
        )),
        Call::Unmod { user } if lower.contains("not a moderator") => {
            Some(format!("{} is not a moderator of #{channel}.", name(user)))
        }
        Call::Shoutout { to } if lower.contains("not streaming live") => Some(format!(
            "Twitch gives shoutouts only while you are live with viewers, so none went to {to}."
        )),
        Call::Whisper { to, .. } if lower.contains("allow whisper") => {
            Some(format!("{to} does not take whispers from strangers."))
        }
        Call::Color { .. } if lower.contains("turbo or prime") => Some(
            "Hex colors are for Turbo and Prime users; pick a named color (/help color)."
                .to_owned(),
        ),
        _ => None,
    };
    known.unwrap_or_else(|| format!("Could not {}: {message}", describe(call)))
}

/// The chat messages of `login` in `chan`, newest first.
fn chats_from<'a>(chan: &'a Channel, login: &'a str) -> impl Iterator<Item = (u64, &'a Chat)> + 'a {
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
fn open_card(
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
            .find(|c| c.name == channel)
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

/// The author of the entry `seq` in `chan`, with the message.
fn target_of(chan: &Channel, seq: u64) -> Option<Target> {
    let Body::Chat(chat) = &chan.entry(seq)?.body else {
        return None;
    };
    Some(Target {
        channel: chan.name.clone(),
        login: Login::parse(&chat.author.login).ok()?,
        display: chat.author.display.clone(),
        message: Some((seq, chat.id.clone())),
        text: chat.text.clone(),
    })
}

fn card_target(state: &AppState, view: &CardView) -> Target {
    let shown = state
        .channels
        .iter()
        .find(|c| c.name == view.channel)
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
        Action::Ban => match permitted(state, &channel, spec("ban")).and_then(|()| {
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
            Err(why) => system(state, channel.as_str(), Level::Error, why),
        },
        _ => {}
    }
}

/// `小雷 (xiaolei)` where the display name is more than the login in other letters, so people
/// who share a display name are told apart.
fn named(display: &str, login: &Login) -> String {
    if display.eq_ignore_ascii_case(login.as_str()) {
        display.to_owned()
    } else {
        format!("{display} ({login})")
    }
}

/// A Helix answer: the card fills in, or a line confirms or explains.
pub(super) fn done(
    state: &mut AppState,
    channel: Login,
    call: Call,
    result: Result<Reply, String>,
) {
    if let Call::Card { user, .. } = &call {
        if let Some(Overlay::Card(view)) = &mut state.overlay
            && view.login == *user
        {
            match result {
                Ok(Reply::Card(card)) => view.info = Some(card),
                Ok(_) => {}
                Err(message) => view.error = Some(message),
            }
        }
        return;
    }
    match result {
        Ok(reply) => {
            // Our next messages carry the new color at once (Twitch's USERSTATE says it later).
            if let Call::Color { color } = &call {
                state.account.color = Rgb::named_or_hex(color).or(state.account.color);
            }
            if let Reply::Names { names, .. } = &reply {
                remember(state, &channel, &call, names);
            }
            let now = state.now;
            if let Some(chan) = state.channels.iter_mut().find(|c| c.name == channel) {
                match &call {
                    Call::Shield { on } => chan.shield = Some(*on),
                    Call::Raid { to } => {
                        chan.raid = Some((to.to_string(), now + RAID_COUNTDOWN_MS))
                    }
                    Call::Unraid => chan.raid = None,
                    _ => {}
                }
            }
            let text = confirmation(state, &channel, &call, reply);
            let about = match &call {
                Call::Ban { user, .. } => Some(About::Banned(user.to_string())),
                Call::Timeout { user, .. } => Some(About::TimedOut(user.to_string())),
                _ => None,
            };
            system_about(state, channel.as_str(), Level::Notice, text, about);
        }
        Err(message) => {
            let text = plain(state, &channel, &call, &message);
            system(state, channel.as_str(), Level::Error, text);
        }
    }
}

fn mode_text(change: &ChatSettings) -> String {
    let switch = |on: bool| if on { "on" } else { "off" };
    let mut parts = Vec::new();
    if let Some(slow) = change.slow {
        parts.push(match slow {
            Some(s) => format!("slow mode on ({s}s)"),
            None => "slow mode off".to_owned(),
        });
    }
    if let Some(followers) = change.followers {
        parts.push(match followers {
            Some(0) => "followers-only mode on".to_owned(),
            Some(m) => format!("followers-only mode on ({})", short_duration(m * 60)),
            None => "followers-only mode off".to_owned(),
        });
    }
    for (value, name) in [
        (change.subscribers, "subscribers-only"),
        (change.emote_only, "emote-only"),
        (change.unique, "unique-chat"),
    ] {
        if let Some(on) = value {
            parts.push(format!("{name} mode {}", switch(on)));
        }
    }
    parts.join(", ")
}

/// What a call was meant to do, for "Could not ...".
fn describe(call: &Call) -> String {
    match call {
        Call::Ban { user, .. } => format!("ban {user}"),
        Call::Timeout { user, .. } => format!("time out {user}"),
        Call::Unban { user } => format!("unban {user}"),
        Call::Untimeout { user } => format!("end {user}'s timeout"),
        Call::Delete { .. } => "delete the message".into(),
        Call::Clear => "clear the chat".into(),
        Call::Settings(change) => format!("turn {}", mode_text(change)),
        Call::Announce { .. } => "announce".into(),
        Call::Shoutout { to } => format!("give {to} a shoutout"),
        Call::Raid { to } => format!("raid {to}"),
        Call::Unraid => "cancel the raid".into(),
        Call::Mod { user } => format!("make {user} a moderator"),
        Call::Unmod { user } => format!("remove {user} as a moderator"),
        Call::Mods => "list the moderators".into(),
        Call::Vip { user } => format!("make {user} a VIP"),
        Call::Unvip { user } => format!("remove {user} as a VIP"),
        Call::Vips => "list the VIPs".into(),
        Call::Warn { user, .. } => format!("warn {user}"),
        Call::Shield { on } => format!("turn Shield Mode {}", if *on { "on" } else { "off" }),
        Call::Color { color } => format!("change your color to {color}"),
        Call::Whisper { to, .. } => format!("whisper to {to}"),
        Call::Chatters => "list the chatters".into(),
        Call::Card { user, .. } => format!("look up {user}"),
    }
}

fn with_reason(text: String, reason: &str) -> String {
    if reason.is_empty() {
        format!("{text}.")
    } else {
        format!("{text}: {reason}")
    }
}

/// What `/chatters`, `/mods` and `/vips` told of the channel's people goes into its user list;
/// `/chatters` opens it, all of them there to scroll and search.
fn remember(state: &mut AppState, channel: &Login, call: &Call, names: &[String]) {
    let Some(chan) = state.channels.iter_mut().find(|c| c.name == *channel) else {
        return;
    };
    for name in names {
        let member = chan
            .members
            .entry(name.to_ascii_lowercase())
            .or_insert_with(|| Member {
                display: name.clone(),
                group: Group::Others,
            });
        match call {
            Call::Mods if member.group != Group::Broadcaster => member.group = Group::Moderators,
            Call::Vips if member.group > Group::Vips => member.group = Group::Vips,
            _ => {}
        }
    }
    let focused = state.focused().is_some_and(|c| c.name == *channel);
    if *call == Call::Chatters && focused {
        state.leave_select();
        state.show_users = true;
        state.mode = Mode::Users {
            filter: String::new(),
            selected: 0,
        };
    }
}

/// The line that confirms a call worked.
fn confirmation(state: &AppState, channel: &Login, call: &Call, reply: Reply) -> String {
    let chan = state.channels.iter().find(|c| c.name == *channel);
    let name =
        |user: &Login| chan.map_or_else(|| user.to_string(), |c| c.display_of(user.as_str()));
    match (call, reply) {
        (Call::Mods | Call::Vips | Call::Chatters, Reply::Names { names, total }) => {
            let what = match call {
                Call::Mods => "Moderators",
                Call::Vips => "VIPs",
                _ => {
                    return format!(
                        "Chatters of #{channel}: {total}, all in the user list (type to find a name)."
                    );
                }
            };
            let mut text = format!("{what} of #{channel} ({total}): ");
            if names.is_empty() {
                text.push_str("none");
            } else {
                text.push_str(&names[..names.len().min(NAMES_SHOWN)].join(", "));
            }
            let more = total.saturating_sub(names.len().min(NAMES_SHOWN) as u64);
            if more > 0 {
                text.push_str(&format!(" and {more} more"));
            }
            text
        }
        (Call::Ban { user, reason }, _) => {
            with_reason(format!("You banned {}", name(user)), reason)
        }
        (
            Call::Timeout {
                user,
                seconds,
                reason,
            },
            _,
        ) => with_reason(
            format!(
                "You timed out {} for {}",
                name(user),
                short_duration(*seconds)
            ),
            reason,
        ),
        (Call::Unban { user }, _) => format!("You unbanned {}.", name(user)),
        (Call::Untimeout { user }, _) => format!("You ended {}'s timeout.", name(user)),
        (Call::Delete { message_id }, _) => {
            let author = state
                .channels
                .iter()
                .find(|c| c.name == *channel)
                .and_then(|c| {
                    c.messages.iter().find_map(|e| match &e.body {
                        Body::Chat(chat) if chat.id.as_deref() == Some(message_id.as_str()) => {
                            Some(chat.author.display.clone())
                        }
                        _ => None,
                    })
                });
            match author {
                Some(name) => format!("You deleted a message from {name}."),
                None => "You deleted the message.".into(),
            }
        }
        (Call::Clear, _) => "You cleared the chat.".into(),
        (Call::Settings(change), _) => format!("You turned {}.", mode_text(change)),
        (Call::Announce { .. }, _) => "Your announcement was sent.".into(),
        (Call::Shoutout { to }, _) => format!("You gave {to} a shoutout."),
        (Call::Raid { to }, _) => {
            format!("The raid on {to} is starting: /unraid cancels it before it goes.")
        }
        (Call::Unraid, _) => "You cancelled the raid.".into(),
        (Call::Mod { user }, _) => format!("You made {user} a moderator."),
        (Call::Unmod { user }, _) => format!("{user} is no longer a moderator."),
        (Call::Vip { user }, _) => format!("You made {user} a VIP."),
        (Call::Unvip { user }, _) => format!("{user} is no longer a VIP."),
        (Call::Warn { user, reason }, _) => format!("You warned {user}: {reason}"),
        (Call::Shield { on }, _) => {
            format!("Shield Mode is {}.", if *on { "on" } else { "off" })
        }
        (Call::Color { color }, _) => format!("Your name color is now {color}."),
        (Call::Whisper { to, text }, _) => format!("You whispered to {to}: {text}"),
        (call, _) => format!("Done: {}.", describe(call)),
    }
}
