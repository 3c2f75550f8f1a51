//! The simulator's id.twitch.tv: the device code flow (`POST /oauth2/device`, polling
//! `POST /oauth2/token`, and an `/activate` page where a scenario account approves or declines),
//! refresh tokens, and the state behind `/oauth2/validate`. Bodies and errors have Twitch's
//! shapes, including its non-RFC `{"status":400,"message":"authorization_pending"}`.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Form, Query, State as AxumState};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Json, Response};
use serde::Deserialize;
use serde_json::json;
use tokio::time::Instant;

use super::world::Name;
use super::{Grant, SIM_CLIENT_ID, Shared, State};

/// How long issued access tokens last, as on Twitch (about four hours).
pub const TOKEN_LIFETIME: Duration = Duration::from_secs(4 * 3600);
/// How long a device code waits for approval.
const DEVICE_LIFETIME: Duration = Duration::from_secs(1800);

/// A device code login waiting for the user.
pub(crate) struct Device {
    user_code: String,
    scopes: Vec<String>,
    expires_at: Instant,
    answer: Option<Answer>,
}

#[derive(Clone)]
enum Answer {
    Approved(Name),
    Declined,
}

/// What a refresh token renews.
#[derive(Clone)]
pub(crate) struct Renewal {
    pub login: Name,
    pub user_id: u64,
    pub scopes: Vec<String>,
}

/// Device logins and refresh tokens.
#[derive(Default)]
pub(crate) struct Logins {
    pub devices: HashMap<String, Device>,
    pub renewals: HashMap<String, Renewal>,
}

/// A Twitch-style secret: lower-case letters and digits.
pub fn secret(rng: &mut fastrand::Rng, len: usize) -> String {
    (0..len)
        .map(|_| {
            let n = rng.u8(..36);
            char::from(if n < 10 { b'0' + n } else { b'a' + n - 10 })
        })
        .collect()
}

/// Issues an access token and a refresh token for `renewal`: Twitch's token response.
fn issue(state: &mut State, renewal: Renewal) -> Response {
    let mut rng = fastrand::Rng::new();
    let access = secret(&mut rng, 30);
    let refresh = secret(&mut rng, 50);
    let scopes = renewal.scopes.clone();
    state.grants.insert(
        access.clone(),
        Grant {
            login: renewal.login.clone(),
            user_id: renewal.user_id,
            scopes: renewal.scopes.clone(),
            expires_at: Instant::now() + TOKEN_LIFETIME,
        },
    );
    state.logins.renewals.insert(refresh.clone(), renewal);
    Json(json!({
        "access_token": access,
        "expires_in": TOKEN_LIFETIME.as_secs(),
        "refresh_token": refresh,
        "scope": scopes,
        "token_type": "bearer",
    }))
    .into_response()
}

fn oauth_error(status: StatusCode, message: &str) -> Response {
    let body = json!({
        "error": status.canonical_reason().unwrap_or("Error"),
        "status": status.as_u16(),
        "message": message,
    });
    (status, Json(body)).into_response()
}

#[derive(Deserialize)]
pub(crate) struct DeviceForm {
    client_id: String,
    #[serde(default)]
    scopes: String,
}

pub(crate) async fn device(
    AxumState(shared): AxumState<Arc<Shared>>,
    Form(form): Form<DeviceForm>,
) -> Response {
    if form.client_id != SIM_CLIENT_ID {
        return oauth_error(StatusCode::BAD_REQUEST, "invalid client");
    }
    let device_code = secret(&mut fastrand::Rng::new(), 40);
    let user_code: String = (0..8).map(|_| fastrand::uppercase()).collect();
    let interval = shared.config.device_interval.as_secs().max(1);
    let verification_uri = format!(
        "http://{}/activate?public=true&device-code={user_code}",
        shared.http_addr()
    );
    shared.state().logins.devices.insert(
        device_code.clone(),
        Device {
            user_code: user_code.clone(),
            scopes: form.scopes.split_whitespace().map(str::to_owned).collect(),
            expires_at: Instant::now() + DEVICE_LIFETIME,
            answer: None,
        },
    );
    Json(json!({
        "device_code": device_code,
        "expires_in": DEVICE_LIFETIME.as_secs(),
        "interval": interval,
        "user_code": user_code,
        "verification_uri": verification_uri,
    }))
    .into_response()
}

#[derive(Deserialize)]
pub(crate) struct TokenForm {
    grant_type: String,
    #[serde(default)]
    client_id: String,
    #[serde(default)]
    device_code: String,
    #[serde(default)]
    refresh_token: String,
}

pub(crate) async fn token(
    AxumState(shared): AxumState<Arc<Shared>>,
    Form(form): Form<TokenForm>,
) -> Response {
    if form.client_id != SIM_CLIENT_ID {
        return oauth_error(StatusCode::BAD_REQUEST, "invalid client");
    }
    match form.grant_type.as_str() {
        "urn:ietf:params:oauth:grant-type:device_code" => poll(&shared, &form.device_code),
        "refresh_token" => refresh(&shared, &form.refresh_token),
        _ => oauth_error(StatusCode::BAD_REQUEST, "unsupported grant type"),
    }
}

fn poll(shared: &Shared, device_code: &str) -> Response {
    let now = Instant::now();
    let mut state = shared.state();
    let Some(device) = state.logins.devices.get(device_code) else {
        return oauth_error(StatusCode::BAD_REQUEST, "invalid device code");
    };
    if device.expires_at <= now {
        state.logins.devices.remove(device_code);
        return oauth_error(StatusCode::BAD_REQUEST, "invalid device code");
    }
    let Some(answer) = device.answer.clone() else {
        return oauth_error(StatusCode::BAD_REQUEST, "authorization_pending");
    };
    let scopes = device.scopes.clone();
    state.logins.devices.remove(device_code);
    let login = match answer {
        Answer::Declined => return oauth_error(StatusCode::BAD_REQUEST, "access_denied"),
        Answer::Approved(login) => login,
    };
    let Some(user_id) = state.world.users.get(&login).map(|u| u.id) else {
        return oauth_error(StatusCode::BAD_REQUEST, "invalid device code");
    };
    issue(
        &mut state,
        Renewal {
            login,
            user_id,
            scopes,
        },
    )
}

fn refresh(shared: &Shared, refresh_token: &str) -> Response {
    let mut state = shared.state();
    let Some(renewal) = state.logins.renewals.remove(refresh_token) else {
        return oauth_error(StatusCode::BAD_REQUEST, "Invalid refresh token");
    };
    issue(&mut state, renewal)
}

#[derive(Deserialize)]
pub(crate) struct ActivateQuery {
    #[serde(rename = "device-code", default)]
    device_code: String,
    #[serde(default)]
    login: Option<String>,
    #[serde(default)]
    decline: Option<String>,
}

/// The approval page: with `login`, approves as that account; with `decline`, declines; else
/// lists the scenario's accounts to choose from.
pub(crate) async fn activate(
    AxumState(shared): AxumState<Arc<Shared>>,
    Query(query): Query<ActivateQuery>,
) -> Response {
    let code = query.device_code.to_ascii_uppercase();
    let answer = match (&query.login, &query.decline) {
        (_, Some(_)) => Some(Answer::Declined),
        (Some(login), None) => Some(Answer::Approved(login.to_ascii_lowercase().into())),
        (None, None) => None,
    };
    let mut state = shared.state();
    if let Some(Answer::Approved(login)) = &answer
        && !state.world.users.contains_key(login)
    {
        return (
            StatusCode::NOT_FOUND,
            Html(format!("<p>No user {login}.</p>")),
        )
            .into_response();
    }
    let Some(device) = state
        .logins
        .devices
        .values_mut()
        .find(|d| d.user_code == code && d.answer.is_none())
    else {
        return (
            StatusCode::NOT_FOUND,
            Html("<p>That code is unknown, expired or already used.</p>".to_owned()),
        )
            .into_response();
    };
    match answer {
        Some(answer) => {
            let said = match &answer {
                Answer::Approved(login) => format!("Approved as {login}"),
                Answer::Declined => "Declined".to_owned(),
            };
            device.answer = Some(answer);
            Html(format!("<p>{said}. You can go back to ttvchat.</p>")).into_response()
        }
        None => {
            let scopes = device.scopes.join(", ");
            let links: String = shared
                .accounts()
                .iter()
                .map(|login| {
                    format!(
                        "<li><a href=\"/activate?device-code={code}&login={login}\">Approve as {login}</a></li>"
                    )
                })
                .collect();
            Html(format!(
                "<h1>ttvchat simulator: code {code}</h1><p>Asks for: {scopes}</p><ul>{links}</ul>\
                 <p><a href=\"/activate?device-code={code}&decline=1\">Decline</a></p>"
            ))
            .into_response()
        }
    }
}
