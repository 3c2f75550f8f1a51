//! Hint mode: a one- or two-letter label beside every message that can be on screen; typing a
//! label selects that message (by identity, like select mode).

use super::super::keymap::{Action, KeyMode};
use super::super::message::Level;
use super::super::{AppState, Mode};
use super::keys::selection_lost;

/// Hint labels are made of these letters, the easiest to reach first.
const HINT_LETTERS: &str = "asdfghjklqwertyuiopzxcvbnm";

/// Shows a label beside every message that can be on screen (the newest get the single
/// letters) and pauses the view like selecting does, so the labels stay on their messages.
pub(super) fn start_hints(state: &mut AppState) {
    let rows = state.message_rows();
    let paused = matches!(state.mode, Mode::Select | Mode::Hints { .. });
    let Some(chan) = state.focused_mut() else {
        return;
    };
    let Some(bottom) = chan.anchor.or(chan.messages.back().map(|e| e.seq)) else {
        return;
    };
    let Some(at) = chan.index_of(bottom) else {
        return;
    };
    // The entries up to the bottom of the view; when they do not fill it, the view shows newer
    // ones after them, and the bottom moves down to the last of those.
    let at = (at + rows.saturating_sub(at + 1)).min(chan.messages.len() - 1);
    let bottom = chan.messages[at].seq;
    let seqs: Vec<u64> = chan
        .messages
        .range(..=at)
        .rev()
        .take(rows)
        .map(|e| e.seq)
        .collect();
    if !paused {
        chan.resume_live = chan.anchor.is_none();
    }
    chan.selected = None;
    chan.anchor = Some(bottom);
    chan.hold_view(rows);
    let labels = hint_labels(seqs.len()).into_iter().zip(seqs).collect();
    state.mode = Mode::Hints {
        labels,
        typed: String::new(),
    };
}

/// `count` labels that are prefix-free: as many single letters as leave enough two-letter
/// labels for the rest.
pub fn hint_labels(count: usize) -> Vec<String> {
    let letters: Vec<char> = HINT_LETTERS.chars().collect();
    let n = letters.len();
    let count = count.min(n * n);
    // Single letters `singles`, and each remaining letter starts n two-letter labels.
    let singles = if count <= n {
        count
    } else {
        (n * n - count) / (n - 1)
    };
    let mut labels: Vec<String> = letters[..singles].iter().map(char::to_string).collect();
    'outer: for first in &letters[singles..] {
        for second in &letters {
            if labels.len() == count {
                break 'outer;
            }
            labels.push(format!("{first}{second}"));
        }
    }
    labels
}

/// A letter typed in hint mode: a whole label selects its message; a letter no label goes on
/// with is refused on the status line.
pub(super) fn hint_typed(state: &mut AppState, c: char) {
    let Mode::Hints { labels, typed } = &mut state.mode else {
        return;
    };
    let attempt = format!("{typed}{}", c.to_ascii_lowercase());
    if let Some((_, seq)) = labels.iter().find(|(label, _)| *label == attempt) {
        let seq = *seq;
        state.mode = Mode::Select;
        let Some(chan) = state.focused_mut() else {
            return;
        };
        if chan.entry(seq).is_some() {
            chan.selected = Some(seq);
            let rows = state.message_rows();
            if let Some(chan) = state.focused_mut() {
                chan.hold_view(rows);
            }
        } else {
            selection_lost(state);
        }
    } else if labels.iter().any(|(label, _)| label.starts_with(&attempt)) {
        *typed = attempt;
    } else {
        let close = state.key_for(KeyMode::Hints, Action::Close);
        state.feedback = Some((
            Level::Info,
            format!("No message has the label {attempt}. Type one shown, or {close}."),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::hint_labels;

    #[test]
    fn hint_labels_are_short_distinct_and_prefix_free() {
        assert_eq!(hint_labels(3), ["a", "s", "d"]);
        for count in [0, 1, 26, 27, 40, 100, 676, 1000] {
            let labels = hint_labels(count);
            assert_eq!(labels.len(), count.min(676), "{count}");
            for (i, a) in labels.iter().enumerate() {
                assert!((1..=2).contains(&a.len()));
                for b in &labels[i + 1..] {
                    assert!(
                        !b.starts_with(a.as_str()) && !a.starts_with(b.as_str()),
                        "{a} {b}"
                    );
                }
            }
        }
        // 40 labels: most are still one letter.
        assert_eq!(hint_labels(40).iter().filter(|l| l.len() == 1).count(), 25);
    }
}
