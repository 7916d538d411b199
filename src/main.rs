//! Thin: parse the command line, then hand over to `swapdesk::cli`.

use clap::Parser;

fn main() -> std::process::ExitCode {
    let cli = swapdesk::config::Cli::parse();
    swapdesk::cli::init_logging(cli.config.log_format);
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(err) => {
            eprintln!("swapdesk: cannot start the async runtime: {err}");
            return std::process::ExitCode::FAILURE;
        }
    };
    match runtime.block_on(swapdesk::cli::run(cli)) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("swapdesk: {err:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
