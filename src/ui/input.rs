//! The input line: a prompt (or the reply being written), the text wrapped by grapheme across as
//! many rows as it needs (up to a few, scrolled to the cursor), and the characters left before
//! Twitch's 500 limit. In search and selection modes it shows what those modes take.

use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

use super::theme;
use super::wrap::{truncate, width};
use crate::state::{AppState, Mode};

/// Rows the input may grow to.
pub const MAX_ROWS: usize = 5;
/// Columns kept on the right for the remaining-characters count.
const COUNT: usize = 5;

fn prompt(state: &AppState) -> (String, Style) {
    match &state.mode {
        Mode::Search { .. } => (
            "search: ".into(),
            Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD),
        ),
        _ => match &state.input.reply {
            Some((_, label)) => {
                let name = label.split(": ").next().unwrap_or(label);
                (
                    format!("↪ {} › ", truncate(name, 20)),
                    Style::new().fg(Color::Cyan),
                )
            }
            None => (
                "› ".into(),
                Style::new().fg(theme::PURPLE).add_modifier(Modifier::BOLD),
            ),
        },
    }
}

fn shown_text(state: &AppState) -> (&str, usize) {
    match &state.mode {
        Mode::Search { query, .. } => (query, query.len()),
        _ => (&state.input.text, state.input.cursor),
    }
}

/// The prompt and text laid out in rows of `width` cells; returns the rows and the cursor's
/// (column, row).
fn layout(state: &AppState, width: usize) -> (Vec<Vec<Span<'static>>>, (usize, usize)) {
    let width = width.max(4);
    let (prompt, prompt_style) = prompt(state);
    let (text, cursor) = shown_text(state);
    let mut rows: Vec<Vec<Span<'static>>> = vec![vec![Span::styled(prompt.clone(), prompt_style)]];
    let mut col = super::wrap::width(&prompt);
    let mut at = (col, 0);
    let mut offset = 0;
    let mut current = String::new();
    for g in text.graphemes(true) {
        if offset == cursor {
            at = (col, rows.len() - 1);
        }
        let w = UnicodeWidthStr::width(g);
        if col + w > width {
            rows.last_mut()
                .expect("a row")
                .push(Span::raw(std::mem::take(&mut current)));
            rows.push(Vec::new());
            col = 0;
            if offset == cursor {
                at = (0, rows.len() - 1);
            }
        }
        current.push_str(g);
        col += w;
        offset += g.len();
    }
    rows.last_mut().expect("a row").push(Span::raw(current));
    if cursor >= text.len() {
        if col >= width {
            rows.push(Vec::new());
            col = 0;
        }
        at = (col, rows.len() - 1);
    }
    (rows, at)
}

/// Rows the input needs at this width (1 to `MAX_ROWS`).
pub fn height(state: &AppState, width: u16) -> u16 {
    let (rows, _) = layout(state, usize::from(width).saturating_sub(COUNT));
    rows.len().clamp(1, MAX_ROWS) as u16
}

/// Draws the input; returns where the terminal cursor goes.
pub fn render(state: &AppState, area: Rect, buf: &mut Buffer) -> Option<Position> {
    if area.is_empty() {
        return None;
    }
    let text_width = usize::from(area.width).saturating_sub(COUNT);
    let (rows, (cx, cy)) = layout(state, text_width);
    let visible = usize::from(area.height).max(1);
    let first = cy.saturating_sub(visible - 1);
    for (i, row) in rows.into_iter().skip(first).take(visible).enumerate() {
        let rect = Rect {
            y: area.y + i as u16,
            height: 1,
            width: text_width as u16,
            ..area
        };
        Line::from(row).render(rect, buf);
    }
    if !matches!(state.mode, Mode::Search { .. }) {
        let left = state.input.remaining();
        let style = match left {
            l if l < 0 => Style::new()
                .fg(Color::LightRed)
                .add_modifier(Modifier::BOLD),
            l if l < 50 => Style::new().fg(Color::Yellow),
            _ => Style::new().fg(Color::DarkGray),
        };
        let label = left.to_string();
        let x = area.x + area.width.saturating_sub(width(&label) as u16);
        buf.set_string(x, area.y, label, style);
    }
    (state.mode != Mode::Select)
        .then(|| Position::new(area.x + cx as u16, area.y + (cy - first) as u16))
}
