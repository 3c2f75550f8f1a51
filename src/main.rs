//! The `ttvchat` command line: parses arguments and hands over to the library. Nothing else.

use std::io::{self, BufWriter, ErrorKind};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use ttvchat::cli::sim::SimArgs;

#[derive(Parser)]
#[command(
    name = "ttvchat",
    version,
    about = "A full-screen terminal client for Twitch chat",
    arg_required_else_help = true
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
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
    match cli.command {
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
