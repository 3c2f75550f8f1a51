//! Twitch OAuth (id.twitch.tv, or the simulator): the device code flow for `ttvchat login`,
//! token validation (at start and hourly), and refresh. The base URL and client id come from the
//! config. Tokens and device codes never reach logs: they are sent only in form bodies and the
//! Authorization header, and every error message is built from Twitch's answer, not the request.

use std::time::Duration;

use serde::Deserialize;

use super::helix::http_client;
use crate::twitch::Login;
use crate::twitch::outgoing::Token;

/// Twitch's OAuth base URL.
pub const AUTH_URL: &str = "https://id.twitch.tv/oauth2";

/// What ttvchat asks for at login: chat, and everything the slash-commands and moderation keys
/// use. Twitch shows the list on the approval page.
pub const SCOPES: &[&str] = &[
    "chat:read",
    "chat:edit",
    "user:read:chat",
    "user:write:chat",
    "user:manage:chat_color",
    "user:manage:whispers",
    "user:read:whispers",
    "user:read:moderated_channels",
    "moderation:read",
    "moderator:manage:announcements",
    "moderator:manage:automod",
    "moderator:manage:banned_users",
    "moderator:manage:blocked_terms",
    "moderator:manage:chat_messages",
    "moderator:manage:chat_settings",
    "moderator:manage:shield_mode",
    "moderator:manage:shoutouts",
    "moderator:manage:suspicious_users",
    "moderator:manage:unban_requests",
    "moderator:manage:warnings",
    "moderator:read:chatters",
    "moderator:read:followers",
    "moderator:read:suspicious_users",
    "channel:manage:moderators",
    "channel:manage:raids",
    "channel:manage:vips",
];

#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    #[error("could not reach Twitch's login service: {0}")]
    Http(String),
    #[error("Twitch's login service did not answer in time")]
    Timeout,
    #[error("the login code expired before it was approved; run `ttvchat login` again")]
    Expired,
    #[error("the login was declined on Twitch")]
    Denied,
    #[error("Twitch does not accept the token ({0}); log in again with `ttvchat login`")]
    Invalid(String),
    #[error("Twitch's login service refused ({status}): {message}")]
    Refused { status: u16, message: String },
    #[error("unexpected answer from Twitch's login service: {0}")]
    Decode(String),
}

impl From<reqwest::Error> for AuthError {
    fn from(e: reqwest::Error) -> Self {
        if e.is_timeout() {
            AuthError::Timeout
        } else {
            AuthError::Http(e.without_url().to_string())
        }
    }
}

/// A device code login in progress: show `user_code` and `verification_uri` to the user.
#[derive(Clone, Deserialize)]
pub struct DeviceCode {
    device_code: String,
    pub user_code: String,
    pub verification_uri: String,
    /// Seconds between polls.
    pub interval: u64,
    /// Seconds until the code expires.
    pub expires_in: u64,
}

impl std::fmt::Debug for DeviceCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DeviceCode")
            .field("user_code", &self.user_code)
            .field("verification_uri", &self.verification_uri)
            .finish_non_exhaustive()
    }
}

/// A fresh access token, and the refresh token that renews it.
#[derive(Debug, Clone)]
pub struct Tokens {
    pub access: Token,
    pub refresh: Option<Token>,
    pub scopes: Vec<String>,
    /// `None`: does not expire.
    pub expires_in: Option<Duration>,
}

#[derive(Deserialize)]
struct TokensJson {
    access_token: String,
    #[serde(default)]
    refresh_token: Option<String>,
    #[serde(default)]
    scope: Vec<String>,
    #[serde(default)]
    expires_in: u64,
}

impl From<TokensJson> for Tokens {
    fn from(json: TokensJson) -> Tokens {
        Tokens {
            access: Token::new(&json.access_token),
            refresh: json
                .refresh_token
                .filter(|r| !r.is_empty())
                .map(|r| Token::new(&r)),
            scopes: json.scope,
            expires_in: (json.expires_in > 0).then(|| Duration::from_secs(json.expires_in)),
        }
    }
}

/// Who a token belongs to and what it may do, from `GET /oauth2/validate`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Validation {
    pub login: Login,
    pub user_id: String,
    pub client_id: String,
    pub scopes: Vec<String>,
    /// `None`: does not expire.
    pub expires_in: Option<Duration>,
}

#[derive(Deserialize)]
struct ValidationJson {
    client_id: String,
    login: String,
    #[serde(default)]
    scopes: Vec<String>,
    user_id: String,
    #[serde(default)]
    expires_in: u64,
}

/// Twitch's OAuth error body: `{"status": 400, "message": "authorization_pending"}`, sometimes
/// with `error` as well.
#[derive(Deserialize, Default)]
struct ErrorJson {
    #[serde(default)]
    message: String,
    #[serde(default)]
    error: String,
}

/// The OAuth service for one client id.
#[derive(Clone)]
pub struct OAuth {
    http: reqwest::Client,
    base: String,
    client_id: String,
}

impl std::fmt::Debug for OAuth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OAuth")
            .field("base", &self.base)
            .field("client_id", &self.client_id)
            .finish_non_exhaustive()
    }
}

impl OAuth {
    pub fn new(base: impl Into<String>, client_id: impl Into<String>) -> Result<OAuth, AuthError> {
        Ok(OAuth {
            http: http_client().map_err(|e| AuthError::Http(e.to_string()))?,
            base: base.into().trim_end_matches('/').to_owned(),
            client_id: client_id.into(),
        })
    }

    pub fn client_id(&self) -> &str {
        &self.client_id
    }

    /// A form POST to `{base}/{path}`.
    async fn post_form(
        &self,
        path: &str,
        form: &[(&str, &str)],
    ) -> Result<reqwest::Response, AuthError> {
        Ok(self
            .http
            .post(format!("{}/{path}", self.base))
            .form(form)
            .send()
            .await?)
    }

    /// Starts a device code login for `scopes`.
    pub async fn start_device(&self, scopes: &[&str]) -> Result<DeviceCode, AuthError> {
        let scopes = scopes.join(" ");
        let form = [("client_id", self.client_id.as_str()), ("scopes", &scopes)];
        let response = self.post_form("device", &form).await?;
        decode(response).await
    }

    /// One poll of a device code login: `Ok(None)` while the user has not approved yet. `Err`
    /// with [`AuthError::Expired`] or [`AuthError::Denied`] ends the login.
    pub async fn poll_device(&self, code: &DeviceCode, scopes: &[&str]) -> Result<Poll, AuthError> {
        let scopes = scopes.join(" ");
        let form = [
            ("client_id", self.client_id.as_str()),
            ("scopes", &scopes),
            ("device_code", &code.device_code),
            ("grant_type", "urn:ietf:params:oauth:grant-type:device_code"),
        ];
        let response = self.post_form("token", &form).await?;
        if response.status().is_success() {
            let json: TokensJson = decode(response).await?;
            return Ok(Poll::Approved(json.into()));
        }
        let status = response.status().as_u16();
        let body: ErrorJson = response.json().await.unwrap_or_default();
        match (body.message.as_str(), body.error.as_str()) {
            ("authorization_pending", _) | (_, "authorization_pending") => Ok(Poll::Pending),
            ("slow_down", _) | (_, "slow_down") => Ok(Poll::SlowDown),
            ("access_denied", _) | (_, "access_denied") => Err(AuthError::Denied),
            ("invalid device code", _) | ("expired_token", _) | (_, "expired_token") => {
                Err(AuthError::Expired)
            }
            _ => Err(AuthError::Refused {
                status,
                message: body.message,
            }),
        }
    }

    /// Waits for the user to approve a device code login, polling as Twitch asks: every
    /// `interval` seconds, five more after each `slow_down`, until the code expires.
    pub async fn wait_for_device(
        &self,
        code: &DeviceCode,
        scopes: &[&str],
    ) -> Result<Tokens, AuthError> {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(code.expires_in);
        let mut interval = Duration::from_secs(code.interval.max(1));
        loop {
            tokio::time::sleep(interval).await;
            if tokio::time::Instant::now() >= deadline {
                return Err(AuthError::Expired);
            }
            match self.poll_device(code, scopes).await? {
                Poll::Approved(tokens) => return Ok(tokens),
                Poll::Pending => {}
                Poll::SlowDown => interval += Duration::from_secs(5),
            }
        }
    }

    /// Who `token` belongs to; [`AuthError::Invalid`] when Twitch no longer accepts it.
    pub async fn validate(&self, token: &Token) -> Result<Validation, AuthError> {
        let response = self
            .http
            .get(format!("{}/validate", self.base))
            .header("Authorization", format!("OAuth {}", token.expose()))
            .send()
            .await?;
        if response.status() == reqwest::StatusCode::UNAUTHORIZED {
            let body: ErrorJson = response.json().await.unwrap_or_default();
            return Err(AuthError::Invalid(body.message));
        }
        let json: ValidationJson = decode(response).await?;
        Ok(Validation {
            login: Login::parse(&json.login).map_err(|e| AuthError::Decode(e.to_string()))?,
            user_id: json.user_id,
            client_id: json.client_id,
            scopes: json.scopes,
            expires_in: (json.expires_in > 0).then(|| Duration::from_secs(json.expires_in)),
        })
    }

    /// New tokens for a refresh token; [`AuthError::Invalid`] when Twitch refuses it.
    pub async fn refresh(&self, refresh: &Token) -> Result<Tokens, AuthError> {
        let form = [
            ("client_id", self.client_id.as_str()),
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh.expose()),
        ];
        let response = self.post_form("token", &form).await?;
        if matches!(response.status().as_u16(), 400 | 401) {
            let body: ErrorJson = response.json().await.unwrap_or_default();
            return Err(AuthError::Invalid(body.message));
        }
        let json: TokensJson = decode(response).await?;
        Ok(json.into())
    }
}

/// Where a device code login stands after one poll.
#[derive(Debug)]
pub enum Poll {
    Pending,
    /// Poll less often: five more seconds between polls.
    SlowDown,
    Approved(Tokens),
}

async fn decode<T: serde::de::DeserializeOwned>(
    response: reqwest::Response,
) -> Result<T, AuthError> {
    let status = response.status();
    if !status.is_success() {
        let body: ErrorJson = response.json().await.unwrap_or_default();
        return Err(AuthError::Refused {
            status: status.as_u16(),
            message: body.message,
        });
    }
    response
        .json()
        .await
        .map_err(|e| AuthError::Decode(e.without_url().to_string()))
}
