//! Standalone member payments ("Send credits") applied in batches, as TigerBeetle batches:
//! a payment that finds the ledger idle goes at once; while a batch is being applied, the
//! payments arriving in one instance gather for up to `window` (a millisecond) or until
//! `max` are waiting, then go together as soon as the batch before them is done. One
//! `ledger_pay_members_batch` statement applies them: one round trip and one commit for all.
//! Each keeps its own id and its own outcome, exactly the outcome it would get alone; a
//! refusal refuses only that payment. Should the batch's statement fail for any other
//! reason, nothing of it was written, and each payment is applied alone (their ids make that
//! safe even had the batch committed).
//!
//! Only standalone payments batch. A trade's hold or payment, a booking, an admin's grant
//! or reversal each share a transaction with their own state change, and call the ledger
//! directly.

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use prometheus_client::metrics::counter::Counter;
use sqlx::PgPool;
use tokio::sync::{Semaphore, mpsc, oneshot};

use crate::ledger::db::{self, PayMembers};
use crate::ledger::model::Outcome;
use crate::ledger::service::{MemberPayment, member_payment};

/// How payments are gathered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BatchConfig {
    /// At most this many payments in one statement; 1 applies each alone, as it comes.
    pub max: usize,
    /// While a batch is being applied, how long the next one gathers payments (unless it
    /// fills first) before it waits its turn.
    pub window: Duration,
    /// Batches being applied at once, each on its own connection. While all are busy,
    /// payments keep gathering, so batches grow with the load. One instance's batches
    /// mostly share accounts, so they wait for each other's locks anyway: one at a time
    /// did best (bench/README.md).
    pub in_flight: usize,
}

impl Default for BatchConfig {
    fn default() -> Self {
        Self {
            max: 32,
            window: Duration::from_micros(1000),
            in_flight: 1,
        }
    }
}

/// What the batcher has done: Prometheus counters (`web::metrics`), read by the tests too.
#[derive(Debug, Default, Clone)]
pub struct BatchStats {
    /// Statements sent: batches of two or more, and payments applied alone.
    pub statements: Counter,
    pub payments: Counter,
    /// Batches whose statement failed, so each of their payments was applied alone.
    pub fallbacks: Counter,
}

struct Job {
    payment: PayMembers,
    reply: oneshot::Sender<sqlx::Result<Outcome>>,
}

/// The queue of standalone member payments of one app instance.
pub struct Batcher {
    db: PgPool,
    config: BatchConfig,
    queue: OnceLock<mpsc::Sender<Job>>,
    stats: Arc<BatchStats>,
}

impl Batcher {
    pub fn new(db: PgPool, config: BatchConfig) -> Self {
        Self {
            db,
            config,
            queue: OnceLock::new(),
            stats: Arc::default(),
        }
    }

    pub fn stats(&self) -> &BatchStats {
        &self.stats
    }

    /// Pays, in a batch with whatever other payments are arriving. The outcome is the one
    /// `ledger::pay_member` would give.
    pub async fn pay(&self, p: &MemberPayment<'_>) -> sqlx::Result<Outcome> {
        let payment = member_payment(p);
        if self.config.max <= 1 {
            return alone(&self.db, &self.stats, &payment).await;
        }
        let (reply, answer) = oneshot::channel();
        if let Err(refused) = self.queue().send(Job { payment, reply }).await {
            // The gathering task is gone (the runtime is shutting down): pay alone.
            return alone(&self.db, &self.stats, &refused.0.payment).await;
        }
        // No answer means the task applying the batch died first: the outcome is unknown
        // until the id is looked up, as after a lost connection.
        answer.await.unwrap_or(Err(sqlx::Error::WorkerCrashed))
    }

    /// The queue, with its gathering task started on first use (inside the runtime).
    fn queue(&self) -> &mpsc::Sender<Job> {
        self.queue.get_or_init(|| {
            let (sender, receiver) = mpsc::channel(4096);
            tokio::spawn(gather(
                self.db.clone(),
                self.config,
                receiver,
                self.stats.clone(),
            ));
            sender
        })
    }
}

/// Takes payments off the queue into batches and hands each batch to a task of its own.
async fn gather(
    db: PgPool,
    config: BatchConfig,
    mut queue: mpsc::Receiver<Job>,
    stats: Arc<BatchStats>,
) {
    let in_flight = config.in_flight.max(1);
    let slots = Arc::new(Semaphore::new(in_flight));
    while let Some(first) = queue.recv().await {
        let mut jobs = vec![first];
        // An idle ledger applies a payment at once: waiting would only add latency. While a
        // batch is being applied, the next one gathers for the window (or until full).
        if slots.available_permits() < in_flight {
            let until = tokio::time::Instant::now() + config.window;
            while jobs.len() < config.max {
                match tokio::time::timeout_at(until, queue.recv()).await {
                    Ok(Some(job)) => jobs.push(job),
                    Ok(None) | Err(_) => break,
                }
            }
        }
        let Ok(slot) = slots.clone().acquire_owned().await else {
            return;
        };
        // Whatever arrived while every slot was busy joins this batch.
        while jobs.len() < config.max {
            match queue.try_recv() {
                Ok(job) => jobs.push(job),
                Err(_) => break,
            }
        }
        let (db, stats) = (db.clone(), stats.clone());
        tokio::spawn(async move {
            apply(&db, &stats, jobs).await;
            drop(slot);
        });
    }
}

/// Applies one batch and answers each payment.
async fn apply(db: &PgPool, stats: &BatchStats, mut jobs: Vec<Job>) {
    if jobs.len() == 1 {
        if let Some(job) = jobs.pop() {
            let outcome = alone(db, stats, &job.payment).await;
            let _ = job.reply.send(outcome);
        }
        return;
    }
    let payments: Vec<PayMembers> = jobs.iter().map(|j| j.payment.clone()).collect();
    stats.statements.inc();
    stats.payments.inc_by(payments.len() as u64);
    match db::pay_members_batch(db, &payments).await {
        Ok(outcomes) if outcomes.len() == jobs.len() => {
            for (job, outcome) in jobs.into_iter().zip(outcomes) {
                let _ = job.reply.send(Ok(outcome));
            }
        }
        result => {
            match result {
                Err(err) => tracing::warn!(error = %err, payments = jobs.len(),
                    "a batch of payments failed: applying each alone"),
                Ok(outcomes) => tracing::warn!(
                    payments = jobs.len(),
                    outcomes = outcomes.len(),
                    "a batch of payments answered for a different number: applying each alone"
                ),
            }
            stats.fallbacks.inc();
            for job in jobs {
                let outcome = db::pay_members(db, &job.payment).await;
                let _ = job.reply.send(outcome);
            }
        }
    }
}

async fn alone(db: &PgPool, stats: &BatchStats, payment: &PayMembers) -> sqlx::Result<Outcome> {
    stats.statements.inc();
    stats.payments.inc();
    db::pay_members(db, payment).await
}
