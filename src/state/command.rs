//! Slash-commands typed in the input line: one static table ([`COMMANDS`]: name, aliases,
//! usage, help, the role and scopes it needs) drives parsing, `/help [command]`, the help
//! overlay and Tab completion. `"/timeout bob 10m spam"` becomes a [`UserCommand`] or a
//! [`CommandError`] that says what is wrong; a line that does not start with `/` is chat.
//! Pure: no I/O; whether the user may run a command is decided in `update`.

pub mod args;
mod table;

use crate::twitch::Login;
use crate::twitch::helix::{AnnounceColor, Call, ChatSettings, Treatment};

pub use args::{parse_duration, parse_minutes};
pub use table::COMMANDS;

/// Who may run a command in a channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Role {
    Anyone,
    Moderator,
    Broadcaster,
}

/// A command: its name, other names, usage, what it does and what it needs.
#[derive(Debug, PartialEq, Eq)]
pub struct Spec {
    pub name: &'static str,
    pub aliases: &'static [&'static str],
    pub usage: &'static str,
    pub help: &'static str,
    pub role: Role,
    /// OAuth scopes, any one of which is enough; empty: none needed.
    pub scopes: &'static [&'static str],
}

impl Spec {
    /// The command with this name or alias.
    pub fn find(name: &str) -> Option<&'static Spec> {
        let name = name.trim_start_matches('/').to_ascii_lowercase();
        COMMANDS
            .iter()
            .find(|c| c.name == name || c.aliases.contains(&name.as_str()))
    }

    /// `/help timeout`: usage, what it does, and who may use it.
    pub fn describe(&self) -> String {
        let mut text = format!("{} — {}", self.usage, self.help);
        if !self.aliases.is_empty() {
            let aliases: Vec<String> = self.aliases.iter().map(|a| format!("/{a}")).collect();
            text.push_str(&format!(" (also {})", aliases.join(", ")));
        }
        match self.role {
            Role::Anyone => {}
            Role::Moderator => text.push_str(". Moderators and the broadcaster only"),
            Role::Broadcaster => text.push_str(". The broadcaster only"),
        }
        if !self.scopes.is_empty() {
            text.push_str(&format!("; needs the {} scope", self.scopes.join(" or ")));
        }
        text.push('.');
        text
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UserCommand {
    Join(Vec<Login>),
    /// Leave the named channel, or the focused one.
    Part(Option<Login>),
    Quit,
    Me(String),
    /// The help overlay, or one command's help.
    Help(Option<&'static Spec>),
    /// Reply to the newest message of `user` in this channel.
    Reply {
        user: Login,
        text: String,
    },
    /// Open the user card.
    User(Login),
    /// Something Helix does.
    Helix(Call),
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CommandError {
    #[error("unknown command /{0} (/help lists the commands)")]
    Unknown(String),
    #[error("usage: {0}")]
    Usage(&'static str),
    #[error("{0}")]
    Invalid(String),
}

/// `None` for chat; the command and its table entry, or why it is not one.
pub fn parse(line: &str) -> Option<Result<(&'static Spec, UserCommand), CommandError>> {
    let rest = line.strip_prefix('/')?;
    let (name, args) = rest.split_once(' ').unwrap_or((rest, ""));
    let Some(spec) = Spec::find(name) else {
        return Some(Err(CommandError::Unknown(name.to_ascii_lowercase())));
    };
    Some(command(spec, args.trim()).map(|c| (spec, c)))
}

/// The commands whose name starts with `prefix` (without the slash), for completion.
pub fn complete(prefix: &str) -> Vec<String> {
    let prefix = prefix.to_ascii_lowercase();
    COMMANDS
        .iter()
        .flat_map(|c| std::iter::once(c.name).chain(c.aliases.iter().copied()))
        .filter(|name| name.starts_with(&prefix))
        .map(|name| format!("/{name}"))
        .collect()
}

fn command(spec: &'static Spec, args: &str) -> Result<UserCommand, CommandError> {
    use UserCommand as U;
    let mut a = args::Args::new(spec, args);
    let settings = |change: ChatSettings| U::Helix(Call::Settings(change));
    let on = spec.name.ends_with("off").then_some(false).or(Some(true));
    let command = match spec.name {
        "join" => U::Join(a.logins()?),
        "part" => U::Part(a.optional_login()?),
        "quit" => U::Quit,
        "help" => U::Help(match a.rest() {
            "" => None,
            name => Some(Spec::find(name).ok_or_else(|| CommandError::Unknown(name.to_owned()))?),
        }),
        "me" => U::Me(a.text()?),
        "reply" => U::Reply {
            user: a.login()?,
            text: a.text()?,
        },
        "user" => U::User(a.login()?),
        "w" => U::Helix(Call::Whisper {
            to: a.login()?,
            text: a.text()?,
        }),
        "ban" => U::Helix(Call::Ban {
            user: a.login()?,
            reason: a.rest().to_owned(),
        }),
        "unban" => U::Helix(Call::Unban { user: a.login()? }),
        "timeout" => {
            let user = a.login()?;
            let seconds = a.timeout()?;
            U::Helix(Call::Timeout {
                user,
                seconds,
                reason: a.rest().to_owned(),
            })
        }
        "untimeout" => U::Helix(Call::Untimeout { user: a.login()? }),
        "delete" => U::Helix(Call::Delete {
            message_id: a.word()?.to_owned(),
        }),
        "clear" => U::Helix(Call::Clear),
        "slow" => settings(ChatSettings {
            slow: Some(Some(a.slow()?)),
            ..ChatSettings::default()
        }),
        "slowoff" => settings(ChatSettings {
            slow: Some(None),
            ..ChatSettings::default()
        }),
        "followers" => settings(ChatSettings {
            followers: Some(Some(a.followers()?)),
            ..ChatSettings::default()
        }),
        "followersoff" => settings(ChatSettings {
            followers: Some(None),
            ..ChatSettings::default()
        }),
        "subscribers" | "subscribersoff" => settings(ChatSettings {
            subscribers: on,
            ..ChatSettings::default()
        }),
        "emoteonly" | "emoteonlyoff" => settings(ChatSettings {
            emote_only: on,
            ..ChatSettings::default()
        }),
        "uniquechat" | "uniquechatoff" => settings(ChatSettings {
            unique: on,
            ..ChatSettings::default()
        }),
        name if name.starts_with("announce") => U::Helix(Call::Announce {
            message: a.text()?,
            color: AnnounceColor::ALL
                .into_iter()
                .find(|c| name == format!("announce{}", c.as_str()))
                .unwrap_or_default(),
        }),
        "shoutout" => U::Helix(Call::Shoutout { to: a.login()? }),
        "raid" => U::Helix(Call::Raid { to: a.login()? }),
        "unraid" => U::Helix(Call::Unraid),
        "mod" => U::Helix(Call::Mod { user: a.login()? }),
        "unmod" => U::Helix(Call::Unmod { user: a.login()? }),
        "mods" => U::Helix(Call::Mods),
        "vip" => U::Helix(Call::Vip { user: a.login()? }),
        "unvip" => U::Helix(Call::Unvip { user: a.login()? }),
        "vips" => U::Helix(Call::Vips),
        "warn" => U::Helix(Call::Warn {
            user: a.login()?,
            reason: a.text()?,
        }),
        "monitor" | "restrict" | "unmonitor" | "unrestrict" => U::Helix(Call::Suspicion {
            user: a.login()?,
            treatment: match spec.name {
                "monitor" => Treatment::Monitored,
                "restrict" => Treatment::Restricted,
                _ => Treatment::None,
            },
        }),
        "approve-unban" | "deny-unban" => U::Helix(Call::ResolveUnban {
            user: a.login()?,
            approve: spec.name == "approve-unban",
            text: a.rest().to_owned(),
        }),
        "shield" => U::Helix(Call::Shield { on: true }),
        "shieldoff" => U::Helix(Call::Shield { on: false }),
        "color" => U::Helix(Call::Color { color: a.color()? }),
        "chatters" => U::Helix(Call::Chatters),
        other => unreachable!("/{other} is in the table but has no parser"),
    };
    a.done()?;
    Ok(command)
}
