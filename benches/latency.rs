//! Key-to-screen latency under a firehose: the simulator sends 20,000 chat messages per second
//! over 10 channels to the real chat actor and app loop, which draw into a headless terminal;
//! a key's bytes go into the app's real terminal reader (through a pipe) and the time until a
//! flushed frame shows it is measured. Reports the median, 99th percentile and worst of several
//! hundred presses. With a rate of 0 there is no chat at all: one silent channel, where nothing
//! but the key can wake the app.
//!
//! `cargo bench --bench latency [-- RATE]` (default 20000; 0 for a silent channel).

mod common;

use std::time::{Duration, Instant};

use std::io::Write;

use common::runtime;
use ratatui::Terminal;
use ttvchat::app::{Services, run};
use ttvchat::net::chat::{ChatConfig, ChatHandle, Credentials};
use ttvchat::sim::{Firehose, Scenario, Sim, SimConfig};
use ttvchat::state::{AppState, Settings};
use ttvchat::twitch::Login;
use ttvchat::ui::capture::{Capture, rows};

const CHANNELS: usize = 10;
const PRESSES: usize = 400;
const WARM_UP: Duration = Duration::from_secs(2);

fn main() {
    let rate: f64 = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(20_000.0);
    let sim_rt = runtime("bench-sim");
    let channels: Vec<Login> = if rate > 0.0 {
        (1..=CHANNELS)
            .map(|i| Login::parse(&format!("fire{i}")).unwrap())
            .collect()
    } else {
        vec![Login::parse("silent").unwrap()]
    };
    let sim = sim_rt.block_on(async {
        let config = SimConfig {
            scenario: if rate > 0.0 {
                Scenario::default()
            } else {
                Scenario::parse("[[channel]]\nname = \"silent\"", "silent").unwrap()
            },
            firehose: (rate > 0.0).then_some(Firehose {
                rate,
                channels: CHANNELS,
            }),
            ..SimConfig::default()
        };
        Sim::start(config).await.unwrap()
    });
    let app_rt = runtime("bench-app");
    let screen = Capture::new(120, 40);
    let (keys_rx, mut keys) = std::io::pipe().unwrap();
    {
        let screen = screen.clone();
        let config = ChatConfig {
            channels: channels.clone(),
            ..ChatConfig::new(sim.irc_url(), Credentials::Anonymous)
        };
        app_rt.spawn(async move {
            let (chat, events) = ChatHandle::spawn(config.clone());
            let state = AppState::new(
                Settings::default(),
                &config.channels,
                ttvchat::app::now_ms(),
            );
            let input = ttvchat::terminal::input::from_fd(keys_rx.into()).unwrap();
            let mut terminal = Terminal::new(screen).unwrap();
            run(
                &mut terminal,
                input,
                state,
                Services {
                    chat,
                    events,
                    helix: None,
                    eventsub_url: None,
                    terminal: Box::new(std::io::sink()),
                },
            )
            .await
        });
    }
    std::thread::sleep(WARM_UP);
    let mut press = |bytes: &[u8]| keys.write_all(bytes).unwrap();
    let input_row = |typed: String| {
        move |buf: &ratatui::buffer::Buffer| {
            rows(buf)
                .get(38)
                .is_some_and(|row| row.starts_with(&format!("› {typed}")))
        }
    };
    let mut samples = Vec::with_capacity(PRESSES);
    let mut typed = String::new();
    for i in 0..PRESSES {
        if typed.len() >= 60 {
            press(b"\x15");
            typed.clear();
            let cleared = screen.watch(|buf| {
                rows(buf)
                    .get(38)
                    .is_some_and(|row| row.trim_end().starts_with('›') && row.contains("500"))
            });
            cleared
                .recv_timeout(Duration::from_secs(5))
                .expect("the cleared input is drawn");
        }
        let c = char::from(b'a' + (i % 26) as u8);
        typed.push(c);
        let shown = screen.watch(input_row(typed.clone()));
        let sent = Instant::now();
        press(&[c as u8]);
        let drawn = shown
            .recv_timeout(Duration::from_secs(5))
            .expect("the key reaches the screen");
        samples.push(drawn - sent);
        std::thread::sleep(Duration::from_millis(5 + (i % 7) as u64 * 3));
    }
    samples.sort();
    let at = |p: f64| samples[((samples.len() as f64 * p) as usize).min(samples.len() - 1)];
    let busy = screen.text().lines().filter(|l| l.contains(':')).count();
    println!(
        "key-to-screen under {rate} msg/s over {} channels, {PRESSES} presses: median {:.2} ms, p99 {:.2} ms, worst {:.2} ms ({busy} chat rows on screen at the end)",
        channels.len(),
        at(0.5).as_secs_f64() * 1e3,
        at(0.99).as_secs_f64() * 1e3,
        samples.last().unwrap().as_secs_f64() * 1e3,
    );
    drop(sim);
}
