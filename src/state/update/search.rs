//! Search: typing searches from the bottom, older and newer matches, how many there are, and
//! saying so when there are none.

use super::super::keymap::Action;
use super::super::message::{Body, Level};
use super::super::{AppState, Mode};

pub(super) fn search_key(state: &mut AppState, action: Action) {
    let Mode::Search {
        query,
        current,
        found,
    } = &mut state.mode
    else {
        return;
    };
    // Typing searches again from the bottom; older/newer move from the current match.
    let (from, older) = match action {
        Action::Close => {
            state.mode = Mode::Input;
            return;
        }
        Action::Backspace => {
            query.pop();
            (None, true)
        }
        Action::ClearLine => {
            query.clear();
            *current = None;
            *found = None;
            return;
        }
        Action::Older => (*current, true),
        Action::Newer => (*current, false),
        _ => return,
    };
    let query = query.clone();
    jump(state, &query, from, older);
}

/// Whether an entry holds `needle` (lowercase): a chat message's text or author, an alert's
/// title or message, a system line.
fn holds(body: &Body, needle: &str) -> bool {
    let has = |text: &str| text.to_lowercase().contains(needle);
    match body {
        Body::Chat(c) => has(&c.text) || has(&c.author.display) || has(&c.author.login),
        Body::Alert(a) => has(&a.title) || a.message.as_deref().is_some_and(has),
        Body::System(s) => has(&s.text),
    }
}

/// Jumps to the next match older (or newer) than `from`, scrolling it into view, and counts
/// the matches; with none (or none further that way) the status line says so.
pub(super) fn jump(state: &mut AppState, query: &str, from: Option<u64>, older: bool) {
    let Some(chan) = state.focused_mut() else {
        return;
    };
    let needle = query.to_lowercase();
    if needle.is_empty() {
        if let Mode::Search { current, found, .. } = &mut state.mode {
            (*current, *found) = (None, None);
        }
        return;
    }
    // Every match, newest first.
    let all: Vec<u64> = chan
        .messages
        .iter()
        .rev()
        .filter(|e| holds(&e.body, &needle))
        .map(|e| e.seq)
        .collect();
    let next = if older {
        let limit = from.unwrap_or(u64::MAX);
        all.iter().position(|&seq| seq < limit)
    } else {
        let limit = from.unwrap_or(0);
        all.iter().rposition(|&seq| seq > limit)
    };
    let last = chan.messages.back().map(|e| e.seq);
    if let Some(at) = next {
        let seq = all[at];
        chan.anchor = (Some(seq) < last).then_some(seq);
    }
    let Mode::Search { current, found, .. } = &mut state.mode else {
        return;
    };
    match next {
        Some(at) => {
            *current = Some(all[at]);
            *found = Some((at + 1, all.len()));
        }
        None if all.is_empty() => {
            (*current, *found) = (None, None);
            state.feedback = Some((Level::Info, format!("No match for “{query}” here.")));
        }
        None => {
            let way = if older { "older" } else { "newer" };
            if let Some((_, total)) = found {
                *total = all.len();
            }
            state.feedback = Some((
                Level::Info,
                format!("No {way} match for “{query}” ({} in all).", all.len()),
            ));
        }
    }
}
