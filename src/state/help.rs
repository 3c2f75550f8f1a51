//! The help overlay as data: every mode's keys (from the live keymap, so rebinding shows), a
//! legend of the badges and marks on messages, and every slash-command (from the command
//! table), filtered by what the user typed; and the rows it gets on screen, so scrolling stops
//! at the last page. The view only draws it.

use super::Settings;
use super::command::COMMANDS;
use super::keymap::{Action, Described, KeyMode, described};
use super::message::BadgeKind;
use super::update::short_duration;

/// One row of the help.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HelpLine {
    Heading(&'static str),
    Row {
        keys: String,
        what: String,
    },
    /// A badge as messages show it, and what it means.
    Badge {
        badge: BadgeKind,
        what: &'static str,
    },
    Blank,
}

/// The badges in the legend.
fn badges() -> Vec<(BadgeKind, &'static str)> {
    vec![
        (BadgeKind::Broadcaster, "broadcaster"),
        (BadgeKind::Moderator, "moderator"),
        (BadgeKind::Vip, "VIP"),
        (
            BadgeKind::Subscriber {
                tier: 1,
                months: Some(14),
            },
            "subscriber (for 14 months)",
        ),
        (BadgeKind::Founder, "founder"),
        (BadgeKind::Prime, "Prime Gaming"),
        (BadgeKind::Turbo, "Turbo"),
        (BadgeKind::Partner, "verified partner"),
        (BadgeKind::Staff, "Twitch staff"),
        (BadgeKind::Bits(100), "bits"),
        (BadgeKind::Predictions { pink: false }, "predicted"),
    ]
}

/// Marks messages carry besides badges.
const MARKS: [(&str, &str); 7] = [
    ("✦ first", "their first message in this channel"),
    ("◆ 100", "cheered 100 bits"),
    ("♦ $5", "a paid (Hype Chat) message"),
    ("↪", "the message it replies to"),
    ("⏳", "yours, waiting for slow mode or the rate limit"),
    ("✗", "yours, not sent (the reason, and the retry key)"),
    ("▌", "an alert: subs, gifts, raids, announcements"),
];

/// The help's rows, top to bottom; with a `filter`, only rows that contain it (any case),
/// under their headings.
pub fn lines(settings: &Settings, filter: &str) -> Vec<HelpLine> {
    let mut sections: Vec<(&'static str, Vec<HelpLine>)> = Vec::new();
    let table = described();
    for mode in KeyMode::ALL {
        let rows = table
            .iter()
            .filter(|d| d.mode == mode && d.action.number().is_none_or(|n| n == 1))
            .filter_map(|d| key_row(settings, &table, d))
            .collect();
        sections.push((mode.title(), rows));
    }
    let legend = badges()
        .into_iter()
        .map(|(badge, what)| HelpLine::Badge { badge, what })
        .chain(MARKS.iter().map(|(keys, what)| HelpLine::Row {
            keys: (*keys).to_owned(),
            what: (*what).to_owned(),
        }))
        .collect();
    sections.push(("Badges and marks", legend));
    let commands = COMMANDS
        .iter()
        .map(|command| HelpLine::Row {
            keys: command.usage.to_owned(),
            what: command.help.to_owned(),
        })
        .collect();
    sections.push(("Commands", commands));
    let needle = filter.to_lowercase();
    let keep = |line: &HelpLine| match line {
        HelpLine::Row { keys, what } => {
            keys.to_lowercase().contains(&needle) || what.to_lowercase().contains(&needle)
        }
        HelpLine::Badge { what, .. } => what.to_lowercase().contains(&needle),
        HelpLine::Heading(_) | HelpLine::Blank => false,
    };
    let mut out = Vec::new();
    for (title, rows) in sections {
        let rows: Vec<HelpLine> = rows.into_iter().filter(|r| keep(r)).collect();
        if rows.is_empty() {
            continue;
        }
        if !out.is_empty() && needle.is_empty() {
            out.push(HelpLine::Blank);
        }
        out.push(HelpLine::Heading(title));
        out.extend(rows);
    }
    out
}

/// The row of one action (a numbered family as one row); `None` when it has no key.
fn key_row(settings: &Settings, table: &[Described], d: &Described) -> Option<HelpLine> {
    let keymap = &settings.keymap;
    if d.action.number().is_none() {
        let keys: Vec<String> = keymap
            .keys(d.mode, d.action)
            .iter()
            .map(ToString::to_string)
            .collect();
        return (!keys.is_empty()).then(|| HelpLine::Row {
            keys: keys.join(", "),
            what: d.what.clone(),
        });
    }
    let family: Vec<&Described> = table
        .iter()
        .filter(|m| {
            m.mode == d.mode
                && std::mem::discriminant(&m.action) == std::mem::discriminant(&d.action)
        })
        .collect();
    let keys: Vec<Vec<String>> = family
        .iter()
        .map(|m| {
            keymap
                .keys(m.mode, m.action)
                .iter()
                .map(ToString::to_string)
                .collect()
        })
        .collect();
    if keys.iter().all(Vec::is_empty) {
        return None;
    }
    let keys = if keys.iter().all(|k| k.len() == 1) {
        format!("{} .. {}", keys[0][0], keys[keys.len() - 1][0])
    } else {
        keys.concat().join(", ")
    };
    let what = match d.action {
        Action::Preset(_) => {
            let presets: Vec<String> = settings
                .timeouts
                .iter()
                .map(|s| short_duration(*s))
                .collect();
            format!("time out for {}", presets.join(" / "))
        }
        _ => d.what.clone(),
    };
    Some(HelpLine::Row { keys, what })
}

/// Rows of help shown in a terminal `height` rows tall (a margin and a border above and below,
/// and the filter line), out of `total`.
pub fn visible_rows(height: u16, total: usize) -> usize {
    usize::from(height.saturating_sub(5)).clamp(1, total.max(1))
}

/// A row per action of `mode` for the documents, numbered families as one row: the config
/// name, the default keys (as `key` writes them) and what it does.
fn documented(
    mode: KeyMode,
    key: impl Fn(&super::keymap::Key) -> String,
) -> Vec<(String, String, String)> {
    let table = described();
    let mut rows = Vec::new();
    for d in table.iter().filter(|d| d.mode == mode) {
        match d.action.number() {
            Some(1) => {
                let last = table
                    .iter()
                    .rfind(|m| {
                        m.mode == mode
                            && std::mem::discriminant(&m.action)
                                == std::mem::discriminant(&d.action)
                    })
                    .expect("a family has a last member");
                let keys = format!("{} .. {}", key(&d.defaults[0]), key(&last.defaults[0]));
                let name = format!("{} .. {}", d.name, last.name);
                let what = match d.action {
                    Action::Preset(_) => {
                        "time out for preset 1..9 ([moderation] timeouts)".to_owned()
                    }
                    _ => d.what.clone(),
                };
                rows.push((name, keys, what));
            }
            Some(_) => {}
            None => {
                let keys: Vec<String> = d.defaults.iter().map(&key).collect();
                rows.push((d.name.clone(), keys.join(", "), d.what.clone()));
            }
        }
    }
    rows
}

/// The README's key tables: every mode's keys, their defaults and config names.
pub fn markdown() -> String {
    let mut out = String::new();
    for mode in KeyMode::ALL {
        out.push_str(&format!(
            "**{}** (`[keys.{}]`)\n\n| Keys | Action | Does |\n|---|---|---|\n",
            mode.title(),
            mode.name()
        ));
        for (name, keys, what) in documented(mode, |k| k.to_string()) {
            let keys: Vec<String> = keys.split(", ").map(|k| format!("`{k}`")).collect();
            out.push_str(&format!("| {} | `{name}` | {what} |\n", keys.join(" ")));
        }
        out.push('\n');
    }
    out
}

/// The documented config's `[keys.<mode>]` defaults, commented out.
pub fn config_defaults() -> String {
    let mut out = String::new();
    for mode in KeyMode::ALL {
        out.push_str(&format!("#\n# [keys.{}]   {}\n", mode.name(), mode.title()));
        for (name, keys, what) in documented(mode, |k| format!("\"{}\"", k.config())) {
            let keys = if name.contains("..") {
                keys
            } else {
                format!("[{keys}]")
            };
            out.push_str(&format!("# {:<34} # {what}\n", format!("{name} = {keys}")));
        }
    }
    out
}
