//! Real Twitch lines, as captured by other clients' test suites
//! (`../shared/twitch-reference/twitch-lines.jsonl`), replayed through the app: the client's
//! parser, the state, and the screen at three sizes. The parsed text is what the libraries'
//! captures say the line carries; the text a user sees is what Chatterino's captures show.

use crate::reducer::screen;
use serde_json::Value;
use ttvchat::net::chat::ChatEvent;
use ttvchat::state::message::Body;
use ttvchat::state::{AppState, Msg, Settings, update};
use ttvchat::twitch::Login;
use ttvchat::twitch::message::ServerMessage;

/// The captured lines with what their capture expects, where the shared reference is checked
/// out beside this repository (CI runs there).
fn captured() -> Option<Vec<Value>> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/twitch-reference/twitch-lines.jsonl");
    let text = std::fs::read_to_string(path).ok()?;
    Some(
        text.lines()
            .map(|l| serde_json::from_str(l).expect("a JSON line"))
            .collect(),
    )
}

/// The channel a line is for (`#name` as its first parameter).
fn channel_of(raw: &str) -> Option<Login> {
    let start = raw.find(" #")? + 2;
    let name: String = raw[start..]
        .chars()
        .take_while(|c| !c.is_whitespace())
        .collect();
    Login::parse(&name).ok()
}

#[test]
fn captured_twitch_lines_reach_the_screen_as_twitch_sent_them() {
    let Some(captured) = captured() else {
        return;
    };
    let mut channels: Vec<Login> = Vec::new();
    for line in &captured {
        if let Some(channel) = line["raw"].as_str().and_then(channel_of)
            && !channels.contains(&channel)
        {
            channels.push(channel);
        }
    }
    let mut state = AppState::new(Settings::default(), &channels, 1_700_000_000_000);
    let connected = ChatEvent::Connected {
        login: Login::parse("justinfan12345").unwrap(),
        anonymous: true,
        global: None,
    };
    update(&mut state, Msg::Chat(connected));

    let mut texts_checked = 0;
    for line in &captured {
        let raw = line["raw"].as_str().unwrap();
        let expect = &line["expect"];
        let Ok(message) = ServerMessage::parse(raw) else {
            continue;
        };
        // Libraries' captures say what the line carries; Chatterino's what a user is shown.
        if let (ServerMessage::Privmsg(privmsg), Some(text)) =
            (&message, expect["message_text"].as_str())
        {
            assert_eq!(privmsg.text.as_str(), text, "{raw}");
        }
        update(&mut state, Msg::Chat(ChatEvent::Message(Box::new(message))));
        if expect["command"] != "PRIVMSG" {
            continue;
        }
        let text = expect["chatterino_message_text"].as_str();
        let (Some(text), Some(channel)) = (text, channel_of(raw)) else {
            continue;
        };
        let index = channels.iter().position(|c| *c == channel).unwrap();
        let shown = state.channels[index]
            .messages
            .iter()
            .rev()
            .find_map(|m| match &m.body {
                Body::Chat(chat) => Some(chat.text.clone()),
                _ => None,
            });
        assert_eq!(shown.as_deref(), Some(text), "{raw}");
        texts_checked += 1;

        state.focus = index;
        let screen = screen(&state, 250, 70);
        let first_word = text.split_whitespace().next().unwrap_or_default();
        assert!(
            screen.contains(first_word),
            "{first_word:?} not on screen:\n{screen}"
        );
    }
    assert!(
        texts_checked >= 30,
        "only {texts_checked} captured chat texts"
    );
    for (index, channel) in channels.iter().enumerate() {
        state.focus = index;
        for (width, height) in [(60, 15), (120, 40), (250, 70)] {
            let screen = screen(&state, width, height);
            assert!(screen.contains(&format!("#{channel}")), "{screen}");
        }
    }
}
