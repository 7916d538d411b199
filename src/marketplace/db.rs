//! Queries for listings. Every query names its space.

use sqlx::PgExecutor;
use time::{Date, OffsetDateTime};

use crate::marketplace::model::{
    Listing, ListingId, ListingKind, ListingRow, ListingStatus, MarketSort, PriceMode,
};
use crate::skills::model::CategoryId;
use crate::spaces::model::{MembershipId, SpaceId};
use crate::web::html::Choices;

/// A listing's fields as its owner writes them.
#[derive(Debug, Clone)]
pub struct ListingFields {
    pub kind: ListingKind,
    pub title: String,
    pub description: String,
    pub category: CategoryId,
    pub price_mode: PriceMode,
    pub price: i64,
    pub hours_estimate: Option<i32>,
    /// The last day the listing is open, in the space's time zone.
    pub expires_on: Option<Date>,
}

/// Creates a listing in an active category of the space. None: the category is not offered.
pub async fn create(
    db: impl PgExecutor<'_>,
    space: SpaceId,
    owner: MembershipId,
    f: &ListingFields,
) -> sqlx::Result<Option<ListingId>> {
    sqlx::query_scalar!(
        r#"insert into listings (space_id, membership_id, kind, title, description, category_id,
                                 price_mode, price, hours_estimate, expires_at)
           select $1, $2, $3, $4, $5, c.id, $7, $8, $9,
                  (($10::date + 1)::timestamp at time zone s.time_zone)
           from skill_categories c join spaces s on s.id = c.space_id
           where c.space_id = $1 and c.id = $6 and c.retired_at is null
           returning id as "id: ListingId""#,
        space as SpaceId,
        owner as MembershipId,
        f.kind as ListingKind,
        f.title,
        f.description,
        f.category as CategoryId,
        f.price_mode as PriceMode,
        f.price,
        f.hours_estimate,
        f.expires_on
    )
    .fetch_optional(db)
    .await
}

/// Changes the owner's own listing; its category may stay one that was retired since.
/// False: no such listing of theirs, or the category is not offered.
pub async fn update(
    db: impl PgExecutor<'_>,
    space: SpaceId,
    owner: MembershipId,
    id: ListingId,
    f: &ListingFields,
) -> sqlx::Result<bool> {
    let done = sqlx::query!(
        "update listings l set kind = $4, title = $5, description = $6, category_id = c.id,
                price_mode = $8, price = $9, hours_estimate = $10,
                expires_at = (($11::date + 1)::timestamp at time zone s.time_zone),
                updated_at = now()
         from skill_categories c, spaces s
         where l.space_id = $1 and l.membership_id = $2 and l.id = $3 and s.id = $1
           and c.space_id = $1 and c.id = $7 and (c.retired_at is null or c.id = l.category_id)",
        space as SpaceId,
        owner as MembershipId,
        id as ListingId,
        f.kind as ListingKind,
        f.title,
        f.description,
        f.category as CategoryId,
        f.price_mode as PriceMode,
        f.price,
        f.hours_estimate,
        f.expires_on
    )
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Pauses, reopens or closes the owner's own listing. Reopening a listing past its expiry
/// date clears the date. False: no such listing of theirs.
pub async fn set_status(
    db: impl PgExecutor<'_>,
    space: SpaceId,
    owner: MembershipId,
    id: ListingId,
    status: ListingStatus,
) -> sqlx::Result<bool> {
    let done = sqlx::query!(
        "update listings set status = $4, updated_at = now(),
                expires_at = case when $4 = 'open' and expires_at <= now() then null
                                  else expires_at end
         where space_id = $1 and membership_id = $2 and id = $3",
        space as SpaceId,
        owner as MembershipId,
        id as ListingId,
        status as ListingStatus
    )
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// One listing of the space, with its owner, whatever its status.
pub async fn listing(
    db: impl PgExecutor<'_>,
    space: SpaceId,
    id: ListingId,
) -> sqlx::Result<Option<Listing>> {
    sqlx::query_as!(
        Listing,
        r#"select l.id as "id: ListingId", l.membership_id as "membership_id: MembershipId",
                  p.display_name as owner_name, m.headline as owner_headline,
                  l.kind as "kind: ListingKind", l.title, l.description,
                  l.category_id as "category_id: CategoryId", c.name as category,
                  l.price_mode as "price_mode: PriceMode", l.price, l.hours_estimate,
                  l.status as "status: ListingStatus", l.expires_at,
                  ((l.expires_at at time zone s.time_zone) - interval '1 day')::date as expires_on,
                  l.created_at, l.hidden_reason
           from listings l
           join spaces s on s.id = l.space_id
           join memberships m on m.id = l.membership_id
           join people p on p.id = m.person_id
           join skill_categories c on c.id = l.category_id
           where l.space_id = $1 and l.id = $2"#,
        space as SpaceId,
        id as ListingId
    )
    .fetch_optional(db)
    .await
}

/// A member's listings, open ones first, newest first; `open_only` for their profile (not
/// past their date, even before the expiry job has closed them, and not hidden by an admin).
pub async fn listings_of(
    db: impl PgExecutor<'_>,
    space: SpaceId,
    owner: MembershipId,
    open_only: bool,
) -> sqlx::Result<Vec<Listing>> {
    sqlx::query_as!(
        Listing,
        r#"select l.id as "id: ListingId", l.membership_id as "membership_id: MembershipId",
                  p.display_name as owner_name, m.headline as owner_headline,
                  l.kind as "kind: ListingKind", l.title, l.description,
                  l.category_id as "category_id: CategoryId", c.name as category,
                  l.price_mode as "price_mode: PriceMode", l.price, l.hours_estimate,
                  l.status as "status: ListingStatus", l.expires_at,
                  ((l.expires_at at time zone s.time_zone) - interval '1 day')::date as expires_on,
                  l.created_at, l.hidden_reason
           from listings l
           join spaces s on s.id = l.space_id
           join memberships m on m.id = l.membership_id
           join people p on p.id = m.person_id
           join skill_categories c on c.id = l.category_id
           where l.space_id = $1 and l.membership_id = $2
             and (not $3 or (l.status = 'open' and l.hidden_at is null
                             and (l.expires_at is null or l.expires_at > now())))
           order by l.status = 'open' desc, l.status = 'paused' desc, l.created_at desc, l.id desc
           limit 200"#,
        space as SpaceId,
        owner as MembershipId,
        open_only
    )
    .fetch_all(db)
    .await
}

/// The marketplace's search; see `marketplace_search` in migrations/0005_marketplace.sql, as
/// 0006_search_fallback.sql extends it.
#[derive(Debug, Clone)]
pub struct MarketSearch {
    pub query: String,
    pub typos: bool,
    pub kind: Option<ListingKind>,
    pub category: Option<CategoryId>,
    pub min_price: Option<i64>,
    pub max_price: Option<i64>,
    pub here_today: bool,
    pub sort: MarketSort,
    pub limit: i64,
    pub offset: i64,
}

pub async fn search(
    db: impl PgExecutor<'_>,
    space: SpaceId,
    s: &MarketSearch,
) -> sqlx::Result<Vec<ListingRow>> {
    sqlx::query_as!(
        ListingRow,
        r#"select listing_id as "listing_id!: ListingId",
                  membership_id as "membership_id!: MembershipId",
                  display_name as "display_name!", kind as "kind!: ListingKind",
                  title as "title!", category as "category!",
                  price_mode as "price_mode!: PriceMode", price as "price!", hours_estimate,
                  total_price as "total_price!", created_at as "created_at!",
                  here_today as "here_today!", rank as "rank!", total as "total!",
                  corrected, fallback
           from marketplace_search($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"#,
        space as SpaceId,
        s.query,
        s.typos,
        s.kind.map(ListingKind::as_str),
        s.category.map(|c| c.0),
        s.min_price,
        s.max_price,
        s.here_today,
        s.sort.as_str(),
        i32::try_from(s.limit).unwrap_or(i32::MAX),
        i32::try_from(s.offset).unwrap_or(i32::MAX)
    )
    .fetch_all(db)
    .await
}

/// Closes every listing past its expiry at `now` (the database clock, unless a test says
/// otherwise); returns how many. One statement, so two instances running it at once close
/// each listing once.
/// Closes listings past their expiry, telling each owner in the same statement.
pub async fn close_expired(db: impl PgExecutor<'_>, now: OffsetDateTime) -> sqlx::Result<u64> {
    let closed = sqlx::query_scalar!(
        r#"with closed as (
               update listings set status = 'closed', updated_at = now()
               where status <> 'closed' and expires_at <= $1
               returning id, space_id, membership_id, title
           )
           select count(notify_members(space_id, array[membership_id], 'listing_expired',
                                       'listings', null, 'market/' || id, title)) as "n!"
           from closed"#,
        now
    )
    .fetch_one(db)
    .await?;
    Ok(closed.unsigned_abs())
}

/// Warns the owners of open listings that expire within three days of `now`, once each.
pub async fn warn_expiring(db: impl PgExecutor<'_>, now: OffsetDateTime) -> sqlx::Result<u64> {
    let warned = sqlx::query_scalar!(
        r#"with warned as (
               update listings set expiry_warned_at = now()
               where status = 'open' and expiry_warned_at is null
                 and expires_at > $1::timestamptz and expires_at <= $1::timestamptz + interval '3 days'
               returning id, space_id, membership_id, title
           )
           select count(notify_members(space_id, array[membership_id], 'listing_expiring',
                                       'listings', null, 'market/' || id, title)) as "n!"
           from warned"#,
        now
    )
    .fetch_one(db)
    .await?;
    Ok(warned.unsigned_abs())
}

/// An open request that fits a member's skills (`match_requests_for`).
#[derive(Debug, Clone)]
pub struct RequestMatch {
    pub listing_id: ListingId,
    pub title: String,
    pub owner_id: MembershipId,
    pub owner_name: String,
    pub category: String,
    pub total_price: i64,
    pub score: i32,
    /// The member's skills that fit it.
    pub because: String,
}

pub async fn requests_for(
    db: impl PgExecutor<'_>,
    space: SpaceId,
    member: MembershipId,
    limit: i32,
) -> sqlx::Result<Vec<RequestMatch>> {
    sqlx::query_as!(
        RequestMatch,
        r#"select listing_id as "listing_id!: ListingId", title as "title!",
                  owner_id as "owner_id!: MembershipId", owner_name as "owner_name!",
                  category as "category!", total_price as "total_price!", score as "score!",
                  because as "because!"
           from match_requests_for($1, $2, $3)"#,
        space as SpaceId,
        member as MembershipId,
        limit
    )
    .fetch_all(db)
    .await
}

/// A member whose skills fit a member's open requests (`match_members_for`).
#[derive(Debug, Clone)]
pub struct MemberMatch {
    pub membership_id: MembershipId,
    pub display_name: String,
    pub headline: String,
    pub skills: String,
    pub request_title: String,
    pub score: i32,
}

pub async fn members_for(
    db: impl PgExecutor<'_>,
    space: SpaceId,
    member: MembershipId,
    limit: i32,
) -> sqlx::Result<Vec<MemberMatch>> {
    sqlx::query_as!(
        MemberMatch,
        r#"select membership_id as "membership_id!: MembershipId",
                  display_name as "display_name!", headline as "headline!", skills as "skills!",
                  request_title as "request_title!", score as "score!"
           from match_members_for($1, $2, $3)"#,
        space as SpaceId,
        member as MembershipId,
        limit
    )
    .fetch_all(db)
    .await
}
