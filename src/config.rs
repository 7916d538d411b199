//! Every setting, from environment variables or flags. The README's table mirrors this file.

use crate::ledger::batch::BatchConfig;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "swapdesk",
    version,
    about = "A barter marketplace for co-working spaces"
)]
pub struct Cli {
    #[command(flatten)]
    pub config: Config,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the web app (the default).
    Serve,
    /// Apply database migrations and exit.
    Migrate,
    /// Administer spaces from the command line.
    Admin {
        #[command(subcommand)]
        command: AdminCommand,
    },
    /// Work with the credit ledger.
    Ledger {
        #[command(subcommand)]
        command: LedgerCommand,
    },
    /// Ask the running app at BIND whether it is ready (/readyz); exit 0 if so. For health
    /// checks, such as Docker's.
    Health,
    /// Seed the demo space (slug `demo`), then serve it.
    Demo {
        /// Seed and exit without serving.
        #[arg(long)]
        seed_only: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Create a space if it is missing, then an admin for it. The password is read from
    /// standard input when that is not a terminal, and asked for otherwise.
    Create {
        /// The space's slug, as in /s/SLUG.
        #[arg(long)]
        space: String,
        /// The admin's email address.
        #[arg(long)]
        email: String,
        /// The admin's display name.
        #[arg(long)]
        name: String,
        /// The space's name, when it is created (defaults to the slug).
        #[arg(long)]
        space_name: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum LedgerCommand {
    /// Recompute every balance and entry chain and check every invariant. Prints a report
    /// and exits non-zero if anything is off.
    Verify {
        /// Check only this space (by slug).
        #[arg(long)]
        space: Option<String>,
    },
}

#[derive(Debug, Clone, Copy, Default, ValueEnum)]
pub enum LogFormat {
    /// Human-readable lines.
    #[default]
    Pretty,
    /// One JSON object per line.
    Json,
}

#[derive(Debug, Clone, Args)]
pub struct Config {
    /// PostgreSQL URL. Unset: run a private cluster in --data-dir.
    #[arg(long, env = "DATABASE_URL", global = true, hide_env_values = true)]
    pub database_url: Option<String>,

    /// PostgreSQL URL of the schema's owner, used only to migrate. Unset: DATABASE_URL.
    /// Set it, and connect DATABASE_URL as a role in `swapdesk_app`, for least privilege.
    #[arg(
        long,
        env = "MIGRATE_DATABASE_URL",
        global = true,
        hide_env_values = true
    )]
    pub migrate_database_url: Option<String>,

    /// Address to listen on.
    #[arg(long, env = "BIND", default_value = "127.0.0.1:8080", global = true)]
    pub bind: SocketAddr,

    /// Address that serves /metrics (Prometheus), apart from the public one; "off" for none.
    /// Defaults to 127.0.0.1:9464.
    #[arg(long, env = "METRICS_BIND", global = true)]
    pub metrics_bind: Option<String>,

    /// Public URL of the app, used in emailed links. Defaults to http://BIND.
    #[arg(long, env = "BASE_URL", global = true)]
    pub base_url: Option<String>,

    /// Mark cookies Secure (and send HSTS). Defaults to true when BASE_URL is https.
    #[arg(long, env = "COOKIE_SECURE", global = true)]
    pub cookie_secure: Option<bool>,

    /// SMTP server for outgoing email, e.g. smtps://user:pass@mail.example.org.
    /// Unset: email is kept in the outbox table and written to the log.
    #[arg(long, env = "SMTP_URL", global = true, hide_env_values = true)]
    pub smtp_url: Option<String>,

    /// Sender address for outgoing email.
    #[arg(
        long,
        env = "SMTP_FROM",
        default_value = "Swapdesk <no-reply@swapdesk.invalid>",
        global = true
    )]
    pub smtp_from: String,

    /// Log format.
    #[arg(long, env = "LOG_FORMAT", value_enum, default_value_t, global = true)]
    pub log_format: LogFormat,

    /// Folder of the embedded PostgreSQL cluster, used when DATABASE_URL is unset.
    #[arg(long, env = "DATA_DIR", default_value = "./var/pg", global = true)]
    pub data_dir: PathBuf,

    /// Behind a reverse proxy: take the client's address (for rate limits and the audit
    /// log) from the last entry of X-Forwarded-For. Only set it when a proxy sets that header.
    #[arg(long, env = "TRUST_PROXY", default_value_t = false, global = true)]
    pub trust_proxy: bool,

    /// Database connections per app instance.
    #[arg(long, env = "DB_POOL_SIZE", default_value_t = 16, global = true)]
    pub db_pool_size: u32,

    /// Minutes a signed-in session may sit unused before it ends.
    #[arg(long, env = "SESSION_IDLE_MINUTES", default_value_t = 12 * 60, global = true)]
    pub session_idle_minutes: u32,

    /// The key that signs cookies and links, shared by every instance (at least 32
    /// characters). Unset: one is generated once and kept in the database.
    #[arg(long, env = "SECRET_KEY", global = true, hide_env_values = true)]
    pub secret_key: Option<String>,

    /// Days after sign-in when a session ends, however busy.
    #[arg(long, env = "SESSION_MAX_DAYS", default_value_t = 14, global = true)]
    pub session_max_days: u32,

    /// Standalone member payments ("Send credits") applied in one ledger statement, at
    /// most; 1 applies each alone.
    #[arg(long, env = "LEDGER_BATCH_MAX", default_value_t = 32, global = true)]
    pub ledger_batch_max: usize,

    /// While a batch of payments is being applied, microseconds the next one gathers
    /// payments (unless it fills first) before it waits its turn.
    #[arg(
        long,
        env = "LEDGER_BATCH_WINDOW_US",
        default_value_t = 1000,
        global = true
    )]
    pub ledger_batch_window_us: u64,

    /// Batches of payments being applied at once, each on its own connection.
    #[arg(
        long,
        env = "LEDGER_BATCH_IN_FLIGHT",
        default_value_t = 1,
        global = true
    )]
    pub ledger_batch_in_flight: usize,
}

impl Config {
    pub fn base_url(&self) -> String {
        match &self.base_url {
            Some(url) => url.trim_end_matches('/').to_owned(),
            None => format!("http://{}", self.bind),
        }
    }

    /// The metrics address and whether it was chosen (not the default), or None when
    /// switched off. Err: not an address.
    pub fn metrics_address(&self) -> anyhow::Result<Option<(SocketAddr, bool)>> {
        let Some(text) = self.metrics_bind.as_deref().map(str::trim) else {
            return Ok(Some((SocketAddr::from(([127, 0, 0, 1], 9464)), false)));
        };
        match text {
            "" | "off" => Ok(None),
            text => text
                .parse()
                .map(|address| Some((address, true)))
                .map_err(|_| anyhow::anyhow!("METRICS_BIND is not an address: {text}")),
        }
    }

    pub fn cookie_secure(&self) -> bool {
        self.cookie_secure
            .unwrap_or_else(|| self.base_url().starts_with("https://"))
    }

    pub fn session_idle(&self) -> Duration {
        Duration::from_secs(u64::from(self.session_idle_minutes) * 60)
    }

    pub fn session_max_age(&self) -> Duration {
        Duration::from_secs(u64::from(self.session_max_days) * 24 * 3600)
    }

    pub fn ledger_batch(&self) -> BatchConfig {
        BatchConfig {
            max: self.ledger_batch_max.max(1),
            window: Duration::from_micros(self.ledger_batch_window_us),
            in_flight: self.ledger_batch_in_flight.max(1),
        }
    }
}
