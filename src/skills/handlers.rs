//! Your skills: add, edit, remove. Only their owner can name them.

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};

use crate::messages;
use crate::skills::db::{self, Saved};
use crate::skills::model::{Category, CategoryId, Level, Skill, SkillId};
use crate::skills::views::{
    EditSkillPage, RemoveSkillPage, SkillView, SkillsPage, category_choices,
};
use crate::web::error::{AppError, AppResult};
use crate::web::extract::{Member, MemberOrApplicant, PathId};
use crate::web::form::{Errors, FormData};
use crate::web::html::{Choices, invalid, page};
use crate::web::state::AppState;

/// A skill form, checked: (category id, name, level, note).
struct SkillInput {
    category: Option<CategoryId>,
    name: String,
    level: Option<Level>,
    note: String,
    errors: Errors,
}

fn read_skill(form: &FormData, categories: &[Category], keep: Option<CategoryId>) -> SkillInput {
    let mut errors = form.errors();
    let name = errors.required(
        form,
        "name",
        messages::LABEL_SKILL,
        80,
        messages::ENTER_SKILL,
    );
    let category = form
        .text("category")
        .parse::<i64>()
        .ok()
        .map(CategoryId)
        .filter(|id| {
            categories
                .iter()
                .any(|c| c.id == *id && (!c.retired || Some(*id) == keep))
        });
    if category.is_none() {
        errors.add("category", messages::CHOOSE_CATEGORY);
    }
    let level = errors.choice(form, "level");
    let note = errors.optional(form, "note", messages::LABEL_NOTE, 200);
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
    let skills = db::skills_of(&state.db, member.space.id, &[member.membership.id]).await?;
    let (category, level, name, note, errors) = match input {
        Some((form, i)) => (
            form.text("category").to_owned(),
            i.level,
            i.name,
            i.note,
            i.errors,
        ),
        None => (
            String::new(),
            Some(Level::Practised),
            String::new(),
            String::new(),
            Errors::default(),
        ),
    };
    Ok(SkillsPage {
        layout: member.layout(messages::TITLE_SKILLS),
        slug: member.space.slug.clone(),
        skills: skills.iter().map(SkillView::from).collect(),
        categories: category_choices(&categories, &category, None),
        levels: Level::options(level),
        skill_name: name,
        note,
        errors,
    })
}

pub async fn list(
    State(state): State<AppState>,
    MemberOrApplicant(member): MemberOrApplicant,
) -> AppResult<Response> {
    page(&skills_page(&state, &member, None).await?)
}

pub async fn add(
    State(state): State<AppState>,
    MemberOrApplicant(member): MemberOrApplicant,
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
            errors.add("name", messages::DUPLICATE_SKILL);
            None
        }
        Saved::NotFound => {
            errors.add("category", messages::CHOOSE_CATEGORY);
            None
        }
    }
}

async fn own_skill(state: &AppState, member: &Member, id: SkillId) -> AppResult<Skill> {
    db::skills_of(&state.db, member.space.id, &[member.membership.id])
        .await?
        .into_iter()
        .find(|s| s.id == id)
        .ok_or(AppError::NotFound)
}

pub async fn edit_form(
    State(state): State<AppState>,
    MemberOrApplicant(member): MemberOrApplicant,
    PathId(id): PathId,
) -> AppResult<Response> {
    let id = SkillId(id);
    let skill = own_skill(&state, &member, id).await?;
    let categories = db::categories(&state.db, member.space.id).await?;
    page(&EditSkillPage {
        layout: member.layout(messages::edit_title(&skill.name)),
        slug: member.space.slug.clone(),
        id,
        categories: category_choices(
            &categories,
            &skill.category_id.to_string(),
            Some(skill.category_id),
        ),
        levels: Level::options(Some(skill.level)),
        skill_name: skill.name,
        note: skill.note,
        errors: Errors::default(),
    })
}

pub async fn save(
    State(state): State<AppState>,
    MemberOrApplicant(member): MemberOrApplicant,
    PathId(id): PathId,
    form: FormData,
) -> AppResult<Response> {
    let id = SkillId(id);
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
        layout: member.layout(messages::edit_title(&skill.name)),
        slug: member.space.slug.clone(),
        id,
        categories: category_choices(&categories, form.text("category"), Some(skill.category_id)),
        levels: Level::options(input.level),
        skill_name: input.name,
        note: input.note,
        errors: input.errors,
    })
}

pub async fn remove_form(
    State(state): State<AppState>,
    MemberOrApplicant(member): MemberOrApplicant,
    PathId(id): PathId,
) -> AppResult<Response> {
    let id = SkillId(id);
    let skill = own_skill(&state, &member, id).await?;
    page(&RemoveSkillPage {
        layout: member.layout(messages::remove_title(&skill.name)),
        slug: member.space.slug.clone(),
        skill: SkillView::from(&skill),
    })
}

pub async fn remove(
    State(state): State<AppState>,
    MemberOrApplicant(member): MemberOrApplicant,
    PathId(id): PathId,
) -> AppResult<Response> {
    let removed = db::delete_skill(
        &state.db,
        member.space.id,
        member.membership.id,
        SkillId(id),
    );
    if !removed.await? {
        return Err(AppError::NotFound);
    }
    member.ctx.flash("skill-removed");
    Ok(Redirect::to(&format!("/s/{}/profile/skills", member.space.slug)).into_response())
}
