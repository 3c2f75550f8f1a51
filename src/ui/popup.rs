//! The help overlay: the rows `state::help` lists, scrolled as the state says, in a box centred
//! on the screen, with the scroll position in its lower border when it does not all fit.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Paragraph, Widget};

use super::status::Hint;
use super::theme;
use super::wrap::{truncate, width};
use crate::state::AppState;
use crate::state::help::{self, HelpLine};
use crate::state::keymap::{Action, KeyMode};

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
