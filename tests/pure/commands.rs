//! The command table, row by row: every command with good input parses to what it should, and
//! bad input explains itself with the usage or a sentence.

use ttvchat::net::helix::calls::{AnnounceColor, Call, ChatSettings, Treatment};
use ttvchat::state::command::{
    COMMANDS, CommandError, Role, Spec, UserCommand, complete, parse, parse_duration,
};
use ttvchat::twitch::Login;

fn login(name: &str) -> Login {
    Login::parse(name).unwrap()
}

fn ok(line: &str) -> UserCommand {
    match parse(line) {
        Some(Ok((_, command))) => command,
        other => panic!("{line}: {other:?}"),
    }
}

fn err(line: &str) -> String {
    match parse(line) {
        Some(Err(e)) => e.to_string(),
        other => panic!("{line} should fail: {other:?}"),
    }
}

fn settings(change: ChatSettings) -> Call {
    Call::Settings(change)
}

#[test]
#[rustfmt::skip]
fn every_command_parses_good_input() {
    let bob = || login("bob");
    let none = ChatSettings::default;
    let rows: Vec<(&str, UserCommand)> = vec![
        ("/join #a b,c", UserCommand::Join(vec![login("a"), login("b"), login("c")])),
        ("/part", UserCommand::Part(None)),
        ("/leave #a", UserCommand::Part(Some(login("a")))),
        ("/me waves", UserCommand::Me("waves".into())),
        ("/reply @bob hi there", UserCommand::Reply { user: bob(), text: "hi there".into() }),
        ("/user bob", UserCommand::User(bob())),
        ("/usercard @bob", UserCommand::User(bob())),
        ("/help", UserCommand::Help(None)),
        ("/help timeout", UserCommand::Help(Spec::find("timeout"))),
        ("/quit", UserCommand::Quit),
        ("/exit", UserCommand::Quit),
        ("/w bob psst", UserCommand::Helix(Call::Whisper { to: bob(), text: "psst".into() })),
        ("/whisper bob psst", UserCommand::Helix(Call::Whisper { to: bob(), text: "psst".into() })),
        ("/color BlueViolet", UserCommand::Helix(Call::Color { color: "blue_violet".into() })),
        ("/color #1e90ff", UserCommand::Helix(Call::Color { color: "#1E90FF".into() })),
        ("/ban bob being rude", UserCommand::Helix(Call::Ban { user: bob(), reason: "being rude".into() })),
        ("/ban @bob", UserCommand::Helix(Call::Ban { user: bob(), reason: String::new() })),
        ("/unban bob", UserCommand::Helix(Call::Unban { user: bob() })),
        ("/timeout bob", UserCommand::Helix(Call::Timeout { user: bob(), seconds: 600, reason: String::new() })),
        ("/timeout bob 600", UserCommand::Helix(Call::Timeout { user: bob(), seconds: 600, reason: String::new() })),
        ("/timeout bob 1h30m spam", UserCommand::Helix(Call::Timeout { user: bob(), seconds: 5400, reason: "spam".into() })),
        ("/timeout bob calm down", UserCommand::Helix(Call::Timeout { user: bob(), seconds: 600, reason: "calm down".into() })),
        ("/untimeout bob", UserCommand::Helix(Call::Untimeout { user: bob() })),
        ("/delete abc-123", UserCommand::Helix(Call::Delete { message_id: "abc-123".into() })),
        ("/clear", UserCommand::Helix(Call::Clear)),
        ("/slow", UserCommand::Helix(settings(ChatSettings { slow: Some(Some(30)), ..none() }))),
        ("/slow 10", UserCommand::Helix(settings(ChatSettings { slow: Some(Some(10)), ..none() }))),
        ("/slow 2m", UserCommand::Helix(settings(ChatSettings { slow: Some(Some(120)), ..none() }))),
        ("/slowoff", UserCommand::Helix(settings(ChatSettings { slow: Some(None), ..none() }))),
        ("/followers", UserCommand::Helix(settings(ChatSettings { followers: Some(Some(0)), ..none() }))),
        ("/followers 30", UserCommand::Helix(settings(ChatSettings { followers: Some(Some(30)), ..none() }))),
        ("/followers 1w", UserCommand::Helix(settings(ChatSettings { followers: Some(Some(10_080)), ..none() }))),
        ("/followersoff", UserCommand::Helix(settings(ChatSettings { followers: Some(None), ..none() }))),
        ("/subscribers", UserCommand::Helix(settings(ChatSettings { subscribers: Some(true), ..none() }))),
        ("/subscribersoff", UserCommand::Helix(settings(ChatSettings { subscribers: Some(false), ..none() }))),
        ("/emoteonly", UserCommand::Helix(settings(ChatSettings { emote_only: Some(true), ..none() }))),
        ("/emoteonlyoff", UserCommand::Helix(settings(ChatSettings { emote_only: Some(false), ..none() }))),
        ("/uniquechat", UserCommand::Helix(settings(ChatSettings { unique: Some(true), ..none() }))),
        ("/r9kbetaoff", UserCommand::Helix(settings(ChatSettings { unique: Some(false), ..none() }))),
        ("/announce hello all", UserCommand::Helix(Call::Announce { message: "hello all".into(), color: AnnounceColor::Primary })),
        ("/announceblue hi", UserCommand::Helix(Call::Announce { message: "hi".into(), color: AnnounceColor::Blue })),
        ("/announcegreen hi", UserCommand::Helix(Call::Announce { message: "hi".into(), color: AnnounceColor::Green })),
        ("/announceorange hi", UserCommand::Helix(Call::Announce { message: "hi".into(), color: AnnounceColor::Orange })),
        ("/announcepurple hi", UserCommand::Helix(Call::Announce { message: "hi".into(), color: AnnounceColor::Purple })),
        ("/shoutout #frostbyte", UserCommand::Helix(Call::Shoutout { to: login("frostbyte") })),
        ("/so frostbyte", UserCommand::Helix(Call::Shoutout { to: login("frostbyte") })),
        ("/raid artcafe", UserCommand::Helix(Call::Raid { to: login("artcafe") })),
        ("/unraid", UserCommand::Helix(Call::Unraid)),
        ("/mod bob", UserCommand::Helix(Call::Mod { user: bob() })),
        ("/unmod bob", UserCommand::Helix(Call::Unmod { user: bob() })),
        ("/mods", UserCommand::Helix(Call::Mods)),
        ("/vip bob", UserCommand::Helix(Call::Vip { user: bob() })),
        ("/unvip bob", UserCommand::Helix(Call::Unvip { user: bob() })),
        ("/vips", UserCommand::Helix(Call::Vips)),
        ("/warn bob stop that", UserCommand::Helix(Call::Warn { user: bob(), reason: "stop that".into() })),
        ("/shield", UserCommand::Helix(Call::Shield { on: true })),
        ("/shieldoff", UserCommand::Helix(Call::Shield { on: false })),
        ("/chatters", UserCommand::Helix(Call::Chatters)),
        ("/monitor bob", UserCommand::Helix(Call::Suspicion { user: bob(), treatment: Treatment::Monitored })),
        ("/restrict bob", UserCommand::Helix(Call::Suspicion { user: bob(), treatment: Treatment::Restricted })),
        ("/unmonitor bob", UserCommand::Helix(Call::Suspicion { user: bob(), treatment: Treatment::None })),
        ("/unrestrict bob", UserCommand::Helix(Call::Suspicion { user: bob(), treatment: Treatment::None })),
        ("/approve-unban bob welcome back", UserCommand::Helix(Call::ResolveUnban { user: bob(), approve: true, text: "welcome back".into() })),
        ("/deny-unban bob", UserCommand::Helix(Call::ResolveUnban { user: bob(), approve: false, text: String::new() })),
        ("/TIMEOUT Bob 10m", UserCommand::Helix(Call::Timeout { user: bob(), seconds: 600, reason: String::new() })),
    ];
    for (line, expected) in &rows {
        assert_eq!(&ok(line), expected, "{line}");
    }
    // Every command in the table has a row.
    for spec in COMMANDS {
        assert!(
            rows.iter().any(|(line, _)| parse(line).and_then(Result::ok).is_some_and(|(s, _)| s == spec)),
            "/{} has no row here",
            spec.name
        );
    }
}

#[test]
#[rustfmt::skip]
fn bad_input_explains_itself() {
    let rows = [
        ("/ban", "usage: /ban user [reason]"),
        ("/timeout", "usage: /timeout user [duration] [reason]"),
        ("/timeout bob 3w", "a timeout lasts from 1 second to 2 weeks (1s .. 2w)"),
        ("/timeout bob 0", "a timeout lasts from 1 second to 2 weeks (1s .. 2w)"),
        ("/unban", "usage: /unban user"),
        ("/unban bob extra", "usage: /unban user"),
        ("/slow 1", "slow mode waits from 3 to 120 seconds"),
        ("/slow fast", "usage: /slow [seconds]"),
        ("/followers 4mo", "usage: /followers [duration]"),
        ("/followers 100d", "followers-only mode asks for at most 3 months (90d) of following"),
        ("/warn bob", "usage: /warn user reason"),
        ("/w bob", "usage: /w user text"),
        ("/me", "usage: /me text"),
        ("/join", "usage: /join #channel [#channel ...]"),
        ("/announce", "usage: /announce text"),
        ("/delete", "usage: /delete message-id"),
        ("/clear now", "usage: /clear"),
        ("/reply bob", "usage: /reply user text"),
        ("/help nosuch", "unknown command /nosuch (/help lists the commands)"),
        ("/dance", "unknown command /dance (/help lists the commands)"),
    ];
    for (line, message) in rows {
        assert_eq!(err(line), message, "{line}");
    }
    assert!(err("/ban bad-name").contains("is not a Twitch name"));
    assert!(err("/color mauve").starts_with("mauve is not a Twitch color"));
    assert!(err("/color #12345").contains("is not a color"));
    assert!(matches!(
        parse("/mod"),
        Some(Err(CommandError::Usage("/mod user")))
    ));
    assert_eq!(parse("hello /ban"), None, "chat is not a command");
}

#[test]
fn durations_read_as_twitch_users_write_them() {
    for (text, seconds) in [
        ("600", Some(600)),
        ("45s", Some(45)),
        ("10m", Some(600)),
        ("1h30m", Some(5400)),
        ("2d", Some(172_800)),
        ("1w", Some(604_800)),
        ("1H", Some(3600)),
        ("10x", None),
        ("m", None),
        ("", None),
        ("10m5", None),
    ] {
        assert_eq!(parse_duration(text), seconds, "{text}");
    }
}

#[test]
fn help_completion_and_roles_come_from_the_table() {
    assert_eq!(complete("unb"), ["/unban"]);
    assert_eq!(complete("announceb"), ["/announceblue"]);
    assert!(complete("").len() > COMMANDS.len(), "names and aliases");
    let timeout = Spec::find("timeout").unwrap();
    assert_eq!(timeout.role, Role::Moderator);
    assert!(
        timeout
            .describe()
            .contains("needs the moderator:manage:banned_users scope")
    );
    assert_eq!(Spec::find("/so").map(|s| s.name), Some("shoutout"));
    assert_eq!(Spec::find("raid").unwrap().role, Role::Broadcaster);
    assert_eq!(Spec::find("w").unwrap().role, Role::Anyone);
}
