//! A bare IRC-over-WebSocket client for speaking to the simulator line by line, as any client
//! would, and small helpers for reading its lines.

use crate::common;

use std::collections::VecDeque;
use std::time::Duration;

use common::*;
use futures_util::{SinkExt, StreamExt};
use tokio::net::TcpStream;
use tokio::time::Instant;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};
use ttvchat::sim::SimHandle;
use ttvchat::twitch::irc::IrcMessage;

/// A bare IRC-over-WebSocket client that remembers how lines came in frames.
pub struct Raw {
    pub ws: WebSocketStream<MaybeTlsStream<TcpStream>>,
    pending: VecDeque<String>,
    /// Lines per frame received so far.
    pub frames: Vec<usize>,
}

impl Raw {
    pub async fn connect(url: &str) -> Raw {
        let (ws, _) = tokio_tungstenite::connect_async(url)
            .await
            .expect("WebSocket connects");
        Raw {
            ws,
            pending: VecDeque::new(),
            frames: Vec::new(),
        }
    }

    /// Connects, requests every capability and logs in; returns after the welcome's 376.
    pub async fn login(sim: &SimHandle, nick: &str, token: Option<&str>) -> Raw {
        let mut raw = Raw::connect(&sim.irc_url()).await;
        raw.send("CAP REQ :twitch.tv/tags twitch.tv/commands twitch.tv/membership")
            .await;
        if let Some(token) = token {
            raw.send(&format!("PASS oauth:{token}")).await;
        }
        raw.send(&format!("NICK {nick}")).await;
        raw.until(|m| m.command() == "376").await;
        if token.is_some() {
            raw.until(|m| m.command() == "GLOBALUSERSTATE").await;
        }
        raw
    }

    pub async fn user(sim: &SimHandle, login: &str) -> Raw {
        Raw::login(sim, login, sim.token(login)).await
    }

    pub async fn send(&mut self, line: &str) {
        self.send_frame(&[line]).await;
    }

    /// Several lines in one WebSocket frame.
    pub async fn send_frame(&mut self, lines: &[&str]) {
        let frame: String = lines.iter().map(|l| format!("{l}\r\n")).collect();
        self.ws.send(Message::text(frame)).await.expect("send");
    }

    /// The next line, or `None` once the server closed the connection.
    pub async fn next_line(&mut self, timeout: Duration) -> Option<String> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(line) = self.pending.pop_front() {
                return Some(line);
            }
            match tokio::time::timeout_at(deadline, self.ws.next()).await {
                Err(_) => panic!("no line within {timeout:?}"),
                Ok(Some(Ok(Message::Text(text)))) => {
                    let lines: Vec<String> = text
                        .split("\r\n")
                        .filter(|l| !l.is_empty())
                        .map(str::to_owned)
                        .collect();
                    self.frames.push(lines.len());
                    self.pending.extend(lines);
                }
                Ok(Some(Ok(Message::Close(_)) | Err(_)) | None) => return None,
                Ok(Some(Ok(_))) => {}
            }
        }
    }

    /// Skips lines until one `matches` accepts; panics if the connection closes first.
    pub async fn until(&mut self, matches: impl Fn(&IrcMessage<'_>) -> bool) -> String {
        loop {
            let line = self
                .next_line(WAIT)
                .await
                .expect("the connection stays open");
            if IrcMessage::parse(&line).is_ok_and(|m| matches(&m)) {
                return line;
            }
        }
    }

    /// Every line until one `matches` accepts, that one included.
    pub async fn collect_until(
        &mut self,
        matches: impl Fn(&IrcMessage<'_>) -> bool,
    ) -> Vec<String> {
        let mut lines = Vec::new();
        let deadline = Instant::now() + WAIT;
        loop {
            assert!(
                Instant::now() < deadline,
                "never came; the last lines: {:#?}",
                &lines[lines.len().saturating_sub(5)..]
            );
            let line = self
                .next_line(WAIT)
                .await
                .expect("the connection stays open");
            let done = IrcMessage::parse(&line).is_ok_and(|m| matches(&m));
            lines.push(line);
            if done {
                return lines;
            }
        }
    }

    pub async fn join(&mut self, channel: &str) {
        self.send(&format!("JOIN #{channel}")).await;
        self.until(|m| m.command() == "366").await;
    }

    /// The NOTICE that answers a PRIVMSG: its msg-id.
    pub async fn refusal(&mut self, channel: &str, text: &str) -> String {
        self.send(&format!("PRIVMSG #{channel} :{text}")).await;
        let line = self.until(|m| m.command() == "NOTICE").await;
        tag(&line, "msg-id").expect("a NOTICE with a msg-id")
    }

    /// Lines that arrive within `period` (for asserting that something does not come).
    pub async fn quiet(&mut self, period: Duration) -> Vec<String> {
        let deadline = Instant::now() + period;
        let mut lines: Vec<String> = self.pending.drain(..).collect();
        while let Ok(Some(Ok(frame))) = tokio::time::timeout_at(deadline, self.ws.next()).await {
            if let Message::Text(text) = frame {
                lines.extend(
                    text.split("\r\n")
                        .filter(|l| !l.is_empty())
                        .map(str::to_owned),
                );
            }
        }
        lines
    }
}

pub fn tag(line: &str, key: &str) -> Option<String> {
    IrcMessage::parse(line)
        .ok()?
        .tags()
        .get(key)
        .map(|v| v.into_owned())
}

pub fn command(line: &str) -> String {
    IrcMessage::parse(line)
        .map(|m| m.command().to_owned())
        .unwrap_or_default()
}

/// A marker chat line from the simulator: whatever a client receives before it was sent earlier.
pub async fn marker(sim: &SimHandle, raw: &mut Raw, channel: &str) -> Vec<String> {
    sim.say(channel, "marker_bot", "marker").unwrap();
    raw.collect_until(|m| m.command() == "PRIVMSG" && m.last_param() == Some("marker"))
        .await
}
