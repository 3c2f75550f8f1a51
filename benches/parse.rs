//! Parse throughput: the IRC layer alone (framing, then a walk over the tags) and IRC + typed
//! layers together, over typical tagged PRIVMSG lines and over a realistic mix (both made by the
//! simulator's traffic generator), in lines per second and MB/s; and `ttvchat parse` with its
//! JSON output.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use ttvchat::twitch::irc::IrcMessage;
use ttvchat::twitch::message::ServerMessage;

use ttvchat::sim::sample::Sample;

const LINES: usize = 10_000;

fn samples() -> (Vec<String>, Vec<String>) {
    let mut sample = Sample::new(7);
    let privmsgs = (0..LINES).map(|_| sample.privmsg()).collect();
    let mix = (0..LINES).map(|_| sample.line()).collect();
    (privmsgs, mix)
}

fn bytes(lines: &[String]) -> u64 {
    lines.iter().map(|l| l.len() as u64 + 2).sum()
}

/// Parses every line and hands the result to `use_it`.
fn each(lines: &[String], use_it: impl Fn(IrcMessage<'_>)) {
    for line in lines {
        use_it(IrcMessage::parse(line).expect("sample lines are valid"));
    }
}

fn parse_both(lines: &[String]) {
    each(lines, |msg| {
        black_box(ServerMessage::from_irc(&msg));
    });
}

fn parse_irc(lines: &[String]) {
    each(lines, |msg| {
        black_box(msg);
    });
}

fn walk_tags(lines: &[String]) {
    each(lines, |msg| {
        black_box(msg.tags().iter().count());
    });
}

fn bench(c: &mut Criterion) {
    let (privmsgs, mix) = samples();
    let log: String = mix.iter().map(|l| format!("{l}\r\n")).collect();
    for (unit, throughput) in [
        ("lines", Throughput::Elements(LINES as u64)),
        ("bytes", Throughput::Bytes(bytes(&privmsgs))),
    ] {
        let mut group = c.benchmark_group(format!("privmsg_{unit}"));
        group.throughput(throughput);
        group.bench_function("irc+typed", |b| b.iter(|| parse_both(&privmsgs)));
        group.bench_function("irc", |b| b.iter(|| parse_irc(&privmsgs)));
        group.bench_function("irc+tag_walk", |b| b.iter(|| walk_tags(&privmsgs)));
        group.finish();
    }
    for (unit, throughput) in [
        ("lines", Throughput::Elements(LINES as u64)),
        ("bytes", Throughput::Bytes(bytes(&mix))),
    ] {
        let mut group = c.benchmark_group(format!("mix_{unit}"));
        group.throughput(throughput);
        group.bench_function("irc+typed", |b| b.iter(|| parse_both(&mix)));
        group.bench_function("parse_cli_json", |b| {
            b.iter(|| {
                let mut out = Vec::with_capacity(log.len() * 3);
                ttvchat::cli::parse::run(log.as_bytes(), &mut out, false).unwrap();
                black_box(out)
            })
        });
        group.finish();
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30);
    targets = bench
}
criterion_main!(benches);
