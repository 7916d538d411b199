//! Rooms (SPEC §5) against real PostgreSQL: booking pays through the ledger and cancelling
//! refunds before the cutoff, with verify passing after each; 16 members race for one slot;
//! the clock's edges (the cutoff, the past, opening hours, a daylight-saving weekend);
//! retired rooms, short credit, and the pages with their bad input.
//!
//! The world: Ana is an admin, Bea and Cy are members. The space keeps Berlin's clock.

mod admin;
mod booking;
mod clock;
mod pages;
mod race;

use swapdesk::auth::model::PersonId;
use swapdesk::ledger::db as ledger_db;
use swapdesk::ledger::model::{Balance, Code, Outcome};
use swapdesk::ledger::{self, Payment};
use swapdesk::rooms::db::{self as rooms_db, RoomFields};
use swapdesk::rooms::model::{BookingId, OpeningHours, RoomId};
use swapdesk::rooms::service::{self, Ask, Booked, Booker, Cancelled, Refusal};
use swapdesk::spaces::model::{MembershipId, Role, SignupMode, SpaceId, Status};
use time::{Date, OffsetDateTime, macros::datetime};

use crate::helpers::TestApp;

/// A moment well before every day these tests book, so none of them is in the past.
pub const NOW: OffsetDateTime = datetime!(2030-03-01 09:00 UTC);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Someone {
    pub person: PersonId,
    pub member: MembershipId,
    pub email: &'static str,
}

pub struct World {
    pub app: TestApp,
    pub space: SpaceId,
    pub ana: Someone,
    pub bea: Someone,
    pub cy: Someone,
}

async fn someone(app: &TestApp, space: SpaceId, email: &'static str, role: Role) -> Someone {
    let (person, member) = app.member(space, email, role, Status::Active).await;
    Someone {
        person,
        member,
        email,
    }
}

/// Opening hours from `opens` to `closes` (minutes after midnight) every day of the week.
pub fn every_day(opens: i32, closes: i32) -> Vec<OpeningHours> {
    (1..=7)
        .map(|weekday| OpeningHours {
            weekday,
            opens,
            closes,
        })
        .collect()
}

impl World {
    pub async fn new() -> Self {
        let app = TestApp::new().await;
        let space = app.space("harbour", SignupMode::Open).await;
        sqlx::query("update spaces set time_zone = 'Europe/Berlin' where id = $1")
            .bind(space.0)
            .execute(&app.db)
            .await
            .unwrap();
        let ana = someone(&app, space, "ana@example.org", Role::Admin).await;
        let bea = someone(&app, space, "bea@example.org", Role::Member).await;
        let cy = someone(&app, space, "cy@example.org", Role::Member).await;
        Self {
            app,
            space,
            ana,
            bea,
            cy,
        }
    }

    /// A room at `price` (hundredths an hour), open 08:00 to 18:00 every day, in slots of
    /// `slot` minutes.
    pub async fn room(&self, name: &str, price: i64, slot: i32) -> RoomId {
        self.room_open(name, price, slot, every_day(8 * 60, 18 * 60))
            .await
    }

    pub async fn room_open(
        &self,
        name: &str,
        price: i64,
        slot: i32,
        hours: Vec<OpeningHours>,
    ) -> RoomId {
        let fields = RoomFields {
            name: name.to_owned(),
            description: String::new(),
            capacity: 6,
            price_per_hour: price,
            slot_minutes: slot,
            hours,
        };
        let mut conn = self.app.db.acquire().await.unwrap();
        rooms_db::create_room(&mut conn, self.space, &fields)
            .await
            .unwrap()
            .unwrap()
    }

    pub fn booker(&self, who: Someone) -> Booker {
        Booker {
            space: self.space,
            member: who.member,
            person: who.person,
        }
    }

    /// Books on the app's pool at `now`, under a fresh id.
    pub async fn book_at(
        &self,
        who: Someone,
        ask: &Ask,
        now: OffsetDateTime,
    ) -> (BookingId, Result<Booked, Refusal>) {
        let id = BookingId(uuid::Uuid::now_v7());
        let mut conn = self.app.state.db.acquire().await.unwrap();
        let done = service::book(&mut conn, self.booker(who), id, ask, now)
            .await
            .unwrap();
        (id, done)
    }

    /// Books at `NOW` and insists that it was booked.
    pub async fn booked(&self, who: Someone, ask: &Ask) -> BookingId {
        let (id, done) = self.book_at(who, ask, NOW).await;
        assert!(
            matches!(done, Ok(Booked::New { .. })),
            "{} could not book: {done:?}",
            who.email
        );
        id
    }

    pub async fn cancel_at(
        &self,
        who: Someone,
        as_admin: bool,
        id: BookingId,
        now: OffsetDateTime,
    ) -> Cancelled {
        let mut conn = self.app.state.db.acquire().await.unwrap();
        service::cancel(&mut conn, self.booker(who), as_admin, id, now)
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
    pub async fn grant(&self, to: MembershipId, amount: i64) {
        let account = ledger_db::member_account(&self.app.db, self.space, to)
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

    /// Sets a member's credit limit (how far below zero they may go).
    pub async fn limit(&self, who: MembershipId, limit: i64) {
        sqlx::query(
            "select ledger_set_credit_limit($1, id, $2) from ledger_accounts
             where space_id = $1 and membership_id = $3",
        )
        .bind(self.space.0)
        .bind(limit)
        .bind(who.0)
        .execute(&self.app.db)
        .await
        .unwrap();
    }

    /// Every invariant of the ledger holds in this space.
    pub async fn verified(&self) {
        let report = ledger::verify(&self.app.db, Some(self.space))
            .await
            .unwrap();
        assert!(report.ok(), "{}", report.text());
    }

    /// The ledger transfers of a code ("booking", "refund") in the space.
    pub async fn transfers(&self, code: &str) -> i64 {
        sqlx::query_scalar(
            "select count(*) from ledger_transfers where space_id = $1 and code = $2",
        )
        .bind(self.space.0)
        .bind(code)
        .fetch_one(&self.app.db)
        .await
        .unwrap()
    }

    /// Bookings not cancelled in the space.
    pub async fn live_bookings(&self) -> i64 {
        sqlx::query_scalar(
            "select count(*) from bookings where space_id = $1 and cancelled_at is null",
        )
        .bind(self.space.0)
        .fetch_one(&self.app.db)
        .await
        .unwrap()
    }
}

/// A booking of `room` on `day` from `hour:minute` for `minutes`.
pub fn ask(room: RoomId, day: Date, hour: i32, minute: i32, minutes: i32) -> Ask {
    Ask {
        room,
        day,
        start: hour * 60 + minute,
        utc_offset: None,
        minutes,
    }
}
