//! Welcome, subscribing within the window, keepalive, drops and resubscribing, revocation,
//! repeats, and the app's channels and roles coming and going.

use super::*;
use ttvchat::twitch::eventsub::{SocketEnd, Unavailable};

#[test]
fn the_welcome_is_answered_at_once_with_every_subscription_before_any_time_passes() {
    let mut h = Harness::new(config());
    assert_eq!(h.opening.len(), 1, "one socket for the account's whispers");
    assert_eq!(h.opening[0].1, "wss://eventsub.wss.twitch.tv/ws");
    let link = h.open();
    h.watch("cozy", "42", true);
    assert!(h.requests.is_empty(), "nothing is asked before the welcome");
    h.welcome(link, "session-1", 10);
    assert_eq!(h.requests.len(), 15, "whispers and 14 moderator feeds");
    assert!(h.requests.iter().all(|r| r.session_id == "session-1"));
    let hold = h
        .requests
        .iter()
        .find(|r| r.feed == Feed::AutomodHold)
        .unwrap();
    assert_eq!(hold.condition.broadcaster_user_id.as_deref(), Some("42"));
    assert_eq!(hold.condition.moderator_user_id.as_deref(), Some(ME));
    assert!(!h.events.contains(&FeedEvent::Connected));
    h.accept_all();
    assert_eq!(h.events, [FeedEvent::Connected]);
    assert_eq!(h.session.counts(), (15, 15));
}

#[test]
fn silence_past_the_keepalive_closes_the_socket_and_a_new_one_subscribes_again() {
    let (mut h, link) = Harness::connected(config());
    h.watch("cozy", "42", true);
    h.accept_all();
    h.advance(secs(9));
    h.keepalive(link);
    h.advance(secs(14));
    assert!(h.closed.is_empty(), "a keepalive resets the clock");
    h.advance(secs(1));
    assert_eq!(h.closed, [link], "10 s keepalive + 5 s grace");
    let Some(FeedEvent::Disconnected { reason, retry_in }) = h.events.last().cloned() else {
        panic!("no disconnect told: {:?}", h.events);
    };
    assert_eq!(reason, SocketEnd::Silent(secs(15)));
    assert!(h.opening.is_empty());
    h.advance(retry_in);
    let next = h.open();
    h.welcome(next, "session-2", 10);
    assert_eq!(h.requests.len(), 15, "everything again on the new session");
    assert!(h.requests.iter().all(|r| r.session_id == "session-2"));
    h.accept_all();
    assert_eq!(h.events.last(), Some(&FeedEvent::Connected));
}

#[test]
fn every_close_code_reconnects_and_resubscribes_with_the_code_told() {
    for code in 4000..=4007u16 {
        let (mut h, link) = Harness::connected(config());
        h.session.closed(link, SocketEnd::Code(code), h.now);
        h.drain();
        let Some(FeedEvent::Disconnected { reason, retry_in }) = h.events.last().cloned() else {
            panic!("{code}: no disconnect told");
        };
        assert_eq!(reason, SocketEnd::Code(code));
        assert!(reason.to_string().contains(&code.to_string()));
        h.advance(retry_in);
        let next = h.open();
        h.welcome(next, "session-2", 10);
        assert_eq!(h.requests.len(), 1, "{code}: whispers again");
    }
}

#[test]
fn a_socket_that_sends_no_welcome_is_given_up_and_tried_again() {
    let mut h = Harness::new(config());
    let link = h.open();
    h.advance(secs(10));
    assert_eq!(h.closed, [link]);
    assert!(matches!(
        h.events.last(),
        Some(FeedEvent::Disconnected {
            reason: SocketEnd::NoWelcome,
            ..
        })
    ));
    assert!(h.opening.is_empty());
    h.advance(secs(1));
    assert_eq!(h.opening.len(), 1, "tried again after the backoff");
}

#[test]
fn a_repeated_notification_reaches_the_app_once() {
    let (mut h, link) = Harness::connected(config());
    h.whisper(link, "w-1", "hello");
    h.whisper(link, "w-1", "hello");
    h.whisper(link, "w-2", "again");
    assert_eq!(h.whispers(), ["hello", "again"]);
}

#[test]
fn a_revocation_names_the_feed_and_why_and_nothing_is_asked_again() {
    let (mut h, link) = Harness::connected(config());
    h.watch("cozy", "42", true);
    h.accept_all();
    let frame = envelope(
        "r-1",
        "revocation",
        Some(("channel.moderate", "2")),
        json!({"subscription": subscription("x", "channel.moderate", "2",
            "authorization_revoked",
            json!({"broadcaster_user_id": "42", "moderator_user_id": ME}))}),
    );
    h.frame(link, frame);
    assert_eq!(
        h.events.last(),
        Some(&FeedEvent::Unavailable {
            channel: Some(login("cozy")),
            feeds: vec![Feed::Moderate],
            reason: Unavailable::Revoked("authorization_revoked".into()),
        })
    );
    assert!(h.requests.is_empty());
    assert_eq!(h.session.counts(), (14, 14));
}

#[test]
fn a_missing_scope_is_named_once_per_scope_and_those_feeds_are_not_asked_for() {
    let mut config = config();
    config
        .scopes
        .retain(|s| s != "moderator:manage:automod" && s != "moderator:read:suspicious_users");
    let (mut h, _) = Harness::connected(config);
    h.watch("cozy", "42", true);
    let missing: Vec<&FeedEvent> = h
        .events
        .iter()
        .filter(|e| matches!(e, FeedEvent::Unavailable { .. }))
        .collect();
    assert_eq!(
        missing,
        [
            &FeedEvent::Unavailable {
                channel: Some(login("cozy")),
                feeds: vec![Feed::AutomodHold, Feed::AutomodUpdate],
                reason: Unavailable::MissingScope("moderator:manage:automod".into()),
            },
            &FeedEvent::Unavailable {
                channel: Some(login("cozy")),
                feeds: vec![Feed::SuspiciousMessage, Feed::SuspiciousUpdate],
                reason: Unavailable::MissingScope("moderator:read:suspicious_users".into()),
            },
        ]
    );
    assert_eq!(h.requests.len(), 10);
    assert!(h.requests.iter().all(|r| !matches!(
        r.feed,
        Feed::AutomodHold | Feed::AutomodUpdate | Feed::SuspiciousMessage | Feed::SuspiciousUpdate
    )));
}

#[test]
fn losing_the_moderator_role_deletes_the_moderator_feeds_and_leaving_deletes_the_rest() {
    let (mut h, _) = Harness::connected(config());
    h.watch("cozy", "42", true);
    h.accept_all();
    h.watch("cozy", "42", false);
    assert_eq!(h.deleted.len(), 12, "14 feeds, 2 of them a chatter's");
    assert!(h.requests.is_empty());
    h.command(Command::Unwatch(login("cozy")));
    assert_eq!(h.deleted.len(), 14);
    assert_eq!(h.session.counts(), (1, 1), "whispers stay");
}

#[test]
fn refusals_are_named_and_a_helix_outage_is_tried_again() {
    let (mut h, _) = Harness::connected(config());
    h.watch("cozy", "42", true);
    let requests = std::mem::take(&mut h.requests);
    let moderate = requests.iter().find(|r| r.feed == Feed::Moderate).unwrap();
    let follow = requests.iter().find(|r| r.feed == Feed::Follow).unwrap();
    h.answer(moderate.request, Err(SubscribeError::NotAllowed));
    assert_eq!(
        h.events.last(),
        Some(&FeedEvent::Unavailable {
            channel: Some(login("cozy")),
            feeds: vec![Feed::Moderate],
            reason: Unavailable::NotAllowed,
        })
    );
    h.answer(
        follow.request,
        Err(SubscribeError::Network("connection refused".into())),
    );
    assert!(h.requests.is_empty());
    h.advance(secs(5));
    assert_eq!(h.requests.len(), 1, "asked again after 5 s");
    assert_eq!(h.requests[0].feed, Feed::Follow);
    // A request already made stays: "already exists" is running.
    let hold = requests
        .iter()
        .find(|r| r.feed == Feed::AutomodHold)
        .unwrap();
    h.answer(hold.request, Err(SubscribeError::AlreadyExists));
    assert_eq!(h.session.counts().0, 2);
}
