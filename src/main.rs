//! The `ttvchat` command line: parses arguments and hands over to the library. Nothing else.

use std::io::{self, BufWriter, ErrorKind};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use ttvchat::cli::login;
use ttvchat::cli::run::RunArgs;
use ttvchat::cli::sim::SimArgs;
use ttvchat::config::Config;
use ttvchat::net::store::Accounts;

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
    #[arg(long, value_name = "PATH", global = true)]
    config: Option<PathBuf>,
    /// Connect to this chat server (ws:// or wss://) instead of Twitch
    #[arg(long, value_name = "URL")]
    irc_url: Option<String>,
    /// Run against the built-in Twitch simulator with demo channels and accounts
    #[arg(long)]
    demo: bool,
    /// Chat as this logged-in account instead of the default one (`ttvchat accounts` lists them)
    #[arg(long, value_name = "LOGIN")]
    account: Option<String>,
}

#[derive(Subcommand)]
enum Command {
    /// Log in to Twitch (device code: open a link, enter a code) and keep the token safely
    Login {
        /// Paste a user token you already have instead (with or without "oauth:")
        #[arg(long)]
        token: bool,
    },
    /// Forget a logged-in account and its token
    Logout {
        /// This account instead of the default one
        #[arg(long, value_name = "LOGIN", conflicts_with = "all")]
        account: Option<String>,
        /// Every account
        #[arg(long)]
        all: bool,
    },
    /// List the logged-in accounts
    Accounts,
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
            account: cli.account,
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
        Command::Login { token } => account_command(cli.config, |config, accounts, out| {
            let method = if token {
                login::Method::Token(login::read_token(out)?)
            } else {
                login::Method::Device
            };
            tokio::runtime::Runtime::new()?.block_on(login::login(config, accounts, method, out))
        }),
        Command::Logout { account, all } => account_command(cli.config, |_, accounts, out| {
            login::logout(accounts, account.as_deref(), all, out)
        }),
        Command::Accounts => account_command(cli.config, |config, accounts, out| {
            login::list(config, accounts, out)
        }),
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

/// Runs an account command with the config, the stored accounts and standard output; notes
/// and errors go to standard error.
fn account_command(
    config: Option<PathBuf>,
    command: impl FnOnce(&Config, &mut Accounts, &mut io::Stdout) -> Result<(), login::LoginError>,
) -> ExitCode {
    let result = Config::find(config.as_deref())
        .map_err(|e| e.to_string())
        .and_then(|config| {
            let (mut accounts, notice) =
                login::open_accounts(&config).map_err(|e| e.to_string())?;
            if let Some(notice) = notice {
                eprintln!("ttvchat: note: {notice}.");
            }
            command(&config, &mut accounts, &mut io::stdout()).map_err(|e| e.to_string())
        });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("ttvchat: {e}");
            ExitCode::FAILURE
        }
    }
}
