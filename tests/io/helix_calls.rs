//! The broadcaster's and everyone's Helix calls against the simulator: raids, moderators and
//! VIPs, whispers, chat colour, Shield Mode, warnings and announcements. Each test checks what
//! the simulator holds afterwards, Twitch's refusal of a bad second try, and where Twitch shows
//! the change in chat, that a chat connection sees it.

use crate::common;

use common::*;
use ttvchat::net::auth::OAuth;
use ttvchat::net::chat::{ChatEvent, Credentials};
use ttvchat::net::helix::HelixError;
use ttvchat::net::helix::calls::{self, AnnounceColor, Call, Reply};
use ttvchat::sim::{Fault, SIM_CLIENT_ID, SimEvent, SimHandle, Warned, Whispered};
use ttvchat::twitch::message::ServerMessage;
use ttvchat::twitch::outgoing::Token;
use ttvchat::twitch::usernotice::{AnnouncementColor, UserNoticeKind};

/// Runs `call` in #streamer as `account`.
async fn run(sim: &SimHandle, account: &str, call: Call) -> Result<Reply, HelixError> {
    calls::run(&helix_for(sim, account), &login("streamer"), &call).await
}

/// Twitch's message of a refusal with `status`; panics on anything else.
fn refusal(result: Result<Reply, HelixError>, status: u16) -> String {
    match result {
        Err(HelixError::Refused { status: s, message }) if s == status => message,
        other => panic!("expected a {status} refusal, got {other:?}"),
    }
}

#[tokio::test]
async fn a_raid_starts_cannot_start_twice_and_is_cancelled() {
    let sim = start_sim().await;
    let raid = || Call::Raid { to: login("alpha") };
    assert_eq!(run(&sim, "streamer", raid()).await.unwrap(), Reply::Done);
    assert_eq!(
        sim.actions().raids.get("streamer").map(|c| c.as_str()),
        Some("alpha")
    );
    assert_eq!(
        refusal(run(&sim, "streamer", raid()).await, 409),
        "The broadcaster is already in the process of raiding another channel."
    );
    assert_eq!(
        run(&sim, "streamer", Call::Unraid).await.unwrap(),
        Reply::Done
    );
    assert!(sim.actions().raids.is_empty());
    assert_eq!(
        refusal(run(&sim, "streamer", Call::Unraid).await, 404),
        "The broadcaster doesn't have a pending raid to cancel."
    );
    // A moderator may not raid for the broadcaster.
    let error = run(&sim, "mod_user", raid()).await.unwrap_err();
    assert!(
        matches!(error, HelixError::Refused { status: 401, .. }),
        "{error:?}"
    );
}

#[tokio::test]
async fn moderators_and_vips_are_added_listed_and_removed() {
    let sim = start_sim().await;
    let roles = |who: &str| {
        sim.world(|w| {
            let chan = &w.channels["streamer"];
            (chan.moderators.contains(who), chan.vips.contains(who))
        })
    };
    let names = async |call: Call| match run(&sim, "streamer", call).await.unwrap() {
        Reply::Names { names, .. } => names,
        other => panic!("not names: {other:?}"),
    };
    let add_mod = || Call::Mod {
        user: login("viewer"),
    };
    run(&sim, "streamer", add_mod()).await.unwrap();
    assert_eq!(roles("viewer"), (true, false));
    assert!(names(Call::Mods).await.contains(&"viewer".to_string()));
    assert_eq!(
        refusal(run(&sim, "streamer", add_mod()).await, 400),
        "The user in user_id is already a moderator in the broadcaster's chat room."
    );
    // Twitch will not make a moderator a VIP.
    let vip = || Call::Vip {
        user: login("viewer"),
    };
    refusal(run(&sim, "streamer", vip()).await, 422);
    run(
        &sim,
        "streamer",
        Call::Unmod {
            user: login("viewer"),
        },
    )
    .await
    .unwrap();
    run(&sim, "streamer", vip()).await.unwrap();
    assert_eq!(roles("viewer"), (false, true));
    assert!(names(Call::Vips).await.contains(&"viewer".to_string()));
    run(
        &sim,
        "streamer",
        Call::Unvip {
            user: login("viewer"),
        },
    )
    .await
    .unwrap();
    assert_eq!(roles("viewer"), (false, false));
    assert_eq!(
        refusal(
            run(
                &sim,
                "streamer",
                Call::Unvip {
                    user: login("viewer")
                }
            )
            .await,
            422
        ),
        "The user in user_id is not a VIP in the broadcaster's channel."
    );
}

#[tokio::test]
async fn whispers_reach_the_simulator_and_self_whispers_are_refused() {
    let sim = start_sim().await;
    let whisper = |to: &str, text: &str| Call::Whisper {
        to: login(to),
        text: text.into(),
    };
    run(&sim, "streamer", whisper("viewer", "thanks for the raid"))
        .await
        .unwrap();
    assert_eq!(
        sim.actions().whispers,
        vec![Whispered {
            from: "streamer".into(),
            to: "viewer".into(),
            text: "thanks for the raid".into(),
        }]
    );
    assert_eq!(
        refusal(run(&sim, "streamer", whisper("streamer", "me")).await, 400),
        "The ID in the from_user_id and to_user_id query parameters must be different."
    );
    // The viewer's token lacks user:manage:whispers.
    assert_eq!(
        refusal(run(&sim, "viewer", whisper("streamer", "hi")).await, 401),
        "Missing scope: user:manage:whispers"
    );
    assert_eq!(sim.actions().whispers.len(), 1, "nothing else was sent");
}

#[tokio::test]
async fn a_named_colour_shows_on_the_next_message_and_hex_needs_turbo() {
    let sim = start_sim().await;
    let color = |c: &str| Call::Color { color: c.into() };
    run(&sim, "streamer", color("blue_violet")).await.unwrap();
    assert_eq!(
        refusal(run(&sim, "streamer", color("#123456")).await, 400),
        "To specify a Hex color code, the user must be a Turbo or Prime user."
    );
    let (_chat, mut events) = spawn(chat_config(&sim, Credentials::Anonymous, &["streamer"]));
    events.until(WAIT, |e| is_joined(e, "streamer")).await;
    sim.say("streamer", "streamer", "new colour").unwrap();
    let said = events.privmsg(|p| p.text == "new colour").await;
    assert_eq!(
        said.sender.color.map(|c| c.to_string()),
        Some("#8A2BE2".into())
    );
}

#[tokio::test]
async fn shield_mode_and_warnings_are_held_by_the_simulator() {
    let sim = start_sim().await;
    run(&sim, "streamer", Call::Shield { on: true })
        .await
        .unwrap();
    assert!(sim.actions().shield.contains("streamer"));
    run(&sim, "streamer", Call::Shield { on: false })
        .await
        .unwrap();
    assert!(sim.actions().shield.is_empty());
    let warn = |user: &str, reason: &str| Call::Warn {
        user: login(user),
        reason: reason.into(),
    };
    run(&sim, "streamer", warn("viewer", "no spoilers"))
        .await
        .unwrap();
    assert_eq!(
        sim.actions().warnings,
        vec![Warned {
            channel: "streamer".into(),
            user: "viewer".into(),
            by: "streamer".into(),
            reason: "no spoilers".into(),
        }]
    );
    assert_eq!(
        refusal(
            run(&sim, "streamer", warn("mod_user", "be nice")).await,
            400
        ),
        "The user specified in the user_id may not be warned."
    );
    // mod_user moderates #streamer but did not grant Shield Mode.
    assert_eq!(
        refusal(run(&sim, "mod_user", Call::Shield { on: true }).await, 401),
        "Missing scope: moderator:manage:shield_mode"
    );
}

#[tokio::test]
async fn an_announcement_arrives_in_chat_as_a_usernotice() {
    let sim = start_sim().await;
    let (_chat, mut events) = spawn(chat_config(&sim, Credentials::Anonymous, &["streamer"]));
    events.until(WAIT, |e| is_joined(e, "streamer")).await;
    let call = Call::Announce {
        message: "Giveaway at the top of the hour".into(),
        color: AnnounceColor::Purple,
    };
    run(&sim, "streamer", call).await.unwrap();
    let event = events
        .until(
            WAIT,
            |e| matches!(e, ChatEvent::Message(m) if matches!(&**m, ServerMessage::UserNotice(_))),
        )
        .await;
    let ChatEvent::Message(message) = event else {
        unreachable!("matched a message")
    };
    let ServerMessage::UserNotice(notice) = &*message else {
        unreachable!("matched a USERNOTICE")
    };
    assert_eq!(
        notice.kind,
        UserNoticeKind::Announcement {
            color: AnnouncementColor::Purple
        }
    );
    assert_eq!(
        notice.text.as_deref(),
        Some("Giveaway at the top of the hour")
    );
    assert_eq!(notice.sender.login.as_str(), "streamer");
}

#[tokio::test]
async fn the_chat_connection_logs_in_again_with_a_renewed_token() {
    let sim = start_sim().await;
    let account = sim_account(&sim, "streamer");
    let (chat, mut events) = spawn(chat_config(&sim, user(&sim, "streamer"), &["alpha"]));
    events.until(WAIT, |e| is_joined(e, "alpha")).await;
    // The access token expires; Helix renews it and tells the chat actor.
    sim.expire_token(&account.token);
    let oauth = OAuth::new(sim.auth_url(), SIM_CLIENT_ID).unwrap();
    let renewed = oauth
        .refresh(&Token::new(&account.refresh_token))
        .await
        .unwrap();
    chat.renewer().renewed(Credentials::User {
        login: login("streamer"),
        token: renewed.access.clone(),
    });
    // The connection stays up; when it drops, the next login uses the new token.
    sim.fault(Fault::Drop);
    events
        .until(WAIT, |e| matches!(e, ChatEvent::Disconnected { .. }))
        .await;
    events.until(WAIT, |e| is_joined(e, "alpha")).await;
    assert!(
        !events
            .seen
            .iter()
            .any(|e| matches!(e, ChatEvent::AuthFailed { .. })),
        "the expired token was not used again"
    );
    let logins = sim
        .events()
        .iter()
        .filter(
            |e| matches!(&e.event, SimEvent::LoggedIn { login: Some(l), .. } if l == "streamer"),
        )
        .count();
    assert_eq!(logins, 2, "logged in, then again after the drop");
}
