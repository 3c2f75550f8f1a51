//! Every kind of line the simulator sends has the shape Twitch gives it: checked against the
//! captured real lines in `../shared/twitch-reference/twitch-lines.jsonl`.

use crate::common;

use std::collections::HashSet;

use crate::raw::*;
use common::*;
use futures_util::{SinkExt, StreamExt};
use tokio_tungstenite::tungstenite::Message;
use ttvchat::sim::{Fault, Scenario};

/// A line's shape: its command, whether it has tags, its source (`none`, `host` like
/// `tmi.twitch.tv`, or `user` like `nick!nick@nick.tmi.twitch.tv`), how many middle parameters,
/// and whether the last one comes after a `:`.
type Form = (String, bool, &'static str, usize, bool);

fn form(line: &str) -> Form {
    let mut rest = line;
    let tags = rest.starts_with('@');
    if tags {
        rest = rest.split_once(' ').map_or("", |(_, r)| r);
    }
    let mut source = "none";
    if let Some(after) = rest.strip_prefix(':') {
        let (src, r) = after.split_once(' ').unwrap_or((after, ""));
        source = if src.contains('!') { "user" } else { "host" };
        rest = r;
    }
    let (head, trailing) = match rest.split_once(" :") {
        Some((head, _)) => (head, true),
        None => (rest, false),
    };
    let mut words = head.split(' ');
    let command = words.next().unwrap_or_default().to_owned();
    (command, tags, source, words.count(), trailing)
}

/// How Twitch writes each kind of line the simulator sends, from the captured real lines in
/// `../shared/twitch-reference/twitch-lines.jsonl` (and Twitch's IRC guide for the welcome
/// numerics and 421, which it shapes as 001 and 376).
const TWITCH_FORMS: &[(&str, bool, &str, usize, bool)] = &[
    ("PRIVMSG", true, "user", 1, true),
    ("USERNOTICE", true, "host", 1, true),
    ("USERNOTICE", true, "host", 1, false),
    ("NOTICE", true, "host", 1, true),
    ("NOTICE", false, "host", 1, true),
    ("CLEARCHAT", true, "host", 1, true),
    ("CLEARCHAT", true, "host", 1, false),
    ("CLEARMSG", true, "host", 1, true),
    ("ROOMSTATE", true, "host", 1, false),
    ("USERSTATE", true, "host", 1, false),
    ("GLOBALUSERSTATE", true, "host", 0, false),
    ("JOIN", false, "user", 1, false),
    ("PART", false, "user", 1, false),
    ("353", false, "host", 3, true),
    ("366", false, "host", 2, true),
    ("001", false, "host", 1, true),
    ("376", false, "host", 1, true),
    ("CAP", false, "host", 2, true),
    ("PONG", false, "none", 0, true),
    ("PONG", false, "host", 1, true),
    ("PING", false, "none", 0, true),
    ("RECONNECT", false, "host", 0, false),
];

fn twitch_forms() -> HashSet<Form> {
    let numerics = ["002", "003", "004", "372", "375"];
    TWITCH_FORMS
        .iter()
        .map(|(c, t, s, m, tr)| ((*c).to_owned(), *t, *s, *m, *tr))
        .chain(
            numerics
                .iter()
                .map(|c| ((*c).to_owned(), false, "host", 1, true)),
        )
        .chain([("421".to_owned(), false, "host", 2, true)])
        .collect()
}

#[test]
fn the_twitch_forms_are_the_captured_ones() {
    // The table above against the reference file, where the shared reference is checked out.
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/twitch-reference/twitch-lines.jsonl");
    let Ok(text) = std::fs::read_to_string(&path) else {
        return;
    };
    let captured: HashSet<Form> = text
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v["raw"].as_str().map(form))
        .collect();
    for (command, tags, source, middle, trailing) in TWITCH_FORMS {
        let wanted = ((*command).to_owned(), *tags, *source, *middle, *trailing);
        assert!(
            captured.contains(&wanted),
            "not in the captured lines: {wanted:?}"
        );
    }
}

#[tokio::test]
async fn every_kind_of_line_the_simulator_sends_has_twitchs_shape() {
    let scenario = r#"
        [[account]]
        login = "viewer"
        role = "viewer"
        token = "viewertoken0000000000000000000"

        [[account]]
        login = "friend"
        role = "viewer"
        token = "friendtoken0000000000000000000"

        [[channel]]
        name = "stage"
        chatters = 5
        chat_rate = 30.0
        [[channel.script]]
        kind = "say"
        at = "50ms"
        user = "opener"
        text = "one"
        [[channel.script]]
        kind = "sub"
        at = "100ms"
        user = "fan"
        months = 3
        message = "love it"
        [[channel.script]]
        kind = "sub"
        at = "120ms"
        user = "quietfan"
        months = 1
        [[channel.script]]
        kind = "gift_bomb"
        at = "150ms"
        user = "generous"
        count = 2
        [[channel.script]]
        kind = "raid"
        at = "200ms"
        from = "raidleader"
        viewers = 10
        [[channel.script]]
        kind = "announce"
        at = "250ms"
        user = "stage"
        text = "hi"
        color = "BLUE"
        [[channel.script]]
        kind = "bits"
        at = "300ms"
        user = "cheerer"
        bits = 100
        text = "Cheer100"
        [[channel.script]]
        kind = "delete"
        at = "350ms"
        user = "opener"
        [[channel.script]]
        kind = "timeout"
        at = "400ms"
        user = "opener"
        duration = "10m"
        [[channel.script]]
        kind = "ban"
        at = "450ms"
        user = "cheerer"
        [[channel.script]]
        kind = "modes"
        at = "500ms"
        slow = 30
        [[channel.script]]
        kind = "clear"
        at = "550ms"
    "#;
    let sim = start_sim_with(|c| c.scenario = Scenario::parse(scenario, "test").unwrap()).await;
    let mut lines = Vec::new();
    let mut raw = Raw::connect(&sim.irc_url()).await;
    raw.send("CAP REQ :twitch.tv/tags twitch.tv/commands twitch.tv/membership")
        .await;
    raw.send(&format!("PASS oauth:{}", sim.token("viewer").unwrap()))
        .await;
    raw.send("NICK viewer").await;
    lines.extend(
        raw.collect_until(|m| m.command() == "GLOBALUSERSTATE")
            .await,
    );
    raw.send("JOIN #stage").await;
    lines.extend(
        raw.collect_until(|m| m.command() == "CLEARCHAT" && m.param(1).is_none())
            .await,
    );
    // Our own chat (USERSTATE with an id), a refusal (slow mode is on now), PINGs both ways,
    // an unknown command, and another client leaving.
    raw.send("PRIVMSG #stage :hello").await;
    raw.send("PRIVMSG #stage :again").await;
    lines.extend(raw.collect_until(|m| m.command() == "NOTICE").await);
    raw.send("PING").await;
    raw.send("PING word").await;
    raw.send("WHO #stage").await;
    lines.extend(raw.collect_until(|m| m.command() == "421").await);
    let mut other = Raw::user(&sim, "friend").await;
    other.join("stage").await;
    other.send("PART #stage").await;
    lines.extend(raw.collect_until(|m| m.command() == "PART").await);
    // Closing the connection is leaving too.
    let mut other = Raw::user(&sim, "friend").await;
    other.join("stage").await;
    drop(other);
    lines.extend(raw.collect_until(|m| m.command() == "PART").await);
    sim.fault(Fault::Reconnect);
    lines.extend(raw.collect_until(|m| m.command() == "RECONNECT").await);

    let twitch = twitch_forms();
    let mut seen = HashSet::new();
    for line in &lines {
        let shape = form(line);
        assert!(
            twitch.contains(&shape),
            "Twitch never writes this shape: {shape:?}\n{line}"
        );
        seen.insert(shape.0);
    }
    for command in [
        "001",
        "CAP",
        "GLOBALUSERSTATE",
        "JOIN",
        "353",
        "366",
        "ROOMSTATE",
        "USERSTATE",
        "PRIVMSG",
        "USERNOTICE",
        "CLEARMSG",
        "CLEARCHAT",
        "NOTICE",
        "PONG",
        "421",
        "PART",
        "RECONNECT",
    ] {
        assert!(seen.contains(command), "never saw a {command} line");
    }
    // And the app reads each of them as what it is.
    let screen = shown_in_the_app(&lines);
    for shown in [
        "slow 30s",
        "Opener: one",
        "Fan resubscribed at Tier 1 for 3 months, 3 in a row",
        "love it",
        "Quietfan subscribed at Tier 1",
        "Generous is gifting 2 subs at Tier 1",
        "Raidleader is raiding with 10 viewers",
        "Announcement from stage",
        "Cheerer: Cheer100",
        "Opener was timed out for 10m.",
        "Cheerer was banned.",
        "Slow mode is on: one message every 30s.",
        "The chat was cleared by a moderator.",
        "connected  as viewer",
    ] {
        assert!(
            screen.contains(shown),
            "the app does not show {shown:?}:\n{screen}"
        );
    }
    // One-word texts keep their colon: a client that reads the trailing parameter gets them.
    assert!(
        lines.iter().any(|l| l.ends_with("PRIVMSG #stage :one")),
        "{lines:#?}"
    );
    assert!(
        lines.iter().any(|l| l.contains("CLEARCHAT #stage :opener")),
        "{lines:#?}"
    );
}

#[tokio::test]
async fn a_client_asking_for_the_irc_subprotocol_gets_it_named_back() {
    use tokio_tungstenite::tungstenite::client::IntoClientRequest;
    let sim = start_sim().await;
    let mut request = sim.irc_url().into_client_request().unwrap();
    request
        .headers_mut()
        .insert("Sec-WebSocket-Protocol", "irc".parse().unwrap());
    // tungstenite refuses a handshake whose answer does not name the protocol asked for.
    let (mut ws, response) = tokio_tungstenite::connect_async(request)
        .await
        .expect("the handshake is accepted");
    assert_eq!(
        response.headers().get("sec-websocket-protocol").unwrap(),
        "irc"
    );
    ws.send(Message::text("PING\r\n")).await.unwrap();
    let answer = tokio::time::timeout(WAIT, ws.next())
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    assert_eq!(
        answer.into_text().unwrap().as_str(),
        "PONG :tmi.twitch.tv\r\n"
    );
    // One that asks for nothing gets nothing named.
    let (_, response) = tokio_tungstenite::connect_async(sim.irc_url())
        .await
        .unwrap();
    assert!(response.headers().get("sec-websocket-protocol").is_none());
}

/// What a user of the app sees after `lines` arrive: each goes through the client's parser and
/// the state as the chat connection hands it over, and the screen is drawn at 120x50.
fn shown_in_the_app(lines: &[String]) -> String {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    use ttvchat::net::chat::ChatEvent;
    use ttvchat::state::{AppState, Msg, Settings, update};
    use ttvchat::twitch::Login;
    use ttvchat::twitch::message::ServerMessage;

    let stage = Login::parse("stage").unwrap();
    let mut state = AppState::new(Settings::default(), &[stage], 1_700_000_000_000);
    let login = Login::parse("viewer").unwrap();
    let connected = ChatEvent::Connected {
        login,
        anonymous: false,
        global: None,
    };
    update(&mut state, Msg::Chat(connected));
    for line in lines {
        let message = ServerMessage::parse(line)
            .unwrap_or_else(|e| panic!("the client cannot read a simulator line ({e}): {line}"));
        update(&mut state, Msg::Chat(ChatEvent::Message(Box::new(message))));
    }
    let mut terminal = Terminal::new(TestBackend::new(120, 50)).unwrap();
    terminal
        .draw(|frame| ttvchat::ui::View::default().render(&state, frame))
        .unwrap();
    ttvchat::ui::capture::rows(terminal.backend().buffer()).join("\n")
}
