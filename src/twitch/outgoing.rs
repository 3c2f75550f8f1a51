//! Typed client commands and their wire form.
//!
//! Every command writes exactly one IRC line (without CR LF): message text cannot smuggle a
//! second line, because CR and LF become spaces and NUL is dropped; channel names are
//! [`Login`]s, valid by construction. The PASS token never shows in `Debug` output, and
//! [`ClientCommand::redacted`] gives a form safe for logs.

use std::borrow::Cow;
use std::fmt;

use super::irc::Line;
use super::login::Login;

/// An OAuth access token. `Debug` never shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct Token(String);

impl Token {
    /// Accepts the token with or without its `oauth:` prefix, surrounding spaces trimmed.
    pub fn new(token: &str) -> Token {
        let token = token.trim();
        Token(token.strip_prefix("oauth:").unwrap_or(token).to_owned())
    }

    /// The bare token, for the wire and the Authorization header only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(<redacted>)")
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClientCommand {
    Pass(Token),
    Nick(Login),
    CapReq(Vec<String>),
    /// One JOIN for many channels (`JOIN #a,#b`).
    Join(Vec<Login>),
    Part(Login),
    Privmsg {
        channel: Login,
        text: String,
        /// Sent as a `/me` action.
        action: bool,
        /// The id of the message this replies to (`reply-parent-msg-id`).
        reply_to: Option<String>,
    },
    Ping(String),
    Pong(Option<String>),
}

impl ClientCommand {
    /// The line as it may appear in logs: the PASS token is replaced.
    pub fn redacted(&self) -> Redacted<'_> {
        Redacted(self)
    }
}

/// A [`ClientCommand`] displayed with its secret replaced by `<redacted>`.
pub struct Redacted<'a>(&'a ClientCommand);

impl fmt::Display for Redacted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            ClientCommand::Pass(_) => f.write_str("PASS oauth:<redacted>"),
            other => other.fmt(f),
        }
    }
}

/// CR and LF become spaces (a pasted second line joins the first), NUL is dropped.
fn one_line(text: &str) -> Cow<'_, str> {
    if !text.contains(['\r', '\n', '\0']) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut last_was_break = false;
    for c in text.chars() {
        match c {
            '\r' | '\n' => {
                if !last_was_break {
                    out.push(' ');
                }
                last_was_break = true;
            }
            '\0' => {}
            c => {
                out.push(c);
                last_was_break = false;
            }
        }
    }
    Cow::Owned(out)
}

impl fmt::Display for ClientCommand {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ClientCommand::Pass(token) => {
                let pass = format!("oauth:{}", token.expose());
                Line::new("PASS", &[&pass]).fmt(f)
            }
            ClientCommand::Nick(login) => Line::new("NICK", &[login.as_str()]).fmt(f),
            ClientCommand::CapReq(caps) => Line::new("CAP", &["REQ", &caps.join(" ")]).fmt(f),
            ClientCommand::Join(channels) => {
                let list = channels
                    .iter()
                    .map(|c| format!("#{c}"))
                    .collect::<Vec<_>>()
                    .join(",");
                Line::new("JOIN", &[&list]).fmt(f)
            }
            ClientCommand::Part(channel) => Line::new("PART", &[&format!("#{channel}")]).fmt(f),
            ClientCommand::Privmsg {
                channel,
                text,
                action,
                reply_to,
            } => {
                let target = format!("#{channel}");
                let text = one_line(text);
                let body = if *action {
                    Cow::Owned(format!("\x01ACTION {text}\x01"))
                } else {
                    text
                };
                let tags: &[(&str, &str)] = match reply_to {
                    Some(id) => &[("reply-parent-msg-id", id)],
                    None => &[],
                };
                Line {
                    tags,
                    trailing: true,
                    ..Line::new("PRIVMSG", &[&target, &body])
                }
                .fmt(f)
            }
            ClientCommand::Ping(argument) => Line::new("PING", &[argument]).fmt(f),
            // The argument echoed as Twitch writes its own: `PONG :tmi.twitch.tv`.
            ClientCommand::Pong(argument) => match argument {
                Some(argument) => Line {
                    trailing: true,
                    ..Line::new("PONG", &[argument])
                }
                .fmt(f),
                None => Line::new("PONG", &[]).fmt(f),
            },
        }
    }
}
