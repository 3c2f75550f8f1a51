//! Sending: Twitch's 20 (or 100) messages per 30 s, slow mode, the queue through an outage,
//! Twitch's answers (confirmed, refused, too fast), and taking a message back.

use std::time::Duration;

use super::*;
use ttvchat::net::chat::{DropReason, SendStatus};

/// The fates told for message `id`.
fn fates(h: &Harness, id: MessageId) -> Vec<SendStatus> {
    h.events
        .iter()
        .filter_map(|e| match e {
            ChatEvent::Outgoing { id: i, status } if *i == id => Some(status.clone()),
            _ => None,
        })
        .collect()
}

/// When each PRIVMSG went out, and its text.
fn privmsgs(h: &Harness) -> Vec<(Duration, String)> {
    h.log
        .iter()
        .filter_map(|(at, _, line)| {
            let text = line.strip_prefix("PRIVMSG ")?.split_once(" :")?.1;
            Some((*at, text.to_owned()))
        })
        .collect()
}

/// A session logged in and joined to #alpha.
fn joined() -> (Harness, LinkId) {
    let mut h = Harness::new(config(&["alpha"]));
    let link = h.log_in();
    h.serve(link);
    (h, link)
}

#[test]
fn a_viewer_sends_twenty_per_thirty_seconds_and_the_rest_waits_in_order() {
    let (mut h, _) = joined();
    let ids: Vec<MessageId> = (1..=25)
        .map(|i| h.send("alpha", &format!("m{i}")))
        .collect();
    assert_eq!(privmsgs(&h).len(), 20);
    assert!(matches!(
        fates(&h, ids[20])[..],
        [SendStatus::Throttled { .. }]
    ));
    h.advance(Duration::from_millis(30_499));
    assert_eq!(privmsgs(&h).len(), 20, "the window and its margin");
    h.advance(Duration::from_millis(1));
    let sent = privmsgs(&h);
    assert_eq!(sent.len(), 25);
    let texts: Vec<&str> = sent.iter().map(|(_, t)| t.as_str()).collect();
    let expected: Vec<String> = (1..=25).map(|i| format!("m{i}")).collect();
    assert_eq!(texts, expected);
    assert_eq!(fates(&h, ids[24]).last(), Some(&SendStatus::Sent));
}

#[test]
fn a_moderator_sends_a_hundred_per_thirty_seconds() {
    let (mut h, link) = joined();
    h.server(
        link,
        "@badges=moderator/1;mod=1 :tmi.twitch.tv USERSTATE #alpha",
    );
    for i in 1..=120 {
        h.send("alpha", &format!("m{i}"));
    }
    assert_eq!(privmsgs(&h).len(), 100);
}

#[test]
fn slow_mode_is_waited_out_instead_of_refused() {
    let (mut h, link) = joined();
    h.server(link, "@room-id=1;slow=30 :tmi.twitch.tv ROOMSTATE #alpha");
    h.send("alpha", "first");
    let second = h.send("alpha", "second");
    assert_eq!(privmsgs(&h).len(), 1);
    assert!(matches!(fates(&h, second)[..], [SendStatus::Throttled { wait }] if wait > secs(29)));
    h.advance(secs(30));
    assert_eq!(privmsgs(&h).len(), 1);
    h.advance(Duration::from_millis(500));
    assert_eq!(privmsgs(&h).len(), 2);
}

#[test]
fn answers_confirm_or_refuse_with_twitchs_msg_id_in_order() {
    let (mut h, link) = joined();
    let first = h.send("alpha", "hello");
    let second = h.send("alpha", "hello");
    h.server(link, "@id=abc :tmi.twitch.tv USERSTATE #alpha");
    h.server(
        link,
        "@msg-id=msg_duplicate :tmi.twitch.tv NOTICE #alpha :Your message is identical to the one you sent less than 30 seconds ago.",
    );
    assert_eq!(
        fates(&h, first).last(),
        Some(&SendStatus::Confirmed {
            message_id: Some("abc".into())
        })
    );
    assert!(matches!(
        fates(&h, second).last(),
        Some(SendStatus::Rejected { msg_id, .. }) if msg_id == "msg_duplicate"
    ));
}

#[test]
fn too_fast_says_twitch_so_the_message_goes_again_after_a_whole_window() {
    let (mut h, link) = joined();
    let id = h.send("alpha", "hi");
    h.server(
        link,
        "@msg-id=msg_ratelimit :tmi.twitch.tv NOTICE #alpha :Your message was not sent because you are sending messages too quickly.",
    );
    assert!(matches!(
        fates(&h, id).last(),
        Some(SendStatus::Throttled { .. })
    ));
    h.advance(secs(30));
    assert_eq!(privmsgs(&h).len(), 1, "not yet");
    h.advance(Duration::from_millis(500));
    assert_eq!(privmsgs(&h).len(), 2, "sent again");
}

#[test]
fn messages_typed_during_an_outage_go_out_after_it_in_order_with_the_unanswered_first() {
    let (mut h, link) = joined();
    let unanswered = h.send("alpha", "in flight");
    h.drop_socket(link);
    let during: Vec<MessageId> = (1..=3)
        .map(|i| h.send("alpha", &format!("typed {i}")))
        .collect();
    assert_eq!(privmsgs(&h).len(), 1);
    let wait = h.events.iter().find_map(|e| match e {
        ChatEvent::Disconnected { retry_in, .. } => *retry_in,
        _ => None,
    });
    h.advance(wait.unwrap());
    let again = h.log_in();
    h.serve(again);
    let texts: Vec<String> = privmsgs(&h).into_iter().map(|(_, t)| t).collect();
    assert_eq!(
        texts,
        ["in flight", "in flight", "typed 1", "typed 2", "typed 3"]
    );
    assert_eq!(fates(&h, unanswered).last(), Some(&SendStatus::Sent));
    assert!(
        during
            .iter()
            .all(|id| fates(&h, *id).last() == Some(&SendStatus::Sent))
    );
}

#[test]
fn a_full_queue_drops_the_newest_and_says_so() {
    let mut h = Harness::new(ChatConfig {
        queue_capacity: 3,
        ..config(&["alpha"])
    });
    let ids: Vec<MessageId> = (1..=4).map(|i| h.send("alpha", &format!("m{i}"))).collect();
    assert_eq!(
        fates(&h, ids[3]),
        [SendStatus::Dropped {
            reason: DropReason::QueueFull
        }]
    );
    assert!(
        fates(&h, ids[2]).is_empty(),
        "the third waits for the connection"
    );
}

#[test]
fn a_waiting_message_taken_back_never_goes_out() {
    let (mut h, link) = joined();
    h.server(link, "@room-id=1;slow=30 :tmi.twitch.tv ROOMSTATE #alpha");
    h.send("alpha", "first");
    let second = h.send("alpha", "second");
    h.command(Command::Cancel(second));
    assert_eq!(
        fates(&h, second).last(),
        Some(&SendStatus::Dropped {
            reason: DropReason::Cancelled
        })
    );
    h.advance(secs(120));
    assert_eq!(privmsgs(&h).len(), 1);
}
