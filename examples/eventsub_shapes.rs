//! The simulator's EventSub notifications against Twitch's documented payloads: starts the
//! simulator (the built-in scenario, its feeds sped up), subscribes a WebSocket session to every
//! type ttvchat follows, makes each happen (Helix calls, chat, the generated traffic), and
//! compares each first notification with the reference example of its type: the metadata's and
//! the subscription's fields, and the event's fields (nested objects too, where both have one).
//! Prints one row per type; exits 1 when a field is missing or extra, or a type never came.
//!
//! `cargo run --example eventsub_shapes -- ../shared/twitch-reference/eventsub`

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;
use ttvchat::net::helix::calls::{Call, Treatment, run};
use ttvchat::net::helix::{Helix, http_client};
use ttvchat::sim::scenario::DEFAULT_SCENARIO;
use ttvchat::sim::{SIM_CLIENT_ID, Scenario, Sim, SimConfig, SimHandle};
use ttvchat::twitch::Login;
use ttvchat::twitch::outgoing::Token;

/// The types ttvchat follows, their versions, and whose condition they take.
const TYPES: &[(&str, &str, Who)] = &[
    ("automod.message.hold", "2", Who::Moderator),
    ("automod.message.update", "2", Who::Moderator),
    ("channel.moderate", "2", Who::Moderator),
    ("channel.suspicious_user.message", "1", Who::Moderator),
    ("channel.suspicious_user.update", "1", Who::Moderator),
    ("channel.unban_request.create", "1", Who::Moderator),
    ("channel.unban_request.resolve", "1", Who::Moderator),
    ("channel.warning.send", "1", Who::Moderator),
    ("channel.warning.acknowledge", "1", Who::Moderator),
    ("channel.shield_mode.begin", "1", Who::Moderator),
    ("channel.shield_mode.end", "1", Who::Moderator),
    ("channel.follow", "2", Who::Moderator),
    ("channel.chat.user_message_hold", "1", Who::Chatter),
    ("channel.chat.user_message_update", "1", Who::Chatter),
    ("user.whisper.message", "1", Who::Recipient),
];

#[derive(Clone, Copy, PartialEq)]
enum Who {
    /// The demo moderator in #cozycorner.
    Moderator,
    /// The demo viewer, a chatter in #artcafe (AutoMod on).
    Chatter,
    /// The demo moderator, receiving.
    Recipient,
}

const MODERATOR: &str = "ttvchat_mod";
const VIEWER: &str = "ttvchat_viewer";

fn main() {
    let Some(reference) = std::env::args().nth(1) else {
        eprintln!("usage: eventsub_shapes REFERENCE_DIR (../shared/twitch-reference/eventsub)");
        std::process::exit(2);
    };
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let mismatches = runtime.block_on(check(&reference));
    std::process::exit(i32::from(mismatches > 0));
}

async fn check(reference: &str) -> usize {
    let scenario = DEFAULT_SCENARIO
        .replace("automod_every = \"10s\"", "automod_every = \"400ms\"")
        .replace("watch_every = \"12s\"", "watch_every = \"300ms\"");
    let config = SimConfig {
        scenario: Scenario::parse(&scenario, "sped up").unwrap(),
        ..SimConfig::default()
    };
    let sim = Sim::start(config).await.unwrap();
    let (mut moderator, moderator_session) = connect(&sim).await;
    let (mut chatter, chatter_session) = connect(&sim).await;
    for (kind, version, who) in TYPES {
        let (account, session, condition) = match who {
            Who::Moderator => (
                MODERATOR,
                &moderator_session,
                json!({"broadcaster_user_id": id(&sim, "cozycorner"),
                    "moderator_user_id": id(&sim, MODERATOR)}),
            ),
            Who::Chatter => (
                VIEWER,
                &chatter_session,
                json!({"broadcaster_user_id": id(&sim, "artcafe"), "user_id": id(&sim, VIEWER)}),
            ),
            Who::Recipient => (
                MODERATOR,
                &moderator_session,
                json!({"user_id": id(&sim, MODERATOR)}),
            ),
        };
        let body = json!({"type": kind, "version": version, "condition": condition,
            "transport": {"method": "websocket", "session_id": session}});
        let status = http_client()
            .unwrap()
            .post(format!("{}/eventsub/subscriptions", sim.helix_url()))
            .bearer_auth(sim.token(account).unwrap())
            .header("Client-Id", SIM_CLIENT_ID)
            .json(&body)
            .send()
            .await
            .unwrap()
            .status();
        assert_eq!(status.as_u16(), 202, "subscribing to {kind}");
    }
    let seen = tokio::spawn(async move {
        let mut seen: BTreeMap<String, Value> = BTreeMap::new();
        let deadline = tokio::time::Instant::now() + Duration::from_secs(40);
        while seen.len() < TYPES.len() && tokio::time::Instant::now() < deadline {
            let frame = tokio::select! {
                frame = next(&mut moderator) => frame,
                frame = next(&mut chatter) => frame,
                () = tokio::time::sleep_until(deadline) => break,
            };
            if frame["metadata"]["message_type"] == "notification" {
                let kind = frame["metadata"]["subscription_type"]
                    .as_str()
                    .unwrap()
                    .to_owned();
                seen.entry(kind).or_insert(frame);
            }
        }
        seen
    });
    make_it_happen(&sim).await;
    let seen = seen.await.unwrap();
    let mut mismatches = 0;
    for (kind, _, _) in TYPES {
        let text = std::fs::read_to_string(format!("{reference}/{kind}.json"))
            .unwrap_or_else(|e| panic!("{reference}/{kind}.json: {e}"));
        let example: Value = serde_json::from_str(&text).unwrap();
        let Some(frame) = seen.get(*kind) else {
            println!("{kind:<36} NEVER CAME");
            mismatches += 1;
            continue;
        };
        let mut differences = Vec::new();
        compare(
            "event",
            &example["payload"]["event"],
            &frame["payload"]["event"],
            &mut differences,
        );
        compare(
            "subscription",
            &example["payload"]["subscription"],
            &frame["payload"]["subscription"],
            &mut differences,
        );
        let metadata = [
            "message_id",
            "message_type",
            "message_timestamp",
            "subscription_type",
            "subscription_version",
        ];
        for key in metadata {
            if frame["metadata"][key].is_null() {
                differences.push(format!("metadata.{key} missing"));
            }
        }
        if differences.is_empty() {
            println!("{kind:<36} ok");
        } else {
            println!("{kind:<36} {}", differences.join("; "));
            mismatches += 1;
        }
    }
    mismatches
}

/// Field names of `expected` missing from `actual` and the reverse, at `path` and below (where
/// both have an object, or a first array element).
fn compare(path: &str, expected: &Value, actual: &Value, out: &mut Vec<String>) {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            let (ek, ak): (BTreeSet<&String>, BTreeSet<&String>) =
                (e.keys().collect(), a.keys().collect());
            for key in ek.difference(&ak) {
                out.push(format!("{path}.{key} missing"));
            }
            for key in ak.difference(&ek) {
                out.push(format!("{path}.{key} not in the reference"));
            }
            for key in ek.intersection(&ak) {
                compare(&format!("{path}.{key}"), &e[*key], &a[*key], out);
            }
        }
        (Value::Array(e), Value::Array(a)) => {
            if let (Some(e), Some(a)) = (e.first(), a.first()) {
                compare(&format!("{path}[0]"), e, a, out);
            }
        }
        _ => {}
    }
}

fn id(sim: &SimHandle, login: &str) -> String {
    sim.user_id(login).unwrap().to_string()
}

type Ws =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

async fn connect(sim: &SimHandle) -> (Ws, String) {
    let (mut ws, _) = tokio_tungstenite::connect_async(sim.eventsub_url())
        .await
        .unwrap();
    let welcome = next(&mut ws).await;
    let session = welcome["payload"]["session"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    (ws, session)
}

async fn next(ws: &mut Ws) -> Value {
    loop {
        match ws.next().await {
            Some(Ok(Message::Text(text))) => return serde_json::from_str(&text).unwrap(),
            Some(Ok(_)) => {}
            _ => std::future::pending::<()>().await,
        }
    }
}

/// Every kind of notification, made to happen: Helix calls as the moderator and the
/// broadcaster, a chatter's flagged words in #artcafe, a whisper; the traffic brings holds,
/// suspicious users, unban requests and followers by itself.
async fn make_it_happen(sim: &SimHandle) {
    // The traffic runs in a channel someone is in: the moderator joins #cozycorner.
    let watching = chat(sim, MODERATOR, &["JOIN #cozycorner"]).await;
    let helix = |account: &str| {
        Helix::new(
            sim.helix_url(),
            SIM_CLIENT_ID,
            Token::new(sim.token(account).unwrap()),
        )
        .unwrap()
    };
    let (moderator, broadcaster) = (helix(MODERATOR), helix("cozycorner"));
    let cozy = Login::parse("cozycorner").unwrap();
    let login = |name: &str| Login::parse(name).unwrap();
    let calls = [
        Call::Timeout {
            user: login("salty_spammer"),
            seconds: 60,
            reason: "spam".into(),
        },
        Call::Warn {
            user: login("caps_lock_carl"),
            reason: "caps".into(),
        },
        Call::Shield { on: true },
        Call::Shield { on: false },
        Call::Suspicion {
            user: login("caps_lock_carl"),
            treatment: Treatment::Monitored,
        },
    ];
    sim.say("cozycorner", "salty_spammer", "hello");
    sim.say("cozycorner", "caps_lock_carl", "HELLO");
    for call in &calls {
        run(&moderator, &cozy, call).await.unwrap();
    }
    let whisper = Call::Whisper {
        to: login(MODERATOR),
        text: "psst".into(),
    };
    run(&broadcaster, &cozy, &whisper).await.unwrap();
    // A chatter's flagged words in #artcafe: held, then decided by the broadcaster.
    let chatter = chat(
        sim,
        VIEWER,
        &["JOIN #artcafe", "PRIVMSG #artcafe :what the hell"],
    )
    .await;
    // AutoMod's generated holds: one allowed; an unban request: approved.
    tokio::time::sleep(Duration::from_secs(2)).await;
    for _ in 0..20 {
        if approve_something(sim, &moderator, &broadcaster).await {
            break;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    // The chat sockets stay open until the chatter's message was decided.
    tokio::time::sleep(Duration::from_secs(12)).await;
    drop((watching, chatter));
}

/// A chat connection logged in as `account` that has sent `lines`.
async fn chat(sim: &SimHandle, account: &str, lines: &[&str]) -> Ws {
    let (mut irc, _) = tokio_tungstenite::connect_async(sim.irc_url())
        .await
        .unwrap();
    let token = sim.token(account).unwrap();
    let login = [format!("PASS oauth:{token}"), format!("NICK {account}")];
    for line in login
        .iter()
        .map(String::as_str)
        .chain(lines.iter().copied())
    {
        irc.send(Message::text(line.to_owned())).await.unwrap();
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    irc
}

/// Allows the newest held message and approves the newest unban request, once both exist.
async fn approve_something(sim: &SimHandle, moderator: &Helix, broadcaster: &Helix) -> bool {
    let requests: Value = http_client()
        .unwrap()
        .get(format!(
            "{}/moderation/unban_requests?broadcaster_id={}&moderator_id={}&status=pending",
            sim.helix_url(),
            id(sim, "cozycorner"),
            id(sim, "cozycorner")
        ))
        .bearer_auth(sim.token("cozycorner").unwrap())
        .header("Client-Id", SIM_CLIENT_ID)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let held = sim.held_ids("cozycorner");
    let (Some(request), Some(held)) = (requests["data"][0]["user_login"].as_str(), held.last())
    else {
        return false;
    };
    let cozy = Login::parse("cozycorner").unwrap();
    let allow = Call::Automod {
        message_id: held.clone(),
        allow: true,
        author: String::new(),
    };
    run(moderator, &cozy, &allow).await.unwrap();
    let approve = Call::ResolveUnban {
        user: Login::parse(request).unwrap(),
        approve: true,
        text: "welcome back".into(),
    };
    run(broadcaster, &cozy, &approve).await.unwrap();
    true
}
