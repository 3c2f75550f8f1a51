//! Helpers for reducer scenarios: a state with channels, Twitch lines and keys in, and what
//! the channels show out. No I/O, no clock.

use ttvchat::net::chat::ChatEvent;
use ttvchat::state::keymap::{Key, KeyCode, Mods};
use ttvchat::state::message::{Body, Chat};
use ttvchat::state::{AppState, Effect, Msg, Settings, update};
use ttvchat::twitch::Login;
use ttvchat::twitch::message::ServerMessage;
use ttvchat::twitch::room::GlobalUserState;

pub const T0: i64 = 1_700_000_000_000;

pub fn app(channels: &[&str]) -> AppState {
    let logins: Vec<Login> = channels.iter().map(|c| Login::parse(c).unwrap()).collect();
    let mut state = AppState::new(Settings::default(), &logins, T0);
    connect(&mut state, "me", false);
    state
}

pub fn connect(state: &mut AppState, login: &str, anonymous: bool) {
    update(
        state,
        Msg::Chat(ChatEvent::Connected {
            login: Login::parse(login).unwrap(),
            anonymous,
            global: Some(GlobalUserState {
                user_id: Some("1".into()),
                display_name: Some("Me".into()),
                color: None,
                badges: Vec::new(),
                badge_info: Vec::new(),
                emote_sets: Vec::new(),
            }),
        }),
    );
}

pub fn line(state: &mut AppState, raw: &str) -> Vec<Effect> {
    let message = ServerMessage::parse(raw).expect("a valid line");
    update(state, Msg::Chat(ChatEvent::Message(Box::new(message))))
}

pub fn say(state: &mut AppState, channel: &str, login: &str, id: &str, text: &str) {
    let raw = format!(
        "@badge-info=;badges=;color=#FF0000;display-name={login};emotes=;id={id};tmi-sent-ts={T0} :{login}!{login}@{login}.tmi.twitch.tv PRIVMSG #{channel} :{text}"
    );
    line(state, &raw);
}

pub fn key(state: &mut AppState, code: KeyCode) -> Vec<Effect> {
    update(state, Msg::Key(Key::plain(code)))
}

pub fn ctrl(state: &mut AppState, c: char) -> Vec<Effect> {
    update(state, Msg::Key(Key::ctrl(c)))
}

pub fn alt(state: &mut AppState, c: char) -> Vec<Effect> {
    update(
        state,
        Msg::Key(Key {
            code: KeyCode::Char(c),
            mods: Mods {
                alt: true,
                ..Mods::default()
            },
        }),
    )
}

pub fn type_text(state: &mut AppState, text: &str) {
    for c in text.chars() {
        key(state, KeyCode::Char(c));
    }
}

pub fn chats(state: &AppState, channel: usize) -> Vec<&Chat> {
    state.channels[channel]
        .messages
        .iter()
        .filter_map(|e| match &e.body {
            Body::Chat(c) => Some(c),
            _ => None,
        })
        .collect()
}

pub fn systems(state: &AppState, channel: usize) -> Vec<String> {
    state.channels[channel]
        .messages
        .iter()
        .filter_map(|e| match &e.body {
            Body::System(s) => Some(s.text.clone()),
            _ => None,
        })
        .collect()
}

/// The whole screen drawn `width` by `height`.
pub fn drawn(state: &AppState, width: u16, height: u16) -> ratatui::buffer::Buffer {
    let mut terminal =
        ratatui::Terminal::new(ratatui::backend::TestBackend::new(width, height)).unwrap();
    terminal
        .draw(|frame| ttvchat::ui::View::default().render(state, frame))
        .unwrap();
    terminal.backend().buffer().clone()
}

/// The screen's text, row by row.
pub fn screen(state: &AppState, width: u16, height: u16) -> String {
    ttvchat::ui::capture::rows(&drawn(state, width, height)).join("\n")
}
