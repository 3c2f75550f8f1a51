//! `POST/GET/DELETE /helix/eventsub/subscriptions` for WebSocket sessions, as Twitch enforces
//! them: a user token, the websocket transport and a live session, a known type and version,
//! the condition's user being the token's, the type's scopes, a moderator's role for moderator
//! types, no duplicate (409), at most 300 enabled per session and 3 sessions per user (429).
//! The simulator's own table of types, apart from the client's.

use std::time::SystemTime;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Json};
use serde_json::{Value, json};

use super::{Ask, Handled, Refusal, bad, body, channel_by_id, no_content};
use crate::sim::State;
use crate::sim::eventsub::EsSub;
use crate::sim::http::rfc3339;
use crate::sim::world::Role;

pub(super) const PATHS: &[&str] = &["eventsub/subscriptions"];

/// Who must create a type: a moderator of the channel, or the user named in `user_id`.
#[derive(Clone, Copy, PartialEq)]
enum Who {
    Moderator,
    User,
}

/// Type, version, who, and scope groups (one of each group).
type Kind = (
    &'static str,
    &'static str,
    Who,
    &'static [&'static [&'static str]],
);

const AUTOMOD: &[&[&str]] = &[&["moderator:manage:automod"]];
const SUSPICIOUS: &[&[&str]] = &[&["moderator:read:suspicious_users"]];
const UNBAN: &[&[&str]] = &[&[
    "moderator:read:unban_requests",
    "moderator:manage:unban_requests",
]];
const WARNINGS: &[&[&str]] = &[&["moderator:read:warnings", "moderator:manage:warnings"]];
const SHIELD: &[&[&str]] = &[&["moderator:read:shield_mode", "moderator:manage:shield_mode"]];
const MODERATE: &[&[&str]] = &[
    &[
        "moderator:read:blocked_terms",
        "moderator:manage:blocked_terms",
    ],
    &[
        "moderator:read:chat_settings",
        "moderator:manage:chat_settings",
    ],
    &[
        "moderator:read:unban_requests",
        "moderator:manage:unban_requests",
    ],
    &[
        "moderator:read:banned_users",
        "moderator:manage:banned_users",
    ],
    &[
        "moderator:read:chat_messages",
        "moderator:manage:chat_messages",
    ],
    &["moderator:read:warnings", "moderator:manage:warnings"],
    &["moderator:read:moderators", "channel:manage:moderators"],
    &["moderator:read:vips", "channel:manage:vips"],
];

const KINDS: &[Kind] = &[
    ("automod.message.hold", "1", Who::Moderator, AUTOMOD),
    ("automod.message.hold", "2", Who::Moderator, AUTOMOD),
    ("automod.message.update", "1", Who::Moderator, AUTOMOD),
    ("automod.message.update", "2", Who::Moderator, AUTOMOD),
    ("channel.moderate", "1", Who::Moderator, MODERATE),
    ("channel.moderate", "2", Who::Moderator, MODERATE),
    (
        "channel.suspicious_user.message",
        "1",
        Who::Moderator,
        SUSPICIOUS,
    ),
    (
        "channel.suspicious_user.update",
        "1",
        Who::Moderator,
        SUSPICIOUS,
    ),
    ("channel.unban_request.create", "1", Who::Moderator, UNBAN),
    ("channel.unban_request.resolve", "1", Who::Moderator, UNBAN),
    ("channel.warning.send", "1", Who::Moderator, WARNINGS),
    ("channel.warning.acknowledge", "1", Who::Moderator, WARNINGS),
    ("channel.shield_mode.begin", "1", Who::Moderator, SHIELD),
    ("channel.shield_mode.end", "1", Who::Moderator, SHIELD),
    (
        "channel.follow",
        "2",
        Who::Moderator,
        &[&["moderator:read:followers"]],
    ),
    (
        "channel.chat.user_message_hold",
        "1",
        Who::User,
        &[&["user:read:chat"]],
    ),
    (
        "channel.chat.user_message_update",
        "1",
        Who::User,
        &[&["user:read:chat"]],
    ),
    (
        "user.whisper.message",
        "1",
        Who::User,
        &[&["user:read:whispers", "user:manage:whispers"]],
    ),
];

const PER_SESSION: usize = 300;
const SESSIONS_PER_USER: usize = 3;

fn status(code: StatusCode, message: impl Into<String>) -> Refusal {
    Refusal::new(code, message)
}

pub(super) fn route(state: &mut State, ask: &Ask) -> Handled {
    match ask.method.as_str() {
        "POST" => create(state, ask),
        "GET" => list(state, ask),
        "DELETE" => {
            let id = ask.query.required("id")?;
            let user = ask.grant.user_id;
            let before = state.eventsub.subs.len();
            state
                .eventsub
                .subs
                .retain(|s| !(s.id == id && s.user_id == user));
            if state.eventsub.subs.len() == before {
                return Err(status(StatusCode::NOT_FOUND, "subscription not found"));
            }
            no_content()
        }
        _ => Err(status(StatusCode::NOT_FOUND, "Not Found")),
    }
}

fn create(state: &mut State, ask: &Ask) -> Handled {
    let request = body(&ask.bytes)?;
    let text = |v: &Value| v.as_str().unwrap_or_default().to_owned();
    let (kind, version) = (text(&request["type"]), text(&request["version"]));
    let transport = &request["transport"];
    if transport["method"] != "websocket" {
        return Err(bad("transport method must be websocket for this client"));
    }
    let session_id = text(&transport["session_id"]);
    let Some(session) = state.eventsub.sessions.get(&session_id) else {
        return Err(bad(
            "websocket transport session does not exist or has already disconnected",
        ));
    };
    let connected_at = session.connected_at.clone();
    let Some(&(_, _, who, scopes)) = KINDS
        .iter()
        .find(|(k, v, _, _)| *k == kind && *v == version)
    else {
        return Err(bad(format!(
            "unsupported subscription type and version: {kind} v{version}"
        )));
    };
    let condition = request["condition"].clone();
    let me = ask.grant.user_id.to_string();
    let named = match who {
        Who::Moderator => text(&condition["moderator_user_id"]),
        Who::User => text(&condition["user_id"]),
    };
    if named != me {
        return Err(status(
            StatusCode::FORBIDDEN,
            "subscription missing proper authorization",
        ));
    }
    let granted = &ask.grant.scopes;
    if !scopes
        .iter()
        .all(|group| group.iter().any(|s| granted.iter().any(|g| g == s)))
    {
        return Err(status(
            StatusCode::FORBIDDEN,
            "subscription missing proper authorization",
        ));
    }
    let broadcaster = condition["broadcaster_user_id"].as_str();
    if who == Who::Moderator || broadcaster.is_some() {
        let channel = channel_by_id(&state.world, broadcaster.unwrap_or_default())?;
        let chan = &state.world.channels[&channel];
        if who == Who::Moderator && state.world.role(chan, &ask.grant.login) < Role::Moderator {
            return Err(status(
                StatusCode::FORBIDDEN,
                "subscription missing proper authorization",
            ));
        }
    }
    let enabled = |s: &&EsSub| s.status == "enabled";
    let subs = &state.eventsub.subs;
    if subs
        .iter()
        .filter(enabled)
        .any(|s| s.kind == kind && s.version == version && s.condition == condition)
    {
        return Err(status(StatusCode::CONFLICT, "subscription already exists"));
    }
    let mine: Vec<&EsSub> = subs
        .iter()
        .filter(enabled)
        .filter(|s| s.user_id == ask.grant.user_id)
        .collect();
    if mine.iter().filter(|s| s.session_id == session_id).count() >= PER_SESSION {
        return Err(status(
            StatusCode::TOO_MANY_REQUESTS,
            "maximum subscriptions per websocket transport exceeded",
        ));
    }
    let mut sessions: Vec<&str> = mine.iter().map(|s| s.session_id.as_str()).collect();
    sessions.sort_unstable();
    sessions.dedup();
    if !sessions.contains(&session_id.as_str()) && sessions.len() >= SESSIONS_PER_USER {
        return Err(status(
            StatusCode::TOO_MANY_REQUESTS,
            "number of websocket transports limit exceeded",
        ));
    }
    let sub = EsSub {
        id: state.eventsub.new_id("sub-"),
        kind,
        version,
        condition,
        session_id,
        user_id: ask.grant.user_id,
        status: "enabled".to_owned(),
        created_at: rfc3339(SystemTime::now()),
        connected_at,
        disconnected_at: None,
    };
    let created = sub.json();
    state.eventsub.subs.push(sub);
    let total = state
        .eventsub
        .subs
        .iter()
        .filter(|s| s.user_id == ask.grant.user_id)
        .count();
    Ok((
        StatusCode::ACCEPTED,
        Json(json!({"data": [created], "total": total, "total_cost": 0, "max_total_cost": 10})),
    )
        .into_response())
}

fn list(state: &State, ask: &Ask) -> Handled {
    let filters: Vec<(&str, String)> = ["status", "type", "user_id", "subscription_id"]
        .into_iter()
        .filter_map(|k| ask.query.get(k).map(|v| (k, v)))
        .collect();
    if filters.len() > 1 {
        return Err(bad(
            "only one of status, type, user_id and subscription_id may be given",
        ));
    }
    let data: Vec<Value> = state
        .eventsub
        .subs
        .iter()
        .filter(|s| s.user_id == ask.grant.user_id)
        .filter(|s| match filters.first() {
            None => true,
            Some(("status", v)) => s.status == *v,
            Some(("type", v)) => s.kind == *v,
            Some(("subscription_id", v)) => s.id == *v,
            Some((_, v)) => s
                .condition
                .as_object()
                .is_some_and(|c| c.values().any(|x| x.as_str() == Some(v.as_str()))),
        })
        .map(EsSub::json)
        .collect();
    Ok(Json(
        json!({"total": data.len(), "total_cost": 0, "max_total_cost": 10,
        "pagination": {}, "data": data}),
    )
    .into_response())
}
