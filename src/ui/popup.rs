//! The help overlay: every key (from the live keymap, so rebinding shows) and every
//! slash-command (from the command table). `Esc` closes it.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Paragraph, Widget, Wrap};

use crate::state::AppState;
use crate::state::command::COMMANDS;
use crate::state::keymap::Action;

/// Keys handled outside the keymap (editing, selection, search).
const FIXED: [(&str, &str); 12] = [
    ("Enter", "send the message or command"),
    ("Up / Down", "input history"),
    ("Tab", "complete @names and emotes (again: next)"),
    ("Ctrl-W, Alt-Backspace", "delete the word before the cursor"),
    ("Ctrl-Left / Ctrl-Right", "move by word"),
    ("Ctrl-U", "delete to the start of the line"),
    (
        "Home / End",
        "start / end of the line (scroll when it is empty)",
    ),
    ("?", "this help, on an empty input line"),
    ("Esc", "close overlays, leave a mode, drop the reply"),
    ("in selection: ↑ ↓ r c", "move, reply, copy to the input"),
    ("in selection: Enter", "resend a failed message"),
    ("in search: Enter ↑ ↓", "older / newer match"),
];

fn help_lines(state: &AppState) -> Vec<Line<'static>> {
    let key_style = Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD);
    let head = Style::new()
        .fg(Color::Rgb(0xA9, 0x70, 0xFF))
        .add_modifier(Modifier::BOLD);
    let row = |keys: String, what: &str| {
        Line::from(vec![
            Span::styled(format!("  {keys:<30} "), key_style),
            Span::raw(what.to_owned()),
        ])
    };
    let mut lines = vec![Line::styled("Keys", head)];
    for (action, _, what) in Action::ALL {
        let keys = if let Action::GoTab(_) = action {
            "Alt-1 .. Alt-9".to_owned()
        } else {
            let keys: Vec<String> = state
                .settings
                .keymap
                .keys_for(action)
                .iter()
                .map(ToString::to_string)
                .collect();
            if keys.is_empty() {
                continue;
            }
            keys.join(", ")
        };
        lines.push(row(keys, what));
    }
    for (keys, what) in FIXED {
        lines.push(row(keys.to_owned(), what));
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled("Commands", head));
    for command in COMMANDS {
        lines.push(row(command.usage.to_owned(), command.help));
    }
    lines
}

pub fn render(state: &AppState, area: Rect, buf: &mut Buffer) {
    let lines = help_lines(state);
    let width = area.width.saturating_sub(4).clamp(20, 90);
    let height = (lines.len() as u16 + 2)
        .min(area.height.saturating_sub(2))
        .max(3);
    let popup = Rect {
        x: area.x + (area.width.saturating_sub(width)) / 2,
        y: area.y + (area.height.saturating_sub(height)) / 2,
        width: width.min(area.width),
        height: height.min(area.height),
    };
    Clear.render(popup, buf);
    let block = Block::bordered()
        .border_type(BorderType::Rounded)
        .border_style(Style::new().fg(Color::Rgb(0xA9, 0x70, 0xFF)))
        .title(" ttvchat help — Esc to close ");
    Paragraph::new(lines)
        .wrap(Wrap { trim: false })
        .block(block)
        .render(popup, buf);
}
