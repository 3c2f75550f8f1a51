//! The Helix client against the simulator: lookups and stream information in batches, every
//! kind of refusal typed with Twitch's message, one refresh-and-retry on 401, waiting out a 429,
//! timeouts, pagination, and the login -> id cache.

use crate::common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::*;
use ttvchat::net::auth::OAuth;
use ttvchat::net::helix::calls::{self, Call, ChatSettings, Followed, Reply};
use ttvchat::net::helix::{Helix, HelixError, Renewal};
use ttvchat::sim::{SIM_CLIENT_ID, SimHandle};
use ttvchat::twitch::helix::Failure;
use ttvchat::twitch::outgoing::Token;

/// How many Helix requests went to `path`.
fn requests_to(sim: &SimHandle, path: &str) -> usize {
    sim.helix_requests()
        .iter()
        .filter(|(_, p)| p == path)
        .count()
}

#[tokio::test]
async fn broadcasts_tell_live_from_offline_with_title_and_category() {
    let sim = start_sim().await;
    let helix = helix_for(&sim, "viewer");
    let logins = [login("alpha"), login("delta"), login("nosuchchannel")];
    let found = helix.broadcasts(&logins).await.unwrap();
    assert_eq!(found.len(), 3);
    let alpha = &found[0];
    assert!(alpha.live.as_ref().is_some_and(|s| s.started_at.is_some()));
    let delta = &found[1];
    assert_eq!(delta.live, None, "delta is offline");
    let channel = delta
        .channel
        .as_ref()
        .expect("channel information for offline delta");
    assert_eq!(
        (channel.title.as_str(), channel.category.as_str()),
        ("Back tomorrow", "Just Chatting")
    );
    assert_eq!(
        (found[2].live.clone(), found[2].channel.clone()),
        (None, None)
    );
    // Asked again, the ids come from the cache: one user lookup in all.
    helix.broadcasts(&logins).await.unwrap();
    assert_eq!(
        requests_to(&sim, "users"),
        2,
        "one lookup, plus one retry of the unknown login"
    );
}

#[tokio::test]
async fn a_timeout_succeeds_and_a_second_ban_is_refused_with_twitchs_message() {
    let sim = start_sim().await;
    let helix = helix_for(&sim, "mod_user");
    let channel = login("streamer");
    let timeout = Call::Timeout {
        user: login("viewer"),
        seconds: 600,
        reason: "spam".into(),
    };
    assert_eq!(
        calls::run(&helix, &channel, &timeout).await.unwrap(),
        Reply::Done
    );
    let banned = sim.world(|w| w.channels["streamer"].bans.contains_key("viewer"));
    assert!(banned, "the simulator recorded the timeout");
    let ban = Call::Ban {
        user: login("viewer"),
        reason: String::new(),
    };
    calls::run(&helix, &channel, &ban).await.unwrap();
    let error = calls::run(&helix, &channel, &ban).await.unwrap_err();
    assert!(
        matches!(&error, HelixError::Refused { status: 400, .. }),
        "{error:?}"
    );
    assert_eq!(
        Failure::from(error),
        Failure::Refused {
            status: 400,
            message: "user is already banned".into()
        }
    );
}

#[tokio::test]
async fn missing_scopes_and_roles_are_refused_as_twitch_does() {
    let sim = start_sim().await;
    let helix = helix_for(&sim, "mod_user");
    // mod_user moderates #streamer but its token lacks the chat settings scope: 401, no refresh.
    let slow = Call::Settings(ChatSettings {
        slow: Some(Some(30)),
        ..ChatSettings::default()
    });
    let error = calls::run(&helix, &login("streamer"), &slow)
        .await
        .unwrap_err();
    assert!(
        matches!(&error, HelixError::Refused { status: 401, message } if message == "Missing scope: moderator:manage:chat_settings"),
        "{error:?}"
    );
    assert_eq!(
        Failure::from(error),
        Failure::MissingScope {
            scope: "moderator:manage:chat_settings".into()
        },
        "the state is told which scope"
    );
    // In #alpha mod_user is nobody: 403.
    let timeout = Call::Timeout {
        user: login("viewer"),
        seconds: 60,
        reason: String::new(),
    };
    let error = calls::run(&helix, &login("alpha"), &timeout)
        .await
        .unwrap_err();
    assert!(
        matches!(&error, HelixError::Refused { status: 403, .. }),
        "{error:?}"
    );
    assert_eq!(
        Failure::from(error),
        Failure::NotAllowed {
            message: "The user in moderator_id is not one of the broadcaster's moderators.".into()
        }
    );
    // A bad token with nothing to renew it: the login is over.
    let stranger = Helix::new(sim.helix_url(), SIM_CLIENT_ID, Token::new("not-a-token")).unwrap();
    let error = stranger.broadcasts(&[login("alpha")]).await.unwrap_err();
    assert!(
        matches!(&error, HelixError::Unauthorized(m) if m == "Invalid OAuth token"),
        "{error:?}"
    );
    assert!(matches!(Failure::from(error), Failure::LoggedOut { .. }));
}

#[tokio::test]
async fn an_expired_token_is_renewed_once_and_the_call_retried() {
    let sim = start_sim().await;
    let account = sim_account(&sim, "streamer");
    let renewed: Arc<Mutex<Vec<Token>>> = Arc::default();
    let seen = renewed.clone();
    let helix = helix_builder(&sim, "streamer")
        .renewal(Renewal {
            oauth: OAuth::new(sim.auth_url(), SIM_CLIENT_ID).unwrap(),
            refresh: Token::new(&account.refresh_token),
            on_renew: Box::new(move |tokens| seen.lock().unwrap().push(tokens.access.clone())),
        })
        .build()
        .unwrap();
    sim.expire_token(&account.token);
    let call = Call::Settings(ChatSettings {
        emote_only: Some(true),
        ..ChatSettings::default()
    });
    assert_eq!(
        calls::run(&helix, &login("streamer"), &call).await.unwrap(),
        Reply::Done
    );
    let renewed = renewed.lock().unwrap().clone();
    assert_eq!(renewed.len(), 1, "renewed exactly once");
    assert_eq!(helix.token(), renewed[0]);
    assert_ne!(renewed[0].expose(), account.token);
    assert!(sim.world(|w| w.channels["streamer"].modes.emote_only));
    // Who we are: refused, renewed, asked again; then the channel's id; one settings change.
    assert_eq!(requests_to(&sim, "users"), 3);
    assert_eq!(requests_to(&sim, "chat/settings"), 1);
    // The hourly check sees the renewed token.
    let oauth = OAuth::new(sim.auth_url(), SIM_CLIENT_ID).unwrap();
    assert_eq!(
        helix.validate(&oauth).await.unwrap().login.as_str(),
        "streamer"
    );
    // Revoked everywhere: the next refusal cannot be renewed.
    sim.revoke("streamer");
    let error = helix.validate(&oauth).await.unwrap_err();
    assert!(matches!(error, HelixError::Unauthorized(_)), "{error:?}");
}

#[tokio::test]
async fn a_rate_limit_is_waited_out_until_the_reset() {
    let sim = start_sim().await;
    let helix = helix_for(&sim, "mod_user");
    helix.me().await.unwrap();
    helix.user_id(&login("streamer")).await.unwrap();
    sim.helix_rate_limit(1);
    let clear = Call::Clear;
    assert_eq!(
        calls::run(&helix, &login("streamer"), &clear)
            .await
            .unwrap(),
        Reply::Done
    );
    assert_eq!(
        requests_to(&sim, "moderation/chat"),
        2,
        "refused, then retried"
    );
    // Refused more often than ttvchat waits: the state is told to try again later.
    sim.helix_rate_limit(3);
    let error = calls::run(&helix, &login("streamer"), &clear)
        .await
        .unwrap_err();
    assert!(matches!(&error, HelixError::RateLimited(1..)), "{error:?}");
    assert!(matches!(
        Failure::from(error),
        Failure::RateLimited { retry_in: 1.. }
    ));
}

#[tokio::test]
async fn a_slow_answer_times_out() {
    let sim = start_sim().await;
    let helix = helix_builder(&sim, "viewer")
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    sim.helix_stall(Duration::from_secs(3), Duration::from_secs(10));
    let error = helix.me().await.unwrap_err();
    assert!(matches!(error, HelixError::Timeout(_)), "{error:?}");
    assert_eq!(error.to_string(), "Twitch did not answer within 1s");
}

#[tokio::test]
async fn lists_follow_every_page() {
    let sim = start_sim().await;
    let helix = helix_for(&sim, "streamer");
    let Reply::Names { names, total } = calls::run(&helix, &login("streamer"), &Call::Chatters)
        .await
        .unwrap()
    else {
        panic!("chatters are names");
    };
    assert_eq!(names.len() as u64, total);
    assert!(total > 100, "more than a page of 100: {total}");
    assert!(requests_to(&sim, "chat/chatters") >= 2, "paged");
    let Reply::Names { names, total } = calls::run(&helix, &login("streamer"), &Call::Mods)
        .await
        .unwrap()
    else {
        panic!("mods are names");
    };
    assert!(names.iter().any(|n| n == "mod_user"), "{names:?}");
    assert_eq!(names.len() as u64, total);
}

#[tokio::test]
async fn the_user_card_has_account_age_and_follow_date_for_moderators() {
    let sim = start_sim().await;
    let helix = helix_for(&sim, "streamer");
    let card = |user: &str, follows: bool| Call::Card {
        user: login(user),
        follows,
    };
    let card_in = async |channel: &str, call: Call| match calls::run(&helix, &login(channel), &call)
        .await
        .unwrap()
    {
        Reply::Card(card) => card,
        other => panic!("not a card: {other:?}"),
    };
    let viewer = card_in("streamer", card("viewer", true)).await;
    assert_eq!(viewer.login.as_str(), "viewer");
    assert!(viewer.created_at.is_some());
    let Followed::Since(at) = viewer.followed else {
        panic!("viewer follows #streamer: {:?}", viewer.followed);
    };
    let days = (ttvchat::app::now_ms() - at) / 86_400_000;
    assert_eq!(days, 30);
    assert_eq!(
        card_in("streamer", card("mod_user", true)).await.followed,
        Followed::No
    );
    // Where we do not moderate, follows are not ours to see and are not asked for.
    let before = requests_to(&sim, "channels/followers");
    assert_eq!(
        card_in("delta", card("viewer", false)).await.followed,
        Followed::Unknown
    );
    assert_eq!(requests_to(&sim, "channels/followers"), before);
    let error = calls::run(&helix, &login("streamer"), &card("nobody_here", true))
        .await
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "there is no Twitch user named nobody_here"
    );
}
