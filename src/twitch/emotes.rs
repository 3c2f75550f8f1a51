//! The `emotes` tag: Twitch's inclusive Unicode code point ranges turned, once, into byte ranges
//! of the Rust message string, so every later user slices `&text[range]` directly.
//!
//! Twitch sends bad ranges now and then (off by one, past the end, against the wrong text);
//! they are clamped or skipped here, and never fail the message or panic.

use compact_str::CompactString;
use std::ops::Range;

use super::scan::find;

/// One emote occurrence: its Twitch id and where it sits in the message text (bytes).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Emote {
    pub id: CompactString,
    pub range: Range<usize>,
}

impl Emote {
    /// The emote's code in `text`, the message it was parsed against.
    pub fn code<'t>(&self, text: &'t str) -> &'t str {
        text.get(self.range.clone()).unwrap_or("")
    }
}

/// Parses an `emotes` tag (`id:start-end,start-end/id:start-end`) against the message text.
///
/// The result is sorted by position. A malformed range is skipped; a range starting past the end
/// of the text is dropped; one ending past it is clamped to the end; one overlapping the previous
/// emote is dropped. Ids may contain `/` (Twitch has sent `80481_/3`): an id runs up to its `:`,
/// and its ranges (digits, `-` and `,` only) up to the next `/`.
pub fn parse_emotes(tag: &str, text: &str) -> Vec<Emote> {
    let mut spans = Vec::new();
    let mut rest = tag;
    while let Some(colon) = find(rest.as_bytes(), b':') {
        let id = &rest[..colon];
        let (ranges, more) = split_at_byte(&rest[colon + 1..], b'/');
        rest = more;
        if id.is_empty() {
            continue;
        }
        let mut ranges = ranges;
        while !ranges.is_empty() {
            let (range, more) = split_at_byte(ranges, b',');
            ranges = more;
            if let Some((start, end)) = parse_range(range) {
                spans.push((start, end, id));
            }
        }
    }
    if spans.is_empty() {
        return Vec::new();
    }
    spans.sort_by_key(|&(start, _, _)| start);
    to_byte_ranges(&spans, text)
}

/// The part before the first `byte` and the part after it (empty when there is none).
fn split_at_byte(s: &str, byte: u8) -> (&str, &str) {
    match find(s.as_bytes(), byte) {
        Some(i) => (&s[..i], &s[i + 1..]),
        None => (s, ""),
    }
}

/// `start-end`, both plain decimal numbers with `start <= end`.
fn parse_range(range: &str) -> Option<(usize, usize)> {
    let dash = find(range.as_bytes(), b'-')?;
    let (start, end) = (&range[..dash], &range[dash + 1..]);
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(start) || !digits(end) {
        return None;
    }
    let (start, end) = (start.parse().ok()?, end.parse().ok()?);
    (start <= end).then_some((start, end))
}

/// Maps sorted inclusive code point spans to byte ranges in one walk over the text.
fn to_byte_ranges(spans: &[(usize, usize, &str)], text: &str) -> Vec<Emote> {
    let mut emotes = Vec::with_capacity(spans.len());
    if text.is_ascii() {
        let mut next_free = 0;
        for &(start, end, id) in spans {
            if start >= text.len() || start < next_free {
                continue;
            }
            let end = end.min(text.len() - 1) + 1;
            next_free = end;
            emotes.push(Emote {
                id: CompactString::from(id),
                range: start..end,
            });
        }
        return emotes;
    }
    // (code point index, byte offset) of every char, walked forward once.
    let mut chars = text.char_indices().enumerate().peekable();
    let mut next_free = 0;
    for &(start, end, id) in spans {
        if start < next_free {
            continue;
        }
        let Some(start_byte) = advance_to(&mut chars, start) else {
            break;
        };
        let after_end = end.saturating_add(1);
        let end_byte = advance_to(&mut chars, after_end).unwrap_or(text.len());
        next_free = after_end;
        emotes.push(Emote {
            id: CompactString::from(id),
            range: start_byte..end_byte,
        });
    }
    emotes
}

/// Moves the walk to code point `target` and returns its byte offset, or `None` past the end.
fn advance_to(
    chars: &mut std::iter::Peekable<impl Iterator<Item = (usize, (usize, char))>>,
    target: usize,
) -> Option<usize> {
    while let Some(&(index, (byte, _))) = chars.peek() {
        if index == target {
            return Some(byte);
        }
        chars.next();
    }
    None
}
