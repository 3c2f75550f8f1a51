//! The views: they borrow the app state for one frame and never change it. This file is the
//! layout only: tabs on top, the room-state bar, the message list (with the user list beside
//! it when shown), the input line, the status line, and overlays above everything.

pub mod capture;
mod card;
pub mod input;
pub mod layouts;
pub mod look;
pub mod messages;
mod popup;
pub mod roomstate;
pub mod status;
pub mod tabs;
pub mod theme;
pub mod users;
pub mod wrap;

use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::style::{Color, Style};
use ratatui::text::Line;
use ratatui::widgets::{Clear, Widget};

use crate::state::message::Body;
use crate::state::{AppState, Clicked, Msg, Overlay};
use layouts::Layouts;

/// The user list's width when shown (it shows when the window is twice as wide).
const USERS_WIDTH: u16 = crate::state::USER_LIST_MIN_WIDTH / 2;

/// The views and what they keep between frames: the message list's layout cache, and where
/// the last frame drew what a click can land on.
#[derive(Default)]
pub struct View {
    layouts: Layouts,
    tabs: Vec<(u16, u16, usize)>,
    rows: Vec<messages::Drawn>,
    messages: Rect,
}

/// A mouse event, as the view reads it: where, and what happened there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pointer {
    Click { column: u16, row: u16 },
    Wheel { column: u16, row: u16, up: bool },
}

impl View {
    /// The layout cache, as the last frame left it.
    pub fn layouts(&self) -> &Layouts {
        &self.layouts
    }

    /// What a mouse event means, from where the last frame drew things: a click on a tab, on a
    /// message or on its author's name; the wheel over the messages (or anywhere while an
    /// overlay shows).
    pub fn pointer(&self, state: &AppState, pointer: Pointer) -> Option<Msg> {
        match pointer {
            Pointer::Wheel { column, row, up } => {
                let over = self.messages.contains(Position::new(column, row));
                (over || state.overlay.is_some()).then_some(Msg::Wheel { up })
            }
            Pointer::Click { column, row } => {
                if let Some((_, _, index)) = self
                    .tabs
                    .iter()
                    .find(|(from, to, _)| row == 0 && (*from..*to).contains(&column))
                {
                    return Some(Msg::Click(Clicked::Tab(*index)));
                }
                if !self.messages.contains(Position::new(column, row)) {
                    return None;
                }
                let (_, seq, n) = *self.rows.iter().find(|(y, _, _)| *y == row)?;
                let on_name = self.on_name(state, seq, n, column - self.messages.x);
                Some(Msg::Click(if on_name {
                    Clicked::Name(seq)
                } else {
                    Clicked::Message(seq)
                }))
            }
        }
    }

    /// Whether `x` on row `n` of the entry `seq` falls on its author's name.
    fn on_name(&self, state: &AppState, seq: u64, n: usize, x: u16) -> bool {
        let Some(Body::Chat(chat)) = state.focused().and_then(|c| c.entry(seq)).map(|e| &e.body)
        else {
            return false;
        };
        let Some(line) = self.layouts.lines(seq).get(n) else {
            return false;
        };
        let mut at = 0;
        for span in &line.spans {
            let w = wrap::width(&span.content);
            let name = span.content.trim_start_matches("* ");
            if (at..at + w).contains(&usize::from(x)) {
                return name == chat.author.display;
            }
            at += w;
        }
        false
    }

    pub fn render(&mut self, state: &AppState, frame: &mut Frame<'_>) {
        self.draw(state, frame);
        look::apply(state.settings.look, frame.buffer_mut());
    }

    fn draw(&mut self, state: &AppState, frame: &mut Frame<'_>) {
        let area = frame.area();
        self.tabs.clear();
        self.rows.clear();
        self.messages = Rect::default();
        if area.width < 10 || area.height < 5 {
            Line::styled(
                "ttvchat: the window is too small",
                Style::new().fg(Color::Yellow),
            )
            .render(area, frame.buffer_mut());
            return;
        }
        let input_height = input::height(state, area.width);
        let [tabs_area, room_area, body, input_area, status_area] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Min(1),
            Constraint::Length(input_height),
            Constraint::Length(1),
        ])
        .areas(area);
        let buf = frame.buffer_mut();
        self.tabs = tabs::render(state, tabs_area, buf);
        roomstate::render(state, room_area, buf);
        if let Some(chan) = state.focused() {
            let (messages_area, users_area) = split_users(state, body);
            self.rows = messages::render(state, chan, messages_area, buf, &mut self.layouts);
            self.messages = messages_area;
            if let Some(users_area) = users_area {
                users::render(state, chan, users_area, buf);
            }
        }
        let cursor = input::render(state, input_area, buf);
        if let Some(completion) = &state.completion
            && body.height > 1
        {
            let row = Rect {
                y: body.bottom() - 1,
                height: 1,
                ..body
            };
            input::render_completion(completion, row, buf);
        }
        status::render(state, status_area, buf);
        match &state.overlay {
            Some(Overlay::Help { scroll, filter }) => {
                popup::render(state, *scroll, filter, area, frame.buffer_mut())
            }
            Some(Overlay::Card(view)) => card::render_card(state, view, area, frame.buffer_mut()),
            Some(Overlay::Log { scroll }) => {
                popup::render_log(state, *scroll, area, frame.buffer_mut())
            }
            Some(Overlay::ModLog { scroll, filter }) => {
                popup::render_mod_log(state, *scroll, filter, area, frame.buffer_mut())
            }
            Some(Overlay::Confirm { question, .. }) => {
                card::render_confirm(state, question, area, frame.buffer_mut())
            }
            None => {
                if let Some(position) = cursor {
                    frame.set_cursor_position(position);
                }
            }
        }
    }
}

fn split_users(state: &AppState, body: Rect) -> (Rect, Option<Rect>) {
    if !state.show_users || body.width < USERS_WIDTH * 2 {
        return (body, None);
    }
    let [left, right] =
        Layout::horizontal([Constraint::Min(1), Constraint::Length(USERS_WIDTH)]).areas(body);
    (left, Some(right))
}

/// Blanks `popup` for an overlay. A wide character whose second cell lies under the popup's left
/// edge is blanked too: drawn, it would cover the border.
fn clear_popup(popup: Rect, buf: &mut Buffer) {
    Clear.render(popup, buf);
    let Some(left) = popup.x.checked_sub(1).filter(|x| *x >= buf.area.x) else {
        return;
    };
    for y in popup.top()..popup.bottom() {
        let cell = &mut buf[(left, y)];
        if wrap::width(cell.symbol()) > 1 {
            cell.set_symbol(" ");
        }
    }
}
