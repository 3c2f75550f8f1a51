//! The app side of a message: ingest (parse + `state::update`) in messages per second, and one
//! frame drawn at 80x24, 120x40 and 250x70 over 10,000 messages of scrollback with wide
//! characters, emoji and alerts.

use std::hint::black_box;

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ttvchat::net::chat::ChatEvent;
use ttvchat::sim::sample::Sample;
use ttvchat::sim::scenario::Scenario;
use ttvchat::state::{AppState, Msg, Settings, update};
use ttvchat::twitch::Login;
use ttvchat::twitch::message::ServerMessage;
use ttvchat::ui;

const LINES: usize = 10_000;

fn channels() -> Vec<Login> {
    Scenario::builtin()
        .channels
        .iter()
        .map(|c| Login::parse(&c.name).unwrap())
        .collect()
}

fn fresh_state() -> AppState {
    let mut state = AppState::new(Settings::default(), &channels(), 1_700_000_000_000);
    update(
        &mut state,
        Msg::Chat(ChatEvent::Connected {
            login: Login::parse("ttvchat_mod").unwrap(),
            anonymous: false,
            global: None,
        }),
    );
    state
}

fn ingest(state: &mut AppState, lines: &[String]) {
    for line in lines {
        if let Ok(message) = ServerMessage::parse(line) {
            black_box(update(
                state,
                Msg::Chat(ChatEvent::Message(Box::new(message))),
            ));
        }
    }
}

fn bench(c: &mut Criterion) {
    let mut sample = Sample::new(11);
    let lines: Vec<String> = (0..LINES).map(|_| sample.line()).collect();
    let mut group = c.benchmark_group("ingest");
    group.throughput(Throughput::Elements(LINES as u64));
    group.bench_function("parse+update", |b| {
        b.iter_batched(
            fresh_state,
            |mut state| ingest(&mut state, &lines),
            BatchSize::LargeInput,
        )
    });
    group.finish();

    // 10,000 messages in the focused channel.
    let mut state = fresh_state();
    let focused = state.channels[0].name.to_string();
    let mut chat = Sample::new(12);
    let mut n = 0;
    while state.channels[0].messages.len() < LINES {
        let line = chat.line();
        let Ok(mut message) = ServerMessage::parse(&line) else {
            continue;
        };
        if let ServerMessage::Privmsg(p) = &mut message {
            p.channel = focused.as_str().into();
            n += 1;
            if n % 5 == 0 {
                p.text = format!("日本語のテキスト 👨\u{200d}👩\u{200d}👧 {}", p.text).into();
                p.emotes.clear();
            }
        }
        update(&mut state, Msg::Chat(ChatEvent::Message(Box::new(message))));
    }
    let mut group = c.benchmark_group("frame");
    for (w, h) in [(80, 24), (120, 40), (250, 70)] {
        update(
            &mut state,
            Msg::Resize {
                width: w,
                height: h,
            },
        );
        let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
        // Every visible entry laid out: the first frame after a resize or a tab switch.
        group.bench_function(format!("{w}x{h}/cold"), |b| {
            b.iter(|| {
                let mut view = ui::View::default();
                terminal.draw(|frame| view.render(&state, frame)).unwrap();
            })
        });
        // The layout cache warm: a frame after a key press in the input line.
        let mut view = ui::View::default();
        group.bench_function(format!("{w}x{h}/warm"), |b| {
            b.iter(|| {
                terminal.draw(|frame| view.render(&state, frame)).unwrap();
            })
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30);
    targets = bench
}
criterion_main!(benches);
