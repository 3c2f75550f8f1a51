//! `ttvchat parse`: raw IRC lines in, one JSON object per line out (or, with `--summary`, only the
//! counts), through the same two parse layers the chat connection uses.
//!
//! Streams line by line with one reused buffer, so a log of any size runs in constant memory.
//! Output is flushed whenever no more input is buffered, so lines typed or piped in slowly are
//! answered at once. Whatever the bytes, it never stops early: invalid UTF-8 is replaced, every
//! line gets an answer.

use std::borrow::Cow;
use std::io::{self, BufRead, BufReader, Read, Write};

use super::record::{Failure, Record};
use crate::twitch::irc::IrcMessage;
use crate::twitch::message::ServerMessage;

/// How many lines parsed and how many did not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Summary {
    pub ok: u64,
    pub failed: u64,
}

/// Reads lines (split on `\n`, a trailing `\r` removed) from `input` until it ends. Unless
/// `summary_only`, writes one JSON object per line to `output`; then returns the counts.
pub fn run(input: impl Read, mut output: impl Write, summary_only: bool) -> io::Result<Summary> {
    let mut input = BufReader::with_capacity(1 << 16, input);
    let mut summary = Summary::default();
    let mut buf = Vec::with_capacity(4096);
    loop {
        if input.buffer().is_empty() {
            output.flush()?;
        }
        buf.clear();
        if input.read_until(b'\n', &mut buf)? == 0 {
            break;
        }
        let line = buf.strip_suffix(b"\n").unwrap_or(&buf);
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let line = match std::str::from_utf8(line) {
            Ok(line) => Cow::Borrowed(line),
            Err(_) => String::from_utf8_lossy(line),
        };
        match IrcMessage::parse(&line) {
            Ok(msg) => {
                summary.ok += 1;
                let typed = ServerMessage::from_irc(&msg);
                if !summary_only {
                    serde_json::to_writer(&mut output, &Record::new(&msg, &typed))?;
                    output.write_all(b"\n")?;
                }
            }
            Err(error) => {
                summary.failed += 1;
                if !summary_only {
                    serde_json::to_writer(&mut output, &Failure::new(&error.to_string()))?;
                    output.write_all(b"\n")?;
                }
            }
        }
    }
    if summary_only {
        writeln!(output, "{} ok, {} failed", summary.ok, summary.failed)?;
    }
    output.flush()?;
    Ok(summary)
}
