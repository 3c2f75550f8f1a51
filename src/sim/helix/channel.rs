//! Channel endpoints of the simulator's Helix: raids, moderators and VIPs (the broadcaster's),
//! chat color, whispers, chatters, channel information and follows.

use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Json};
use serde_json::{Value, json};

use super::super::http::{Refusal, rfc3339};
use super::super::world::{Name, Role};
use super::super::{State, Whispered};
use super::{
    Ask, Handled, MODS, VIPS, as_broadcaster, as_moderator, bad, body, channel_by_id, data, listed,
    need, no_content, page, unauthorized, user_by_id,
};

/// The paths served here.
pub(super) const PATHS: &[&str] = &[
    "raids",
    "moderation/moderators",
    "channels/vips",
    "chat/color",
    "whispers",
    "chat/chatters",
    "channels",
    "channels/followers",
];

pub(super) fn route(state: &mut State, ask: &Ask) -> Handled {
    let Ask {
        grant,
        method,
        path,
        query,
        bytes,
    } = ask;
    match (method.as_str(), path.as_str()) {
        ("POST", "raids") => {
            let channel =
                as_broadcaster(state, ask, "from_broadcaster_id", &["channel:manage:raids"])?;
            let to = query.required("to_broadcaster_id")?;
            let target = channel_by_id(&state.world, &to).map_err(|_| {
                Refusal::new(StatusCode::NOT_FOUND, "The targeted channel was not found.")
            })?;
            if target == channel {
                return Err(bad(
                    "The IDs in from_broadcaster_id and to_broadcaster_id cannot be the same ID.",
                ));
            }
            if state.actions.raids.contains_key(&channel) {
                return Err(Refusal::new(
                    StatusCode::CONFLICT,
                    "The broadcaster is already in the process of raiding another channel.",
                ));
            }
            state.actions.raids.insert(channel, target);
            data(json!({ "created_at": rfc3339(std::time::SystemTime::now()), "is_mature": false }))
        }
        ("DELETE", "raids") => {
            let channel = as_broadcaster(state, ask, "broadcaster_id", &["channel:manage:raids"])?;
            match state.actions.raids.remove(&channel) {
                Some(_) => no_content(),
                None => Err(Refusal::new(
                    StatusCode::NOT_FOUND,
                    "The broadcaster doesn't have a pending raid to cancel.",
                )),
            }
        }
        ("POST" | "DELETE", "moderation/moderators" | "channels/vips") => {
            let vips = path == "channels/vips";
            let channel =
                as_broadcaster(state, ask, "broadcaster_id", if vips { VIPS } else { MODS })?;
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
            let channel = as_broadcaster(state, ask, "broadcaster_id", scopes)?;
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
            if color.starts_with('#') && !(user.turbo || user.prime) {
                return Err(bad(
                    "To specify a Hex color code, the user must be a Turbo or Prime user.",
                ));
            }
            let rgb = crate::twitch::tags::Rgb::named_or_hex(&color);
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
            let to = user_by_id(&state.world, &to).map_err(|_| {
                Refusal::new(StatusCode::NOT_FOUND, "The ID in to_user_id was not found.")
            })?;
            let text: String = match body(bytes)?["message"].as_str() {
                Some(text) if !text.is_empty() => text.chars().take(500).collect(),
                _ => return Err(bad("The message field must not contain an empty string.")),
            };
            state.whisper(&grant.login, &to, &text);
            state.actions.whispers.push(Whispered {
                from: grant.login.clone(),
                to,
                text,
            });
            no_content()
        }
        ("GET", "chat/chatters") => {
            let channel = as_moderator(state, ask, "broadcaster_id", &["moderator:read:chatters"])?;
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
