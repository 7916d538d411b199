//! Bounds CPU-heavy blocking work in flight, such as password hashing. Each argon2 hash
//! holds 19 MiB for ~40 ms on one core, so a thousand sign-ins at once would take gigabytes
//! and every blocking thread: instead they queue here, as many at a time as there are
//! cores (at most `MAX_SLOTS`), and one that waits too long is told to come back (503 with
//! Retry-After).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use tokio::sync::{Semaphore, SemaphorePermit};

/// No slot came free in time.
#[derive(Debug, Clone, Copy)]
pub struct Busy;

/// The most hashes in flight however many cores there are: 4 × 19 MiB of argon2 memory
/// keeps a sign-in flood well under 200 MB on any machine (`bench/signin-flood`).
pub const MAX_SLOTS: usize = 4;

#[derive(Debug)]
pub struct CpuGate {
    slots: Semaphore,
    size: usize,
    waiting: AtomicUsize,
    max_waiting: usize,
    wait: Duration,
}

impl CpuGate {
    pub fn new(slots: usize, max_waiting: usize, wait: Duration) -> Self {
        Self {
            slots: Semaphore::new(slots.max(1)),
            size: slots.max(1),
            waiting: AtomicUsize::new(0),
            max_waiting,
            wait,
        }
    }

    /// One slot per core, up to `MAX_SLOTS`; up to 5 s in a queue of at most 256.
    pub fn for_this_machine() -> Self {
        Self::for_cores(std::thread::available_parallelism().map_or(2, |n| n.get()))
    }

    /// The gate `for_this_machine` makes on a machine with this many cores.
    pub fn for_cores(cores: usize) -> Self {
        Self::new(cores.min(MAX_SLOTS), 256, Duration::from_secs(5))
    }

    /// How many may run at once.
    pub fn slots(&self) -> usize {
        self.size
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
