//! The import's refusals: bad files come back on the form with why (422, never a 500);
//! an upload without its token is refused (403) as any form is; one too large gets a 413
//! page; members and other spaces' admins cannot import. Each refusal writes nothing.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use swapdesk::spaces::model::{Role, SignupMode, Status};

use super::{CONFIRM, FORM, content_type, harbour, multipart, upload, written};
use crate::helpers::TestApp;

#[tokio::test]
async fn bad_files_come_back_on_the_form_with_what_is_wrong() {
    let (app, mut admin) = harbour().await;
    let mut too_many = String::from("name,email\n");
    for i in 0..5_001 {
        too_many.push_str(&format!("Person {i},p{i}@example.org\n"));
    }
    let mut over_1mb = String::from("name,email\n");
    while over_1mb.len() <= 1024 * 1024 {
        over_1mb.push_str("Padded Person,padded@example.org\n");
    }
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("an empty file", Vec::new(), "The file is empty"),
        ("blank lines", b"\n\n  \n".to_vec(), "The file is empty"),
        (
            "wrong columns",
            b"first,last,mail\nBea,Smith,bea@example.org\n".to_vec(),
            "The first line must name the columns name,email,credit_limit",
        ),
        (
            "Latin-1, not UTF-8",
            b"name,email\nJos\xe9,jose@example.org\n".to_vec(),
            "wrong encoding",
        ),
        (
            "a header only",
            b"\xef\xbb\xbfname,email,credit_limit\r\n".to_vec(),
            "a header line but nobody in it",
        ),
        (
            "more than 5,000 rows",
            too_many.into_bytes(),
            "Up to 5,000 rows are accepted",
        ),
        ("over 1 MB", over_1mb.into_bytes(), "larger than 1 MB"),
    ];
    for (what, file, why) in cases {
        let page = upload(&mut admin, &file).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{what}");
        assert!(page.has(why), "{what}: {}", page.body);
        assert!(page.title().starts_with("Error: "), "{what}");
        assert!(page.has("type=\"file\""), "{what}: the form is shown again");
    }
    // No file chosen at all: the browser sends an empty part without a file name.
    admin.get(FORM).await;
    let token = admin.csrf.clone().unwrap();
    let body = multipart(&[("csrf", None, token.as_bytes()), ("file", Some(""), b"")]);
    let none = admin.post_bytes(FORM, body, &content_type()).await;
    assert_eq!(none.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(none.has("Choose a CSV file to upload"));
    // Not multipart at all, but with the token: refused without a 500.
    let plain = admin.post(FORM, &[("file", "name,email")]).await;
    assert_eq!(plain.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(written(&app).await, (0, 0, 0));
}

#[tokio::test]
async fn up_to_5000_rows_are_accepted() {
    let (app, mut admin) = harbour().await;
    let mut csv = String::from("name,email\n");
    for i in 0..5_000 {
        csv.push_str(&format!("Person {i},p{i}@example.org\n"));
    }
    let preview = upload(&mut admin, csv.as_bytes()).await;
    assert_eq!(preview.status, StatusCode::OK);
    assert!(preview.has("Send 5000 invitations"));
    assert_eq!(written(&app).await, (0, 0, 0));
}

#[tokio::test]
async fn an_upload_without_a_valid_token_is_refused_and_writes_nothing() {
    let (app, mut admin) = harbour().await;
    let csv: &[u8] = b"name,email\nCarl,carl@example.org\n";
    admin.get(FORM).await;
    let token = admin.csrf.clone().unwrap();
    let refusals = [
        multipart(&[("file", Some("people.csv"), csv)]),
        multipart(&[("csrf", None, b"forged"), ("file", Some("people.csv"), csv)]),
        multipart(&[("csrf", None, b""), ("file", Some("people.csv"), csv)]),
    ];
    for body in refusals {
        let page = admin.post_bytes(FORM, body, &content_type()).await;
        assert_eq!(page.status, StatusCode::FORBIDDEN);
        assert!(page.has("did not come from this site"));
    }
    // A body that is not well-formed multipart carries no token either.
    let garbled = admin
        .post_bytes(FORM, b"--nonsense".to_vec(), &content_type())
        .await;
    assert_eq!(garbled.status, StatusCode::FORBIDDEN);
    // The confirmation too, with a good digest but no token.
    let body = multipart(&[("digest", None, b"x"), ("csv", None, csv)]);
    let confirm = admin.post_bytes(CONFIRM, body, &content_type()).await;
    assert_eq!(confirm.status, StatusCode::FORBIDDEN);

    // A stranger without a session, with the admin's token copied: no.
    let mut stranger = app.browser();
    stranger.get("/signin").await;
    let body = multipart(&[
        ("csrf", None, token.as_bytes()),
        ("file", Some("people.csv"), csv),
    ]);
    let page = stranger.post_bytes(FORM, body, &content_type()).await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    // With their own (anonymous) token they pass the CSRF check and meet sign-in.
    let own = stranger.csrf.clone().unwrap();
    let body = multipart(&[
        ("csrf", None, own.as_bytes()),
        ("file", Some("people.csv"), csv),
    ]);
    let page = stranger.post_bytes(FORM, body, &content_type()).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert!(page.location().starts_with("/signin"));
    assert_eq!(written(&app).await, (0, 0, 0));
}

#[tokio::test]
async fn an_upload_over_the_limit_gets_a_413_page() {
    let (app, mut admin) = harbour().await;
    admin.get(FORM).await;
    let token = admin.csrf.clone().unwrap();
    let file = vec![b'a'; 2 * 1024 * 1024];
    let body = multipart(&[
        ("csrf", None, token.as_bytes()),
        ("file", Some("people.csv"), &file),
    ]);
    // Sent without a length, it is cut off at the limit as it is read.
    let read = admin.post_bytes(FORM, body.clone(), &content_type()).await;
    assert_eq!(read.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(read.has("larger than 1 MB") && read.has("<html"));
    // Announced by its Content-Length, it is refused before a byte is read.
    let announced = Request::builder()
        .method(Method::POST)
        .uri(FORM)
        .header(header::CONTENT_TYPE, content_type())
        .header(header::CONTENT_LENGTH, body.len())
        .body(Body::from(body))
        .unwrap();
    let page = admin.send(announced).await;
    assert_eq!(page.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(page.has("larger than 1 MB"));
    // An ordinary form keeps its own, smaller limit, even sent as multipart.
    let big = vec![b'a'; 100 * 1024];
    let body = multipart(&[("csrf", None, token.as_bytes()), ("note", None, &big)]);
    let form = admin
        .post_bytes("/s/harbour/admin/invitations", body, &content_type())
        .await;
    assert_eq!(form.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(!form.has("1 MB"));
    assert_eq!(written(&app).await, (0, 0, 0));
}

#[tokio::test]
async fn members_and_other_spaces_admins_cannot_import() {
    let (app, _) = harbour().await;
    let other = app.space("other", SignupMode::Open).await;
    app.member(other, "rival@example.org", Role::Admin, Status::Active)
        .await;
    let csv: &[u8] = b"name,email\nCarl,carl@example.org\n";
    for email in ["bea@example.org", "rival@example.org"] {
        let mut browser = app.signed_in(email).await;
        let form = browser.get(FORM).await;
        assert!(
            matches!(form.status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND),
            "{email}: {}",
            form.status
        );
        // Their own session's token passes the CSRF check; the role check refuses.
        let token = browser.csrf.clone().unwrap();
        for path in [FORM, CONFIRM] {
            let body = multipart(&[
                ("csrf", None, token.as_bytes()),
                ("file", Some("people.csv"), csv),
                ("csv", None, csv),
            ]);
            let page = browser.post_bytes(path, body, &content_type()).await;
            assert!(
                matches!(page.status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND),
                "{email} {path}: {}",
                page.status
            );
        }
    }
    assert_eq!(written(&app).await, (0, 0, 0));
}

#[tokio::test]
async fn a_file_with_only_formulas_invites_nobody() {
    let app = TestApp::new().await;
    let space = app.space("harbour", SignupMode::Open).await;
    app.member(space, "admin@example.org", Role::Admin, Status::Active)
        .await;
    let mut admin = app.signed_in("admin@example.org").await;
    let csv =
        "name,email,credit_limit\n=cmd|' /C calc'!A0,x@example.org,\n@SUM(1+1),y@example.org,\n";
    let page = upload(&mut admin, csv.as_bytes()).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.body.matches("A cell starts with =").count(), 2);
    assert!(page.has("Nobody in this file can be invited"));
    assert!(!page.has("import/confirm"));
    assert_eq!(written(&app).await, (0, 0, 0));
}
