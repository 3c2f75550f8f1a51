//! Untrusted text made safe for the terminal. Everything from the network (chat text, names,
//! notices, tags) passes through here before it is stored in the app state, so no escape
//! sequence, C0/C1 control or bidi override can reach the screen. Emote ranges are carried
//! through the change, so they still cover the same words.
//!
//! Zero-width joiners, variation selectors and combining marks are kept: they are part of emoji
//! sequences and accented letters, and the renderer measures them correctly.

use std::borrow::Cow;
use std::ops::Range;

/// Characters never shown: C0 and C1 controls, DEL, and the bidi embedding, override and
/// isolate controls that could reorder what the user sees.
pub fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
        )
}

/// What a character becomes: safe ones stay, whitespace controls read as a space, the rest
/// vanish.
fn keep(c: char) -> Option<char> {
    if !is_unsafe(c) {
        Some(c)
    } else {
        matches!(c, '\t' | '\n' | '\r' | '\u{0B}' | '\u{0C}' | '\u{85}').then_some(' ')
    }
}

/// The text with unsafe characters removed (whitespace controls become spaces).
pub fn sanitize(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(text.chars().filter_map(keep).collect())
}

/// Sanitises `text` and moves the byte `ranges` (emotes) so they cover the same characters in
/// the result; a range left empty is dropped.
pub fn sanitize_with_ranges(text: &str, ranges: &[Range<usize>]) -> (String, Vec<Range<usize>>) {
    if !text.chars().any(is_unsafe) {
        return (text.to_owned(), ranges.to_vec());
    }
    let mut out = String::with_capacity(text.len());
    // new_at[i]: where byte i of the input lands in the output (for every char boundary and the end).
    let mut new_at = vec![0; text.len() + 1];
    for (i, c) in text.char_indices() {
        new_at[i] = out.len();
        out.extend(keep(c));
    }
    new_at[text.len()] = out.len();
    let moved = ranges
        .iter()
        .filter(|r| r.start <= r.end && r.end <= text.len())
        .filter(|r| text.is_char_boundary(r.start) && text.is_char_boundary(r.end))
        .map(|r| new_at[r.start]..new_at[r.end])
        .filter(|r| !r.is_empty())
        .collect();
    (out, moved)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_and_bidi_overrides_vanish() {
        let text = "\u{1b}[2J\u{1b}]0;pwned\u{7}hi\u{202e}dlrow\u{9b}31m";
        assert_eq!(sanitize(text), "[2J]0;pwnedhidlrow31m");
    }

    #[test]
    fn emoji_sequences_survive() {
        let family = "👨\u{200d}👩\u{200d}👧 e\u{301} ❤\u{fe0f}";
        assert!(matches!(sanitize(family), Cow::Borrowed(_)));
    }

    #[test]
    fn ranges_follow_the_text() {
        let text = "\u{1b}[1mhi Kappa";
        let kappa = text.find("Kappa").unwrap();
        let hi = text.find("hi").unwrap();
        let (clean, ranges) = sanitize_with_ranges(text, &[hi..hi + 2, kappa..kappa + 5]);
        assert_eq!(clean, "[1mhi Kappa");
        assert_eq!(&clean[ranges[0].clone()], "hi");
        assert_eq!(&clean[ranges[1].clone()], "Kappa");
    }
}
