//! Twitch's limits planned, not hit: 300 subscriptions per socket, 3 sockets per account, the
//! most needed feeds first, and what does not fit named.

use std::collections::HashMap;

use super::*;
use ttvchat::twitch::eventsub::Unavailable;

#[test]
fn a_hundred_moderated_channels_fit_twitch_s_limits_with_the_queue_and_mod_log_everywhere() {
    let mut h = Harness::new(config());
    let first = h.open();
    h.welcome(first, "s-0", 10);
    let mut sessions = 1;
    for n in 0..100 {
        h.watch(&format!("chan{n}"), &format!("{}", 5000 + n), true);
        // Sockets come as subscriptions need them: at most three.
        while !h.opening.is_empty() {
            let link = h.open();
            h.welcome(link, &format!("s-{sessions}"), 10);
            sessions += 1;
        }
        h.accept_all();
    }
    assert_eq!(sessions, 3);
    let mut per_session: HashMap<String, usize> = HashMap::new();
    for r in h.live.values() {
        *per_session.entry(r.session_id.clone()).or_default() += 1;
    }
    assert_eq!(per_session.len(), 3);
    assert!(per_session.values().all(|&n| n <= 300), "{per_session:?}");
    assert_eq!(h.live.len(), 900);
    for feed in [
        Feed::AutomodHold,
        Feed::AutomodUpdate,
        Feed::Moderate,
        Feed::UserMessageHold,
        Feed::UnbanRequestCreate,
    ] {
        let n = h.live.values().filter(|r| r.feed == feed).count();
        assert_eq!(n, 100, "{feed:?} in every channel");
    }
    let left_out: usize = h
        .events
        .iter()
        .filter_map(|e| match e {
            FeedEvent::Unavailable {
                feeds,
                reason: Unavailable::OverLimit { subscriptions: 900 },
                ..
            } => Some(feeds.len()),
            _ => None,
        })
        .sum();
    assert_eq!(left_out, 1 + 100 * 14 - 900, "everything left out is named");
    assert!(
        h.events
            .iter()
            .filter_map(|e| match e {
                FeedEvent::Unavailable { feeds, .. } => Some(feeds),
                _ => None,
            })
            .flatten()
            .all(|f| !matches!(f, Feed::AutomodHold | Feed::Moderate)),
        "the queue and the mod log are never the ones left out"
    );
}

#[test]
fn a_few_channels_share_one_socket_and_leaving_them_all_closes_no_socket_with_whispers() {
    let (mut h, link) = Harness::connected(config());
    for n in 0..10 {
        h.watch(&format!("chan{n}"), &format!("{n}"), n % 2 == 0);
    }
    assert!(h.opening.is_empty(), "5 x 14 + 5 x 2 + 1 fit one socket");
    h.accept_all();
    assert_eq!(h.session.counts(), (81, 81));
    for n in 0..10 {
        h.command(Command::Unwatch(login(&format!("chan{n}"))));
    }
    assert!(!h.closed.contains(&link));
    assert_eq!(h.session.counts(), (1, 1));
}

#[test]
fn a_second_socket_opens_past_three_hundred_and_closes_when_its_channels_go() {
    let mut config = config();
    config.per_socket = 20;
    let (mut h, first) = Harness::connected(config);
    h.watch("one", "1", true);
    assert!(h.opening.is_empty(), "1 + 14 fit 20");
    h.watch("two", "2", true);
    let second = h.open();
    h.welcome(second, "session-2", 10);
    h.accept_all();
    h.command(Command::Unwatch(login("two")));
    h.command(Command::Unwatch(login("one")));
    assert!(h.closed.contains(&second));
    assert!(!h.closed.contains(&first));
}
