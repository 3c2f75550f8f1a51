//! `ttvchat sim`: runs the simulator until Ctrl-C. Before anything else it prints, one per line,
//! `irc: URL`, `eventsub: URL`, `helix: URL`, `auth: URL`, `client id: ID`, then `token LOGIN ROLE: TOKEN` for
//! each account, so any client can connect and log in (or run `ttvchat login` against it).

use std::io::{self, Write};
use std::net::SocketAddr;
use std::path::PathBuf;

use crate::sim::{Firehose, SIM_CLIENT_ID, Scenario, Sim, SimConfig};

#[derive(Debug, Clone)]
pub struct SimArgs {
    pub listen: SocketAddr,
    pub scenario: Option<PathBuf>,
    pub rate: Option<f64>,
    pub channels: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum SimError {
    #[error("cannot read scenario {path}: {source}")]
    ReadScenario { path: String, source: io::Error },
    #[error(transparent)]
    Scenario(#[from] crate::sim::scenario::ScenarioError),
    #[error("cannot listen on {addr}: {source}")]
    Listen { addr: SocketAddr, source: io::Error },
    #[error("--rate must be a positive number of messages per second")]
    BadRate,
    #[error(transparent)]
    Io(#[from] io::Error),
}

pub async fn run(args: SimArgs, mut out: impl Write) -> Result<(), SimError> {
    let scenario = match &args.scenario {
        None => Scenario::builtin(),
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|source| SimError::ReadScenario {
                path: path.display().to_string(),
                source,
            })?;
            Scenario::parse(&text, &path.display().to_string())?
        }
    };
    let firehose = match args.rate {
        None => None,
        Some(rate) if rate > 0.0 && rate.is_finite() => Some(Firehose {
            rate,
            channels: args.channels,
        }),
        Some(_) => return Err(SimError::BadRate),
    };
    let config = SimConfig {
        listen: args.listen,
        scenario,
        firehose,
        ..SimConfig::default()
    };
    let sim = Sim::start(config)
        .await
        .map_err(|source| SimError::Listen {
            addr: args.listen,
            source,
        })?;
    writeln!(out, "irc: {}", sim.irc_url())?;
    writeln!(out, "eventsub: {}", sim.eventsub_url())?;
    writeln!(out, "helix: {}", sim.helix_url())?;
    writeln!(out, "auth: {}", sim.auth_url())?;
    writeln!(out, "client id: {SIM_CLIENT_ID}")?;
    for account in sim.accounts() {
        writeln!(
            out,
            "token {} {}: {}",
            account.login, account.role, account.token
        )?;
    }
    out.flush()?;
    tokio::signal::ctrl_c().await?;
    Ok(())
}
