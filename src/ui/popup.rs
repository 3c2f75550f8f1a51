//! The help overlay: the rows `state::help` lists, scrolled as the state says, in a box centred
//! on the screen, with the scroll position in its lower border when it does not all fit.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Paragraph, Widget};

use super::messages::clock;
use super::status::Hint;
use super::theme;
use super::wrap::wrap;
use super::wrap::{truncate, width};
use crate::state::AppState;
use crate::state::help::{self, HelpLine};
use crate::state::keymap::{Action, KeyMode};
use crate::state::message::{Body, System};

/// The key column is never wider than this.
const KEYS_WIDTH: usize = 30;
/// Nor the box (past this, lines get too long to read).
const MAX_WIDTH: u16 = 150;

pub fn render(state: &AppState, scroll: usize, filter: &str, area: Rect, buf: &mut Buffer) {
    let lines = help::lines(&state.settings, filter);
    let visible = help::visible_rows(area.height, lines.len());
    let scroll = scroll.min(lines.len().saturating_sub(visible));
    let box_width = area
        .width
        .saturating_sub(4)
        .clamp(20, MAX_WIDTH)
        .min(area.width);
    let box_height = (visible as u16 + 3).min(area.height);
    let popup = Rect {
        x: area.x + (area.width - box_width) / 2,
        y: area.y + (area.height - box_height) / 2,
        width: box_width,
        height: box_height,
    };
    let inner = usize::from(box_width.saturating_sub(2));
    let keys_width = lines
        .iter()
        .filter_map(|line| match line {
            HelpLine::Row { keys, .. } => Some(width(keys)),
            _ => None,
        })
        .max()
        .unwrap_or(0)
        .min(KEYS_WIDTH)
        .min(inner / 2);
    let key_style = Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD);
    let head = Style::new().fg(theme::PURPLE).add_modifier(Modifier::BOLD);
    let filter_line = if filter.is_empty() {
        Line::styled(" type to filter", theme::timestamp())
    } else {
        Line::from(vec![
            Span::styled(" filter: ", theme::timestamp()),
            Span::styled(
                truncate(filter, inner.saturating_sub(12)),
                key_style.add_modifier(Modifier::UNDERLINED),
            ),
            Span::styled(
                if lines.is_empty() {
                    "  nothing matches"
                } else {
                    ""
                },
                theme::timestamp(),
            ),
        ])
    };
    let mut shown = vec![filter_line];
    shown.extend(
        lines
            .iter()
            .skip(scroll)
            .take(visible)
            .map(|line| match line {
                HelpLine::Heading(title) => Line::styled(truncate(title, inner), head),
                HelpLine::Blank => Line::raw(""),
                HelpLine::Badge { badge, what } => {
                    let (label, style) = theme::badge(badge);
                    let pad = keys_width.saturating_sub(width(&label));
                    Line::from(vec![
                        Span::raw(" "),
                        Span::styled(label, style),
                        Span::raw(format!("{}  {what}", " ".repeat(pad))),
                    ])
                }
                HelpLine::Row { keys, what } => {
                    let keys = truncate(keys, keys_width);
                    let pad = keys_width - width(&keys);
                    let what_width = inner.saturating_sub(keys_width + 3);
                    Line::from(vec![
                        Span::styled(format!(" {keys}{}  ", " ".repeat(pad)), key_style),
                        Span::raw(truncate(what, what_width)),
                    ])
                }
            }),
    );
    let mut block = Block::bordered()
        .border_type(BorderType::Rounded)
        .border_style(Style::new().fg(theme::PURPLE))
        .title(format!(
            " ttvchat help — {} to close ",
            state.key_for(KeyMode::Help, Action::Close)
        ));
    if visible < lines.len() {
        let position = format!("{}–{} of {}", scroll + 1, scroll + visible, lines.len());
        let keys = super::status::hints(
            state,
            KeyMode::Help,
            &[
                (Hint::Pair(Action::Up, Action::Down), "scroll"),
                (Hint::Pair(Action::PageUp, Action::PageDown), "page"),
            ],
        );
        let full = format!(" {keys} · {position} ");
        let title = if width(&full) + 4 <= usize::from(box_width) {
            full
        } else {
            format!(" {position} ")
        };
        block = block.title_bottom(Line::from(title).right_aligned());
    }
    super::clear_popup(popup, buf);
    Paragraph::new(shown).block(block).render(popup, buf);
}

/// What Twitch and ttvchat said in the focused channel, each line whole (wrapped), the newest
/// at the bottom, `scroll` lines up from there.
pub fn render_log(state: &AppState, scroll: usize, area: Rect, buf: &mut Buffer) {
    let Some(chan) = state.focused() else { return };
    let popup = Rect {
        x: area.x + 2.min(area.width / 8),
        y: area.y + 1.min(area.height / 8),
        width: area.width.saturating_sub(4.min(area.width / 4)),
        height: area.height.saturating_sub(2.min(area.height / 4)),
    };
    let inner_width = usize::from(popup.width.saturating_sub(2));
    let rows = usize::from(popup.height.saturating_sub(2));
    let told: Vec<(i64, &System)> = chan
        .messages
        .iter()
        .filter_map(|e| match &e.body {
            Body::System(system) => Some((e.at, system)),
            _ => None,
        })
        .collect();
    let end = told.len().saturating_sub(scroll);
    // Lay out from the newest shown upwards until the box is full.
    let mut lines: Vec<Line<'static>> = Vec::new();
    for (at, system) in told[..end].iter().rev() {
        let time = format!("{} ", clock(*at, state.settings.utc_offset_s));
        let mut wrapped = wrap(
            &[
                (&time, theme::timestamp()),
                (&system.text, theme::system(system.level)),
            ],
            inner_width,
            6,
        );
        wrapped.append(&mut lines);
        lines = wrapped;
        if lines.len() >= rows {
            break;
        }
    }
    // The newest sits at the bottom, as in the chat.
    let skip = lines.len().saturating_sub(rows);
    let mut shown: Vec<Line<'static>> = vec![Line::raw(""); rows.saturating_sub(lines.len())];
    shown.extend(lines.into_iter().skip(skip));
    let close = state.key_for(KeyMode::Log, Action::Close);
    let mut block = Block::bordered()
        .border_type(BorderType::Rounded)
        .border_style(Style::new().fg(theme::PURPLE))
        .title(format!(
            " said in {} — {close} to close ",
            chan.label(state.settings.look.unicode)
        ));
    let position = match (told.len(), scroll) {
        (0, _) => " nothing yet ".to_owned(),
        (1, 0) => " 1 line ".to_owned(),
        (n, 0) => format!(" {n} lines · the newest below "),
        (n, s) => format!(" {} of {n} ", n - s),
    };
    let keys = super::status::hints(
        state,
        KeyMode::Log,
        &[
            (Hint::Pair(Action::Up, Action::Down), "scroll"),
            (Hint::Pair(Action::PageUp, Action::PageDown), "page"),
        ],
    );
    block = block.title_bottom(Line::from(format!(" {keys} ·{position}")).right_aligned());
    super::clear_popup(popup, buf);
    Paragraph::new(shown).block(block).render(popup, buf);
}
