//! Logging in, keeping alive and coming back: the welcome, a refused login, PING and PONG,
//! RECONNECT, backoff, and news from sockets that were replaced.

use std::time::Duration;

use super::*;
use ttvchat::net::chat::DisconnectReason;

fn disconnects(events: &[ChatEvent]) -> Vec<(DisconnectReason, Option<Duration>)> {
    events
        .iter()
        .filter_map(|e| match e {
            ChatEvent::Disconnected { reason, retry_in } => Some((reason.clone(), *retry_in)),
            _ => None,
        })
        .collect()
}

#[test]
fn logs_in_with_capabilities_token_and_nick_then_joins_in_one_line() {
    let mut h = Harness::new(config(&["alpha", "beta"]));
    assert!(matches!(
        h.take_events()[..],
        [ChatEvent::Connecting { attempt: 1 }]
    ));
    let link = h.open_socket();
    assert_eq!(
        h.take(link),
        [
            "CAP REQ :twitch.tv/tags twitch.tv/commands twitch.tv/membership",
            "PASS oauth:sekrit0token",
            "NICK me",
        ]
    );
    h.server(
        link,
        ":tmi.twitch.tv 001 me :Welcome, GLHF!\r\n:tmi.twitch.tv 376 me :>",
    );
    assert!(
        !h.events
            .iter()
            .any(|e| matches!(e, ChatEvent::Connected { .. })),
        "a token login waits for GLOBALUSERSTATE"
    );
    h.server(
        link,
        "@display-name=Me;user-id=1 :tmi.twitch.tv GLOBALUSERSTATE",
    );
    let connected = h.events.iter().find_map(|e| match e {
        ChatEvent::Connected { login, global, .. } => Some((login.clone(), global.is_some())),
        _ => None,
    });
    assert_eq!(connected, Some((login("me"), true)));
    assert_eq!(h.take(link), ["JOIN #alpha,#beta"]);
}

#[test]
fn without_globaluserstate_the_login_completes_two_seconds_after_the_welcome() {
    let mut h = Harness::new(config(&["alpha"]));
    let link = h.open_socket();
    h.server(
        link,
        ":tmi.twitch.tv 001 me :Welcome\r\n:tmi.twitch.tv 376 me :>",
    );
    h.advance(Duration::from_millis(1999));
    assert!(
        !h.events
            .iter()
            .any(|e| matches!(e, ChatEvent::Connected { .. }))
    );
    h.advance(Duration::from_millis(1));
    assert!(
        h.events
            .iter()
            .any(|e| matches!(e, ChatEvent::Connected { global: None, .. }))
    );
    assert!(h.take(link).contains(&"JOIN #alpha".to_owned()));
}

#[test]
fn anonymous_logins_are_justinfan_without_a_pass_and_cannot_send() {
    let mut h = Harness::new(ChatConfig {
        credentials: Credentials::Anonymous,
        ..config(&["alpha"])
    });
    let link = h.open_socket();
    let lines = h.take(link);
    assert!(!lines.iter().any(|l| l.starts_with("PASS")), "{lines:?}");
    let nick = lines
        .last()
        .unwrap()
        .strip_prefix("NICK justinfan")
        .unwrap();
    assert!(
        nick.len() == 5 && nick.bytes().all(|b| b.is_ascii_digit()),
        "{nick}"
    );
    h.server(link, ":tmi.twitch.tv 376 x :>");
    assert!(h.events.iter().any(|e| matches!(
        e,
        ChatEvent::Connected {
            anonymous: true,
            ..
        }
    )));
    let id = h.send("alpha", "hello");
    assert!(h.events.iter().any(|e| matches!(
        e,
        ChatEvent::Outgoing { id: i, status: ttvchat::net::chat::SendStatus::Dropped { reason: ttvchat::net::chat::DropReason::ReadOnly } } if *i == id
    )));
    assert!(!h.take(link).iter().any(|l| l.starts_with("PRIVMSG")));
}

#[test]
fn a_refused_login_waits_for_new_credentials_however_long() {
    let mut h = Harness::new(config(&["alpha"]));
    let link = h.open_socket();
    h.server(link, ":tmi.twitch.tv NOTICE * :Login authentication failed");
    let events = h.take_events();
    assert!(events.iter().any(
        |e| matches!(e, ChatEvent::AuthFailed { reason } if reason == "Login authentication failed")
    ));
    assert_eq!(
        disconnects(&events),
        [(
            DisconnectReason::AuthFailed("Login authentication failed".into()),
            None
        )]
    );
    assert_eq!(h.closed, [link]);
    h.advance(secs(3600));
    assert!(h.opening.is_empty(), "no retry with the same token");
    h.command(Command::Relogin(Credentials::User {
        login: login("me"),
        token: Token::new("fresh0token"),
    }));
    let link = h.open_socket();
    assert!(h.take(link).contains(&"PASS oauth:fresh0token".to_owned()));
}

#[test]
fn a_login_that_never_completes_times_out_and_retries() {
    let mut h = Harness::new(config(&["alpha"]));
    let link = h.open_socket();
    h.advance(secs(14));
    assert!(h.closed.is_empty());
    h.advance(secs(1));
    assert_eq!(h.closed, [link]);
    let lost = disconnects(&h.take_events());
    assert_eq!(lost.len(), 1);
    assert_eq!(lost[0].0, DisconnectReason::LoginTimeout);
    let wait = lost[0].1.unwrap();
    assert!(
        wait >= Duration::from_millis(500) && wait <= secs(1),
        "{wait:?}"
    );
    h.advance(wait);
    assert_eq!(h.opening.len(), 1, "the next attempt");
    assert!(
        h.events
            .iter()
            .any(|e| matches!(e, ChatEvent::Connecting { attempt: 2 }))
    );
}

#[test]
fn server_pings_are_answered_in_twitchs_form() {
    let mut h = Harness::new(config(&[]));
    let link = h.log_in();
    h.take(link);
    h.server(link, "PING :tmi.twitch.tv");
    h.server(link, "PING");
    assert_eq!(h.take(link), ["PONG :tmi.twitch.tv", "PONG"]);
}

#[test]
fn an_idle_connection_pings_and_a_missing_pong_ends_it() {
    let mut h = Harness::new(config(&[]));
    let link = h.log_in();
    h.take(link);
    h.advance(secs(59));
    assert!(
        h.take(link).is_empty(),
        "nothing is due before a minute of silence"
    );
    h.advance(secs(1));
    assert_eq!(h.take(link), ["PING ttvchat-1"]);
    // Answered: the connection stays, and the next PING comes a minute after.
    h.advance(secs(5));
    h.server(link, ":tmi.twitch.tv PONG tmi.twitch.tv :ttvchat-1");
    h.advance(secs(59));
    assert!(h.take(link).is_empty());
    h.advance(secs(1));
    assert_eq!(h.take(link), ["PING ttvchat-2"]);
    // Unanswered: ten seconds later the connection is given up.
    h.advance(Duration::from_millis(9_999));
    assert!(h.closed.is_empty());
    h.advance(Duration::from_millis(1));
    assert_eq!(h.closed, [link]);
    assert_eq!(
        disconnects(&h.take_events())[0].0,
        DisconnectReason::PingTimeout
    );
}

#[test]
fn reconnect_is_followed_at_once_and_channels_rejoined_but_a_second_soon_after_waits() {
    let mut h = Harness::new(config(&["alpha", "beta"]));
    let first = h.log_in();
    h.serve(first);
    h.take_events();
    h.server(first, ":tmi.twitch.tv RECONNECT");
    assert_eq!(h.closed, [first]);
    assert_eq!(
        disconnects(&h.take_events()),
        [(DisconnectReason::ReconnectRequested, Some(Duration::ZERO))]
    );
    h.advance(Duration::ZERO);
    let second = h.log_in();
    assert_eq!(h.take(second)[3..], ["JOIN #alpha,#beta"]);
    h.serve(second);
    h.advance(secs(5));
    h.server(second, ":tmi.twitch.tv RECONNECT");
    let lost = disconnects(&h.take_events());
    assert!(lost[0].1.unwrap() >= Duration::from_millis(500), "{lost:?}");
}

#[test]
fn failed_attempts_back_off_exponentially_up_to_the_cap_and_a_stable_session_resets_it() {
    let mut h = Harness::new(config(&["alpha"]));
    let mut waits = Vec::new();
    for _ in 0..9 {
        h.fail_socket("connection refused");
        let (_, wait) = disconnects(&h.take_events()).pop().unwrap();
        let wait = wait.unwrap();
        waits.push(wait);
        h.advance(wait);
    }
    for (n, wait) in waits.iter().enumerate() {
        let base = secs(1).saturating_mul(1 << n).min(secs(60));
        assert!(
            *wait >= base / 2 && *wait <= base,
            "attempt {n}: {wait:?} for {base:?}"
        );
    }
    assert!(
        h.events
            .iter()
            .any(|e| matches!(e, ChatEvent::Connecting { attempt: 10 }))
    );
    // A login that lasts a minute forgets the failures.
    let link = h.log_in();
    h.advance(secs(61));
    h.server(link, "PING :tmi.twitch.tv");
    h.drop_socket(link);
    let (_, wait) = disconnects(&h.take_events()).pop().unwrap();
    assert!(wait.unwrap() <= secs(1), "{wait:?}");
}

#[test]
fn news_from_a_replaced_socket_is_ignored() {
    let mut h = Harness::new(config(&["alpha"]));
    let old = h.log_in();
    h.server(old, ":tmi.twitch.tv RECONNECT");
    h.advance(Duration::ZERO);
    let new = h.log_in();
    h.take_events();
    h.server(old, "@id=x :bob!bob@bob.tmi.twitch.tv PRIVMSG #alpha :late");
    h.drop_socket(old);
    assert!(
        h.take_events().is_empty(),
        "the old socket's line and end change nothing"
    );
    assert!(h.open.contains(&new) && !h.closed.contains(&new));
}

#[test]
fn garbage_lines_are_reported_and_the_connection_stays() {
    let mut h = Harness::new(config(&["alpha"]));
    let link = h.log_in();
    h.take_events();
    h.server(
        link,
        "\u{1}\u{2} not irc\r\n:only.a.source\r\nPING :tmi.twitch.tv",
    );
    let unparsed = h
        .events
        .iter()
        .filter(|e| matches!(e, ChatEvent::Unparsed { .. }))
        .count();
    assert_eq!(unparsed, 2);
    assert!(h.take(link).contains(&"PONG :tmi.twitch.tv".to_owned()));
    assert!(h.closed.is_empty());
}
