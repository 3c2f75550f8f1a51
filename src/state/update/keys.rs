//! Keys into the state: overlays first, then bound actions, then what the key means in the
//! current mode (editing the input line, moving a selection, typing a search), with Tab
//! completion of names and emotes.

use super::super::command;
use super::super::keymap::{Action, Key, KeyCode};
use super::super::message::Body;
use super::super::message::Level;
use super::super::modkeys::ModAction;
use super::super::{AppState, Effect, Mode, Overlay, help};
use super::{act, is_key, moderation, submit, system_here};

pub(super) fn key(state: &mut AppState, key: Key, effects: &mut Vec<Effect>) {
    if key.code != KeyCode::Tab {
        state.completion = None;
    }
    if state.overlay.is_some() {
        overlay_key(state, key, effects);
        return;
    }
    if let Some(action) = state.settings.keymap.action(&key) {
        act(state, action, effects);
        if state.mode == Mode::Select {
            // Scrolling while selecting: what is now on screen is held, still paused.
            let rows = state.message_rows();
            if let Some(chan) = state.focused_mut() {
                chan.anchor = chan.anchor.or(chan.messages.back().map(|e| e.seq));
                chan.hold_view(rows);
            }
        }
        return;
    }
    match state.mode {
        Mode::Input => input_key(state, key, effects),
        Mode::Select => select_key(state, key, effects),
        Mode::Search { .. } => search_key(state, key),
    }
}

/// An overlay takes every key: quit, close, answer it, act from it, or scroll it.
fn overlay_key(state: &mut AppState, key: Key, effects: &mut Vec<Effect>) {
    match state.settings.keymap.action(&key) {
        Some(Action::Quit) => effects.push(Effect::Quit),
        Some(Action::Help) => state.overlay = None,
        _ if is_key(&key, KeyCode::Esc) || is_key(&key, KeyCode::Char('q')) => state.overlay = None,
        _ if matches!(state.overlay, Some(Overlay::Confirm { .. })) => {
            // Only `y` says yes: Enter opens a card in select mode, so it must never ban.
            if is_key(&key, KeyCode::Char('y')) {
                if let Some(Overlay::Confirm { channel, call, .. }) = state.overlay.take() {
                    effects.push(Effect::Helix { channel, call });
                }
            } else if is_key(&key, KeyCode::Char('n')) {
                state.overlay = None;
            }
        }
        _ if matches!(state.overlay, Some(Overlay::Card(_))) => {
            match state.settings.modkeys.action(&key) {
                Some(ModAction::Card) | None => {}
                Some(action) => moderation::card_key(state, action, effects),
            }
        }
        _ => {
            let total = help::lines(&state.settings).len();
            let visible = help::visible_rows(state.size.1, total);
            let max = total - visible;
            let page = visible.saturating_sub(1).max(1);
            let Some(Overlay::Help { scroll }) = &mut state.overlay else {
                return;
            };
            *scroll = match key.code {
                KeyCode::Up | KeyCode::Char('k') => scroll.saturating_sub(1),
                KeyCode::Down | KeyCode::Char('j') => *scroll + 1,
                KeyCode::PageUp => scroll.saturating_sub(page),
                KeyCode::PageDown | KeyCode::Char(' ') => *scroll + page,
                KeyCode::Home => 0,
                KeyCode::End => max,
                _ => *scroll,
            }
            .min(max);
        }
    }
}

fn input_key(state: &mut AppState, key: Key, effects: &mut Vec<Effect>) {
    let (ctrl, alt) = (key.mods.ctrl, key.mods.alt);
    let input = &mut state.input;
    match key.code {
        KeyCode::Enter => submit(state, effects),
        // Esc brings back a draft that a fill put aside; otherwise it drops the reply.
        KeyCode::Esc if !input.restore() => input.reply = None,
        KeyCode::Esc => {}
        KeyCode::Backspace if ctrl || alt => input.delete_word_before(),
        KeyCode::Backspace => input.backspace(),
        KeyCode::Delete => input.delete(),
        KeyCode::Left if ctrl || alt => input.word_left(),
        KeyCode::Left => input.left(),
        KeyCode::Right if ctrl || alt => input.word_right(),
        KeyCode::Right => input.right(),
        KeyCode::Home if input.is_empty() => act(state, Action::ScrollTop, effects),
        KeyCode::End if input.is_empty() => act(state, Action::ScrollBottom, effects),
        KeyCode::Home => input.home(),
        KeyCode::End => input.end(),
        KeyCode::Up => input.history_back(),
        KeyCode::Down => input.history_forward(),
        KeyCode::Tab => complete(state),
        KeyCode::Char('w') if ctrl => input.delete_word_before(),
        KeyCode::Char('u') if ctrl => input.delete_to_start(),
        KeyCode::Char('a') if ctrl => input.home(),
        KeyCode::Char('e') if ctrl => input.end(),
        KeyCode::Char('?') if input.is_empty() && !alt => {
            state.overlay = Some(Overlay::Help { scroll: 0 })
        }
        KeyCode::Char(c) if !ctrl && !alt => input.insert(c.encode_utf8(&mut [0; 4])),
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
fn selection_lost(state: &mut AppState) {
    state.leave_select();
    system_here(
        state,
        Level::Info,
        "The selected message is no longer here, so nothing was done. Select again (Ctrl-S)."
            .into(),
    );
}

fn select_key(state: &mut AppState, key: Key, effects: &mut Vec<Effect>) {
    let rows = state.message_rows();
    let window = (rows / 2).max(1);
    let Some(chan) = state.focused() else {
        state.leave_select();
        return;
    };
    let Some(selected) = chan.selected.filter(|&s| chan.entry(s).is_some()) else {
        return selection_lost(state);
    };
    if let Some(action) = state.settings.modkeys.action(&key) {
        moderation::select_key(state, action, effects);
        return;
    }
    let plain = !key.mods.ctrl && !key.mods.alt;
    let moved = match key.code {
        KeyCode::Up | KeyCode::Char('k') => chan.step(selected, -1),
        KeyCode::Down | KeyCode::Char('j') => chan.step(selected, 1),
        KeyCode::Home | KeyCode::Char('g') => chan.messages.front().map(|e| e.seq),
        KeyCode::End | KeyCode::Char('G') => chan.messages.back().map(|e| e.seq),
        KeyCode::Esc => {
            state.leave_select();
            return;
        }
        KeyCode::Char('c') | KeyCode::Char('y') if plain => {
            copy_selected(state);
            return;
        }
        // Typing: the first key that means nothing here (and `/`) goes to the input line.
        KeyCode::Char(c) if plain => {
            state.leave_select();
            state.input.insert(c.encode_utf8(&mut [0; 4]));
            return;
        }
        _ => return,
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

/// The selected chat message: its Twitch id, author and text.
fn selected_chat(state: &AppState) -> Option<(Option<String>, String, String)> {
    let chan = state.focused()?;
    match &chan.entry(chan.selected?)?.body {
        Body::Chat(chat) => Some((
            chat.id.clone(),
            chat.author.display.clone(),
            chat.text.clone(),
        )),
        Body::Alert(alert) => Some((
            None,
            String::new(),
            alert.message.clone().unwrap_or(alert.title.clone()),
        )),
        Body::System(system) => Some((None, String::new(), system.text.clone())),
    }
}

fn copy_selected(state: &mut AppState) {
    if let Some((_, _, text)) = selected_chat(state) {
        state.input.end();
        if !state.input.is_empty() {
            state.input.insert(" ");
        }
        state.input.insert(&text);
        state.leave_select();
    }
}

fn search_key(state: &mut AppState, key: Key) {
    let Mode::Search { query, current } = &mut state.mode else {
        return;
    };
    // Typing searches again from the bottom; Enter/Up go to an older match, Down to a newer one.
    let (from, older) = match key.code {
        KeyCode::Esc => {
            state.mode = Mode::Input;
            return;
        }
        KeyCode::Backspace => {
            query.pop();
            (None, true)
        }
        KeyCode::Char(c) if !key.mods.ctrl && !key.mods.alt => {
            query.push(c);
            (None, true)
        }
        KeyCode::Enter | KeyCode::Up => (*current, true),
        KeyCode::Down => (*current, false),
        _ => return,
    };
    let query = query.clone();
    jump(state, &query, from, older);
}

/// Jumps to the next match older (or newer) than `from`, scrolling it into view.
fn jump(state: &mut AppState, query: &str, from: Option<u64>, older: bool) {
    let Some(chan) = state.focused_mut() else {
        return;
    };
    let needle = query.to_lowercase();
    if needle.is_empty() {
        return;
    }
    let matches = |body: &Body| match body {
        Body::Chat(c) => {
            c.text.to_lowercase().contains(&needle)
                || c.author.display.to_lowercase().contains(&needle)
        }
        Body::Alert(a) => a.title.to_lowercase().contains(&needle),
        Body::System(s) => s.text.to_lowercase().contains(&needle),
    };
    let found = if older {
        let limit = from.unwrap_or(u64::MAX);
        chan.messages
            .iter()
            .rev()
            .find(|e| e.seq < limit && matches(&e.body))
    } else {
        let limit = from.unwrap_or(0);
        chan.messages
            .iter()
            .find(|e| e.seq > limit && matches(&e.body))
    }
    .map(|e| e.seq);
    if let Some(seq) = found {
        let last = chan.messages.back().map_or(seq, |e| e.seq);
        chan.anchor = (seq < last).then_some(seq);
        if let Mode::Search { current, .. } = &mut state.mode {
            *current = Some(seq);
        }
    }
}

/// Tab: completes the word before the cursor with a recent chatter's name or an emote seen
/// here; pressing it again cycles.
fn complete(state: &mut AppState) {
    if let Some((candidates, index, start)) = &mut state.completion {
        *index = (*index + 1) % candidates.len();
        let with = format!("{} ", candidates[*index]);
        let start = *start;
        state.input.replace_before_cursor(start, &with);
        return;
    }
    let Some(chan) = state.focused() else { return };
    let (start, word) = state.input.word_at_cursor();
    if start == 0 && word.starts_with('/') {
        let candidates = command::complete(&word[1..]);
        if let Some(first) = candidates.first() {
            let with = format!("{first} ");
            state.input.replace_before_cursor(start, &with);
            state.completion = Some((candidates, 0, start));
        }
        return;
    }
    let (at, prefix) = match word.strip_prefix('@') {
        Some(rest) => ("@", rest.to_lowercase()),
        None => ("", word.to_lowercase()),
    };
    if prefix.is_empty() && at.is_empty() {
        return;
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
    if candidates.is_empty() {
        return;
    }
    let with = format!("{} ", candidates[0]);
    state.input.replace_before_cursor(start, &with);
    state.completion = Some((candidates, 0, start));
}
