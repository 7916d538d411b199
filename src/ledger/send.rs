//! "Send credits": a gift or tip to another member, with a confirmation step, paid once
//! however often the form is submitted (its id is the ledger's idempotency key).

use axum::extract::State;
use axum::http::Uri;
use axum::response::{IntoResponse, Redirect, Response};
use uuid::Uuid;

use crate::ledger::db::{self, MemberAccount};
use crate::ledger::model::{AccountId, Code, Outcome, Reason};
use crate::ledger::money::{format_amount, format_number, parse_amount};
use crate::ledger::views::{ConfirmSendPage, SendPage};
use crate::ledger::{self, MemberPayment};
use crate::messages;
use crate::spaces::model::{MembershipId, Status};
use crate::web::error::{AppError, AppResult};
use crate::web::extract::Member;
use crate::web::form::{Errors, FormData};
use crate::web::html::{Choice, invalid, page};
use crate::web::state::AppState;

const MEMO_MAX: usize = 200;

/// A send form checked against the space: who pays, and who is paid if they may be.
struct SendInput {
    form: SendForm,
    sender: AccountId,
    recipient: Option<MemberAccount>,
}

/// What a send form says, before anything is looked up.
struct SendForm {
    wanted: Option<MembershipId>,
    amount: Option<i64>,
    raw_recipient: String,
    raw_amount: String,
    memo: String,
    id: Uuid,
    errors: Errors,
}

fn parse_send(form: &FormData) -> SendForm {
    let mut errors = form.errors();
    let raw_recipient = form.text("to").trim().to_owned();
    let wanted = raw_recipient.parse::<i64>().ok().map(MembershipId);
    let raw_amount = form.text("amount").trim().to_owned();
    let amount = parse_amount(&raw_amount)
        .map_err(|e| errors.add("amount", e.message()))
        .ok();
    let memo = errors.optional(form, "memo", MEMO_MAX);
    let id = Uuid::parse_str(form.text("id")).unwrap_or_else(|_| {
        errors.add("amount", messages::FORM_OUT_OF_DATE);
        ledger::new_id()
    });
    SendForm {
        wanted,
        amount,
        raw_recipient,
        raw_amount,
        memo,
        id,
        errors,
    }
}

/// The form checked against the space: payer and payee looked up in one query.
async fn read_send(state: &AppState, member: &Member, form: &FormData) -> AppResult<SendInput> {
    let mut form = parse_send(form);
    let me = member.membership.id;
    let ids: Vec<MembershipId> = [Some(me), form.wanted].into_iter().flatten().collect();
    let found = db::member_accounts_by_membership(&state.db, member.space.id, &ids).await?;
    let sender = found
        .iter()
        .find(|m| m.membership_id == me)
        .map(|m| m.account)
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("member has no ledger account")))?;
    let recipient = form
        .wanted
        .and_then(|w| found.into_iter().find(|m| m.membership_id == w));
    let errors = &mut form.errors;
    match &recipient {
        None if form.raw_recipient.is_empty() => errors.add("to", messages::CHOOSE_RECIPIENT),
        None => errors.add("to", messages::CHOOSE_MEMBER_HERE),
        Some(r) if r.membership_id == me => errors.add("to", messages::NOT_TO_YOURSELF),
        Some(r) if r.status != Status::Active => {
            errors.add("to", messages::cannot_receive(&r.display_name))
        }
        Some(_) => {}
    }
    Ok(SendInput {
        form,
        sender,
        recipient,
    })
}

async fn send_page(
    state: &AppState,
    member: &Member,
    input: Option<SendInput>,
) -> AppResult<SendPage> {
    let currency = member.space.currency_name.clone();
    let chosen = input
        .as_ref()
        .map(|i| i.form.raw_recipient.clone())
        .unwrap_or_default();
    let everyone = db::member_accounts(&state.db, member.space.id).await?;
    // The member's own row carries what they can send: no second look at their account.
    let available = everyone
        .iter()
        .find(|m| m.membership_id == member.membership.id)
        .map_or(0, MemberAccount::available);
    let members = everyone
        .into_iter()
        .filter(|m| m.membership_id != member.membership.id && m.status == Status::Active)
        .map(|m| Choice {
            selected: m.membership_id.0.to_string() == chosen,
            value: m.membership_id.0.to_string(),
            label: m.display_name,
        })
        .collect();
    let (amount, memo, id, errors) = match input {
        Some(i) => (i.form.raw_amount, i.form.memo, i.form.id, i.form.errors),
        None => (
            String::new(),
            String::new(),
            ledger::new_id(),
            Errors::default(),
        ),
    };
    Ok(SendPage {
        layout: member.layout(messages::TITLE_SEND),
        slug: member.space.slug.clone(),
        members,
        amount,
        memo,
        id: id.to_string(),
        available: format_amount(available.max(0), &currency),
        amount_hint: messages::send_amount_hint(&currency),
        errors,
    })
}

pub async fn send_form(
    State(state): State<AppState>,
    member: Member,
    uri: Uri,
) -> AppResult<Response> {
    // "Change" on the confirmation page comes back here with the answers kept.
    let query = FormData::parse(uri.query().unwrap_or("").as_bytes());
    let input = if query.get("to").is_some() {
        let mut input = read_send(&state, &member, &query).await?;
        input.form.errors = Errors::default();
        Some(input)
    } else {
        None
    };
    page(&send_page(&state, &member, input).await?)
}

/// Checks the form and shows what will happen, with one button to do it.
pub async fn send_review(
    State(state): State<AppState>,
    member: Member,
    form: FormData,
) -> AppResult<Response> {
    let mut input = read_send(&state, &member, &form).await?;
    if let Some(amount) = input.form.amount {
        let available = db::balance(&state.db, input.sender)
            .await?
            .map(|b| b.available())
            .unwrap_or(0);
        if amount > available {
            input.form.errors.add(
                "amount",
                messages::over_send_limit(&format_amount(
                    available.max(0),
                    &member.space.currency_name,
                )),
            );
        }
    }
    let (Some(recipient), Some(amount), true) = (
        &input.recipient,
        input.form.amount,
        input.form.errors.is_empty(),
    ) else {
        return invalid(&send_page(&state, &member, Some(input)).await?);
    };
    page(&ConfirmSendPage {
        layout: member.layout(messages::TITLE_CHECK_AND_SEND),
        slug: member.space.slug.clone(),
        recipient_id: recipient.membership_id.0.to_string(),
        recipient_name: recipient.display_name.clone(),
        amount: format_amount(amount, &member.space.currency_name),
        amount_text: format_number(amount),
        memo: input.form.memo.clone(),
        id: input.form.id.to_string(),
    })
}

/// Pays. The form's id makes a double submit, or a retry after a lost answer, pay once.
pub async fn send(
    State(state): State<AppState>,
    member: Member,
    form: FormData,
) -> AppResult<Response> {
    let parsed = parse_send(&form);
    // The hot path: a well-formed form pays in one round trip; the ledger checks who is
    // active. Anything amiss is looked up in full for a clear message.
    let me = member.membership.id;
    let (Some(to), Some(amount), true) = (
        parsed.wanted.filter(|to| *to != me),
        parsed.amount,
        parsed.errors.is_empty(),
    ) else {
        let input = read_send(&state, &member, &form).await?;
        return invalid(&send_page(&state, &member, Some(input)).await?);
    };
    let payment = MemberPayment {
        id: parsed.id,
        space: member.space.id,
        from: me,
        to,
        amount,
        code: Code::Gift,
        memo: &parsed.memo,
        by: Some(member.person.id),
    };
    let reason = match ledger::pay_member(&state.db, &payment).await? {
        Outcome::Applied(_) | Outcome::Duplicate(_) => {
            member.ctx.flash("credits-sent");
            return Ok(Redirect::to(&format!("/s/{}/credits", member.space.slug)).into_response());
        }
        Outcome::Conflict => {
            return Err(AppError::Conflict(messages::SEND_FORM_REUSED.to_owned()));
        }
        Outcome::Rejected(reason) => reason,
    };
    let mut input = read_send(&state, &member, &form).await?;
    match reason {
        // read_send has said who cannot take part, and why.
        Reason::MemberNotActive if !input.form.errors.is_empty() => {}
        Reason::InsufficientFunds => input.form.errors.add("amount", messages::OVER_LIMIT),
        other => input.form.errors.add("amount", other.message()),
    }
    // A refused id stays refused; a new attempt needs a new id.
    input.form.id = ledger::new_id();
    invalid(&send_page(&state, &member, Some(input)).await?)
}
