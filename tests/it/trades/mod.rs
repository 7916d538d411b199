//! Trades (SPEC §3.2–3.5) against real PostgreSQL: the rule table of §3.3a on its own, each
//! of its rows through the service, every other action refused, races, the clock, kudos,
//! suspension and reversal, and what the pages refuse.
//!
//! The world: Ana is an admin who is party to none of the trades, Bea receives the work and
//! pays, Cy does the work, and Dan is a member with nothing to do with them.

mod bad_input;
mod clock;
mod kudos;
mod pages;
mod races;
mod refusals;
mod rows;
mod rules;
mod suspension;
mod table;

use swapdesk::auth::model::PersonId;
use swapdesk::ledger::db as ledger_db;
use swapdesk::ledger::model::{Balance, Code, Outcome};
use swapdesk::ledger::{self, Payment};
use swapdesk::marketplace::db::{self as market_db, ListingFields};
use swapdesk::marketplace::model::{ListingId, ListingKind, PriceMode};
use swapdesk::skills::db as skills_db;
use swapdesk::skills::model::CategoryId;
use swapdesk::spaces::model::{MembershipId, Role, SignupMode, SpaceId, Status};
use swapdesk::trades::db::{self as trades_db, Terms};
use swapdesk::trades::model::{Action, Resolution, Trade, TradeId};
use swapdesk::trades::service::{self, Actor, Done, Input};

use crate::helpers::{Browser, TestApp};

/// What the trades of this world are for, in hundredths: 5.00 hours.
pub const AMOUNT: i64 = 500;

/// A member of the world.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Someone {
    pub person: PersonId,
    pub member: MembershipId,
    pub admin: bool,
    pub email: &'static str,
}

pub struct World {
    pub app: TestApp,
    pub space: SpaceId,
    /// An admin, party to no trade.
    pub ana: Someone,
    /// Receives the work and pays.
    pub bea: Someone,
    /// Does the work.
    pub cy: Someone,
    /// A member with nothing to do with the trades.
    pub dan: Someone,
    /// The space's one category.
    pub design: CategoryId,
}

/// How far a fresh trade between Bea (payer) and Cy (payee) is brought, through the service.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Proposed by Cy, the payee: Bea answers.
    Proposed,
    /// Proposed by Bea, the payer: Cy answers.
    ProposedByPayer,
    Accepted,
    /// Accepted, and Bea asked to cancel.
    CancelAsked,
    /// Accepted, and its due date has passed.
    Overdue,
    Delivered,
    Completed,
    Declined,
    /// Cancelled before acceptance: nothing was ever held.
    Withdrawn,
    /// Cancelled after acceptance: the hold was voided.
    WithdrewFromWork,
    Disputed,
    Resolved,
}

impl World {
    pub async fn new() -> Self {
        let app = TestApp::new().await;
        let space = app.space("harbour", SignupMode::Open).await;
        let ana = someone(&app, space, "ana@example.org", Role::Admin).await;
        let bea = someone(&app, space, "bea@example.org", Role::Member).await;
        let cy = someone(&app, space, "cy@example.org", Role::Member).await;
        let dan = someone(&app, space, "dan@example.org", Role::Member).await;
        let design = skills_db::create_category(&app.db, space, "Design")
            .await
            .unwrap()
            .unwrap();
        Self {
            app,
            space,
            ana,
            bea,
            cy,
            dan,
            design,
        }
    }

    pub fn actor(&self, who: Someone) -> Actor {
        Actor {
            space: self.space,
            member: who.member,
            person: who.person,
            is_admin: who.admin,
        }
    }

    /// A proposal from `by` to `to`, made as the propose form makes it, on the app's pool.
    /// Bea pays whoever she trades with.
    pub async fn propose(&self, by: Someone, to: Someone, terms: &Terms) -> TradeId {
        let i_pay = by == self.bea;
        let mut tx = self.app.state.db.begin().await.unwrap();
        let id = service::propose(&mut tx, self.actor(by), to.member, i_pay, None, terms)
            .await
            .unwrap()
            .unwrap();
        tx.commit().await.unwrap();
        id
    }

    /// One action in its own transaction on the app's pool, as the handler takes it.
    pub async fn act_with(
        &self,
        by: Someone,
        trade: TradeId,
        action: Action,
        input: &Input,
    ) -> Done {
        let mut tx = self.app.state.db.begin().await.unwrap();
        let done = service::act(&mut tx, self.actor(by), trade, action, input)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        done
    }

    /// One action with the input its form would bring.
    pub async fn act(&self, by: Someone, trade: TradeId, action: Action) -> Done {
        self.act_with(by, trade, action, &input(action)).await
    }

    /// Acts and insists that it was done.
    pub async fn done(&self, by: Someone, trade: TradeId, action: Action) {
        let done = self.act(by, trade, action).await;
        assert_eq!(done, Done::Done, "{} could not {action:?}", by.email);
    }

    /// A fresh trade between Bea (payer) and Cy (payee), brought to `stage`.
    pub async fn trade_in(&self, stage: Stage) -> TradeId {
        use Action::*;
        let (bea, cy, ana) = (self.bea, self.cy, self.ana);
        let due_on = match stage {
            Stage::Overdue => Some(self.today().await - time::Duration::days(3)),
            _ => None,
        };
        let proposer = if stage == Stage::ProposedByPayer {
            bea
        } else {
            cy
        };
        let to = if proposer == bea { cy } else { bea };
        let trade = self.propose(proposer, to, &terms(AMOUNT, due_on)).await;
        let steps: &[(Someone, Action)] = match stage {
            Stage::Proposed | Stage::ProposedByPayer => &[],
            Stage::Accepted | Stage::Overdue => &[(bea, Accept)],
            Stage::CancelAsked => &[(bea, Accept), (bea, AskToCancel)],
            Stage::Delivered => &[(bea, Accept), (cy, MarkDelivered)],
            Stage::Completed => &[(bea, Accept), (cy, MarkDelivered), (bea, Confirm)],
            Stage::Declined => &[(bea, Decline)],
            Stage::Withdrawn => &[(cy, Withdraw)],
            Stage::WithdrewFromWork => &[(bea, Accept), (cy, WithdrawFromWork)],
            Stage::Disputed => &[(bea, Accept), (cy, MarkDelivered), (bea, Dispute)],
            Stage::Resolved => &[
                (bea, Accept),
                (cy, MarkDelivered),
                (bea, Dispute),
                (ana, Resolve),
            ],
        };
        for (who, action) in steps {
            self.done(*who, trade, *action).await;
        }
        trade
    }

    /// An open listing of `owner`'s, for 5.00 hours, open until the end of `expires_on`.
    pub async fn listing(
        &self,
        owner: Someone,
        kind: ListingKind,
        expires_on: Option<time::Date>,
    ) -> ListingId {
        let fields = ListingFields {
            kind,
            title: "Logo design".to_owned(),
            description: String::new(),
            category: self.design,
            price_mode: PriceMode::Fixed,
            price: AMOUNT,
            hours_estimate: None,
            expires_on,
        };
        market_db::create(&self.app.db, self.space, owner.member, &fields)
            .await
            .unwrap()
            .unwrap()
    }

    /// A browser signed in as `who`.
    pub async fn browser(&self, who: Someone) -> Browser {
        self.app.signed_in(who.email).await
    }

    pub async fn trade(&self, id: TradeId) -> Trade {
        trades_db::trade(&self.app.db, self.space, id, self.bea.member)
            .await
            .unwrap()
            .unwrap()
    }

    pub async fn today(&self) -> time::Date {
        swapdesk::spaces::db::today(&self.app.db, self.space)
            .await
            .unwrap()
    }

    pub async fn balance(&self, who: Someone) -> Balance {
        let account = ledger_db::member_account(&self.app.db, self.space, who.member)
            .await
            .unwrap()
            .unwrap();
        ledger_db::balance(&self.app.db, account)
            .await
            .unwrap()
            .unwrap()
    }

    /// Credits from the space account, as an admin's grant.
    pub async fn grant(&self, to: Someone, amount: i64) {
        let account = ledger_db::member_account(&self.app.db, self.space, to.member)
            .await
            .unwrap()
            .unwrap();
        let grant = Payment {
            id: ledger::new_id(),
            space: self.space,
            from: ledger_db::space_account(&self.app.db, self.space)
                .await
                .unwrap(),
            to: account,
            amount,
            code: Code::Grant,
            memo: "Welcome",
            by: None,
        };
        let outcome = ledger::transfer(&self.app.db, &grant).await.unwrap();
        assert!(matches!(outcome, Outcome::Applied(_)), "{outcome:?}");
    }

    /// Every invariant of the ledger holds in this space.
    pub async fn verified(&self) {
        let report = ledger::verify(&self.app.db, Some(self.space))
            .await
            .unwrap();
        assert!(report.ok(), "{}", report.text());
    }

    /// The kinds of the ledger transfers that moved this trade's credits, in order: its
    /// holds (named by their memo) and whatever posted, voided or expired them.
    pub async fn transfers_of(&self, trade: TradeId) -> Vec<String> {
        sqlx::query_scalar(
            "select kind from ledger_transfers
             where memo = 'Trade #' || $1
                or pending_id in (select id from ledger_transfers where memo = 'Trade #' || $1)
             order by created_at, kind <> 'pending'",
        )
        .bind(trade.0)
        .fetch_all(&self.app.db)
        .await
        .unwrap()
    }

    /// The trade's timeline: (kind, actor, note), oldest first.
    pub async fn events(&self, trade: TradeId) -> Vec<(String, Option<MembershipId>, String)> {
        let rows: Vec<(String, Option<i64>, String)> = sqlx::query_as(
            "select kind, actor_id, note from trade_events where trade_id = $1 order by id",
        )
        .bind(trade.0)
        .fetch_all(&self.app.db)
        .await
        .unwrap();
        rows.into_iter()
            .map(|(kind, actor, note)| (kind, actor.map(MembershipId), note))
            .collect()
    }

    /// The newest timeline entry: its kind and who acted (None: the system).
    pub async fn last_event(&self, trade: TradeId) -> (String, Option<MembershipId>) {
        let (kind, actor, _) = self.events(trade).await.pop().unwrap();
        (kind, actor)
    }

    /// A digest of every row an action on a trade could change.
    pub async fn digest(&self) -> String {
        sqlx::query_scalar(
            "select md5(string_agg(row, '|' order by row)) from (
                 select 'trade ' || t::text as row from trades t
                 union all select 'event ' || e::text from trade_events e
                 union all select 'kudos ' || k::text from kudos k
                 union all select 'transfer ' || x::text from ledger_transfers x
                 union all select 'rejection ' || r::text from ledger_rejections r
                 union all select 'account ' || a::text from ledger_accounts a
                 union all select 'membership ' || m::text from memberships m
             ) rows",
        )
        .fetch_one(&self.app.db)
        .await
        .unwrap()
    }

    /// Sets a member's status behind the app's back, as an admin page would.
    pub async fn set_status(&self, who: Someone, status: Status) {
        sqlx::query("update memberships set status = $2 where id = $1")
            .bind(who.member.0)
            .bind(status)
            .execute(&self.app.db)
            .await
            .unwrap();
    }
}

async fn someone(app: &TestApp, space: SpaceId, email: &'static str, role: Role) -> Someone {
    let (person, member) = app.member(space, email, role, Status::Active).await;
    Someone {
        person,
        member,
        admin: role == Role::Admin,
        email,
    }
}

/// The trade's page; its forms post to this path and a suffix.
pub fn page_of(trade: TradeId) -> String {
    format!("/s/harbour/trades/{trade}")
}

pub fn terms(amount: i64, due_on: Option<time::Date>) -> Terms {
    Terms {
        description: "A logo for the bakery".to_owned(),
        amount,
        due_on,
    }
}

/// What the action's form brings: new terms for a counter-proposal, a full payment for a
/// resolution, and a reason for everything.
pub fn input(action: Action) -> Input {
    Input {
        terms: (action == Action::Counter).then(|| Terms {
            description: "A logo and a business card".to_owned(),
            amount: 750,
            due_on: None,
        }),
        note: format!("A reason to {action:?}"),
        resolution: (action == Action::Resolve).then_some(Resolution::Complete),
    }
}
