//! The Twitch Helix API over HTTPS (reqwest with the same rustls setup as chat), base URL
//! configurable so the simulator can serve it. This module is the transport every endpoint
//! shares: `Authorization: Bearer` and `Client-Id` on each request, JSON bodies, Twitch's error
//! body turned into a typed error with Twitch's message, one refresh-and-retry on 401, waiting
//! out a 429 until `Ratelimit-Reset`, a timeout on every request, and cursor pagination.
//! The endpoints themselves are in [`api`]; what the app asks for on behalf of commands is in
//! [`calls`]. Tokens never reach logs: `Debug` leaves them out.

pub mod api;
pub mod calls;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use reqwest::{Method, StatusCode};
use serde::Deserialize;
use serde::de::DeserializeOwned;

use super::auth::{AuthError, OAuth, Tokens, Validation};
use super::transport::{TlsError, tls_config};
use crate::twitch::Login;
use crate::twitch::helix::Failure;
use crate::twitch::outgoing::Token;

pub use api::{Broadcast, ChannelInfo, LiveStream, UserInfo, UserRef};

/// Twitch's Helix base URL.
pub const HELIX_URL: &str = "https://api.twitch.tv/helix";

/// How long one request may take.
pub const TIMEOUT: Duration = Duration::from_secs(10);

/// The longest ttvchat waits for Twitch's rate limit to reset before giving up on a request.
const LONGEST_RATE_WAIT: Duration = Duration::from_secs(30);

#[derive(Debug, thiserror::Error)]
pub enum HelixError {
    #[error(transparent)]
    Tls(#[from] TlsError),
    #[error("could not reach Twitch: {0}")]
    Http(String),
    #[error("Twitch did not answer within {0}s")]
    Timeout(u64),
    /// Twitch said no; `message` is Twitch's own explanation.
    #[error("Helix refused ({status}): {message}")]
    Refused { status: u16, message: String },
    /// Twitch refuses the token and it could not be renewed: the user must log in again.
    #[error("Twitch no longer accepts your login ({0})")]
    Unauthorized(String),
    #[error("Twitch is rate limiting ttvchat; try again in {0}s")]
    RateLimited(u64),
    #[error("there is no Twitch user named {0}")]
    NoSuchUser(String),
    #[error("unexpected answer from Helix: {0}")]
    Decode(String),
}

impl From<HelixError> for Failure {
    fn from(error: HelixError) -> Failure {
        match error {
            HelixError::Http(message) => Failure::Network { message },
            HelixError::Tls(error) => Failure::Network {
                message: error.to_string(),
            },
            HelixError::Timeout(_) => Failure::Network {
                message: error.to_string(),
            },
            HelixError::Refused {
                status: 401,
                message,
            } if message.starts_with("Missing scope") => {
                let scope = message
                    .split_once(':')
                    .map_or("", |(_, scope)| scope.trim())
                    .to_owned();
                Failure::MissingScope { scope }
            }
            HelixError::Refused {
                status: 403,
                message,
            } => Failure::NotAllowed { message },
            HelixError::Refused {
                status: 404,
                message,
            } => Failure::NotFound { message },
            HelixError::Refused { status, message } if message.is_empty() => Failure::Refused {
                status,
                message: format!("Twitch refused ({status})"),
            },
            HelixError::Refused { status, message } => Failure::Refused { status, message },
            HelixError::Unauthorized(message) => Failure::LoggedOut { message },
            HelixError::RateLimited(retry_in) => Failure::RateLimited { retry_in },
            HelixError::NoSuchUser(_) => Failure::NotFound {
                message: error.to_string(),
            },
            HelixError::Decode(message) => Failure::Unexpected { message },
        }
    }
}

/// How to renew the access token when Twitch refuses it, and who to tell about new tokens (to
/// store them and hand them to chat).
pub struct Renewal {
    pub oauth: OAuth,
    pub refresh: Token,
    pub on_renew: Box<dyn Fn(&Tokens) + Send + Sync>,
}

#[derive(Deserialize, Default)]
struct ErrorJson {
    #[serde(default)]
    message: String,
}

#[derive(Deserialize)]
struct Page<T> {
    data: Vec<T>,
    #[serde(default)]
    pagination: Option<Cursor>,
    #[serde(default)]
    total: Option<u64>,
}

#[derive(Deserialize, Default)]
struct Cursor {
    #[serde(default)]
    cursor: Option<String>,
}

struct Inner {
    http: reqwest::Client,
    base: String,
    client_id: String,
    timeout: Duration,
    token: Mutex<Token>,
    /// Held while renewing, so concurrent 401s renew once.
    renewal: tokio::sync::Mutex<Option<Renewal>>,
    /// Users looked up so far, by login.
    users: Mutex<HashMap<Login, UserRef>>,
    me: tokio::sync::OnceCell<UserRef>,
}

/// A Helix client for one user token. Cheap to clone; clones share the token, its renewal and
/// the user cache.
#[derive(Clone)]
pub struct Helix {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for Helix {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Helix")
            .field("base", &self.inner.base)
            .field("client_id", &self.inner.client_id)
            .finish_non_exhaustive()
    }
}

/// An HTTP client with ttvchat's TLS setup (rustls, ring, Mozilla roots), for Helix and OAuth.
pub fn http_client() -> Result<reqwest::Client, HelixError> {
    let tls = tls_config()?;
    reqwest::Client::builder()
        .tls_backend_preconfigured(rustls::ClientConfig::clone(&tls))
        .timeout(TIMEOUT)
        .user_agent(concat!("ttvchat/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| HelixError::Http(e.to_string()))
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// How a [`Helix`] client is made: everything is set before the client exists, so no setting
/// can meet a client already shared.
pub struct HelixBuilder {
    base: String,
    client_id: String,
    token: Token,
    timeout: Duration,
    renewal: Option<Renewal>,
}

impl HelixBuilder {
    /// Gives up on a request after `timeout` instead of [`TIMEOUT`].
    pub fn timeout(mut self, timeout: Duration) -> HelixBuilder {
        self.timeout = timeout;
        self
    }

    /// Renews the token with `renewal` when Twitch refuses it.
    pub fn renewal(mut self, renewal: Renewal) -> HelixBuilder {
        self.renewal = Some(renewal);
        self
    }

    pub fn build(self) -> Result<Helix, HelixError> {
        Ok(Helix {
            inner: Arc::new(Inner {
                http: http_client()?,
                base: self.base.trim_end_matches('/').to_owned(),
                client_id: self.client_id,
                timeout: self.timeout,
                token: Mutex::new(self.token),
                renewal: tokio::sync::Mutex::new(self.renewal),
                users: Mutex::new(HashMap::new()),
                me: tokio::sync::OnceCell::new(),
            }),
        })
    }
}

impl Helix {
    /// A client with the default timeout and no renewal.
    pub fn new(
        base: impl Into<String>,
        client_id: impl Into<String>,
        token: Token,
    ) -> Result<Helix, HelixError> {
        Helix::builder(base, client_id, token).build()
    }

    pub fn builder(
        base: impl Into<String>,
        client_id: impl Into<String>,
        token: Token,
    ) -> HelixBuilder {
        HelixBuilder {
            base: base.into(),
            client_id: client_id.into(),
            token,
            timeout: TIMEOUT,
            renewal: None,
        }
    }

    /// The access token in use now (it changes when renewed).
    pub fn token(&self) -> Token {
        lock(&self.inner.token).clone()
    }

    /// One request: JSON `body` if any; the answer's bytes (empty for 204).
    pub(crate) async fn send(
        &self,
        method: Method,
        path: &str,
        query: &[(&str, String)],
        body: Option<&serde_json::Value>,
    ) -> Result<Vec<u8>, HelixError> {
        let mut renewed = false;
        let mut waits = 0;
        loop {
            let token = self.token();
            let mut request = self
                .inner
                .http
                .request(method.clone(), format!("{}/{path}", self.inner.base))
                .query(query)
                .bearer_auth(token.expose())
                .header("Client-Id", &self.inner.client_id)
                .timeout(self.inner.timeout);
            if let Some(body) = body {
                request = request.json(body);
            }
            let response = request.send().await.map_err(|e| self.http_error(e))?;
            let status = response.status();
            if status.is_success() {
                return response
                    .bytes()
                    .await
                    .map(|b| b.to_vec())
                    .map_err(|e| self.http_error(e));
            }
            let reset = response
                .headers()
                .get("ratelimit-reset")
                .and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
            let message = response
                .json::<ErrorJson>()
                .await
                .unwrap_or_default()
                .message;
            match status {
                StatusCode::UNAUTHORIZED if !message.starts_with("Missing scope") => {
                    if renewed {
                        return Err(HelixError::Unauthorized(message));
                    }
                    self.renew(&token, &message).await?;
                    renewed = true;
                }
                StatusCode::TOO_MANY_REQUESTS => {
                    let wait = until_reset(reset);
                    if wait > LONGEST_RATE_WAIT || waits >= 2 {
                        return Err(HelixError::RateLimited(wait.as_secs().max(1)));
                    }
                    tracing::info!(target: "ttvchat::helix", "rate limited; waiting {wait:?}");
                    tokio::time::sleep(wait).await;
                    waits += 1;
                }
                _ => {
                    return Err(HelixError::Refused {
                        status: status.as_u16(),
                        message,
                    });
                }
            }
        }
    }

    fn http_error(&self, e: reqwest::Error) -> HelixError {
        if e.is_timeout() {
            HelixError::Timeout(self.inner.timeout.as_secs().max(1))
        } else {
            HelixError::Http(e.without_url().to_string())
        }
    }

    /// Renews the token `refused` once: when another request already renewed it, nothing to
    /// do; without a refresh token, or when Twitch refuses that too, the login is over.
    async fn renew(&self, refused: &Token, message: &str) -> Result<(), HelixError> {
        let mut renewal = self.inner.renewal.lock().await;
        if self.token() != *refused {
            return Ok(());
        }
        let Some(renewal) = renewal.as_mut() else {
            return Err(HelixError::Unauthorized(message.to_owned()));
        };
        let tokens = match renewal.oauth.refresh(&renewal.refresh).await {
            Ok(tokens) => tokens,
            Err(AuthError::Invalid(reason)) => return Err(HelixError::Unauthorized(reason)),
            Err(e) => return Err(HelixError::Http(e.to_string())),
        };
        tracing::info!(target: "ttvchat::helix", "access token renewed");
        *lock(&self.inner.token) = tokens.access.clone();
        if let Some(refresh) = &tokens.refresh {
            renewal.refresh = refresh.clone();
        }
        (renewal.on_renew)(&tokens);
        Ok(())
    }

    /// Checks the token with Twitch (`oauth` is the login service), renewing it once when
    /// Twitch refuses it; [`HelixError::Unauthorized`] when the login is over.
    pub async fn validate(&self, oauth: &OAuth) -> Result<Validation, HelixError> {
        let token = self.token();
        match oauth.validate(&token).await {
            Ok(validation) => return Ok(validation),
            Err(AuthError::Invalid(message)) => self.renew(&token, &message).await?,
            Err(e) => return Err(HelixError::Http(e.to_string())),
        }
        oauth.validate(&self.token()).await.map_err(|e| match e {
            AuthError::Invalid(message) => HelixError::Unauthorized(message),
            other => HelixError::Http(other.to_string()),
        })
    }

    /// A GET of one page of `data`.
    pub(crate) async fn get<T: DeserializeOwned>(
        &self,
        path: &str,
        query: &[(&str, String)],
    ) -> Result<Vec<T>, HelixError> {
        Ok(self.page(path, query).await?.data)
    }

    async fn page<T: DeserializeOwned>(
        &self,
        path: &str,
        query: &[(&str, String)],
    ) -> Result<Page<T>, HelixError> {
        let bytes = self.send(Method::GET, path, query, None).await?;
        serde_json::from_slice(&bytes).map_err(|e| HelixError::Decode(e.to_string()))
    }

    /// Every page of a GET, up to `limit` items, following `pagination.cursor`; with the
    /// `total` Twitch reports where it does.
    pub(crate) async fn get_all<T: DeserializeOwned>(
        &self,
        path: &str,
        query: &[(&str, String)],
        limit: usize,
    ) -> Result<(Vec<T>, Option<u64>), HelixError> {
        let mut items = Vec::new();
        let mut after: Option<String> = None;
        loop {
            let mut query = query.to_vec();
            query.push(("first", "100".to_owned()));
            if let Some(cursor) = after.take() {
                query.push(("after", cursor));
            }
            let page: Page<T> = self.page(path, &query).await?;
            let got = page.data.len();
            items.extend(page.data);
            after = page
                .pagination
                .and_then(|p| p.cursor)
                .filter(|c| !c.is_empty());
            if after.is_none() || got == 0 || items.len() >= limit {
                items.truncate(limit);
                return Ok((items, page.total));
            }
        }
    }

    /// A request whose answer is only a status (204, or `data` nobody needs).
    pub(crate) async fn act(
        &self,
        method: Method,
        path: &str,
        query: &[(&str, String)],
        body: Option<serde_json::Value>,
    ) -> Result<(), HelixError> {
        self.send(method, path, query, body.as_ref())
            .await
            .map(drop)
    }
}

/// How long until a `Ratelimit-Reset` (Unix seconds) has passed; a second when Twitch did not
/// say.
fn until_reset(reset: Option<u64>) -> Duration {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    match reset {
        Some(at) => Duration::from_secs(at).saturating_sub(now) + Duration::from_millis(100),
        None => Duration::from_secs(1),
    }
}
