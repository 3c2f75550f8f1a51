//! The simulator's Helix for chat and moderation: bans and timeouts, deleting and clearing,
//! chat settings, announcements, shoutouts, raids, moderators and VIPs, warnings, Shield Mode,
//! chat color, whispers, chatters, channel information and follows. Each checks the token's
//! scopes (401 "Missing scope"), the ids against the token (401) and the caller's role in the
//! channel (403) as Twitch documents, answers in Twitch's shapes, and changes chat the way
//! Twitch does: a ban is a CLEARCHAT, a mode change a ROOMSTATE, an announcement a USERNOTICE.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{RawQuery, State as AxumState};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Json, Response};
use serde_json::{Value, json};
use tokio::time::Instant;

use super::http::{Refusal, authorize, query_values, rfc3339};
use super::notices::Notice;
use super::world::{ModeChange, Name, Role, World};
use super::{Grant, Shared, State};

type Handled = Result<Response, Refusal>;

/// A request's query string, decoded.
struct Query(Option<String>);

impl Query {
    fn get(&self, key: &str) -> Option<String> {
        query_values(&self.0, key).into_iter().next()
    }

    fn all(&self, key: &str) -> Vec<String> {
        query_values(&self.0, key)
    }

    fn required(&self, key: &str) -> Result<String, Refusal> {
        self.get(key)
            .filter(|v| !v.is_empty())
            .ok_or_else(|| bad(format!("Missing required parameter \"{key}\"")))
    }
}

fn bad(message: impl Into<String>) -> Refusal {
    Refusal::new(StatusCode::BAD_REQUEST, message)
}

fn unauthorized(message: impl Into<String>) -> Refusal {
    Refusal::new(StatusCode::UNAUTHORIZED, message)
}

fn no_content() -> Handled {
    Ok(StatusCode::NO_CONTENT.into_response())
}

fn data(value: Value) -> Handled {
    Ok(Json(json!({ "data": [value] })).into_response())
}

/// The token must carry one of `scopes`.
fn need(grant: &Grant, scopes: &[&str]) -> Result<(), Refusal> {
    if scopes.is_empty() || scopes.iter().any(|s| grant.scopes.iter().any(|g| g == s)) {
        Ok(())
    } else {
        Err(unauthorized(format!(
            "Missing scope: {}",
            scopes.join(" or ")
        )))
    }
}

/// The channel whose broadcaster has `id`.
fn channel_by_id(world: &World, id: &str) -> Result<Name, Refusal> {
    world
        .channels
        .values()
        .find(|c| c.id.to_string() == id)
        .map(|c| c.login.clone())
        .ok_or_else(|| bad(format!("Invalid broadcaster_id \"{id}\"")))
}

/// The login of the user with `id`.
fn user_by_id(world: &World, id: &str) -> Result<Name, Refusal> {
    id.parse()
        .ok()
        .and_then(|id| world.user_by_id(id))
        .map(|u| u.login.clone())
        .ok_or_else(|| bad(format!("Invalid user_id \"{id}\"")))
}

/// A moderator's request in the channel named by `key`, with `moderator_id` the token's user.
fn as_moderator(
    state: &State,
    grant: &Grant,
    query: &Query,
    key: &str,
    scopes: &[&str],
) -> Result<Name, Refusal> {
    need(grant, scopes)?;
    let channel = channel_by_id(&state.world, &query.required(key)?)?;
    if query.required("moderator_id")? != grant.user_id.to_string() {
        return Err(unauthorized(
            "The ID in moderator_id must match the user ID found in the request's OAuth token.",
        ));
    }
    let chan = &state.world.channels[&channel];
    if state.world.role(chan, &grant.login) < Role::Moderator {
        return Err(Refusal::new(
            StatusCode::FORBIDDEN,
            "The user in moderator_id is not one of the broadcaster's moderators.",
        ));
    }
    Ok(channel)
}

/// The broadcaster's own request: the channel in `key` must be the token's user.
fn as_broadcaster(
    state: &State,
    grant: &Grant,
    query: &Query,
    key: &str,
    scopes: &[&str],
) -> Result<Name, Refusal> {
    need(grant, scopes)?;
    let channel = channel_by_id(&state.world, &query.required(key)?)?;
    if state.world.channels[&channel].id != grant.user_id {
        return Err(unauthorized(format!(
            "The ID in {key} must match the user ID found in the request's OAuth token."
        )));
    }
    Ok(channel)
}

/// The JSON body, or Twitch's 400.
fn body(bytes: &Bytes) -> Result<Value, Refusal> {
    serde_json::from_slice(bytes).map_err(|_| bad("The request body is not valid JSON."))
}

/// One page of `items` (`first`, `after` as Helix paginates), with the cursor to the next.
fn page(query: &Query, items: Vec<Value>, max_first: usize) -> Response {
    let first = query
        .get("first")
        .and_then(|f| f.parse::<usize>().ok())
        .unwrap_or(20)
        .clamp(1, max_first);
    let start = query
        .get("after")
        .and_then(|a| a.strip_prefix('o')?.parse::<usize>().ok())
        .unwrap_or(0)
        .min(items.len());
    let end = (start + first).min(items.len());
    let pagination = if end < items.len() {
        json!({ "cursor": format!("o{end}") })
    } else {
        json!({})
    };
    Json(json!({
        "data": items[start..end],
        "pagination": pagination,
        "total": items.len(),
    }))
    .into_response()
}

fn listed(world: &World, login: &str) -> Value {
    let user = world.users.get(login);
    json!({
        "user_id": user.map(|u| u.id.to_string()).unwrap_or_default(),
        "user_login": login,
        "user_name": user.map_or(login, |u| u.display_name.as_str()),
    })
}

/// Runs `handler` under the lock for an authorized caller; lines it returns go to `channel`.
async fn serve(
    shared: Arc<Shared>,
    method: Method,
    path: String,
    headers: HeaderMap,
    query: Option<String>,
    bytes: Bytes,
) -> Response {
    let grant = match authorize(&shared, &headers) {
        Ok(grant) => grant,
        Err(refusal) => return refusal.into_response(),
    };
    let query = Query(query);
    let now = Instant::now();
    let mut state = shared.state();
    let mut out = Vec::new();
    let result = route(&mut state, &grant, &method, &path, &query, &bytes, &mut out);
    for (channel, line) in out {
        state.broadcast(&channel, &line, None, now);
    }
    result.unwrap_or_else(IntoResponse::into_response)
}

/// Every Helix path this module serves, by method.
pub(super) const PATHS: &[&str] = &[
    "moderation/bans",
    "moderation/chat",
    "chat/settings",
    "chat/announcements",
    "chat/shoutouts",
    "raids",
    "moderation/moderators",
    "channels/vips",
    "moderation/warnings",
    "moderation/shield_mode",
    "chat/color",
    "whispers",
    "chat/chatters",
    "channels",
    "channels/followers",
];

pub(super) async fn handler(
    AxumState(shared): AxumState<Arc<Shared>>,
    method: Method,
    uri: axum::http::Uri,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
    bytes: Bytes,
) -> Response {
    let path = uri.path().trim_start_matches("/helix/").to_owned();
    serve(shared, method, path, headers, query, bytes).await
}

const BANS: &[&str] = &["moderator:manage:banned_users"];
const VIPS: &[&str] = &["channel:manage:vips"];
const MODS: &[&str] = &["channel:manage:moderators"];

#[allow(clippy::too_many_arguments)]
fn route(
    state: &mut State,
    grant: &Grant,
    method: &Method,
    path: &str,
    query: &Query,
    bytes: &Bytes,
    out: &mut Vec<(Name, String)>,
) -> Handled {
    let now = Instant::now();
    match (method.as_str(), path) {
        ("POST", "moderation/bans") => {
            let channel = as_moderator(state, grant, query, "broadcaster_id", BANS)?;
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
            data(json!({
                "broadcaster_id": state.world.channels[&channel].id.to_string(),
                "moderator_id": grant.user_id.to_string(),
                "user_id": user_id,
                "created_at": rfc3339(std::time::SystemTime::now()),
                "end_time": end_time,
            }))
        }
        ("DELETE", "moderation/bans") => {
            let channel = as_moderator(state, grant, query, "broadcaster_id", BANS)?;
            let login = user_by_id(&state.world, &query.required("user_id")?)?;
            if state.world.ban_state(now, &channel, &login).is_none() {
                return Err(bad("user is not banned"));
            }
            state.world.unban(&channel, &login);
            no_content()
        }
        ("DELETE", "moderation/chat") => {
            let channel = as_moderator(
                state,
                grant,
                query,
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
                grant,
                query,
                "broadcaster_id",
                &["moderator:manage:chat_settings"],
            )?;
            let change = settings_change(&body(bytes)?)?;
            if let Some(line) = state.world.set_modes(&channel, change) {
                out.push((channel.clone(), line));
            }
            let chan = &state.world.channels[&channel];
            let m = chan.modes;
            data(json!({
                "broadcaster_id": chan.id.to_string(),
                "moderator_id": grant.user_id.to_string(),
                "slow_mode": m.slow_s > 0,
                "slow_mode_wait_time": (m.slow_s > 0).then_some(m.slow_s),
                "follower_mode": m.followers_only.is_some(),
                "follower_mode_duration": m.followers_only,
                "subscriber_mode": m.subs_only,
                "emote_mode": m.emote_only,
                "unique_chat_mode": m.unique_chat,
                "non_moderator_chat_delay": false,
                "non_moderator_chat_delay_duration": null,
            }))
        }
        ("POST", "chat/announcements") => {
            let channel = as_moderator(
                state,
                grant,
                query,
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
                grant,
                query,
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
        ("POST", "raids") => {
            let channel = as_broadcaster(
                state,
                grant,
                query,
                "from_broadcaster_id",
                &["channel:manage:raids"],
            )?;
            let to = query.required("to_broadcaster_id")?;
            let target = channel_by_id(&state.world, &to).map_err(|_| {
                Refusal::new(StatusCode::NOT_FOUND, "The targeted channel was not found.")
            })?;
            if target == channel {
                return Err(bad(
                    "The IDs in from_broadcaster_id and to_broadcaster_id cannot be the same ID.",
                ));
            }
            if state.raids.contains_key(&channel) {
                return Err(Refusal::new(
                    StatusCode::CONFLICT,
                    "The broadcaster is already in the process of raiding another channel.",
                ));
            }
            state.raids.insert(channel, target);
            data(json!({ "created_at": rfc3339(std::time::SystemTime::now()), "is_mature": false }))
        }
        ("DELETE", "raids") => {
            let channel = as_broadcaster(
                state,
                grant,
                query,
                "broadcaster_id",
                &["channel:manage:raids"],
            )?;
            match state.raids.remove(&channel) {
                Some(_) => no_content(),
                None => Err(Refusal::new(
                    StatusCode::NOT_FOUND,
                    "The broadcaster doesn't have a pending raid to cancel.",
                )),
            }
        }
        ("POST" | "DELETE", "moderation/moderators" | "channels/vips") => {
            let vips = path == "channels/vips";
            let channel = as_broadcaster(
                state,
                grant,
                query,
                "broadcaster_id",
                if vips { VIPS } else { MODS },
            )?;
            let login = user_by_id(&state.world, &query.required("user_id")?)?;
            let adding = method == Method::POST;
            let chan = state.world.channels.get_mut(&channel).expect("found above");
            let (is_mod, is_vip) = (chan.moderators.contains(&login), chan.vips.contains(&login));
            let unprocessable = |m: &str| Err(Refusal::new(StatusCode::UNPROCESSABLE_ENTITY, m));
            match (vips, adding) {
                (false, true) if is_vip => {
                    return unprocessable(
                        "The user in user_id is a VIP. To make them a moderator, you must first remove them as a VIP.",
                    );
                }
                (false, true) if is_mod => {
                    return Err(bad(
                        "The user in user_id is already a moderator in the broadcaster's chat room.",
                    ));
                }
                (false, false) if !is_mod => {
                    return Err(bad(
                        "The user in user_id is not a moderator in the broadcaster's chat room.",
                    ));
                }
                (true, true) if is_mod => {
                    return unprocessable(
                        "The user in user_id is a moderator. To make them a VIP, you must first remove them as a moderator.",
                    );
                }
                (true, true) if is_vip => {
                    return unprocessable("The user in user_id is already a VIP.");
                }
                (true, false) if !is_vip => {
                    return unprocessable(
                        "The user in user_id is not a VIP in the broadcaster's channel.",
                    );
                }
                _ => {}
            }
            let set = if vips {
                &mut chan.vips
            } else {
                &mut chan.moderators
            };
            if adding {
                set.insert(login);
            } else {
                set.remove(&login);
            }
            no_content()
        }
        ("GET", "moderation/moderators" | "channels/vips") => {
            let vips = path == "channels/vips";
            let scopes: &[&str] = if vips {
                &["channel:read:vips", "channel:manage:vips"]
            } else {
                &["moderation:read", "channel:manage:moderators"]
            };
            let channel = as_broadcaster(state, grant, query, "broadcaster_id", scopes)?;
            let chan = &state.world.channels[&channel];
            let mut logins: Vec<&Name> = if vips {
                chan.vips.iter().collect()
            } else {
                chan.moderators.iter().collect()
            };
            logins.sort();
            let items = logins.iter().map(|l| listed(&state.world, l)).collect();
            Ok(page(query, items, 100))
        }
        ("POST", "moderation/warnings") => {
            let channel = as_moderator(
                state,
                grant,
                query,
                "broadcaster_id",
                &["moderator:manage:warnings"],
            )?;
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
            data(json!({
                "broadcaster_id": state.world.channels[&channel].id.to_string(),
                "user_id": user_id,
                "moderator_id": grant.user_id.to_string(),
                "reason": reason,
            }))
        }
        ("PUT", "moderation/shield_mode") => {
            let channel = as_moderator(
                state,
                grant,
                query,
                "broadcaster_id",
                &["moderator:manage:shield_mode"],
            )?;
            let on = body(bytes)?["is_active"]
                .as_bool()
                .ok_or_else(|| bad("The is_active field is required."))?;
            if on {
                state.shield.insert(channel);
            } else {
                state.shield.remove(&channel);
            }
            data(json!({
                "is_active": on,
                "moderator_id": grant.user_id.to_string(),
                "moderator_login": grant.login,
                "moderator_name": grant.login,
                "last_activated_at": rfc3339(std::time::SystemTime::now()),
            }))
        }
        ("PUT", "chat/color") => {
            need(grant, &["user:manage:chat_color"])?;
            if query.required("user_id")? != grant.user_id.to_string() {
                return Err(unauthorized(
                    "The ID in user_id must match the user ID in the access token.",
                ));
            }
            let color = query.required("color")?;
            let user = state
                .world
                .users
                .get_mut(&grant.login)
                .ok_or_else(|| bad("Invalid user_id"))?;
            let rgb = match color.strip_prefix('#') {
                Some(_) if !(user.turbo || user.prime) => {
                    return Err(bad(
                        "To specify a Hex color code, the user must be a Turbo or Prime user.",
                    ));
                }
                Some(_) => crate::twitch::tags::Rgb::parse(&color),
                None => named_color(&color),
            };
            user.color = Some(rgb.ok_or_else(|| {
                bad("The named color in the color query parameter is not valid.")
            })?);
            no_content()
        }
        ("POST", "whispers") => {
            need(grant, &["user:manage:whispers"])?;
            if query.required("from_user_id")? != grant.user_id.to_string() {
                return Err(unauthorized(
                    "This ID in from_user_id must match the user ID in the user access token.",
                ));
            }
            let to = query.required("to_user_id")?;
            if to == grant.user_id.to_string() {
                return Err(bad(
                    "The ID in the from_user_id and to_user_id query parameters must be different.",
                ));
            }
            user_by_id(&state.world, &to).map_err(|_| {
                Refusal::new(StatusCode::NOT_FOUND, "The ID in to_user_id was not found.")
            })?;
            if body(bytes)?["message"]
                .as_str()
                .is_none_or(|m| m.is_empty())
            {
                return Err(bad("The message field must not contain an empty string."));
            }
            no_content()
        }
        ("GET", "chat/chatters") => {
            let channel = as_moderator(
                state,
                grant,
                query,
                "broadcaster_id",
                &["moderator:read:chatters"],
            )?;
            let mut logins: Vec<String> = state.chatters_of(&channel);
            logins.sort();
            logins.dedup();
            let items = logins.iter().map(|l| listed(&state.world, l)).collect();
            Ok(page(query, items, 1000))
        }
        ("GET", "channels") => {
            let ids = query.all("broadcaster_id");
            if ids.is_empty() || ids.len() > 100 {
                return Err(bad(
                    "Between 1 and 100 broadcaster_id parameters are required.",
                ));
            }
            let items: Vec<Value> = state
                .world
                .channels
                .values()
                .filter(|c| ids.contains(&c.id.to_string()))
                .map(|c| {
                    json!({
                        "broadcaster_id": c.id.to_string(),
                        "broadcaster_login": c.login,
                        "broadcaster_name": state.world.users.get(&c.login).map_or(c.login.as_str(), |u| u.display_name.as_str()),
                        "broadcaster_language": "en",
                        "game_id": c.category_id.to_string(),
                        "game_name": c.category,
                        "title": c.title,
                        "delay": 0,
                        "tags": ["English"],
                        "content_classification_labels": [],
                        "is_branded_content": false,
                    })
                })
                .collect();
            Ok(Json(json!({ "data": items })).into_response())
        }
        ("GET", "channels/followers") => {
            let channel = channel_by_id(&state.world, &query.required("broadcaster_id")?)?;
            let chan = &state.world.channels[&channel];
            let mut followers: Vec<(&Name, &std::time::SystemTime)> =
                chan.followers.iter().collect();
            followers.sort_by(|a, b| b.1.cmp(a.1));
            let may_see = grant.scopes.iter().any(|s| s == "moderator:read:followers")
                && state.world.role(chan, &grant.login) >= Role::Moderator;
            let wanted = query.get("user_id");
            let items: Vec<Value> = followers
                .iter()
                .filter(|_| may_see)
                .filter(|(login, _)| {
                    wanted.as_ref().is_none_or(|id| {
                        state
                            .world
                            .users
                            .get(*login)
                            .is_some_and(|u| u.id.to_string() == *id)
                    })
                })
                .map(|(login, at)| {
                    let mut item = listed(&state.world, login);
                    item["followed_at"] = json!(rfc3339(**at));
                    item
                })
                .collect();
            Ok(page(query, items, 100))
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

/// Twitch's named chat colors.
fn named_color(name: &str) -> Option<crate::twitch::tags::Rgb> {
    let hex = match name {
        "blue" => "#0000FF",
        "blue_violet" => "#8A2BE2",
        "cadet_blue" => "#5F9EA0",
        "chocolate" => "#D2691E",
        "coral" => "#FF7F50",
        "dodger_blue" => "#1E90FF",
        "firebrick" => "#B22222",
        "golden_rod" => "#DAA520",
        "green" => "#008000",
        "hot_pink" => "#FF69B4",
        "orange_red" => "#FF4500",
        "red" => "#FF0000",
        "sea_green" => "#2E8B57",
        "spring_green" => "#00FF7F",
        "yellow_green" => "#9ACD32",
        _ => return None,
    };
    crate::twitch::tags::Rgb::parse(hex)
}
