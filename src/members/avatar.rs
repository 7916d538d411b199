//! Generated avatars (SPEC §2.1): initials on a colour derived from the member. Nothing is
//! uploaded. Drawn inline as SVG with the member's name as its accessible name; the colours
//! live in the stylesheet, each with 4.5:1 contrast for the white initials.

#[derive(Debug, Clone)]
pub struct Avatar {
    pub initials: String,
    /// A stylesheet class, avatar-0 … avatar-7.
    pub colour: String,
    pub name: String,
}

impl Avatar {
    pub fn new(membership_id: i64, name: &str) -> Self {
        let words: Vec<&str> = name.split_whitespace().collect();
        let first = words.first().and_then(|w| w.chars().next());
        let last = if words.len() > 1 {
            words.last().and_then(|w| w.chars().next())
        } else {
            None
        };
        let initials: String = first
            .into_iter()
            .chain(last)
            .flat_map(char::to_uppercase)
            .collect();
        // A small integer hash, stable across releases (not std's randomised hasher).
        let hash = (membership_id as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 61;
        Self {
            initials: if initials.is_empty() {
                "?".to_owned()
            } else {
                initials
            },
            colour: format!("avatar-{hash}"),
            name: name.to_owned(),
        }
    }
}
