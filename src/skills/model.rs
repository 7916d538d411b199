//! Skills and their categories (SPEC §2.2).

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Learning,
    Practised,
    Expert,
}

impl Level {
    pub const ALL: [Level; 3] = [Level::Learning, Level::Practised, Level::Expert];

    pub fn as_str(self) -> &'static str {
        match self {
            Level::Learning => "learning",
            Level::Practised => "practised",
            Level::Expert => "expert",
        }
    }

    pub fn parse(s: &str) -> Option<Level> {
        Level::ALL.into_iter().find(|l| l.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Level::Learning => "Learning",
            Level::Practised => "Practised",
            Level::Expert => "Expert",
        }
    }

    pub fn label_of(s: &str) -> &'static str {
        Level::parse(s).map(Level::label).unwrap_or("")
    }
}

#[derive(Debug, Clone)]
pub struct Category {
    pub id: i64,
    pub name: String,
    pub retired: bool,
}

#[derive(Debug, Clone)]
pub struct Skill {
    pub id: i64,
    pub membership_id: i64,
    pub name: String,
    pub category_id: i64,
    pub category: String,
    pub level: String,
    pub note: String,
}

/// One member as the directory lists them.
#[derive(Debug, Clone)]
pub struct DirectoryRow {
    pub membership_id: i64,
    pub display_name: String,
    pub headline: String,
    pub presence: String,
    pub here_today: bool,
    pub kudos_count: i32,
    pub member_since: time::OffsetDateTime,
    pub rank: f32,
    pub total: i64,
}
