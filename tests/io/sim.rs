//! The simulator as any client sees it: a raw WebSocket client speaks IRC to it line by line,
//! an HTTP client calls its Helix and OAuth endpoints, and `ttvchat sim` runs as a process.

use crate::common;

use std::collections::{HashMap, HashSet, VecDeque};
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use common::*;
use futures_util::{SinkExt, StreamExt};
use tokio::net::TcpStream;
use tokio::time::Instant;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};
use ttvchat::sim::world::ModeChange;
use ttvchat::sim::{Fault, Firehose, Scenario, SimHandle};
use ttvchat::twitch::irc::IrcMessage;

/// A bare IRC-over-WebSocket client that remembers how lines came in frames.
struct Raw {
    ws: WebSocketStream<MaybeTlsStream<TcpStream>>,
    pending: VecDeque<String>,
    /// Lines per frame received so far.
    frames: Vec<usize>,
}

impl Raw {
    async fn connect(url: &str) -> Raw {
        let (ws, _) = tokio_tungstenite::connect_async(url)
            .await
            .expect("WebSocket connects");
        Raw {
            ws,
            pending: VecDeque::new(),
            frames: Vec::new(),
        }
    }

    /// Connects, requests every capability and logs in; returns after the welcome's 376.
    async fn login(sim: &SimHandle, nick: &str, token: Option<&str>) -> Raw {
        let mut raw = Raw::connect(&sim.irc_url()).await;
        raw.send("CAP REQ :twitch.tv/tags twitch.tv/commands twitch.tv/membership")
            .await;
        if let Some(token) = token {
            raw.send(&format!("PASS oauth:{token}")).await;
        }
        raw.send(&format!("NICK {nick}")).await;
        raw.until(|m| m.command() == "376").await;
        if token.is_some() {
            raw.until(|m| m.command() == "GLOBALUSERSTATE").await;
        }
        raw
    }

    async fn user(sim: &SimHandle, login: &str) -> Raw {
        Raw::login(sim, login, sim.token(login)).await
    }

    async fn send(&mut self, line: &str) {
        self.send_frame(&[line]).await;
    }

    /// Several lines in one WebSocket frame.
    async fn send_frame(&mut self, lines: &[&str]) {
        let frame: String = lines.iter().map(|l| format!("{l}\r\n")).collect();
        self.ws.send(Message::text(frame)).await.expect("send");
    }

    /// The next line, or `None` once the server closed the connection.
    async fn next_line(&mut self, timeout: Duration) -> Option<String> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(line) = self.pending.pop_front() {
                return Some(line);
            }
            match tokio::time::timeout_at(deadline, self.ws.next()).await {
                Err(_) => panic!("no line within {timeout:?}"),
                Ok(Some(Ok(Message::Text(text)))) => {
                    let lines: Vec<String> = text
                        .split("\r\n")
                        .filter(|l| !l.is_empty())
                        .map(str::to_owned)
                        .collect();
                    self.frames.push(lines.len());
                    self.pending.extend(lines);
                }
                Ok(Some(Ok(Message::Close(_)) | Err(_)) | None) => return None,
                Ok(Some(Ok(_))) => {}
            }
        }
    }

    /// Skips lines until one `matches` accepts; panics if the connection closes first.
    async fn until(&mut self, matches: impl Fn(&IrcMessage<'_>) -> bool) -> String {
        loop {
            let line = self
                .next_line(WAIT)
                .await
                .expect("the connection stays open");
            if IrcMessage::parse(&line).is_ok_and(|m| matches(&m)) {
                return line;
            }
        }
    }

    /// Every line until one `matches` accepts, that one included.
    async fn collect_until(&mut self, matches: impl Fn(&IrcMessage<'_>) -> bool) -> Vec<String> {
        let mut lines = Vec::new();
        let deadline = Instant::now() + WAIT;
        loop {
            assert!(
                Instant::now() < deadline,
                "never came; the last lines: {:#?}",
                &lines[lines.len().saturating_sub(5)..]
            );
            let line = self
                .next_line(WAIT)
                .await
                .expect("the connection stays open");
            let done = IrcMessage::parse(&line).is_ok_and(|m| matches(&m));
            lines.push(line);
            if done {
                return lines;
            }
        }
    }

    async fn join(&mut self, channel: &str) {
        self.send(&format!("JOIN #{channel}")).await;
        self.until(|m| m.command() == "366").await;
    }

    /// The NOTICE that answers a PRIVMSG: its msg-id.
    async fn refusal(&mut self, channel: &str, text: &str) -> String {
        self.send(&format!("PRIVMSG #{channel} :{text}")).await;
        let line = self.until(|m| m.command() == "NOTICE").await;
        tag(&line, "msg-id").expect("a NOTICE with a msg-id")
    }

    /// Lines that arrive within `period` (for asserting that something does not come).
    async fn quiet(&mut self, period: Duration) -> Vec<String> {
        let deadline = Instant::now() + period;
        let mut lines: Vec<String> = self.pending.drain(..).collect();
        while let Ok(Some(Ok(frame))) = tokio::time::timeout_at(deadline, self.ws.next()).await {
            if let Message::Text(text) = frame {
                lines.extend(
                    text.split("\r\n")
                        .filter(|l| !l.is_empty())
                        .map(str::to_owned),
                );
            }
        }
        lines
    }
}

fn tag(line: &str, key: &str) -> Option<String> {
    IrcMessage::parse(line)
        .ok()?
        .tags()
        .get(key)
        .map(|v| v.into_owned())
}

fn command(line: &str) -> String {
    IrcMessage::parse(line)
        .map(|m| m.command().to_owned())
        .unwrap_or_default()
}

/// A marker chat line from the simulator: whatever a client receives before it was sent earlier.
async fn marker(sim: &SimHandle, raw: &mut Raw, channel: &str) -> Vec<String> {
    sim.say(channel, "marker_bot", "marker").unwrap();
    raw.collect_until(|m| m.command() == "PRIVMSG" && m.last_param() == Some("marker"))
        .await
}

#[tokio::test]
async fn capabilities_are_acknowledged_or_refused_as_a_whole() {
    let sim = start_sim().await;
    let mut raw = Raw::connect(&sim.irc_url()).await;
    raw.send("CAP REQ :twitch.tv/tags twitch.tv/commands").await;
    assert_eq!(
        raw.next_line(WAIT).await.unwrap(),
        ":tmi.twitch.tv CAP * ACK :twitch.tv/tags twitch.tv/commands"
    );
    raw.send("CAP REQ :twitch.tv/tags twitch.tv/bogus").await;
    assert_eq!(
        raw.next_line(WAIT).await.unwrap(),
        ":tmi.twitch.tv CAP * NAK :twitch.tv/tags twitch.tv/bogus"
    );
}

#[tokio::test]
async fn a_token_login_gets_the_welcome_and_globaluserstate_in_batched_frames() {
    let sim = start_sim().await;
    let mut raw = Raw::connect(&sim.irc_url()).await;
    let token = sim.token("mod_user").unwrap();
    raw.send_frame(&[
        "CAP REQ :twitch.tv/tags twitch.tv/commands twitch.tv/membership",
        &format!("PASS oauth:{token}"),
        "NICK mod_user",
    ])
    .await;
    let lines = raw
        .collect_until(|m| m.command() == "GLOBALUSERSTATE")
        .await;
    let commands: Vec<String> = lines.iter().map(|l| command(l)).collect();
    assert_eq!(
        commands,
        [
            "CAP",
            "001",
            "002",
            "003",
            "004",
            "375",
            "372",
            "376",
            "GLOBALUSERSTATE"
        ]
    );
    assert!(
        lines[1].starts_with(":tmi.twitch.tv 001 mod_user :Welcome, GLHF!"),
        "{}",
        lines[1]
    );
    let global = lines.last().unwrap();
    assert_eq!(tag(global, "display-name").as_deref(), Some("mod_user"));
    assert!(tag(global, "user-id").is_some_and(|id| id.parse::<u64>().is_ok()));
    assert!(
        raw.frames.iter().any(|&n| n > 1),
        "several lines share a frame: {:?}",
        raw.frames
    );
    assert!(
        sim.received().iter().any(|l| l == "NICK mod_user"),
        "the three lines of one frame are all read"
    );
}

#[tokio::test]
async fn a_bad_token_gets_twitchs_notice_and_the_connection_closes() {
    let sim = start_sim().await;
    let mut raw = Raw::connect(&sim.irc_url()).await;
    raw.send_frame(&[
        "CAP REQ :twitch.tv/tags",
        "PASS oauth:notavalidtoken",
        "NICK viewer",
    ])
    .await;
    raw.until(|m| m.command() == "CAP").await;
    assert_eq!(
        raw.next_line(WAIT).await.unwrap(),
        ":tmi.twitch.tv NOTICE * :Login authentication failed"
    );
    assert_eq!(raw.next_line(WAIT).await, None, "closed after the NOTICE");

    let mut raw = Raw::connect(&sim.irc_url()).await;
    raw.send_frame(&[
        &format!("PASS {}", sim.token("viewer").unwrap()),
        "NICK viewer",
    ])
    .await;
    assert_eq!(
        raw.next_line(WAIT).await.unwrap(),
        ":tmi.twitch.tv NOTICE * :Improperly formatted auth"
    );
    assert_eq!(raw.next_line(WAIT).await, None);

    let mut raw = Raw::connect(&sim.irc_url()).await;
    let streamer_token = sim.token("streamer").unwrap();
    raw.send_frame(&[&format!("PASS oauth:{streamer_token}"), "NICK viewer"])
        .await;
    assert_eq!(
        raw.next_line(WAIT).await.unwrap(),
        ":tmi.twitch.tv NOTICE * :Login authentication failed",
        "a token only logs in its own user"
    );
}

#[tokio::test]
async fn anonymous_logins_read_but_cannot_chat() {
    let sim = start_sim().await;
    let mut anon = Raw::login(&sim, "justinfan4711", None).await;
    anon.send("JOIN #alpha").await;
    let lines = anon.collect_until(|m| m.command() == "366").await;
    let commands: Vec<String> = lines.iter().map(|l| command(l)).collect();
    assert_eq!(
        commands,
        ["JOIN", "ROOMSTATE", "353", "366"],
        "no USERSTATE for an anonymous login"
    );
    let mut watcher = Raw::user(&sim, "viewer").await;
    watcher.join("alpha").await;
    anon.send("PRIVMSG #alpha :can anyone hear me").await;
    let before = marker(&sim, &mut watcher, "alpha").await;
    assert!(
        before.iter().all(|l| !l.contains("can anyone hear me")),
        "{before:?}"
    );
    assert!(sim.members("alpha").contains(&"justinfan4711".to_owned()));
}

#[tokio::test]
async fn join_answers_with_userstate_roomstate_and_names() {
    let sim = start_sim().await;
    let mut raw = Raw::user(&sim, "mod_user").await;
    raw.send("JOIN #streamer").await;
    let lines = raw.collect_until(|m| m.command() == "366").await;
    let commands: Vec<String> = lines.iter().map(|l| command(l)).collect();
    assert_eq!(commands[..3], ["JOIN", "USERSTATE", "ROOMSTATE"]);
    assert_eq!(
        lines[0],
        ":mod_user!mod_user@mod_user.tmi.twitch.tv JOIN #streamer"
    );
    assert_eq!(tag(&lines[1], "mod").as_deref(), Some("1"));
    assert!(
        tag(&lines[1], "badges").is_some_and(|b| b.contains("moderator/1")),
        "{}",
        lines[1]
    );
    for key in [
        "emote-only",
        "followers-only",
        "r9k",
        "room-id",
        "slow",
        "subs-only",
    ] {
        assert!(
            tag(&lines[2], key).is_some(),
            "ROOMSTATE carries {key}: {}",
            lines[2]
        );
    }
    let names: Vec<&String> = lines.iter().filter(|l| command(l) == "353").collect();
    let listed: Vec<&str> = names
        .iter()
        .flat_map(|l| l.rsplit_once(" :").unwrap().1.split(' '))
        .collect();
    assert_eq!(
        listed[..2],
        ["mod_user", "streamer"],
        "you, then the broadcaster"
    );
    assert!(names.iter().all(|l| l.len() <= 512), "{names:?}");
    assert!(
        lines
            .last()
            .unwrap()
            .ends_with("#streamer :End of /NAMES list")
    );

    raw.send("JOIN #nosuchchannel").await;
    let notice = raw.until(|m| m.command() == "NOTICE").await;
    assert_eq!(
        tag(&notice, "msg-id").as_deref(),
        Some("msg_channel_suspended")
    );

    raw.send("PART #streamer").await;
    raw.until(|m| m.command() == "PART").await;
    assert!(sim.members("streamer").is_empty());
}

#[tokio::test]
async fn a_message_is_confirmed_to_its_sender_and_broadcast_with_full_tags_to_others() {
    let sim = start_sim().await;
    let mut sender = Raw::user(&sim, "viewer").await;
    let mut other = Raw::user(&sim, "streamer").await;
    sender.join("alpha").await;
    other.join("alpha").await;
    let parent = sim.say("alpha", "someone", "first").unwrap();
    sender
        .send(&format!(
            "@reply-parent-msg-id={parent} PRIVMSG #alpha :👋🏽 hello there Kappa"
        ))
        .await;
    let confirm = sender.until(|m| m.command() == "USERSTATE").await;
    let id = tag(&confirm, "id").expect("the USERSTATE carries the new message's id");

    let line = other
        .until(|m| m.command() == "PRIVMSG" && m.nick() == Some("viewer"))
        .await;
    assert_eq!(tag(&line, "id").as_deref(), Some(id.as_str()));
    for key in [
        "badge-info",
        "badges",
        "color",
        "display-name",
        "emotes",
        "room-id",
        "tmi-sent-ts",
        "user-id",
        "user-type",
    ] {
        assert!(tag(&line, key).is_some(), "PRIVMSG carries {key}: {line}");
    }
    let text = "👋🏽 hello there Kappa";
    let start = text.chars().position(|c| c == 'K').unwrap();
    assert_eq!(
        tag(&line, "emotes"),
        Some(format!("25:{start}-{}", start + 4)),
        "code point ranges"
    );
    assert_eq!(
        tag(&line, "reply-parent-msg-id").as_deref(),
        Some(parent.as_str())
    );
    assert_eq!(
        tag(&line, "reply-parent-msg-body").as_deref(),
        Some("first")
    );
    assert!(line.ends_with(&format!("PRIVMSG #alpha :{text}")));

    sender.send("PRIVMSG #alpha :\u{1}ACTION waves\u{1}").await;
    let action = other
        .until(|m| m.command() == "PRIVMSG" && m.nick() == Some("viewer"))
        .await;
    assert!(
        action.ends_with("PRIVMSG #alpha :\u{1}ACTION waves\u{1}"),
        "{action}"
    );

    let own = marker(&sim, &mut sender, "alpha").await;
    assert!(
        own.iter()
            .all(|l| !(command(l) == "PRIVMSG" && l.contains(":viewer!"))),
        "the sender never gets its own PRIVMSG: {own:?}"
    );
}

#[tokio::test]
async fn twitchs_rules_refuse_messages_with_the_real_msg_ids() {
    let sim = start_sim().await;
    let mut raw = Raw::user(&sim, "viewer").await;
    for channel in ["alpha", "subsroom", "slowroom"] {
        raw.join(channel).await;
    }
    assert_eq!(raw.refusal("subsroom", "hi").await, "msg_subsonly");

    raw.send("PRIVMSG #slowroom :first").await;
    raw.until(|m| m.command() == "USERSTATE").await;
    assert_eq!(raw.refusal("slowroom", "second").await, "msg_slowmode");

    raw.send("PRIVMSG #alpha :same words").await;
    raw.until(|m| m.command() == "USERSTATE").await;
    assert_eq!(raw.refusal("alpha", "same words").await, "msg_duplicate");
    assert_eq!(
        raw.refusal("alpha", "/notacommand x").await,
        "unrecognized_cmd"
    );

    let emote_only = ModeChange {
        emote_only: Some(true),
        ..ModeChange::default()
    };
    assert!(sim.act("slowroom", |w| w.set_modes("slowroom", emote_only)));
    let roomstate = raw.until(|m| m.command() == "ROOMSTATE").await;
    assert_eq!(tag(&roomstate, "emote-only").as_deref(), Some("1"));
    assert_eq!(
        tag(&roomstate, "slow"),
        None,
        "a change carries only what changed"
    );
    assert_eq!(
        raw.refusal("slowroom", "words are not emotes").await,
        "msg_emoteonly"
    );
    let followers = ModeChange {
        emote_only: Some(false),
        followers_only: Some(Some(10)),
        ..ModeChange::default()
    };
    assert!(sim.act("slowroom", |w| w.set_modes("slowroom", followers)));
    raw.until(|m| m.command() == "ROOMSTATE").await;
    assert_eq!(
        raw.refusal("slowroom", "let me in").await,
        "msg_followersonly"
    );

    assert!(sim.act("alpha", |w| w.ban(
        Instant::now(),
        "alpha",
        "viewer",
        Some(Duration::from_secs(60))
    )));
    let clearchat = raw.until(|m| m.command() == "CLEARCHAT").await;
    assert_eq!(tag(&clearchat, "ban-duration").as_deref(), Some("60"));
    assert_eq!(raw.refusal("alpha", "why").await, "msg_timedout");
    assert!(sim.act("alpha", |w| w.ban(Instant::now(), "alpha", "viewer", None)));
    raw.until(|m| m.command() == "CLEARCHAT").await;
    assert_eq!(raw.refusal("alpha", "why though").await, "msg_banned");
}

#[tokio::test]
async fn the_server_enforces_the_message_rate_limit() {
    let sim = start_sim().await;
    let mut raw = Raw::user(&sim, "viewer").await;
    raw.join("gamma").await;
    let burst: Vec<String> = (0..11)
        .map(|i| format!("PRIVMSG #gamma :message number {i}"))
        .collect();
    raw.send_frame(&burst.iter().map(String::as_str).collect::<Vec<_>>())
        .await;
    let answers = raw
        .collect_until(|m| m.command() == "NOTICE")
        .await
        .into_iter()
        .filter(|l| ["USERSTATE", "NOTICE"].contains(&command(l).as_str()))
        .collect::<Vec<_>>();
    assert_eq!(
        answers.len(),
        11,
        "ten accepted, then the refusal: {answers:?}"
    );
    assert_eq!(
        tag(answers.last().unwrap(), "msg-id").as_deref(),
        Some("msg_ratelimit")
    );
}

#[tokio::test]
async fn moderation_in_the_model_is_broadcast_as_twitch_does() {
    let sim = start_sim().await;
    let mut raw = Raw::user(&sim, "viewer").await;
    raw.join("delta").await;
    let id = sim.say("delta", "spammer", "buy followers").unwrap();
    raw.until(|m| m.command() == "PRIVMSG" && m.nick() == Some("spammer"))
        .await;
    assert!(sim.act("delta", |w| w.delete("delta", &id)));
    let clearmsg = raw.until(|m| m.command() == "CLEARMSG").await;
    assert_eq!(tag(&clearmsg, "target-msg-id"), Some(id));
    assert_eq!(tag(&clearmsg, "login").as_deref(), Some("spammer"));
    assert!(clearmsg.ends_with("CLEARMSG #delta :buy followers"));

    assert!(sim.act("delta", |w| w.clear("delta")));
    let clear = raw.until(|m| m.command() == "CLEARCHAT").await;
    assert!(
        clear.ends_with("CLEARCHAT #delta"),
        "a full clear names no user: {clear}"
    );
}

#[tokio::test]
async fn banned_and_timed_out_chatters_fall_silent_in_generated_chat() {
    let sim = start_sim().await;
    let mut raw = Raw::user(&sim, "viewer").await;
    raw.join("chatty").await;
    // Half the chatters, the most talkative first, are banned or timed out.
    let chatters = sim.world(|w| w.channels["chatty"].chatters.clone());
    let silenced: Vec<String> = chatters[..chatters.len() / 2]
        .iter()
        .map(|c| c.to_string())
        .collect();
    for (n, login) in silenced.iter().enumerate() {
        let duration = (n % 2 == 0).then_some(Duration::from_secs(600));
        assert!(sim.act("chatty", |w| w.ban(
            Instant::now(),
            "chatty",
            login,
            duration
        )));
    }
    // Lines already on their way were said before the bans: wait for the last CLEARCHAT.
    let last = silenced.last().unwrap().as_str();
    raw.until(|m| m.command() == "CLEARCHAT" && m.last_param() == Some(last))
        .await;
    let mut speakers = HashSet::new();
    while speakers.len() < 10 {
        let line = raw.until(|m| m.command() == "PRIVMSG").await;
        let nick = IrcMessage::parse(&line).unwrap().nick().unwrap().to_owned();
        assert!(!silenced.contains(&nick), "{nick} is banned but chatted");
        speakers.insert(nick);
    }
}

#[tokio::test]
async fn unknown_commands_get_421_and_pings_get_pongs() {
    let sim = start_sim().await;
    let mut raw = Raw::user(&sim, "viewer").await;
    raw.send("WHO #alpha").await;
    assert_eq!(
        raw.next_line(WAIT).await.unwrap(),
        ":tmi.twitch.tv 421 viewer WHO :Unknown command"
    );
    raw.send("PING :are-you-there").await;
    let pong = raw.next_line(WAIT).await.unwrap();
    let pong = IrcMessage::parse(&pong).unwrap();
    assert_eq!(
        (pong.command(), pong.param(0), pong.param(1)),
        ("PONG", Some("tmi.twitch.tv"), Some("are-you-there"))
    );
    // Twitch's exact forms (twitch-irc-facts.md §4): a bare PING, and PING with a word.
    raw.send("PING").await;
    assert_eq!(raw.next_line(WAIT).await.unwrap(), "PONG :tmi.twitch.tv");
    raw.send("PING test").await;
    assert_eq!(
        raw.next_line(WAIT).await.unwrap(),
        ":tmi.twitch.tv PONG tmi.twitch.tv :test"
    );
}

#[tokio::test]
async fn the_server_pings_and_drops_clients_that_do_not_answer() {
    let sim = start_sim_with(|c| {
        c.ping_every = Duration::from_millis(200);
        c.pong_within = Duration::from_millis(300);
    })
    .await;
    let mut polite = Raw::user(&sim, "viewer").await;
    let mut rude = Raw::user(&sim, "streamer").await;
    for _ in 0..3 {
        polite.until(|m| m.command() == "PING").await;
        polite.send("PONG :tmi.twitch.tv").await;
    }
    rude.until(|m| m.command() == "PING").await;
    while rude.next_line(WAIT).await.is_some() {}
    assert_eq!(
        sim.connection_count(),
        1,
        "only the client that answered is left"
    );
}

#[tokio::test]
async fn lasting_faults_hold_back_lines_and_pongs_for_their_duration() {
    let sim = start_sim().await;
    let mut raw = Raw::user(&sim, "viewer").await;
    raw.join("alpha").await;
    sim.fault(Fault::Delay(
        Duration::from_millis(400),
        Duration::from_secs(5),
    ));
    let said = Instant::now();
    sim.say("alpha", "someone", "late news").unwrap();
    raw.until(|m| m.last_param() == Some("late news")).await;
    assert!(
        said.elapsed() >= Duration::from_millis(400),
        "delivered late: {:?}",
        said.elapsed()
    );

    let sim = start_sim().await;
    let mut raw = Raw::user(&sim, "viewer").await;
    sim.fault(Fault::IgnorePing(Duration::from_millis(500)));
    raw.send("PING :one").await;
    let ignored = raw.quiet(Duration::from_millis(300)).await;
    assert!(ignored.iter().all(|l| command(l) != "PONG"), "{ignored:?}");
    tokio::time::sleep(Duration::from_millis(300)).await;
    raw.send("PING :two").await;
    let pong = raw.until(|m| m.command() == "PONG").await;
    assert_eq!(pong, ":tmi.twitch.tv PONG tmi.twitch.tv :two");
}

#[tokio::test]
async fn scripted_events_play_after_the_first_join_and_scenario_faults_fire() {
    let scenario = r#"
        [[account]]
        login = "viewer"
        role = "viewer"
        token = "viewertoken0000000000000000000"

        [[channel]]
        name = "stage"
        chatters = 5
        [[channel.script]]
        kind = "say"
        at = "100ms"
        user = "opener"
        text = "first!"
        [[channel.script]]
        kind = "raid"
        at = "200ms"
        from = "raidleader"
        viewers = 321
        [[channel.script]]
        kind = "gift_bomb"
        at = "300ms"
        user = "generous"
        count = 3
        [[channel.script]]
        kind = "announce"
        at = "400ms"
        user = "stage"
        text = "Welcome raiders!"
        color = "PURPLE"
        [[channel.script]]
        kind = "timeout"
        at = "500ms"
        user = "opener"
        duration = "10m"

        [[fault]]
        at = "1s"
        fault = "reconnect"
    "#;
    let sim = start_sim_with(|c| c.scenario = Scenario::parse(scenario, "test").unwrap()).await;
    let mut raw = Raw::user(&sim, "viewer").await;
    raw.join("stage").await;
    let lines = raw.collect_until(|m| m.command() == "CLEARCHAT").await;
    let events: Vec<String> = lines
        .iter()
        .filter(|l| !l.contains("PRIVMSG") || l.contains("first!"))
        .map(|l| match command(l).as_str() {
            "USERNOTICE" => tag(l, "msg-id").unwrap(),
            other => other.to_owned(),
        })
        .collect();
    assert_eq!(
        events,
        [
            "PRIVMSG",
            "raid",
            "submysterygift",
            "subgift",
            "subgift",
            "subgift",
            "announcement",
            "CLEARCHAT"
        ]
    );
    let raid = lines
        .iter()
        .find(|l| tag(l, "msg-id").as_deref() == Some("raid"))
        .unwrap();
    assert_eq!(tag(raid, "msg-param-viewerCount").as_deref(), Some("321"));
    let announcement = lines
        .iter()
        .find(|l| tag(l, "msg-id").as_deref() == Some("announcement"))
        .unwrap();
    assert_eq!(
        tag(announcement, "msg-param-color").as_deref(),
        Some("PURPLE")
    );
    assert_eq!(
        tag(lines.last().unwrap(), "ban-duration").as_deref(),
        Some("600")
    );
    raw.until(|m| m.command() == "RECONNECT").await;
}

#[tokio::test]
async fn scenario_errors_name_the_key_and_the_file() {
    let cases = [
        ("[[channel]]\nname = \"x\"\nchat_rat = 2\n", "chat_rat"),
        ("[[channel]]\nname = \"x\"\nuptime = \"soon\"\n", "uptime"),
        ("[[channel]]\nname = \"Not A Login\"\n", "channel.name"),
        (
            "[[channel]]\nname = \"x\"\n[[channel.script]]\nkind = \"dance\"\nat = 1\n",
            "dance",
        ),
        ("[[fault]]\nat = \"1s\"\nfault = \"meteor\"\n", "meteor"),
    ];
    for (text, key) in cases {
        let error = Scenario::parse(text, "my.toml").unwrap_err().to_string();
        assert!(error.starts_with("scenario my.toml: "), "{error}");
        assert!(error.contains(key), "the error names {key}: {error}");
    }
}

#[tokio::test]
async fn the_firehose_spreads_chat_over_its_channels() {
    let sim = start_sim_with(|c| {
        c.firehose = Some(Firehose {
            rate: 2000.0,
            channels: 3,
        })
    })
    .await;
    let mut raw = Raw::login(&sim, "justinfan1", None).await;
    raw.send("JOIN #fire1,#fire2,#fire3").await;
    let mut per_channel: HashMap<String, usize> = HashMap::new();
    while per_channel.len() < 3 || per_channel.values().any(|&n| n < 100) {
        let line = raw.until(|m| m.command() == "PRIVMSG").await;
        let channel = IrcMessage::parse(&line)
            .unwrap()
            .param(0)
            .unwrap()
            .to_owned();
        *per_channel.entry(channel).or_default() += 1;
    }
    let names: HashSet<&str> = per_channel.keys().map(String::as_str).collect();
    assert_eq!(names, HashSet::from(["#fire1", "#fire2", "#fire3"]));
}

#[tokio::test]
async fn helix_users_and_streams_need_a_valid_token_and_client_id() {
    let sim = start_sim().await;
    let http = ttvchat::net::helix::http_client().unwrap();
    let token = sim.token("viewer").unwrap();
    let get = |path: &str, auth: Option<&str>, client_id: Option<&str>| {
        let mut request = http.get(format!("{}{path}", sim.helix_url()));
        if let Some(auth) = auth {
            request = request.header("Authorization", auth);
        }
        if let Some(id) = client_id {
            request = request.header("Client-Id", id);
        }
        request.send()
    };
    let bearer = format!("Bearer {token}");
    let client_id = ttvchat::sim::SIM_CLIENT_ID;

    let me: serde_json::Value = get("/users", Some(&bearer), Some(client_id))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["data"][0]["login"], "viewer");
    let some: serde_json::Value = get(
        "/users?login=alpha&login=BETA",
        Some(&bearer),
        Some(client_id),
    )
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    let logins: Vec<&str> = some["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["login"].as_str().unwrap())
        .collect();
    assert_eq!(logins, ["alpha", "beta"]);

    let streams: serde_json::Value =
        get("/streams?user_login=alpha", Some(&bearer), Some(client_id))
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
    assert_eq!(streams["data"][0]["user_login"], "alpha");
    assert_eq!(streams["data"][0]["type"], "live");

    for (auth, id, message) in [
        (None, Some(client_id), "OAuth token is missing"),
        (Some("Bearer nope"), Some(client_id), "Invalid OAuth token"),
        (Some(bearer.as_str()), None, "Client ID is missing"),
        (
            Some(bearer.as_str()),
            Some("someoneelse"),
            "Client ID and OAuth token do not match",
        ),
    ] {
        let response = get("/users", auth, id).await.unwrap();
        assert_eq!(response.status(), 401);
        let body: serde_json::Value = response.json().await.unwrap();
        assert_eq!(
            body,
            serde_json::json!({"error": "Unauthorized", "status": 401, "message": message})
        );
    }
}

#[tokio::test]
async fn validate_describes_the_token() {
    let sim = start_sim().await;
    let http = ttvchat::net::helix::http_client().unwrap();
    let url = format!("{}/validate", sim.auth_url());
    let token = sim.token("streamer").unwrap();
    let response = http
        .get(&url)
        .header("Authorization", format!("OAuth {token}"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["login"], "streamer");
    assert_eq!(body["client_id"], ttvchat::sim::SIM_CLIENT_ID);
    assert!(body["user_id"].as_str().unwrap().parse::<u64>().is_ok());
    assert!(body["expires_in"].as_u64().unwrap() > 0);

    let response = http
        .get(&url)
        .header("Authorization", "OAuth wrong")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(
        body,
        serde_json::json!({"status": 401, "message": "invalid access token"})
    );
    let response = http.get(&url).send().await.unwrap();
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["message"], "missing authorization token");
}

/// `ttvchat sim` as a process, killed when dropped.
struct SimProcess(Child);

impl Drop for SimProcess {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test]
async fn ttvchat_sim_prints_its_urls_and_tokens_then_serves_chat() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_ttvchat"))
        .arg("sim")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let _process = SimProcess(child);
    let mut lines = BufReader::new(stdout).lines();
    let mut next = || lines.next().unwrap().unwrap();
    let irc = next();
    let helix = next();
    let auth = next();
    assert!(irc.starts_with("irc: ws://127.0.0.1:"), "{irc}");
    assert!(
        helix.starts_with("helix: http://127.0.0.1:") && helix.ends_with("/helix"),
        "{helix}"
    );
    assert!(
        auth.starts_with("auth: http://127.0.0.1:") && auth.ends_with("/oauth2"),
        "{auth}"
    );
    assert_eq!(
        next(),
        format!("client id: {}", ttvchat::sim::SIM_CLIENT_ID)
    );
    let mut tokens = HashMap::new();
    for _ in 0..3 {
        let line = next();
        let (who, token) = line
            .strip_prefix("token ")
            .unwrap()
            .split_once(": ")
            .unwrap();
        let (login, role) = who.split_once(' ').unwrap();
        tokens.insert(role.to_owned(), (login.to_owned(), token.to_owned()));
    }
    let roles: HashSet<&str> = tokens.keys().map(String::as_str).collect();
    assert_eq!(roles, HashSet::from(["broadcaster", "moderator", "viewer"]));

    let url = irc.strip_prefix("irc: ").unwrap();
    let (login, token) = &tokens["viewer"];
    let (mut ws, _) = tokio_tungstenite::connect_async(url).await.unwrap();
    let hello = format!(
        "CAP REQ :twitch.tv/tags twitch.tv/commands\r\nPASS oauth:{token}\r\nNICK {login}\r\nJOIN #cozycorner\r\n"
    );
    ws.send(Message::text(hello)).await.unwrap();
    let mut chat = 0;
    let mut confirmed = None;
    while chat < 3 || confirmed.is_none() {
        let frame = tokio::time::timeout(WAIT, ws.next())
            .await
            .expect("chat flows")
            .unwrap()
            .unwrap();
        for line in frame.to_text().unwrap().split("\r\n") {
            match command(line).as_str() {
                "PRIVMSG" => chat += 1,
                "366" => ws
                    .send(Message::text(
                        "PRIVMSG #cozycorner :hi from a plain client\r\n",
                    ))
                    .await
                    .unwrap(),
                "USERSTATE" if tag(line, "id").is_some() => confirmed = tag(line, "id"),
                _ => {}
            }
        }
    }
}

#[test]
fn ttvchat_sim_refuses_a_bad_scenario_and_says_where() {
    let dir = std::env::temp_dir().join(format!("ttvchat-sim-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("bad.toml");
    std::fs::write(&path, "[[channel]]\nname = \"x\"\nslowmode = 3\n").unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_ttvchat"))
        .args(["sim", "--scenario"])
        .arg(&path)
        .output()
        .unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(!output.status.success());
    assert!(output.stdout.is_empty(), "nothing on stdout");
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("bad.toml") && stderr.contains("slowmode"),
        "{stderr}"
    );
}

/// A line's shape: its command, whether it has tags, its source (`none`, `host` like
/// `tmi.twitch.tv`, or `user` like `nick!nick@nick.tmi.twitch.tv`), how many middle parameters,
/// and whether the last one comes after a `:`.
type Form = (String, bool, &'static str, usize, bool);

fn form(line: &str) -> Form {
    let mut rest = line;
    let tags = rest.starts_with('@');
    if tags {
        rest = rest.split_once(' ').map_or("", |(_, r)| r);
    }
    let mut source = "none";
    if let Some(after) = rest.strip_prefix(':') {
        let (src, r) = after.split_once(' ').unwrap_or((after, ""));
        source = if src.contains('!') { "user" } else { "host" };
        rest = r;
    }
    let (head, trailing) = match rest.split_once(" :") {
        Some((head, _)) => (head, true),
        None => (rest, false),
    };
    let mut words = head.split(' ');
    let command = words.next().unwrap_or_default().to_owned();
    (command, tags, source, words.count(), trailing)
}

/// How Twitch writes each kind of line the simulator sends, from the captured real lines in
/// `../shared/twitch-reference/twitch-lines.jsonl` (and Twitch's IRC guide for the welcome
/// numerics and 421, which it shapes as 001 and 376).
const TWITCH_FORMS: &[(&str, bool, &str, usize, bool)] = &[
    ("PRIVMSG", true, "user", 1, true),
    ("USERNOTICE", true, "host", 1, true),
    ("USERNOTICE", true, "host", 1, false),
    ("NOTICE", true, "host", 1, true),
    ("NOTICE", false, "host", 1, true),
    ("CLEARCHAT", true, "host", 1, true),
    ("CLEARCHAT", true, "host", 1, false),
    ("CLEARMSG", true, "host", 1, true),
    ("ROOMSTATE", true, "host", 1, false),
    ("USERSTATE", true, "host", 1, false),
    ("GLOBALUSERSTATE", true, "host", 0, false),
    ("JOIN", false, "user", 1, false),
    ("PART", false, "user", 1, false),
    ("353", false, "host", 3, true),
    ("366", false, "host", 2, true),
    ("001", false, "host", 1, true),
    ("376", false, "host", 1, true),
    ("CAP", false, "host", 2, true),
    ("PONG", false, "none", 0, true),
    ("PONG", false, "host", 1, true),
    ("PING", false, "none", 0, true),
    ("RECONNECT", false, "host", 0, false),
];

fn twitch_forms() -> HashSet<Form> {
    let numerics = ["002", "003", "004", "372", "375"];
    TWITCH_FORMS
        .iter()
        .map(|(c, t, s, m, tr)| ((*c).to_owned(), *t, *s, *m, *tr))
        .chain(
            numerics
                .iter()
                .map(|c| ((*c).to_owned(), false, "host", 1, true)),
        )
        .chain([("421".to_owned(), false, "host", 2, true)])
        .collect()
}

#[test]
fn the_twitch_forms_are_the_captured_ones() {
    // The table above against the reference file, where the shared reference is checked out.
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/twitch-reference/twitch-lines.jsonl");
    let Ok(text) = std::fs::read_to_string(&path) else {
        return;
    };
    let captured: HashSet<Form> = text
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v["raw"].as_str().map(form))
        .collect();
    for (command, tags, source, middle, trailing) in TWITCH_FORMS {
        let wanted = ((*command).to_owned(), *tags, *source, *middle, *trailing);
        assert!(
            captured.contains(&wanted),
            "not in the captured lines: {wanted:?}"
        );
    }
}

#[tokio::test]
async fn every_kind_of_line_the_simulator_sends_has_twitchs_shape() {
    let scenario = r#"
        [[account]]
        login = "viewer"
        role = "viewer"
        token = "viewertoken0000000000000000000"

        [[account]]
        login = "friend"
        role = "viewer"
        token = "friendtoken0000000000000000000"

        [[channel]]
        name = "stage"
        chatters = 5
        chat_rate = 30.0
        [[channel.script]]
        kind = "say"
        at = "50ms"
        user = "opener"
        text = "one"
        [[channel.script]]
        kind = "sub"
        at = "100ms"
        user = "fan"
        months = 3
        message = "love it"
        [[channel.script]]
        kind = "sub"
        at = "120ms"
        user = "quietfan"
        months = 1
        [[channel.script]]
        kind = "gift_bomb"
        at = "150ms"
        user = "generous"
        count = 2
        [[channel.script]]
        kind = "raid"
        at = "200ms"
        from = "raidleader"
        viewers = 10
        [[channel.script]]
        kind = "announce"
        at = "250ms"
        user = "stage"
        text = "hi"
        color = "BLUE"
        [[channel.script]]
        kind = "bits"
        at = "300ms"
        user = "cheerer"
        bits = 100
        text = "Cheer100"
        [[channel.script]]
        kind = "delete"
        at = "350ms"
        user = "opener"
        [[channel.script]]
        kind = "timeout"
        at = "400ms"
        user = "opener"
        duration = "10m"
        [[channel.script]]
        kind = "ban"
        at = "450ms"
        user = "cheerer"
        [[channel.script]]
        kind = "modes"
        at = "500ms"
        slow = 30
        [[channel.script]]
        kind = "clear"
        at = "550ms"
    "#;
    let sim = start_sim_with(|c| c.scenario = Scenario::parse(scenario, "test").unwrap()).await;
    let mut lines = Vec::new();
    let mut raw = Raw::connect(&sim.irc_url()).await;
    raw.send("CAP REQ :twitch.tv/tags twitch.tv/commands twitch.tv/membership")
        .await;
    raw.send(&format!("PASS oauth:{}", sim.token("viewer").unwrap()))
        .await;
    raw.send("NICK viewer").await;
    lines.extend(
        raw.collect_until(|m| m.command() == "GLOBALUSERSTATE")
            .await,
    );
    raw.send("JOIN #stage").await;
    lines.extend(
        raw.collect_until(|m| m.command() == "CLEARCHAT" && m.param(1).is_none())
            .await,
    );
    // Our own chat (USERSTATE with an id), a refusal (slow mode is on now), PINGs both ways,
    // an unknown command, and another client leaving.
    raw.send("PRIVMSG #stage :hello").await;
    raw.send("PRIVMSG #stage :again").await;
    lines.extend(raw.collect_until(|m| m.command() == "NOTICE").await);
    raw.send("PING").await;
    raw.send("PING word").await;
    raw.send("WHO #stage").await;
    lines.extend(raw.collect_until(|m| m.command() == "421").await);
    let mut other = Raw::user(&sim, "friend").await;
    other.join("stage").await;
    other.send("PART #stage").await;
    lines.extend(raw.collect_until(|m| m.command() == "PART").await);
    // Closing the connection is leaving too.
    let mut other = Raw::user(&sim, "friend").await;
    other.join("stage").await;
    drop(other);
    lines.extend(raw.collect_until(|m| m.command() == "PART").await);
    sim.fault(Fault::Reconnect);
    lines.extend(raw.collect_until(|m| m.command() == "RECONNECT").await);

    let twitch = twitch_forms();
    let mut seen = HashSet::new();
    for line in &lines {
        let shape = form(line);
        assert!(
            twitch.contains(&shape),
            "Twitch never writes this shape: {shape:?}\n{line}"
        );
        seen.insert(shape.0);
    }
    for command in [
        "001",
        "CAP",
        "GLOBALUSERSTATE",
        "JOIN",
        "353",
        "366",
        "ROOMSTATE",
        "USERSTATE",
        "PRIVMSG",
        "USERNOTICE",
        "CLEARMSG",
        "CLEARCHAT",
        "NOTICE",
        "PONG",
        "421",
        "PART",
        "RECONNECT",
    ] {
        assert!(seen.contains(command), "never saw a {command} line");
    }
    // One-word texts keep their colon: a client that reads the trailing parameter gets them.
    assert!(
        lines.iter().any(|l| l.ends_with("PRIVMSG #stage :one")),
        "{lines:#?}"
    );
    assert!(
        lines.iter().any(|l| l.contains("CLEARCHAT #stage :opener")),
        "{lines:#?}"
    );
}

#[tokio::test]
async fn a_client_asking_for_the_irc_subprotocol_gets_it_named_back() {
    use tokio_tungstenite::tungstenite::client::IntoClientRequest;
    let sim = start_sim().await;
    let mut request = sim.irc_url().into_client_request().unwrap();
    request
        .headers_mut()
        .insert("Sec-WebSocket-Protocol", "irc".parse().unwrap());
    // tungstenite refuses a handshake whose answer does not name the protocol asked for.
    let (mut ws, response) = tokio_tungstenite::connect_async(request)
        .await
        .expect("the handshake is accepted");
    assert_eq!(
        response.headers().get("sec-websocket-protocol").unwrap(),
        "irc"
    );
    ws.send(Message::text("PING\r\n")).await.unwrap();
    let answer = tokio::time::timeout(WAIT, ws.next())
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    assert_eq!(
        answer.into_text().unwrap().as_str(),
        "PONG :tmi.twitch.tv\r\n"
    );
    // One that asks for nothing gets nothing named.
    let (_, response) = tokio_tungstenite::connect_async(sim.irc_url())
        .await
        .unwrap();
    assert!(response.headers().get("sec-websocket-protocol").is_none());
}
