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
use crate::state::{AppState, Completion, Mode};

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

/// Walks the text as it wraps after a prompt `indent` cells wide in rows of `width` cells,
/// handing each grapheme to `place` with its row; returns how many rows it takes and the
/// cursor's (column, row). Nothing is kept, so a caller keeps only the rows it shows.
fn walk(
    text: &str,
    cursor: usize,
    indent: usize,
    width: usize,
    mut place: impl FnMut(usize, &str),
) -> (usize, (usize, usize)) {
    let width = width.max(4);
    let (mut col, mut row) = (indent, 0);
    let mut at = None;
    let mut offset = 0;
    for g in text.graphemes(true) {
        // A flag shows as `[DE]`, as in the messages, so its width is certain.
        let shown = super::wrap::for_terminal(g);
        let w = UnicodeWidthStr::width(shown.as_ref());
        if col + w > width {
            row += 1;
            col = 0;
        }
        if offset == cursor {
            at = Some((col, row));
        }
        place(row, &shown);
        col += w;
        offset += g.len();
    }
    let at = at.unwrap_or_else(|| {
        if col >= width {
            row += 1;
            col = 0;
        }
        (col, row)
    });
    (row + 1, at)
}

/// Rows the input needs at this width (1 to `MAX_ROWS`).
pub fn height(state: &AppState, width: u16) -> u16 {
    let (prompt, _) = prompt(state);
    let (text, cursor) = shown_text(state);
    let width = usize::from(width).saturating_sub(COUNT);
    let (rows, _) = walk(text, cursor, super::wrap::width(&prompt), width, |_, _| {});
    rows.clamp(1, MAX_ROWS) as u16
}

/// Draws the input; returns where the terminal cursor goes.
pub fn render(state: &AppState, area: Rect, buf: &mut Buffer) -> Option<Position> {
    if area.is_empty() {
        return None;
    }
    let text_width = usize::from(area.width).saturating_sub(COUNT);
    let (prompt, prompt_style) = prompt(state);
    let (text, cursor) = shown_text(state);
    let indent = super::wrap::width(&prompt);
    // Where the cursor is first, then the text of the rows that show around it, and only those.
    let (_, (cx, cy)) = walk(text, cursor, indent, text_width, |_, _| {});
    let visible = usize::from(area.height).max(1);
    let first = cy.saturating_sub(visible - 1);
    let mut shown = vec![String::new(); visible];
    walk(text, cursor, indent, text_width, |row, g| {
        if let Some(line) = row.checked_sub(first).and_then(|i| shown.get_mut(i)) {
            line.push_str(g);
        }
    });
    for (i, row) in shown.into_iter().enumerate() {
        let rect = Rect {
            y: area.y + i as u16,
            height: 1,
            width: text_width as u16,
            ..area
        };
        let mut spans = Vec::new();
        if first + i == 0 {
            spans.push(Span::styled(prompt.clone(), prompt_style));
        }
        spans.push(Span::raw(row));
        Line::from(spans).render(rect, buf);
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

/// Tab completion's candidates on one row above the input line, the one in the input
/// highlighted; when they do not all fit, the row shows those around it and how many more.
pub fn render_completion(completion: &Completion, area: Rect, buf: &mut Buffer) {
    let area_width = usize::from(area.width);
    let total = completion.candidates.len();
    let label = |i: usize| format!(" {} ", completion.candidates[i]);
    let count = format!(" {}/{total} ", completion.index + 1);
    // Grow a window around the current candidate while it fits beside the count.
    let (mut from, mut to) = (completion.index, completion.index + 1);
    let mut used = width(&label(completion.index)) + width(&count);
    loop {
        let mut grew = false;
        if to < total && used + width(&label(to)) <= area_width {
            used += width(&label(to));
            to += 1;
            grew = true;
        }
        if from > 0 && used + width(&label(from - 1)) <= area_width {
            from -= 1;
            used += width(&label(from));
            grew = true;
        }
        if !grew {
            break;
        }
    }
    buf.set_style(area, theme::bar());
    let mut spans = Vec::new();
    for i in from..to {
        let style = if i == completion.index {
            theme::selected().add_modifier(Modifier::BOLD)
        } else {
            theme::bar()
        };
        spans.push(Span::styled(label(i), style));
    }
    spans.push(Span::styled(count, theme::timestamp()));
    Line::from(spans).render(area, buf);
}
