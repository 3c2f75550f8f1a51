//! The Twitch Helix API over HTTPS (reqwest with the same rustls setup as chat), base URL
//! configurable so the simulator can serve it. Every request carries `Authorization: Bearer`
//! and `Client-Id`; errors come back typed with Twitch's message. Tokens never reach logs.

use serde::Deserialize;

use super::transport::tls_config;
use crate::twitch::Login;
use crate::twitch::outgoing::Token;

/// Twitch's Helix base URL.
pub const HELIX_URL: &str = "https://api.twitch.tv/helix";

#[derive(Debug, thiserror::Error)]
pub enum HelixError {
    #[error("TLS setup failed: {0}")]
    Tls(String),
    #[error("could not reach Helix: {0}")]
    Http(String),
    #[error("Helix refused ({status}): {message}")]
    Refused { status: u16, message: String },
    #[error("unexpected answer from Helix: {0}")]
    Decode(String),
}

/// A live stream, as `GET /streams` describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiveStream {
    pub login: Login,
    pub viewers: u64,
    /// Milliseconds since the Unix epoch.
    pub started_at: Option<i64>,
    pub title: String,
    pub category: String,
}

#[derive(Deserialize)]
struct Streams {
    data: Vec<StreamJson>,
}

#[derive(Deserialize)]
struct StreamJson {
    user_login: String,
    #[serde(default)]
    viewer_count: u64,
    #[serde(default)]
    started_at: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    game_name: String,
}

#[derive(Deserialize)]
struct ErrorJson {
    #[serde(default)]
    message: String,
}

#[derive(Clone)]
pub struct Helix {
    http: reqwest::Client,
    base: String,
    client_id: String,
    token: Token,
}

impl std::fmt::Debug for Helix {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Helix")
            .field("base", &self.base)
            .field("client_id", &self.client_id)
            .finish_non_exhaustive()
    }
}

/// An HTTP client with ttvchat's TLS setup (rustls, ring, Mozilla roots), for Helix and OAuth.
pub fn http_client() -> Result<reqwest::Client, HelixError> {
    let tls = tls_config().map_err(HelixError::Tls)?;
    reqwest::Client::builder()
        .tls_backend_preconfigured(rustls::ClientConfig::clone(&tls))
        .timeout(std::time::Duration::from_secs(10))
        .user_agent(concat!("ttvchat/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| HelixError::Http(e.to_string()))
}

impl Helix {
    pub fn new(
        base: impl Into<String>,
        client_id: impl Into<String>,
        token: Token,
    ) -> Result<Helix, HelixError> {
        Ok(Helix {
            http: http_client()?,
            base: base.into().trim_end_matches('/').to_owned(),
            client_id: client_id.into(),
            token,
        })
    }

    /// The live streams among `logins` (up to 100); the others are offline.
    pub async fn live_streams(&self, logins: &[Login]) -> Result<Vec<LiveStream>, HelixError> {
        let query: Vec<(&str, &str)> = logins
            .iter()
            .take(100)
            .map(|l| ("user_login", l.as_str()))
            .collect();
        let response = self
            .http
            .get(format!("{}/streams", self.base))
            .query(&query)
            .bearer_auth(self.token.expose())
            .header("Client-Id", &self.client_id)
            .send()
            .await
            .map_err(|e| HelixError::Http(e.without_url().to_string()))?;
        let status = response.status();
        if !status.is_success() {
            let message = response
                .json::<ErrorJson>()
                .await
                .map(|e| e.message)
                .unwrap_or_default();
            return Err(HelixError::Refused {
                status: status.as_u16(),
                message,
            });
        }
        let streams: Streams = response
            .json()
            .await
            .map_err(|e| HelixError::Decode(e.to_string()))?;
        Ok(streams
            .data
            .into_iter()
            .filter_map(|s| {
                Some(LiveStream {
                    login: Login::parse(&s.user_login).ok()?,
                    viewers: s.viewer_count,
                    started_at: chrono::DateTime::parse_from_rfc3339(&s.started_at)
                        .ok()
                        .map(|t| t.timestamp_millis()),
                    title: s.title,
                    category: s.game_name,
                })
            })
            .collect())
    }
}
