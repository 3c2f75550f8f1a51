//! Moderation endpoints of the simulator's Helix: bans and timeouts, deleting and clearing,
//! chat settings, announcements, shoutouts, warnings and Shield Mode. Each change goes out
//! over chat as Twitch sends it (CLEARCHAT, CLEARMSG, ROOMSTATE, USERNOTICE).

use axum::http::StatusCode;
use serde_json::{Value, json};
use tokio::time::Instant;

use super::super::State;
use super::super::http::{Refusal, rfc3339};
use super::super::notices::Notice;
use super::super::world::{ModeChange, Name, Role};
use super::{
    Ask, BANS, Handled, as_moderator, bad, body, channel_by_id, data, no_content, unauthorized,
    user_by_id,
};

/// The paths served here.
pub(super) const PATHS: &[&str] = &[
    "moderation/bans",
    "moderation/chat",
    "chat/settings",
    "chat/announcements",
    "chat/shoutouts",
    "moderation/warnings",
    "moderation/shield_mode",
    "moderation/automod/message",
];

pub(super) fn route(state: &mut State, ask: &Ask, out: &mut Vec<(Name, String)>) -> Handled {
    let Ask {
        grant,
        method,
        path,
        query,
        bytes,
    } = ask;
    let now = Instant::now();
    match (method.as_str(), path.as_str()) {
        ("POST", "moderation/bans") => {
            let channel = as_moderator(state, ask, "broadcaster_id", BANS)?;
            let body = body(bytes)?;
            let user_id = body["data"]["user_id"]
                .as_str()
                .ok_or_else(|| bad("The user_id field is required."))?;
            let login = user_by_id(&state.world, user_id)?;
            let duration = match &body["data"]["duration"] {
                Value::Null => None,
                d => match d.as_u64() {
                    Some(s @ 1..=1_209_600) => Some(std::time::Duration::from_secs(s)),
                    _ => return Err(bad("The value in the duration field is not valid.")),
                },
            };
            if body["data"]["reason"]
                .as_str()
                .is_some_and(|r| r.chars().count() > 500)
            {
                return Err(bad("The text in the reason field is too long."));
            }
            let chan = &state.world.channels[&channel];
            let target = state.world.role(chan, &login);
            let caller = state.world.role(chan, &grant.login);
            if target == Role::Broadcaster
                || (target == Role::Moderator && caller != Role::Broadcaster)
            {
                return Err(bad(format!(
                    "The user specified in the user_id field may not be {}.",
                    if duration.is_some() {
                        "put in a timeout"
                    } else {
                        "banned"
                    }
                )));
            }
            if duration.is_none() && state.world.ban_state(now, &channel, &login) == Some(None) {
                return Err(bad("user is already banned"));
            }
            let end_time = duration.map(|d| rfc3339(std::time::SystemTime::now() + d));
            if let Some(line) = state.world.ban(now, &channel, &login, duration) {
                out.push((channel.clone(), line));
            }
            let reason = body["data"]["reason"].as_str().unwrap_or_default();
            state.moderated_ban(&channel, &grant.login, &login, duration, reason);
            data(json!({
                "broadcaster_id": state.world.channels[&channel].id.to_string(),
                "moderator_id": grant.user_id.to_string(),
                "user_id": user_id,
                "created_at": rfc3339(std::time::SystemTime::now()),
                "end_time": end_time,
            }))
        }
        ("DELETE", "moderation/bans") => {
            let channel = as_moderator(state, ask, "broadcaster_id", BANS)?;
            let login = user_by_id(&state.world, &query.required("user_id")?)?;
            let action = match state.world.ban_state(now, &channel, &login) {
                None => return Err(bad("user is not banned")),
                Some(None) => "unban",
                Some(Some(_)) => "untimeout",
            };
            state.world.unban(&channel, &login);
            let user = state.user_fields("user", &login);
            state.moderated(&channel, &grant.login, action, Value::Object(user));
            no_content()
        }
        ("DELETE", "moderation/chat") => {
            let channel = as_moderator(
                state,
                ask,
                "broadcaster_id",
                &["moderator:manage:chat_messages"],
            )?;
            let Some(message_id) = query.get("message_id") else {
                if let Some(line) = state.world.clear(&channel) {
                    out.push((channel, line));
                }
                return no_content();
            };
            let chan = &state.world.channels[&channel];
            let Some(message) = chan.log.iter().find(|m| m.id == message_id) else {
                return Err(Refusal::new(
                    StatusCode::NOT_FOUND,
                    "The ID in message_id was not found.",
                ));
            };
            match state.world.role(chan, &message.login) {
                Role::Broadcaster => {
                    return Err(bad("You may not delete the broadcaster's messages."));
                }
                Role::Moderator if state.world.role(chan, &grant.login) != Role::Broadcaster => {
                    return Err(bad("You may not delete another moderator's messages."));
                }
                _ => {}
            }
            if let Some(line) = state.world.delete(&channel, &message_id) {
                out.push((channel, line));
            }
            no_content()
        }
        ("PATCH", "chat/settings") => {
            let channel = as_moderator(
                state,
                ask,
                "broadcaster_id",
                &["moderator:manage:chat_settings"],
            )?;
            let change = settings_change(&body(bytes)?)?;
            if let Some(line) = state.world.set_modes(&channel, change) {
                out.push((channel.clone(), line));
            }
            let moderator = Some(grant.user_id.to_string());
            data(settings(state, &channel, moderator))
        }
        ("GET", "chat/settings") => {
            let channel = channel_by_id(&state.world, &query.required("broadcaster_id")?)?;
            let moderator = match query.get("moderator_id") {
                None => None,
                Some(id) if id == grant.user_id.to_string() => {
                    let chan = &state.world.channels[&channel];
                    let reads = grant
                        .scopes
                        .iter()
                        .any(|s| s == "moderator:read:chat_settings");
                    (reads && state.world.role(chan, &grant.login) >= Role::Moderator).then_some(id)
                }
                Some(_) => {
                    return Err(unauthorized(
                        "The ID in moderator_id must match the user ID found in the request's OAuth token.",
                    ));
                }
            };
            data(settings(state, &channel, moderator))
        }
        ("POST", "chat/announcements") => {
            let channel = as_moderator(
                state,
                ask,
                "broadcaster_id",
                &["moderator:manage:announcements"],
            )?;
            let body = body(bytes)?;
            let text = body["message"].as_str().unwrap_or_default();
            if text.trim().is_empty() {
                return Err(bad("The message field may not contain an empty string."));
            }
            let color = match body["color"].as_str().unwrap_or("primary") {
                "primary" => "PRIMARY",
                "blue" => "BLUE",
                "green" => "GREEN",
                "orange" => "ORANGE",
                "purple" => "PURPLE",
                _ => return Err(bad("The specified color is not valid.")),
            };
            let notice = Notice::Announcement {
                text: text.chars().take(500).collect(),
                color,
            };
            if let Some(line) = state.world.notice(&channel, &grant.login, &notice) {
                out.push((channel, line));
            }
            no_content()
        }
        ("POST", "chat/shoutouts") => {
            let channel = as_moderator(
                state,
                ask,
                "from_broadcaster_id",
                &["moderator:manage:shoutouts"],
            )?;
            let to = query.required("to_broadcaster_id")?;
            let target = channel_by_id(&state.world, &to).map_err(|_| {
                bad("The ID in the to_broadcaster_id query parameter is not valid.")
            })?;
            if target == channel {
                return Err(bad("The broadcaster may not give themselves a Shoutout."));
            }
            if !state.world.channels[&channel].live {
                return Err(bad(
                    "The broadcaster is not streaming live or does not have one or more viewers.",
                ));
            }
            no_content()
        }
        ("POST", "moderation/automod/message") => {
            super::need(grant, &["moderator:manage:automod"])?;
            let body = body(bytes)?;
            let field = |key: &str| {
                body[key]
                    .as_str()
                    .filter(|v| !v.is_empty())
                    .ok_or_else(|| bad(format!("The {key} field is required.")))
            };
            if field("user_id")? != grant.user_id.to_string() {
                return Err(unauthorized(
                    "The ID in user_id must match the user ID in the user access token.",
                ));
            }
            let message_id = field("msg_id")?;
            let allow = match field("action")? {
                "ALLOW" => true,
                "DENY" => false,
                _ => return Err(bad("The value in the action field is not valid.")),
            };
            let Some(index) = state.held.iter().position(|h| h.id == message_id) else {
                return Err(Refusal::new(
                    StatusCode::NOT_FOUND,
                    "The message specified in the msg_id field was not found.",
                ));
            };
            let chan = &state.world.channels[&state.held[index].channel];
            if state.world.role(chan, &grant.login) < Role::Moderator {
                return Err(Refusal::new(
                    StatusCode::FORBIDDEN,
                    "The user in user_id is not one of the broadcaster's moderators.",
                ));
            }
            let held = state.held.remove(index);
            state.release(held, allow, &grant.login, now);
            no_content()
        }
        ("POST", "moderation/warnings") => {
            let channel =
                as_moderator(state, ask, "broadcaster_id", &["moderator:manage:warnings"])?;
            let body = body(bytes)?;
            let user_id = body["data"]["user_id"]
                .as_str()
                .ok_or_else(|| bad("The user_id field is required."))?;
            let reason = body["data"]["reason"].as_str().unwrap_or_default();
            if reason.trim().is_empty() {
                return Err(bad("The reason field is required."));
            }
            if reason.chars().count() > 500 {
                return Err(bad("The text in the reason field is too long."));
            }
            let login = user_by_id(&state.world, user_id)?;
            if state.world.role(&state.world.channels[&channel], &login) >= Role::Moderator {
                return Err(bad("The user specified in the user_id may not be warned."));
            }
            let answer = json!({
                "broadcaster_id": state.world.channels[&channel].id.to_string(),
                "user_id": user_id,
                "moderator_id": grant.user_id.to_string(),
                "reason": reason,
            });
            state.warn(&channel, &grant.login, &login, reason, now);
            data(answer)
        }
        ("PUT", "moderation/shield_mode") => {
            let channel = as_moderator(
                state,
                ask,
                "broadcaster_id",
                &["moderator:manage:shield_mode"],
            )?;
            let on = body(bytes)?["is_active"]
                .as_bool()
                .ok_or_else(|| bad("The is_active field is required."))?;
            state.shield(&channel, &grant.login, on);
            data(json!({
                "is_active": on,
                "moderator_id": grant.user_id.to_string(),
                "moderator_login": grant.login,
                "moderator_name": grant.login,
                "last_activated_at": rfc3339(std::time::SystemTime::now()),
            }))
        }
        _ => Err(Refusal::new(StatusCode::NOT_FOUND, "Not Found")),
    }
}

/// A PATCH of chat settings as a mode change, within Twitch's limits.
fn settings_change(body: &Value) -> Result<ModeChange, Refusal> {
    let flag = |key: &str| body[key].as_bool();
    let mut change = ModeChange {
        emote_only: flag("emote_mode"),
        subs_only: flag("subscriber_mode"),
        unique_chat: flag("unique_chat_mode"),
        ..ModeChange::default()
    };
    if let Some(on) = flag("slow_mode") {
        change.slow_s = Some(if on {
            match body["slow_mode_wait_time"].as_u64().unwrap_or(30) {
                s @ 3..=120 => s,
                _ => return Err(bad("The slow_mode_wait_time field must be from 3 to 120.")),
            }
        } else {
            0
        });
    }
    if let Some(on) = flag("follower_mode") {
        change.followers_only = Some(if on {
            match body["follower_mode_duration"].as_u64().unwrap_or(0) {
                m @ 0..=129_600 => Some(m),
                _ => {
                    return Err(bad(
                        "The follower_mode_duration field must be from 0 to 129600.",
                    ));
                }
            }
        } else {
            None
        });
    }
    Ok(change)
}

/// A channel's chat settings in Helix's shape. The moderator-only fields (the id and the chat
/// delay) are there only for `moderator`, a moderator who may read them.
fn settings(state: &State, channel: &Name, moderator: Option<String>) -> Value {
    let chan = &state.world.channels[channel];
    let m = chan.modes;
    let mut settings = json!({
        "broadcaster_id": chan.id.to_string(),
        "slow_mode": m.slow_s > 0,
        "slow_mode_wait_time": (m.slow_s > 0).then_some(m.slow_s),
        "follower_mode": m.followers_only.is_some(),
        "follower_mode_duration": m.followers_only,
        "subscriber_mode": m.subs_only,
        "emote_mode": m.emote_only,
        "unique_chat_mode": m.unique_chat,
    });
    if let Some(id) = moderator {
        settings["moderator_id"] = json!(id);
        settings["non_moderator_chat_delay"] = json!(false);
        settings["non_moderator_chat_delay_duration"] = Value::Null;
    }
    settings
}
