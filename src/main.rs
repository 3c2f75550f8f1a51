//! The `ttvchat` command line: parses arguments and hands over to the library. Nothing else.

use std::io::{self, BufWriter, ErrorKind};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use ttvchat::cli::run::RunArgs;
use ttvchat::cli::sim::SimArgs;

#[derive(Parser)]
#[command(
    name = "ttvchat",
    version,
    about = "A full-screen terminal client for Twitch chat",
    after_help = "Without a subcommand, ttvchat opens the chat: anonymously (read-only) unless logged in.\n\
                  Try `ttvchat --demo` for a lively local chat, or `ttvchat -c somechannel` for real Twitch."
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// Join this channel (repeat for more)
    #[arg(short = 'c', long = "channel", value_name = "CHANNEL")]
    channels: Vec<String>,
    /// Read the config from this file instead of the default location
    #[arg(long, value_name = "PATH")]
    config: Option<PathBuf>,
    /// Connect to this chat server (ws:// or wss://) instead of Twitch
    #[arg(long, value_name = "URL")]
    irc_url: Option<String>,
    /// Run against the built-in Twitch simulator with demo channels and accounts
    #[arg(long)]
    demo: bool,
}

#[derive(Subcommand)]
enum Command {
    /// Parse raw Twitch IRC lines from standard input and print one JSON object per line
    Parse {
        /// Parse everything but print only "N ok, N failed" at the end
        #[arg(long)]
        summary: bool,
    },
    /// Run the local Twitch simulator (chat, Helix, OAuth) until Ctrl-C
    Sim {
        /// Address for chat; HTTP uses the next port (any free ports with port 0)
        #[arg(long, default_value = "127.0.0.1:0")]
        listen: SocketAddr,
        /// A scenario file (TOML; see assets/scenarios/default.toml)
        #[arg(long)]
        scenario: Option<PathBuf>,
        /// Firehose: this many chat messages per second, spread over --channels channels
        #[arg(long)]
        rate: Option<f64>,
        /// How many firehose channels (fire1, fire2, ...)
        #[arg(long, default_value_t = 4, requires = "rate")]
        channels: usize,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let Some(command) = cli.command else {
        let args = RunArgs {
            channels: cli.channels,
            config: cli.config,
            irc_url: cli.irc_url,
            demo: cli.demo,
        };
        return match ttvchat::cli::run::run(args) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("ttvchat: {e}");
                ExitCode::FAILURE
            }
        };
    };
    match command {
        Command::Parse { summary } => {
            let stdout = BufWriter::with_capacity(1 << 16, io::stdout().lock());
            match ttvchat::cli::parse::run(io::stdin().lock(), stdout, summary) {
                Ok(_) => ExitCode::SUCCESS,
                Err(e) if e.kind() == ErrorKind::BrokenPipe => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("ttvchat parse: {e}");
                    ExitCode::FAILURE
                }
            }
        }
        Command::Sim {
            listen,
            scenario,
            rate,
            channels,
        } => {
            ttvchat::logging::to_stderr();
            let args = SimArgs {
                listen,
                scenario,
                rate,
                channels,
            };
            let result = tokio::runtime::Runtime::new()
                .map_err(ttvchat::cli::sim::SimError::from)
                .and_then(|rt| rt.block_on(ttvchat::cli::sim::run(args, io::stdout())));
            match result {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("ttvchat sim: {e}");
                    ExitCode::FAILURE
                }
            }
        }
    }
}
