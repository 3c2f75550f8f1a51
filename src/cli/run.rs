//! `ttvchat [-c CHANNEL]... [--config PATH] [--irc-url URL] [--demo]`: the chat client. Loads the
//! config, logs to a file, starts the simulator for `--demo`, spawns the chat actor, takes the
//! terminal over and runs the event loop until the user quits.

use std::path::PathBuf;

use chrono::{Local, Offset};

use crate::app::{self, Services};
use crate::config::{Config, ConfigError};
use crate::net::chat::{ChatConfig, ChatHandle, Credentials};
use crate::net::helix::{Helix, HelixError};
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
}

#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error("{0}")]
    Channel(String),
    #[error("cannot start the demo simulator: {0}")]
    Demo(std::io::Error),
    #[error("cannot open the log file {path}: {source}")]
    Log {
        path: String,
        source: std::io::Error,
    },
    #[error(transparent)]
    Helix(#[from] HelixError),
    #[error("terminal: {0}")]
    Terminal(#[from] std::io::Error),
}

/// The account the demo logs in as: a moderator in one channel, a viewer elsewhere.
const DEMO_ACCOUNT: &str = "ttvchat_mod";

pub fn run(args: RunArgs) -> Result<(), RunError> {
    let config = Config::find(args.config.as_deref())?;
    if let Some(log) = crate::logging::default_log_path() {
        crate::logging::to_file(&log).map_err(|source| RunError::Log {
            path: log.display().to_string(),
            source,
        })?;
    }
    let mut channels = config.channels.clone();
    for name in &args.channels {
        let login = Login::parse(name).map_err(|e| RunError::Channel(e.to_string()))?;
        if !channels.contains(&login) {
            channels.push(login);
        }
    }
    let runtime = tokio::runtime::Runtime::new()?;
    runtime.block_on(async move {
        let mut url = args.irc_url.clone().unwrap_or(config.irc_url.clone());
        let mut credentials = Credentials::Anonymous;
        let mut helix = None;
        let mut _sim: Option<SimHandle> = None;
        if args.demo {
            let sim = Sim::start(SimConfig::default())
                .await
                .map_err(RunError::Demo)?;
            url = sim.irc_url();
            if let Some(token) = sim.token(DEMO_ACCOUNT) {
                credentials = Credentials::User {
                    login: Login::parse(DEMO_ACCOUNT).expect("the demo account is a login"),
                    token: Token::new(token),
                };
                helix = Some(Helix::new(
                    sim.helix_url(),
                    SIM_CLIENT_ID,
                    Token::new(token),
                )?);
            }
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
        let mut settings = config.settings.clone();
        settings.utc_offset_s = Local::now().offset().fix().local_minus_utc();
        let mut state = AppState::new(settings, &channels, app::now_ms());
        if helix.is_some() {
            state = state.with_helix();
        }
        state.show_users = config.user_list;
        let chat_config = ChatConfig {
            channels: channels.clone(),
            ..ChatConfig::new(url, credentials)
        };
        let (chat, events) = ChatHandle::spawn(chat_config);
        let mut guard = Guard::enter()?;
        app::run_terminal(
            &mut guard.terminal,
            state,
            Services {
                chat,
                events,
                helix,
            },
        )
        .await?;
        Ok(())
    })
}
