//! Outgoing commands: exact wire form, round trips through our own parser, no line smuggling,
//! and no token in anything meant for logs.

use ttvchat::twitch::irc::IrcMessage;
use ttvchat::twitch::login::Login;
use ttvchat::twitch::outgoing::{ClientCommand, Token};

fn login(name: &str) -> Login {
    Login::parse(name).unwrap()
}

fn privmsg(text: &str, action: bool, reply_to: Option<&str>) -> ClientCommand {
    ClientCommand::Privmsg {
        channel: login("#Cozy_Corner"),
        text: text.into(),
        action,
        reply_to: reply_to.map(Into::into),
    }
}

#[test]
fn commands_serialise_to_the_expected_lines() {
    let rows = [
        (
            ClientCommand::Pass(Token::new("oauth:abc123")),
            "PASS oauth:abc123",
        ),
        (
            ClientCommand::Pass(Token::new(" abc123 ")),
            "PASS oauth:abc123",
        ),
        (
            ClientCommand::Nick(login("JustinFan12345")),
            "NICK justinfan12345",
        ),
        (
            ClientCommand::CapReq(vec![
                "twitch.tv/tags".into(),
                "twitch.tv/commands".into(),
                "twitch.tv/membership".into(),
            ]),
            "CAP REQ :twitch.tv/tags twitch.tv/commands twitch.tv/membership",
        ),
        (
            ClientCommand::Join(vec![login("a"), login("#b_2"), login("@C")]),
            "JOIN #a,#b_2,#c",
        ),
        (ClientCommand::Part(login("a")), "PART #a"),
        (
            privmsg("hello there", false, None),
            "PRIVMSG #cozy_corner :hello there",
        ),
        (privmsg("hi", false, None), "PRIVMSG #cozy_corner :hi"),
        (privmsg(":)", false, None), "PRIVMSG #cozy_corner ::)"),
        (privmsg("", false, None), "PRIVMSG #cozy_corner :"),
        (
            privmsg("waves", true, None),
            "PRIVMSG #cozy_corner :\x01ACTION waves\x01",
        ),
        (
            privmsg("agreed", false, Some("b34f-11;x y")),
            "@reply-parent-msg-id=b34f-11\\:x\\sy PRIVMSG #cozy_corner :agreed",
        ),
        (ClientCommand::Ping("ttvchat".into()), "PING ttvchat"),
        (
            ClientCommand::Pong(Some("tmi.twitch.tv".into())),
            "PONG :tmi.twitch.tv",
        ),
        (ClientCommand::Pong(None), "PONG"),
    ];
    for (command, want) in rows {
        assert_eq!(command.to_string(), want, "{command:?}");
    }
}

#[test]
fn privmsg_round_trips_through_the_parser() {
    let texts = [
        "plain",
        "  leading and trailing spaces  ",
        ":starts with a colon",
        "emoji 👨‍👩‍👧 and CJK 你好 and e\u{301}",
        "semi;colons and \\backslashes\\",
    ];
    for text in texts {
        for action in [false, true] {
            let line = privmsg(text, action, Some("parent-1")).to_string();
            let msg = IrcMessage::parse(&line).unwrap();
            assert_eq!(msg.command(), "PRIVMSG");
            assert_eq!(msg.param(0), Some("#cozy_corner"));
            assert_eq!(
                msg.tags().get("reply-parent-msg-id").as_deref(),
                Some("parent-1")
            );
            let body = msg.param(1).unwrap();
            let want = if action {
                format!("\x01ACTION {text}\x01")
            } else {
                text.to_owned()
            };
            assert_eq!(body, want, "{line:?}");
        }
    }
}

#[test]
fn message_text_cannot_smuggle_a_second_line() {
    let attack = "hi\r\nPRIVMSG #other :gotcha\n\rJOIN #x\0end";
    for action in [false, true] {
        let line = privmsg(attack, action, Some("id\r\nQUIT")).to_string();
        assert!(!line.contains(['\r', '\n', '\0']), "{line:?}");
        let msg = IrcMessage::parse(&line).unwrap();
        assert_eq!(msg.command(), "PRIVMSG");
        assert_eq!(msg.params().count(), 2);
        let body = msg.param(1).unwrap();
        assert!(
            body.contains("hi PRIVMSG #other :gotcha JOIN #x"),
            "{body:?}"
        );
        assert!(body.contains("xend"), "NUL is dropped: {body:?}");
    }
}

#[test]
fn logins_are_validated() {
    assert_eq!(login("#SomeChannel").as_str(), "somechannel");
    for bad in [
        "",
        "#",
        "has space",
        "bad-dash",
        "ünïcode",
        "a".repeat(26).as_str(),
        "#a,#b",
    ] {
        let err = Login::parse(bad).unwrap_err();
        assert!(err.to_string().contains("not a Twitch name"), "{bad:?}");
    }
}

#[test]
fn tokens_never_show_in_debug_or_redacted_output() {
    let pass = ClientCommand::Pass(Token::new("oauth:supersecret42"));
    assert!(
        pass.to_string().contains("supersecret42"),
        "the wire needs it"
    );
    let redacted = pass.redacted().to_string();
    assert_eq!(redacted, "PASS oauth:<redacted>");
    assert!(!format!("{pass:?}").contains("supersecret42"));
    let nick = ClientCommand::Nick(login("bob"));
    assert_eq!(nick.redacted().to_string(), "NICK bob");
}
