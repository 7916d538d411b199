//! Your skills (add, edit, remove) and the directory that finds the right neighbour.

use axum::extract::State;
use axum::http::Uri;
use axum::response::{IntoResponse, Redirect, Response};

use crate::ledger::views::Choice;
use crate::members::avatar::Avatar;
use crate::members::handlers::skill_view;
use crate::members::model::Presence;
use crate::skills::db::{self, Saved, Search};
use crate::skills::model::{Category, Level};
use crate::skills::views::{Card, DirectoryPage, EditSkillPage, RemoveSkillPage, SkillsPage};
use crate::web::error::{AppError, AppResult};
use crate::web::extract::{Member, PathId};
use crate::web::form::{Errors, FormData, encode_query};
use crate::web::html::{invalid, page};
use crate::web::state::AppState;

const PAGE_SIZE: i64 = 20;
const CARD_SKILLS: usize = 4;

/// Categories offered for a skill: the active ones, plus the skill's own if retired.
fn category_choices(categories: &[Category], chosen: &str, keep: Option<i64>) -> Vec<Choice> {
    std::iter::once(Choice {
        value: String::new(),
        label: "Choose a category".to_owned(),
        selected: chosen.is_empty(),
    })
    .chain(
        categories
            .iter()
            .filter(|c| !c.retired || Some(c.id) == keep)
            .map(|c| Choice {
                value: c.id.to_string(),
                label: if c.retired {
                    format!("{} (retired)", c.name)
                } else {
                    c.name.clone()
                },
                selected: c.id.to_string() == chosen,
            }),
    )
    .collect()
}

fn level_choices(chosen: &str, blank: Option<&str>) -> Vec<Choice> {
    blank
        .map(|b| Choice {
            value: String::new(),
            label: b.to_owned(),
            selected: chosen.is_empty(),
        })
        .into_iter()
        .chain(Level::ALL.iter().map(|l| Choice {
            value: l.as_str().to_owned(),
            label: l.label().to_owned(),
            selected: l.as_str() == chosen,
        }))
        .collect()
}

/// A skill form, checked: (category id, name, level, note).
struct SkillInput {
    category: Option<i64>,
    name: String,
    level: Option<&'static str>,
    note: String,
    errors: Errors,
}

fn read_skill(form: &FormData, categories: &[Category], keep: Option<i64>) -> SkillInput {
    let mut errors = form.errors();
    let name = errors.required(
        form,
        "name",
        80,
        "Enter the skill, like \"logo design\" or \"tax returns\"",
    );
    let category = form.text("category").parse::<i64>().ok().filter(|id| {
        categories
            .iter()
            .any(|c| c.id == *id && (!c.retired || Some(*id) == keep))
    });
    if category.is_none() {
        errors.add("category", "Choose a category from the list");
    }
    let level = errors.choice(form, "level", &["learning", "practised", "expert"]);
    let note = errors.optional(form, "note", 200);
    SkillInput {
        category,
        name,
        level,
        note,
        errors,
    }
}

async fn skills_page(
    state: &AppState,
    member: &Member,
    input: Option<(&FormData, SkillInput)>,
) -> AppResult<SkillsPage> {
    let categories = db::categories(&state.db, member.space.id).await?;
    let skills = db::skills_of(&state.db, member.space.id, &[member.membership.id.0]).await?;
    let (category, level, name, note, errors) = match input {
        Some((form, i)) => (
            form.text("category").to_owned(),
            form.text("level").to_owned(),
            i.name,
            i.note,
            i.errors,
        ),
        None => (
            String::new(),
            "practised".to_owned(),
            String::new(),
            String::new(),
            Errors::default(),
        ),
    };
    Ok(SkillsPage {
        layout: member.layout("Your skills"),
        slug: member.space.slug.clone(),
        skills: skills.iter().map(skill_view).collect(),
        categories: category_choices(&categories, &category, None),
        levels: level_choices(&level, None),
        skill_name: name,
        note,
        errors,
    })
}

pub async fn list(State(state): State<AppState>, member: Member) -> AppResult<Response> {
    page(&skills_page(&state, &member, None).await?)
}

pub async fn add(
    State(state): State<AppState>,
    member: Member,
    form: FormData,
) -> AppResult<Response> {
    let categories = db::categories(&state.db, member.space.id).await?;
    let mut input = read_skill(&form, &categories, None);
    if let (Some(category), Some(level), true) =
        (input.category, input.level, input.errors.is_empty())
    {
        let saved = db::add_skill(
            &state.db,
            member.space.id,
            member.membership.id,
            category,
            &input.name,
            level,
            &input.note,
        )
        .await?;
        if let Some(done) = after_save(saved, &member, "skill-added", &mut input.errors) {
            return Ok(done);
        }
    }
    invalid(&skills_page(&state, &member, Some((&form, input))).await?)
}

/// Back to the list once saved; otherwise the reason goes on the form.
fn after_save(
    saved: Saved,
    member: &Member,
    flash: &'static str,
    errors: &mut Errors,
) -> Option<Response> {
    match saved {
        Saved::Done => {
            member.ctx.flash(flash);
            Some(Redirect::to(&format!("/s/{}/profile/skills", member.space.slug)).into_response())
        }
        Saved::Duplicate => {
            errors.add("name", "You already list a skill with that name");
            None
        }
        Saved::NotFound => {
            errors.add("category", "Choose a category from the list");
            None
        }
    }
}

async fn own_skill(
    state: &AppState,
    member: &Member,
    id: i64,
) -> AppResult<crate::skills::model::Skill> {
    db::skills_of(&state.db, member.space.id, &[member.membership.id.0])
        .await?
        .into_iter()
        .find(|s| s.id == id)
        .ok_or(AppError::NotFound)
}

pub async fn edit_form(
    State(state): State<AppState>,
    member: Member,
    PathId(id): PathId,
) -> AppResult<Response> {
    let skill = own_skill(&state, &member, id).await?;
    let categories = db::categories(&state.db, member.space.id).await?;
    page(&EditSkillPage {
        layout: member.layout(format!("Edit {}", skill.name)),
        slug: member.space.slug.clone(),
        id,
        categories: category_choices(
            &categories,
            &skill.category_id.to_string(),
            Some(skill.category_id),
        ),
        levels: level_choices(&skill.level, None),
        skill_name: skill.name,
        note: skill.note,
        errors: Errors::default(),
    })
}

pub async fn save(
    State(state): State<AppState>,
    member: Member,
    PathId(id): PathId,
    form: FormData,
) -> AppResult<Response> {
    let skill = own_skill(&state, &member, id).await?;
    let categories = db::categories(&state.db, member.space.id).await?;
    let mut input = read_skill(&form, &categories, Some(skill.category_id));
    if let (Some(category), Some(level), true) =
        (input.category, input.level, input.errors.is_empty())
    {
        let saved = db::update_skill(
            &state.db,
            member.space.id,
            member.membership.id,
            id,
            category,
            &input.name,
            level,
            &input.note,
        )
        .await?;
        if let Some(done) = after_save(saved, &member, "skill-saved", &mut input.errors) {
            return Ok(done);
        }
    }
    invalid(&EditSkillPage {
        layout: member.layout(format!("Edit {}", skill.name)),
        slug: member.space.slug.clone(),
        id,
        categories: category_choices(&categories, form.text("category"), Some(skill.category_id)),
        levels: level_choices(form.text("level"), None),
        skill_name: input.name,
        note: input.note,
        errors: input.errors,
    })
}

pub async fn remove_form(
    State(state): State<AppState>,
    member: Member,
    PathId(id): PathId,
) -> AppResult<Response> {
    let skill = own_skill(&state, &member, id).await?;
    page(&RemoveSkillPage {
        layout: member.layout(format!("Remove {}", skill.name)),
        slug: member.space.slug.clone(),
        skill: skill_view(&skill),
    })
}

pub async fn remove(
    State(state): State<AppState>,
    member: Member,
    PathId(id): PathId,
) -> AppResult<Response> {
    if !db::delete_skill(&state.db, member.space.id, member.membership.id, id).await? {
        return Err(AppError::NotFound);
    }
    member.ctx.flash("skill-removed");
    Ok(Redirect::to(&format!("/s/{}/profile/skills", member.space.slug)).into_response())
}

/// The directory: who can help, found by words (typos forgiven) and filters, all in the URL.
pub async fn directory(
    State(state): State<AppState>,
    member: Member,
    uri: Uri,
) -> AppResult<Response> {
    let params = FormData::parse(uri.query().unwrap_or("").as_bytes());
    let mut errors = params.errors();
    let q = params.text("q").trim().to_owned();
    if q.chars().count() > 200 {
        errors.add("q", "Search for at most 200 characters");
    }
    let categories = db::categories(&state.db, member.space.id).await?;
    let category_raw = params.text("category").to_owned();
    let category = match category_raw.as_str() {
        "" => None,
        raw => match raw
            .parse::<i64>()
            .ok()
            .filter(|id| categories.iter().any(|c| c.id == *id))
        {
            Some(id) => Some(id),
            None => {
                errors.add("category", "Choose a category from the list");
                None
            }
        },
    };
    let level_raw = params.text("level").to_owned();
    let level = match level_raw.as_str() {
        "" => None,
        raw => match Level::parse(raw) {
            Some(l) => Some(l.as_str().to_owned()),
            None => {
                errors.add("level", "Choose a level from the list");
                None
            }
        },
    };
    let presence_raw = params.text("presence").to_owned();
    let presence = match presence_raw.as_str() {
        "" => None,
        raw => match Presence::parse(raw) {
            Some(p) => Some(p.as_str().to_owned()),
            None => {
                errors.add("presence", "Choose who to show from the list");
                None
            }
        },
    };
    let here = params.get("here") == Some("1");
    let sort = match params.text("sort") {
        "kudos" => "kudos",
        "newest" => "newest",
        "relevance" => "relevance",
        _ if q.is_empty() => "newest",
        _ => "relevance",
    };
    let page_no = params
        .text("page")
        .parse::<i64>()
        .unwrap_or(1)
        .clamp(1, 10_000);
    let search = Search {
        query: if q.chars().count() > 200 {
            String::new()
        } else {
            q.clone()
        },
        // A "quoted phrase" or an excluded -word asks for precision: no fuzzy matching then.
        typos: !q.is_empty()
            && !q.contains('"')
            && !q.split_whitespace().any(|w| w.starts_with('-')),
        category,
        level,
        presence,
        here_today: here,
        sort: sort.to_owned(),
        limit: PAGE_SIZE as i32,
        offset: ((page_no - 1) * PAGE_SIZE) as i32,
    };
    let mut search = search;
    let mut page_no = page_no;
    let mut rows = db::directory(&state.db, member.space.id, &search).await?;
    if rows.is_empty() && page_no > 1 {
        // Past the end (a bookmark from a bigger result): show the last page instead.
        let count = Search {
            limit: 1,
            offset: 0,
            ..search.clone()
        };
        let total = db::directory(&state.db, member.space.id, &count)
            .await?
            .first()
            .map_or(0, |r| r.total);
        page_no = ((total + PAGE_SIZE - 1) / PAGE_SIZE).max(1);
        search.offset = ((page_no - 1) * PAGE_SIZE) as i32;
        rows = db::directory(&state.db, member.space.id, &search).await?;
    }
    let total = rows.first().map(|r| r.total).unwrap_or(0);
    let ids: Vec<i64> = rows.iter().map(|r| r.membership_id).collect();
    let skills = db::skills_of(&state.db, member.space.id, &ids).await?;
    let cards = rows
        .iter()
        .map(|r| {
            let mine: Vec<_> = skills
                .iter()
                .filter(|s| s.membership_id == r.membership_id)
                .collect();
            Card {
                membership_id: r.membership_id,
                avatar: Avatar::new(r.membership_id, &r.display_name),
                display_name: r.display_name.clone(),
                headline: r.headline.clone(),
                presence: Presence::label_of(&r.presence),
                presence_class: r.presence.replace('_', "-"),
                here_today: r.here_today,
                more_skills: mine.len().saturating_sub(CARD_SKILLS),
                skills: mine.into_iter().take(CARD_SKILLS).map(skill_view).collect(),
            }
        })
        .collect();
    let here_text = if here { "1" } else { "" };
    let sort_param = if params.text("sort").is_empty() {
        ""
    } else {
        sort
    };
    let view = DirectoryPage {
        layout: member.layout(if q.is_empty() {
            "Directory".to_owned()
        } else {
            format!("Directory: {q}")
        }),
        slug: member.space.slug.clone(),
        categories: std::iter::once(Choice {
            value: String::new(),
            label: "Any category".to_owned(),
            selected: category.is_none(),
        })
        .chain(categories.iter().filter(|c| !c.retired).map(|c| Choice {
            value: c.id.to_string(),
            label: c.name.clone(),
            selected: Some(c.id) == category,
        }))
        .collect(),
        levels: level_choices(search.level.as_deref().unwrap_or(""), Some("Any level")),
        presences: std::iter::once(Choice {
            value: String::new(),
            label: "Anyone".to_owned(),
            selected: search.presence.is_none(),
        })
        .chain(Presence::ALL.iter().map(|p| Choice {
            value: p.as_str().to_owned(),
            label: p.label().to_owned(),
            selected: search.presence.as_deref() == Some(p.as_str()),
        }))
        .collect(),
        sorts: [
            ("relevance", "Best match"),
            ("kudos", "Most kudos"),
            ("newest", "Newest members"),
        ]
        .iter()
        .map(|(v, l)| Choice {
            value: (*v).to_owned(),
            label: (*l).to_owned(),
            selected: *v == sort,
        })
        .collect(),
        here,
        filtered: !q.is_empty()
            || search.category.is_some()
            || search.level.is_some()
            || search.presence.is_some()
            || here,
        cards,
        total,
        page: page_no,
        pages: ((total + PAGE_SIZE - 1) / PAGE_SIZE).max(1),
        query: encode_query(&[
            ("q", &q),
            ("category", &category_raw),
            ("level", &level_raw),
            ("presence", &presence_raw),
            ("here", here_text),
            ("sort", sort_param),
        ]),
        q,
        errors,
    };
    if view.errors.is_empty() {
        page(&view)
    } else {
        invalid(&view)
    }
}
