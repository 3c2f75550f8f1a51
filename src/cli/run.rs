//! `ttvchat [-c CHANNEL]... [--config PATH] [--irc-url URL] [--account LOGIN] [--demo]`: the chat
//! client. Loads the config, logs to a file, checks the stored login (renewing it when it
//! expired), starts the simulator for `--demo`, spawns the chat actor, takes the terminal over
//! and runs the event loop until the user quits.

use std::path::PathBuf;

use chrono::{Local, Offset};

use crate::app::{self, Services};
use crate::cli::login::{LoginError, SignIn, open_accounts, sign_in};
use crate::config::{Config, ConfigError};
use crate::net::auth::{OAuth, Tokens};
use crate::net::chat::{ChatConfig, ChatHandle, ChatRenewer, Credentials};
use crate::net::helix::{Helix, HelixError, Renewal};
use crate::net::store::{Account, Accounts};
use crate::sim::{SIM_CLIENT_ID, Sim, SimConfig, SimHandle};
use crate::state::AppState;
use crate::terminal::Guard;
use crate::twitch::Login;
use crate::twitch::outgoing::Token;

#[derive(Debug, Clone, Default)]
pub struct RunArgs {
    pub channels: Vec<String>,
    pub config: Option<PathBuf>,
    pub irc_url: Option<String>,
    pub demo: bool,
    /// The stored account to use instead of the default one.
    pub account: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error("{0}")]
    Channel(String),
    #[error("cannot start the demo simulator: {0}")]
    Demo(std::io::Error),
    #[error("the demo has no account {wanted}; its accounts: {known}")]
    DemoAccount { wanted: String, known: String },
    #[error(transparent)]
    Helix(#[from] HelixError),
    #[error(transparent)]
    Account(#[from] LoginError),
    #[error("terminal: {0}")]
    Terminal(#[from] std::io::Error),
}

/// The account the demo logs in as: a moderator in one channel, a viewer elsewhere.
const DEMO_ACCOUNT: &str = "ttvchat_mod";

pub fn run(args: RunArgs) -> Result<(), RunError> {
    let config = Config::find(args.config.as_deref())?;
    // Without a log file the app still runs; it says so once.
    let log_failed = crate::logging::default_log_path().and_then(|log| {
        crate::logging::to_file(&log).err().map(|e| {
            format!(
                "Logging is off: cannot write the log file {} ({e}).",
                log.display()
            )
        })
    });
    let mut channels = config.channels.clone();
    for name in &args.channels {
        let login = Login::parse(name).map_err(|e| RunError::Channel(e.to_string()))?;
        if !channels.contains(&login) {
            channels.push(login);
        }
    }
    let runtime = tokio::runtime::Runtime::new()?;
    let signed_in = if args.demo {
        None
    } else {
        stored_account(&config, args.account.as_deref(), &runtime)?
    };
    runtime.block_on(async move {
        let mut url = args.irc_url.clone().unwrap_or(config.irc_url.clone());
        let mut eventsub_url = config.twitch.eventsub_url.clone();
        let mut login = None;
        let mut signed_out = None;
        let mut _sim: Option<SimHandle> = None;
        match signed_in {
            Some((SignIn::Ready { account, .. } | SignIn::Unchecked { account, .. }, accounts)) => {
                login = Some(Session {
                    auth_url: config.twitch.auth_url.clone(),
                    helix_url: config.twitch.helix_url.clone(),
                    account,
                    accounts: Some(accounts),
                });
            }
            Some((SignIn::SignedOut { login, reason }, _)) => signed_out = Some((login, reason)),
            None => {}
        }
        if args.demo {
            let sim = Sim::start(SimConfig::default())
                .await
                .map_err(RunError::Demo)?;
            url = sim.irc_url();
            eventsub_url = sim.eventsub_url();
            let wanted = args.account.as_deref().unwrap_or(DEMO_ACCOUNT);
            let demo = sim
                .accounts()
                .iter()
                .find(|a| a.login == wanted)
                .ok_or_else(|| RunError::DemoAccount {
                    wanted: wanted.to_owned(),
                    known: sim
                        .accounts()
                        .iter()
                        .map(|a| format!("{} ({})", a.login, a.role))
                        .collect::<Vec<_>>()
                        .join(", "),
                })?;
            login = Some(Session {
                auth_url: sim.auth_url(),
                helix_url: sim.helix_url(),
                account: Account {
                    login: demo.login.clone(),
                    user_id: String::new(),
                    client_id: SIM_CLIENT_ID.to_owned(),
                    access_token: demo.token.clone(),
                    refresh_token: Some(demo.refresh_token.clone()),
                    scopes: Vec::new(),
                },
                accounts: None,
            });
            if args.channels.is_empty() {
                channels = SimConfig::default()
                    .scenario
                    .channels
                    .iter()
                    .filter_map(|c| Login::parse(&c.name).ok())
                    .collect();
            }
            _sim = Some(sim);
        }
        let credentials = match &login {
            Some(session) => session.credentials()?,
            None => Credentials::Anonymous,
        };
        let chat_config = ChatConfig {
            channels: channels.clone(),
            channels_per_connection: config.channels_per_connection,
            ..ChatConfig::new(url, credentials)
        };
        let (chat, events) = ChatHandle::spawn(chat_config);
        let mut settings = config.settings.clone();
        settings.utc_offset_s = Local::now().offset().fix().local_minus_utc();
        settings.look = crate::terminal::look(|name| std::env::var(name).ok());
        let mut state = AppState::new(settings, &channels, app::now_ms());
        let helix = match login {
            Some(session) => {
                if !session.account.scopes.is_empty() {
                    state.account.scopes = Some(session.account.scopes.clone());
                }
                state = state.with_helix();
                Some(session.helix(chat.renewer())?)
            }
            None => None,
        };
        if let Some((login, reason)) = &signed_out {
            state = state.signed_out(login, reason);
        }
        state.show_users = config.user_list;
        if let Some(notice) = &log_failed {
            state = state.with_notice(notice);
        }
        let mut guard = Guard::enter(config.mouse)?;
        app::run_terminal(
            &mut guard.terminal,
            state,
            Services {
                chat,
                events,
                helix,
                eventsub_url: Some(eventsub_url),
                terminal: Box::new(std::io::stdout()),
            },
        )
        .await?;
        Ok(())
    })
}

/// A logged-in account and where its Twitch services are.
struct Session {
    auth_url: String,
    helix_url: String,
    account: Account,
    /// Where renewed tokens are stored (none for the demo).
    accounts: Option<Accounts>,
}

impl Session {
    fn credentials(&self) -> Result<Credentials, RunError> {
        Ok(Credentials::User {
            login: Login::parse(&self.account.login)
                .map_err(|e| RunError::Channel(e.to_string()))?,
            token: Token::new(&self.account.access_token),
        })
    }

    /// Helix for this account, renewing its token when Twitch refuses it: renewed tokens go to
    /// the chat actor (for its next connection) and into the account store.
    fn helix(self, chat: ChatRenewer) -> Result<(Helix, OAuth), RunError> {
        let Session {
            auth_url,
            helix_url,
            account,
            accounts,
        } = self;
        let oauth = OAuth::new(&auth_url, &account.client_id)
            .map_err(|e| RunError::Helix(HelixError::Http(e.to_string())))?;
        let mut helix = Helix::builder(
            helix_url,
            &account.client_id,
            Token::new(&account.access_token),
        );
        if let Some(refresh) = account.refresh_token.as_deref().map(Token::new) {
            let login =
                Login::parse(&account.login).map_err(|e| RunError::Channel(e.to_string()))?;
            let store = accounts.map(|accounts| keep_renewed(accounts, account.clone()));
            helix = helix.renewal(Renewal {
                oauth: oauth.clone(),
                refresh,
                on_renew: Box::new(move |tokens: &Tokens| {
                    chat.renewed(Credentials::User {
                        login: login.clone(),
                        token: tokens.access.clone(),
                    });
                    if let Some(store) = &store {
                        let _ = store.send(tokens.clone());
                    }
                }),
            });
        }
        Ok((helix.build()?, oauth))
    }
}

/// A thread that stores renewed tokens for `account` (the keyring may block).
fn keep_renewed(mut accounts: Accounts, mut account: Account) -> std::sync::mpsc::Sender<Tokens> {
    let (tx, rx) = std::sync::mpsc::channel::<Tokens>();
    std::thread::spawn(move || {
        for tokens in rx {
            account.access_token = tokens.access.expose().to_owned();
            if let Some(refresh) = &tokens.refresh {
                account.refresh_token = Some(refresh.expose().to_owned());
            }
            account.scopes = tokens.scopes;
            match accounts.renew(&account) {
                Ok(true) => {}
                Ok(false) => tracing::warn!(
                    target: "ttvchat::auth",
                    "{} was logged out meanwhile; its renewed login is not kept",
                    account.login
                ),
                Err(e) => {
                    tracing::error!(target: "ttvchat::auth", "could not store the renewed login: {e}")
                }
            }
        }
    });
    tx
}

/// The stored account to chat as (`--account`, the config's, or the default), checked with
/// Twitch and renewed (and stored again) when its token expired; `None` when nobody logged in.
fn stored_account(
    config: &Config,
    choice: Option<&str>,
    runtime: &tokio::runtime::Runtime,
) -> Result<Option<(SignIn, Accounts)>, RunError> {
    let (mut accounts, notice) = open_accounts(config)?;
    if let Some(notice) = notice {
        tracing::info!("{notice}");
    }
    let choice = choice.or(config.twitch.account.as_deref());
    let Some(account) = accounts.choose(choice).map_err(LoginError::from)? else {
        return Ok(None);
    };
    let signed = runtime.block_on(sign_in(&config.twitch.auth_url, account));
    match &signed {
        SignIn::Ready {
            account,
            renewed: true,
        } => {
            accounts.renew(account).map_err(LoginError::from)?;
        }
        SignIn::Unchecked { error, .. } => {
            tracing::warn!("could not check the stored login, using it as it is: {error}")
        }
        _ => {}
    }
    Ok(Some((signed, accounts)))
}
