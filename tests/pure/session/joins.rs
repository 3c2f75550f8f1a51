//! Joining: Twitch's 20 JOINs per 10 s (over all of an account's connections), progress the
//! app can show, failures, unanswered JOINs, and further connections past the channels one
//! carries.

use std::time::Duration;

use super::*;
use ttvchat::net::chat::{DisconnectReason, DropReason, SendStatus};

fn names(count: usize) -> Vec<String> {
    (1..=count).map(|i| format!("room{i}")).collect()
}

fn config_for(channels: &[String], per_connection: usize) -> ChatConfig {
    let names: Vec<&str> = channels.iter().map(String::as_str).collect();
    ChatConfig {
        channels_per_connection: per_connection,
        ..config(&names)
    }
}

/// JOINs written, by when, over every link: (seconds since start, channels in the line).
fn joins_over_time(h: &Harness) -> Vec<(Duration, usize)> {
    h.log
        .iter()
        .filter_map(|(at, _, line)| Some((*at, line.strip_prefix("JOIN ")?.split(',').count())))
        .collect()
}

/// The most JOINs in any window of `window` (starting at a JOIN).
fn most_in_window(joins: &[(Duration, usize)], window: Duration) -> usize {
    joins
        .iter()
        .map(|(start, _)| {
            joins
                .iter()
                .filter(|(at, _)| *at >= *start && *at < *start + window)
                .map(|(_, n)| n)
                .sum()
        })
        .max()
        .unwrap_or(0)
}

fn progress(events: &[ChatEvent]) -> Vec<(usize, usize)> {
    events
        .iter()
        .filter_map(|e| match e {
            ChatEvent::JoinProgress { joined, wanted } => Some((*joined, *wanted)),
            _ => None,
        })
        .collect()
}

#[test]
fn fifty_channels_join_twenty_per_ten_seconds_with_progress() {
    let channels = names(50);
    let mut h = Harness::new(config_for(&channels, 100));
    let link = h.log_in();
    h.serve(link);
    assert_eq!(progress(&h.events).last(), Some(&(20, 50)));
    h.advance(Duration::from_millis(10_499));
    h.serve(link);
    assert_eq!(
        progress(&h.events).last(),
        Some(&(20, 50)),
        "not before 10 s and the margin"
    );
    h.advance(Duration::from_millis(1));
    h.serve(link);
    assert_eq!(progress(&h.events).last(), Some(&(40, 50)));
    h.advance(Duration::from_millis(10_500));
    h.serve(link);
    assert_eq!(progress(&h.events).last(), Some(&(50, 50)));
    let joins = joins_over_time(&h);
    assert_eq!(joins.iter().map(|(_, n)| n).sum::<usize>(), 50);
    assert_eq!(most_in_window(&joins, secs(10)), 20);
    let joined = h
        .events
        .iter()
        .filter(|e| matches!(e, ChatEvent::Joined { .. }))
        .count();
    assert_eq!(joined, 50);
}

#[test]
fn five_hundred_channels_use_five_connections_sharing_one_join_budget() {
    let channels = names(500);
    let mut h = Harness::new(config_for(&channels, 100));
    assert_eq!(h.opening.len(), 5, "one connection per hundred channels");
    let mut links = Vec::new();
    while !h.opening.is_empty() {
        links.push(h.log_in());
    }
    let mut seen_120 = false;
    for _ in 0..600 {
        for link in &links {
            h.serve(*link);
        }
        seen_120 |= progress(&h.events).contains(&(120, 500));
        if progress(&h.events).last() == Some(&(500, 500)) {
            break;
        }
        h.advance(Duration::from_millis(500));
    }
    assert!(seen_120, "the app was told 'joining 120 of 500'");
    assert_eq!(progress(&h.events).last(), Some(&(500, 500)));
    let elapsed = h.now - h.t0;
    assert!(elapsed >= secs(240) && elapsed <= secs(270), "{elapsed:?}");
    let joins = joins_over_time(&h);
    assert_eq!(joins.iter().map(|(_, n)| n).sum::<usize>(), 500);
    assert_eq!(
        most_in_window(&joins, secs(10)),
        20,
        "over all connections together"
    );
    // Each connection carried its own hundred.
    for link in &links {
        let on_link: usize = h
            .log
            .iter()
            .filter(|(_, l, line)| l == link && line.starts_with("JOIN "))
            .map(|(_, _, line)| line.split(',').count())
            .sum();
        assert_eq!(on_link, 100);
    }
}

#[test]
fn a_further_connection_lost_tells_its_channels_and_comes_back_alone() {
    let channels = names(3);
    let mut h = Harness::new(config_for(&channels, 2));
    let first = h.log_in();
    let second = h.log_in();
    h.serve(first);
    h.serve(second);
    h.take_events();
    h.drop_socket(second);
    let events = h.take_events();
    let lost = events.iter().find_map(|e| match e {
        ChatEvent::ChannelsLost {
            channels,
            reason,
            retry_in,
        } => Some((channels.clone(), reason.clone(), *retry_in)),
        _ => None,
    });
    let (lost, reason, wait) = lost.expect("the further connection's channels are told");
    assert_eq!(
        (lost, reason),
        (vec![login("room3")], DisconnectReason::Closed)
    );
    assert!(
        !events
            .iter()
            .any(|e| matches!(e, ChatEvent::Disconnected { .. })),
        "the account's connection is fine"
    );
    assert_eq!(progress(&events), [(2, 3)]);
    h.advance(wait);
    let again = h.log_in();
    assert_eq!(h.take(again)[3..], ["JOIN #room3"]);
    assert!(
        h.take(first).is_empty(),
        "the first connection rejoins nothing"
    );
}

#[test]
fn parting_every_channel_of_a_further_connection_closes_it() {
    let channels = names(3);
    let mut h = Harness::new(config_for(&channels, 2));
    let first = h.log_in();
    let second = h.log_in();
    h.serve(first);
    h.serve(second);
    h.command(Command::Part(login("room3")));
    assert_eq!(h.take(second), ["PART #room3"]);
    assert_eq!(h.closed, [second]);
    // A new channel fits on the first connection again... once there is room.
    h.command(Command::Part(login("room1")));
    h.command(Command::Join(login("room9")));
    assert!(h.opening.is_empty());
    assert_eq!(h.take(first), ["PART #room1", "JOIN #room9"]);
}

#[test]
fn a_channel_that_cannot_be_joined_is_given_up_and_its_messages_dropped() {
    let mut h = Harness::new(config(&["gone"]));
    let link = h.log_in();
    assert_eq!(h.take(link)[3..], ["JOIN #gone"]);
    let id = h.send("gone", "hello?");
    h.server(
        link,
        "@msg-id=msg_channel_suspended :tmi.twitch.tv NOTICE #gone :This channel does not exist or has been suspended.",
    );
    let events = h.take_events();
    assert!(
        events.iter().any(
            |e| matches!(e, ChatEvent::JoinFailed { channel, .. } if channel.as_str() == "gone")
        )
    );
    assert!(events.iter().any(|e| matches!(
        e,
        ChatEvent::Outgoing { id: i, status: SendStatus::Dropped { reason: DropReason::ChannelUnavailable } } if *i == id
    )));
    h.advance(secs(60));
    let later = h.take(link);
    assert!(
        !later
            .iter()
            .any(|l| l.starts_with("JOIN") || l.starts_with("PRIVMSG")),
        "{later:?}"
    );
}

#[test]
fn an_unanswered_join_is_reported_and_tried_again() {
    let mut h = Harness::new(config(&["quiet"]));
    let link = h.log_in();
    assert_eq!(h.take(link)[3..], ["JOIN #quiet"]);
    h.take_events();
    h.advance(secs(15));
    let failed = h.take_events();
    assert!(failed.iter().any(|e| matches!(
        e,
        ChatEvent::JoinFailed { reason, .. } if reason.contains("did not answer")
    )));
    assert_eq!(h.take(link), ["JOIN #quiet"], "joined again at once");
}
