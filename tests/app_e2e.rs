//! The real app loop end to end: key events in, the simulator over loopback, the screen out.
//! The app draws into a test backend the test can look at while the loop runs; what the app
//! sends is checked on the simulator's side.

mod common;

use std::time::Duration;

use common::*;
use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::style::Modifier;
use tokio::sync::mpsc;
use ttvchat::net::auth::OAuth;
use ttvchat::net::helix::Helix;
use ttvchat::sim::{SIM_CLIENT_ID, SimHandle};
use ttvchat::state::{AppState, Settings};
use ttvchat::twitch::Login;
use ttvchat::twitch::outgoing::Token;
use ttvchat::ui::capture::{Capture, rows};

/// Waiting on the headless screen.
trait Screen {
    async fn wait_for(&self, needle: &str) -> String;
    fn is_dim(&self, needle: &str) -> Option<bool>;
}

impl Screen for Capture {
    /// Waits until the screen shows `needle`.
    async fn wait_for(&self, needle: &str) -> String {
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            let text = self.text();
            if text.contains(needle) {
                return text;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "never saw {needle:?}; the screen:\n{text}"
            );
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }

    /// Whether the first cell of `needle` on screen is drawn dim (a pending message).
    fn is_dim(&self, needle: &str) -> Option<bool> {
        let buffer = self.buffer();
        for (y, row) in rows(&buffer).iter().enumerate() {
            if let Some(byte) = row.find(needle) {
                let x = ttvchat::ui::wrap::width(&row[..byte]) as u16;
                return Some(buffer[(x, y as u16)].modifier.contains(Modifier::DIM));
            }
        }
        None
    }
}

struct Keys(mpsc::UnboundedSender<std::io::Result<Event>>);

impl Keys {
    fn key(&self, code: KeyCode, modifiers: KeyModifiers) {
        let _ = self.0.send(Ok(Event::Key(KeyEvent::new(code, modifiers))));
    }

    fn text(&self, text: &str) {
        for c in text.chars() {
            self.key(KeyCode::Char(c), KeyModifiers::NONE);
        }
    }

    fn enter(&self) {
        self.key(KeyCode::Enter, KeyModifiers::NONE);
    }
}

type App = (Capture, Keys, tokio::task::JoinHandle<std::io::Result<()>>);

/// The real app loop, logged in as `viewer`, on a headless screen driven by keys.
fn start_app(sim: &SimHandle, channels: &[&str], width: u16, height: u16) -> App {
    start_app_as(sim, "viewer", false, channels, (width, height))
}

/// The real app loop, logged in as `account` (with Helix if `helix`), on a headless screen of
/// `size` driven by keys.
fn start_app_as(
    sim: &SimHandle,
    account: &str,
    helix: bool,
    channels: &[&str],
    (width, height): (u16, u16),
) -> App {
    let (chat, events) =
        ttvchat::net::chat::ChatHandle::spawn(chat_config(sim, user(sim, account), channels));
    let logins: Vec<Login> = channels.iter().map(|c| Login::parse(c).unwrap()).collect();
    let mut state = AppState::new(Settings::default(), &logins, ttvchat::app::now_ms());
    let helix = helix.then(|| {
        state = state.clone().with_helix();
        let token = Token::new(sim.token(account).unwrap());
        (
            Helix::new(sim.helix_url(), SIM_CLIENT_ID, token).unwrap(),
            OAuth::new(sim.auth_url(), SIM_CLIENT_ID).unwrap(),
        )
    });
    let screen = Capture::new(width, height);
    let (keys, keys_rx) = mpsc::unbounded_channel();
    let input = Box::pin(futures_util::stream::unfold(keys_rx, |mut rx| async move {
        rx.recv().await.map(|event| (event, rx))
    }));
    let backend = screen.clone();
    let app = tokio::spawn(async move {
        let mut terminal = Terminal::new(backend).unwrap();
        let services = ttvchat::app::Services {
            chat,
            events,
            helix,
        };
        ttvchat::app::run(&mut terminal, input, state, services).await
    });
    (screen, Keys(keys), app)
}

#[tokio::test]
async fn keys_in_screen_out_and_privmsgs_on_the_simulator() {
    let sim = start_sim().await;
    let (screen, keys, app) = start_app(&sim, &["alpha", "beta"], 100, 30);

    screen.wait_for("#alpha").await;
    screen.wait_for("connected  as viewer").await;
    screen.wait_for("Joined #alpha.").await;
    sim.say("alpha", "someone", "hello from the simulator Kappa")
        .unwrap();
    screen
        .wait_for("Someone: hello from the simulator Kappa")
        .await;

    keys.text("hi from the app");
    keys.enter();
    sim.wait_received(WAIT, |l| l == "PRIVMSG #alpha :hi from the app")
        .await
        .expect("the simulator got it");
    screen.wait_for("viewer: hi from the app").await;
    let deadline = tokio::time::Instant::now() + WAIT;
    while screen.is_dim("hi from the app") != Some(false) {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the message never showed as confirmed"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }

    keys.key(KeyCode::Char('2'), KeyModifiers::ALT);
    screen.wait_for("Joined #beta.").await;
    sim.say("beta", "other", "over in beta").unwrap();
    screen.wait_for("Other: over in beta").await;

    keys.text("/join #gamma");
    keys.enter();
    sim.wait_received(WAIT, |l| l.starts_with("JOIN") && l.contains("#gamma"))
        .await
        .expect("JOIN sent");
    screen.wait_for("Joined #gamma.").await;

    keys.key(KeyCode::F(1), KeyModifiers::NONE);
    screen.wait_for("ttvchat help").await;
    keys.key(KeyCode::Esc, KeyModifiers::NONE);

    keys.key(KeyCode::Char('c'), KeyModifiers::CONTROL);
    tokio::time::timeout(WAIT, app)
        .await
        .expect("Ctrl-C quits")
        .unwrap()
        .unwrap();
}

#[tokio::test]
async fn a_message_made_of_escape_sequences_reaches_the_screen_harmless() {
    let sim = start_sim().await;
    let (screen, _keys, app) = start_app(&sim, &["alpha"], 100, 20);
    screen.wait_for("Joined #alpha.").await;
    let evil = "\u{1b}[2J\u{1b}[31mred\u{1b}]0;title\u{7}\u{9b}1m\u{202e}desrever\u{8}\u{7f}end";
    sim.say("alpha", "mallory", evil).unwrap();
    let text = screen.wait_for("Mallory:").await;
    let line = text.lines().find(|l| l.contains("Mallory:")).unwrap();
    assert!(
        line.ends_with("Mallory: [2J[31mred]0;title1mdesreverend"),
        "{line}"
    );
    let buffer = screen.buffer();
    for cell in buffer.content() {
        assert!(
            !cell.symbol().chars().any(ttvchat::state::text::is_unsafe),
            "{:?}",
            cell.symbol()
        );
    }
    app.abort();
}

#[tokio::test]
async fn nothing_is_drawn_while_nothing_happens() {
    let sim = start_sim().await;
    let (screen, keys, app) = start_app(&sim, &["gamma"], 80, 24);
    screen.wait_for("Joined #gamma.").await;
    sim.pause_traffic(true);
    tokio::time::sleep(Duration::from_millis(300)).await;
    let before = screen.frames();
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert_eq!(screen.frames(), before, "an idle app draws nothing");
    keys.text("x");
    screen.wait_for("› x").await;
    assert!(screen.frames() > before);
    app.abort();
}

#[tokio::test]
async fn a_timeout_key_on_a_selected_message_reaches_twitch_and_comes_back_as_clearchat() {
    let sim = start_sim().await;
    let (screen, keys, app) = start_app_as(&sim, "mod_user", true, &["streamer"], (100, 30));
    screen.wait_for("Joined #streamer.").await;
    sim.pause_traffic(true);
    sim.say("streamer", "spammer", "cheap followers at example dot com")
        .unwrap();
    screen.wait_for("cheap followers").await;
    keys.key(KeyCode::Char('s'), KeyModifiers::CONTROL);
    keys.text("t");
    screen.wait_for("You timed out spammer for 10m.").await;
    assert!(
        sim.world(|w| w.channels["streamer"].bans.contains_key("spammer")),
        "the simulator holds the timeout"
    );
    // Twitch's CLEARCHAT came back and the chat says so.
    screen.wait_for("spammer was timed out for 10m.").await;
    // A viewer's key says why not, and nothing reaches Twitch.
    let (screen, keys, viewer_app) = start_app_as(&sim, "viewer", true, &["streamer"], (100, 30));
    screen.wait_for("Joined #streamer.").await;
    sim.say("streamer", "spammer2", "more spam").unwrap();
    screen.wait_for("more spam").await;
    let bans = sim.helix_requests().len();
    keys.key(KeyCode::Char('s'), KeyModifiers::CONTROL);
    keys.text("t");
    screen
        .wait_for("/timeout is for moderators, and you are not a moderator in #streamer.")
        .await;
    assert_eq!(
        sim.helix_requests()
            .iter()
            .skip(bans)
            .filter(|(_, p)| p == "moderation/bans")
            .count(),
        0
    );
    keys.key(KeyCode::Char('c'), KeyModifiers::CONTROL);
    viewer_app.await.unwrap().unwrap();
    app.abort();
}
