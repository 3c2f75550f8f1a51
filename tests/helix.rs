//! The Helix client against the simulator: live streams, and Twitch's refusals typed.

mod common;

use common::*;
use ttvchat::net::helix::{Helix, HelixError};
use ttvchat::sim::SIM_CLIENT_ID;
use ttvchat::twitch::Login;
use ttvchat::twitch::outgoing::Token;

#[tokio::test]
async fn live_streams_come_back_for_live_channels_only() {
    let sim = start_sim().await;
    let helix = Helix::new(
        sim.helix_url(),
        SIM_CLIENT_ID,
        Token::new(sim.token("viewer").unwrap()),
    )
    .unwrap();
    let logins: Vec<Login> = ["alpha", "beta", "nosuchchannel"]
        .iter()
        .map(|l| Login::parse(l).unwrap())
        .collect();
    let live = helix.live_streams(&logins).await.unwrap();
    let names: Vec<&str> = live.iter().map(|s| s.login.as_str()).collect();
    assert_eq!(names, ["alpha", "beta"]);
    assert!(live.iter().all(|s| s.started_at.is_some()));
}

#[tokio::test]
async fn refusals_carry_the_status_and_twitchs_message() {
    let sim = start_sim().await;
    let helix = Helix::new(sim.helix_url(), SIM_CLIENT_ID, Token::new("not-a-token")).unwrap();
    let error = helix
        .live_streams(&[Login::parse("alpha").unwrap()])
        .await
        .unwrap_err();
    assert!(
        matches!(&error, HelixError::Refused { status: 401, message } if message == "Invalid OAuth token"),
        "{error:?}"
    );
    let wrong_client = Helix::new(
        sim.helix_url(),
        "someone-else",
        Token::new(sim.token("viewer").unwrap()),
    )
    .unwrap();
    let error = wrong_client
        .live_streams(&[Login::parse("alpha").unwrap()])
        .await
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "Helix refused (401): Client ID and OAuth token do not match"
    );
}
