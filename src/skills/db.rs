//! Queries for categories, skills and the directory. Every query names its space.

use sqlx::PgExecutor;

use crate::members::model::Presence;
use crate::skills::model::{
    Category, CategoryId, DirectoryRow, DirectorySort, Level, Skill, SkillId,
};
use crate::spaces::model::{MembershipId, SpaceId};
use crate::web::html::Choices;

pub async fn categories(db: impl PgExecutor<'_>, space: SpaceId) -> sqlx::Result<Vec<Category>> {
    sqlx::query_as!(
        Category,
        r#"select c.id as "id: CategoryId", c.name, c.retired_at is not null as "retired!"
           from skill_categories c where c.space_id = $1
           order by c.retired_at is not null, lower(c.name)"#,
        space as SpaceId
    )
    .fetch_all(db)
    .await
}

/// How many skills each category of the space holds, for the admin's list.
pub async fn category_skill_counts(
    db: impl PgExecutor<'_>,
    space: SpaceId,
) -> sqlx::Result<Vec<(CategoryId, i64)>> {
    let rows = sqlx::query!(
        r#"select category_id as "category_id: CategoryId", count(*) as "n!"
           from skills where space_id = $1 group by category_id"#,
        space as SpaceId
    )
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(|r| (r.category_id, r.n)).collect())
}

/// Creates a category, or returns None when the space has one of that name.
pub async fn create_category(
    db: impl PgExecutor<'_>,
    space: SpaceId,
    name: &str,
) -> sqlx::Result<Option<CategoryId>> {
    sqlx::query_scalar!(
        r#"insert into skill_categories (space_id, name) values ($1, $2)
           on conflict (space_id, lower(name)) do nothing returning id as "id: CategoryId""#,
        space as SpaceId,
        name
    )
    .fetch_optional(db)
    .await
}

/// Renames a category. Err(()) means another category already has the name.
pub async fn rename_category(
    db: impl PgExecutor<'_>,
    space: SpaceId,
    id: CategoryId,
    name: &str,
) -> sqlx::Result<Result<bool, ()>> {
    let done = sqlx::query!(
        "update skill_categories set name = $3 where space_id = $1 and id = $2",
        space as SpaceId,
        id as CategoryId,
        name
    )
    .execute(db)
    .await;
    match done {
        Ok(r) => Ok(Ok(r.rows_affected() == 1)),
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => Ok(Err(())),
        Err(e) => Err(e),
    }
}

/// Retires a category (it keeps its skills and is no longer offered), or brings it back.
pub async fn set_category_retired(
    db: impl PgExecutor<'_>,
    space: SpaceId,
    id: CategoryId,
    retired: bool,
) -> sqlx::Result<bool> {
    let done = sqlx::query!(
        "update skill_categories set retired_at = case when $3 then coalesce(retired_at, now()) end
         where space_id = $1 and id = $2",
        space as SpaceId,
        id as CategoryId,
        retired
    )
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Skills of some members of a space, best first: expert, practised, learning.
pub async fn skills_of(
    db: impl PgExecutor<'_>,
    space: SpaceId,
    memberships: &[MembershipId],
) -> sqlx::Result<Vec<Skill>> {
    let memberships: Vec<i64> = memberships.iter().map(|m| m.0).collect();
    sqlx::query_as!(
        Skill,
        r#"select s.id as "id: SkillId", s.membership_id as "membership_id: MembershipId", s.name,
                  s.category_id as "category_id: CategoryId", c.name as category,
                  s.level as "level: Level", s.note
           from skills s join skill_categories c on c.id = s.category_id
           where s.space_id = $1 and s.membership_id = any($2)
           order by s.membership_id,
                    case s.level when 'expert' then 0 when 'practised' then 1 else 2 end,
                    lower(s.name)"#,
        space as SpaceId,
        &memberships
    )
    .fetch_all(db)
    .await
}

/// What saving a skill came to.
pub enum Saved {
    Done,
    /// The member already lists a skill of that name.
    Duplicate,
    /// No such skill of theirs, or the category is not offered here.
    NotFound,
}

fn saved(result: sqlx::Result<u64>) -> sqlx::Result<Saved> {
    match result {
        Ok(0) => Ok(Saved::NotFound),
        Ok(_) => Ok(Saved::Done),
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => Ok(Saved::Duplicate),
        Err(e) => Err(e),
    }
}

/// Adds a skill in an active (not retired) category of the space.
pub async fn add_skill(
    db: impl PgExecutor<'_>,
    space: SpaceId,
    membership: MembershipId,
    category: CategoryId,
    name: &str,
    level: Level,
    note: &str,
) -> sqlx::Result<Saved> {
    let done = sqlx::query!(
        "insert into skills (space_id, membership_id, category_id, name, level, note)
         select $1, $2, c.id, $4, $5, $6 from skill_categories c
         where c.space_id = $1 and c.id = $3 and c.retired_at is null",
        space as SpaceId,
        membership as MembershipId,
        category as CategoryId,
        name,
        level as Level,
        note
    )
    .execute(db)
    .await
    .map(|r| r.rows_affected());
    saved(done)
}

/// Changes one of the member's own skills. A skill may stay in its retired category.
#[expect(
    clippy::too_many_arguments,
    reason = "one column each, all scoped by space and owner"
)]
pub async fn update_skill(
    db: impl PgExecutor<'_>,
    space: SpaceId,
    membership: MembershipId,
    id: SkillId,
    category: CategoryId,
    name: &str,
    level: Level,
    note: &str,
) -> sqlx::Result<Saved> {
    let done = sqlx::query!(
        "update skills s set category_id = c.id, name = $5, level = $6, note = $7
         from skill_categories c
         where s.space_id = $1 and s.membership_id = $2 and s.id = $3
           and c.space_id = $1 and c.id = $4 and (c.retired_at is null or c.id = s.category_id)",
        space as SpaceId,
        membership as MembershipId,
        id as SkillId,
        category as CategoryId,
        name,
        level as Level,
        note
    )
    .execute(db)
    .await
    .map(|r| r.rows_affected());
    saved(done)
}

pub async fn delete_skill(
    db: impl PgExecutor<'_>,
    space: SpaceId,
    membership: MembershipId,
    id: SkillId,
) -> sqlx::Result<bool> {
    let done = sqlx::query!(
        "delete from skills where space_id = $1 and membership_id = $2 and id = $3",
        space as SpaceId,
        membership as MembershipId,
        id as SkillId
    )
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The directory's search; see `directory_search` in migrations/0003_directory.sql, as
/// 0006_search_fallback.sql extends it.
#[derive(Debug, Clone)]
pub struct Search {
    pub query: String,
    pub typos: bool,
    pub category: Option<CategoryId>,
    pub level: Option<Level>,
    pub presence: Option<Presence>,
    pub here_today: bool,
    pub sort: DirectorySort,
    pub limit: i64,
    pub offset: i64,
}

pub async fn directory(
    db: impl PgExecutor<'_>,
    space: SpaceId,
    s: &Search,
) -> sqlx::Result<Vec<DirectoryRow>> {
    sqlx::query_as!(
        DirectoryRow,
        r#"select membership_id as "membership_id!: MembershipId", display_name as "display_name!",
                  headline as "headline!", presence as "presence!: Presence",
                  here_today as "here_today!",
                  kudos_count as "kudos_count!", member_since as "member_since!", rank as "rank!",
                  total as "total!", matched_skill, corrected, fallback
           from directory_search($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"#,
        space as SpaceId,
        s.query,
        s.typos,
        s.category.map(|c| c.0),
        s.level.map(Level::as_str),
        s.presence.map(Presence::as_str),
        s.here_today,
        s.sort.as_str(),
        i32::try_from(s.limit).unwrap_or(i32::MAX),
        i32::try_from(s.offset).unwrap_or(i32::MAX)
    )
    .fetch_all(db)
    .await
}
