//! The demo's trades: thirty stories in every state, told through the real trade service,
//! so every hold, payment and release on the ledger follows from the rules of SPEC §3.3a.
//! Each story is one transaction (the trade, its timeline, thread and kudos, dated back to
//! when they happened), so a trade is either all there or not at all; a trade an earlier
//! run made (found by its opening proposal) is left as it is.

use anyhow::{Context, bail, ensure};
use sqlx::{PgConnection, PgPool};
use time::{Date, Duration, OffsetDateTime};

use super::db::{self as demo_db, DemoMember, TradeDates};
use super::market_data::{Ago, Step, TRADES, TradeSeed, What};
use crate::marketplace::db as market_db;
use crate::marketplace::model::{ListingId, ListingStatus};
use crate::spaces::db as spaces_db;
use crate::spaces::model::{Role, SpaceId};
use crate::trades::db::{self as trades_db, Terms};
use crate::trades::model::{Action, TradeId};
use crate::trades::service::{self, Actor, Done, Input, KudosDone};

/// Tells every story that is not there yet, oldest first.
pub(super) async fn seed(pool: &PgPool, space: SpaceId) -> anyhow::Result<()> {
    let members = demo_db::members(pool, space).await?;
    let today = spaces_db::today(pool, space).await?;
    let now = OffsetDateTime::now_utc();
    let mut stories: Vec<&TradeSeed> = TRADES.iter().collect();
    stories.sort_by_key(|t| std::cmp::Reverse(t.opened));
    for seed in stories {
        let story = Story {
            space,
            members: &members,
            now,
            today,
            seed,
        };
        story
            .tell(pool)
            .await
            .with_context(|| format!("demo trade \"{}\"", seed.description))?;
    }
    Ok(())
}

struct Story<'a> {
    space: SpaceId,
    members: &'a [DemoMember],
    now: OffsetDateTime,
    today: Date,
    seed: &'a TradeSeed,
}

/// When each part of the story happened, gathered as it is told.
struct Dates {
    last_change: OffsetDateTime,
    delivered: Option<OffsetDateTime>,
    events: Vec<OffsetDateTime>,
    messages: Vec<OffsetDateTime>,
    kudos: Vec<OffsetDateTime>,
}

impl Story<'_> {
    fn when(&self, ago: Ago) -> OffsetDateTime {
        self.now - Duration::days(ago.0) - Duration::hours(ago.1)
    }

    fn actor(&self, m: &DemoMember) -> Actor {
        Actor {
            space: self.space,
            member: m.membership,
            person: m.person,
            is_admin: m.role == Role::Admin,
        }
    }

    fn due_on(&self) -> Option<Date> {
        self.seed
            .due_in_days
            .map(|d| self.today + Duration::days(d))
    }

    async fn tell(&self, pool: &PgPool) -> anyhow::Result<()> {
        let seed = self.seed;
        let proposer = super::member(self.members, seed.proposer)?;
        let with = super::member(self.members, seed.with)?;
        if demo_db::trade_opened_with(pool, self.space, proposer.membership, seed.description)
            .await?
            .is_some()
        {
            return Ok(());
        }
        let listing = match seed.listing {
            Some(title) => {
                let age = super::marketplace::age_of(seed.with, title)
                    .with_context(|| format!("the data has no listing \"{title}\""))?;
                ensure!(
                    seed.opened < Ago(age, 0),
                    "the trade starts before its listing"
                );
                let id = demo_db::listing_by_title(pool, self.space, with.membership, title)
                    .await?
                    .with_context(|| format!("no listing \"{title}\" was seeded"))?;
                Some(id)
            }
            None => None,
        };
        let terms = Terms {
            description: seed.description.to_owned(),
            amount: seed.amount,
            due_on: self.due_on(),
        };
        let mut tx = pool.begin().await?;
        let trade = service::propose(
            &mut tx,
            self.actor(proposer),
            with.membership,
            seed.proposer_pays,
            listing,
            &terms,
        )
        .await?
        .map_err(anyhow::Error::msg)?;
        let opened = self.when(seed.opened);
        let mut dates = Dates {
            last_change: opened,
            delivered: None,
            events: vec![opened],
            messages: Vec::new(),
            kudos: Vec::new(),
        };
        let mut last = seed.opened;
        for step in seed.steps {
            ensure!(
                step.ago < last && (0..24).contains(&step.ago.1),
                "the steps are not in time order"
            );
            last = step.ago;
            self.take(&mut tx, trade, listing, step, &mut dates)
                .await
                .with_context(|| format!("{:?} by {}", step.what, step.by))?;
        }
        let dated = TradeDates {
            opened,
            last_change: dates.last_change,
            delivered: dates.delivered,
            events: &dates.events,
            messages: &dates.messages,
            kudos: &dates.kudos,
        };
        demo_db::date_trade(&mut tx, self.space, trade, &dated).await?;
        tx.commit().await?;
        Ok(())
    }

    /// One step of the story, as the member would take it on the trade's page.
    async fn take(
        &self,
        conn: &mut PgConnection,
        trade: TradeId,
        listing: Option<ListingId>,
        step: &Step,
        dates: &mut Dates,
    ) -> anyhow::Result<()> {
        let by = super::member(self.members, step.by)?;
        let when = self.when(step.ago);
        let (action, input) = match step.what {
            What::Act(action) => (action, Input::default()),
            What::Say(action, note) => (
                action,
                Input {
                    note: note.to_owned(),
                    ..Input::default()
                },
            ),
            What::Counter(description, amount) => (
                Action::Counter,
                Input {
                    terms: Some(Terms {
                        description: description.to_owned(),
                        amount,
                        due_on: self.due_on(),
                    }),
                    ..Input::default()
                },
            ),
            What::Resolve(resolution, note) => (
                Action::Resolve,
                Input {
                    note: note.to_owned(),
                    resolution: Some(resolution),
                    ..Input::default()
                },
            ),
            What::Message(body) => {
                ensure!(
                    [self.seed.proposer, self.seed.with].contains(&step.by),
                    "only the parties write in a trade's thread"
                );
                trades_db::add_message(&mut *conn, self.space, trade, by.membership, body).await?;
                dates.messages.push(when);
                return Ok(());
            }
            What::Kudos(stars, note) => {
                let done = service::leave_kudos(conn, self.actor(by), trade, stars, note).await?;
                ensure!(done == KudosDone::Left, "kudos not left: {done:?}");
                dates.kudos.push(when);
                return Ok(());
            }
            What::CloseListing => {
                let id = listing.context("the trade is on no listing")?;
                let closed = market_db::set_status(
                    &mut *conn,
                    self.space,
                    by.membership,
                    id,
                    ListingStatus::Closed,
                )
                .await?;
                ensure!(closed, "only the listing's owner closes it");
                return Ok(());
            }
        };
        match service::act(conn, self.actor(by), trade, action, &input).await? {
            Done::Done => {}
            Done::Refused(why) => bail!("refused: {why}"),
            Done::NotFound => bail!("the trade is not theirs to see"),
        }
        dates.events.push(when);
        dates.last_change = when;
        if action == Action::MarkDelivered {
            dates.delivered = Some(when);
        }
        Ok(())
    }
}
