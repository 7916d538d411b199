//! `verify` (SPEC §4.9): recomputes every balance and entry chain from the transfers and
//! checks each invariant of shared/LEDGER.md, reporting every difference it finds.

mod invariants;

use sqlx::PgPool;

use crate::spaces::model::SpaceId;

/// One invariant and what broke it (empty when it holds).
#[derive(Debug, Clone)]
pub struct Check {
    /// Its number in shared/LEDGER.md's list (7 is a property of a run, not of rows).
    pub invariant: u8,
    /// What it proves, in words an admin reads.
    pub name: &'static str,
    pub problems: Vec<String>,
}

impl Check {
    pub fn ok(&self) -> bool {
        self.problems.is_empty()
    }
}

#[derive(Debug, Clone)]
pub struct Report {
    pub checks: Vec<Check>,
    pub accounts: i64,
    pub transfers: i64,
    pub entries: i64,
}

impl Report {
    pub fn ok(&self) -> bool {
        self.checks.iter().all(Check::ok)
    }

    /// How many checks failed.
    pub fn failed(&self) -> usize {
        self.checks.iter().filter(|c| !c.ok()).count()
    }

    /// A plain-text report, one numbered line per check.
    pub fn text(&self) -> String {
        let mut out = format!(
            "Ledger verify: {} accounts, {} transfers, {} entries\n",
            self.accounts, self.transfers, self.entries
        );
        for (number, check) in self.checks.iter().enumerate() {
            let mark = if check.ok() { "ok  " } else { "FAIL" };
            out.push_str(&format!("{mark} {}. {}\n", number + 1, check.name));
            for problem in &check.problems {
                out.push_str(&format!("       {problem}\n"));
            }
        }
        out.push_str(if self.ok() {
            "Every check passed.\n"
        } else {
            "Some checks failed.\n"
        });
        out
    }
}

/// Checks every space, or one.
pub async fn verify(db: &PgPool, space: Option<SpaceId>) -> sqlx::Result<Report> {
    let s = space.map(|s| s.0);
    // Invariant 7 (acknowledged transfers survive a crash) is a property of a run, not of
    // the rows: bench/fault-run checks it.
    let checks = vec![
        invariants::balances_sum_to_zero(db, s).await?,
        invariants::within_limits(db, s).await?,
        invariants::counters_match_transfers(db, s).await?,
        invariants::one_outcome_per_id(db, s).await?,
        invariants::append_only(db, s).await?,
        invariants::holds_resolve_once(db, s).await?,
        invariants::entry_chains_run_unbroken(db, s).await?,
    ];

    let totals = sqlx::query!(
        r#"select (select count(*) from ledger_accounts where ($1::bigint is null or space_id = $1)) as "accounts!",
                  (select count(*) from ledger_transfers where ($1::bigint is null or space_id = $1)) as "transfers!",
                  (select count(*) from ledger_entries where ($1::bigint is null or space_id = $1)) as "entries!""#,
        s
    )
    .fetch_one(db)
    .await?;

    Ok(Report {
        checks,
        accounts: totals.accounts,
        transfers: totals.transfers,
        entries: totals.entries,
    })
}
