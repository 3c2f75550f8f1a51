//! The user list (toggled): everyone we know is in the focused channel, grouped broadcaster,
//! moderators, VIPs, subscribers, others, with a count per group. While it has the keys, the
//! names narrow to what was typed, one is marked, and the list scrolls to keep it in view.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph, Widget};

use super::theme;
use super::wrap::truncate;
use crate::state::channel::Channel;
use crate::state::{AppState, Mode};

pub fn render(state: &AppState, chan: &Channel, area: Rect, buf: &mut Buffer) {
    if area.is_empty() {
        return;
    }
    let (filter, selected) = match &state.mode {
        Mode::Users { filter, selected } => (filter.as_str(), Some(*selected)),
        _ => ("", None),
    };
    let title = match (selected, filter) {
        (None, _) => format!(" users ({}) ", chan.members.len()),
        (Some(_), "") => format!(" users ({}) · type to find ", chan.members.len()),
        (Some(_), filter) => format!(" users · “{filter}” "),
    };
    let border = match selected {
        Some(_) => Style::new().fg(theme::PURPLE),
        None => Style::new().fg(Color::DarkGray),
    };
    let block = Block::new()
        .borders(Borders::LEFT)
        .border_style(border)
        .title(title);
    let inner = block.inner(area);
    block.render(area, buf);
    let room = usize::from(inner.width).saturating_sub(2);
    let mut lines = Vec::new();
    let mut marked = None;
    let mut index = 0;
    let listed = chan.listed(filter);
    if listed.is_empty() {
        lines.push(Line::styled(" nobody matches", theme::timestamp()));
    }
    for (group, names) in listed {
        let total = chan
            .group_counts()
            .iter()
            .find(|(g, _)| *g == group)
            .map_or(0, |(_, n)| *n);
        lines.push(Line::styled(
            truncate(
                &format!(
                    "{} — {}",
                    group.title(),
                    if filter.is_empty() {
                        total
                    } else {
                        names.len()
                    }
                ),
                usize::from(inner.width),
            ),
            Style::new().fg(Color::Gray).add_modifier(Modifier::BOLD),
        ));
        for (_, display) in names {
            let line = Line::raw(format!("  {}", truncate(display, room)));
            if selected == Some(index) {
                marked = Some(lines.len());
                lines.push(line.style(theme::selected()));
            } else {
                lines.push(line);
            }
            index += 1;
        }
    }
    // The marked name stays in view: the list scrolls under it.
    let height = usize::from(inner.height);
    let first = marked.map_or(0, |m| (m + 1).saturating_sub(height));
    let shown: Vec<Line> = lines.into_iter().skip(first).take(height).collect();
    Paragraph::new(shown).render(inner, buf);
}
