//! The password policy (SPEC §8.1).

use swapdesk::auth::password::policy_problem;

#[test]
fn short_common_and_personal_passwords_are_refused() {
    let email = "ana.ferreira@example.org";
    let name = "Ana Ferreira";
    assert!(policy_problem("", email, name).unwrap().contains("Enter"));
    assert!(
        policy_problem("short pass", email, name)
            .unwrap()
            .contains("12 characters")
    );
    for common in [
        "password1234",
        "Password1234!",
        "qwertyuiop123",
        "123456789012",
        "iloveyou2024!",
        "aaaaaaaaaaaaaa",
        "abcdefghijklm",
    ] {
        assert!(
            policy_problem(common, email, name)
                .unwrap()
                .contains("too common"),
            "{common}"
        );
    }
    assert!(
        policy_problem("ana.ferreira rocks", email, name)
            .unwrap()
            .contains("email address or name")
    );
    assert!(
        policy_problem("AnaFerreira-2026", email, name)
            .unwrap()
            .contains("email address or name")
    );
    assert!(
        policy_problem(&"x1".repeat(65), email, name)
            .unwrap()
            .contains("at most 128")
    );
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
