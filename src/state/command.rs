//! Slash-commands typed in the input line: one static table drives parsing, `/help` and
//! completion. `"/join #x"` becomes a [`UserCommand`] or a [`CommandError`] that says what is
//! wrong; a line that does not start with `/` is chat.

use crate::twitch::Login;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UserCommand {
    Join(Vec<Login>),
    /// Leave the named channel, or the focused one.
    Part(Option<Login>),
    Quit,
    Me(String),
    Help,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CommandError {
    #[error("unknown command /{0} (F1 lists the commands)")]
    Unknown(String),
    #[error("usage: {0}")]
    Usage(&'static str),
    #[error("{0}")]
    BadChannel(String),
}

/// A command: its name, usage and what it does.
pub struct Spec {
    pub name: &'static str,
    pub usage: &'static str,
    pub help: &'static str,
}

pub const COMMANDS: &[Spec] = &[
    Spec {
        name: "join",
        usage: "/join #channel [#channel ...]",
        help: "join channels (each gets a tab)",
    },
    Spec {
        name: "part",
        usage: "/part [#channel]",
        help: "leave this channel, or the one named",
    },
    Spec {
        name: "me",
        usage: "/me text",
        help: "say something as an action",
    },
    Spec {
        name: "help",
        usage: "/help",
        help: "show keys and commands",
    },
    Spec {
        name: "quit",
        usage: "/quit",
        help: "leave ttvchat",
    },
];

fn usage(name: &str) -> &'static str {
    COMMANDS
        .iter()
        .find(|c| c.name == name)
        .map_or("", |c| c.usage)
}

/// `None` for chat; a command or the reason it is not one otherwise.
pub fn parse(line: &str) -> Option<Result<UserCommand, CommandError>> {
    let rest = line.strip_prefix('/')?;
    let (name, args) = rest.split_once(' ').unwrap_or((rest, ""));
    let name = name.to_ascii_lowercase();
    let args = args.trim();
    let login = |s: &str| Login::parse(s).map_err(|e| CommandError::BadChannel(e.to_string()));
    Some(match name.as_str() {
        "join" if args.is_empty() => Err(CommandError::Usage(usage("join"))),
        "join" => args
            .split([' ', ','])
            .filter(|a| !a.is_empty())
            .map(login)
            .collect::<Result<Vec<_>, _>>()
            .map(UserCommand::Join),
        "part" | "leave" if args.is_empty() => Ok(UserCommand::Part(None)),
        "part" | "leave" => login(args).map(|l| UserCommand::Part(Some(l))),
        "me" if args.is_empty() => Err(CommandError::Usage(usage("me"))),
        "me" => Ok(UserCommand::Me(args.to_owned())),
        "help" => Ok(UserCommand::Help),
        "quit" | "exit" => Ok(UserCommand::Quit),
        _ => Err(CommandError::Unknown(name)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_parse_or_explain() {
        assert_eq!(parse("hello"), None);
        let join = parse("/join #a, b").unwrap().unwrap();
        assert_eq!(
            join,
            UserCommand::Join(vec![Login::parse("a").unwrap(), Login::parse("b").unwrap()])
        );
        assert_eq!(parse("/part"), Some(Ok(UserCommand::Part(None))));
        assert_eq!(
            parse("/me waves"),
            Some(Ok(UserCommand::Me("waves".into())))
        );
        assert_eq!(
            parse("/join"),
            Some(Err(CommandError::Usage("/join #channel [#channel ...]")))
        );
        assert!(matches!(
            parse("/join bad-name"),
            Some(Err(CommandError::BadChannel(_)))
        ));
        assert_eq!(
            parse("/dance"),
            Some(Err(CommandError::Unknown("dance".into())))
        );
    }
}
