//! Word wrapping of styled text by display width: words move whole to the next row when they
//! fit there, longer ones break between graphemes; CJK and emoji count two cells, and ZWJ
//! sequences and combining marks stay in one piece, measured the way ratatui draws them.

use std::borrow::Cow;

use ratatui::style::Style;
use ratatui::text::{Line, Span};
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

/// Display width of a string, grapheme by grapheme (as ratatui's buffer measures it).
pub fn width(text: &str) -> usize {
    text.graphemes(true).map(UnicodeWidthStr::width).sum()
}

/// Lays out `pieces` in rows of at most `width` cells; rows after the first start with
/// `indent` spaces.
pub fn wrap(pieces: &[(&str, Style)], width: usize, indent: usize) -> Vec<Line<'static>> {
    let width = width.max(1);
    let indent = if indent * 2 >= width { 0 } else { indent };
    let mut rows: Vec<Vec<Span<'static>>> = vec![Vec::new()];
    let mut used = 0;
    let new_row = |rows: &mut Vec<Vec<Span<'static>>>, used: &mut usize| {
        rows.push(Vec::new());
        if indent > 0 {
            rows.last_mut()
                .expect("a row")
                .push(Span::raw(" ".repeat(indent)));
        }
        *used = indent;
    };
    for unit in units(pieces) {
        let w: usize = unit.iter().map(|(text, _)| self::width(text)).sum();
        let is_space = unit
            .iter()
            .all(|(text, _)| text.chars().all(char::is_whitespace));
        if used + w <= width {
            for (text, style) in &unit {
                push(&mut rows, text, *style);
            }
            used += w;
            continue;
        }
        if is_space {
            new_row(&mut rows, &mut used);
            continue;
        }
        if w <= width - indent && used > indent {
            new_row(&mut rows, &mut used);
            for (text, style) in &unit {
                push(&mut rows, text, *style);
            }
            used += w;
            continue;
        }
        for (text, style) in &unit {
            for grapheme in text.graphemes(true) {
                let g = UnicodeWidthStr::width(grapheme);
                if used + g > width && used > indent {
                    new_row(&mut rows, &mut used);
                }
                push(&mut rows, grapheme, *style);
                used += g;
            }
        }
    }
    rows.into_iter().map(Line::from).collect()
}

/// Punctuation that closes what comes before it, and so never starts a row.
const CLOSING: &str = ".,;:!?…)]}»”’'\"~。、！？，：；）」』";

/// Punctuation that opens what comes after it, and so never ends a row.
const OPENING: &str = "#@/([{«“‘¿¡（「『";

/// Whether a word is only closing punctuation (`?`, `...`, `!!`).
fn closes(word: &str) -> bool {
    !word.is_empty() && word.chars().all(|c| CLOSING.contains(c))
}

/// Whether a word is only opening punctuation (`#`, `@`, `(`).
fn opens(word: &str) -> bool {
    !word.is_empty() && word.chars().all(|c| OPENING.contains(c))
}

/// The pieces cut into what a row break may fall between: words (as Unicode splits them) and
/// spaces; closing punctuation sticks to the word before it, with the space between, so a row
/// never starts with a lone `?`; opening punctuation sticks to the word after it (`#hype`).
fn units<'a>(pieces: &[(&'a str, Style)]) -> Vec<Vec<(Cow<'a, str>, Style)>> {
    let mut units: Vec<Vec<(Cow<'a, str>, Style)>> = Vec::new();
    for (text, style) in pieces {
        for word in text.split_word_bounds() {
            let word = for_terminal(word);
            let is_space = |unit: &[(Cow<str>, Style)]| {
                unit.iter().all(|(t, _)| t.chars().all(char::is_whitespace))
            };
            if closes(&word) {
                // A single space between may be kept with them (`today ?`).
                let spaced = units.len() >= 2
                    && units
                        .last()
                        .is_some_and(|u| is_space(u) && u.len() == 1 && u[0].0 == " ")
                    && !is_space(&units[units.len() - 2]);
                if spaced {
                    let space = units.pop().expect("checked");
                    units.last_mut().expect("checked").extend(space);
                }
                if let Some(last) = units.last_mut().filter(|u| !is_space(u)) {
                    last.push((word, *style));
                    continue;
                }
            }
            let after_opening = units
                .last()
                .is_some_and(|u| u.iter().all(|(t, _)| opens(t)) && !is_space(u));
            match units.last_mut() {
                Some(last) if after_opening && !word.chars().all(char::is_whitespace) => {
                    last.push((word, *style));
                }
                _ => units.push(vec![(word, *style)]),
            }
        }
    }
    units
}

fn is_regional_indicator(c: char) -> bool {
    ('\u{1F1E6}'..='\u{1F1FF}').contains(&c)
}

/// Emoji as every terminal draws them the same width: flags as their letters in brackets
/// (`[DE]`: terminals disagree on a flag's width, and `[DE]` reads as a flag, not a word);
/// without variation selectors (`❤️` is one cell in tmux, xterm and VTE, two in others: bare
/// `❤` is one in all); without skin tones (`👍🏽` is four cells where the tone is drawn apart);
/// and a ZWJ sequence (`👨‍👩‍👧`, `🏳️‍🌈`) as its first emoji, the width tmux gives the whole. What the
/// terminal draws then is as wide as the layout counts, so no border or column is pushed.
pub fn for_terminal(text: &str) -> Cow<'_, str> {
    let special = |c: char| {
        is_regional_indicator(c)
            || matches!(
                c,
                '\u{FE0E}' | '\u{FE0F}' | '\u{200D}' | '\u{1F3FB}'..='\u{1F3FF}'
            )
    };
    if !text.chars().any(special) {
        return Cow::Borrowed(text);
    }
    let letter = |c: char| char::from(b'A' + (u32::from(c) - 0x1F1E6) as u8);
    let mut out = String::new();
    for grapheme in text.graphemes(true) {
        if !grapheme.chars().any(special) {
            out.push_str(grapheme);
            continue;
        }
        let mut chars = grapheme.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                c if is_regional_indicator(c) => {
                    out.push('[');
                    out.push(letter(c));
                    if let Some(second) = chars.next_if(|c| is_regional_indicator(*c)) {
                        out.push(letter(second));
                    }
                    out.push(']');
                }
                // The rest of a ZWJ sequence goes.
                '\u{200D}' => break,
                '\u{FE0E}' | '\u{FE0F}' | '\u{1F3FB}'..='\u{1F3FF}' => {}
                c => out.push(c),
            }
        }
    }
    Cow::Owned(out)
}

/// Appends to the last span when the style matches, so rows stay few spans.
fn push(rows: &mut [Vec<Span<'static>>], text: &str, style: Style) {
    let row = rows.last_mut().expect("a row");
    match row.last_mut() {
        Some(last) if last.style == style => last.content.to_mut().push_str(text),
        _ => row.push(Span::styled(text.to_owned(), style)),
    }
}

/// Cuts `text` to `max` cells, ending with `…` when it was longer; flags read as their letters.
pub fn truncate(text: &str, max: usize) -> String {
    let text = for_terminal(text);
    let text = text.as_ref();
    if width(text) <= max {
        return text.to_owned();
    }
    let mut out = String::new();
    let mut used = 0;
    for grapheme in text.graphemes(true) {
        let g = UnicodeWidthStr::width(grapheme);
        if used + g + 1 > max {
            break;
        }
        out.push_str(grapheme);
        used += g;
    }
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(text: &str, width: usize, indent: usize) -> Vec<String> {
        wrap(&[(text, Style::new())], width, indent)
            .iter()
            .map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect())
            .collect()
    }

    #[test]
    fn words_wrap_whole() {
        assert_eq!(
            rows("hello there big world", 11, 0),
            ["hello there", "big world"]
        );
        assert_eq!(
            rows("hello there big world", 11, 2),
            ["hello there", "  big world"]
        );
    }

    #[test]
    fn wide_characters_count_two_cells() {
        assert_eq!(rows("日本語のテキスト", 6, 0), ["日本語", "のテキ", "スト"]);
        assert_eq!(rows("ab 👨‍👩‍👧 cd", 5, 0), ["ab 👨", "cd"]);
        for row in rows("e\u{301}e\u{301}e\u{301}e\u{301}", 2, 0) {
            assert_eq!(width(&row), 2);
        }
    }

    #[test]
    fn flags_read_as_their_letters_in_brackets() {
        assert_eq!(rows("hi from 🇩🇪 and 🇯🇵", 40, 0), ["hi from [DE] and [JP]"]);
        assert_eq!(truncate("Привет всем 🇩🇪 <3", 40), "Привет всем [DE] <3");
        assert_eq!(for_terminal("🇩🇪🇯🇵🇫"), "[DE][JP][F]");
    }

    #[test]
    fn emoji_are_drawn_in_forms_every_terminal_agrees_on() {
        // The widths tmux 3.3a gave them (cursor position after printing each).
        for (text, shown, cells) in [
            ("❤️", "❤", 1),
            ("☺️", "☺", 1),
            ("↔️", "↔", 1),
            ("1️⃣", "1\u{20E3}", 1),
            ("👍🏽", "👍", 2),
            ("👨‍👩‍👧", "👨", 2),
            ("🏳️‍🌈", "🏳", 1),
            ("❤️‍🔥", "❤", 1),
            ("🧑‍💻", "🧑", 2),
            ("☕", "☕", 2),
            ("日本", "日本", 4),
            ("é", "é", 1),
        ] {
            assert_eq!(for_terminal(text), shown, "{text}");
            assert_eq!(width(&for_terminal(text)), cells, "{text}");
        }
        assert_eq!(rows("love ❤️ it", 40, 0), ["love ❤ it"]);
    }

    #[test]
    fn no_row_starts_with_lone_punctuation() {
        assert_eq!(
            rows("is it streaming today ? next words", 22, 2),
            ["is it streaming ", "  today ? next words"]
        );
        assert_eq!(rows("what a play!!!", 11, 0), ["what a ", "play!!!"]);
        assert_eq!(rows("wait, what", 5, 0), ["wait,", "what"]);
        // A word that leads (a quote, a hashtag) is not glued backwards.
        assert_eq!(rows("say #hype", 6, 0), ["say ", "#hype"]);
        assert_eq!(rows("can /unmod them", 8, 0), ["can ", "/unmod ", "them"]);
    }

    #[test]
    fn long_words_break_between_graphemes() {
        assert_eq!(rows("aaaaaaaaaa", 4, 0), ["aaaa", "aaaa", "aa"]);
    }

    #[test]
    fn truncation_marks_the_cut() {
        assert_eq!(truncate("replying to something long", 10), "replying …");
        assert_eq!(truncate("short", 10), "short");
    }
}
