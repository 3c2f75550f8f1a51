//! Property tests: no bytes from the network can panic any parse function, and `ttvchat parse`
//! answers every input line with exactly one JSON object.

use proptest::prelude::*;
use ttvchat::cli::parse::run;
use ttvchat::twitch::badges::parse_badges;
use ttvchat::twitch::emotes::parse_emotes;
use ttvchat::twitch::irc::{IrcMessage, TagValue, unescape_tag_value};
use ttvchat::twitch::message::ServerMessage;

/// Lines that look enough like Twitch IRC to reach deep into the typed layer.
fn ircish_line() -> impl Strategy<Value = String> {
    let tag_key = prop::sample::select(vec![
        "badges",
        "badge-info",
        "emotes",
        "color",
        "display-name",
        "id",
        "msg-id",
        "login",
        "room-id",
        "bits",
        "tmi-sent-ts",
        "ban-duration",
        "followers-only",
        "slow",
        "emote-only",
        "reply-parent-msg-id",
        "reply-parent-msg-body",
        "source-room-id",
        "source-msg-id",
        "msg-param-months",
        "msg-param-sub-plan",
        "msg-param-viewerCount",
        "pinned-chat-paid-amount",
        "emote-sets",
        "system-msg",
    ]);
    let tag_value = "[-0-9a-z/:,;\\\\ \u{1F449}\u{301}é#]{0,12}";
    let tags = prop::collection::vec((tag_key, tag_value), 0..8);
    let command = prop::sample::select(vec![
        "PRIVMSG",
        "USERNOTICE",
        "ROOMSTATE",
        "CLEARCHAT",
        "CLEARMSG",
        "NOTICE",
        "USERSTATE",
        "GLOBALUSERSTATE",
        "WHISPER",
        "JOIN",
        "PART",
        "353",
        "366",
        "PING",
        "PONG",
        "RECONNECT",
        "CAP",
        "001",
        "HOSTTARGET",
        "privmsg",
    ]);
    let params = prop::collection::vec("[#:a-z0-9 \u{1}\u{1F449}é]{0,10}", 0..5);
    (tags, any::<bool>(), command, params).prop_map(|(tags, source, command, params)| {
        let mut line = String::new();
        if !tags.is_empty() {
            let joined: Vec<String> = tags.iter().map(|(k, v)| format!("{k}={v}")).collect();
            line.push('@');
            line.push_str(&joined.join(";").replace(' ', ""));
            line.push(' ');
        }
        if source {
            line.push_str(":u!u@u.tmi.twitch.tv ");
        }
        line.push_str(command);
        for p in params {
            line.push(' ');
            line.push_str(&p);
        }
        line
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        let line = String::from_utf8_lossy(&bytes);
        if let Ok(msg) = IrcMessage::parse(&line) {
            let _ = ServerMessage::from_irc(&msg);
            let _ = msg.to_string();
        }
        let _ = unescape_tag_value(&line);
        let _ = parse_badges(Some(TagValue(&line)));
        let _ = parse_emotes(&line, &line);
    }

    #[test]
    fn ircish_lines_never_panic_and_display_round_trips(line in ircish_line()) {
        if let Ok(msg) = IrcMessage::parse(&line) {
            let typed = ServerMessage::from_irc(&msg);
            let written = msg.to_string();
            let again = IrcMessage::parse(&written).unwrap();
            prop_assert_eq!(ServerMessage::from_irc(&again), typed);
        }
    }

    #[test]
    fn emote_ranges_always_slice_the_text(
        text in "[a-z \u{1F449}\u{301}你é\u{200D}]{0,30}",
        ranges in prop::collection::vec((0usize..40, 0usize..40), 0..6),
    ) {
        let tag = ranges.iter().map(|(s, e)| format!("{s}-{e}")).collect::<Vec<_>>().join(",");
        for emote in parse_emotes(&format!("1:{tag}"), &text) {
            prop_assert!(text.get(emote.range.clone()).is_some());
            prop_assert!(!emote.code(&text).is_empty());
        }
    }

    #[test]
    fn parse_cli_prints_one_json_object_per_line(bytes in prop::collection::vec(any::<u8>(), 0..800)) {
        let mut out = Vec::new();
        let summary = run(&bytes[..], &mut out, false).unwrap();
        let text = String::from_utf8(out).unwrap();
        let objects: Vec<&str> = text.lines().collect();
        let lines = bytes.split(|&b| b == b'\n').count() - usize::from(bytes.ends_with(b"\n") || bytes.is_empty());
        prop_assert_eq!(objects.len(), lines);
        prop_assert_eq!(summary.ok + summary.failed, lines as u64);
        for object in objects {
            let value: serde_json::Value = serde_json::from_str(object).unwrap();
            prop_assert!(value["ok"].is_boolean());
        }
    }
}
