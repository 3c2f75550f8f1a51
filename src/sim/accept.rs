//! The chat port's accept loop and WebSocket handshake: a client that asks for `/ws` is an
//! EventSub socket ([`super::eventsub`]), anything else is chat ([`super::irc`]). Refusing
//! connections (a fault) happens here.

use std::sync::Arc;
use std::time::Duration;

use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinSet;
use tokio::time::Instant;

use super::Shared;
use super::record::SimEvent;

/// Accepts connections until the simulator stops, one task each.
pub(super) async fn accept_loop(shared: Arc<Shared>, listener: TcpListener) {
    let mut connections = JoinSet::new();
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        while connections.try_join_next().is_some() {}
        if shared.conditions.refusing(Instant::now()) {
            shared.record.push(SimEvent::Refused);
            drop(stream);
            continue;
        }
        let _ = stream.set_nodelay(true);
        connections.spawn(serve(shared.clone(), stream));
    }
}

/// One connection: EventSub when the handshake asks for `/ws`, chat otherwise.
async fn serve(shared: Arc<Shared>, stream: TcpStream) {
    let mut path = String::new();
    let handshake = tokio::time::timeout(
        Duration::from_secs(10),
        tokio_tungstenite::accept_hdr_async(stream, Handshake { path: &mut path }),
    )
    .await;
    let Ok(Ok(ws)) = handshake else {
        return;
    };
    if path == "/ws" || path.starts_with("/ws?") {
        super::eventsub::serve(shared, ws, &path).await;
    } else {
        super::irc::chat(shared, ws).await;
    }
}

/// The WebSocket handshake: notes the path asked for (`/ws` is EventSub) and answers the
/// subprotocol.
struct Handshake<'a> {
    path: &'a mut String,
}

impl tokio_tungstenite::tungstenite::handshake::server::Callback for Handshake<'_> {
    fn on_request(
        self,
        request: &tokio_tungstenite::tungstenite::handshake::server::Request,
        response: tokio_tungstenite::tungstenite::handshake::server::Response,
    ) -> Result<
        tokio_tungstenite::tungstenite::handshake::server::Response,
        tokio_tungstenite::tungstenite::handshake::server::ErrorResponse,
    > {
        *self.path = request.uri().to_string();
        irc_subprotocol(request, response)
    }
}

/// The WebSocket handshake as Twitch answers it: a client that asks for the `irc` subprotocol
/// (browsers and the most used JavaScript library do) gets it named back; one that asks for
/// nothing gets nothing.
#[allow(clippy::result_large_err)]
fn irc_subprotocol(
    request: &tokio_tungstenite::tungstenite::handshake::server::Request,
    mut response: tokio_tungstenite::tungstenite::handshake::server::Response,
) -> Result<
    tokio_tungstenite::tungstenite::handshake::server::Response,
    tokio_tungstenite::tungstenite::handshake::server::ErrorResponse,
> {
    let asked = request
        .headers()
        .get_all("sec-websocket-protocol")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|p| p.trim().eq_ignore_ascii_case("irc"));
    if asked {
        response.headers_mut().insert(
            "sec-websocket-protocol",
            tokio_tungstenite::tungstenite::http::HeaderValue::from_static("irc"),
        );
    }
    Ok(response)
}
