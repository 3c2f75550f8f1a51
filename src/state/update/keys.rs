//! Keys into the state. A key is looked up in the keymap's table for the current mode (Tab
//! completion first while it shows names, overlays before anything else), then in the normal
//! table where the mode allows; a key bound nowhere types: into the input line, the search, the
//! help's filter, or a hint label. No key is decided here: every binding is in the keymap.

use super::super::command;
use super::super::keymap::{Action, Key, KeyCode, KeyMode};
use super::super::message::{Body, Level};
use super::super::{AppState, CARD_BODY_MAX, Clicked, Completion, Effect, Mode, Overlay};
use super::hints::{hint_typed, start_hints};
use super::panes::{help_key, log_key, modlog_key, users_key};
use super::search::{jump, search_key};
use super::{act, moderation, submit, system_here};

pub(super) fn key(state: &mut AppState, key: Key, effects: &mut Vec<Effect>) {
    let keymap = &state.settings.keymap;
    if state.completion.is_some() {
        if let Some(action) = keymap.action(KeyMode::Completion, &key) {
            completion_key(state, action);
            return;
        }
        state.completion = None;
    }
    let mode = state.key_mode();
    let keymap = &state.settings.keymap;
    if let Some(action) = keymap.action(mode, &key) {
        mode_key(state, mode, action, effects);
        return;
    }
    if mode.falls_to_normal()
        && let Some(action) = keymap.action(KeyMode::Normal, &key)
    {
        act(state, action, effects);
        after_normal(state);
        return;
    }
    if let KeyCode::Char(c) = key.code
        && !key.mods.ctrl
        && !key.mods.alt
    {
        typed(state, mode, c);
    }
}

/// Messages a notch of the mouse wheel scrolls.
const WHEEL_STEP: usize = 3;

/// The wheel scrolls what is under it: the help, the card, or the messages (held still while
/// selecting, with new labels in hint mode).
pub(super) fn wheel(state: &mut AppState, up: bool, effects: &mut Vec<Effect>) {
    let mode = state.key_mode();
    match mode {
        KeyMode::Help | KeyMode::Card | KeyMode::Log | KeyMode::ModLog => {
            let action = if up { Action::Up } else { Action::Down };
            for _ in 0..WHEEL_STEP {
                mode_key(state, mode, action, effects);
            }
        }
        KeyMode::Confirm => {}
        _ => {
            let action = if up {
                Action::ScrollUp
            } else {
                Action::ScrollDown
            };
            for _ in 0..WHEEL_STEP {
                act(state, action, effects);
            }
            after_normal(state);
        }
    }
}

/// A click: a tab focuses it; a message selects it; a name opens its author's card. Nothing
/// happens under an overlay.
pub(super) fn click(state: &mut AppState, clicked: Clicked, effects: &mut Vec<Effect>) {
    if state.overlay.is_some() {
        return;
    }
    match clicked {
        Clicked::Tab(index) => super::focus(state, index),
        Clicked::Message(seq) => {
            select(state, seq);
        }
        Clicked::Name(seq) => {
            if select(state, seq) {
                moderation::select_key(state, Action::Card, effects);
            }
        }
    }
}

/// Selects the entry `seq` of the focused channel, pausing live chat as selecting does;
/// `false` when it is not there.
fn select(state: &mut AppState, seq: u64) -> bool {
    let rows = state.message_rows();
    let paused = matches!(state.mode, Mode::Select | Mode::Hints { .. });
    let Some(chan) = state.focused_mut() else {
        return false;
    };
    if chan.entry(seq).is_none() {
        return false;
    }
    if !paused {
        chan.resume_live = chan.anchor.is_none();
    }
    chan.anchor = chan.anchor.or(chan.messages.back().map(|e| e.seq));
    chan.selected = Some(seq);
    chan.hold_view(rows);
    state.mode = Mode::Select;
    true
}

/// After a normal key (scrolling) in select or hint mode: what is now on screen is held,
/// still paused, and in hint mode the messages now in view get the labels.
fn after_normal(state: &mut AppState) {
    if let Mode::Hints { .. } = state.mode {
        start_hints(state);
    } else if state.mode == Mode::Select {
        let rows = state.message_rows();
        if let Some(chan) = state.focused_mut() {
            chan.anchor = chan.anchor.or(chan.messages.back().map(|e| e.seq));
            chan.hold_view(rows);
        }
    }
}

/// A key bound in the table of `mode`.
fn mode_key(state: &mut AppState, mode: KeyMode, action: Action, effects: &mut Vec<Effect>) {
    match mode {
        KeyMode::Input => input_key(state, action, effects),
        KeyMode::Select => select_key(state, action, effects),
        KeyMode::Hints => state.leave_select(),
        KeyMode::Search => search_key(state, action),
        KeyMode::Card => match action {
            Action::Close => state.overlay = None,
            Action::Quit => effects.push(Effect::Quit),
            Action::Up | Action::Down => {
                if let Some(Overlay::Card(view)) = &mut state.overlay {
                    view.scroll = match action {
                        Action::Up => view.scroll.saturating_sub(1),
                        _ => (view.scroll + 1).min(CARD_BODY_MAX),
                    };
                }
            }
            action => moderation::card_key(state, action, effects),
        },
        KeyMode::Confirm => match action {
            // Only the yes key says yes: Enter opens a card in select mode, so it never bans.
            Action::Yes => {
                if let Some(Overlay::Confirm { channel, call, .. }) = state.overlay.take() {
                    effects.push(Effect::Helix { channel, call });
                }
            }
            Action::Quit => effects.push(Effect::Quit),
            _ => state.overlay = None,
        },
        KeyMode::Help => help_key(state, action, effects),
        KeyMode::Users => users_key(state, action, effects),
        KeyMode::Log => log_key(state, action, effects),
        KeyMode::ModLog => modlog_key(state, action, effects),
        KeyMode::Normal | KeyMode::Completion => act(state, action, effects),
    }
}

/// A key that is bound nowhere in this mode: a character typed.
fn typed(state: &mut AppState, mode: KeyMode, c: char) {
    match mode {
        KeyMode::Input => state.input.insert(c.encode_utf8(&mut [0; 4])),
        // Typing in select mode: the first key that means nothing there goes to the input.
        KeyMode::Select => {
            state.leave_select();
            state.input.insert(c.encode_utf8(&mut [0; 4]));
        }
        KeyMode::Hints => hint_typed(state, c),
        KeyMode::Search => {
            if let Mode::Search { query, .. } = &mut state.mode {
                query.push(c);
                let query = query.clone();
                jump(state, &query, None, true);
            }
        }
        KeyMode::Help => {
            if let Some(Overlay::Help { scroll, filter }) = &mut state.overlay {
                filter.push(c);
                *scroll = 0;
            }
        }
        KeyMode::Users => {
            if let Mode::Users { filter, selected } = &mut state.mode {
                filter.push(c);
                *selected = 0;
            }
        }
        KeyMode::ModLog => {
            if let Some(Overlay::ModLog { scroll, filter }) = &mut state.overlay {
                filter.push(c);
                *scroll = 0;
            }
        }
        KeyMode::Normal | KeyMode::Completion | KeyMode::Card | KeyMode::Confirm | KeyMode::Log => {
        }
    }
}

fn input_key(state: &mut AppState, action: Action, effects: &mut Vec<Effect>) {
    let input = &mut state.input;
    match action {
        Action::Send => submit(state, effects),
        // Esc brings back a draft that a fill put aside; otherwise it drops the reply.
        Action::Cancel if !input.restore() => input.reply = None,
        Action::Backspace => input.backspace(),
        Action::DeleteChar => input.delete(),
        Action::DeleteWord => input.delete_word_before(),
        Action::ClearLine => input.delete_to_start(),
        Action::Left => input.left(),
        Action::Right => input.right(),
        Action::WordLeft => input.word_left(),
        Action::WordRight => input.word_right(),
        Action::LineStart if input.is_empty() => act(state, Action::ScrollTop, effects),
        Action::LineEnd if input.is_empty() => act(state, Action::ScrollBottom, effects),
        Action::LineStart => input.home(),
        Action::LineEnd => input.end(),
        Action::HistoryBack => input.history_back(),
        Action::HistoryForward => input.history_forward(),
        Action::Complete => complete(state),
        _ => {}
    }
}

/// Enters selection mode on the newest message, or leaves it. Selecting pauses live chat, so
/// the selection stays put while messages arrive (they wait below, counted), and holds what is
/// on screen against the scrollback cap.
pub(super) fn toggle_select(state: &mut AppState) {
    if state.mode == Mode::Select {
        state.leave_select();
        return;
    }
    let rows = state.message_rows();
    let Some(chan) = state.focused_mut() else {
        return;
    };
    let bottom = chan.anchor.or(chan.messages.back().map(|e| e.seq));
    // The newest chat message in view, past the system lines below it (what moderators act
    // on); the bottom entry when there is none.
    let newest_chat = bottom.and_then(|b| {
        let at = chan.index_of(b)?;
        chan.messages
            .range(..=at)
            .rev()
            .take(rows)
            .find(|e| matches!(e.body, Body::Chat(_)))
            .map(|e| e.seq)
    });
    chan.selected = newest_chat.or(bottom);
    if bottom.is_some() {
        chan.resume_live = chan.anchor.is_none();
        chan.anchor = bottom;
        chan.hold_view(rows);
        state.mode = Mode::Select;
    }
}

/// The selected entry is gone (the channel was cleared away under it): selection ends with a
/// notice, and nothing acts on whatever took its place.
pub(super) fn selection_lost(state: &mut AppState) {
    state.leave_select();
    let select = state.key_for(KeyMode::Normal, Action::Select);
    system_here(
        state,
        Level::Info,
        format!(
            "The selected message is no longer here, so nothing was done. Select again ({select})."
        ),
    );
}

fn select_key(state: &mut AppState, action: Action, effects: &mut Vec<Effect>) {
    let rows = state.message_rows();
    let window = (rows / 2).max(1);
    let Some(chan) = state.focused() else {
        state.leave_select();
        return;
    };
    let Some(selected) = chan.selected.filter(|&s| chan.entry(s).is_some()) else {
        return selection_lost(state);
    };
    let moved = match action {
        Action::Up => chan.step(selected, -1),
        Action::Down => chan.step(selected, 1),
        Action::Oldest => chan.messages.front().map(|e| e.seq),
        Action::Newest => chan.messages.back().map(|e| e.seq),
        Action::Close => return state.leave_select(),
        Action::Copy => return copy_selected(state),
        Action::Clipboard => return clipboard(state, effects),
        Action::Hints => return start_hints(state),
        Action::Edit | Action::TakeBack => {
            return super::take_back(state, selected, action == Action::Edit, effects);
        }
        Action::Allow | Action::Deny => {
            return super::queue::decide(state, action == Action::Allow, effects);
        }
        action => return moderation::select_key(state, action, effects),
    };
    let Some(chan) = state.focused_mut() else {
        return;
    };
    let Some(selected) = moved else { return };
    chan.selected = Some(selected);
    // Keep the selection in view: the view follows when it leaves the bottom, or climbs past
    // what surely fits above it (entries can take several rows, so half the rows). Live chat
    // stays paused until selection mode ends.
    let last = chan.messages.back().map_or(selected, |e| e.seq);
    let bottom = chan.anchor.unwrap_or(last);
    if selected > bottom {
        chan.anchor = Some(selected);
    } else if let (Some(at), Some(to)) = (chan.index_of(selected), chan.index_of(bottom))
        && to - at >= window
    {
        chan.anchor = chan.step(selected, window as isize - 1);
    }
    chan.hold_view(rows);
}

/// The selected entry's text: a chat message's words, an alert's message (or title), a
/// system line.
fn selected_text(state: &AppState) -> Option<String> {
    let chan = state.focused()?;
    Some(match &chan.entry(chan.selected?)?.body {
        Body::Chat(chat) => chat.text.clone(),
        Body::Alert(alert) => alert.message.clone().unwrap_or(alert.title.clone()),
        Body::System(system) => system.text.clone(),
    })
}

fn copy_selected(state: &mut AppState) {
    if let Some(text) = selected_text(state) {
        state.input.end();
        if !state.input.is_empty() {
            state.input.insert(" ");
        }
        state.input.insert(&text);
        state.leave_select();
    }
}

/// The selected message to the system clipboard; selection mode stays, so the status line can
/// say it was copied.
fn clipboard(state: &mut AppState, effects: &mut Vec<Effect>) {
    if let Some(text) = selected_text(state) {
        let chars = text.chars().count();
        effects.push(Effect::Clipboard(text));
        state.feedback = Some((
            Level::Info,
            format!(
                "Copied {chars} character{} to the clipboard (the terminal must allow OSC 52).",
                if chars == 1 { "" } else { "s" }
            ),
        ));
    }
}

/// A key of the completion table while candidates show: the next or previous one into the
/// input line, or back to what was typed.
fn completion_key(state: &mut AppState, action: Action) {
    let Some(completion) = &mut state.completion else {
        return;
    };
    let count = completion.candidates.len();
    let with = match action {
        Action::Next => {
            completion.index = (completion.index + 1) % count;
            format!("{} ", completion.candidates[completion.index])
        }
        Action::Previous => {
            completion.index = (completion.index + count - 1) % count;
            format!("{} ", completion.candidates[completion.index])
        }
        _ => {
            let Some(completion) = state.completion.take() else {
                return;
            };
            state
                .input
                .replace_before_cursor(completion.start, &completion.typed);
            return;
        }
    };
    let start = completion.start;
    state.input.replace_before_cursor(start, &with);
}

/// Tab: completes the word before the cursor with a /command, a recent chatter's name or an
/// emote seen here; the candidates show above the input line while they are cycled.
fn complete(state: &mut AppState) {
    let Some(chan) = state.focused() else { return };
    let (start, word) = state.input.word_at_cursor();
    let word = word.to_owned();
    let candidates = if start == 0 && word.starts_with('/') {
        command::complete(&word[1..])
    } else {
        names_and_emotes(chan, &word)
    };
    let Some(first) = candidates.first() else {
        return;
    };
    let with = format!("{first} ");
    state.input.replace_before_cursor(start, &with);
    state.completion = Some(Completion {
        candidates,
        index: 0,
        start,
        typed: word,
    });
}

/// Chatters (recent first, then the user list) and emotes that start with `word`.
fn names_and_emotes(chan: &super::super::channel::Channel, word: &str) -> Vec<String> {
    let (at, prefix) = match word.strip_prefix('@') {
        Some(rest) => ("@", rest.to_lowercase()),
        None => ("", word.to_lowercase()),
    };
    if prefix.is_empty() && at.is_empty() {
        return Vec::new();
    }
    let mut candidates: Vec<String> = Vec::new();
    let mut add = |name: String| {
        if !candidates.contains(&name) {
            candidates.push(name);
        }
    };
    let name_of = |login: &str| {
        chan.members
            .get(login)
            .filter(|m| m.display.eq_ignore_ascii_case(login))
            .map_or(login.to_owned(), |m| m.display.clone())
    };
    for login in chan.recent.iter().chain(chan.members.keys()) {
        if login.starts_with(&prefix) {
            add(format!("{at}{}", name_of(login)));
        }
    }
    if at.is_empty() {
        for emote in &chan.emotes {
            if emote.to_lowercase().starts_with(&prefix) {
                add(emote.clone());
            }
        }
    }
    candidates
}
