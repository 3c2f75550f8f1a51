//! The chat actor (the driver of the sans-IO session) against the simulator over loopback:
//! sockets, TLS, frames, faults, and the client's pacing checked by the simulator's own limits,
//! with 500 channels over several connections. The session's logic itself is tested in virtual
//! time (`tests/pure/session`). Each test checks what the simulator received as well as what the
//! actor reported.

use crate::common;

use std::time::Duration;

use common::*;
use ttvchat::net::chat::{ChatEvent, Credentials, DisconnectReason, OutgoingMessage, SendStatus};
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
async fn a_burst_goes_out_at_the_allowed_pace_with_nothing_lost() {
    let sim = start_sim().await;
    let (chat, mut events) = spawn(chat_config(&sim, user(&sim, "viewer"), &["alpha"]));
    events.until(WAIT, |e| is_joined(e, "alpha")).await;
    let ids: Vec<_> = (0..25)
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
    let want: Vec<String> = (0..25).map(|i| format!("burst message {i}")).collect();
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
async fn five_hundred_channels_are_joined_over_five_connections_within_the_join_limit() {
    let mut scenario = r#"
        [[account]]
        login = "bot"
        role = "bot"
        token = "bottoken000000000000000000000"
        verified_bot = true
    "#
    .to_owned();
    for i in 1..=500 {
        scenario.push_str(&format!("[[channel]]\nname = \"room{i}\"\nchatters = 0\n"));
    }
    let sim = start_sim_with(|c| {
        c.scenario = ttvchat::sim::Scenario::parse(&scenario, "test").unwrap();
    })
    .await;
    let channels: Vec<String> = (1..=500).map(|i| format!("room{i}")).collect();
    let names: Vec<&str> = channels.iter().map(String::as_str).collect();
    let mut config = chat_config(&sim, user(&sim, "bot"), &names);
    // A verified bot's JOIN limit, as the scenario gives the account: 2,000 per window.
    config.limits.joins = 2000;
    let (_chat, mut events) = spawn(config);
    events
        .until(WAIT, |e| {
            matches!(
                e,
                ChatEvent::JoinProgress {
                    joined: 500,
                    wanted: 500
                }
            )
        })
        .await;
    assert!(names.iter().all(|c| sim.members(c) == ["bot"]));
    assert_eq!(logins(&sim), 5, "a connection per hundred channels");
    assert_eq!(
        count(&sim, |e| matches!(e, SimEvent::JoinViolation { .. })),
        0
    );
    let connected = events
        .seen
        .iter()
        .filter(|e| matches!(e, ChatEvent::Connected { .. }))
        .count();
    assert_eq!(connected, 1, "the app hears of one account connection");
}
