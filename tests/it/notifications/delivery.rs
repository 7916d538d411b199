//! Real SMTP delivery: a notification goes out with its one-click unsubscribe link
//! (RFC 8058) and a UTF-8 text body; an account email has no such link and forgets its
//! body once delivered. Each message is read back as a mail client would read it.

use mailparse::{MailHeaderMap, ParsedMail, addrparse_header, parse_mail};
use swapdesk::notify::mailer::Mailer;
use swapdesk::spaces::model::SignupMode;

use crate::helpers::TestApp;
use crate::smtp::{Delivery, FakeSmtp};

const FROM: &str = "Swapdesk <no-reply@swapdesk.test>";
const UNSUBSCRIBE: &str = "http://localhost/unsubscribe/abc";

/// The one address in a From or To header, with its display name.
fn mailbox(mail: &ParsedMail<'_>, header: &str) -> (Option<String>, String) {
    let found = mail
        .headers
        .get_first_header(header)
        .unwrap_or_else(|| panic!("no {header} header"));
    let single = addrparse_header(found)
        .unwrap()
        .extract_single_info()
        .unwrap_or_else(|| panic!("{header} holds one mailbox"));
    (single.display_name, single.addr)
}

/// The text a reader sees, line ends as they were written. lettre closes the MIME part,
/// and then the DATA, with line breaks of its own, so trailing ones are left out.
fn text_of(mail: &ParsedMail<'_>) -> String {
    let text = mail.get_body().unwrap().replace("\r\n", "\n");
    text.trim_end_matches('\n').to_owned()
}

/// The single message the server took.
fn only_delivery(smtp: &FakeSmtp) -> Delivery {
    let mut delivered = smtp.deliveries();
    assert_eq!(delivered.len(), 1, "{delivered:#?}");
    delivered.remove(0)
}

#[tokio::test]
async fn a_notification_goes_out_with_a_one_click_unsubscribe_link_and_a_utf8_body() {
    let app = TestApp::new().await;
    let smtp = FakeSmtp::start().await;
    let space = app.space("harbour", SignupMode::Open).await;
    let subject = "Ana sent you 3.00 hours for “Fixing a bike”";
    // The second line starts with a dot, which SMTP doubles on the wire and undoes.
    let body = "Ana sent you 3.00 hours for “Fixing a bike” – thank you, Bø!\n\
                ...and a note: see you Thursday.\n\n\
                Stop these emails: http://localhost/unsubscribe/abc\n";
    let id: i64 = sqlx::query_scalar(
        "insert into email_outbox (space_id, to_address, subject, body, unsubscribe_url)
         values ($1, 'bo@example.org', $2, $3, $4) returning id",
    )
    .bind(space)
    .bind(subject)
    .bind(body)
    .bind(UNSUBSCRIBE)
    .fetch_one(&app.db)
    .await
    .unwrap();

    let mailer = Mailer::new(&smtp.url, FROM).unwrap();
    assert_eq!(mailer.send_due(&app.db).await.unwrap(), 1);

    let delivery = only_delivery(&smtp);
    assert_eq!(delivery.mail_from, "no-reply@swapdesk.test");
    assert_eq!(delivery.rcpt_to, ["bo@example.org"]);
    // The server offered no 8BITMIME or SMTPUTF8, so every byte must be 7-bit.
    assert!(delivery.data.is_ascii(), "{}", delivery.data);
    // The header lines exactly as RFC 8058 spells them.
    assert!(
        delivery
            .data
            .contains("\r\nList-Unsubscribe: <http://localhost/unsubscribe/abc>\r\n"),
        "{}",
        delivery.data
    );
    assert!(
        delivery
            .data
            .contains("\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n"),
        "{}",
        delivery.data
    );

    let mail = parse_mail(delivery.data.as_bytes()).unwrap();
    assert_eq!(
        mailbox(&mail, "From"),
        (Some("Swapdesk".into()), "no-reply@swapdesk.test".into())
    );
    assert_eq!(mailbox(&mail, "To").1, "bo@example.org");
    assert_eq!(mail.headers.get_first_value("Subject").unwrap(), subject);
    assert_eq!(
        mail.headers.get_all_values("List-Unsubscribe"),
        [format!("<{UNSUBSCRIBE}>")]
    );
    assert_eq!(
        mail.headers.get_all_values("List-Unsubscribe-Post"),
        ["List-Unsubscribe=One-Click"]
    );
    assert_eq!(mail.ctype.mimetype, "text/plain");
    assert_eq!(mail.ctype.charset, "utf-8");
    assert_eq!(text_of(&mail), body.trim_end());

    let (sent, error, kept): (bool, Option<String>, String) = sqlx::query_as(
        "select sent_at is not null, last_error, body from email_outbox where id = $1",
    )
    .bind(id)
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert!(sent, "marked sent");
    assert_eq!(error, None);
    assert_eq!(
        kept, body,
        "a notification's body is kept for the admins' outbox"
    );
}

#[tokio::test]
async fn an_account_email_has_no_unsubscribe_link_and_forgets_its_body_once_sent() {
    let app = TestApp::new().await;
    let smtp = FakeSmtp::start().await;
    let body = "Choose a new password here: http://localhost/reset/secret-token\n";
    let id = swapdesk::notify::db::enqueue(
        &app.db,
        None,
        "ana@example.org",
        "Reset your Swapdesk password",
        body,
        true,
    )
    .await
    .unwrap();

    let mailer = Mailer::new(&smtp.url, FROM).unwrap();
    assert_eq!(mailer.send_due(&app.db).await.unwrap(), 1);

    let delivery = only_delivery(&smtp);
    assert_eq!(delivery.rcpt_to, ["ana@example.org"]);
    assert!(
        !delivery.data.contains("List-Unsubscribe"),
        "{}",
        delivery.data
    );
    let mail = parse_mail(delivery.data.as_bytes()).unwrap();
    assert_eq!(
        mailbox(&mail, "From").1,
        "no-reply@swapdesk.test",
        "the configured sender"
    );
    assert_eq!(
        mail.headers.get_first_value("Subject").unwrap(),
        "Reset your Swapdesk password"
    );
    assert_eq!(
        text_of(&mail),
        body.trim_end(),
        "the link reached its reader"
    );

    let (sent, kept): (bool, String) =
        sqlx::query_as("select sent_at is not null, body from email_outbox where id = $1")
            .bind(id)
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert!(sent, "marked sent");
    assert_eq!(kept, "", "no copy of the link is kept");
}

#[tokio::test]
async fn an_unsubscribe_link_no_header_can_carry_holds_the_email_back() {
    let app = TestApp::new().await;
    let smtp = FakeSmtp::start().await;
    // A line break would let the link write headers of its own (a Bcc, say).
    let id: i64 = sqlx::query_scalar(
        "insert into email_outbox (to_address, subject, body, unsubscribe_url)
         values ('bo@example.org', 'Hello', 'News', $1) returning id",
    )
    .bind("http://localhost/unsubscribe/abc\r\nBcc: eve@example.org")
    .fetch_one(&app.db)
    .await
    .unwrap();

    let mailer = Mailer::new(&smtp.url, FROM).unwrap();
    assert_eq!(mailer.send_due(&app.db).await.unwrap(), 0);

    assert!(smtp.deliveries().is_empty(), "nothing went out without it");
    let (sent, error): (bool, Option<String>) =
        sqlx::query_as("select sent_at is not null, last_error from email_outbox where id = $1")
            .bind(id)
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert!(!sent);
    let error = error.expect("the failure is recorded for the admins' outbox");
    assert!(error.contains("unsubscribe link"), "{error}");
    assert!(
        !error.contains("abc"),
        "the member's token stays out of it: {error}"
    );
}
