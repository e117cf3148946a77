//! 管理后台 · 用户: search by phone or name; each user with their roles, and for organizers
//! what they run (`assignments.rs`).

use super::assignments::AssignmentsEditor;
use crate::{
    account::{field_error_msg, general_error_msg, role_msg},
    api::{self, ApiError},
    components::{
        choice_list::{Choice, ChoiceList},
        field::FormMessage,
        role_tags::RoleTags,
    },
    i18n::{Msg, use_i18n},
    state::session::use_session,
};
use domain::{Role, account::UserSummary};
use leptos::{ev::SubmitEvent, prelude::*};

/// The text for a failed admin request: a field code when the server named one.
pub(super) fn admin_error_msg(error: &ApiError) -> Msg {
    match error.field_error() {
        Some((field, code)) => field_error_msg(field, code),
        None => general_error_msg(error, Msg::AdminNeedsNetwork),
    }
}

/// Roles as the choice values the checkboxes use, and back.
fn role_values(roles: &[Role]) -> Vec<String> {
    roles.iter().map(|r| r.as_str().to_owned()).collect()
}

fn roles_from(values: &[String]) -> Vec<Role> {
    let mut roles: Vec<Role> = values.iter().filter_map(|v| Role::parse(v)).collect();
    domain::sort::sort(&mut roles);
    roles.dedup();
    roles
}

/// Where a search stands.
#[derive(Debug, Clone, PartialEq)]
enum Found {
    Loading,
    Users(Vec<UserSummary>),
    Failed(Msg),
}

/// Search by phone or name; each user with their roles and, for organizers, what they run.
#[component]
pub(super) fn UsersPanel() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let query = RwSignal::new(String::new());
    let found = RwSignal::new(Found::Loading);
    // Answers can arrive out of order; only the newest search's answer is shown.
    let latest = StoredValue::new(0u32);

    let search = move || {
        let Some(token) = session.token() else {
            return;
        };
        let q = query.get_untracked();
        latest.update_value(|n| *n += 1);
        let this = latest.get_value();
        found.set(Found::Loading);
        leptos::task::spawn_local(async move {
            let result = session.guard(&token, api::search_users(&token, q.trim()).await);
            if latest.get_value() != this {
                return;
            }
            found.set(match result {
                Ok(users) => Found::Users(users),
                Err(e) => Found::Failed(admin_error_msg(&e)),
            });
        });
    };
    // The newest accounts first, before anything is typed.
    search();

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        search();
    };
    let me = session
        .session
        .with_untracked(|s| s.as_ref().map(|s| s.user.id.clone()))
        .unwrap_or_default();
    let me = StoredValue::new(me);

    let results = move || {
        match found.get() {
        Found::Loading => view! {
            <p class="empty" aria-busy="true" data-testid="users-loading">{move || i18n.t(Msg::Loading)}</p>
        }
        .into_any(),
        Found::Failed(msg) => view! {
            <div class="banner banner-error" role="alert" data-testid="users-error">
                <span>{move || i18n.t(msg)}</span>
                <button type="button" class="button" on:click=move |_| search()>
                    {move || i18n.t(Msg::Retry)}
                </button>
            </div>
        }
        .into_any(),
        Found::Users(users) if users.is_empty() => view! {
            <p class="empty" data-testid="users-empty">{move || i18n.t(Msg::NoUsersFound)}</p>
        }
        .into_any(),
        Found::Users(users) => {
            let count = users.len().to_string();
            view! {
                <p class="hint" role="status">{move || i18n.f(Msg::UsersFound, &[&count])}</p>
                <ul class="user-list">
                    {users
                        .into_iter()
                        .map(|u| {
                            let is_me = me.with_value(|m| *m == u.id);
                            view! { <UserRow user=u is_me=is_me /> }
                        })
                        .collect_view()}
                </ul>
            }
            .into_any()
        }
    }
    };

    view! {
        <form class="search-bar" role="search" on:submit=on_submit>
            <label class="field-label" for="user-search">{move || i18n.t(Msg::UserSearchLabel)}</label>
            <div class="search-row">
                <input
                    class="input"
                    id="user-search"
                    type="search"
                    inputmode="search"
                    maxlength="64"
                    autocomplete="off"
                    prop:value=move || query.get()
                    on:input=move |ev| query.set(event_target_value(&ev))
                />
                <button type="submit" class="button button-primary">{move || i18n.t(Msg::Search)}</button>
            </div>
        </form>
        {results}
    }
}

/// What happened to the last save of a row's part.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Saved {
    Idle,
    Busy,
    Ok,
    Failed(Msg),
}

impl Saved {
    pub(super) fn error(self) -> Option<Msg> {
        match self {
            Self::Failed(m) => Some(m),
            _ => None,
        }
    }
    pub(super) fn ok(self) -> Option<Msg> {
        (self == Self::Ok).then_some(Msg::Saved)
    }
}

/// One user: who they are, their roles, and for organizers what they run.
#[component]
fn UserRow(user: UserSummary, is_me: bool) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let user_id = StoredValue::new(user.id.clone());
    let saved_roles = RwSignal::new(user.roles.clone());
    let draft = RwSignal::new(role_values(&user.roles));
    let status = RwSignal::new(Saved::Idle);
    let changed = move || roles_from(&draft.get()) != saved_roles.get();

    let role_options = Signal::derive(move || {
        let lang = i18n.lang.get();
        Role::ALL
            .iter()
            .map(|&r| Choice {
                value: r.as_str().to_owned(),
                label: role_msg(r).text(lang).to_owned(),
                detail: None,
            })
            .collect::<Vec<_>>()
    });

    let save_roles = move |_| {
        let Some(token) = session.token() else {
            return;
        };
        if status.get_untracked() == Saved::Busy {
            return;
        }
        let roles = roles_from(&draft.get_untracked());
        status.set(Saved::Busy);
        leptos::task::spawn_local(async move {
            let id = user_id.get_value();
            let result = session.guard(&token, api::set_roles(&token, &id, &roles).await);
            match result {
                Ok(now) => {
                    draft.set(role_values(&now));
                    saved_roles.set(now);
                    status.set(Saved::Ok);
                }
                Err(e) => status.set(Saved::Failed(admin_error_msg(&e))),
            }
        });
    };
    let is_organizer = Memo::new(move |_| saved_roles.with(|r| r.contains(&Role::Organizer)));

    view! {
        <li class="card user-row" data-testid="user-row" data-phone=user.phone.clone()>
            <div class="user-who">
                <h2 class="card-title">
                    {user.display_name.clone()}
                    {is_me.then(|| view! { <span class="quiet">{move || i18n.t(Msg::ThisIsYou)}</span> })}
                </h2>
                <p class="card-meta">
                    <span data-testid="user-phone">{user.phone.clone()}</span>
                    " · "
                    {move || i18n.f(Msg::BornIn, &[&user.birth_year.to_string()])}
                </p>
                {move || view! { <RoleTags roles=saved_roles.get() /> }}
            </div>
            <div class="user-roles">
                <ChoiceList
                    legend=Signal::derive(move || i18n.t(Msg::ProfileRoles).to_owned())
                    options=role_options
                    selected=draft
                    id_prefix=format!("roles-{}", user.id)
                    inline=true
                />
                <div class="actions">
                    <button
                        type="button"
                        class="button button-primary"
                        aria-busy=move || (status.get() == Saved::Busy).then_some("true")
                        disabled=move || status.get() == Saved::Busy || !changed()
                        on:click=save_roles
                    >
                        {move || i18n.t(Msg::SaveRoles)}
                    </button>
                </div>
                <FormMessage message=Signal::derive(move || status.get().error()) testid="roles-error" />
                <FormMessage message=Signal::derive(move || status.get().ok()) error=false testid="roles-saved" />
            </div>
            <Show when=move || is_organizer.get()>
                <AssignmentsEditor user_id=user_id.get_value() />
            </Show>
        </li>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::tests::server;
    use domain::ErrorCode;

    #[test]
    fn role_checkboxes_round_trip_to_sorted_roles() {
        let values = vec![
            "admin".to_owned(),
            "youth".into(),
            "youth".into(),
            "bogus".into(),
        ];
        assert_eq!(roles_from(&values), [Role::Youth, Role::Admin]);
        assert_eq!(role_values(&[Role::Organizer]), ["organizer"]);
    }

    #[test]
    fn admin_errors_prefer_the_field_code() {
        let own = server(
            ErrorCode::InvalidField,
            "roles: cannot_remove_own_admin",
            Some("roles"),
        );
        assert_eq!(admin_error_msg(&own), Msg::ErrOwnAdmin);
        assert_eq!(
            admin_error_msg(&ApiError::Network("offline".into())),
            Msg::AdminNeedsNetwork
        );
        let forbidden = server(ErrorCode::Forbidden, "no", None);
        assert_eq!(admin_error_msg(&forbidden), Msg::AdminOnly);
    }
}
