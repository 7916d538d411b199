//! "Send credits": a gift or tip to another member. First whom, found by a search on their
//! name (plain HTML: a GET form and a link per match), then how much, then a confirmation;
//! paid once however often the form is submitted (its id is the ledger's idempotency key).
//! `?to=<membership>` opens the form with that member chosen, as a profile's link does.

use axum::extract::State;
use axum::http::Uri;
use axum::response::{IntoResponse, Redirect, Response};
use uuid::Uuid;

use crate::ledger::db::{self, MemberAccount};
use crate::ledger::model::{Code, Outcome, Reason};
use crate::ledger::money::{format_amount, format_number, parse_amount};
use crate::ledger::recipients::{self, Match};
use crate::ledger::views::{ConfirmSendPage, RecipientView, SendPage, available_breakdown};
use crate::ledger::{self, MemberPayment};
use crate::members::avatar::Avatar;
use crate::messages;
use crate::spaces::model::{MembershipId, Status};
use crate::web::error::{AppError, AppResult};
use crate::web::extract::Member;
use crate::web::form::{Errors, FormData, encode_query};
use crate::web::html::{invalid, page};
use crate::web::state::AppState;

const MEMO_MAX: usize = 200;

/// The search field: a refused recipient is reported on it, where they are chosen anew.
const SEARCH: &str = "q";

/// A send form checked against the space: who pays, and who is paid if they may be.
struct SendInput {
    form: SendForm,
    sender: MemberAccount,
    /// The member chosen, when they may be paid.
    recipient: Option<MemberAccount>,
}

/// What a send form (or the send page's query) says, before anything is looked up.
struct SendForm {
    wanted: Option<MembershipId>,
    amount: Option<i64>,
    raw_recipient: String,
    raw_amount: String,
    memo: String,
    query: String,
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
    let memo = errors.optional(form, "memo", messages::LABEL_MEMO, MEMO_MAX);
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
        query: recipients::clean_query(form.text(SEARCH)),
        id,
        errors,
    }
}

/// The form checked against the space: payer and payee looked up in one query. A payee who
/// may not be paid is reported on the search field and left unchosen.
async fn read_send(state: &AppState, member: &Member, form: &FormData) -> AppResult<SendInput> {
    let mut form = parse_send(form);
    let me = member.membership.id;
    let ids: Vec<MembershipId> = [Some(me), form.wanted].into_iter().flatten().collect();
    let mut found = db::member_accounts_by_membership(&state.db, member.space.id, &ids).await?;
    let at = found
        .iter()
        .position(|m| m.membership_id == me)
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("member has no ledger account")))?;
    let sender = found.swap_remove(at);
    let wanted = form
        .wanted
        .filter(|w| *w != me)
        .and_then(|w| found.into_iter().find(|m| m.membership_id == w));
    let errors = &mut form.errors;
    let recipient = match wanted {
        _ if form.wanted == Some(me) => {
            errors.add(SEARCH, messages::NOT_TO_YOURSELF);
            None
        }
        None if form.raw_recipient.is_empty() => {
            errors.add(SEARCH, messages::CHOOSE_RECIPIENT);
            None
        }
        // An applicant is nobody a member can see yet.
        None => {
            errors.add(SEARCH, messages::CHOOSE_MEMBER_HERE);
            None
        }
        Some(r) if r.status == Status::Pending => {
            errors.add(SEARCH, messages::CHOOSE_MEMBER_HERE);
            None
        }
        Some(r) if r.status != Status::Active => {
            errors.add(SEARCH, messages::cannot_receive(&r.display_name));
            None
        }
        Some(r) => Some(r),
    };
    Ok(SendInput {
        form,
        sender,
        recipient,
    })
}

/// The draft's answers other than whom, as a query string kept across a search.
fn draft_query(form: &SendForm) -> String {
    encode_query(&[
        ("amount", &form.raw_amount),
        ("memo", &form.memo),
        ("id", &form.id.to_string()),
    ])
}

fn recipient_view(
    slug: &str,
    id: MembershipId,
    name: &str,
    headline: &str,
    draft: &str,
) -> RecipientView {
    let sep = if draft.is_empty() { "" } else { "&" };
    RecipientView {
        id: id.0.to_string(),
        name: name.to_owned(),
        headline: headline.to_owned(),
        avatar: Avatar::new(id.0, name),
        href: format!("/s/{slug}/credits/send?to={}{sep}{draft}", id.0),
    }
}

fn match_view(slug: &str, m: &Match, draft: &str) -> RecipientView {
    recipient_view(slug, m.membership_id, &m.display_name, &m.headline, draft)
}

fn chosen_view(slug: &str, m: &MemberAccount, draft: &str) -> RecipientView {
    recipient_view(slug, m.membership_id, &m.display_name, &m.headline, draft)
}

async fn send_page(state: &AppState, member: &Member, input: SendInput) -> AppResult<SendPage> {
    let currency = &member.space.currency_name;
    let slug = &member.space.slug;
    let SendInput {
        form,
        sender,
        recipient,
    } = input;
    let draft = draft_query(&form);
    // Until someone is chosen the page asks only whom: other answers wait for the form.
    let errors = match &recipient {
        Some(_) => form.errors,
        None => {
            let mut only = Errors::default();
            if form.errors.has(SEARCH) {
                only.add(SEARCH, form.errors.get(SEARCH));
            }
            only
        }
    };
    let found = match &recipient {
        Some(_) => recipients::Found::default(),
        None => {
            recipients::search(
                &state.db,
                member.space.id,
                sender.membership_id,
                &form.query,
            )
            .await?
        }
    };
    let anyone = recipient.is_some()
        || found.total > 0
        || recipients::anyone_else(&state.db, member.space.id, sender.membership_id).await?;
    let title = match (&recipient, form.query.is_empty()) {
        (Some(r), _) => messages::send_to_title(&r.display_name),
        (None, false) => messages::send_search_title(&form.query),
        (None, true) => messages::TITLE_SEND.to_owned(),
    };
    Ok(SendPage {
        layout: member.layout(title),
        slug: slug.clone(),
        available: format_amount(sender.available().max(0), currency),
        available_breakdown: available_breakdown(
            sender.balance,
            sender.held,
            sender.credit_limit,
            currency,
        ),
        anyone,
        recipient: recipient.as_ref().map(|r| chosen_view(slug, r, &draft)),
        searched: !form.query.is_empty(),
        matches: found
            .matches
            .iter()
            .map(|m| match_view(slug, m, &draft))
            .collect(),
        more: found.total - found.matches.len() as i64,
        query: form.query,
        amount: form.raw_amount,
        memo: form.memo,
        id: form.id.to_string(),
        draft,
        amount_hint: messages::send_amount_hint(currency),
        errors,
    })
}

/// The search, or the form with a member chosen (`?to=`). "Change" on the confirmation page
/// comes back here with every answer kept. A member who cannot be paid is refused (422).
pub async fn send_form(
    State(state): State<AppState>,
    member: Member,
    uri: Uri,
) -> AppResult<Response> {
    let query = FormData::parse(uri.query().unwrap_or("").as_bytes());
    let mut input = read_send(&state, &member, &query).await?;
    let refused = input.recipient.is_none() && !input.form.raw_recipient.is_empty();
    // Only a refused member is news here; the rest of the draft is checked on sending.
    let problem = input.form.errors.get(SEARCH).to_owned();
    input.form.errors = Errors::default();
    if refused {
        input.form.errors.add(SEARCH, problem);
        return invalid(&send_page(&state, &member, input).await?);
    }
    page(&send_page(&state, &member, input).await?)
}

/// Checks the form and shows what will happen, with one button to do it.
pub async fn send_review(
    State(state): State<AppState>,
    member: Member,
    form: FormData,
) -> AppResult<Response> {
    let mut input = read_send(&state, &member, &form).await?;
    let available = input.sender.available();
    if let Some(amount) = input.form.amount
        && amount > available
    {
        input.form.errors.add(
            "amount",
            messages::over_send_limit(&format_amount(
                available.max(0),
                &member.space.currency_name,
            )),
        );
    }
    let (Some(recipient), Some(amount), true) = (
        &input.recipient,
        input.form.amount,
        input.form.errors.is_empty(),
    ) else {
        return invalid(&send_page(&state, &member, input).await?);
    };
    let slug = &member.space.slug;
    let draft = draft_query(&input.form);
    let recipient = chosen_view(slug, recipient, &draft);
    page(&ConfirmSendPage {
        layout: member.layout(messages::TITLE_CHECK_AND_SEND),
        slug: slug.clone(),
        change_href: recipient.href.clone(),
        recipient,
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
        return invalid(&send_page(&state, &member, input).await?);
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
    let reason = match state.payments.pay(&payment).await? {
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
    invalid(&send_page(&state, &member, input).await?)
}
