//! The simulator's chat as any client sees it: a raw WebSocket client speaks IRC to it line
//! by line.

use crate::common;

use std::collections::{HashMap, HashSet};
use std::time::Duration;

use crate::raw::*;
use common::*;

use tokio::time::Instant;
use ttvchat::sim::world::ModeChange;
use ttvchat::sim::{Fault, Firehose, Scenario};
use ttvchat::twitch::irc::IrcMessage;

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
async fn rejoining_an_empty_channel_replays_nothing_that_happened_while_nobody_was_there() {
    let scenario = r#"
        [[account]]
        login = "viewer"
        role = "viewer"
        token = "viewertoken0000000000000000000"

        [[channel]]
        name = "stage"
        chatters = 5
        events_every = "1s"
        [[channel.script]]
        kind = "say"
        at = "300ms"
        user = "early"
        text = "said while nobody was here"
        [[channel.script]]
        kind = "delete"
        at = "400ms"
        user = "early"
        [[channel.script]]
        kind = "ban"
        at = "500ms"
        user = "early"
    "#;
    let sim = start_sim_with(|c| c.scenario = Scenario::parse(scenario, "test").unwrap()).await;
    let mut raw = Raw::user(&sim, "viewer").await;
    raw.join("stage").await;
    raw.send("PART #stage").await;
    raw.until(|m| m.command() == "PART").await;
    tokio::time::sleep(Duration::from_millis(700)).await;
    raw.quiet(Duration::from_millis(50)).await;

    raw.join("stage").await;
    let lines = raw.quiet(Duration::from_millis(100)).await;
    let stale: Vec<&String> = lines
        .iter()
        .filter(|l| {
            l.contains("nobody was here")
                || matches!(command(l).as_str(), "CLEARMSG" | "CLEARCHAT" | "USERNOTICE")
        })
        .collect();
    assert!(stale.is_empty(), "replayed on rejoin: {stale:#?}");
    // It all happened, unseen: the message is gone from the log and its sender banned.
    let (logged, banned) = sim.world(|w| {
        let stage = &w.channels["stage"];
        (
            stage.log.iter().any(|m| m.login == "early"),
            stage.bans.contains_key("early"),
        )
    });
    assert_eq!((logged, banned), (false, true));
}

#[tokio::test]
async fn the_join_limit_counts_a_users_attempts_over_all_connections_and_is_higher_for_verified_bots()
 {
    let joins_refused = |sim: &ttvchat::sim::SimHandle| {
        sim.events()
            .iter()
            .filter(|e| matches!(e.event, ttvchat::sim::SimEvent::JoinViolation { .. }))
            .count()
    };
    // Three JOINs per second per user (the test limits): two connections of one user get three.
    let sim = start_sim().await;
    let mut first = Raw::user(&sim, "viewer").await;
    let mut second = Raw::user(&sim, "viewer").await;
    first.join("alpha").await;
    first.join("beta").await;
    second.join("gamma").await;
    second.send("JOIN #delta").await;
    second.quiet(Duration::from_millis(200)).await;
    assert_eq!(joins_refused(&sim), 1, "the fourth JOIN within the window");
    assert!(!sim.members("delta").contains(&"viewer".to_owned()));

    let scenario = r#"
        [[account]]
        login = "bot"
        role = "bot"
        token = "bottoken000000000000000000000"
        verified_bot = true
    "#
    .to_owned()
        + &(1..=20)
            .map(|i| format!("[[channel]]\nname = \"room{i}\"\nchatters = 1\n"))
            .collect::<String>();
    let sim = start_sim_with(|c| c.scenario = Scenario::parse(&scenario, "test").unwrap()).await;
    let mut bot = Raw::user(&sim, "bot").await;
    let all: Vec<String> = (1..=20).map(|i| format!("#room{i}")).collect();
    bot.send(&format!("JOIN {}", all.join(","))).await;
    bot.quiet(Duration::from_millis(300)).await;
    assert_eq!(joins_refused(&sim), 0);
    assert!((1..=20).all(|i| sim.members(&format!("room{i}")).contains(&"bot".to_owned())));
}
