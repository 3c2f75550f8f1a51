//! `session_reconnect`: the new socket takes over at its welcome, with no notification lost or
//! repeated and no subscription asked for again.

use super::*;

const NEW_URL: &str = "wss://cell-a.eventsub.wss.twitch.tv/ws?challenge=a47&id=session-1";

#[test]
fn a_reconnect_hands_over_at_the_new_welcome_without_loss_or_repeat() {
    let (mut h, old) = Harness::connected(config());
    h.watch("cozy", "42", true);
    h.accept_all();
    h.whisper(old, "w-1", "one");
    h.reconnect(old, "session-1", NEW_URL);
    assert_eq!(
        h.opening.last().map(|(_, u)| u.as_str()),
        Some(NEW_URL),
        "the URL verbatim"
    );
    let new = h.open();
    assert!(
        h.closed.is_empty(),
        "the old socket stays until the new welcome"
    );
    h.whisper(old, "w-2", "two");
    h.advance(secs(8));
    h.welcome(new, "session-1b", 10);
    assert_eq!(h.closed, [old], "closed once the new one is welcomed");
    assert!(h.requests.is_empty(), "the subscriptions came along");
    // Twitch may send again what the old socket delivered.
    h.whisper(new, "w-2", "two");
    h.whisper(new, "w-3", "three");
    h.whisper(old, "w-4", "from a closed socket");
    assert_eq!(h.whispers(), ["one", "two", "three"]);
    assert!(
        !h.events
            .iter()
            .any(|e| matches!(e, FeedEvent::Disconnected { .. })),
        "a handover is not an outage"
    );
    h.advance(secs(14));
    assert_eq!(
        h.closed,
        [old],
        "the new socket's keepalive clock runs from its welcome"
    );
    h.advance(secs(2));
    assert_eq!(h.closed, [old, new]);
}

#[test]
fn a_handover_whose_new_socket_fails_keeps_the_old_one_until_it_closes() {
    let (mut h, old) = Harness::connected(config());
    h.reconnect(old, "session-1", NEW_URL);
    let (new, _) = h.opening.pop().unwrap();
    h.session.open_failed(new, "refused".into(), h.now);
    h.drain();
    h.whisper(old, "w-1", "still here");
    assert_eq!(h.whispers(), ["still here"]);
    h.session
        .closed(old, ttvchat::twitch::eventsub::SocketEnd::Code(4004), h.now);
    h.drain();
    let Some(FeedEvent::Disconnected { retry_in, .. }) = h.events.last().cloned() else {
        panic!("no disconnect told");
    };
    h.advance(retry_in);
    let fresh = h.open();
    assert!(h.closed.is_empty());
    h.welcome(fresh, "session-2", 10);
    assert_eq!(h.requests.len(), 1, "a fresh session subscribes again");
}

#[test]
fn the_old_socket_closing_before_the_new_welcome_leaves_the_new_one_in_charge() {
    let (mut h, old) = Harness::connected(config());
    h.reconnect(old, "session-1", NEW_URL);
    let new = h.open();
    h.session.closed(
        old,
        ttvchat::twitch::eventsub::SocketEnd::Lost("reset".into()),
        h.now,
    );
    h.drain();
    h.welcome(new, "session-1b", 10);
    assert!(
        h.requests.is_empty(),
        "the subscriptions moved with the reconnect"
    );
    h.whisper(new, "w-1", "hi");
    assert_eq!(h.whispers(), ["hi"]);
}

#[test]
fn a_new_socket_that_never_welcomes_is_dropped_and_the_old_one_goes_on() {
    let (mut h, old) = Harness::connected(config());
    h.reconnect(old, "session-1", NEW_URL);
    let new = h.open();
    h.advance(secs(5));
    h.keepalive(old);
    h.advance(secs(5));
    assert_eq!(h.closed, [new]);
    h.whisper(old, "w-1", "old still delivers");
    assert_eq!(h.whispers(), ["old still delivers"]);
}
