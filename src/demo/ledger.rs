//! The demo's credit history: a few weeks of welcome grants, gifts between members, a
//! thank-you grant and a mistaken gift reversed. Trades' holds and payments come from the
//! trades themselves (`trades`), through the trade service.

use std::time::Duration;

use sqlx::PgPool;
use time::OffsetDateTime;
use uuid::Uuid;

use super::data::GIFTS;
use crate::ledger::db::{self as ledger_db, MemberAccount};
use crate::ledger::model::{AccountId, Code};
use crate::ledger::{self, Payment};
use crate::spaces::model::SpaceId;

/// Every id is derived from a name, so seeding again finds each operation already done.
fn id(name: &str) -> Uuid {
    Uuid::new_v5(
        &Uuid::NAMESPACE_URL,
        format!("swapdesk-demo:{name}").as_bytes(),
    )
}

/// Records the history, step by step.
pub(super) async fn seed(pool: &PgPool, space: SpaceId) -> anyhow::Result<()> {
    let members = super::active_members(pool, space).await?;
    if members.len() < 2 {
        return Ok(());
    }
    let history = History {
        pool,
        space,
        space_account: ledger_db::space_account(pool, space).await?,
        members,
        now: OffsetDateTime::now_utc(),
    };
    // Transfers must be recorded in time order so each account's entries follow the clock.
    history.welcome_grants().await?;
    history.gifts().await?;
    history.lunch_grant().await?;
    history.reversed_mistake().await?;
    history.held_trades().await?;
    history.release_held_trades().await?;
    Ok(())
}

/// What every step needs: the accounts, and the moment the history is dated back from.
struct History<'a> {
    pool: &'a PgPool,
    space: SpaceId,
    space_account: AccountId,
    members: Vec<MemberAccount>,
    now: OffsetDateTime,
}

impl History<'_> {
    fn days_ago(&self, days: i64, minutes: i64) -> OffsetDateTime {
        self.now - time::Duration::days(days) + time::Duration::minutes(minutes)
    }

    fn payment(
        &self,
        name: &str,
        from: AccountId,
        to: AccountId,
        amount: i64,
        code: Code,
        memo: &'static str,
    ) -> Payment<'static> {
        Payment {
            id: id(name),
            space: self.space,
            from,
            to,
            amount,
            code,
            memo,
            by: None,
        }
    }

    async fn record(&self, payment: &Payment<'_>, at: OffsetDateTime) -> sqlx::Result<()> {
        ledger::service::transfer_at(self.pool, payment, at).await?;
        Ok(())
    }

    async fn welcome_grants(&self) -> sqlx::Result<()> {
        for (i, m) in self.members.iter().enumerate() {
            let grant = self.payment(
                &format!("welcome-{}", m.membership_id),
                self.space_account,
                m.account,
                1000,
                Code::Grant,
                "Welcome to Harbour Works",
            );
            self.record(&grant, self.days_ago(24, i as i64)).await?;
        }
        Ok(())
    }

    async fn gifts(&self) -> sqlx::Result<()> {
        let members = &self.members;
        // A small, fixed pseudo-random walk: the same history every time.
        let mut seed: u64 = 0x5eed_cafe;
        let mut next = |n: usize| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((seed >> 33) as usize) % n
        };
        for n in 0..40 {
            let from = next(members.len());
            let mut to = next(members.len());
            if to == from {
                to = (to + 1) % members.len();
            }
            let amount = [50, 100, 150, 200, 250, 300][next(6)] as i64;
            let gift = self.payment(
                &format!("gift-{n}"),
                members[from].account,
                members[to].account,
                amount,
                Code::Gift,
                GIFTS[next(GIFTS.len())],
            );
            let day = 23 - (n as i64 * 23 / 40);
            self.record(&gift, self.days_ago(day, 9 * 60 + next(480) as i64))
                .await?;
        }
        Ok(())
    }

    async fn lunch_grant(&self) -> sqlx::Result<()> {
        if let Some(helper) = self.members.get(4) {
            let grant = self.payment(
                "lunch-grant",
                self.space_account,
                helper.account,
                200,
                Code::Grant,
                "Thanks for running the Friday lunch",
            );
            self.record(&grant, self.days_ago(0, -300)).await?;
        }
        Ok(())
    }

    /// A gift sent to the wrong person, reversed by the admin.
    async fn reversed_mistake(&self) -> sqlx::Result<()> {
        if let (Some(a), Some(b)) = (self.members.get(2), self.members.get(3)) {
            let gift = self.payment(
                "mistaken-gift",
                a.account,
                b.account,
                100,
                Code::Gift,
                "Thanks for the intro",
            );
            self.record(&gift, self.days_ago(0, -120)).await?;
            ledger::reverse(
                self.pool,
                self.space,
                id("mistaken-gift-reversal"),
                gift.id,
                "Sent to the wrong Tomás",
                false,
                None,
            )
            .await?;
        }
        Ok(())
    }

    /// Two holds an earlier demo made to stand for trades, before trades existed. They are
    /// still made (a no-op where they exist), so a fresh demo and one seeded before end with
    /// the same ledger, and released at once by `release_held_trades`.
    async fn held_trades(&self) -> sqlx::Result<()> {
        for (n, (payer, payee, amount, memo)) in [
            (5, 1, 300, "Logo refresh (held until delivery)"),
            (8, 6, 150, "Contract review (held)"),
        ]
        .into_iter()
        .enumerate()
        {
            if let (Some(p), Some(q)) = (self.members.get(payer), self.members.get(payee)) {
                let trade = self.payment(
                    &format!("held-trade-{n}"),
                    p.account,
                    q.account,
                    amount,
                    Code::Trade,
                    memo,
                );
                ledger::hold(self.pool, &trade, Duration::from_secs(14 * 24 * 3600)).await?;
            }
        }
        Ok(())
    }

    /// Voids the two stand-in holds: no trade will ever settle them, and the real trades'
    /// holds replace them. A hold the expiry job already lapsed is refused, and left so.
    async fn release_held_trades(&self) -> sqlx::Result<()> {
        for n in 0..2 {
            ledger::void(
                self.pool,
                self.space,
                id(&format!("held-trade-{n}-void")),
                id(&format!("held-trade-{n}")),
                None,
            )
            .await?;
        }
        Ok(())
    }
}
