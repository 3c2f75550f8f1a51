//! The help overlay as data: every bound key (from the live keymap, so rebinding shows), the keys
//! handled outside the keymap, and every slash-command (from the command table); and the rows it
//! gets on screen, so scrolling stops at the last page. The view only draws it.

use super::Settings;
use super::command::COMMANDS;
use super::keymap::Action;
use super::modkeys::ModAction;
use super::update::short_duration;

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
    (
        "Esc",
        "close overlays or modes; restore a draft; drop a reply",
    ),
    (
        "in selection: ↑ ↓ g G c",
        "move, oldest, newest, copy; other letters type",
    ),
    ("in search: Enter ↑ ↓", "older / newer match"),
    (
        "in help: ↑ ↓ PgUp PgDn",
        "scroll this help (Home / End: top / bottom)",
    ),
];

/// One row of the help.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HelpLine {
    Heading(&'static str),
    Row { keys: String, what: String },
    Blank,
}

/// The whole help, top to bottom.
pub fn lines(settings: &Settings) -> Vec<HelpLine> {
    let mut lines = vec![HelpLine::Heading("Keys")];
    for (action, _, what) in Action::ALL {
        let keys = if let Action::GoTab(_) = action {
            "Alt-1 .. Alt-9".to_owned()
        } else {
            let keys: Vec<String> = settings
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
        lines.push(HelpLine::Row {
            keys,
            what: what.to_owned(),
        });
    }
    for (keys, what) in FIXED {
        lines.push(HelpLine::Row {
            keys: keys.to_owned(),
            what: what.to_owned(),
        });
    }
    lines.push(HelpLine::Blank);
    lines.push(HelpLine::Heading(
        "On the selected message (Ctrl-S), or in a user card",
    ));
    let keys_of = |action| {
        let keys: Vec<String> = settings
            .modkeys
            .keys_for(action)
            .iter()
            .map(|k| k.to_string())
            .collect();
        keys.join(", ")
    };
    for (action, _, what) in ModAction::ALL {
        lines.push(HelpLine::Row {
            keys: keys_of(action),
            what: what.to_owned(),
        });
    }
    let presets: Vec<String> = settings
        .modkeys
        .presets
        .iter()
        .map(|s| short_duration(*s))
        .collect();
    lines.push(HelpLine::Row {
        keys: "1 .. 9".to_owned(),
        what: format!("time its author out for {}", presets.join(" / ")),
    });
    lines.push(HelpLine::Blank);
    lines.push(HelpLine::Heading("Commands"));
    for command in COMMANDS {
        lines.push(HelpLine::Row {
            keys: command.usage.to_owned(),
            what: command.help.to_owned(),
        });
    }
    lines
}

/// Rows of help shown in a terminal `height` rows tall (a margin and a border above and below),
/// out of `total`.
pub fn visible_rows(height: u16, total: usize) -> usize {
    usize::from(height.saturating_sub(4)).clamp(1, total.max(1))
}
