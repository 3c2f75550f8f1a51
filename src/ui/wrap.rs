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
    for (text, style) in pieces {
        for word in text.split_word_bounds() {
            let word = flag_letters(word);
            let word = word.as_ref();
            let w = self::width(word);
            let is_space = word.chars().all(char::is_whitespace);
            if used + w <= width {
                push(&mut rows, word, *style);
                used += w;
                continue;
            }
            if is_space {
                new_row(&mut rows, &mut used);
                continue;
            }
            if w <= width - indent && used > indent {
                new_row(&mut rows, &mut used);
                push(&mut rows, word, *style);
                used += w;
                continue;
            }
            for grapheme in word.graphemes(true) {
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

fn is_regional_indicator(c: char) -> bool {
    ('\u{1F1E6}'..='\u{1F1FF}').contains(&c)
}

/// Flags (pairs of regional indicators) as their letters: terminals disagree on how wide a flag
/// is, and a wrong guess leaves stray cells on screen; `DE` is always two cells.
fn flag_letters(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_regional_indicator) {
        return Cow::Borrowed(text);
    }
    text.chars()
        .map(|c| {
            if is_regional_indicator(c) {
                char::from(b'A' + (u32::from(c) - 0x1F1E6) as u8)
            } else {
                c
            }
        })
        .collect()
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
    let text = flag_letters(text);
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
        assert_eq!(rows("ab 👨‍👩‍👧 cd", 5, 0), ["ab 👨‍👩‍👧", "cd"]);
        for row in rows("e\u{301}e\u{301}e\u{301}e\u{301}", 2, 0) {
            assert_eq!(width(&row), 2);
        }
    }

    #[test]
    fn flags_read_as_their_letters() {
        assert_eq!(rows("hi from 🇩🇪 and 🇯🇵", 40, 0), ["hi from DE and JP"]);
        assert_eq!(truncate("Привет всем 🇩🇪 <3", 40), "Привет всем DE <3");
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
