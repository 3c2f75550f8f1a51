//! `ttvchat login`, `ttvchat logout` and `ttvchat accounts`: the device code login (or a pasted
//! token), validated before it is stored; removing accounts; listing them. Tokens are read
//! without echo and never printed.

use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;

use crate::config::{Config, TokenStore};
use crate::net::auth::{AuthError, OAuth, SCOPES, Tokens};
use crate::net::store::{Account, Accounts, StoreError};
use crate::twitch::outgoing::Token;

/// The environment variable naming the directory for the account index and the token file.
pub const DATA_DIR_ENV: &str = "TTVCHAT_DATA_DIR";

#[derive(Debug, thiserror::Error)]
pub enum LoginError {
    #[error(transparent)]
    Auth(#[from] AuthError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(
        "no client id: set [twitch] client_id in {0}. Register an application at \
         https://dev.twitch.tv/console/apps (OAuth Redirect URL http://localhost, category Chat Bot, \
         client type Public) and copy its Client ID; or log in with a token you have: \
         `ttvchat login --token`"
    )]
    NoClientId(String),
    #[error("no token given")]
    NoToken,
    #[error("no account named {0} is logged in")]
    NotLoggedIn(String),
    #[error("no place for ttvchat's data (no home directory); set {DATA_DIR_ENV}")]
    NoDataDir,
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// Where the account index (and the token file, without a keyring) lives.
pub fn data_dir() -> Result<PathBuf, LoginError> {
    if let Some(dir) = std::env::var_os(DATA_DIR_ENV) {
        return Ok(PathBuf::from(dir));
    }
    directories::ProjectDirs::from("", "", "ttvchat")
        .map(|d| d.data_local_dir().to_path_buf())
        .ok_or(LoginError::NoDataDir)
}

/// The stored accounts, as the config says; the notice says why the keyring is not used.
pub fn open_accounts(config: &Config) -> Result<(Accounts, Option<String>), LoginError> {
    let dir = data_dir()?;
    Ok(match config.twitch.token_store {
        TokenStore::Keyring => Accounts::open(&dir)?,
        TokenStore::File => (Accounts::in_file(&dir)?, None),
    })
}

/// How to log in.
#[derive(Debug)]
pub enum Method {
    /// The device code flow: a link and a code to enter there.
    Device,
    /// A user token the user already has.
    Token(Token),
}

/// Logs in and stores the account in `accounts` as the default.
pub async fn login(
    config: &Config,
    accounts: &mut Accounts,
    method: Method,
    out: &mut impl Write,
) -> Result<(), LoginError> {
    let (tokens, client_id) = if let Method::Token(access) = method {
        let tokens = Tokens {
            access,
            refresh: None,
            scopes: Vec::new(),
            expires_in: None,
        };
        (tokens, None)
    } else {
        if config.twitch.client_id.is_empty() {
            let path = config.path.as_ref().map_or_else(
                || "your config file".to_owned(),
                |p| p.display().to_string(),
            );
            return Err(LoginError::NoClientId(path));
        }
        let oauth = OAuth::new(&config.twitch.auth_url, &config.twitch.client_id)?;
        let code = oauth.start_device(SCOPES).await?;
        writeln!(
            out,
            "To log in, open {}\nand enter the code {} (it expires in {} minutes).\nWaiting for you to approve...",
            code.verification_uri,
            code.user_code,
            code.expires_in / 60
        )?;
        out.flush()?;
        let tokens = oauth.wait_for_device(&code, SCOPES).await?;
        (tokens, Some(config.twitch.client_id.clone()))
    };
    // Every token is validated; a pasted one also tells us its client id.
    let oauth = OAuth::new(
        &config.twitch.auth_url,
        client_id.clone().unwrap_or_default(),
    )?;
    let who = oauth.validate(&tokens.access).await?;
    let account = Account {
        login: who.login.to_string(),
        user_id: who.user_id.clone(),
        client_id: who.client_id.clone(),
        access_token: tokens.access.expose().to_owned(),
        refresh_token: tokens.refresh.as_ref().map(|t| t.expose().to_owned()),
        scopes: who.scopes.clone(),
    };
    accounts.save(&account)?;
    writeln!(
        out,
        "Logged in as {} (user id {}); the token is kept in {}.",
        account.login,
        account.user_id,
        accounts.kept_in()
    )?;
    let missing: Vec<&str> = SCOPES
        .iter()
        .copied()
        .filter(|s| !account.scopes.iter().any(|have| have == s))
        .collect();
    if !missing.is_empty() {
        writeln!(
            out,
            "This token lacks {} of the scopes ttvchat uses ({}); commands that need them will say so.",
            missing.len(),
            missing.join(", ")
        )?;
    }
    Ok(())
}

/// Reads a token: without echo from a terminal, else one line of standard input.
pub fn read_token(out: &mut impl Write) -> Result<Token, LoginError> {
    let stdin = std::io::stdin();
    let text = if stdin.is_terminal() {
        write!(out, "Paste your token (it is not shown) and press Enter: ")?;
        out.flush()?;
        let text = read_hidden()?;
        writeln!(out)?;
        text
    } else {
        let mut line = String::new();
        stdin.lock().read_line(&mut line)?;
        line
    };
    let token = Token::new(&text);
    if token.expose().is_empty() {
        return Err(LoginError::NoToken);
    }
    Ok(token)
}

/// A line typed or pasted with the terminal's echo off.
fn read_hidden() -> Result<String, LoginError> {
    use crossterm::event::{Event, KeyCode, KeyEventKind, KeyModifiers, read};
    crossterm::terminal::enable_raw_mode()?;
    let mut text = String::new();
    let result = loop {
        match read() {
            Ok(Event::Key(key)) if key.kind != KeyEventKind::Release => match key.code {
                KeyCode::Enter => break Ok(()),
                KeyCode::Char('c') if key.modifiers.contains(KeyModifiers::CONTROL) => {
                    text.clear();
                    break Ok(());
                }
                KeyCode::Char(c) => text.push(c),
                KeyCode::Backspace => {
                    text.pop();
                }
                _ => {}
            },
            Ok(Event::Paste(pasted)) => text.push_str(&pasted),
            Ok(_) => {}
            Err(e) => break Err(e),
        }
    };
    crossterm::terminal::disable_raw_mode()?;
    result?;
    Ok(text)
}

/// Removes one account (the default when `login` is `None`), or all of them.
pub fn logout(
    accounts: &mut Accounts,
    login: Option<&str>,
    all: bool,
    out: &mut impl Write,
) -> Result<(), LoginError> {
    let logins = if all {
        accounts.logins()
    } else {
        match login
            .map(str::to_owned)
            .or_else(|| accounts.logins().first().cloned())
        {
            Some(login) => vec![login],
            None => Vec::new(),
        }
    };
    if logins.is_empty() {
        writeln!(out, "No account is logged in.")?;
        return Ok(());
    }
    for login in logins {
        if !accounts.remove(&login)? {
            return Err(LoginError::NotLoggedIn(login));
        }
        writeln!(
            out,
            "Logged out {login}; its token is removed from {}.",
            accounts.kept_in()
        )?;
    }
    Ok(())
}

/// Lists the stored accounts, the default first.
pub fn list(config: &Config, accounts: &Accounts, out: &mut impl Write) -> Result<(), LoginError> {
    let logins = accounts.logins();
    if logins.is_empty() {
        writeln!(out, "No account is logged in; `ttvchat login` logs in.")?;
        return Ok(());
    }
    let default = config
        .twitch
        .account
        .clone()
        .unwrap_or_else(|| logins[0].clone());
    for login in &logins {
        let mark = if *login == default { " (default)" } else { "" };
        writeln!(out, "{login}{mark}")?;
    }
    writeln!(out, "Tokens are kept in {}.", accounts.kept_in())?;
    Ok(())
}

/// What became of a stored account when ttvchat starts.
#[derive(Debug)]
pub enum SignIn {
    /// The token works; `renewed` when it took a refresh (store the new tokens).
    Ready { account: Account, renewed: bool },
    /// Twitch refuses the token and it cannot be renewed: the user must log in again.
    SignedOut { login: String, reason: String },
    /// Twitch's login service did not answer: go on with the token as it is.
    Unchecked { account: Account, error: String },
}

/// Validates a stored account's token, renewing it with the refresh token when Twitch refuses it.
pub async fn sign_in(auth_url: &str, mut account: Account) -> SignIn {
    let oauth = match OAuth::new(auth_url, &account.client_id) {
        Ok(oauth) => oauth,
        Err(e) => {
            return SignIn::Unchecked {
                account,
                error: e.to_string(),
            };
        }
    };
    let reason = match oauth.validate(&Token::new(&account.access_token)).await {
        Ok(who) => {
            account.scopes = who.scopes;
            return SignIn::Ready {
                account,
                renewed: false,
            };
        }
        Err(AuthError::Invalid(reason)) => reason,
        Err(e) => {
            return SignIn::Unchecked {
                account,
                error: e.to_string(),
            };
        }
    };
    let Some(refresh) = account.refresh_token.as_deref().map(Token::new) else {
        return SignIn::SignedOut {
            login: account.login,
            reason: format!("Twitch says: {reason}"),
        };
    };
    let renewed = match oauth.refresh(&refresh).await {
        Ok(tokens) => tokens,
        Err(AuthError::Invalid(reason)) => {
            return SignIn::SignedOut {
                login: account.login,
                reason: format!("it expired and could not be renewed: {reason}"),
            };
        }
        Err(e) => {
            return SignIn::Unchecked {
                account,
                error: e.to_string(),
            };
        }
    };
    account.access_token = renewed.access.expose().to_owned();
    if let Some(refresh) = renewed.refresh {
        account.refresh_token = Some(refresh.expose().to_owned());
    }
    account.scopes = renewed.scopes;
    SignIn::Ready {
        account,
        renewed: true,
    }
}
