//! The user list (toggled): everyone we know is in the focused channel, grouped broadcaster,
//! moderators, VIPs, subscribers, others, with a count per group.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph, Widget};

use super::wrap::truncate;
use crate::state::channel::Channel;

pub fn render(chan: &Channel, area: Rect, buf: &mut Buffer) {
    if area.is_empty() {
        return;
    }
    let block = Block::new()
        .borders(Borders::LEFT)
        .border_style(Style::new().fg(Color::DarkGray))
        .title(format!(" users ({}) ", chan.members.len()));
    let inner = block.inner(area);
    block.render(area, buf);
    let room = usize::from(inner.width).saturating_sub(2);
    let mut lines = Vec::new();
    for (group, count) in chan.group_counts() {
        if count == 0 {
            continue;
        }
        lines.push(Line::styled(
            truncate(
                &format!("{} — {count}", group.title()),
                usize::from(inner.width),
            ),
            Style::new().fg(Color::Gray).add_modifier(Modifier::BOLD),
        ));
        let mut names: Vec<&str> = chan
            .members
            .values()
            .filter(|m| m.group == group)
            .map(|m| m.display.as_str())
            .collect();
        names.sort_by_key(|n| n.to_lowercase());
        for name in names {
            if lines.len() >= usize::from(inner.height) {
                break;
            }
            lines.push(Line::raw(format!("  {}", truncate(name, room))));
        }
        if lines.len() >= usize::from(inner.height) {
            break;
        }
    }
    Paragraph::new(lines).render(inner, buf);
}
