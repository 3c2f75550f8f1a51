//! The real app loop end to end: key events in, the simulator over loopback, the screen out.
//! The app draws into a test backend the test can look at while the loop runs; what the app
//! sends is checked on the simulator's side.

use crate::common;

use std::time::Duration;

use common::*;
use crossterm::event::{
    Event, KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};
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
    fn is_crossed_out(&self, needle: &str) -> Option<bool>;
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
        drawn_with(self, needle, Modifier::DIM)
    }

    /// Whether the first cell of `needle` on screen is struck out (a deleted message).
    fn is_crossed_out(&self, needle: &str) -> Option<bool> {
        drawn_with(self, needle, Modifier::CROSSED_OUT)
    }
}

/// Whether the first cell of `needle` on screen has `modifier`.
fn drawn_with(screen: &Capture, needle: &str, modifier: Modifier) -> Option<bool> {
    let buffer = screen.buffer();
    for (y, row) in rows(&buffer).iter().enumerate() {
        if let Some(byte) = row.find(needle) {
            let x = ttvchat::ui::wrap::width(&row[..byte]) as u16;
            return Some(buffer[(x, y as u16)].modifier.contains(modifier));
        }
    }
    None
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

    fn mouse(&self, kind: MouseEventKind, column: u16, row: u16) {
        let _ = self.0.send(Ok(Event::Mouse(MouseEvent {
            kind,
            column,
            row,
            modifiers: KeyModifiers::NONE,
        })));
    }

    fn click(&self, column: u16, row: u16) {
        self.mouse(MouseEventKind::Down(MouseButton::Left), column, row);
        self.mouse(MouseEventKind::Up(MouseButton::Left), column, row);
    }
}

/// Where `needle` first shows on the screen: its column and row.
fn find(screen: &Capture, needle: &str) -> (u16, u16) {
    rows(&screen.buffer())
        .iter()
        .enumerate()
        .find_map(|(y, row)| {
            let at = row.find(needle)?;
            Some((row[..at].chars().count() as u16, y as u16))
        })
        .unwrap_or_else(|| panic!("{needle} is not on the screen:\n{}", screen.text()))
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
    size: (u16, u16),
) -> App {
    start_app_with(sim, account, helix, channels, size, Settings::default())
}

/// [`start_app_as`] with these settings.
fn start_app_with(
    sim: &SimHandle,
    account: &str,
    helix: bool,
    channels: &[&str],
    (width, height): (u16, u16),
    settings: Settings,
) -> App {
    let (chat, events) =
        ttvchat::net::chat::ChatHandle::spawn(chat_config(sim, user(sim, account), channels));
    let logins: Vec<Login> = channels.iter().map(|c| Login::parse(c).unwrap()).collect();
    let mut state = AppState::new(settings, &logins, ttvchat::app::now_ms());
    let helix = helix.then(|| {
        state = state.clone().with_helix();
        let token = Token::new(sim.token(account).unwrap());
        (
            Helix::new(sim.helix_url(), SIM_CLIENT_ID, token).unwrap(),
            OAuth::new(sim.auth_url(), SIM_CLIENT_ID).unwrap(),
        )
    });
    let sim_eventsub = sim.eventsub_url();
    let screen = Capture::new(width, height);
    let (keys, keys_rx) = mpsc::unbounded_channel();
    let input = Box::pin(futures_util::stream::unfold(keys_rx, |mut rx| async move {
        rx.recv().await.map(|event| (event, rx))
    }));
    let backend = screen.clone();
    let written = Box::new(screen.clone());
    let app = tokio::spawn(async move {
        let mut terminal = Terminal::new(backend).unwrap();
        let services = ttvchat::app::Services {
            chat,
            events,
            helix,
            eventsub_url: Some(sim_eventsub),
            terminal: written,
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
    screen.wait_for("You timed out Spammer for 10m.").await;
    assert!(
        sim.world(|w| w.channels["streamer"].bans.contains_key("spammer")),
        "the simulator holds the timeout"
    );
    // Twitch's CLEARCHAT came back: the message is struck out, and our line tells it all (one
    // line, not a second "was timed out").
    let deadline = tokio::time::Instant::now() + WAIT;
    while screen.is_crossed_out("cheap followers") != Some(true) {
        assert!(tokio::time::Instant::now() < deadline, "{}", screen.text());
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let text = screen.text();
    assert_eq!(text.matches("— You timed out Spammer").count(), 1, "{text}");
    assert!(!text.contains("was timed out"), "{text}");
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

/// The text of the rows drawn with the selection's background.
fn highlighted(screen: &Capture) -> Vec<String> {
    let buffer = screen.buffer();
    let selected = ttvchat::ui::theme::selected().bg;
    let right = buffer.area.width - 1;
    rows(&buffer)
        .into_iter()
        .enumerate()
        .filter(|(y, _)| buffer[(right, *y as u16)].bg == selected.unwrap())
        .map(|(_, row)| row.trim_end().to_owned())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn in_a_flood_past_a_tiny_scrollback_t_times_out_the_highlighted_author() {
    let sim = start_sim_with(|config| {
        let streamer = config
            .scenario
            .channels
            .iter_mut()
            .find(|c| c.name == "streamer")
            .unwrap();
        streamer.chat_rate = 300.0;
    })
    .await;
    let settings = Settings {
        scrollback: 15,
        ..Settings::default()
    };
    let (screen, keys, app) =
        start_app_with(&sim, "mod_user", true, &["streamer"], (100, 30), settings);
    screen.wait_for("Joined #streamer.").await;
    // Chat is pouring in, and our moderator badge has arrived.
    let deadline = tokio::time::Instant::now() + WAIT;
    while screen.text().lines().filter(|l| l.contains(": ")).count() < 10 {
        assert!(tokio::time::Instant::now() < deadline, "no flood");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    keys.key(KeyCode::Char('s'), KeyModifiers::CONTROL);
    screen.wait_for("SELECT").await;
    let chosen = highlighted(&screen);
    assert!(!chosen.is_empty(), "a message is highlighted");
    // Far past the scrollback while the view is held (the app keeps up with the flood, so by
    // the time 600 more lines went out, hundreds reached it).
    let start = sim.lines_sent();
    let deadline = tokio::time::Instant::now() + WAIT;
    while sim.lines_sent() < start + 600 {
        assert!(tokio::time::Instant::now() < deadline, "the flood stopped");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let text = screen.wait_for("new messages: Ctrl-End to go live").await;
    let waiting: usize = text
        .lines()
        .find_map(|l| l.split("↓ ").nth(1)?.split(' ').next()?.parse().ok())
        .unwrap();
    // The cap holds for all but the screenful held (25 rows here).
    assert!(
        waiting <= 15 + 25,
        "the scrollback cap holds: {waiting} waiting"
    );
    assert_eq!(highlighted(&screen), chosen, "the highlight never moved");
    // `12:34 Name: text` or `12:34 小雷 (login): text`: the author's login.
    let message = chosen
        .iter()
        .find(|row| row.as_bytes().get(2) == Some(&b':'))
        .expect("the highlighted message's first row starts with its time");
    let head = message.split(": ").next().unwrap();
    let login = match head.rsplit_once(" (") {
        Some((_, login)) => login.trim_end_matches(')').to_owned(),
        None => head.rsplit(' ').next().unwrap().to_lowercase(),
    };
    keys.key(KeyCode::Char('t'), KeyModifiers::NONE);
    // Done, or refused (a moderator cannot be timed out: the app knows it from their badge, or
    // Twitch says so): either way a line about them, which names their login in any case
    // (`Night_goblin`, or `小雷 (xiaolei)`).
    let about = |text: &str, words: &[&str]| {
        text.to_lowercase()
            .lines()
            .any(|l| l.contains(&login) && words.iter().any(|w| l.contains(w)))
    };
    let done = |text: &str| about(text, &["you timed out"]);
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let text = screen.text();
        let refused = ["could not time out", "does not let", "is a moderator of"];
        if done(&text) || about(&text, &refused) {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "no answer about {login}:\n{text}"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    // On the simulator's side: exactly that one chatter is timed out.
    let timed_out: Vec<String> = sim.world(|world| {
        world.channels["streamer"]
            .bans
            .iter()
            .filter(|(_, until)| until.is_some())
            .map(|(name, _)| name.to_string())
            .collect()
    });
    if done(&screen.text()) {
        assert_eq!(timed_out, std::slice::from_ref(&login));
    } else {
        assert!(timed_out.is_empty(), "{timed_out:?}");
    }
    assert_eq!(highlighted(&screen), chosen, "still the same message");
    app.abort();
}

#[tokio::test]
async fn the_mouse_selects_opens_cards_and_changes_tabs_and_y_copies_over_osc_52() {
    let sim = start_sim().await;
    let (screen, keys, app) =
        start_app_as(&sim, "mod_user", true, &["streamer", "other"], (100, 30));
    screen.wait_for("Joined #streamer.").await;
    sim.pause_traffic(true);
    for (who, text) in [
        ("amy", "first words"),
        ("bob", "second words"),
        ("cleo", "third"),
    ] {
        sim.say("streamer", who, text).unwrap();
    }
    screen.wait_for("Cleo: third").await;
    // A click on bob's message selects exactly it.
    let (_, row) = find(&screen, "Bob: second words");
    keys.click(70, row);
    screen.wait_for("SELECT").await;
    let lit = highlighted(&screen);
    assert!(
        lit.len() == 1 && lit[0].contains("Bob: second words"),
        "{lit:?}"
    );
    // y: the terminal is asked to put it on the clipboard, as base64 in OSC 52.
    keys.text("y");
    screen.wait_for("Copied 12 characters").await;
    let written = String::from_utf8(screen.written()).unwrap();
    assert_eq!(written, "\x1b]52;c;c2Vjb25kIHdvcmRz\x07");
    // A click on a name opens that user's card.
    keys.key(KeyCode::Esc, KeyModifiers::NONE);
    let (column, row) = find(&screen, "Amy:");
    keys.click(column + 1, row);
    screen.wait_for("login     amy").await;
    keys.key(KeyCode::Esc, KeyModifiers::NONE);
    // A click on a tab goes there; the room bar names it.
    let (column, _) = find(&screen, "#other");
    keys.click(column + 2, 0);
    screen.wait_for("Could not join #other").await;
    let bar = rows(&screen.buffer())[1].clone();
    assert!(bar.starts_with(" #other"), "{bar}");
    keys.key(KeyCode::Char('c'), KeyModifiers::CONTROL);
    app.await.unwrap().unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_live_feeds_reach_the_screen_and_a_held_message_is_allowed_in_two_keys() {
    let sim = start_sim_with(|config| {
        let scenario = SCENARIO.replace(
            "name = \"streamer\"\n",
            "name = \"streamer\"\nautomod_every = \"400ms\"\nwatch_every = \"400ms\"\n",
        );
        config.scenario = ttvchat::sim::Scenario::parse(&scenario, "test").unwrap();
    })
    .await;
    let (screen, keys, app) = start_app_as(&sim, "mod_user", true, &["streamer"], (120, 30));
    screen.wait_for("Joined #streamer.").await;
    // AutoMod's hold, from the simulator's traffic through EventSub to the screen.
    screen.wait_for("held: a allows, D denies").await;
    keys.key(KeyCode::Char('a'), KeyModifiers::ALT);
    screen.wait_for("SELECT").await;
    keys.text("a");
    screen.wait_for("✓ allowed by mod_user").await;
    // The simulator let it into chat.
    let allowed = sim.helix_requests();
    assert!(
        allowed
            .iter()
            .any(|(_, path)| path == "moderation/automod/message"),
        "{allowed:?}"
    );
    keys.key(KeyCode::Esc, KeyModifiers::NONE);
    // A whisper opens its conversation tab; the queue tab gathers what waits.
    screen.wait_for("✉ ").await;
    screen.wait_for("⚑ queue").await;
    screen.wait_for("⚠ monitored").await;
    keys.key(KeyCode::Char('c'), KeyModifiers::CONTROL);
    app.await.unwrap().unwrap();
}
