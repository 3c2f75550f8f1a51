//! Writes a realistic Twitch IRC log to stdout (the simulator's traffic for the built-in
//! scenario), for `ttvchat parse --summary` timing:
//! `cargo run --release --example gen_traffic -- 1000000 > big.log`.

use std::io::{BufWriter, Write};

use ttvchat::sim::sample::Sample;

fn main() -> std::io::Result<()> {
    let lines: usize = match std::env::args().nth(1) {
        None => 100_000,
        Some(n) => n.parse().map_err(|_| {
            std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                format!("not a line count: {n}"),
            )
        })?,
    };
    let mut sample = Sample::new(42);
    let mut out = BufWriter::new(std::io::stdout().lock());
    for _ in 0..lines {
        writeln!(out, "{}\r", sample.line())?;
    }
    out.flush()
}
