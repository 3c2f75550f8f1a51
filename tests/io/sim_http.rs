//! The simulator's HTTP as any client sees it (Helix, OAuth), and `ttvchat sim` as a process.

use crate::common;

use std::collections::{HashMap, HashSet};
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use crate::raw::*;
use common::*;
use futures_util::{SinkExt, StreamExt};
use tokio_tungstenite::tungstenite::Message;

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
    let eventsub = next();
    let helix = next();
    let auth = next();
    assert!(irc.starts_with("irc: ws://127.0.0.1:"), "{irc}");
    assert_eq!(eventsub, format!("eventsub: {}/ws", &irc["irc: ".len()..]));
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

/// A GET to the simulator's Helix as `account`.
async fn helix_get(
    sim: &ttvchat::sim::SimHandle,
    account: &str,
    path: &str,
) -> (u16, serde_json::Value) {
    let http = ttvchat::net::helix::http_client().unwrap();
    let response = http
        .get(format!("{}{path}", sim.helix_url()))
        .header(
            "Authorization",
            format!("Bearer {}", sim.token(account).unwrap()),
        )
        .header("Client-Id", ttvchat::sim::SIM_CLIENT_ID)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or_default())
}

#[tokio::test]
async fn chat_settings_can_be_read_by_anyone_and_the_delay_only_by_moderators() {
    let sim = start_sim().await;
    let slowroom = sim.world(|w| w.channels["slowroom"].id.to_string());
    let (status, body) = helix_get(
        &sim,
        "viewer",
        &format!("/chat/settings?broadcaster_id={slowroom}"),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let settings = &body["data"][0];
    assert_eq!(settings["broadcaster_id"], slowroom.as_str());
    assert_eq!(
        (&settings["slow_mode"], &settings["slow_mode_wait_time"]),
        (&serde_json::json!(true), &serde_json::json!(1))
    );
    assert_eq!(
        (
            &settings["follower_mode"],
            &settings["follower_mode_duration"]
        ),
        (&serde_json::json!(false), &serde_json::Value::Null)
    );
    assert_eq!(settings["subscriber_mode"], false);
    for hidden in [
        "moderator_id",
        "non_moderator_chat_delay",
        "non_moderator_chat_delay_duration",
    ] {
        assert!(
            settings.get(hidden).is_none(),
            "{hidden} is for moderators: {settings}"
        );
    }

    let streamer = sim.world(|w| w.channels["streamer"].id.to_string());
    let mod_id = sim.world(|w| w.users["mod_user"].id.to_string());
    let (status, body) = helix_get(
        &sim,
        "mod_user",
        &format!("/chat/settings?broadcaster_id={streamer}&moderator_id={mod_id}"),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"][0]["moderator_id"], mod_id.as_str());
    assert_eq!(body["data"][0]["non_moderator_chat_delay"], false);

    let (status, body) = helix_get(
        &sim,
        "viewer",
        &format!("/chat/settings?broadcaster_id={streamer}&moderator_id={mod_id}"),
    )
    .await;
    assert_eq!(
        (status, &body["message"]),
        (
            401,
            &serde_json::json!(
                "The ID in moderator_id must match the user ID found in the request's OAuth token."
            )
        )
    );
    let (status, _) = helix_get(&sim, "viewer", "/chat/settings").await;
    assert_eq!(status, 400, "broadcaster_id is required");
}

#[tokio::test]
async fn chatters_are_logged_in_users_with_ids_never_anonymous_connections() {
    let sim = start_sim().await;
    let mut anonymous = Raw::login(&sim, "justinfan4711", None).await;
    anonymous.join("streamer").await;
    let mut viewer = Raw::user(&sim, "viewer").await;
    viewer.join("streamer").await;
    let streamer = sim.world(|w| w.channels["streamer"].id.to_string());
    let mut logins = Vec::new();
    let mut after = String::new();
    loop {
        let path = format!(
            "/chat/chatters?broadcaster_id={streamer}&moderator_id={streamer}&first=1000{after}"
        );
        let (status, body) = helix_get(&sim, "streamer", &path).await;
        assert_eq!(status, 200, "{body}");
        for chatter in body["data"].as_array().unwrap() {
            let id = chatter["user_id"].as_str().unwrap();
            assert!(
                !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()),
                "{chatter}"
            );
            logins.push(chatter["user_login"].as_str().unwrap().to_owned());
        }
        match body["pagination"]["cursor"].as_str() {
            Some(cursor) => after = format!("&after={cursor}"),
            None => break,
        }
    }
    assert!(
        logins.contains(&"viewer".to_owned()),
        "a logged-in user is listed"
    );
    assert!(
        !logins.iter().any(|l| l.starts_with("justinfan")),
        "{logins:?}"
    );
}
