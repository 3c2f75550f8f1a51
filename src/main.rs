//! The `ttvchat` command line: parses arguments and hands over to the library. Nothing else.

use std::io::{self, BufWriter, ErrorKind};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

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
    }
}
