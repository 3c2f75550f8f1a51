//! The status line: the connection (connecting, connected, reconnecting in Ns, login failed),
//! who we are (or "anonymous (read-only)"), throttling, the mode, and key hints.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use super::theme;
use super::wrap::{truncate, width};
use crate::state::keymap::{Action, KeyMode};
use crate::state::message::{Body, Chat, SendState};
use crate::state::update::short_duration;
use crate::state::{AppState, Connection, Mode};

/// Which keys a hint names: one action's, two actions' together (`↑↓`), or a numbered family's
/// first and last (`1-9`).
#[derive(Debug, Clone, Copy)]
pub enum Hint {
    One(Action),
    Pair(Action, Action),
    Range(Action, Action),
}

/// `↑↓ move · Enter card · Esc back` from the live keymap: each action's main key in `mode`;
/// actions without a key are left out.
pub fn hints(state: &AppState, mode: KeyMode, wanted: &[(Hint, &str)]) -> String {
    hint_items(state, mode, wanted).join(" · ")
}

/// The hints one by one (`Enter card`).
pub fn hint_items(state: &AppState, mode: KeyMode, wanted: &[(Hint, &str)]) -> Vec<String> {
    let keymap = &state.settings.keymap;
    let key = |action| keymap.hint(mode, action);
    wanted
        .iter()
        .filter_map(|(hint, what)| {
            let keys = match *hint {
                Hint::One(a) => key(a)?,
                Hint::Pair(a, b) => {
                    let (a, b) = (key(a)?, key(b)?);
                    if width(&a) == 1 && width(&b) == 1 {
                        format!("{a}{b}")
                    } else {
                        format!("{a}/{b}")
                    }
                }
                Hint::Range(a, b) => format!("{}-{}", key(a)?, key(b)?),
            };
            Some(format!("{keys} {what}"))
        })
        .collect()
}

pub fn render(state: &AppState, area: Rect, buf: &mut Buffer) {
    if area.is_empty() {
        return;
    }
    let bar = theme::bar();
    buf.set_style(area, bar);
    let (dot, text, color) = match &state.connection {
        Connection::Connecting { attempt: 1 } => ("◌", "connecting".to_owned(), Color::Yellow),
        Connection::Connecting { attempt } => (
            "◌",
            format!("connecting (attempt {attempt})"),
            Color::Yellow,
        ),
        Connection::Connected => ("●", "connected".to_owned(), Color::Green),
        Connection::Reconnecting { at, .. } => {
            let secs = ((at - state.now).max(0) as u64).div_ceil(1000);
            (
                "⟳",
                format!("reconnecting in {}", short_duration(secs)),
                Color::Yellow,
            )
        }
        Connection::LoginFailed(reason) => {
            ("✗", format!("login failed: {reason}"), Color::LightRed)
        }
    };
    let mut spans = vec![Span::styled(
        format!(" {dot} {text}"),
        bar.fg(color).add_modifier(Modifier::BOLD),
    )];
    let who = match (&state.account.login, state.account.anonymous) {
        _ if state.account.signed_out.is_some() => String::new(),
        (_, true) => "anonymous (read-only)".to_owned(),
        (Some(login), false) => format!("as {login}"),
        (None, false) => String::new(),
    };
    if !who.is_empty() {
        spans.push(Span::styled(format!("  {who}"), bar));
    }
    if let Some(signed_out) = &state.account.signed_out {
        spans.push(Span::styled(
            format!("  ✗ {signed_out}"),
            bar.fg(Color::LightRed).add_modifier(Modifier::BOLD),
        ));
    }
    if let Some((joined, wanted)) = state.joining {
        spans.push(Span::styled(
            format!("  joining {joined} of {wanted} channels"),
            bar.fg(Color::Yellow),
        ));
    }
    if state.throttled {
        spans.push(Span::styled(
            "  ⏳ waiting for slow mode or the rate limit",
            bar.fg(Color::Yellow),
        ));
    }
    match (&state.feedback, &state.mode) {
        (Some((level, text)), _) => spans.push(Span::styled(
            format!("  {text}"),
            theme::system(*level).bg(bar.bg.unwrap_or(Color::Reset)),
        )),
        (None, Mode::Select) => {
            let moderates = state
                .focused()
                .is_some_and(|c| state.may_run(&c.name, "timeout").is_ok());
            // Our own message that has not gone out can be taken back.
            let waiting = state
                .focused()
                .and_then(|c| c.entry(c.selected?))
                .is_some_and(|e| {
                    matches!(
                        &e.body,
                        Body::Chat(Chat {
                            send: Some(SendState::Throttled(..) | SendState::Pending(_)),
                            ..
                        })
                    )
                });
            let mut wanted = vec![(Hint::Pair(Action::Up, Action::Down), "move")];
            if waiting {
                wanted.extend([
                    (Hint::One(Action::Edit), "edit"),
                    (Hint::One(Action::TakeBack), "take back"),
                ]);
            }
            wanted.extend([
                (Hint::One(Action::Card), "card"),
                (Hint::One(Action::Reply), "reply"),
                (Hint::One(Action::Hints), "labels"),
            ]);
            if moderates {
                wanted.extend([
                    (Hint::One(Action::Timeout), "timeout"),
                    (Hint::Range(Action::Preset(1), Action::Preset(9)), "presets"),
                    (Hint::One(Action::Ban), "ban"),
                    (Hint::One(Action::DeleteMessage), "delete"),
                ]);
            }
            wanted.extend([
                (Hint::One(Action::Copy), "copy"),
                (Hint::One(Action::Clipboard), "clipboard"),
                (Hint::One(Action::Close), "back"),
            ]);
            spans.push(Span::styled(
                format!("  SELECT {}", hints(state, KeyMode::Select, &wanted)),
                bar.fg(Color::Cyan).add_modifier(Modifier::BOLD),
            ))
        }
        (None, Mode::Search { query, found, .. }) => spans.push(Span::styled(
            format!(
                "  SEARCH {}{}",
                match found {
                    Some((at, total)) => format!("{at} of {total} · "),
                    None if query.is_empty() => String::new(),
                    None => "no match · ".to_owned(),
                },
                hints(
                    state,
                    KeyMode::Search,
                    &[
                        (Hint::One(Action::Older), "older"),
                        (Hint::One(Action::Newer), "newer"),
                        (Hint::One(Action::ClearLine), "clear"),
                        (Hint::One(Action::Close), "done"),
                    ]
                )
            ),
            bar.fg(Color::Yellow).add_modifier(Modifier::BOLD),
        )),
        (None, Mode::Hints { typed, .. }) => spans.push(Span::styled(
            format!(
                "  LABELS type a message's label{} · {}",
                if typed.is_empty() {
                    String::new()
                } else {
                    format!(" ({typed}…)")
                },
                hints(state, KeyMode::Hints, &[(Hint::One(Action::Close), "back")])
            ),
            bar.fg(Color::Yellow).add_modifier(Modifier::BOLD),
        )),
        (None, Mode::Users { filter, .. }) => spans.push(Span::styled(
            format!(
                "  USERS {}{}",
                if filter.is_empty() {
                    "type to find a name · ".to_owned()
                } else {
                    format!("“{filter}” · ")
                },
                hints(
                    state,
                    KeyMode::Users,
                    &[
                        (Hint::Pair(Action::Up, Action::Down), "move"),
                        (Hint::One(Action::Card), "card"),
                        (Hint::One(Action::Close), "back"),
                    ]
                )
            ),
            bar.fg(Color::Cyan).add_modifier(Modifier::BOLD),
        )),
        (None, Mode::Input) => {}
    }
    let hints = format!(
        " {} ",
        hints(
            state,
            KeyMode::Normal,
            &[
                (Hint::One(Action::Help), "help"),
                (Hint::One(Action::ToggleUsers), "users"),
                (Hint::One(Action::Quit), "quit"),
            ]
        )
    );
    let hints = hints.as_str();
    let used: usize = spans.iter().map(|s| width(&s.content)).sum();
    let total = usize::from(area.width);
    if used + width(hints) <= total {
        Line::from(spans).render(area, buf);
        let x = area.x + (total - width(hints)) as u16;
        buf.set_string(
            x,
            area.y,
            hints,
            Style::new()
                .fg(Color::DarkGray)
                .bg(Color::Rgb(0x1F, 0x1F, 0x2E)),
        );
    } else {
        let text: String = spans.iter().map(|s| s.content.as_ref()).collect();
        let style = spans.first().map_or(bar, |s| s.style);
        // Feedback cut short says where it is whole.
        let more = match state.feedback {
            Some(_) => format!(" ({} in full)", state.key_for(KeyMode::Normal, Action::Log)),
            None => String::new(),
        };
        let text = match width(&text) > total && width(&more) * 3 < total {
            true => format!("{}{more}", truncate(&text, total - width(&more))),
            false => truncate(&text, total),
        };
        Line::styled(text, style).render(area, buf);
    }
}
