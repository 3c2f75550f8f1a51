//! The chat actor against the simulator over loopback: login, channels, keepalive, every fault
//! mode, rate limits and the outbox. Each test checks what the simulator received as well as
//! what the actor reported.

use crate::common;

use std::time::Duration;

use common::*;
use ttvchat::net::chat::{
    ChatEvent, Credentials, DisconnectReason, DropReason, OutgoingMessage, SendStatus,
};
use ttvchat::net::transport::MAX_LINE;
use ttvchat::sim::{Fault, SimEvent};
use ttvchat::twitch::Login;

fn message(channel: &str, text: &str) -> OutgoingMessage {
    OutgoingMessage {
        channel: Login::parse(channel).unwrap(),
        text: text.into(),
        action: false,
        reply_to: None,
    }
}

fn count(sim: &ttvchat::sim::SimHandle, pred: impl Fn(&SimEvent) -> bool) -> usize {
    sim.events().iter().filter(|s| pred(&s.event)).count()
}

/// Drops the connection and refuses new ones for `refuse`; returns once the actor noticed.
async fn outage(sim: &ttvchat::sim::SimHandle, events: &mut Events, refuse: Duration) {
    sim.fault(Fault::Refuse(refuse));
    sim.fault(Fault::Drop);
    events
        .until(WAIT, |e| matches!(e, ChatEvent::Disconnected { .. }))
        .await;
}

fn logins(sim: &ttvchat::sim::SimHandle) -> usize {
    count(sim, |e| matches!(e, SimEvent::LoggedIn { .. }))
}

#[tokio::test]
async fn logs_in_with_a_token_and_requests_capabilities() {
    let sim = start_sim().await;
    let (_chat, mut events) = spawn(chat_config(&sim, user(&sim, "viewer"), &[]));
    let connected = events.until(WAIT, is_connected).await;
    let ChatEvent::Connected {
        login,
        anonymous,
        global,
    } = connected
    else {
        unreachable!()
    };
    assert_eq!(login.as_str(), "viewer");
    assert!(!anonymous);
    assert!(
        global.and_then(|g| g.user_id).is_some(),
        "GLOBALUSERSTATE comes with the login"
    );
    let received = sim.received();
    assert_eq!(
        received[..3],
        [
            "CAP REQ :twitch.tv/tags twitch.tv/commands twitch.tv/membership".to_owned(),
            format!("PASS oauth:{}", sim.token("viewer").unwrap()),
            "NICK viewer".to_owned(),
        ]
    );
    assert!(sim.events().iter().any(|s| s.event
        == SimEvent::LoggedIn {
            conn: 1,
            login: Some("viewer".into())
        }));
}

#[tokio::test]
async fn anonymous_login_is_read_only() {
    let sim = start_sim().await;
    let (chat, mut events) = spawn(chat_config(&sim, Credentials::Anonymous, &["alpha"]));
    let ChatEvent::Connected {
        login,
        anonymous,
        global,
    } = events.until(WAIT, is_connected).await
    else {
        unreachable!()
    };
    assert!(anonymous && global.is_none());
    assert!(login.as_str().starts_with("justinfan"));
    events.until(WAIT, |e| is_joined(e, "alpha")).await;
    let id = chat.send(message("alpha", "hello?"));
    let dropped = events
        .until(WAIT, |e| matches!(e, ChatEvent::Outgoing { .. }))
        .await;
    assert_eq!(
        dropped,
        ChatEvent::Outgoing {
            id,
            status: SendStatus::Dropped {
                reason: DropReason::ReadOnly
            }
        }
    );
    assert!(
        sim.received()
            .iter()
            .all(|l| !l.starts_with("PASS") && !l.starts_with("PRIVMSG"))
    );
    assert!(
        sim.events()
            .iter()
            .any(|s| matches!(&s.event, SimEvent::LoggedIn { login: None, .. }))
    );
    assert_eq!(sim.members("alpha"), [login.to_string()]);
}

#[tokio::test]
async fn a_bad_token_stops_retrying_until_new_credentials() {
    let sim = start_sim().await;
    let bad = Credentials::User {
        login: Login::parse("viewer").unwrap(),
        token: ttvchat::twitch::outgoing::Token::new("oauth:wrongtoken"),
    };
    let (chat, mut events) = spawn(chat_config(&sim, bad, &["alpha"]));
    let failed = events
        .until(WAIT, |e| matches!(e, ChatEvent::AuthFailed { .. }))
        .await;
    assert_eq!(
        failed,
        ChatEvent::AuthFailed {
            reason: "Login authentication failed".into()
        }
    );
    let disconnected = events
        .until(WAIT, |e| matches!(e, ChatEvent::Disconnected { .. }))
        .await;
    assert!(matches!(
        disconnected,
        ChatEvent::Disconnected {
            reason: DisconnectReason::AuthFailed(_),
            retry_in: None
        }
    ));
    let later = events.during(Duration::from_millis(800)).await;
    assert!(
        later
            .iter()
            .all(|e| !matches!(e, ChatEvent::Connecting { .. })),
        "no retry with a bad token: {later:?}"
    );
    assert_eq!(count(&sim, |e| matches!(e, SimEvent::Accepted { .. })), 1);
    assert_eq!(count(&sim, |e| matches!(e, SimEvent::AuthFailed { .. })), 1);

    chat.relogin(user(&sim, "viewer"));
    events.until(WAIT, is_connected).await;
    events.until(WAIT, |e| is_joined(e, "alpha")).await;
}

#[tokio::test]
async fn joins_many_channels_within_the_join_limit_and_reports_failures() {
    let sim = start_sim().await;
    let channels = [
        "streamer",
        "alpha",
        "beta",
        "gamma",
        "delta",
        "nosuchchannel",
    ];
    let (chat, mut events) = spawn(chat_config(&sim, user(&sim, "viewer"), &channels));
    for channel in &channels[..5] {
        events.until(WAIT, |e| is_joined(e, channel)).await;
    }
    let failed = events
        .seen_or_until(WAIT, |e| matches!(e, ChatEvent::JoinFailed { .. }))
        .await;
    assert!(
        matches!(failed, ChatEvent::JoinFailed { channel, .. } if channel.as_str() == "nosuchchannel")
    );
    for channel in &channels[..5] {
        assert_eq!(sim.members(channel), ["viewer"], "{channel}");
    }
    let joins: Vec<String> = sim
        .received()
        .into_iter()
        .filter(|l| l.starts_with("JOIN"))
        .collect();
    assert_eq!(
        joins[0], "JOIN #streamer,#alpha,#beta",
        "one JOIN line carries many channels"
    );
    assert!(
        joins.len() >= 2,
        "six channels at three per window take two JOINs: {joins:?}"
    );
    assert_eq!(
        count(&sim, |e| matches!(e, SimEvent::JoinViolation { .. })),
        0
    );

    chat.part(Login::parse("beta").unwrap());
    events
        .until(
            WAIT,
            |e| matches!(e, ChatEvent::Parted { channel } if channel.as_str() == "beta"),
        )
        .await;
    sim.wait_received(WAIT, |l| l == "PART #beta")
        .await
        .expect("PART sent");
}

#[tokio::test]
async fn answers_server_pings_and_pings_when_idle() {
    let sim = start_sim().await;
    let (_chat, mut events) = spawn(chat_config(&sim, user(&sim, "viewer"), &["alpha"]));
    events.until(WAIT, is_connected).await;
    sim.fault(Fault::Ping);
    sim.wait_received(WAIT, |l| l == "PONG tmi.twitch.tv")
        .await
        .expect("PONG to the server's PING");
    let ping = sim
        .wait_received(WAIT, |l| l.starts_with("PING ttvchat-"))
        .await;
    assert!(ping.is_some(), "the actor PINGs an idle connection");
    let quiet = events.during(Duration::from_millis(1500)).await;
    assert!(
        quiet
            .iter()
            .all(|e| !matches!(e, ChatEvent::Disconnected { .. })),
        "answered PINGs keep the connection: {quiet:?}"
    );
    assert_eq!(logins(&sim), 1);
}

#[tokio::test]
async fn a_server_that_keeps_asking_to_reconnect_is_backed_off() {
    let sim = start_sim().await;
    let (_chat, mut events) = spawn(chat_config(&sim, user(&sim, "viewer"), &["alpha"]));
    events.until(WAIT, |e| is_joined(e, "alpha")).await;
    let mut waits = Vec::new();
    for _ in 0..3 {
        sim.fault(Fault::Reconnect);
        let disconnected = events
            .until(WAIT, |e| matches!(e, ChatEvent::Disconnected { .. }))
            .await;
        let ChatEvent::Disconnected {
            reason: DisconnectReason::ReconnectRequested,
            retry_in: Some(wait),
        } = disconnected
        else {
            panic!("{disconnected:?}");
        };
        waits.push(wait);
        events.until(WAIT, |e| is_joined(e, "alpha")).await;
    }
    // The test's backoff starts at 100 ms: at once, then 50..100 ms, then 100..200 ms.
    assert_eq!(
        waits[0],
        Duration::ZERO,
        "the first request is followed at once"
    );
    assert!(waits[1] >= Duration::from_millis(50), "{waits:?}");
    assert!(waits[2] >= Duration::from_millis(100), "{waits:?}");
}

#[tokio::test]
async fn follows_reconnect_and_rejoins() {
    let sim = start_sim().await;
    let (_chat, mut events) = spawn(chat_config(&sim, user(&sim, "viewer"), &["alpha", "beta"]));
    events.until(WAIT, |e| is_joined(e, "beta")).await;
    sim.fault(Fault::Reconnect);
    let disconnected = events
        .until(WAIT, |e| matches!(e, ChatEvent::Disconnected { .. }))
        .await;
    assert_eq!(
        disconnected,
        ChatEvent::Disconnected {
            reason: DisconnectReason::ReconnectRequested,
            retry_in: Some(Duration::ZERO)
        }
    );
    events.until(WAIT, is_connected).await;
    events.until(WAIT, |e| is_joined(e, "alpha")).await;
    events.until(WAIT, |e| is_joined(e, "beta")).await;
    assert_eq!(logins(&sim), 2);
    let second = sim
        .events()
        .into_iter()
        .rev()
        .find_map(|s| match s.event {
            SimEvent::LoggedIn { conn, .. } => Some(conn),
            _ => None,
        })
        .unwrap();
    let mut rejoined: Vec<String> = sim
        .events()
        .into_iter()
        .filter_map(|s| match s.event {
            SimEvent::Received { conn, line } if conn == second => {
                line.strip_prefix("JOIN ").map(str::to_owned)
            }
            _ => None,
        })
        .flat_map(|targets| targets.split(',').map(str::to_owned).collect::<Vec<_>>())
        .collect();
    rejoined.sort();
    assert_eq!(
        rejoined,
        ["#alpha", "#beta"],
        "every channel is joined again on the new connection"
    );
    assert_eq!(sim.members("alpha"), ["viewer"]);
}

#[tokio::test]
async fn survives_a_dropped_socket_in_the_middle_of_a_flood() {
    let sim = start_sim().await;
    let (_chat, mut events) = spawn(chat_config(&sim, user(&sim, "viewer"), &["chatty"]));
    for _ in 0..50 {
        events.privmsg(|_| true).await;
    }
    sim.fault(Fault::Drop);
    let disconnected = events
        .until(WAIT, |e| matches!(e, ChatEvent::Disconnected { .. }))
        .await;
    let ChatEvent::Disconnected {
        retry_in: Some(retry),
        reason,
    } = disconnected
    else {
        panic!()
    };
    assert!(
        retry <= Duration::from_millis(100),
        "first retry is quick: {retry:?}"
    );
    assert!(
        matches!(reason, DisconnectReason::Io(_) | DisconnectReason::Closed),
        "{reason:?}"
    );
    events.until(WAIT, |e| is_joined(e, "chatty")).await;
    for _ in 0..50 {
        events.privmsg(|_| true).await;
    }
    assert_eq!(logins(&sim), 2);
    assert_eq!(sim.members("chatty"), ["viewer"]);
}

#[tokio::test]
async fn silence_is_detected_by_the_missing_pong() {
    let sim = start_sim().await;
    let (_chat, mut events) = spawn(chat_config(&sim, user(&sim, "viewer"), &["alpha"]));
    events.until(WAIT, |e| is_joined(e, "alpha")).await;
    sim.fault(Fault::Silence(Duration::from_millis(1500)));
    let disconnected = events
        .until(WAIT, |e| matches!(e, ChatEvent::Disconnected { .. }))
        .await;
    assert!(matches!(
        disconnected,
        ChatEvent::Disconnected {
            reason: DisconnectReason::PingTimeout,
            ..
        }
    ));
    sim.wait_received(WAIT, |l| l.starts_with("PING ttvchat-"))
        .await
        .expect("the unanswered PING");
    events.until(WAIT, |e| is_joined(e, "alpha")).await;
    assert!(
        logins(&sim) >= 2,
        "a new connection logged in after the silence"
    );
}

#[tokio::test]
async fn garbage_lines_are_reported_and_skipped_without_losing_the_connection() {
    let sim = start_sim().await;
    let (_chat, mut events) = spawn(chat_config(&sim, user(&sim, "viewer"), &["alpha"]));
    events.until(WAIT, |e| is_joined(e, "alpha")).await;
    sim.fault(Fault::Garbage);
    let mut unparsed = Vec::new();
    for _ in 0..5 {
        let ChatEvent::Unparsed { line, .. } = events
            .until(WAIT, |e| matches!(e, ChatEvent::Unparsed { .. }))
            .await
        else {
            unreachable!()
        };
        unparsed.push(line);
    }
    assert!(
        unparsed.iter().any(|l| l.ends_with("display-name=Half")),
        "the half line: {unparsed:?}"
    );
    sim.say("alpha", "someone", "still here Kappa").unwrap();
    let m = events.privmsg(|_| true).await;
    assert_eq!(m.text, "still here Kappa");
    assert!(
        events
            .seen
            .iter()
            .all(|e| !matches!(e, ChatEvent::Disconnected { .. }))
    );
    assert_eq!(logins(&sim), 1);
    assert_eq!(sim.connection_count(), 1);
    // The 20,000-byte NOTICE in the garbage is over the line limit: dropped, never shown.
    assert!(
        events.seen.iter().all(|e| match e {
            ChatEvent::Message(m) => !format!("{m:?}").contains(&"x".repeat(1000)),
            ChatEvent::Unparsed { line, .. } => line.len() <= MAX_LINE,
            _ => true,
        }),
        "no line over {MAX_LINE} bytes gets through"
    );
}

#[tokio::test]
async fn a_websocket_message_over_the_limit_ends_the_connection_which_comes_back() {
    use futures_util::{SinkExt, StreamExt};
    use tokio_tungstenite::tungstenite::Message;
    // A hostile server: a welcome, then one 2 MiB message on the first connection; the
    // second connection only welcomes.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("ws://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        for connection in 0.. {
            let (tcp, _) = listener.accept().await.unwrap();
            let mut ws = tokio_tungstenite::accept_async(tcp).await.unwrap();
            tokio::spawn(async move {
                // CAP REQ, NICK: then the welcome.
                for _ in 0..2 {
                    ws.next().await;
                }
                let welcome = ":tmi.twitch.tv 001 justinfan1 :Welcome, GLHF!\r\n:tmi.twitch.tv 376 justinfan1 :>";
                let _ = ws.send(Message::text(welcome)).await;
                if connection == 0 {
                    let huge = format!(":tmi.twitch.tv NOTICE * :{}", "y".repeat(2 << 20));
                    let _ = ws.send(Message::text(huge)).await;
                }
                while let Some(Ok(_)) = ws.next().await {}
            });
        }
    });
    let (_chat, mut events) = spawn(fast_config(url, Credentials::Anonymous));
    events.until(WAIT, is_connected).await;
    let lost = events
        .until(WAIT, |e| matches!(e, ChatEvent::Disconnected { .. }))
        .await;
    let ChatEvent::Disconnected {
        reason: DisconnectReason::Io(why),
        ..
    } = lost
    else {
        panic!("{lost:?}");
    };
    assert!(why.contains("too long"), "{why}");
    events.until(WAIT, is_connected).await;
}

#[tokio::test]
async fn refused_connections_back_off_exponentially_then_recover() {
    let sim = start_sim().await;
    let (_chat, mut events) = spawn(chat_config(&sim, user(&sim, "viewer"), &["alpha"]));
    events.until(WAIT, |e| is_joined(e, "alpha")).await;
    sim.fault(Fault::Refuse(Duration::from_millis(2500)));
    sim.fault(Fault::Drop);
    events.until(WAIT, |e| is_joined(e, "alpha")).await;
    let retries: Vec<Duration> = events
        .seen
        .iter()
        .filter_map(|e| match e {
            ChatEvent::Disconnected {
                retry_in: Some(r), ..
            } => Some(*r),
            _ => None,
        })
        .collect();
    assert!(retries.len() >= 4, "several refused attempts: {retries:?}");
    for (i, retry) in retries.iter().enumerate() {
        let base = Duration::from_millis(100 * (1 << i)).min(Duration::from_millis(800));
        assert!(
            (base / 2..=base).contains(retry),
            "retry {i} waits in the upper half of min(100 ms * 2^{i}, 800 ms): {retries:?}"
        );
    }
    let refused: Vec<_> = sim
        .events()
        .into_iter()
        .filter(|s| s.event == SimEvent::Refused)
        .map(|s| s.at)
        .collect();
    assert!(refused.len() >= 3, "the simulator refused several attempts");
    let gaps: Vec<Duration> = refused.windows(2).map(|w| w[1] - w[0]).collect();
    assert!(gaps.last() > gaps.first(), "attempts spread out: {gaps:?}");
    assert_eq!(sim.members("alpha"), ["viewer"]);
}

#[tokio::test]
async fn a_burst_goes_out_at_the_allowed_pace_with_nothing_lost() {
    let sim = start_sim().await;
    let (chat, mut events) = spawn(chat_config(&sim, user(&sim, "viewer"), &["alpha"]));
    events.until(WAIT, |e| is_joined(e, "alpha")).await;
    let ids: Vec<_> = (0..50)
        .map(|i| chat.send(message("alpha", &format!("burst message {i}"))))
        .collect();
    let mut confirmed = Vec::new();
    let mut throttled = 0;
    while confirmed.len() < ids.len() {
        match events
            .until(Duration::from_secs(20), |e| {
                matches!(e, ChatEvent::Outgoing { .. })
            })
            .await
        {
            ChatEvent::Outgoing {
                id,
                status: SendStatus::Confirmed { message_id },
            } => {
                assert!(message_id.is_some());
                confirmed.push(id);
            }
            ChatEvent::Outgoing {
                status: SendStatus::Throttled { .. },
                ..
            } => throttled += 1,
            ChatEvent::Outgoing {
                status: SendStatus::Sent,
                ..
            } => {}
            other => panic!("unexpected fate: {other:?}"),
        }
    }
    assert_eq!(confirmed, ids, "all confirmed, in order");
    assert!(throttled > 0, "the wait is reported");
    assert_eq!(
        count(&sim, |e| matches!(e, SimEvent::RateViolation { .. })),
        0
    );
    let sent: Vec<_> = sim
        .events()
        .into_iter()
        .filter(|s| matches!(&s.event, SimEvent::Received { line, .. } if line.starts_with("PRIVMSG #alpha")))
        .collect();
    let texts: Vec<String> = sent
        .iter()
        .map(|s| match &s.event {
            SimEvent::Received { line, .. } => line.rsplit(" :").next().unwrap_or(line).to_owned(),
            _ => unreachable!(),
        })
        .collect();
    let want: Vec<String> = (0..50).map(|i| format!("burst message {i}")).collect();
    assert_eq!(texts, want);
    let limit = limits().viewer_messages;
    for window in sent.windows(limit + 1) {
        let span = window[limit].at - window[0].at;
        assert!(
            span >= limits().message_window,
            "{} messages within {span:?}",
            limit + 1
        );
    }
}

#[tokio::test]
async fn moderators_get_the_higher_rate() {
    let sim = start_sim().await;
    let (chat, mut events) = spawn(chat_config(&sim, user(&sim, "mod_user"), &["streamer"]));
    events.until(WAIT, |e| is_joined(e, "streamer")).await;
    for i in 0..30 {
        chat.send(message("streamer", &format!("mod says {i}")));
    }
    let start = tokio::time::Instant::now();
    let mut confirmed = 0;
    while confirmed < 30 {
        if let ChatEvent::Outgoing {
            status: SendStatus::Confirmed { .. },
            ..
        } = events
            .until(WAIT, |e| matches!(e, ChatEvent::Outgoing { .. }))
            .await
        {
            confirmed += 1;
        }
    }
    assert!(
        start.elapsed() < limits().message_window,
        "30 messages fit a moderator's window"
    );
    assert!(events.seen.iter().all(|e| !matches!(
        e,
        ChatEvent::Outgoing {
            status: SendStatus::Throttled { .. },
            ..
        }
    )));
    assert_eq!(
        count(&sim, |e| matches!(e, SimEvent::RateViolation { .. })),
        0
    );
}

#[tokio::test]
async fn messages_typed_during_an_outage_go_out_after_it_in_order() {
    let sim = start_sim().await;
    let (chat, mut events) = spawn(chat_config(&sim, user(&sim, "viewer"), &["alpha"]));
    events.until(WAIT, |e| is_joined(e, "alpha")).await;
    outage(&sim, &mut events, Duration::from_millis(1000)).await;
    let ids: Vec<_> = (0..5)
        .map(|i| chat.send(message("alpha", &format!("typed offline {i}"))))
        .collect();
    let mut confirmed = Vec::new();
    while confirmed.len() < 5 {
        if let ChatEvent::Outgoing {
            id,
            status: SendStatus::Confirmed { .. },
        } = events
            .until(WAIT, |e| matches!(e, ChatEvent::Outgoing { .. }))
            .await
        {
            confirmed.push(id);
        }
    }
    assert_eq!(confirmed, ids);
    let events_log = sim.events();
    let second_login = events_log
        .iter()
        .filter(|s| matches!(s.event, SimEvent::LoggedIn { .. }))
        .nth(1)
        .expect("a second login")
        .at;
    let texts: Vec<&str> = events_log
        .iter()
        .filter_map(|s| match &s.event {
            SimEvent::Received { line, .. } if line.starts_with("PRIVMSG") => {
                Some((s.at, line.as_str()))
            }
            _ => None,
        })
        .map(|(at, line)| {
            assert!(at > second_login, "sent on the new connection");
            line.rsplit(" :").next().unwrap()
        })
        .collect();
    assert_eq!(
        texts,
        (0..5)
            .map(|i| format!("typed offline {i}"))
            .collect::<Vec<_>>()
    );
}

#[tokio::test]
async fn a_full_queue_drops_and_says_so() {
    let sim = start_sim().await;
    let mut config = chat_config(&sim, user(&sim, "viewer"), &["alpha"]);
    config.queue_capacity = 3;
    let (chat, mut events) = spawn(config);
    events.until(WAIT, |e| is_joined(e, "alpha")).await;
    outage(&sim, &mut events, Duration::from_millis(800)).await;
    let ids: Vec<_> = (0..4)
        .map(|i| chat.send(message("alpha", &format!("q{i}"))))
        .collect();
    let dropped = events
        .until(WAIT, |e| matches!(e, ChatEvent::Outgoing { .. }))
        .await;
    assert_eq!(
        dropped,
        ChatEvent::Outgoing {
            id: ids[3],
            status: SendStatus::Dropped {
                reason: DropReason::QueueFull
            }
        }
    );
    for id in &ids[..3] {
        events.until(WAIT, |e| matches!(e, ChatEvent::Outgoing { id: i, status: SendStatus::Confirmed { .. } } if i == id)).await;
    }
    assert!(sim.received().iter().all(|l| l != "PRIVMSG #alpha q3"));
}

#[tokio::test]
async fn refusals_carry_twitchs_msg_id_and_text() {
    let sim = start_sim().await;
    let (chat, mut events) = spawn(chat_config(&sim, user(&sim, "viewer"), &["subsroom"]));
    events.until(WAIT, |e| is_joined(e, "subsroom")).await;
    let id = chat.send(message("subsroom", "can I talk?"));
    let (got, status) = events
        .outgoing(|s| matches!(s, SendStatus::Rejected { .. }))
        .await;
    let SendStatus::Rejected { msg_id, reason } = status else {
        unreachable!()
    };
    assert_eq!((got, msg_id.as_str()), (id, "msg_subsonly"));
    assert!(reason.contains("subscribers only mode"), "{reason}");
    sim.wait_received(WAIT, |l| l == "PRIVMSG #subsroom :can I talk?")
        .await
        .unwrap();
}

#[tokio::test]
async fn slow_mode_is_respected_instead_of_refused() {
    let sim = start_sim().await;
    let (chat, mut events) = spawn(chat_config(&sim, user(&sim, "viewer"), &["slowroom"]));
    events.until(WAIT, |e| is_joined(e, "slowroom")).await;
    let ids = [
        chat.send(message("slowroom", "one")),
        chat.send(message("slowroom", "two")),
    ];
    let throttle = events
        .outgoing(|s| matches!(s, SendStatus::Throttled { .. }))
        .await;
    assert_eq!(throttle.0, ids[1]);
    for want in ids {
        events.until(WAIT, |e| matches!(e, ChatEvent::Outgoing { id, status: SendStatus::Confirmed { .. } } if *id == want)).await;
    }
    assert!(events.seen.iter().all(|e| !matches!(
        e,
        ChatEvent::Outgoing {
            status: SendStatus::Rejected { .. },
            ..
        }
    )));
}

#[tokio::test]
async fn replies_and_actions_reach_other_clients_as_twitch_sends_them() {
    let sim = start_sim().await;
    let (_viewer, mut viewer_events) = spawn(chat_config(&sim, user(&sim, "viewer"), &["alpha"]));
    let (streamer, mut streamer_events) =
        spawn(chat_config(&sim, user(&sim, "streamer"), &["alpha"]));
    viewer_events.until(WAIT, |e| is_joined(e, "alpha")).await;
    streamer_events.until(WAIT, |e| is_joined(e, "alpha")).await;
    let parent = sim.say("alpha", "someone", "what time is it").unwrap();
    streamer.send(OutgoingMessage {
        reply_to: Some(parent.clone()),
        ..message("alpha", "@someone time to chat")
    });
    streamer.send(OutgoingMessage {
        action: true,
        ..message("alpha", "waves")
    });
    let reply = viewer_events
        .privmsg(|m| m.sender.login == "streamer")
        .await;
    assert_eq!(reply.reply.unwrap().message_id, parent);
    let action = viewer_events.privmsg(|m| m.is_action).await;
    assert_eq!(action.text, "waves");
    let own_echo = streamer_events.during(Duration::from_millis(300)).await;
    assert!(
        own_echo
            .iter()
            .chain(&streamer_events.seen)
            .all(|e| privmsg(e).is_none_or(|m| m.sender.login != "streamer")),
        "the sender does not get its own PRIVMSG back"
    );
}

/// Everything logged, at every level, kept in memory.
#[derive(Clone, Default)]
struct Capture(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn the_token_never_reaches_the_logs_even_at_trace_level() {
    let capture = Capture::default();
    let writer = capture.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let sim = start_sim().await;
    let token = sim.token("viewer").unwrap().to_owned();
    let (chat, mut events) = spawn(chat_config(&sim, user(&sim, "viewer"), &["alpha"]));
    events.until(WAIT, |e| is_joined(e, "alpha")).await;
    let id = chat.send(message("alpha", "is my token safe?"));
    events
        .until(WAIT, |e| {
            matches!(e, ChatEvent::Outgoing { id: i, status: SendStatus::Confirmed { .. } } if *i == id)
        })
        .await;
    assert!(
        sim.received().contains(&format!("PASS oauth:{token}")),
        "the real token went to the server"
    );

    let log = String::from_utf8(capture.0.lock().unwrap().clone()).unwrap();
    assert!(
        log.contains("ttvchat::irc::raw"),
        "raw IRC is logged under its own target"
    );
    assert!(log.contains("> PASS oauth:<redacted>"), "{log}");
    assert!(log.contains("> PRIVMSG #alpha :is my token safe?"));
    assert!(log.contains("logged in as viewer"));
    assert!(!log.contains(&token), "the token leaked into the log");
}

#[tokio::test]
async fn wss_urls_speak_tls_and_refuse_an_untrusted_certificate() {
    use rustls::pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};
    use std::sync::Arc;

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let self_signed = rcgen::generate_simple_self_signed(vec!["localhost".to_owned()]).unwrap();
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(
        self_signed.signing_key.serialize_der(),
    ));
    let server_config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_no_client_auth()
    .with_single_cert(vec![self_signed.cert.der().clone()], key)
    .unwrap();
    let server = tokio::spawn(async move {
        let (stream, _) = listener.accept().await.unwrap();
        let acceptor = rustls::server::Acceptor::default();
        let hello = tokio_rustls::LazyConfigAcceptor::new(acceptor, stream)
            .await
            .expect("a TLS ClientHello");
        let server_name = hello.client_hello().server_name().map(str::to_owned);
        let handshake = hello.into_stream(Arc::new(server_config)).await;
        (server_name, handshake.is_ok())
    });

    let config = fast_config(format!("wss://localhost:{port}"), Credentials::Anonymous);
    let (_chat, mut events) = spawn(config);
    let disconnected = events
        .until(WAIT, |e| matches!(e, ChatEvent::Disconnected { .. }))
        .await;
    let ChatEvent::Disconnected {
        reason: DisconnectReason::ConnectFailed(error),
        retry_in: Some(_),
    } = disconnected
    else {
        panic!("{disconnected:?}");
    };
    assert!(
        error.contains("certificate"),
        "the untrusted certificate is the reason: {error}"
    );
    let (server_name, handshake_done) = server.await.unwrap();
    assert_eq!(
        server_name.as_deref(),
        Some("localhost"),
        "SNI names the host"
    );
    assert!(!handshake_done, "the client walked away from the handshake");
}

#[tokio::test]
async fn a_message_waiting_for_slow_mode_can_be_taken_back_and_never_goes_out() {
    let sim = start_sim().await;
    let (chat, mut events) = spawn(chat_config(&sim, user(&sim, "viewer"), &["slowroom"]));
    events.until(WAIT, |e| is_joined(e, "slowroom")).await;
    let first = chat.send(message("slowroom", "one"));
    let second = chat.send(message("slowroom", "never mind this"));
    let throttle = events
        .outgoing(|s| matches!(s, SendStatus::Throttled { .. }))
        .await;
    assert_eq!(throttle.0, second);
    chat.cancel(second);
    events
        .until(WAIT, |e| {
            matches!(e, ChatEvent::Outgoing { id, status: SendStatus::Dropped { reason: DropReason::Cancelled } } if *id == second)
        })
        .await;
    events.until(WAIT, |e| matches!(e, ChatEvent::Outgoing { id, status: SendStatus::Confirmed { .. } } if *id == first)).await;
    // The first went out, so taking it back now does nothing; the second never reaches Twitch.
    chat.cancel(first);
    let later = events.during(Duration::from_millis(300)).await;
    assert!(
        later
            .iter()
            .all(|e| !matches!(e, ChatEvent::Outgoing { .. })),
        "{later:?}"
    );
    assert!(
        sim.received()
            .iter()
            .all(|line| !line.contains("never mind this")),
        "Twitch never got it"
    );
}
