//! The help overlay: the rows `state::help` lists, scrolled as the state says, in a box centred
//! on the screen, with the scroll position in its lower border when it does not all fit.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Paragraph, Widget};

use super::theme;
use super::wrap::{truncate, width};
use crate::state::AppState;
use crate::state::help::{self, HelpLine};

/// The key column is never wider than this.
const KEYS_WIDTH: usize = 30;

pub fn render(state: &AppState, scroll: usize, area: Rect, buf: &mut Buffer) {
    let lines = help::lines(&state.settings);
    let visible = help::visible_rows(area.height, lines.len());
    let scroll = scroll.min(lines.len() - visible);
    let box_width = area.width.saturating_sub(4).clamp(20, 90).min(area.width);
    let box_height = (visible as u16 + 2).min(area.height);
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
    let shown: Vec<Line<'static>> = lines[scroll..scroll + visible]
        .iter()
        .map(|line| match line {
            HelpLine::Heading(title) => Line::styled(*title, head),
            HelpLine::Blank => Line::raw(""),
            HelpLine::Row { keys, what } => {
                let keys = truncate(keys, keys_width);
                let pad = keys_width - width(&keys);
                let what_width = inner.saturating_sub(keys_width + 3);
                Line::from(vec![
                    Span::styled(format!(" {keys}{}  ", " ".repeat(pad)), key_style),
                    Span::raw(truncate(what, what_width)),
                ])
            }
        })
        .collect();
    let mut block = Block::bordered()
        .border_type(BorderType::Rounded)
        .border_style(Style::new().fg(theme::PURPLE))
        .title(" ttvchat help — Esc to close ");
    if visible < lines.len() {
        block = block.title_bottom(
            Line::from(format!(
                " ↑↓ PgUp PgDn · {}–{} of {} ",
                scroll + 1,
                scroll + visible,
                lines.len()
            ))
            .right_aligned(),
        );
    }
    super::clear_popup(popup, buf);
    Paragraph::new(shown).block(block).render(popup, buf);
}
