//! Finding whom to pay by name. Names can differ by one letter ("Tom Fischer", "Tomás
//! Ruiz"), so every match comes with its avatar and headline, and accents are optional in
//! what is typed: "tomas" finds Tomás.

use sqlx::PgExecutor;

use crate::spaces::model::{MembershipId, SpaceId};

/// The most matches a search lists; more means "type more of the name".
pub const SHOWN: i64 = 20;

/// The longest search kept, in characters; a name is at most this long anyway.
const QUERY_MAX: usize = 100;

/// Words a search may have; the rest are ignored.
const WORDS_MAX: usize = 5;

/// A member who could be paid, as a search lists them.
#[derive(Debug, Clone)]
pub struct Match {
    pub membership_id: MembershipId,
    pub display_name: String,
    pub headline: String,
}

/// What a search found: the first `SHOWN` matches and how many there are in all.
#[derive(Debug, Clone, Default)]
pub struct Found {
    pub matches: Vec<Match>,
    pub total: i64,
}

/// The search as typed, trimmed and cut to a sane length.
pub fn clean_query(raw: &str) -> String {
    raw.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .take(QUERY_MAX)
        .collect()
}

/// Active members of `space` other than `me` whose names hold every word of `query`,
/// accents aside; those whose names start with it first, then by name.
pub async fn search(
    db: impl PgExecutor<'_>,
    space: SpaceId,
    me: MembershipId,
    query: &str,
) -> sqlx::Result<Found> {
    let words: Vec<String> = query
        .split_whitespace()
        .take(WORDS_MAX)
        .map(str::to_owned)
        .collect();
    if words.is_empty() {
        return Ok(Found::default());
    }
    // translate() folds the common Latin accents, so "tomas" finds "Tomás" and back.
    let rows = sqlx::query!(
        r#"with folded as (
               select m.id, p.display_name, m.headline,
                      translate(lower(p.display_name),
                                'áàâäãåāăąçćčďéèêëēėęěğíìîïīįıłñńňóòôöõøōőřśšşťúùûüūůűųýÿžźż',
                                'aaaaaaaaacccdeeeeeeeegiiiiiiilnnnoooooooorssstuuuuuuuuyyzzz') as name
               from memberships m
               join people p on p.id = m.person_id
               where m.space_id = $1 and m.status = 'active' and m.id <> $2
           ), wanted as (
               select n, translate(lower(w),
                                'áàâäãåāăąçćčďéèêëēėęěğíìîïīįıłñńňóòôöõøōőřśšşťúùûüūůűųýÿžźż',
                                'aaaaaaaaacccdeeeeeeeegiiiiiiilnnnoooooooorssstuuuuuuuuyyzzz') as w
               from unnest($3::text[]) with ordinality as x (w, n)
           )
           select f.id as "membership_id: MembershipId", f.display_name, f.headline,
                  count(*) over () as "total!"
           from folded f
           where not exists (select 1 from wanted where strpos(f.name, wanted.w) = 0)
           order by starts_with(f.name, (select w from wanted order by n limit 1)) desc,
                    lower(f.display_name), f.id
           limit $4"#,
        space as SpaceId,
        me as MembershipId,
        &words,
        SHOWN
    )
    .fetch_all(db)
    .await?;
    Ok(Found {
        total: rows.first().map_or(0, |r| r.total),
        matches: rows
            .into_iter()
            .map(|r| Match {
                membership_id: r.membership_id,
                display_name: r.display_name,
                headline: r.headline,
            })
            .collect(),
    })
}

/// Whether anyone in `space` but `me` could be paid.
pub async fn anyone_else(
    db: impl PgExecutor<'_>,
    space: SpaceId,
    me: MembershipId,
) -> sqlx::Result<bool> {
    sqlx::query_scalar!(
        r#"select exists (select 1 from memberships
                          where space_id = $1 and status = 'active' and id <> $2) as "any!""#,
        space as SpaceId,
        me as MembershipId
    )
    .fetch_one(db)
    .await
}
