//! `ttvchat parse` as a user runs it: the real binary, lines on stdin, JSON on stdout.

use std::io::Write;
use std::process::{Command, Stdio};

use serde_json::{Value, json};

fn ttvchat_parse(args: &[&str], input: &[u8]) -> (String, bool) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_ttvchat"))
        .arg("parse")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start ttvchat");
    child.stdin.take().unwrap().write_all(input).unwrap();
    let out = child.wait_with_output().unwrap();
    (String::from_utf8(out.stdout).unwrap(), out.status.success())
}

fn objects(input: &[u8]) -> Vec<Value> {
    let (out, ok) = ttvchat_parse(&[], input);
    assert!(ok, "ttvchat parse failed");
    out.lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

/// Asserts that every key of `want` has that value in `got` (recursively for objects).
fn assert_subset(got: &Value, want: &Value, path: &str) {
    match want {
        Value::Object(fields) => {
            for (key, value) in fields {
                assert_subset(&got[key], value, &format!("{path}.{key}"));
            }
        }
        _ => assert_eq!(got, want, "at {path}"),
    }
}

#[test]
fn every_command_prints_its_schema_fields() {
    let rows: Vec<(&str, Value)> = vec![
        (
            "@badge-info=subscriber/5;badges=subscriber/3;color=#FF69B4;display-name=Ana;emotes=25:2-6;\
             id=m1;room-id=9;tmi-sent-ts=1700000000000;user-id=4 :ana!ana@ana.tmi.twitch.tv PRIVMSG #cozy :👉 Kappa",
            json!({"kind": "privmsg", "channel": "cozy", "sender_login": "ana", "display_name": "Ana",
                   "user_id": "4", "room_id": "9", "message_id": "m1", "message_text": "👉 Kappa",
                   "is_action": false, "color": "#FF69B4", "badges": [["subscriber", "3"]],
                   "badge_info": [["subscriber", "5"]], "emotes": [["25", 2, 6]], "bits": null,
                   "tmi_sent_ts": 1_700_000_000_000_i64, "reply_parent": null}),
        ),
        (
            "@bits=100;id=m2;reply-parent-msg-id=p;reply-parent-user-login=bo;reply-parent-msg-body=hey\\sthere \
             :ana!ana@ana PRIVMSG #cozy :\u{1}ACTION cheer100\u{1}",
            json!({"is_action": true, "message_text": "cheer100", "bits": 100,
                   "reply_parent": {"message_id": "p", "user_login": "bo", "message_text": "hey there",
                                    "user_id": null, "display_name": null}}),
        ),
        (
            "@id=m3;room-id=1;source-room-id=2 :ana!ana@ana PRIVMSG #cozy :mirrored",
            json!({"source_room_id": "2", "is_mirrored_shared_chat": true}),
        ),
        (
            "@login=gifter;msg-id=subgift;msg-param-recipient-user-name=lucky;msg-param-months=3;room-id=9;\
             system-msg=gifter\\sgifted\\sa\\ssub! :tmi.twitch.tv USERNOTICE #cozy",
            json!({"kind": "usernotice", "sender_login": "gifter", "msg_id": "subgift",
                   "system_msg": "gifter gifted a sub!", "message_text": null,
                   "msg_params": {"msg-param-recipient-user-name": "lucky", "msg-param-months": "3"}}),
        ),
        (
            "@emote-only=1;followers-only=-1;room-id=9 :tmi.twitch.tv ROOMSTATE #cozy",
            json!({"kind": "roomstate", "channel": "cozy", "room_id": "9",
                   "roomstate": {"emote_only": true, "followers_only_min": -1}}),
        ),
        (
            "@ban-duration=600;room-id=9;target-user-id=66 :tmi.twitch.tv CLEARCHAT #cozy :troll",
            json!({"kind": "clearchat", "ban_duration_s": 600, "target_login": "troll",
                   "target_user_id": "66"}),
        ),
        (
            "@room-id=9 :tmi.twitch.tv CLEARCHAT #cozy",
            json!({"kind": "clearchat", "ban_duration_s": null, "target_login": null}),
        ),
        (
            "@login=troll;target-msg-id=m9 :tmi.twitch.tv CLEARMSG #cozy :bad words",
            json!({"kind": "clearmsg", "sender_login": "troll", "target_login": "troll",
                   "target_msg_id": "m9", "message_text": "bad words"}),
        ),
        (
            "@msg-id=msg_duplicate :tmi.twitch.tv NOTICE #cozy :Your message was not sent because it is identical",
            json!({"kind": "notice", "channel": "cozy", "msg_id": "msg_duplicate"}),
        ),
        (
            "@badges=moderator/1;display-name=Me;emote-sets=0,42;id=sent1;mod=1 :tmi.twitch.tv USERSTATE #cozy",
            json!({"kind": "userstate", "channel": "cozy", "display_name": "Me",
                   "emote_sets": ["0", "42"], "message_id": "sent1", "badges": [["moderator", "1"]]}),
        ),
        (
            "@display-name=Me;emote-sets=0;user-id=77 :tmi.twitch.tv GLOBALUSERSTATE",
            json!({"kind": "globaluserstate", "user_id": "77", "channel": null}),
        ),
        (
            "@display-name=Pal;message-id=5;user-id=2 :pal!pal@pal.tmi.twitch.tv WHISPER me :psst",
            json!({"kind": "whisper", "sender_login": "pal", "recipient_login": "me",
                   "message_text": "psst", "message_id": "5"}),
        ),
        (
            ":ana!ana@ana.tmi.twitch.tv JOIN #cozy",
            json!({"kind": "join", "channel": "cozy", "sender_login": "ana"}),
        ),
        (
            ":ana!ana@ana.tmi.twitch.tv PART #cozy",
            json!({"kind": "part", "channel": "cozy", "sender_login": "ana"}),
        ),
        (
            ":me.tmi.twitch.tv 353 me = #cozy :ana bo",
            json!({"kind": "names", "channel": "cozy", "names": ["ana", "bo"]}),
        ),
        (
            ":me.tmi.twitch.tv 366 me #cozy :End of /NAMES list",
            json!({"kind": "end_of_names", "channel": "cozy"}),
        ),
        ("PING :tmi.twitch.tv", json!({"kind": "ping"})),
        (
            ":tmi.twitch.tv PONG tmi.twitch.tv :x",
            json!({"kind": "pong"}),
        ),
        (":tmi.twitch.tv RECONNECT", json!({"kind": "reconnect"})),
        (
            ":tmi.twitch.tv CAP * ACK :twitch.tv/tags twitch.tv/commands",
            json!({"kind": "cap", "capabilities": ["twitch.tv/tags", "twitch.tv/commands"]}),
        ),
        (
            ":tmi.twitch.tv 001 me :Welcome, GLHF!",
            json!({"kind": "welcome"}),
        ),
        (
            ":tmi.twitch.tv HOSTTARGET #cozy :- 0",
            json!({"kind": "other", "channel": "cozy"}),
        ),
    ];
    let input: String = rows.iter().map(|(line, _)| format!("{line}\r\n")).collect();
    let out = objects(input.as_bytes());
    assert_eq!(out.len(), rows.len());
    for ((line, want), got) in rows.iter().zip(&out) {
        assert_eq!(got["ok"], true, "{line}");
        assert_subset(&got["twitch"], want, line);
    }
    assert_eq!(out[16]["params"], json!(["tmi.twitch.tv"]));
    assert_eq!(out[0]["tags"]["display-name"], "Ana");
    assert_eq!(out[0]["source"], "ana!ana@ana.tmi.twitch.tv");
    assert_eq!(out[0]["command"], "PRIVMSG");
}

#[test]
fn every_twitch_key_is_always_present() {
    let keys = [
        "kind",
        "channel",
        "sender_login",
        "display_name",
        "user_id",
        "room_id",
        "message_id",
        "msg_id",
        "message_text",
        "is_action",
        "color",
        "badges",
        "badge_info",
        "emotes",
        "bits",
        "tmi_sent_ts",
        "reply_parent",
        "system_msg",
        "msg_params",
        "ban_duration_s",
        "target_login",
        "target_user_id",
        "target_msg_id",
        "recipient_login",
        "emote_sets",
        "names",
        "capabilities",
        "roomstate",
        "source_room_id",
        "is_mirrored_shared_chat",
    ];
    for object in objects(b"PING\n:a!a@a PRIVMSG #c :x\n:tmi.twitch.tv 376 me :>\n") {
        for key in keys {
            assert!(
                object["twitch"].get(key).is_some(),
                "{key} missing in {object}"
            );
        }
    }
}

#[test]
fn garbage_gets_ok_false_with_a_reason_and_never_stops_the_stream() {
    let input = b"\r\n   \n@\n: X\n\xff\xfe\x00garbage\nPING :still alive\n\xf0\x9f\x98\n:a!a@a PRIVMSG #c :\xe9t\xe9";
    let out = objects(input);
    assert_eq!(
        out.len(),
        8,
        "one object per line, the last without a newline too"
    );
    assert_eq!(out[0], json!({"ok": false, "error": "empty line"}));
    for failed in &out[1..5] {
        assert_eq!(failed["ok"], false);
        assert!(failed["error"].as_str().unwrap().len() > 5);
    }
    assert_eq!(out[5]["ok"], true);
    assert_eq!(out[5]["twitch"]["kind"], "ping");
    assert_eq!(out[7]["twitch"]["message_text"], "\u{FFFD}t\u{FFFD}");
}

#[test]
fn summary_counts_without_printing_objects() {
    let (out, ok) = ttvchat_parse(&["--summary"], b"PING\n\n:a!a@a JOIN #c\n@ x\nPONG\n");
    assert!(ok);
    assert_eq!(out, "3 ok, 2 failed\n");
    let (empty, _) = ttvchat_parse(&["--summary"], b"");
    assert_eq!(empty, "0 ok, 0 failed\n");
}

#[test]
fn the_sample_log_parses_as_documented() {
    let sample = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/assets/sample-chat.log"
    ))
    .expect("assets/sample-chat.log");
    let kinds: Vec<String> = objects(&sample)
        .iter()
        .map(|o| o["twitch"]["kind"].as_str().unwrap_or("error").to_owned())
        .collect();
    for kind in [
        "cap",
        "welcome",
        "globaluserstate",
        "join",
        "names",
        "end_of_names",
        "roomstate",
        "userstate",
        "privmsg",
        "usernotice",
        "clearmsg",
        "clearchat",
        "notice",
        "part",
        "ping",
        "reconnect",
    ] {
        assert!(
            kinds.iter().any(|k| k == kind),
            "the sample has no {kind} line"
        );
    }
    assert_eq!(kinds.last().map(String::as_str), Some("error"));
    let (summary, _) = ttvchat_parse(&["--summary"], &sample);
    assert_eq!(summary, "26 ok, 1 failed\n");
}
