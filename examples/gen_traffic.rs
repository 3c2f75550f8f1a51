//! Writes a realistic Twitch IRC log to stdout, for `ttvchat parse --summary` timing:
//! `cargo run --release --example gen_traffic -- 1000000 > big.log`.

use std::io::{BufWriter, Write};

#[path = "../benches/support/traffic.rs"]
mod traffic;

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
    let mut traffic = traffic::Traffic::new(42);
    let channels = ["cozycorner", "speedrunsdaily", "bigstreamer", "artcafe"];
    let mut out = BufWriter::new(std::io::stdout().lock());
    for i in 0..lines {
        writeln!(out, "{}\r", traffic.line(channels[i % channels.len()]))?;
    }
    out.flush()
}
