//! Helix answers: the user card fills in, or a line confirms the call (one line per action,
//! joined with Twitch's echo of it) or explains why it failed; what lists of people told goes
//! into the user list; Shield Mode and a raid's countdown are kept for the room bar.

use super::super::channel::{Group, Member};
use super::super::message::{About, Body, Level};
use super::super::{AppState, Mode, Overlay};
use super::refusals::{describe, mode_text, plain};
use super::{short_duration, system, system_about};
use crate::twitch::Login;
use crate::twitch::helix::{Call, Failure, Reply};
use crate::twitch::tags::Rgb;

/// Twitch's countdown before a raid leaves (the broadcaster can also press Raid Now).
const RAID_COUNTDOWN_MS: i64 = 90_000;

/// Names shown for `/mods` and `/vips` before "and N more".
const NAMES_SHOWN: usize = 50;

/// A Helix answer: the card fills in, or a line confirms or explains.
pub(super) fn done(
    state: &mut AppState,
    channel: Login,
    call: Call,
    result: Result<Reply, Failure>,
) {
    if matches!(call, Call::Automod { .. } | Call::ResolveUnban { .. }) {
        return super::queue::decided(state, &channel, &call, result);
    }
    if let (Call::PendingUnbans, Ok(Reply::Unbans(pending))) = (&call, &result) {
        return super::queue::pending_unbans(state, &channel, pending.clone());
    }
    if let Call::Whisper { to, text } = &call {
        return super::whispers::answered(state, &channel, to, text, result);
    }
    if let Call::Card { user, .. } = &call {
        if let Some(Overlay::Card(view)) = &mut state.overlay
            && view.login == *user
        {
            match result {
                Ok(Reply::Card(card)) => view.info = Some(card),
                Ok(_) => {}
                Err(failure) => view.error = Some(failure.to_string()),
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
            if let Some(chan) = state.channels.iter_mut().find(|c| c.is_room(&channel)) {
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
            if let Call::Suspicion { user, treatment } = &call {
                super::suspects::changed(state, &channel, user, *treatment);
            }
            let about = match &call {
                Call::Suspicion { user, .. } => Some(About::Suspicion(user.to_string())),
                Call::Warn { user, .. } => Some(About::Warned(user.to_string())),
                Call::Ban { user, .. } => Some(About::Banned(user.to_string())),
                Call::Timeout { user, .. } => Some(About::TimedOut(user.to_string())),
                _ => None,
            };
            system_about(state, channel.as_str(), Level::Notice, text, about);
        }
        Err(failure) => {
            let text = plain(state, &channel, &call, &failure);
            system(state, channel.as_str(), Level::Error, text);
        }
    }
}

/// What `/chatters`, `/mods` and `/vips` told of the channel's people goes into its user list;
/// `/chatters` opens it, all of them there to scroll and search.
fn remember(state: &mut AppState, channel: &Login, call: &Call, names: &[String]) {
    let Some(chan) = state.channels.iter_mut().find(|c| c.is_room(channel)) else {
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
    let chan = state.channels.iter().find(|c| c.is_room(channel));
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
                .find(|c| c.is_room(channel))
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
        (Call::Suspicion { user, treatment }, _) => {
            super::suspects::treated(None, &name(user), *treatment)
        }
        (Call::Color { color }, _) => format!("Your name color is now {color}."),
        (call, _) => format!("Done: {}.", describe(call)),
    }
}

fn with_reason(text: String, reason: &str) -> String {
    if reason.is_empty() {
        format!("{text}.")
    } else {
        format!("{text}: {reason}")
    }
}
