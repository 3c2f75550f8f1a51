//! EventSub over WebSocket: the moderator's live feeds and whispers. The session ([`session`])
//! decides everything, sans-IO like the chat session; this task only drives it: it opens the
//! sockets it names (one reader task each, feeding one channel), reads close codes, runs the
//! subscription requests through Helix (a few at a time) and hands their answers back, and
//! passes events on. Nothing is ever written to an EventSub socket but its close.

pub mod session;
mod socket;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use futures_util::stream::SplitSink;
use futures_util::{SinkExt, StreamExt};
use reqwest::Method;
use serde_json::json;
use tokio::sync::{Semaphore, mpsc};
use tokio::task::JoinHandle;
use tokio::time::{Instant, sleep_until};
use tokio_tungstenite::tungstenite::Message;

use self::session::{Command, EventSubConfig, Output, RequestId, Session};
use super::helix::{Helix, HelixError};
use super::session::LinkId;
use super::transport::{self, Ws};
use crate::twitch::Login;
use crate::twitch::eventsub::{Condition, Feed, FeedEvent, SocketEnd, SubscribeError};

/// Subscription requests in flight at once.
const PARALLEL_REQUESTS: usize = 8;
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// The app's side of the EventSub connection; dropping it ends the task and its sockets.
pub struct EventSubHandle {
    commands: mpsc::UnboundedSender<Command>,
}

impl EventSubHandle {
    pub fn spawn(
        config: EventSubConfig,
        helix: Helix,
    ) -> (EventSubHandle, mpsc::Receiver<FeedEvent>) {
        let (commands_tx, commands) = mpsc::unbounded_channel();
        let (events, events_rx) = mpsc::channel(1024);
        tokio::spawn(drive(config, helix, commands, events));
        (
            EventSubHandle {
                commands: commands_tx,
            },
            events_rx,
        )
    }

    /// Follows `channel`'s feeds as a moderator (or the broadcaster) or a chatter; again when
    /// the role changes.
    pub fn watch(&self, channel: Login, broadcaster_id: String, moderator: bool) {
        let _ = self.commands.send(Command::Watch {
            channel,
            broadcaster_id,
            moderator,
        });
    }

    pub fn unwatch(&self, channel: Login) {
        let _ = self.commands.send(Command::Unwatch(channel));
    }
}

enum Io {
    Opened(SplitSink<Ws, Message>),
    OpenFailed(String),
    Frame(String),
    Closed(SocketEnd),
}

type Answer = (RequestId, Result<String, SubscribeError>);

async fn socket(url: String, link: LinkId, io: mpsc::Sender<(LinkId, Io)>) {
    let ws = match transport::connect(&url, CONNECT_TIMEOUT).await {
        Ok(ws) => ws,
        Err(e) => {
            let _ = io.send((link, Io::OpenFailed(e.to_string()))).await;
            return;
        }
    };
    let (sink, mut stream) = ws.split();
    if io.send((link, Io::Opened(sink))).await.is_err() {
        return;
    }
    let end = loop {
        match stream.next().await {
            Some(Ok(Message::Text(text))) => {
                if io.send((link, Io::Frame(text.to_string()))).await.is_err() {
                    return;
                }
            }
            Some(Ok(Message::Close(Some(frame)))) => match u16::from(frame.code) {
                code @ 4000..=4999 => break SocketEnd::Code(code),
                _ => break SocketEnd::Lost(format!("closed: {}", frame.reason)),
            },
            Some(Ok(Message::Close(None))) | None => break SocketEnd::Lost("closed".into()),
            Some(Err(e)) => break SocketEnd::Lost(e.to_string()),
            Some(Ok(_)) => {}
        }
    };
    let _ = io.send((link, Io::Closed(end))).await;
}

/// `POST /eventsub/subscriptions` for one feed; the new subscription's id. Twitch may still
/// hold the same subscription on a session that just ended (409): that one is deleted and the
/// request made again; one already on this session is this one.
async fn subscribe(
    helix: &Helix,
    session_id: &str,
    feed: Feed,
    condition: &Condition,
) -> Result<String, SubscribeError> {
    let result = create(helix, session_id, feed, condition).await;
    if !matches!(result, Err(SubscribeError::AlreadyExists)) {
        return result;
    }
    let found = existing(helix, feed, condition).await?;
    if let Some((id, _)) = found.iter().find(|(_, session)| session == session_id) {
        return Ok(id.clone());
    }
    for (id, _) in found {
        helix
            .send(
                Method::DELETE,
                "eventsub/subscriptions",
                &[("id", id)],
                None,
            )
            .await
            .map_err(refusal)?;
    }
    create(helix, session_id, feed, condition).await
}

/// The enabled subscriptions to `feed` with `condition`: their ids and sessions.
async fn existing(
    helix: &Helix,
    feed: Feed,
    condition: &Condition,
) -> Result<Vec<(String, String)>, SubscribeError> {
    let query = [("type", feed.kind().to_owned())];
    let (listed, _) = helix
        .get_all::<serde_json::Value>("eventsub/subscriptions", &query, 1000)
        .await
        .map_err(refusal)?;
    let wanted = json!(condition);
    let same = |s: &serde_json::Value| {
        s["version"] == feed.version()
            && s["status"] == "enabled"
            && wanted
                .as_object()
                .is_some_and(|c| c.iter().all(|(k, v)| s["condition"][k] == *v))
    };
    Ok(listed
        .iter()
        .filter(|s| same(s))
        .filter_map(|s| {
            let id = s["id"].as_str()?.to_owned();
            let session = s["transport"]["session_id"].as_str().unwrap_or_default();
            Some((id, session.to_owned()))
        })
        .collect())
}

/// One `POST /eventsub/subscriptions`.
async fn create(
    helix: &Helix,
    session_id: &str,
    feed: Feed,
    condition: &Condition,
) -> Result<String, SubscribeError> {
    let body = json!({"type": feed.kind(), "version": feed.version(), "condition": condition,
        "transport": {"method": "websocket", "session_id": session_id}});
    let bytes = helix
        .send(Method::POST, "eventsub/subscriptions", &[], Some(&body))
        .await
        .map_err(refusal)?;
    let created: serde_json::Value =
        serde_json::from_slice(&bytes).map_err(|e| SubscribeError::Refused {
            status: 202,
            message: format!("unreadable answer: {e}"),
        })?;
    created["data"][0]["id"]
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| SubscribeError::Refused {
            status: 202,
            message: "the answer names no subscription".into(),
        })
}

/// What a refused subscription request means for the session.
fn refusal(error: HelixError) -> SubscribeError {
    match error {
        HelixError::Refused { status: 409, .. } => SubscribeError::AlreadyExists,
        HelixError::Refused {
            status: 400,
            message,
        } if message.contains("does not exist or has already disconnected") => {
            SubscribeError::SessionGone
        }
        HelixError::Refused {
            status: 401,
            message,
        } if message.starts_with("Missing scope") => SubscribeError::MissingScope(
            message
                .trim_start_matches("Missing scope:")
                .trim()
                .to_owned(),
        ),
        HelixError::Refused { status: 403, .. } => SubscribeError::NotAllowed,
        HelixError::Refused {
            status: 429,
            message,
        } => SubscribeError::Limit(message),
        HelixError::RateLimited(secs) => {
            SubscribeError::Network(format!("Helix is rate limiting for {secs}s"))
        }
        HelixError::Http(e) => SubscribeError::Network(e),
        HelixError::Timeout(secs) => SubscribeError::Network(format!("no answer in {secs}s")),
        HelixError::Refused { status, message } => SubscribeError::Refused { status, message },
        other => SubscribeError::Refused {
            status: 0,
            message: other.to_string(),
        },
    }
}

async fn drive(
    config: EventSubConfig,
    helix: Helix,
    mut commands: mpsc::UnboundedReceiver<Command>,
    events: mpsc::Sender<FeedEvent>,
) {
    let mut session = Session::new(config, Instant::now().into_std());
    let (io_tx, mut io) = mpsc::channel::<(LinkId, Io)>(256);
    let (answers_tx, mut answers) = mpsc::unbounded_channel::<Answer>();
    let mut sinks: HashMap<LinkId, SplitSink<Ws, Message>> = HashMap::new();
    let mut readers: HashMap<LinkId, JoinHandle<()>> = HashMap::new();
    let requests = Arc::new(Semaphore::new(PARALLEL_REQUESTS));
    'run: loop {
        while let Some(output) = session.poll() {
            match output {
                Output::Open(link, url) => {
                    readers.insert(link, tokio::spawn(socket(url, link, io_tx.clone())));
                }
                Output::Close(link) => close(&mut sinks, &mut readers, link),
                Output::Subscribe {
                    request,
                    session_id,
                    feed,
                    condition,
                } => {
                    let (helix, answers, requests) =
                        (helix.clone(), answers_tx.clone(), requests.clone());
                    tokio::spawn(async move {
                        let _permit = requests.acquire().await;
                        let answer = subscribe(&helix, &session_id, feed, &condition).await;
                        let _ = answers.send((request, answer));
                    });
                }
                Output::Unsubscribe(id) => {
                    let helix = helix.clone();
                    tokio::spawn(async move {
                        let query = [("id", id)];
                        if let Err(e) = helix
                            .send(Method::DELETE, "eventsub/subscriptions", &query, None)
                            .await
                        {
                            tracing::debug!(target: "ttvchat::eventsub", "unsubscribe: {e}");
                        }
                    });
                }
                Output::Event(event) => {
                    if events.send(event).await.is_err() {
                        break 'run;
                    }
                }
            }
        }
        let deadline = session.deadline().map(Instant::from_std);
        tokio::select! {
            Some((link, happened)) = io.recv() => {
                let now = Instant::now().into_std();
                match happened {
                    Io::Opened(sink) => {
                        sinks.insert(link, sink);
                        session.opened(link, now);
                    }
                    Io::OpenFailed(error) => session.open_failed(link, error, now),
                    Io::Frame(text) => session.received(link, &text, now),
                    Io::Closed(end) => {
                        sinks.remove(&link);
                        readers.remove(&link);
                        session.closed(link, end, now);
                    }
                }
            }
            Some((request, answer)) = answers.recv() => {
                session.subscribed(request, answer, Instant::now().into_std());
            }
            command = commands.recv() => match command {
                Some(command) => session.command(command, Instant::now().into_std()),
                None => break 'run,
            },
            () = sleep_until(deadline.unwrap_or_else(|| Instant::now() + Duration::from_secs(86_400))) => {
                session.tick(Instant::now().into_std());
            }
        }
    }
    let links: Vec<LinkId> = sinks.keys().chain(readers.keys()).copied().collect();
    for link in links {
        close(&mut sinks, &mut readers, link);
    }
}

/// Stops reading `link` and closes it politely.
fn close(
    sinks: &mut HashMap<LinkId, SplitSink<Ws, Message>>,
    readers: &mut HashMap<LinkId, JoinHandle<()>>,
    link: LinkId,
) {
    if let Some(reader) = readers.remove(&link) {
        reader.abort();
    }
    if let Some(mut sink) = sinks.remove(&link) {
        tokio::spawn(async move {
            let close = sink.send(Message::Close(None));
            let _ = tokio::time::timeout(Duration::from_secs(1), close).await;
        });
    }
}
