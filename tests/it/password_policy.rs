//! The password policy (SPEC §8.1).

use swapdesk::auth::password::{self, policy_problem};

const EMAIL: &str = "ana.ferreira@example.org";
const NAME: &str = "Ana Ferreira";

/// The reason the policy gives for refusing `password` to Ana Ferreira.
fn refusal(password: &str) -> &'static str {
    policy_problem(password, EMAIL, NAME).unwrap()
}

#[test]
fn an_empty_or_short_password_is_refused() {
    assert!(refusal("").contains("Enter"));
    assert!(refusal("short pass").contains("12 characters"));
}

#[test]
fn common_passwords_are_refused() {
    for common in [
        "password1234",
        "Password1234!",
        "qwertyuiop123",
        "123456789012",
        "iloveyou2024!",
        "aaaaaaaaaaaaaa",
        "abcdefghijklm",
    ] {
        assert!(refusal(common).contains("too common"), "{common}");
    }
}

#[test]
fn a_password_made_of_the_email_or_name_is_refused() {
    assert!(refusal("ana.ferreira rocks").contains("email address or name"));
    assert!(refusal("AnaFerreira-2026").contains("email address or name"));
}

#[test]
fn an_over_long_password_is_refused() {
    assert!(refusal(&"x1".repeat(65)).contains("at most 128"));
}

#[test]
fn long_uncommon_passwords_are_accepted() {
    let email = "ana@example.org";
    for good in [
        "correct horse staple battery",
        "plenty of words here",
        "Tr0ub4dor&3-extended",
        "harbour-works-demo",
    ] {
        assert_eq!(policy_problem(good, email, "Ana"), None, "{good}");
    }
}

fn gate() -> swapdesk::web::gate::CpuGate {
    swapdesk::web::gate::CpuGate::for_this_machine()
}

#[tokio::test]
async fn hashes_made_by_the_argon2_crate_still_verify() {
    use argon2::password_hash::PasswordHasher;
    // Every hash stored so far was made by the argon2 crate itself.
    let theirs = argon2::Argon2::default()
        .hash_password(b"correct horse staple battery")
        .unwrap()
        .to_string();
    assert!(
        password::verify(&gate(), "correct horse staple battery", Some(&theirs))
            .await
            .unwrap()
    );
    assert!(
        !password::verify(&gate(), "correct horse staple batterY", Some(&theirs))
            .await
            .unwrap()
    );
}

#[tokio::test]
async fn our_hashes_are_standard_argon2id_phc_strings_the_argon2_crate_accepts() {
    use argon2::password_hash::PasswordVerifier;
    let ours = password::hash(&gate(), "a long and private phrase")
        .await
        .unwrap();
    assert!(
        ours.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
        "{ours}"
    );
    let parsed = argon2::password_hash::phc::PasswordHash::new(&ours).unwrap();
    assert!(
        argon2::Argon2::default()
            .verify_password(b"a long and private phrase", &parsed)
            .is_ok()
    );
}

#[tokio::test]
async fn the_same_password_hashes_differently_each_time() {
    let gate = gate();
    let ours = password::hash(&gate, "a long and private phrase")
        .await
        .unwrap();
    assert_ne!(
        ours,
        password::hash(&gate, "a long and private phrase")
            .await
            .unwrap(),
        "a fresh salt each time"
    );
}

#[tokio::test]
async fn no_password_matches_an_account_without_a_hash() {
    assert!(!password::verify(&gate(), "anything", None).await.unwrap());
}
