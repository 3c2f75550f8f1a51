//! The WebSocket under the chat connection: `ws://` or `wss://` (TLS by rustls with the ring
//! provider and the Mozilla root store, no system libraries), with a connect timeout and a cap
//! on what one message may bring.

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::{Connector, MaybeTlsStream, WebSocketStream};

pub type Ws = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// The largest WebSocket message (and frame) taken from the server. Twitch sends a few KB at a
/// time, a burst of lines at most; anything bigger ends the connection (and it reconnects).
pub const MAX_MESSAGE: usize = 1 << 20;
/// The longest line taken (longer ones are dropped and logged): an IRCv3 line is at most 8191
/// bytes of tags and 512 of the rest, and Twitch's longest are a few KB.
pub const MAX_LINE: usize = 16 * 1024;

#[derive(Debug, Clone, thiserror::Error)]
pub enum ConnectError {
    #[error("no answer within {0:?}")]
    Timeout(Duration),
    #[error("{0}")]
    Failed(String),
    #[error(transparent)]
    Tls(#[from] TlsError),
}

/// rustls could not be set up (no usable protocol version for the provider).
#[derive(Debug, Clone, thiserror::Error)]
#[error("TLS setup failed: {0}")]
pub struct TlsError(String);

/// The TLS client configuration every connection uses (chat and HTTP): rustls with the ring
/// provider and the Mozilla roots.
pub fn tls_config() -> Result<Arc<rustls::ClientConfig>, TlsError> {
    static CONFIG: OnceLock<Result<Arc<rustls::ClientConfig>, TlsError>> = OnceLock::new();
    CONFIG
        .get_or_init(|| {
            let mut roots = rustls::RootCertStore::empty();
            roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
            let provider = Arc::new(rustls::crypto::ring::default_provider());
            rustls::ClientConfig::builder_with_provider(provider)
                .with_safe_default_protocol_versions()
                .map(|builder| {
                    Arc::new(builder.with_root_certificates(roots).with_no_client_auth())
                })
                .map_err(|e| TlsError(e.to_string()))
        })
        .clone()
}

fn tls() -> Result<Connector, ConnectError> {
    tls_config()
        .map(Connector::Rustls)
        .map_err(ConnectError::Tls)
}

/// Opens a WebSocket to `url`; TLS for `wss://`.
pub async fn connect(url: &str, timeout: Duration) -> Result<Ws, ConnectError> {
    let connector = if url.starts_with("wss://") {
        Some(tls()?)
    } else {
        None
    };
    let limits = WebSocketConfig::default()
        .max_message_size(Some(MAX_MESSAGE))
        .max_frame_size(Some(MAX_MESSAGE));
    let attempt =
        tokio_tungstenite::connect_async_tls_with_config(url, Some(limits), true, connector);
    match tokio::time::timeout(timeout, attempt).await {
        Err(_) => Err(ConnectError::Timeout(timeout)),
        Ok(Err(e)) => Err(ConnectError::Failed(e.to_string())),
        Ok(Ok((ws, _response))) => Ok(ws),
    }
}
