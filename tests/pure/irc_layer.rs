//! IRC layer vectors (our own): framing, spacing, tags and their escaping, rejection rules, and
//! serialisation round trips.

use ttvchat::twitch::irc::{IrcMessage, Line, ParseError, escape_tag_value, unescape_tag_value};

struct Split {
    line: &'static str,
    tags: &'static [(&'static str, &'static str)],
    source: Option<&'static str>,
    command: &'static str,
    params: &'static [&'static str],
}

const SPLITS: &[Split] = &[
    Split {
        line: "PING :tmi.twitch.tv",
        tags: &[],
        source: None,
        command: "PING",
        params: &["tmi.twitch.tv"],
    },
    Split {
        line: ":tmi.twitch.tv RECONNECT",
        tags: &[],
        source: Some("tmi.twitch.tv"),
        command: "RECONNECT",
        params: &[],
    },
    Split {
        line: ":bob!bob@bob.tmi.twitch.tv PRIVMSG #room :hello there : friend ",
        tags: &[],
        source: Some("bob!bob@bob.tmi.twitch.tv"),
        command: "PRIVMSG",
        params: &["#room", "hello there : friend "],
    },
    Split {
        // RFC 1459: runs of spaces separate atoms
        line: "@a=1   :src    CMD   one    two   :three  four",
        tags: &[("a", "1")],
        source: Some("src"),
        command: "CMD",
        params: &["one", "two", "three  four"],
    },
    Split {
        line: ":src CMD one two   ",
        tags: &[],
        source: Some("src"),
        command: "CMD",
        params: &["one", "two"],
    },
    Split {
        line: "CMD a:b c: ::d",
        tags: &[],
        source: None,
        command: "CMD",
        params: &["a:b", "c:", ":d"],
    },
    Split {
        line: "CMD :",
        tags: &[],
        source: None,
        command: "CMD",
        params: &[""],
    },
    Split {
        line: "421",
        tags: &[],
        source: None,
        command: "421",
        params: &[],
    },
    Split {
        line: "@empty=;bare;esc=a\\sb\\:c\\\\d\\re\\nf :s X",
        tags: &[("empty", ""), ("bare", ""), ("esc", "a b;c\\d\re\nf")],
        source: Some("s"),
        command: "X",
        params: &[],
    },
    Split {
        // an unknown escape drops the backslash, a trailing lone backslash is dropped
        line: "@k=\\q\\w\\;other=x\\ X",
        tags: &[("k", "qw"), ("other", "x")],
        source: None,
        command: "X",
        params: &[],
    },
    Split {
        // repeated key: the last wins; empty entries are skipped
        line: "@k=1;;k=2;j;k=3 X",
        tags: &[("k", "3"), ("j", "")],
        source: None,
        command: "X",
        params: &[],
    },
    Split {
        line: "@+example.com/client-tag=ok;vendor/x X",
        tags: &[("+example.com/client-tag", "ok"), ("vendor/x", "")],
        source: None,
        command: "X",
        params: &[],
    },
    Split {
        // an empty nick is tolerated (Twitch has sent it); user and host are not empty
        line: ":!who@who.tmi.twitch.tv PRIVMSG #c :x",
        tags: &[],
        source: Some("!who@who.tmi.twitch.tv"),
        command: "PRIVMSG",
        params: &["#c", "x"],
    },
    Split {
        line: "privmsg #lower :case kept",
        tags: &[],
        source: None,
        command: "privmsg",
        params: &["#lower", "case kept"],
    },
];

#[test]
fn splits_lines_into_tags_source_command_and_params() {
    for case in SPLITS {
        let msg = IrcMessage::parse(case.line)
            .unwrap_or_else(|e| panic!("{:?} did not parse: {e}", case.line));
        for (key, value) in case.tags {
            assert_eq!(
                msg.tags().get(key).as_deref(),
                Some(*value),
                "tag {key} of {:?}",
                case.line
            );
        }
        assert_eq!(
            msg.tags().to_owned_pairs().len(),
            case.tags.len(),
            "tag count of {:?}",
            case.line
        );
        assert_eq!(msg.source(), case.source, "source of {:?}", case.line);
        assert_eq!(msg.command(), case.command, "command of {:?}", case.line);
        assert_eq!(
            msg.params().collect::<Vec<_>>(),
            case.params,
            "params of {:?}",
            case.line
        );
    }
}

#[test]
fn rejects_what_is_not_an_irc_message() {
    let rows: &[(&str, ParseError)] = &[
        ("", ParseError::Empty),
        (" PING", ParseError::LeadingSpace),
        ("@ PING", ParseError::EmptyTags),
        ("@a=b", ParseError::MissingCommand),
        ("@a=b :src", ParseError::MissingCommand),
        (": PING", ParseError::EmptySource),
        (":a@ PING", ParseError::MalformedSource),
        (":a!@b PING", ParseError::MalformedSource),
        (":a! PING", ParseError::MalformedSource),
        ("P1NG", ParseError::InvalidCommand),
        ("P!NG", ParseError::InvalidCommand),
        ("PØNG", ParseError::InvalidCommand),
        ("0001 x", ParseError::InvalidCommand),
        ("12 x", ParseError::InvalidCommand),
        ("PING a\rb", ParseError::ForbiddenCharacter),
        ("PING a\nb", ParseError::ForbiddenCharacter),
        ("PING a\0b", ParseError::ForbiddenCharacter),
    ];
    for (line, want) in rows {
        assert_eq!(IrcMessage::parse(line), Err(*want), "{line:?}");
    }
}

#[test]
fn every_rejection_has_a_readable_reason() {
    for line in ["", " x", "@ x", ": x", ":a@ x", "1x"] {
        let reason = IrcMessage::parse(line).unwrap_err().to_string();
        assert!(reason.len() > 5, "{line:?}: {reason:?}");
    }
}

#[test]
fn nick_is_the_part_before_user_or_host() {
    fn nick(line: &str) -> Option<&str> {
        IrcMessage::parse(line).unwrap().nick()
    }
    assert_eq!(nick(":ann!ann@ann.tmi.twitch.tv JOIN #c"), Some("ann"));
    assert_eq!(nick(":ann@host JOIN #c"), Some("ann"));
    assert_eq!(nick(":tmi.twitch.tv PING"), Some("tmi.twitch.tv"));
    assert_eq!(nick("PING"), None);
}

#[test]
fn tag_values_unescape_and_escape_symmetrically() {
    let rows = [
        ("plain", "plain"),
        ("a\\sb", "a b"),
        ("semi\\:colon", "semi;colon"),
        ("back\\\\slash", "back\\slash"),
        ("cr\\rlf\\n", "cr\rlf\n"),
        ("\\\\n", "\\n"),
        ("all\\:\\s\\\\\\r\\n", "all; \\\r\n"),
    ];
    for (raw, value) in rows {
        assert_eq!(unescape_tag_value(raw), value, "unescape {raw:?}");
        let mut escaped = String::new();
        escape_tag_value(value, &mut escaped).unwrap();
        assert_eq!(escaped, raw, "escape {value:?}");
    }
    assert!(matches!(
        unescape_tag_value("no escapes"),
        std::borrow::Cow::Borrowed(_)
    ));
}

#[test]
fn display_writes_a_canonical_line_that_parses_the_same() {
    for case in SPLITS {
        let msg = IrcMessage::parse(case.line).unwrap();
        let written = msg.to_string();
        let again = IrcMessage::parse(&written).unwrap();
        assert_eq!(again.tags().to_owned_pairs(), msg.tags().to_owned_pairs());
        assert_eq!(again.source(), msg.source());
        assert_eq!(again.command(), msg.command());
        assert_eq!(
            again.params().collect::<Vec<_>>(),
            msg.params().collect::<Vec<_>>(),
            "{written:?}"
        );
    }
}

#[test]
fn line_builder_escapes_tags_and_marks_the_trailing_param() {
    let line = Line {
        tags: &[("msg", "a b;c"), ("flag", "")],
        source: Some("tmi.twitch.tv"),
        command: "PRIVMSG",
        params: &["#room", "hello world"],
        trailing: false,
    };
    assert_eq!(
        line.to_string(),
        "@msg=a\\sb\\:c;flag= :tmi.twitch.tv PRIVMSG #room :hello world"
    );
    assert_eq!(Line::new("NICK", &["bob"]).to_string(), "NICK bob");
    assert_eq!(Line::new("X", &[""]).to_string(), "X :");
    assert_eq!(Line::new("X", &[":colon"]).to_string(), "X ::colon");
    assert_eq!(Line::new("X", &["\r\n"]).to_string(), "X :");
    let always = Line {
        trailing: true,
        ..Line::new("PRIVMSG", &["#room", "hi"])
    };
    assert_eq!(always.to_string(), "PRIVMSG #room :hi");
}

#[test]
fn line_builder_output_is_always_one_line() {
    let nasty = "a\r\nQUIT :bye\0";
    let tags = [("k\r\n", nasty)];
    let params = [nasty, nasty];
    let line = Line {
        tags: &tags,
        source: Some(nasty),
        command: "PRIVMSG",
        params: &params,
        trailing: false,
    }
    .to_string();
    assert!(!line.contains(['\r', '\n', '\0']), "{line:?}");
    let msg = IrcMessage::parse(&line).unwrap();
    assert_eq!(msg.command(), "PRIVMSG");
    assert_eq!(msg.tags().get("k").as_deref(), Some("a\r\nQUIT :bye"));
    assert_eq!(msg.params().count(), 2);
}
