//! The input line: a single logical line (Twitch messages have no newlines) that the view wraps,
//! edited by grapheme so emoji and accented letters move and delete as one; word motion and
//! deletion; history; paste; and the reply the next message will carry.

use unicode_segmentation::UnicodeSegmentation;

/// Twitch's limit on one chat message, in characters.
pub const MAX_CHARS: usize = 500;
/// The most a paste fills the input line with: room to cut a long text down to a message.
pub const MAX_PASTE: usize = 4 * MAX_CHARS;
const HISTORY: usize = 100;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Input {
    pub text: String,
    /// Byte offset, always on a grapheme boundary.
    pub cursor: usize,
    history: Vec<String>,
    /// Position while browsing history (`None`: editing a new line).
    browsing: Option<usize>,
    /// The line being edited before browsing started.
    draft: String,
    /// The message the next send replies to: its id and a label.
    pub reply: Option<(String, String)>,
    /// A draft put aside by [`Input::fill`]: back after the filled line is sent, or on Esc.
    stashed: Option<String>,
}

impl Input {
    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// Characters left before Twitch's limit (negative when over).
    pub fn remaining(&self) -> i64 {
        MAX_CHARS as i64 - self.text.chars().count() as i64
    }

    pub fn insert(&mut self, s: &str) {
        let clean: String = s
            .chars()
            .map(|c| {
                if c == '\n' || c == '\r' || c == '\t' {
                    ' '
                } else {
                    c
                }
            })
            .filter(|c| !super::text::is_unsafe(*c))
            .collect();
        self.text.insert_str(self.cursor, &clean);
        self.cursor += clean.len();
        self.browsing = None;
    }

    pub fn set(&mut self, text: &str) {
        self.text.clear();
        self.cursor = 0;
        self.insert(text);
    }

    fn prev_boundary(&self) -> usize {
        self.text[..self.cursor]
            .grapheme_indices(true)
            .next_back()
            .map_or(0, |(i, _)| i)
    }

    fn next_boundary(&self) -> usize {
        self.text[self.cursor..]
            .graphemes(true)
            .next()
            .map_or(self.cursor, |g| self.cursor + g.len())
    }

    /// The start of the word before the cursor (skipping spaces first).
    fn word_start(&self) -> usize {
        let before = &self.text[..self.cursor];
        let trimmed = before.trim_end();
        trimmed.rfind(' ').map_or(0, |i| i + 1)
    }

    /// The end of the word after the cursor (skipping spaces first).
    fn word_end(&self) -> usize {
        let after = &self.text[self.cursor..];
        let skipped = after.len() - after.trim_start().len();
        let rest = &after[skipped..];
        self.cursor + skipped + rest.find(' ').unwrap_or(rest.len())
    }

    pub fn left(&mut self) {
        self.cursor = self.prev_boundary();
    }

    pub fn right(&mut self) {
        self.cursor = self.next_boundary();
    }

    pub fn word_left(&mut self) {
        self.cursor = self.word_start();
    }

    pub fn word_right(&mut self) {
        self.cursor = self.word_end();
    }

    pub fn home(&mut self) {
        self.cursor = 0;
    }

    pub fn end(&mut self) {
        self.cursor = self.text.len();
    }

    pub fn backspace(&mut self) {
        let start = self.prev_boundary();
        self.text.replace_range(start..self.cursor, "");
        self.cursor = start;
    }

    pub fn delete(&mut self) {
        let end = self.next_boundary();
        self.text.replace_range(self.cursor..end, "");
    }

    pub fn delete_word_before(&mut self) {
        let start = self.word_start();
        self.text.replace_range(start..self.cursor, "");
        self.cursor = start;
    }

    pub fn delete_to_start(&mut self) {
        self.text.replace_range(..self.cursor, "");
        self.cursor = 0;
    }

    /// Puts `text` in the line for the user to finish (`/warn name `), keeping what they had
    /// typed: it comes back once this line is sent, or on [`Input::restore`]. Whether a draft
    /// was put aside.
    pub fn fill(&mut self, text: &str) -> bool {
        let draft = std::mem::take(&mut self.text);
        if !draft.trim().is_empty() && self.stashed.is_none() {
            self.stashed = Some(draft);
        }
        self.set(text);
        self.stashed.is_some()
    }

    /// Brings back the draft a fill put aside, dropping the filled line; `false` if none.
    pub fn restore(&mut self) -> bool {
        match self.stashed.take() {
            Some(draft) => {
                self.set(&draft);
                true
            }
            None => false,
        }
    }

    /// Takes the line for sending: remembers it in history and clears the editor (or brings
    /// back a draft that a fill put aside).
    pub fn take(&mut self) -> String {
        let text = std::mem::take(&mut self.text);
        self.cursor = 0;
        self.browsing = None;
        if let Some(draft) = self.stashed.take() {
            self.set(&draft);
        }
        if !text.trim().is_empty() && self.history.last() != Some(&text) {
            self.history.push(text.clone());
            if self.history.len() > HISTORY {
                self.history.remove(0);
            }
        }
        text
    }

    /// Older history (Up).
    pub fn history_back(&mut self) {
        let next = match self.browsing {
            None if self.history.is_empty() => return,
            None => {
                self.draft = self.text.clone();
                self.history.len() - 1
            }
            Some(0) => return,
            Some(i) => i - 1,
        };
        self.browsing = Some(next);
        self.text = self.history[next].clone();
        self.cursor = self.text.len();
    }

    /// Newer history, back to the draft (Down).
    pub fn history_forward(&mut self) {
        let Some(i) = self.browsing else { return };
        if i + 1 < self.history.len() {
            self.browsing = Some(i + 1);
            self.text = self.history[i + 1].clone();
        } else {
            self.browsing = None;
            self.text = std::mem::take(&mut self.draft);
        }
        self.cursor = self.text.len();
    }

    /// The word the cursor is at the end of, and where it starts (for completion).
    pub fn word_at_cursor(&self) -> (usize, &str) {
        let before = &self.text[..self.cursor];
        let start = before.rfind(' ').map_or(0, |i| i + 1);
        (start, &before[start..])
    }

    /// Replaces `start..cursor` with `with`.
    pub fn replace_before_cursor(&mut self, start: usize, with: &str) {
        self.text.replace_range(start..self.cursor, with);
        self.cursor = start + with.len();
    }
}

/// The start of `text` to name a message in a sentence: up to 40 characters, `…` after.
pub fn preview(text: &str) -> String {
    match text.char_indices().nth(40) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn graphemes_move_and_delete_as_one() {
        let mut input = Input::default();
        input.insert("hi 👨\u{200d}👩\u{200d}👧 e\u{301}");
        input.left();
        input.backspace();
        assert_eq!(input.text, "hi 👨\u{200d}👩\u{200d}👧e\u{301}");
        input.left();
        assert_eq!(&input.text[..input.cursor], "hi ");
    }

    #[test]
    fn words_and_history() {
        let mut input = Input::default();
        input.insert("one two  three");
        input.delete_word_before();
        assert_eq!(input.text, "one two  ");
        input.word_left();
        assert_eq!(input.cursor, 4);
        assert_eq!(input.take(), "one two  ");
        input.insert("draft");
        input.history_back();
        assert_eq!(input.text, "one two  ");
        input.history_forward();
        assert_eq!(input.text, "draft");
    }

    #[test]
    fn paste_flattens_lines_and_drops_controls() {
        let mut input = Input::default();
        input.insert("a\r\nb\u{1b}[31m");
        assert_eq!(input.text, "a  b[31m");
        assert_eq!(input.remaining(), 492);
    }
}
