//! The simulator's own line writer, apart from the client's (`twitch::irc`), so that a bug in
//! either shows up as a failing test instead of being mirrored on both sides. It writes lines as
//! Twitch does: tags (values escaped), a source, the command, the middle parameters, and the
//! last parameter after a `:` whenever Twitch puts one there, even for one word.

use std::fmt::{self, Write};

/// One line to send. `trailing` is the parameter Twitch writes after `:` (message text, a
/// login in CLEARCHAT, NAMES lists); `None` for lines that end with a middle parameter (JOIN,
/// PART, USERSTATE).
pub(super) struct Out<'a> {
    pub tags: &'a [(&'a str, &'a str)],
    pub source: Option<&'a str>,
    pub command: &'a str,
    pub middle: &'a [&'a str],
    pub trailing: Option<&'a str>,
}

impl Out<'_> {
    pub(super) fn line(command: &str) -> Out<'_> {
        Out {
            tags: &[],
            source: None,
            command,
            middle: &[],
            trailing: None,
        }
    }
}

impl fmt::Display for Out<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.tags.is_empty() {
            f.write_char('@')?;
            for (i, (key, value)) in self.tags.iter().enumerate() {
                if i > 0 {
                    f.write_char(';')?;
                }
                f.write_str(key)?;
                f.write_char('=')?;
                escape(value, f)?;
            }
            f.write_char(' ')?;
        }
        if let Some(source) = self.source {
            write!(f, ":{source} ")?;
        }
        f.write_str(self.command)?;
        for param in self.middle {
            // A middle parameter is one word: anything that would split it goes.
            f.write_char(' ')?;
            for c in param
                .chars()
                .filter(|c| !matches!(c, ' ' | '\r' | '\n' | '\0'))
            {
                f.write_char(c)?;
            }
        }
        if let Some(text) = self.trailing {
            f.write_str(" :")?;
            for c in text.chars().filter(|c| !matches!(c, '\r' | '\n' | '\0')) {
                f.write_char(c)?;
            }
        }
        Ok(())
    }
}

/// IRCv3 tag value escaping: `;` `\s` `\\` `\r` `\n` as Twitch writes them.
fn escape(value: &str, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    for c in value.chars() {
        match c {
            ';' => f.write_str("\\:")?,
            ' ' => f.write_str("\\s")?,
            '\\' => f.write_str("\\\\")?,
            '\r' => f.write_str("\\r")?,
            '\n' => f.write_str("\\n")?,
            c => f.write_char(c)?,
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_word_text_still_gets_its_colon_and_tags_are_escaped() {
        let line = Out {
            tags: &[("display-name", "a b;c\\")],
            source: Some("tmi.twitch.tv"),
            command: "CLEARCHAT",
            middle: &["#chan"],
            trailing: Some("bob"),
        };
        assert_eq!(
            line.to_string(),
            "@display-name=a\\sb\\:c\\\\ :tmi.twitch.tv CLEARCHAT #chan :bob"
        );
        assert_eq!(Out::line("RECONNECT").to_string(), "RECONNECT");
    }
}
