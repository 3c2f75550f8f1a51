//! What is told instead of, or after, a Helix call that cannot do what was asked: what the app
//! already knows Twitch would refuse (a moderator cannot be timed out, a mode already set),
//! said before anything is sent, and Twitch's documented refusals in plain words.

use super::super::AppState;
use super::super::channel::Channel;
use super::super::command::Role;
use super::super::message::{BadgeKind, Body};
use super::moderation::{chats_from, my_role};
use super::short_duration;
use crate::twitch::Login;
use crate::twitch::helix::{Call, ChatSettings, Failure, Treatment};

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
pub(super) fn foreseen(state: &AppState, channel: &Login, call: &Call) -> Option<String> {
    let chan = state.channels.iter().find(|c| c.is_room(channel))?;
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
pub(super) fn plain(state: &AppState, channel: &Login, call: &Call, failure: &Failure) -> String {
    let lower = failure.twitch_message().unwrap_or_default().to_lowercase();
    let name = |user: &Login| {
        state
            .channels
            .iter()
            .find(|c| c.is_room(channel))
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
    known.unwrap_or_else(|| {
        let advice = match failure {
            Failure::MissingScope { .. } => " Log in again (ttvchat login) to grant it.",
            Failure::LoggedOut { .. } => " Log in again (ttvchat login).",
            _ => "",
        };
        let why = failure.to_string();
        let why = why.trim_end_matches('.');
        format!("Could not {}: {why}.{advice}", describe(call))
    })
}

pub(super) fn mode_text(change: &ChatSettings) -> String {
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
pub(super) fn describe(call: &Call) -> String {
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
        Call::ResolveUnban { user, approve, .. } => format!(
            "{} {user}'s unban request",
            if *approve { "approve" } else { "deny" }
        ),
        Call::PendingUnbans => "list the waiting unban requests".into(),
        Call::Suspicion { user, treatment } => match treatment {
            Treatment::None => format!("stop treating {user} as suspicious"),
            Treatment::Monitored => format!("monitor {user}"),
            Treatment::Restricted => format!("restrict {user}"),
        },
        Call::Automod { allow, author, .. } => format!(
            "{} {author}'s held message",
            if *allow { "allow" } else { "deny" }
        ),
    }
}
