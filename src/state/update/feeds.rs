//! The live feeds (EventSub): starting them once the login is known, following each channel's
//! feeds as its room id and our role there become known or change, and what they tell:
//! messages AutoMod holds (allowed or denied with one key), other moderators' actions with
//! their reasons (merged with Twitch's chat line about the same action), unban requests,
//! warnings, Shield Mode, and feeds that cannot run, with why.

use super::super::channel::ModRecord;
use super::super::message::{About, Author, HoldKind, HoldState, Level};
use super::super::{AppState, Effect};
use super::moderation::my_role;
use super::queue;
use super::{short_duration, system, system_about, system_here};
use crate::state::command::Role;
use crate::state::text::sanitize;
use crate::twitch::Login;
use crate::twitch::eventsub::events::{ModAction, Moderate, User};
use crate::twitch::eventsub::{Event, Feed, FeedEvent, Unavailable};
use crate::twitch::helix::Call;

/// Twitch checked the login: with a user id and Helix, the live feeds start (once).
pub(super) fn validated(
    state: &mut AppState,
    user_id: String,
    scopes: Vec<String>,
    effects: &mut Vec<Effect>,
) {
    state.account.scopes = Some(scopes.clone());
    if state.feeds || state.account.anonymous || !state.has_helix() || user_id.is_empty() {
        return;
    }
    state.feeds = true;
    effects.push(Effect::StartFeeds { user_id, scopes });
    follow(state, effects);
}

/// Follows the feeds of every channel whose room id is known, as moderator or chatter; again
/// when our role there changed.
pub(super) fn follow(state: &mut AppState, effects: &mut Vec<Effect>) {
    if !state.feeds {
        return;
    }
    let may_read_unbans = state.account.scopes.as_ref().is_none_or(|scopes| {
        scopes
            .iter()
            .any(|s| s == "moderator:read:unban_requests" || s == "moderator:manage:unban_requests")
    });
    let roles: Vec<bool> = state
        .channels
        .iter()
        .map(|c| my_role(state, c) >= Role::Moderator)
        .collect();
    for (chan, moderator) in state.channels.iter_mut().zip(roles) {
        let Some(room_id) = &chan.room_id else {
            continue;
        };
        if chan.watching != Some(moderator) {
            chan.watching = Some(moderator);
            effects.push(Effect::Watch {
                channel: chan.name.clone(),
                broadcaster_id: room_id.clone(),
                moderator,
            });
            // Requests made before we came wait too: Helix lists them.
            if moderator && may_read_unbans {
                effects.push(Effect::Helix {
                    channel: chan.name.clone(),
                    call: Call::PendingUnbans,
                });
            }
        }
    }
}

pub(super) fn event(state: &mut AppState, event: FeedEvent) {
    match event {
        FeedEvent::Connected => {
            if std::mem::take(&mut state.feeds_lost) {
                system_here(state, Level::Info, "Live feeds connected again.".into());
            }
        }
        FeedEvent::Disconnected { reason, retry_in } => {
            state.feeds_lost = true;
            system_here(
                state,
                Level::Notice,
                format!(
                    "Live feeds (AutoMod queue, mod log, whispers) lost: {reason}; trying again in {}s.",
                    retry_in.as_secs().max(1)
                ),
            );
        }
        FeedEvent::Unavailable {
            channel,
            feeds,
            reason,
        } => unavailable(state, channel, &feeds, &reason),
        FeedEvent::Notification(n) => notification(state, n.event, &n.timestamp),
    }
}

fn unavailable(state: &mut AppState, channel: Option<Login>, feeds: &[Feed], reason: &Unavailable) {
    let mut names: Vec<&str> = feeds.iter().map(|f| f.what()).collect();
    names.dedup();
    let text = format!("Not available: {} ({reason}).", names.join(", "));
    match channel {
        Some(channel) => system(state, channel.as_str(), Level::Notice, text),
        None => system_here(state, Level::Notice, text),
    }
}

/// How a user is named in a line: the display name, sanitised.
pub(super) fn name(user: &User) -> String {
    let display = sanitize(user.name.trim());
    if display.is_empty() {
        user.login.to_string()
    } else {
        display.into_owned()
    }
}

/// A feed's user as the author of a line (no color or badges: the feed has none).
pub(super) fn author(user: &User) -> Author {
    Author {
        login: user.login.to_string(),
        display: name(user),
        color: None,
        badges: Vec::new(),
    }
}

/// What one notification tells; `sent` is when Twitch sent it (RFC 3339).
fn notification(state: &mut AppState, event: Event, sent: &str) {
    match event {
        Event::AutomodHold(held) => queue::automod(state, held),
        Event::Whisper(whisper) => super::whispers::received(state, whisper),
        Event::AutomodUpdate(update) => {
            let new = decision(&update.status, update.moderator.as_ref());
            let channel = update.broadcaster.login;
            queue::set_hold(
                state,
                channel.as_str(),
                HoldKind::Automod,
                &update.message_id,
                new,
            );
        }
        Event::Moderate(m) => moderate(state, m, sent),
        Event::UnbanRequest(request) => queue::unban_request(state, request),
        Event::UnbanResolved(resolved) => {
            let new = decision(&resolved.status, resolved.moderator.as_ref());
            let channel = resolved.broadcaster.login.to_string();
            let withdrawn = new == HoldState::Expired;
            let shown = queue::set_hold(state, &channel, HoldKind::Unban, &resolved.id, new);
            if withdrawn || !shown {
                let text = match &resolved.moderator {
                    Some(by) if !withdrawn => format!(
                        "{} {} {}'s unban request{}",
                        name(by),
                        resolved.status,
                        name(&resolved.user),
                        resolution(resolved.resolution.as_deref())
                    ),
                    _ => format!("{} withdrew their unban request.", name(&resolved.user)),
                };
                system(state, &channel, Level::Notice, text);
            }
        }
        Event::WarningSent(warning) => {
            let text = format!(
                "{} warned {}{}",
                name(&warning.moderator),
                name(&warning.user),
                resolution(warning.reason.as_deref())
            );
            let about = About::Warned(warning.user.login.to_string());
            let ours = state.account.login.as_deref() == Some(warning.moderator.login.as_str());
            told(state, warning.broadcaster.login.as_str(), text, about, ours);
        }
        Event::WarningAcknowledged { broadcaster, user } => system(
            state,
            broadcaster.login.as_str(),
            Level::Notice,
            format!("{} acknowledged the warning.", name(&user)),
        ),
        Event::ShieldMode {
            broadcaster,
            moderator,
            on,
        } => {
            if let Some(chan) = state.channel_mut(broadcaster.login.as_str()) {
                chan.shield = Some(on);
            }
            let verb = if on { "turned on" } else { "turned off" };
            system(
                state,
                broadcaster.login.as_str(),
                Level::Notice,
                format!("{} {verb} Shield Mode.", name(&moderator)),
            );
        }
        Event::SuspiciousMessage(message) => super::suspects::message(state, message),
        Event::SuspiciousUpdate(update) => super::suspects::update(state, update),
        Event::OwnMessageHeld {
            broadcaster,
            message_id,
            text,
        } => super::own_held::held(state, broadcaster.login.as_str(), &message_id, &text),
        Event::OwnMessageUpdate {
            broadcaster,
            message_id,
            status,
        } => super::own_held::updated(state, broadcaster.login.as_str(), &message_id, &status),
        Event::Follow { broadcaster, .. } => {
            let now = state.now;
            if let Some(chan) = state.channel_mut(broadcaster.login.as_str()) {
                chan.followed(now);
            }
        }
        Event::Other { .. } => {}
    }
}

/// What a moderator's `status` (`approved`, `denied`; anything else: expired, withdrawn)
/// makes of a waiting line.
fn decision(status: &str, moderator: Option<&User>) -> HoldState {
    match (status, moderator.map(name)) {
        ("approved", Some(by)) => HoldState::Resolved { allowed: true, by },
        ("denied", Some(by)) => HoldState::Resolved { allowed: false, by },
        _ => HoldState::Expired,
    }
}

/// `: text` after a line, or a period when there is none.
fn resolution(text: Option<&str>) -> String {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        Some(text) => format!(": {}", sanitize(text)),
        None => ".".into(),
    }
}

/// Another moderator's action (or ours, seen again) as one line with who and why, in place of
/// Twitch's chat line about the same action.
fn moderate(state: &mut AppState, m: Moderate, sent: &str) {
    let channel = m.broadcaster.login.to_string();
    let me = state.account.login.clone();
    let by = name(&m.moderator);
    let ours = me.as_deref() == Some(m.moderator.login.as_str());
    let (text, about) = match &m.action {
        ModAction::Ban { user, reason } => (
            format!(
                "{by} banned {}{}",
                name(user),
                resolution(reason.as_deref())
            ),
            Some(About::Banned(user.login.to_string())),
        ),
        ModAction::Timeout {
            user,
            reason,
            expires_at,
        } => {
            let length = timeout_length(sent, expires_at)
                .map(|s| format!(" for {}", short_duration(s)))
                .unwrap_or_default();
            (
                format!(
                    "{by} timed out {}{length}{}",
                    name(user),
                    resolution(reason.as_deref())
                ),
                Some(About::TimedOut(user.login.to_string())),
            )
        }
        ModAction::Unban { user } => (format!("{by} unbanned {}.", name(user)), None),
        ModAction::Untimeout { user } => (format!("{by} ended {}'s timeout.", name(user)), None),
        ModAction::Delete { user, body, .. } => (
            format!(
                "{by} deleted a message from {}: {}",
                name(user),
                sanitize(body)
            ),
            None,
        ),
        ModAction::Warn { user, reason } => (
            format!(
                "{by} warned {}{}",
                name(user),
                resolution(reason.as_deref())
            ),
            Some(About::Warned(user.login.to_string())),
        ),
        ModAction::Vip { user, added } | ModAction::Mod { user, added } => {
            let role = if matches!(m.action, ModAction::Vip { .. }) {
                "a VIP"
            } else {
                "a moderator"
            };
            let verb = if *added { "made" } else { "removed" };
            let text = if *added {
                format!("{by} {verb} {} {role}.", name(user))
            } else {
                format!("{by} {verb} {} as {role}.", name(user))
            };
            (text, None)
        }
        ModAction::Raid { user, .. } => (format!("{by} started a raid on {}.", name(user)), None),
        ModAction::Unraid { user } => (format!("{by} cancelled the raid on {}.", name(user)), None),
        ModAction::UnbanRequest {
            user,
            approved,
            message,
        } => (
            format!(
                "{by} {} {}'s unban request{}",
                if *approved { "approved" } else { "denied" },
                name(user),
                resolution(message.as_deref())
            ),
            None,
        ),
        ModAction::Terms {
            added,
            blocked,
            terms,
        } => (
            format!(
                "{by} {} {} term{}: {}",
                if *added { "added" } else { "removed" },
                if *blocked { "blocked" } else { "permitted" },
                if terms.len() == 1 { "" } else { "s" },
                sanitize(&terms.join(", "))
            ),
            None,
        ),
        ModAction::Room { action, value } => {
            (room_line(&by, action, *value), room_about(action, *value))
        }
    };
    let now = state.now;
    if let Some(chan) = state.channel_mut(&channel) {
        chan.record(ModRecord {
            at: now,
            moderator: m.moderator.login.to_string(),
            action: m.action.name().to_owned(),
            target: m.action.target().map(|u| u.login.to_string()),
            text: text.clone(),
        });
    }
    // The unban request's own line says who decided it.
    if matches!(m.action, ModAction::UnbanRequest { .. }) {
        return;
    }
    match about {
        Some(about) => told(state, &channel, text, about, ours),
        // Ours were confirmed by Helix (room settings come through ROOMSTATE too).
        None if ours => {}
        None => system(state, &channel, Level::Notice, text),
    }
}

/// A line about a moderator's action, one per action: news of the same action moments ago
/// (Twitch's chat line, the other feed's word on it) becomes this line; ours stays as Helix's
/// confirmation said it.
fn told(state: &mut AppState, channel: &str, text: String, about: About, ours: bool) {
    let now = state.now;
    let said = state
        .channel_mut(channel)
        .and_then(|c| c.line_about(&about, now))
        .is_some();
    if !(ours && said) {
        system_about(state, channel, Level::Notice, text, Some(about));
    }
}

fn room_line(by: &str, action: &str, value: Option<u64>) -> String {
    match (action, value) {
        ("clear", _) => format!("{by} cleared the chat."),
        ("slow", Some(s)) => format!("{by} turned slow mode on ({s}s)."),
        ("followers", Some(0)) => format!("{by} turned followers-only mode on."),
        ("followers", Some(m)) => format!(
            "{by} turned followers-only mode on ({}).",
            short_duration(m * 60)
        ),
        ("slowoff", _) => format!("{by} turned slow mode off."),
        ("followersoff", _) => format!("{by} turned followers-only mode off."),
        ("emoteonly", _) => format!("{by} turned emote-only mode on."),
        ("emoteonlyoff", _) => format!("{by} turned emote-only mode off."),
        ("subscribers", _) => format!("{by} turned subscribers-only mode on."),
        ("subscribersoff", _) => format!("{by} turned subscribers-only mode off."),
        ("uniquechat", _) => format!("{by} turned unique-chat mode on."),
        ("uniquechatoff", _) => format!("{by} turned unique-chat mode off."),
        (other, _) => format!("{by}: {}", sanitize(other)),
    }
}

/// The seconds from `sent` to `expires_at` (both RFC 3339), rounded.
fn timeout_length(sent: &str, expires_at: &str) -> Option<u64> {
    let millis = |t: &str| {
        chrono::DateTime::parse_from_rfc3339(t)
            .ok()
            .map(|t| t.timestamp_millis())
    };
    let seconds = (millis(expires_at)? - millis(sent)? + 500) / 1000;
    u64::try_from(seconds).ok().filter(|s| *s > 0)
}

/// What a room action is about, so that Twitch's ROOMSTATE or CLEARCHAT line and this one
/// are one line.
fn room_about(action: &str, value: Option<u64>) -> Option<About> {
    let mode = |name: &str| {
        let state = match (action.ends_with("off"), value) {
            (true, _) => "off".to_owned(),
            (false, Some(v)) => v.to_string(),
            (false, None) => "on".to_owned(),
        };
        Some(About::Mode(format!("{name}:{state}")))
    };
    match action.strip_suffix("off").unwrap_or(action) {
        "clear" => Some(About::Cleared),
        name @ ("slow" | "followers" | "subscribers" | "emoteonly" | "uniquechat") => mode(name),
        _ => None,
    }
}
