//! Grants from the space account, as sends are made: the form, a page that says who gets
//! how much with one button to do it, then the grant. The form's id is the ledger's
//! idempotency key, so a double submit grants once. Audited with the grant itself.

use axum::extract::State;
use axum::http::Uri;
use axum::response::{IntoResponse, Redirect, Response};
use uuid::Uuid;

use crate::admin::ledger::member_choices;
use crate::admin::service::{self, Grant, Granted};
use crate::admin::views::{GrantCheckPage, GrantPage};
use crate::ledger;
use crate::ledger::db::{self as ledger_db, MemberAccount};
use crate::ledger::model::Outcome;
use crate::ledger::money::{format_amount, format_number, parse_amount};
use crate::members::avatar::Avatar;
use crate::messages;
use crate::spaces::model::{MembershipId, Status};
use crate::web::error::{AppError, AppResult};
use crate::web::extract::{Admin, ClientIp};
use crate::web::form::{Errors, FormData, encode_query};
use crate::web::html::{invalid, page};
use crate::web::state::AppState;

const MEMO_MAX: usize = 200;

/// A grant form as sent: the raw answers (to refill it) and what they came to.
struct GrantDraft {
    member_raw: String,
    to: Option<MembershipId>,
    amount_raw: String,
    amount: Option<i64>,
    memo: String,
    id: Uuid,
    errors: Errors,
}

fn parse_grant(form: &FormData) -> GrantDraft {
    let mut errors = form.errors();
    let member_raw = form.text("member").trim().to_owned();
    let to = member_raw.parse::<i64>().ok().map(MembershipId);
    if to.is_none() {
        errors.add("member", messages::CHOOSE_ACTIVE_MEMBER);
    }
    let amount_raw = form.text("amount").trim().to_owned();
    let amount = parse_amount(&amount_raw)
        .map_err(|e| errors.add("amount", e.message()))
        .ok();
    let memo = errors.required(
        form,
        "memo",
        messages::LABEL_WHAT_FOR,
        MEMO_MAX,
        messages::SAY_WHAT_GRANT_IS_FOR,
    );
    let id = Uuid::parse_str(form.text("id")).unwrap_or_else(|_| ledger::new_id());
    GrantDraft {
        member_raw,
        to,
        amount_raw,
        amount,
        memo,
        id,
        errors,
    }
}

async fn grant_page(state: &AppState, admin: &Admin, draft: GrantDraft) -> AppResult<GrantPage> {
    let members = ledger_db::member_accounts(&state.db, admin.space.id).await?;
    Ok(GrantPage {
        layout: admin.layout(messages::TITLE_GRANT),
        slug: admin.space.slug.clone(),
        members: member_choices(&members, &draft.member_raw, messages::CHOOSE_A_MEMBER),
        amount: draft.amount_raw,
        memo: draft.memo,
        id: draft.id.to_string(),
        amount_hint: messages::grant_amount_hint(&admin.space.currency_name),
        errors: draft.errors,
    })
}

/// The form, empty or (from "Change the details") with the answers kept.
pub async fn grant_form(
    State(state): State<AppState>,
    admin: Admin,
    uri: Uri,
) -> AppResult<Response> {
    let query = FormData::parse(uri.query().unwrap_or("").as_bytes());
    let mut draft = parse_grant(&query);
    draft.errors = Errors::default();
    page(&grant_page(&state, &admin, draft).await?)
}

/// The member a grant names, if they are an active member of this space.
async fn recipient(
    state: &AppState,
    admin: &Admin,
    to: Option<MembershipId>,
) -> AppResult<Option<MemberAccount>> {
    let Some(to) = to else { return Ok(None) };
    Ok(
        ledger_db::member_account_by_membership(&state.db, admin.space.id, to)
            .await?
            .filter(|m| m.status == Status::Active),
    )
}

/// Checks the form and shows who gets how much, with one button to grant it.
pub async fn grant_review(
    State(state): State<AppState>,
    admin: Admin,
    form: FormData,
) -> AppResult<Response> {
    let mut draft = parse_grant(&form);
    let recipient = recipient(&state, &admin, draft.to).await?;
    if recipient.is_none() {
        draft.errors.add("member", messages::CHOOSE_ACTIVE_MEMBER);
    }
    let currency = &admin.space.currency_name;
    if let Some(amount) = draft.amount {
        let space_account = ledger_db::space_account(&state.db, admin.space.id).await?;
        let available = ledger_db::balance(&state.db, space_account)
            .await?
            .map_or(0, |b| b.available());
        if amount > available {
            draft.errors.add(
                "amount",
                messages::space_can_grant_at_most(&format_amount(available.max(0), currency)),
            );
        }
    }
    let (Some(recipient), Some(amount), true) = (recipient, draft.amount, draft.errors.is_empty())
    else {
        return invalid(&grant_page(&state, &admin, draft).await?);
    };
    let slug = &admin.space.slug;
    let amount_text = format_number(amount);
    let change = encode_query(&[
        ("member", &draft.member_raw),
        ("amount", &amount_text),
        ("memo", &draft.memo),
        ("id", &draft.id.to_string()),
    ]);
    page(&GrantCheckPage {
        layout: admin.layout(messages::TITLE_CHECK_GRANT),
        slug: slug.clone(),
        member: recipient.membership_id.0.to_string(),
        avatar: Avatar::new(recipient.membership_id.0, &recipient.display_name),
        name: recipient.display_name,
        headline: recipient.headline,
        amount: format_amount(amount, currency),
        amount_text,
        memo: draft.memo,
        id: draft.id.to_string(),
        change_href: format!("/s/{slug}/admin/ledger/grant?{change}"),
    })
}

/// Grants: credits from the space account to a member, say a welcome grant or a thank-you
/// for running the Friday lunch. The ledger page then says who got how much.
pub async fn grant(
    State(state): State<AppState>,
    admin: Admin,
    ip: ClientIp,
    form: FormData,
) -> AppResult<Response> {
    let mut draft = parse_grant(&form);
    let (Some(to), Some(amount), true) = (draft.to, draft.amount, draft.errors.is_empty()) else {
        return invalid(&grant_page(&state, &admin, draft).await?);
    };
    let grant = Grant {
        id: draft.id,
        to,
        amount,
        memo: &draft.memo,
    };
    let mut tx = state.db.begin().await?;
    let granted = service::grant(&mut tx, admin.actor(&ip), &grant).await?;
    tx.commit().await?;
    match granted {
        Granted::Ledger(Outcome::Applied(_) | Outcome::Duplicate(_)) => {}
        Granted::NoSuchMember => {
            draft.errors.add("member", messages::CHOOSE_ACTIVE_MEMBER);
            return invalid(&grant_page(&state, &admin, draft).await?);
        }
        Granted::Ledger(Outcome::Rejected(reason)) => {
            draft.errors.add("amount", reason.message());
            // A refused id stays refused; a new attempt needs a new id.
            draft.id = ledger::new_id();
            return invalid(&grant_page(&state, &admin, draft).await?);
        }
        Granted::Ledger(Outcome::Conflict) => {
            return Err(AppError::Conflict(messages::GRANT_FORM_REUSED.to_owned()));
        }
    }
    Ok(Redirect::to(&format!(
        "/s/{}/admin/ledger?granted={}",
        admin.space.slug, draft.id
    ))
    .into_response())
}
