//! The token never reaches the logs, even at trace level: the chat actor logs in and chats
//! against the simulator with every event captured in memory. Alone in its binary: a
//! subscriber set for one thread only sees every event when no other test logs at the same
//! time (tracing decides per call site, for the whole process).

// The loopback helpers of tests/io; this test uses a few of them.
#[allow(dead_code)]
#[path = "../io/common.rs"]
mod common;

use common::*;
use ttvchat::net::chat::{ChatEvent, OutgoingMessage, SendStatus};
use ttvchat::twitch::Login;

fn message(channel: &str, text: &str) -> OutgoingMessage {
    OutgoingMessage {
        channel: Login::parse(channel).unwrap(),
        text: text.into(),
        action: false,
        reply_to: None,
    }
}

/// Everything logged, at every level, kept in memory.
#[derive(Clone, Default)]
struct Capture(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn the_token_never_reaches_the_logs_even_at_trace_level() {
    let capture = Capture::default();
    let writer = capture.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let sim = start_sim().await;
    let token = sim.token("viewer").unwrap().to_owned();
    let (chat, mut events) = spawn(chat_config(&sim, user(&sim, "viewer"), &["alpha"]));
    events.until(WAIT, |e| is_joined(e, "alpha")).await;
    let id = chat.send(message("alpha", "is my token safe?"));
    events
        .until(WAIT, |e| {
            matches!(e, ChatEvent::Outgoing { id: i, status: SendStatus::Confirmed { .. } } if *i == id)
        })
        .await;
    assert!(
        sim.received().contains(&format!("PASS oauth:{token}")),
        "the real token went to the server"
    );

    let log = String::from_utf8(capture.0.lock().unwrap().clone()).unwrap();
    assert!(
        log.contains("ttvchat::irc::raw"),
        "raw IRC is logged under its own target"
    );
    assert!(log.contains("> PASS oauth:<redacted>"), "{log}");
    assert!(log.contains("> PRIVMSG #alpha :is my token safe?"));
    assert!(log.contains("logged in as viewer"));
    assert!(!log.contains(&token), "the token leaked into the log");
}
