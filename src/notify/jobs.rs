//! The delivery worker: it turns notifications into email, outside every transaction that
//! wrote them (no rendering under ledger locks, LEDGER.md). Notifications chosen "each"
//! get an email of their own; the rest wait for the daily digest at 08:00 in the space's
//! time zone, queued once per membership per local day. Every instance runs it; row locks
//! and the digest's row share the work without doubling it.

use std::time::Duration;

use askama::Template;
use cookie::Key;
use sqlx::PgPool;
use time::OffsetDateTime;

use crate::notify::EmailSubject;
use crate::notify::inbox::{self, Outgoing};
use crate::notify::model::{Group, Kind, Mode};
use crate::notify::unsubscribe::{Scope, Unsubscribe};
use crate::notify::views::{DigestEmail, DigestGroup, DigestLine, NotificationEmail};
use crate::web::html::local_when;

/// What the worker needs to write links.
#[derive(Clone)]
pub struct Links {
    pub base_url: String,
    pub key: Key,
}

impl Links {
    fn thing(&self, o: &Outgoing) -> String {
        format!("{}/s/{}/{}", self.base_url, o.slug, o.link)
    }

    fn choices(&self, o: &Outgoing) -> String {
        format!("{}/s/{}/inbox/email", self.base_url, o.slug)
    }

    fn unsubscribe(&self, o: &Outgoing, scope: Scope, now: OffsetDateTime) -> String {
        Unsubscribe::url(&self.base_url, &self.key, o.membership_id, scope, now)
    }
}

fn sentence(o: &Outgoing) -> String {
    Kind::parse(&o.kind).map_or_else(
        || "Something happened in your space".to_owned(),
        |k| k.sentence(&o.actor, &o.about, &o.currency),
    )
}

/// Emails the notifications chosen "each" that are waiting; returns how many were queued.
pub async fn send_each(db: &PgPool, links: &Links, now: OffsetDateTime) -> anyhow::Result<usize> {
    let mut queued = 0;
    loop {
        let mut tx = db.begin().await?;
        let due = inbox::claim(&mut *tx, Mode::Each, None, now, 50).await?;
        if due.is_empty() {
            return Ok(queued);
        }
        for o in &due {
            if !o.active || o.mode_now != Mode::Each {
                continue;
            }
            let unsubscribe = links.unsubscribe(o, Scope::Group(o.grp), now);
            let email = NotificationEmail {
                display_name: o.display_name.clone(),
                space_name: o.space_name.clone(),
                sentence: sentence(o),
                link: links.thing(o),
                choices_link: links.choices(o),
                unsubscribe_link: unsubscribe.clone(),
                group: o.grp.label(),
            };
            let body = email.render()?;
            inbox::queue_email(
                &mut *tx,
                o.space_id,
                &o.email,
                &email.subject(),
                &body,
                &unsubscribe,
            )
            .await?;
            queued += 1;
        }
        let ids: Vec<i64> = due.iter().map(|o| o.id).collect();
        inbox::mark_emailed(&mut *tx, &ids).await?;
        tx.commit().await?;
    }
}

/// Queues the digests due at `now`; returns how many were queued.
pub async fn send_digests(
    db: &PgPool,
    links: &Links,
    now: OffsetDateTime,
) -> anyhow::Result<usize> {
    let mut queued = 0;
    loop {
        let due = inbox::digests_due(db, now, 50).await?;
        if due.is_empty() {
            return Ok(queued);
        }
        let mut progressed = false;
        for (member, day) in due {
            let mut tx = db.begin().await?;
            if !inbox::take_digest(&mut *tx, member, day).await? {
                // Another instance has it; its commit settles it.
                continue;
            }
            progressed = true;
            let entries = inbox::claim(&mut *tx, Mode::Digest, Some(member), now, 1000).await?;
            let ids: Vec<i64> = entries.iter().map(|o| o.id).collect();
            if let Some(email) = digest(&entries, links, now) {
                let first = &entries[0];
                let body = email.render()?;
                let id = inbox::queue_email(
                    &mut *tx,
                    first.space_id,
                    &first.email,
                    &email.subject(),
                    &body,
                    &links.unsubscribe(first, Scope::Digest, now),
                )
                .await?;
                inbox::digest_sent(&mut *tx, member, day, id).await?;
                queued += 1;
            }
            inbox::mark_emailed(&mut *tx, &ids).await?;
            tx.commit().await?;
        }
        if !progressed {
            return Ok(queued);
        }
    }
}

/// The digest of these entries, grouped, leaving out groups the member no longer wants by
/// digest; None when nothing is left to send.
fn digest(entries: &[Outgoing], links: &Links, now: OffsetDateTime) -> Option<DigestEmail> {
    let first = entries.first()?;
    if !first.active {
        return None;
    }
    let mut groups: Vec<DigestGroup> = Vec::new();
    let mut count = 0;
    for g in Group::CHOSEN {
        let lines: Vec<DigestLine> = entries
            .iter()
            .filter(|o| o.grp == g && o.mode_now == Mode::Digest)
            .map(|o| DigestLine {
                at: local_when(o.at),
                sentence: sentence(o),
                link: links.thing(o),
            })
            .collect();
        if lines.is_empty() {
            continue;
        }
        count += lines.len();
        groups.push(DigestGroup {
            heading: g.label(),
            lines,
            unsubscribe_link: links.unsubscribe(first, Scope::Group(g), now),
        });
    }
    if groups.is_empty() {
        return None;
    }
    Some(DigestEmail {
        display_name: first.display_name.clone(),
        space_name: first.space_name.clone(),
        count,
        groups,
        inbox_link: format!("{}/s/{}/inbox", links.base_url, first.slug),
        choices_link: links.choices(first),
    })
}

/// Runs the worker every 20 seconds until the process ends.
pub async fn run_forever(db: PgPool, links: Links) {
    let mut tick = tokio::time::interval(Duration::from_secs(20));
    loop {
        tick.tick().await;
        let now = OffsetDateTime::now_utc();
        match send_each(&db, &links, now).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(emails = n, "notification emails queued"),
            Err(err) => tracing::warn!(error = %err, "notification emails failed"),
        }
        match send_digests(&db, &links, now).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(digests = n, "daily digests queued"),
            Err(err) => tracing::warn!(error = %err, "daily digests failed"),
        }
    }
}
