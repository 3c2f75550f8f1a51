//! Keys of the panes that take them: the log overlay, the user list and the help (scroll,
//! filter, open a card, close).

use super::super::keymap::Action;
use super::super::message::Body;
use super::super::{AppState, Effect, Mode, Overlay, help};
use super::moderation;

/// Where a list scrolled up past `scroll` of its `count` lines (the newest at the bottom)
/// goes for `action`; `None`: not a scrolling key.
fn scroll_back(scroll: usize, action: Action, count: usize, page: usize) -> Option<usize> {
    let last = count.saturating_sub(1);
    Some(match action {
        Action::Up => (scroll + 1).min(last),
        Action::Down => scroll.saturating_sub(1),
        Action::PageUp => (scroll + page).min(last),
        Action::PageDown => scroll.saturating_sub(page),
        Action::Top => last,
        Action::Bottom => 0,
        _ => return None,
    })
}

/// A key of the log overlay: scroll it (by lines told), close it, quit.
pub(super) fn log_key(state: &mut AppState, action: Action, effects: &mut Vec<Effect>) {
    let page = state.message_rows().saturating_sub(4).max(1);
    let told = state.focused().map_or(0, |c| {
        c.messages
            .iter()
            .filter(|e| matches!(e.body, Body::System(_)))
            .count()
    });
    let Some(Overlay::Log { scroll }) = &mut state.overlay else {
        return;
    };
    match scroll_back(*scroll, action, told, page) {
        Some(to) => *scroll = to,
        None if action == Action::Quit => effects.push(Effect::Quit),
        None => state.overlay = None,
    }
}

/// A key of the mod log: scroll it, narrow it, close it, quit.
pub(super) fn modlog_key(state: &mut AppState, action: Action, effects: &mut Vec<Effect>) {
    let page = state.message_rows().saturating_sub(4).max(1);
    let Some(Overlay::ModLog { scroll, filter }) = &mut state.overlay else {
        return;
    };
    let count = state
        .channels
        .get(state.focus)
        .map_or(0, |c| c.mod_log(filter).len());
    match (scroll_back(*scroll, action, count, page), action) {
        (Some(to), _) => *scroll = to,
        (None, Action::Backspace) => {
            filter.pop();
            *scroll = 0;
        }
        (None, Action::ClearLine) => {
            filter.clear();
            *scroll = 0;
        }
        (None, Action::Quit) => effects.push(Effect::Quit),
        (None, _) => state.overlay = None,
    }
}

/// A key of the user list: move over the names, narrow them, open a card.
pub(super) fn users_key(state: &mut AppState, action: Action, effects: &mut Vec<Effect>) {
    let page = state.message_rows().saturating_sub(2).max(1);
    let Some(chan) = state.focused() else {
        state.mode = Mode::Input;
        return;
    };
    let Mode::Users { filter, selected } = &state.mode else {
        return;
    };
    let count: usize = chan.listed(filter).iter().map(|(_, n)| n.len()).sum();
    let last = count.saturating_sub(1);
    let (filter, selected) = (filter.clone(), *selected);
    let selected = match action {
        Action::Up => selected.saturating_sub(1),
        Action::Down => (selected + 1).min(last),
        Action::PageUp => selected.saturating_sub(page),
        Action::PageDown => (selected + page).min(last),
        Action::Top => 0,
        Action::Bottom => last,
        Action::Backspace | Action::ClearLine => {
            let mut filter = filter;
            if action == Action::Backspace {
                filter.pop();
            } else {
                filter.clear();
            }
            state.mode = Mode::Users {
                filter,
                selected: 0,
            };
            return;
        }
        Action::Card => {
            if let Some(login) = chan.listed_login(&filter, selected) {
                moderation::user_card(state, &login, effects);
            }
            return;
        }
        _ => {
            state.mode = Mode::Input;
            return;
        }
    };
    state.mode = Mode::Users { filter, selected };
}

pub(super) fn help_key(state: &mut AppState, action: Action, effects: &mut Vec<Effect>) {
    let Some(Overlay::Help { scroll, filter }) = &mut state.overlay else {
        return;
    };
    let total = help::lines(&state.settings, filter).len();
    let visible = help::visible_rows(state.size.1, total);
    let max = total - visible;
    let page = visible.saturating_sub(1).max(1);
    *scroll = match action {
        Action::Up => scroll.saturating_sub(1),
        Action::Down => *scroll + 1,
        Action::PageUp => scroll.saturating_sub(page),
        Action::PageDown => *scroll + page,
        Action::Top => 0,
        Action::Bottom => max,
        Action::Backspace => {
            filter.pop();
            0
        }
        Action::ClearLine => {
            filter.clear();
            0
        }
        Action::Quit => {
            effects.push(Effect::Quit);
            *scroll
        }
        _ => {
            state.overlay = None;
            return;
        }
    }
    .min(max);
}
