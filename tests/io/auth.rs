//! Logging in against the simulator's id.twitch.tv: the device code flow (pending at any pace,
//! approval, decline, expiry), validation, refresh and revocation; and where accounts are kept
//! (a 0600 file checked at load, and memory), never the real keyring; and `ttvchat login`,
//! `logout` and `accounts` as commands.

use crate::common;

use std::time::Duration;

use common::*;
use ttvchat::cli::login::{self, Method, SignIn, sign_in};
use ttvchat::config::Config;
use ttvchat::net::auth::{AuthError, OAuth, Poll, SCOPES};
use ttvchat::net::helix::http_client;
use ttvchat::net::store::{Account, Accounts, StoreError};
use ttvchat::sim::{SIM_CLIENT_ID, SimHandle};
use ttvchat::twitch::outgoing::Token;

async fn sim() -> SimHandle {
    start_sim_with(|c| c.device_interval = Duration::from_secs(1)).await
}

fn oauth(sim: &SimHandle) -> OAuth {
    OAuth::new(sim.auth_url(), SIM_CLIENT_ID).unwrap()
}

async fn get(url: &str) -> (u16, String) {
    let response = http_client().unwrap().get(url).send().await.unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

#[tokio::test]
async fn device_login_waits_for_approval_then_yields_a_token_for_that_account() {
    let sim = sim().await;
    let oauth = oauth(&sim);
    let code = oauth.start_device(SCOPES).await.unwrap();
    assert_eq!(code.user_code.len(), 8);
    assert_eq!(code.interval, 1);
    assert_eq!(code.expires_in, 1800);
    assert!(
        matches!(oauth.poll_device(&code, SCOPES).await, Ok(Poll::Pending)),
        "nobody approved yet"
    );
    assert!(
        matches!(oauth.poll_device(&code, SCOPES).await, Ok(Poll::Pending)),
        "polled again at once: still pending (Twitch documents no slow_down)"
    );

    let (status, page) = get(&code.verification_uri).await;
    assert_eq!(status, 200);
    assert!(page.contains(&code.user_code), "{page}");
    assert!(page.contains("Approve as viewer"), "{page}");
    let approve = format!("{}&login=viewer", code.verification_uri);
    let (status, page) = get(&approve).await;
    assert_eq!((status, page.contains("Approved as viewer")), (200, true));

    // Polled at once after the approval, as fast as before: the token comes.
    let Ok(Poll::Approved(tokens)) = oauth.poll_device(&code, SCOPES).await else {
        panic!("an approved code hands out the token on the next poll, whatever the pace");
    };
    assert!(tokens.refresh.is_some());
    assert_eq!(tokens.expires_in, Some(Duration::from_secs(4 * 3600)));
    let who = oauth.validate(&tokens.access).await.unwrap();
    assert_eq!(who.login.as_str(), "viewer");
    assert_eq!(who.client_id, SIM_CLIENT_ID);
    assert_eq!(who.scopes, SCOPES);

    let (status, _) = get(&approve).await;
    assert_eq!(status, 404, "a code is used once");
    assert!(matches!(
        oauth.poll_device(&code, SCOPES).await,
        Err(AuthError::Expired)
    ));
}

#[tokio::test]
async fn a_declined_login_says_so() {
    let sim = sim().await;
    let oauth = oauth(&sim);
    let code = oauth.start_device(&["chat:read"]).await.unwrap();
    get(&format!("{}&decline=1", code.verification_uri)).await;
    let error = oauth
        .wait_for_device(&code, &["chat:read"])
        .await
        .unwrap_err();
    assert!(matches!(error, AuthError::Denied), "{error:?}");
    assert_eq!(error.to_string(), "the login was declined on Twitch");
}

#[tokio::test]
async fn a_wrong_client_id_is_refused_with_twitchs_message() {
    let sim = sim().await;
    let oauth = OAuth::new(sim.auth_url(), "not-our-client").unwrap();
    let error = oauth.start_device(SCOPES).await.unwrap_err();
    assert!(
        matches!(&error, AuthError::Refused { status: 400, message } if message == "invalid client"),
        "{error:?}"
    );
}

#[tokio::test]
async fn refresh_renews_a_token_once_and_revocation_ends_it() {
    let sim = sim().await;
    let oauth = oauth(&sim);
    let account = sim_account(&sim, "mod_user");
    let old = Token::new(&account.token);
    assert_eq!(
        oauth.validate(&old).await.unwrap().login.as_str(),
        "mod_user"
    );
    sim.expire_token(&account.token);
    let error = oauth.validate(&old).await.unwrap_err();
    assert!(
        matches!(&error, AuthError::Invalid(m) if m == "invalid access token"),
        "{error:?}"
    );

    let refresh = Token::new(&account.refresh_token);
    let fresh = oauth.refresh(&refresh).await.unwrap();
    let who = oauth.validate(&fresh.access).await.unwrap();
    assert_eq!(who.login.as_str(), "mod_user");
    assert!(
        who.scopes
            .contains(&"moderator:manage:banned_users".to_owned())
    );
    let error = oauth.refresh(&refresh).await.unwrap_err();
    assert!(
        matches!(&error, AuthError::Invalid(m) if m == "Invalid refresh token"),
        "a refresh token is used once: {error:?}"
    );

    sim.revoke("mod_user");
    assert!(matches!(
        oauth.validate(&fresh.access).await,
        Err(AuthError::Invalid(_))
    ));
    let next = fresh.refresh.unwrap();
    assert!(matches!(
        oauth.refresh(&next).await,
        Err(AuthError::Invalid(_))
    ));
}

fn account(login: &str) -> Account {
    Account {
        login: login.to_owned(),
        user_id: "42".to_owned(),
        client_id: SIM_CLIENT_ID.to_owned(),
        access_token: format!("access-of-{login}"),
        refresh_token: Some(format!("refresh-of-{login}")),
        scopes: vec!["chat:read".to_owned()],
    }
}

#[cfg(unix)]
#[test]
fn the_token_file_is_private_and_refused_once_others_can_read_it() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let mut accounts = Accounts::in_file(dir.path()).unwrap();
    assert_eq!(accounts.choose(None).unwrap(), None, "nothing stored yet");
    accounts.save(&account("ann")).unwrap();
    accounts.save(&account("bob")).unwrap();
    let file = dir.path().join("credentials.json");
    let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    let index = std::fs::read_to_string(dir.path().join("accounts.json")).unwrap();
    assert!(!index.contains("access-of"), "no secrets in the index");

    let again = Accounts::in_file(dir.path()).unwrap();
    assert_eq!(
        again.logins(),
        ["bob", "ann"],
        "the last login is the default"
    );
    assert_eq!(again.choose(None).unwrap(), Some(account("bob")));
    assert_eq!(again.choose(Some("@Ann")).unwrap(), Some(account("ann")));
    let error = again.choose(Some("carl")).unwrap_err();
    assert_eq!(
        error.to_string(),
        "no account named carl; `ttvchat accounts` lists them"
    );

    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
    let error = again.choose(None).unwrap_err();
    assert!(
        matches!(error, StoreError::Exposed { mode: 0o644, .. }),
        "{error:?}"
    );
    let message = error.to_string();
    assert!(message.contains("chmod 600"), "{message}");
    assert!(message.contains(&file.display().to_string()), "{message}");
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();

    let mut again = again;
    assert!(again.remove("bob").unwrap());
    assert!(!again.remove("bob").unwrap(), "already gone");
    assert_eq!(again.logins(), ["ann"]);
    assert_eq!(again.choose(None).unwrap(), Some(account("ann")));
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(!text.contains("access-of-bob"), "{text}");
}

#[test]
fn a_renewed_token_keeps_accounts_added_meanwhile_and_never_moves_the_default() {
    let dir = tempfile::tempdir().unwrap();
    let mut login = Accounts::in_file(dir.path()).unwrap();
    login.save(&account("ann")).unwrap();
    login.save(&account("bob")).unwrap();
    // A running app, started as ann with `--account ann` while bob is the default...
    let mut running = Accounts::in_file(dir.path()).unwrap();
    // ...while `ttvchat login` adds carl (the new default) beside it.
    login.save(&account("carl")).unwrap();
    let renewed = Account {
        access_token: "renewed-access-of-ann".into(),
        ..account("ann")
    };
    assert!(running.renew(&renewed).unwrap());
    let now = Accounts::in_file(dir.path()).unwrap();
    assert_eq!(
        now.logins(),
        ["carl", "ann", "bob"],
        "carl is kept, and the default"
    );
    assert_eq!(now.choose(Some("carl")).unwrap(), Some(account("carl")));
    assert_eq!(now.choose(Some("ann")).unwrap(), Some(renewed));
    // An account logged out meanwhile stays logged out.
    login.remove("bob").unwrap();
    assert!(!running.renew(&account("bob")).unwrap());
    let now = Accounts::in_file(dir.path()).unwrap();
    assert_eq!(now.logins(), ["carl", "ann"]);
    assert!(now.choose(Some("bob")).is_err());
}

#[test]
fn memory_accounts_behave_the_same_and_debug_never_shows_a_token() {
    let mut accounts = Accounts::in_memory();
    accounts.save(&account("ann")).unwrap();
    assert_eq!(accounts.choose(None).unwrap(), Some(account("ann")));
    let shown = format!("{:?}", account("ann"));
    assert!(!shown.contains("access-of"), "{shown}");
    assert!(!shown.contains("refresh-of"), "{shown}");
    assert!(accounts.remove("ann").unwrap());
    assert_eq!(accounts.choose(None).unwrap(), None);
}

/// A writer the test can read while `ttvchat login` still writes to it.
#[derive(Clone, Default)]
struct Screen(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for Screen {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Screen {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

fn config(sim: &SimHandle, client_id: &str) -> Config {
    let text = format!(
        "[twitch]\nclient_id = \"{client_id}\"\nauth_url = \"{}\"\nhelix_url = \"{}\"\n",
        sim.auth_url(),
        sim.helix_url()
    );
    Config::parse(&text, None).unwrap()
}

#[tokio::test]
async fn ttvchat_login_shows_the_code_stores_the_approved_account_and_logout_forgets_it() {
    let sim = sim().await;
    let config = config(&sim, SIM_CLIENT_ID);
    let mut accounts = Accounts::in_memory();
    let screen = Screen::default();
    let mut out = screen.clone();
    let approve = async {
        let url = loop {
            let text = screen.text();
            if let Some(url) = text.split_whitespace().find(|w| w.contains("/activate?")) {
                break url.to_owned();
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        };
        get(&format!("{url}&login=mod_user")).await
    };
    let (result, _) = tokio::join!(
        login::login(&config, &mut accounts, Method::Device, &mut out),
        approve
    );
    result.unwrap();
    let text = screen.text();
    assert!(text.contains("and enter the code "), "{text}");
    assert!(text.contains("Logged in as mod_user (user id "), "{text}");
    assert!(
        !text.contains("lacks"),
        "the device login asked for every scope: {text}"
    );
    let stored = accounts.choose(None).unwrap().unwrap();
    assert_eq!(stored.login, "mod_user");
    assert_eq!(stored.client_id, SIM_CLIENT_ID);
    assert!(stored.refresh_token.is_some());
    assert!(
        !text.contains(&stored.access_token),
        "the token is never shown"
    );

    let mut out = Vec::new();
    let token = Token::new(&format!("oauth:{}", sim.token("viewer").unwrap()));
    login::login(&config, &mut accounts, Method::Token(token), &mut out)
        .await
        .unwrap();
    let text = String::from_utf8(out).unwrap();
    assert!(text.contains("Logged in as viewer"), "{text}");
    assert!(text.contains("This token lacks"), "{text}");
    assert_eq!(accounts.choose(None).unwrap().unwrap().refresh_token, None);

    let mut out = Vec::new();
    login::list(&config, &accounts, &mut out).unwrap();
    assert_eq!(
        String::from_utf8(out).unwrap(),
        "viewer (default)\nmod_user\nTokens are kept in memory (gone when ttvchat stops).\n"
    );
    let mut out = Vec::new();
    login::logout(&mut accounts, None, false, &mut out).unwrap();
    assert!(
        String::from_utf8(out)
            .unwrap()
            .starts_with("Logged out viewer;")
    );
    assert_eq!(accounts.logins(), ["mod_user"]);
    let error = login::logout(&mut accounts, Some("viewer"), false, &mut Vec::new()).unwrap_err();
    assert_eq!(error.to_string(), "no account named viewer is logged in");
}

#[tokio::test]
async fn login_without_a_client_id_explains_how_to_get_one_and_a_bad_token_is_refused() {
    let sim = sim().await;
    let config = config(&sim, "");
    let mut accounts = Accounts::in_memory();
    let error = login::login(&config, &mut accounts, Method::Device, &mut Vec::new())
        .await
        .unwrap_err();
    let message = error.to_string();
    assert!(message.contains("set [twitch] client_id"), "{message}");
    assert!(
        message.contains("https://dev.twitch.tv/console/apps"),
        "{message}"
    );
    assert!(message.contains("ttvchat login --token"), "{message}");

    let bad = Method::Token(Token::new("not-a-real-token"));
    let error = login::login(&config, &mut accounts, bad, &mut Vec::new())
        .await
        .unwrap_err();
    assert!(
        error
            .to_string()
            .starts_with("Twitch does not accept the token"),
        "{error}"
    );
    assert!(accounts.logins().is_empty(), "nothing stored");
}

fn stored(sim: &SimHandle, login: &str) -> Account {
    let demo = sim.accounts().iter().find(|a| a.login == login).unwrap();
    Account {
        login: login.to_owned(),
        user_id: "1".to_owned(),
        client_id: SIM_CLIENT_ID.to_owned(),
        access_token: demo.token.clone(),
        refresh_token: Some(demo.refresh_token.clone()),
        scopes: Vec::new(),
    }
}

#[tokio::test]
async fn at_start_a_stored_login_is_checked_renewed_when_expired_or_signed_out_when_revoked() {
    let sim = sim().await;
    let SignIn::Ready { account, renewed } = sign_in(&sim.auth_url(), stored(&sim, "viewer")).await
    else {
        panic!("a good token is ready")
    };
    assert!(!renewed);
    assert_eq!(
        account.scopes,
        ["chat:read", "chat:edit", "user:read:chat"],
        "scopes from Twitch"
    );

    let account = stored(&sim, "mod_user");
    sim.expire_token(&account.access_token);
    let SignIn::Ready {
        account: renewed_account,
        renewed,
    } = sign_in(&sim.auth_url(), account.clone()).await
    else {
        panic!("an expired token is renewed")
    };
    assert!(renewed);
    assert_ne!(renewed_account.access_token, account.access_token);
    assert_ne!(renewed_account.refresh_token, account.refresh_token);
    let who = oauth(&sim)
        .validate(&Token::new(&renewed_account.access_token))
        .await
        .unwrap();
    assert_eq!(who.login.as_str(), "mod_user");

    sim.revoke("mod_user");
    let result = sign_in(&sim.auth_url(), renewed_account).await;
    let SignIn::SignedOut { login, reason } = result else {
        panic!("a revoked login signs out: {result:?}")
    };
    assert_eq!(login, "mod_user");
    assert!(reason.contains("Invalid refresh token"), "{reason}");

    let mut no_refresh = stored(&sim, "streamer");
    no_refresh.refresh_token = None;
    sim.expire_token(&no_refresh.access_token);
    assert!(matches!(
        sign_in(&sim.auth_url(), no_refresh).await,
        SignIn::SignedOut { .. }
    ));

    let unreachable = sign_in("http://127.0.0.1:9/oauth2", stored(&sim, "viewer")).await;
    assert!(
        matches!(unreachable, SignIn::Unchecked { .. }),
        "offline: go on with the token: {unreachable:?}"
    );
}
