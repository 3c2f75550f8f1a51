//! The chat actor under a firehose: the simulator generates chat at a fixed rate over several
//! channels and sends it over loopback WebSocket; the actor reads, parses and delivers every
//! line to its event receiver, which this benchmark drains as the app would.
//!
//! A sustained rate, not a per-call time, is what matters here, so this is a plain `cargo bench`
//! target rather than a criterion loop. For each rate it reports the messages per second
//! delivered, the loss (lines the simulator wrote that never reached the receiver), and CPU
//! time split by side: the simulator and the actor run on separately named tokio runtimes, and
//! each thread's CPU time comes from `/proc/self/task/*/schedstat` (Linux).
//!
//! `cargo bench --bench firehose [-- RATE...]` (default 50000 100000 200000).

mod common;

use std::collections::HashMap;
use std::time::{Duration, Instant};

use common::runtime;
use ttvchat::net::chat::{ChatConfig, ChatEvent, ChatHandle, Credentials};
use ttvchat::sim::{Firehose, Scenario, Sim, SimConfig, SimHandle};
use ttvchat::twitch::Login;
use ttvchat::twitch::message::ServerMessage;

const CHANNELS: usize = 8;
const WARM_UP: Duration = Duration::from_secs(1);
const MEASURE: Duration = Duration::from_secs(5);
const DRAIN: Duration = Duration::from_secs(10);

fn main() {
    let rates: Vec<f64> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let rates = if rates.is_empty() {
        vec![50_000.0, 100_000.0, 200_000.0]
    } else {
        rates
    };
    println!(
        "firehose over {CHANNELS} channels, {}s measured after {}s warm-up",
        MEASURE.as_secs(),
        WARM_UP.as_secs()
    );
    println!(
        "{:>9}  {:>11}  {:>9}  {:>6}  {:>15}  {:>15}",
        "rate", "delivered/s", "PRIVMSG/s", "lost", "actor+app CPU", "simulator CPU"
    );
    for rate in rates {
        let r = run(rate);
        println!(
            "{:>9}  {:>11.0}  {:>9.0}  {:>6}  {:>9.2}s {:>4.0}%  {:>9.2}s {:>4.0}%",
            rate,
            r.delivered_per_s,
            r.privmsg_per_s,
            r.lost,
            r.client_cpu.as_secs_f64(),
            100.0 * r.client_cpu.as_secs_f64() / MEASURE.as_secs_f64(),
            r.sim_cpu.as_secs_f64(),
            100.0 * r.sim_cpu.as_secs_f64() / MEASURE.as_secs_f64(),
        );
    }
}

struct Report {
    delivered_per_s: f64,
    privmsg_per_s: f64,
    /// Lines the simulator wrote to the socket that the receiver never got.
    lost: u64,
    client_cpu: Duration,
    sim_cpu: Duration,
}

/// CPU time per thread name (`/proc/self/task/<tid>/comm` and `schedstat`), so far.
fn cpu_by_thread() -> HashMap<String, Duration> {
    let mut cpu: HashMap<String, Duration> = HashMap::new();
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
        return cpu;
    };
    for task in tasks.flatten() {
        let path = task.path();
        let comm = std::fs::read_to_string(path.join("comm")).unwrap_or_default();
        let schedstat = std::fs::read_to_string(path.join("schedstat")).unwrap_or_default();
        let ns: u64 = schedstat
            .split_whitespace()
            .next()
            .and_then(|n| n.parse().ok())
            .unwrap_or(0);
        *cpu.entry(comm.trim().to_owned()).or_default() += Duration::from_nanos(ns);
    }
    cpu
}

fn cpu_of(snapshot: &HashMap<String, Duration>, prefix: &str) -> Duration {
    snapshot
        .iter()
        .filter(|(name, _)| name.starts_with(prefix))
        .map(|(_, t)| *t)
        .sum()
}

/// Delivered lines and chat messages so far.
#[derive(Default, Clone, Copy)]
struct Counts {
    lines: u64,
    privmsgs: u64,
}

fn count(counts: &mut Counts, event: &ChatEvent) {
    match event {
        ChatEvent::Message(message) => {
            counts.lines += 1;
            if matches!(**message, ServerMessage::Privmsg(_)) {
                counts.privmsgs += 1;
            }
        }
        ChatEvent::Unparsed { .. } => counts.lines += 1,
        ChatEvent::Disconnected { reason, .. } => panic!("the connection dropped: {reason}"),
        _ => {}
    }
}

fn run(rate: f64) -> Report {
    let sim_rt = runtime("bench-sim");
    let sim: SimHandle = sim_rt.block_on(async {
        let config = SimConfig {
            scenario: Scenario::default(),
            firehose: Some(Firehose {
                rate,
                channels: CHANNELS,
            }),
            ..SimConfig::default()
        };
        Sim::start(config).await.expect("the simulator starts")
    });
    let client_rt = runtime("bench-chat");
    let channels = (1..=CHANNELS)
        .map(|i| Login::parse(&format!("fire{i}")).expect("a login"))
        .collect();
    let config = ChatConfig {
        channels,
        ..ChatConfig::new(sim.irc_url(), Credentials::Anonymous)
    };
    let report = client_rt.block_on(async {
        let (_chat, mut events) = ChatHandle::spawn(config);
        let mut counts = Counts::default();
        let mut joined = 0;
        while joined < CHANNELS {
            let event = events.recv().await.expect("the actor runs");
            if matches!(event, ChatEvent::Joined { .. }) {
                joined += 1;
            }
            count(&mut counts, &event);
        }
        let warm_until = Instant::now() + WARM_UP;
        while Instant::now() < warm_until {
            let event = events.recv().await.expect("the actor runs");
            count(&mut counts, &event);
        }

        let cpu_before = cpu_by_thread();
        let before = counts;
        let started = Instant::now();
        while started.elapsed() < MEASURE {
            let event = events.recv().await.expect("the actor runs");
            count(&mut counts, &event);
        }
        let elapsed = started.elapsed().as_secs_f64();
        let cpu_after = cpu_by_thread();
        let during = Counts {
            lines: counts.lines - before.lines,
            privmsgs: counts.privmsgs - before.privmsgs,
        };

        sim.pause_traffic(true);
        let drain_until = tokio::time::Instant::now() + DRAIN;
        while counts.lines < sim.lines_sent() {
            match tokio::time::timeout_at(drain_until, events.recv()).await {
                Ok(Some(event)) => count(&mut counts, &event),
                _ => break,
            }
        }
        let client = |prefix| cpu_of(&cpu_after, prefix) - cpu_of(&cpu_before, prefix);
        Report {
            delivered_per_s: during.lines as f64 / elapsed,
            privmsg_per_s: during.privmsgs as f64 / elapsed,
            lost: sim.lines_sent().saturating_sub(counts.lines),
            client_cpu: client("bench-chat") + client("firehose"),
            sim_cpu: client("bench-sim"),
        }
    });
    drop(sim);
    report
}
