//! IRCv3 framing: one raw line in, an [`IrcMessage`] that borrows from it out, and lines back out.
//!
//! Owns tag (un)escaping, the tags/source/command/params split with RFC 1459 spacing (one or more
//! spaces between atoms), and the rejection rules of the parse schema. It knows nothing about
//! Twitch and does no I/O. Parsing allocates nothing: tags and params are walked lazily over the
//! borrowed line, and a tag value is only copied when it actually contains an escape.

use std::borrow::Cow;
use std::fmt::{self, Write as _};

use memchr::{memchr, memchr3};

use super::scan::{find, find2};

/// Why a line is not an IRC message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    #[error("empty line")]
    Empty,
    #[error("line contains a CR, LF or NUL character")]
    ForbiddenCharacter,
    #[error("line starts with a space")]
    LeadingSpace,
    #[error("'@' is not followed by any tags")]
    EmptyTags,
    #[error("':' is not followed by a source")]
    EmptySource,
    #[error("source has an empty user or host part")]
    MalformedSource,
    #[error("no command")]
    MissingCommand,
    #[error("command is neither letters only nor a three-digit number")]
    InvalidCommand,
}

/// One parsed IRC line, borrowing every part from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IrcMessage<'a> {
    tags: Tags<'a>,
    source: Option<&'a str>,
    command: &'a str,
    params: &'a str,
}

impl<'a> IrcMessage<'a> {
    /// Parses one line (without its CR LF).
    pub fn parse(line: &'a str) -> Result<Self, ParseError> {
        if line.is_empty() {
            return Err(ParseError::Empty);
        }
        if memchr3(b'\r', b'\n', 0, line.as_bytes()).is_some() {
            return Err(ParseError::ForbiddenCharacter);
        }
        if line.starts_with(' ') {
            return Err(ParseError::LeadingSpace);
        }
        let mut rest = line;
        let mut tags = Tags { raw: "" };
        if let Some(after) = rest.strip_prefix('@') {
            let (raw, more) = split_word(after);
            if raw.is_empty() {
                return Err(ParseError::EmptyTags);
            }
            tags = Tags { raw };
            rest = more.trim_start_matches(' ');
        }
        let mut source = None;
        if let Some(after) = rest.strip_prefix(':') {
            let (raw, more) = split_word(after);
            if raw.is_empty() {
                return Err(ParseError::EmptySource);
            }
            if !valid_source(raw) {
                return Err(ParseError::MalformedSource);
            }
            source = Some(raw);
            rest = more.trim_start_matches(' ');
        }
        let (command, params) = split_word(rest);
        if command.is_empty() {
            return Err(ParseError::MissingCommand);
        }
        if !valid_command(command) {
            return Err(ParseError::InvalidCommand);
        }
        Ok(IrcMessage {
            tags,
            source,
            command,
            params,
        })
    }

    pub fn tags(&self) -> Tags<'a> {
        self.tags
    }

    /// The prefix without its leading `:` (`nick!user@host`, or a server name).
    pub fn source(&self) -> Option<&'a str> {
        self.source
    }

    /// The nick of the source: the part before `!` or `@`, or the whole source when it has neither.
    pub fn nick(&self) -> Option<&'a str> {
        self.source
            .map(|s| find2(s.as_bytes(), b'!', b'@').map_or(s, |end| &s[..end]))
    }

    /// The command exactly as received (`PRIVMSG`, `001`, ...).
    pub fn command(&self) -> &'a str {
        self.command
    }

    pub fn params(&self) -> Params<'a> {
        Params { rest: self.params }
    }

    pub fn param(&self, index: usize) -> Option<&'a str> {
        self.params().nth(index)
    }

    pub fn last_param(&self) -> Option<&'a str> {
        self.params().last()
    }
}

impl fmt::Display for IrcMessage<'_> {
    /// Writes the message back as one canonical line (single spaces, tags as received).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.tags.raw.is_empty() {
            write!(f, "@{} ", self.tags.raw)?;
        }
        if let Some(source) = self.source {
            write!(f, ":{source} ")?;
        }
        f.write_str(self.command)?;
        write_params(f, self.params(), false)
    }
}

/// Splits at the first space: the word before it and everything after it.
fn split_word(s: &str) -> (&str, &str) {
    match memchr(b' ', s.as_bytes()) {
        Some(i) => (&s[..i], &s[i + 1..]),
        None => (s, ""),
    }
}

/// A `user` or `host` part, when present, must not be empty. The nick may be (Twitch has sent
/// `:!login@login.tmi.twitch.tv`).
fn valid_source(source: &str) -> bool {
    let (nick_user, host) = match source.split_once('@') {
        Some((before, host)) => (before, Some(host)),
        None => (source, None),
    };
    let user = nick_user.split_once('!').map(|(_, user)| user);
    user.is_none_or(|u| !u.is_empty()) && host.is_none_or(|h| !h.is_empty())
}

fn valid_command(command: &str) -> bool {
    let bytes = command.as_bytes();
    bytes.iter().all(u8::is_ascii_alphabetic)
        || (bytes.len() == 3 && bytes.iter().all(u8::is_ascii_digit))
}

/// The tags of a message, still escaped; walked on demand.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Tags<'a> {
    raw: &'a str,
}

impl<'a> Tags<'a> {
    /// Every `key=value` entry in line order; a repeated key appears once per occurrence.
    pub fn iter(&self) -> TagIter<'a> {
        TagIter { rest: self.raw }
    }

    /// The unescaped value of `key`; the last occurrence wins, a tag without `=` is `""`.
    pub fn get(&self, key: &str) -> Option<Cow<'a, str>> {
        self.iter()
            .filter(|(k, _)| *k == key)
            .last()
            .map(|(_, v)| v.unescape())
    }

    pub fn is_empty(&self) -> bool {
        self.iter().next().is_none()
    }

    /// Every tag unescaped and owned, each key once with its last value, in order of first
    /// appearance.
    pub fn to_owned_pairs(&self) -> Vec<(String, String)> {
        let mut pairs: Vec<(String, String)> = Vec::new();
        for (key, value) in self.iter() {
            let value = value.unescape().into_owned();
            match pairs.iter_mut().find(|(k, _)| k == key) {
                Some(pair) => pair.1 = value,
                None => pairs.push((key.to_owned(), value)),
            }
        }
        pairs
    }
}

/// Iterator over the entries of [`Tags`]; empty entries (`a;;b`) and empty keys are skipped.
#[derive(Debug, Clone)]
pub struct TagIter<'a> {
    rest: &'a str,
}

impl<'a> Iterator for TagIter<'a> {
    type Item = (&'a str, TagValue<'a>);

    fn next(&mut self) -> Option<Self::Item> {
        while !self.rest.is_empty() {
            let bytes = self.rest.as_bytes();
            let key_end = find2(bytes, b'=', b';').unwrap_or(bytes.len());
            let key = &self.rest[..key_end];
            let value = if bytes.get(key_end) == Some(&b'=') {
                let value = &self.rest[key_end + 1..];
                let value_end = find(value.as_bytes(), b';').unwrap_or(value.len());
                self.rest = value.get(value_end + 1..).unwrap_or("");
                &value[..value_end]
            } else {
                self.rest = self.rest.get(key_end + 1..).unwrap_or("");
                ""
            };
            if !key.is_empty() {
                return Some((key, TagValue(value)));
            }
        }
        None
    }
}

/// A tag value as it appears on the wire (escaped).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TagValue<'a>(pub &'a str);

impl<'a> TagValue<'a> {
    pub fn raw(self) -> &'a str {
        self.0
    }

    pub fn unescape(self) -> Cow<'a, str> {
        unescape_tag_value(self.0)
    }
}

/// IRCv3 tag value unescaping: `\:` `\s` `\\` `\r` `\n`; an unknown escape drops the backslash and a
/// trailing lone backslash is dropped. Borrows when there is nothing to unescape.
pub fn unescape_tag_value(raw: &str) -> Cow<'_, str> {
    let Some(first) = find(raw.as_bytes(), b'\\') else {
        return Cow::Borrowed(raw);
    };
    let mut out = String::with_capacity(raw.len());
    out.push_str(&raw[..first]);
    let mut chars = raw[first..].chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some(':') => out.push(';'),
            Some('s') => out.push(' '),
            Some('r') => out.push('\r'),
            Some('n') => out.push('\n'),
            Some(other) => out.push(other),
            None => {}
        }
    }
    Cow::Owned(out)
}

/// Appends `value` escaped for a tag. NUL cannot be carried and is dropped.
pub fn escape_tag_value(value: &str, out: &mut impl fmt::Write) -> fmt::Result {
    for c in value.chars() {
        match c {
            ';' => out.write_str("\\:")?,
            ' ' => out.write_str("\\s")?,
            '\\' => out.write_str("\\\\")?,
            '\r' => out.write_str("\\r")?,
            '\n' => out.write_str("\\n")?,
            '\0' => {}
            c => out.write_char(c)?,
        }
    }
    Ok(())
}

/// Iterator over the params: middle params split on runs of spaces, then the trailing one
/// (after ` :`, kept verbatim, spaces and all).
#[derive(Debug, Clone)]
pub struct Params<'a> {
    rest: &'a str,
}

impl<'a> Iterator for Params<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let rest = self.rest.trim_start_matches(' ');
        if rest.is_empty() {
            self.rest = rest;
            return None;
        }
        if let Some(trailing) = rest.strip_prefix(':') {
            self.rest = "";
            return Some(trailing);
        }
        let (word, more) = split_word(rest);
        self.rest = more;
        Some(word)
    }
}

/// An outgoing or simulated line built from unescaped parts. Whatever the parts hold, it always
/// writes exactly one line (without CR LF): tag values are escaped, CR, LF and NUL are dropped
/// everywhere, spaces are dropped from every atom but the last param, and the last param gets
/// its `:` when it needs one.
#[derive(Debug, Clone, Copy)]
pub struct Line<'a> {
    pub tags: &'a [(&'a str, &'a str)],
    pub source: Option<&'a str>,
    pub command: &'a str,
    pub params: &'a [&'a str],
    /// The last param always gets its `:` (message text, as Twitch's own clients send it),
    /// not only when it needs one.
    pub trailing: bool,
}

impl<'a> Line<'a> {
    pub fn new(command: &'a str, params: &'a [&'a str]) -> Self {
        Line {
            tags: &[],
            source: None,
            command,
            params,
            trailing: false,
        }
    }

    pub fn with_source(self, source: &'a str) -> Self {
        Line {
            source: Some(source),
            ..self
        }
    }
}

impl fmt::Display for Line<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut tags = self.tags.iter().filter(|(k, _)| !k.is_empty()).peekable();
        if tags.peek().is_some() {
            f.write_char('@')?;
            for (i, (key, value)) in tags.enumerate() {
                if i > 0 {
                    f.write_char(';')?;
                }
                write_atom(f, key, |c| matches!(c, ';' | '=' | ' '))?;
                f.write_char('=')?;
                escape_tag_value(value, f)?;
            }
            f.write_char(' ')?;
        }
        if let Some(source) = self.source {
            f.write_char(':')?;
            write_atom(f, source, |c| c == ' ')?;
            f.write_char(' ')?;
        }
        write_atom(f, self.command, |c| c == ' ')?;
        write_params(f, self.params.iter().copied(), self.trailing)
    }
}

/// Writes `s` without CR, LF, NUL and the characters `also_drop` selects.
fn write_atom(f: &mut impl fmt::Write, s: &str, also_drop: impl Fn(char) -> bool) -> fmt::Result {
    for c in s.chars() {
        if !matches!(c, '\r' | '\n' | '\0') && !also_drop(c) {
            f.write_char(c)?;
        }
    }
    Ok(())
}

fn write_params<'p>(
    f: &mut impl fmt::Write,
    params: impl Iterator<Item = &'p str>,
    trailing: bool,
) -> fmt::Result {
    let mut params = params.peekable();
    while let Some(param) = params.next() {
        f.write_char(' ')?;
        if params.peek().is_some() {
            write_atom(f, param, |c| c == ' ')?;
        } else {
            let visible = param.trim_start_matches(['\r', '\n', '\0']);
            if trailing || visible.is_empty() || visible.starts_with(':') || visible.contains(' ') {
                f.write_char(':')?;
            }
            write_atom(f, param, |_| false)?;
        }
    }
    Ok(())
}
