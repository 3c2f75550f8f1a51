//! The simulator's HTTP side: Helix (users and streams here; chat and moderation in `helix/`) and OAuth
//! (`/oauth2/validate` here; the device flow and refresh in `oauth.rs`), with Twitch's headers,
//! JSON shapes and error bodies, all on one router over the shared world.

use std::sync::Arc;
use std::time::SystemTime;

use axum::Router;
use axum::extract::{RawQuery, Request, State as AxumState};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Json, Response};
use axum::routing::{any, get, post};
use serde_json::{Value, json};
use tokio::net::TcpListener;
use tokio::time::Instant;

use super::record::SimEvent;
use super::world::{User, World};
use super::{Grant, SIM_CLIENT_ID, Shared};
use super::{helix, oauth};

pub async fn serve(shared: Arc<Shared>, listener: TcpListener) {
    let mut api = Router::new()
        .route("/helix/users", get(users))
        .route("/helix/streams", get(streams));
    for path in helix::paths() {
        api = api.route(&format!("/helix/{path}"), any(helix::handler));
    }
    let api = api.layer(middleware::from_fn_with_state(shared.clone(), gate));
    let app = Router::new()
        .merge(api)
        .route("/oauth2/validate", get(validate))
        .route("/oauth2/device", post(oauth::device))
        .route("/oauth2/token", post(oauth::token))
        .route("/activate", get(oauth::activate))
        .with_state(shared);
    if let Err(e) = axum::serve(listener, app).await {
        tracing::error!(target: "ttvchat::sim", "HTTP server stopped: {e}");
    }
}

/// Every Helix request passes here: it is recorded, rate-limit headers go on the answer, and
/// the rate-limit and stall faults apply.
async fn gate(AxumState(shared): AxumState<Arc<Shared>>, request: Request, next: Next) -> Response {
    shared.record.push(SimEvent::Helix {
        method: request.method().to_string(),
        path: request
            .uri()
            .path()
            .trim_start_matches("/helix/")
            .to_owned(),
    });
    let now_s = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap_or_default()
        .as_secs();
    let (limited, stall) = {
        let mut state = shared.state();
        let faults = &mut state.http_faults;
        let limited = faults.rate_limited > 0;
        faults.rate_limited = faults.rate_limited.saturating_sub(1);
        let stall = faults
            .stall
            .filter(|(_, until)| *until > Instant::now())
            .map(|(delay, _)| delay);
        (limited, stall)
    };
    let (mut response, remaining, reset) = if limited {
        let refused = error(
            StatusCode::TOO_MANY_REQUESTS,
            "The app has exceeded the number of requests it may make per minute for this broadcaster.",
        );
        (refused, 0, now_s + 1)
    } else {
        if let Some(delay) = stall {
            tokio::time::sleep(delay).await;
        }
        (next.run(request).await, 799, now_s + 60)
    };
    let headers = response.headers_mut();
    for (name, value) in [
        ("ratelimit-limit", 800),
        ("ratelimit-remaining", remaining),
        ("ratelimit-reset", reset),
    ] {
        headers.insert(name, HeaderValue::from(value));
    }
    response
}

/// A refused request: its status and Twitch's message.
pub(super) struct Refusal(pub StatusCode, pub String);

impl Refusal {
    pub fn new(status: StatusCode, message: impl Into<String>) -> Refusal {
        Refusal(status, message.into())
    }
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        error(self.0, &self.1)
    }
}

/// Twitch's error body.
pub(super) fn error(status: StatusCode, message: &str) -> Response {
    let body = json!({
        "error": status.canonical_reason().unwrap_or("Error"),
        "status": status.as_u16(),
        "message": message,
    });
    (status, Json(body)).into_response()
}

/// The token of `Authorization: <scheme> <token>`.
fn bearer<'h>(headers: &'h HeaderMap, scheme: &str) -> Option<&'h str> {
    let value = headers.get("authorization")?.to_str().ok()?;
    let (given, token) = value.split_once(' ')?;
    given.eq_ignore_ascii_case(scheme).then_some(token.trim())
}

/// Checks the Bearer token and Client-Id as Helix does.
pub(super) fn authorize(shared: &Shared, headers: &HeaderMap) -> Result<Grant, Refusal> {
    let unauthorized = |message: &str| Err(Refusal::new(StatusCode::UNAUTHORIZED, message));
    let Some(token) = bearer(headers, "Bearer") else {
        return unauthorized("OAuth token is missing");
    };
    let client_id = headers.get("client-id").and_then(|v| v.to_str().ok());
    let grant = shared
        .state()
        .grants
        .get(token)
        .filter(|g| g.expires_at > Instant::now())
        .cloned();
    match (grant, client_id) {
        (None, _) => unauthorized("Invalid OAuth token"),
        (Some(_), None) => unauthorized("Client ID is missing"),
        (Some(_), Some(id)) if id != SIM_CLIENT_ID => {
            unauthorized("Client ID and OAuth token do not match")
        }
        (Some(grant), Some(_)) => Ok(grant),
    }
}

/// Repeated query parameters (`id=1&id=2`), decoded.
pub(super) fn query_values(query: &Option<String>, key: &str) -> Vec<String> {
    form_urlencoded::parse(query.as_deref().unwrap_or_default().as_bytes())
        .filter(|(k, _)| k == key)
        .map(|(_, v)| v.into_owned())
        .collect()
}

pub(super) fn rfc3339(time: SystemTime) -> String {
    humantime::format_rfc3339_seconds(time).to_string()
}

fn user_json(user: &User) -> Value {
    json!({
        "id": user.id.to_string(),
        "login": user.login,
        "display_name": user.display_name,
        "type": "",
        "broadcaster_type": "",
        "description": "",
        "profile_image_url": format!("https://static-cdn.jtvnw.net/jtv_user_pictures/{}-profile_image-300x300.png", user.login),
        "offline_image_url": "",
        "view_count": 0,
        "created_at": rfc3339(user.created_at),
    })
}

async fn users(
    AxumState(shared): AxumState<Arc<Shared>>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    let grant = match authorize(&shared, &headers) {
        Ok(grant) => grant,
        Err(refusal) => return refusal.into_response(),
    };
    let ids = query_values(&query, "id");
    let logins = query_values(&query, "login");
    if ids.len() + logins.len() > 100 {
        return error(
            StatusCode::BAD_REQUEST,
            "The request exceeded the maximum allowed number of id and/or login query parameters.",
        );
    }
    let state = shared.state();
    let world: &World = &state.world;
    let data: Vec<Value> = if ids.is_empty() && logins.is_empty() {
        world
            .users
            .get(&grant.login)
            .map(user_json)
            .into_iter()
            .collect()
    } else {
        let by_id = ids
            .iter()
            .filter_map(|id| id.parse().ok().and_then(|id| world.user_by_id(id)));
        let by_login = logins
            .iter()
            .filter_map(|l| world.users.get(l.to_ascii_lowercase().as_str()));
        by_id.chain(by_login).map(user_json).collect()
    };
    Json(json!({ "data": data })).into_response()
}

async fn streams(
    AxumState(shared): AxumState<Arc<Shared>>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    if let Err(refusal) = authorize(&shared, &headers) {
        return refusal.into_response();
    }
    let ids = query_values(&query, "user_id");
    let logins: Vec<String> = query_values(&query, "user_login")
        .iter()
        .map(|l| l.to_ascii_lowercase())
        .collect();
    let state = shared.state();
    let data: Vec<Value> = state
        .world
        .channels
        .values()
        .filter(|c| c.live)
        .filter(|c| {
            (ids.is_empty() && logins.is_empty())
                || ids.contains(&c.id.to_string())
                || logins.iter().any(|l| l == c.login.as_str())
        })
        .map(|c| {
            let name = state
                .world
                .users
                .get(&c.login)
                .map_or(c.login.as_str(), |u| u.display_name.as_str());
            json!({
                "id": (c.id * 31).to_string(),
                "user_id": c.id.to_string(),
                "user_login": c.login,
                "user_name": name,
                "game_id": c.category_id.to_string(),
                "game_name": c.category,
                "type": "live",
                "title": c.title,
                "tags": ["English"],
                "viewer_count": c.viewers,
                "started_at": rfc3339(c.started_at),
                "language": "en",
                "thumbnail_url": format!("https://static-cdn.jtvnw.net/previews-ttv/live_user_{}-{{width}}x{{height}}.jpg", c.login),
                "tag_ids": [],
                "is_mature": false,
            })
        })
        .collect();
    Json(json!({ "data": data, "pagination": {} })).into_response()
}

async fn validate(AxumState(shared): AxumState<Arc<Shared>>, headers: HeaderMap) -> Response {
    let unauthorized = |message: &str| {
        let body = json!({ "status": 401, "message": message });
        (StatusCode::UNAUTHORIZED, Json(body)).into_response()
    };
    let Some(token) = bearer(&headers, "OAuth").or_else(|| bearer(&headers, "Bearer")) else {
        return unauthorized("missing authorization token");
    };
    let now = Instant::now();
    let state = shared.state();
    match state.grants.get(token).filter(|g| g.expires_at > now) {
        None => unauthorized("invalid access token"),
        Some(grant) => Json(json!({
            "client_id": SIM_CLIENT_ID,
            "login": grant.login,
            "scopes": grant.scopes,
            "user_id": grant.user_id.to_string(),
            "expires_in": (grant.expires_at - now).as_secs(),
        }))
        .into_response(),
    }
}
