//! The rule table on its own (pure): every state × action × viewer × request to cancel ×
//! overdue decides exactly as SPEC §3.3a says, and every refusal says why.

use swapdesk::trades::model::{Action, TradeState};
use swapdesk::trades::rules::{self, Facts, Step};
use swapdesk::web::html::Choices;

use super::table::{self, Role};

/// Every combination the rules can be asked about.
fn combinations() -> Vec<(Facts, Role, Action)> {
    let mut all = Vec::new();
    for &state in TradeState::ALL {
        for cancel_requested in [false, true] {
            for overdue in [false, true] {
                let facts = Facts {
                    state,
                    cancel_requested,
                    overdue,
                };
                for role in Role::ALL {
                    for &action in Action::ALL {
                        all.push((facts, role, action));
                    }
                }
            }
        }
    }
    all
}

/// Whether a refusal's words say why: who may act instead when the action exists now but
/// for someone else; the unmet condition when it exists in this state only under one; the
/// state when the action has no place in it.
fn says_why(f: Facts, action: Action, why: &str) -> Result<(), String> {
    if why.trim().is_empty() {
        return Err("the refusal is empty".to_owned());
    }
    let in_state: Vec<_> = table::rows_for(f.state, action).collect();
    let now: Vec<_> = in_state
        .iter()
        .filter(|r| table::applies(r.when, f.cancel_requested, f.overdue))
        .collect();
    let wanted: Vec<&str> = if let Some(r) = now.first() {
        vec![table::who_words(r.who)]
    } else if let Some(r) = in_state.first() {
        vec![table::when_words(r.when), table::who_words(r.who)]
    } else {
        vec![f.state.as_str()]
    };
    if wanted.iter().any(|w| why.contains(w)) {
        Ok(())
    } else {
        Err(format!("{why:?} says none of {wanted:?}"))
    }
}

#[test]
fn every_combination_of_state_action_viewer_and_facts_decides_as_the_spec_table_says() {
    let mut allowed = 0;
    let mut refused = 0;
    for (facts, role, action) in combinations() {
        let expected = table::allowed(
            facts.state,
            action,
            role,
            facts.cancel_requested,
            facts.overdue,
        );
        let got = rules::decide(facts, role.viewer(), action);
        match (expected, got) {
            (Some(row), Ok(step)) => {
                assert_eq!(
                    step,
                    Step {
                        next: row.next,
                        money: row.money
                    },
                    "{facts:?} {role:?} {action:?}"
                );
                allowed += 1;
            }
            (None, Err(why)) => {
                if let Err(problem) = says_why(facts, action, &why) {
                    panic!("{facts:?} {role:?} {action:?}: {problem}");
                }
                refused += 1;
            }
            (Some(_), Err(why)) => panic!("{facts:?} {role:?} {action:?} was refused: {why}"),
            (None, Ok(step)) => panic!("{facts:?} {role:?} {action:?} was let through: {step:?}"),
        }
    }
    assert_eq!(allowed + refused, 8 * 13 * 6 * 2 * 2);
    // Each row of the table, for the one or two viewers it names, under the facts it needs.
    assert!(allowed > table::ROWS.len(), "{allowed} allowed");
    eprintln!("rule table: {allowed} allowed and {refused} refused combinations checked");
}

#[test]
fn every_row_of_the_spec_table_is_open_to_someone() {
    for row in table::ROWS {
        let open = combinations().into_iter().any(|(f, role, action)| {
            f.state == row.state
                && action == row.action
                && rules::decide(f, role.viewer(), action).is_ok()
        });
        assert!(open, "nobody can {:?} a {:?} trade", row.action, row.state);
    }
}

#[test]
fn a_trade_page_offers_exactly_the_actions_the_table_allows() {
    for (facts, role, _) in combinations()
        .into_iter()
        .filter(|(_, _, a)| *a == Action::Accept)
    {
        let expected: Vec<Action> = Action::ALL
            .iter()
            .copied()
            .filter(|&a| {
                table::allowed(facts.state, a, role, facts.cancel_requested, facts.overdue)
                    .is_some()
            })
            .collect();
        assert_eq!(
            rules::available(facts, role.viewer()),
            expected,
            "{facts:?} {role:?}"
        );
    }
}
