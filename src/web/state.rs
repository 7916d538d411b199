//! What every handler can reach.

use std::sync::Arc;

use cookie::Key;
use sqlx::PgPool;

use crate::config::Config;
use crate::ledger::batch::{BatchConfig, Batcher};
use crate::web::gate::CpuGate;
use crate::web::metrics::Metrics;

#[derive(Clone)]
pub struct AppState {
    pub db: PgPool,
    /// Bounds password hashing in flight (`auth::password`).
    pub hashing: Arc<CpuGate>,
    pub settings: Arc<Settings>,
    pub metrics: Arc<Metrics>,
    /// Standalone member payments, applied in batches (`ledger::batch`).
    pub payments: Arc<Batcher>,
}

/// The parts of the configuration that requests need, resolved once.
#[derive(Clone)]
pub struct Settings {
    pub base_url: String,
    pub cookie_secure: bool,
    pub session_idle_secs: i64,
    pub session_max_age_secs: i64,
    /// Take the client's address from X-Forwarded-For (behind a reverse proxy).
    pub trust_proxy: bool,
    /// Signs anonymous CSRF cookies (and, later, links that need no session).
    pub key: Key,
    /// How standalone member payments are gathered into batches.
    pub ledger_batch: BatchConfig,
}

impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("base_url", &self.base_url)
            .field("cookie_secure", &self.cookie_secure)
            .field("trust_proxy", &self.trust_proxy)
            .finish_non_exhaustive()
    }
}

impl Settings {
    /// `key` comes from `SECRET_KEY` or the database (`db::instance_key`).
    pub fn from_config(config: &Config, key: Key) -> Self {
        Self {
            base_url: config.base_url(),
            cookie_secure: config.cookie_secure(),
            session_idle_secs: config.session_idle().as_secs() as i64,
            session_max_age_secs: config.session_max_age().as_secs() as i64,
            trust_proxy: config.trust_proxy,
            key,
            ledger_batch: config.ledger_batch(),
        }
    }
}

impl AppState {
    pub fn new(db: PgPool, settings: Settings) -> Self {
        let payments = Arc::new(Batcher::new(db.clone(), settings.ledger_batch));
        let metrics = Arc::new(Metrics::new());
        let stats = payments.stats();
        metrics.register_counter(
            "ledger_batch_statements",
            "Statements that applied member payments: batches, and payments alone",
            stats.statements.clone(),
        );
        metrics.register_counter(
            "ledger_batch_payments",
            "Member payments applied through the batcher",
            stats.payments.clone(),
        );
        metrics.register_counter(
            "ledger_batch_fallbacks",
            "Batches that failed and were applied one payment at a time",
            stats.fallbacks.clone(),
        );
        Self {
            payments,
            db,
            settings: Arc::new(settings),
            hashing: Arc::new(CpuGate::for_this_machine()),
            metrics,
        }
    }
}
