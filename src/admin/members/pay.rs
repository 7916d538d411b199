//! A payment recorded by an admin for a member who cannot use the app: it leaves the
//! member's account with the admin named on the transfer, once per form, and is audited in
//! the same transaction.

use axum::extract::State;
use axum::response::Response;
use serde_json::json;
use uuid::Uuid;

use super::views::MemberForms;
use super::{MEMO_MAX, back, member_page};
use crate::ledger::model::{Code, Outcome, Reason};
use crate::ledger::money::{format_number, parse_amount};
use crate::ledger::{self, MemberPayment};
use crate::messages;
use crate::spaces::model::MembershipId;
use crate::web::error::{AppError, AppResult};
use crate::web::extract::{Admin, ClientIp, PathId};
use crate::web::form::FormData;
use crate::web::html::invalid;
use crate::web::state::AppState;

/// Records a payment by this member, for one who cannot use the app; the admin is named on
/// the transfer, and the form's id makes a double submit pay once.
pub async fn record_payment(
    State(state): State<AppState>,
    admin: Admin,
    ip: ClientIp,
    PathId(id): PathId,
    form: FormData,
) -> AppResult<Response> {
    let id = MembershipId(id);
    let mut errors = form.errors();
    let forms = MemberForms {
        pay_id: form.text("id").to_owned(),
        pay_to: form.text("to").to_owned(),
        pay_amount: form.text("amount").trim().to_owned(),
        pay_memo: form.text("memo").trim().to_owned(),
        ..MemberForms::default()
    };
    let pay_id = Uuid::parse_str(&forms.pay_id).ok();
    if pay_id.is_none() {
        errors.add("amount", messages::PAYMENT_FORM_EXPIRED);
    }
    let to = forms
        .pay_to
        .parse::<i64>()
        .ok()
        .map(MembershipId)
        .filter(|to| *to != id);
    if to.is_none() {
        errors.add("to", messages::CHOOSE_ACTIVE_MEMBER);
    }
    let amount = parse_amount(&forms.pay_amount)
        .map_err(|e| errors.add("amount", e.message()))
        .ok();
    if forms.pay_memo.chars().count() > MEMO_MAX {
        errors.add(
            "memo",
            messages::too_long(messages::LABEL_WHAT_FOR, MEMO_MAX),
        );
    }
    if let (Some(pay_id), Some(to), Some(amount), true) = (pay_id, to, amount, errors.is_empty()) {
        let payment = MemberPayment {
            id: pay_id,
            space: admin.space.id,
            from: id,
            to,
            amount,
            code: Code::Gift,
            memo: &forms.pay_memo,
            by: Some(admin.person.id),
        };
        // The payment and its audit record stand or fall together.
        let mut tx = state.db.begin().await?;
        let outcome = ledger::pay_member(&mut *tx, &payment).await?;
        if let Outcome::Applied(_) = outcome {
            let detail = json!({
                "from": id,
                "to": to,
                "amount": format_number(amount),
                "memo": forms.pay_memo,
            });
            admin
                .actor(&ip)
                .record(
                    &mut *tx,
                    "ledger.payment_recorded",
                    &format!("transfer:{pay_id}"),
                    detail,
                )
                .await?;
        }
        tx.commit().await?;
        match outcome {
            Outcome::Applied(_) | Outcome::Duplicate(_) => {
                return Ok(back(&admin, id, "payment-recorded"));
            }
            Outcome::Conflict => {
                return Err(AppError::Conflict(messages::SEND_FORM_REUSED.to_owned()));
            }
            Outcome::Rejected(Reason::InsufficientFunds) => {
                errors.add("amount", messages::OVER_LIMIT_OF_MEMBER);
            }
            Outcome::Rejected(Reason::MemberNotActive) => {
                errors.add("to", messages::CHOOSE_ACTIVE_MEMBER);
            }
            Outcome::Rejected(other) => errors.add("amount", other.message()),
        }
    }
    // A refused id stays refused; a new attempt needs a new id.
    let forms = MemberForms {
        pay_id: String::new(),
        ..forms
    };
    invalid(&member_page(&state, &admin, id, forms, errors).await?)
}
