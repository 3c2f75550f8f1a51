//! Notification-to-screen latency beside chat-to-screen, under the chat firehose: the app runs
//! logged in as the demo moderator (chat, Helix and the live feeds over loopback) in
//! #cozycorner, with 10 firehose channels joined behind it at 20,000 messages per second.
//! Turn by turn, the simulator makes a chatter say something in #cozycorner (IRC) or AutoMod
//! hold a message there (EventSub); the time until a flushed frame shows it is measured.
//! Reports the median, 99th percentile and worst of each.
//!
//! `cargo bench --bench feeds [-- RATE]` (default 20000).

mod common;

use std::time::{Duration, Instant};

use common::runtime;
use ratatui::Terminal;
use ttvchat::app::{Services, run};
use ttvchat::net::auth::OAuth;
use ttvchat::net::chat::{ChatConfig, ChatHandle, Credentials};
use ttvchat::net::helix::Helix;
use ttvchat::sim::{Firehose, SIM_CLIENT_ID, Scenario, Sim, SimConfig};
use ttvchat::state::{AppState, Settings};
use ttvchat::twitch::Login;
use ttvchat::twitch::outgoing::Token;
use ttvchat::ui::capture::{Capture, rows};

const CHANNELS: usize = 10;
const SAMPLES: usize = 150;
const MODERATOR: &str = "ttvchat_mod";
const ROOM: &str = "cozycorner";

fn main() {
    let rate: f64 = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(20_000.0);
    let sim_rt = runtime("bench-sim");
    let sim = sim_rt.block_on(async {
        let config = SimConfig {
            scenario: Scenario::builtin(),
            firehose: Some(Firehose {
                rate,
                channels: CHANNELS,
            }),
            ..SimConfig::default()
        };
        Sim::start(config).await.unwrap()
    });
    let token = sim.token(MODERATOR).expect("the demo moderator").to_owned();
    let channels: Vec<Login> = std::iter::once(ROOM.to_owned())
        .chain((1..=CHANNELS).map(|i| format!("fire{i}")))
        .map(|c| Login::parse(&c).unwrap())
        .collect();
    let app_rt = runtime("bench-app");
    let screen = Capture::new(120, 40);
    {
        let screen = screen.clone();
        let config = ChatConfig {
            channels: channels.clone(),
            ..ChatConfig::new(
                sim.irc_url(),
                Credentials::User {
                    login: Login::parse(MODERATOR).unwrap(),
                    token: Token::new(&token),
                },
            )
        };
        let helix = (
            Helix::new(sim.helix_url(), SIM_CLIENT_ID, Token::new(&token)).unwrap(),
            OAuth::new(sim.auth_url(), SIM_CLIENT_ID).unwrap(),
        );
        let eventsub_url = sim.eventsub_url();
        app_rt.spawn(async move {
            let (chat, events) = ChatHandle::spawn(config.clone());
            let state = AppState::new(
                Settings::default(),
                &config.channels,
                ttvchat::app::now_ms(),
            )
            .with_helix();
            let mut terminal = Terminal::new(screen).unwrap();
            run(
                &mut terminal,
                futures_util::stream::pending(),
                state,
                Services {
                    chat,
                    events,
                    helix: Some(helix),
                    eventsub_url: Some(eventsub_url),
                    terminal: Box::new(std::io::sink()),
                },
            )
            .await
        });
    }
    // Ready once AutoMod's first generated hold in #cozycorner reached the screen.
    let ready = screen.watch(|buf| rows(buf).iter().any(|r| r.contains("held: a allows")));
    ready
        .recv_timeout(Duration::from_secs(30))
        .expect("the live feeds reach the screen");
    let mut chat = Vec::with_capacity(SAMPLES);
    let mut feeds = Vec::with_capacity(SAMPLES);
    for i in 0..SAMPLES * 2 {
        let text = format!("sample number {i} zq");
        let needle = text.clone();
        let shown = screen.watch(move |buf| rows(buf).iter().any(|r| r.contains(&needle)));
        let sent = Instant::now();
        if i % 2 == 0 {
            sim.say(ROOM, "bench_chatter", &text);
        } else {
            sim.hold(ROOM, "bench_chatter", &text);
        }
        let drawn = shown
            .recv_timeout(Duration::from_secs(5))
            .expect("it reaches the screen");
        let samples = if i % 2 == 0 { &mut chat } else { &mut feeds };
        samples.push(drawn - sent);
        std::thread::sleep(Duration::from_millis(10 + (i % 7) as u64 * 3));
    }
    for (what, samples) in [
        ("chat (IRC)", &mut chat),
        ("AutoMod hold (EventSub)", &mut feeds),
    ] {
        samples.sort();
        let at = |p: f64| samples[((samples.len() as f64 * p) as usize).min(samples.len() - 1)];
        println!(
            "{what} to screen under {rate} msg/s over {CHANNELS} channels, {SAMPLES} samples: median {:.2} ms, p99 {:.2} ms, worst {:.2} ms",
            at(0.5).as_secs_f64() * 1e3,
            at(0.99).as_secs_f64() * 1e3,
            samples.last().unwrap().as_secs_f64() * 1e3,
        );
    }
    drop(sim);
}
