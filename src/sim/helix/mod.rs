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

use super::http::{Refusal, authorize, query_values};
use super::world::{Name, Role, World};
use super::{Grant, Shared, State};

mod channel;
mod eventsub;
mod moderation;
mod watch;

type Handled = Result<Response, Refusal>;

/// One Helix request from an authorized caller: who asks, and what.
struct Ask {
    grant: Grant,
    method: Method,
    /// After `/helix/`.
    path: String,
    query: Query,
    bytes: Bytes,
}

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

/// The channel named by `key`, for a token carrying one of `scopes`.
fn scoped_channel(state: &State, ask: &Ask, key: &str, scopes: &[&str]) -> Result<Name, Refusal> {
    need(&ask.grant, scopes)?;
    channel_by_id(&state.world, &ask.query.required(key)?)
}

/// A moderator's request in the channel named by `key`, with `moderator_id` the token's user.
fn as_moderator(state: &State, ask: &Ask, key: &str, scopes: &[&str]) -> Result<Name, Refusal> {
    let (grant, query) = (&ask.grant, &ask.query);
    let channel = scoped_channel(state, ask, key, scopes)?;
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
fn as_broadcaster(state: &State, ask: &Ask, key: &str, scopes: &[&str]) -> Result<Name, Refusal> {
    let channel = scoped_channel(state, ask, key, scopes)?;
    if state.world.channels[&channel].id != ask.grant.user_id {
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

/// Every Helix path served here.
pub(super) fn paths() -> impl Iterator<Item = &'static str> {
    moderation::PATHS
        .iter()
        .chain(channel::PATHS)
        .chain(eventsub::PATHS)
        .chain(watch::PATHS)
        .copied()
}

/// Serves a request under the lock for an authorized caller; the chat lines a change makes go
/// to the channel's members.
pub(super) async fn handler(
    AxumState(shared): AxumState<Arc<Shared>>,
    method: Method,
    uri: axum::http::Uri,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
    bytes: Bytes,
) -> Response {
    let grant = match authorize(&shared, &headers) {
        Ok(grant) => grant,
        Err(refusal) => return refusal.into_response(),
    };
    let ask = Ask {
        grant,
        method,
        path: uri.path().trim_start_matches("/helix/").to_owned(),
        query: Query(query),
        bytes,
    };
    let now = Instant::now();
    let mut state = shared.state();
    let result = if moderation::PATHS.contains(&ask.path.as_str()) {
        let mut out = Vec::new();
        let result = moderation::route(&mut state, &ask, &mut out);
        for (channel, line) in out {
            state.broadcast(&channel, &line, None, now);
        }
        result
    } else if eventsub::PATHS.contains(&ask.path.as_str()) {
        eventsub::route(&mut state, &ask)
    } else if watch::PATHS.contains(&ask.path.as_str()) {
        watch::route(&mut state, &ask)
    } else {
        channel::route(&mut state, &ask)
    };
    result.unwrap_or_else(IntoResponse::into_response)
}

const BANS: &[&str] = &["moderator:manage:banned_users"];
const VIPS: &[&str] = &["channel:manage:vips"];
const MODS: &[&str] = &["channel:manage:moderators"];
