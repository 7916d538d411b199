//! Bounds CPU-heavy blocking work in flight, such as password hashing. Each argon2 hash
//! holds 19 MiB for ~40 ms on one core, so a thousand sign-ins at once would take gigabytes
//! and every blocking thread: instead they queue here, as many at a time as there are
//! cores, and one that waits too long is told to come back (503 with Retry-After).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use tokio::sync::{Semaphore, SemaphorePermit};

/// No slot came free in time.
#[derive(Debug, Clone, Copy)]
pub struct Busy;

#[derive(Debug)]
pub struct CpuGate {
    slots: Semaphore,
    waiting: AtomicUsize,
    max_waiting: usize,
    wait: Duration,
}

impl CpuGate {
    pub fn new(slots: usize, max_waiting: usize, wait: Duration) -> Self {
        Self {
            slots: Semaphore::new(slots.max(1)),
            waiting: AtomicUsize::new(0),
            max_waiting,
            wait,
        }
    }

    /// One slot per core; up to 5 s in a queue of at most 256.
    pub fn for_this_machine() -> Self {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Self::new(cores, 256, Duration::from_secs(5))
    }

    /// Runs `work` on the blocking pool once a slot is free, or gives up after the wait.
    pub async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> anyhow::Result<T> + Send + 'static,
    ) -> Result<anyhow::Result<T>, Busy> {
        let queued = self.waiting.fetch_add(1, Ordering::SeqCst);
        let permit = if queued >= self.max_waiting {
            None
        } else {
            tokio::time::timeout(self.wait, self.slots.acquire())
                .await
                .ok()
                .and_then(Result::ok)
        };
        self.waiting.fetch_sub(1, Ordering::SeqCst);
        let _permit = permit.ok_or(Busy)?;
        Ok(match tokio::task::spawn_blocking(work).await {
            Ok(result) => result,
            Err(err) => Err(anyhow::anyhow!("blocking task failed: {err}")),
        })
    }

    /// Holds every slot until the permit drops: lets a test see a busy gate.
    pub async fn hold_all(&self) -> Option<SemaphorePermit<'_>> {
        let slots = u32::try_from(self.slots.available_permits()).ok()?;
        self.slots.acquire_many(slots).await.ok()
    }
}
