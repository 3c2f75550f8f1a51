//! The finished frame made fit for the terminal: without colors, what a background color marks
//! (the selection, badges, bars, key hints) is drawn reversed and every color dropped; without
//! Unicode, ASCII stands in for the app's own symbols and box lines.

use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier};

use crate::state::Look;

/// The ASCII that stands in for each symbol the views draw.
const ASCII: &[(&str, &str)] = &[
    ("●", "*"),
    ("↪", ">"),
    ("✦", "*"),
    ("›", ">"),
    ("▸", ">"),
    ("↓", "v"),
    ("↑", "^"),
    ("→", ">"),
    ("·", "."),
    ("…", "~"),
    ("–", "-"),
    ("—", "-"),
    ("✓", "v"),
    ("✗", "x"),
    ("◌", "o"),
    ("⟳", "o"),
    ("⏳", "~"),
    ("◆", "*"),
    ("─", "-"),
    ("│", "|"),
    ("╭", "+"),
    ("╮", "+"),
    ("╰", "+"),
    ("╯", "+"),
    ("▌", "|"),
    ("⚑", "!"),
    ("⚖", "="),
    ("⚠", "!"),
    ("✉", "@"),
];

/// Applies `look` to a drawn frame.
pub fn apply(look: Look, buf: &mut Buffer) {
    if look.color && look.unicode {
        return;
    }
    for cell in buf.content.iter_mut() {
        if !look.color {
            if cell.bg != Color::Reset {
                cell.modifier.insert(Modifier::REVERSED);
            }
            cell.fg = Color::Reset;
            cell.bg = Color::Reset;
        }
        if !look.unicode
            && let Some((_, ascii)) = ASCII.iter().find(|(symbol, _)| *symbol == cell.symbol())
        {
            cell.set_symbol(ascii);
        }
    }
}
