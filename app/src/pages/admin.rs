//! 管理后台: offerings (create, edit, publish, cancel, export), the review queue, and user
//! management (roles, and what each organizer runs). Admins only; everyone else is told why not.

use super::{admin_offerings::OfferingsPanel, admin_reviews::ReviewsPanel};
use crate::nav::A;
use crate::{
    account::{field_error_msg, general_error_msg, role_msg, sign_in_href},
    api::{self, ApiError},
    components::{
        choice_list::{Choice, ChoiceList},
        field::FormMessage,
        role_tags::RoleTags,
    },
    format,
    i18n::{Lang, Msg, use_i18n},
    state::{catalogue::use_catalogue, session::use_session},
};
use domain::{
    OfferingSummary, Role,
    account::{Assignments, UserSummary},
};
use leptos::{ev::SubmitEvent, prelude::*};

use super::admin_offerings::kind_msg;

/// Who is looking at the admin area.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Viewer {
    SignedOut,
    NotAdmin,
    Admin,
}

/// The sections of the admin area.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tab {
    Offerings,
    Reviews,
    Users,
}

/// The text for a failed admin request: a field code when the server named one.
fn admin_error_msg(error: &ApiError) -> Msg {
    match error.field_error() {
        Some((field, code)) => field_error_msg(field, code),
        None => general_error_msg(error, Msg::AdminNeedsNetwork),
    }
}

/// The offerings as choices, and any assigned id the catalogue does not know (a past or
/// withdrawn programme) after them, so saving never drops an assignment silently.
fn offering_choices(offerings: &[OfferingSummary], assigned: &[String], lang: Lang) -> Vec<Choice> {
    let mut choices: Vec<Choice> = offerings
        .iter()
        .map(|o| Choice {
            value: o.id.clone(),
            label: o.title.clone(),
            detail: Some(format!(
                "{} · {}",
                kind_msg(o.kind).text(lang),
                format::date_time(lang, o.starts_at)
            )),
        })
        .collect();
    for id in assigned {
        if !offerings.iter().any(|o| &o.id == id) {
            choices.push(Choice {
                value: id.clone(),
                label: Msg::UnknownOffering.fill(lang, &[id]),
                detail: None,
            });
        }
    }
    choices
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

/// The admin area, or why it is not shown.
#[component]
pub fn Admin() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let viewer = Memo::new(move |_| match session.user() {
        None => Viewer::SignedOut,
        Some(u) if u.has(Role::Admin) => Viewer::Admin,
        Some(_) => Viewer::NotAdmin,
    });
    view! {
        <section class="page page-wide">
            <h1 class="page-title">{move || i18n.t(Msg::AdminArea)}</h1>
            {move || match viewer.get() {
                Viewer::SignedOut => view! {
                    <div class="card" data-testid="admin-sign-in">
                        <p>{move || i18n.t(Msg::AdminSignInPrompt)}</p>
                        <div class="actions">
                            <A href=sign_in_href("/admin") attr:class="button button-primary">
                                {move || i18n.t(Msg::SignIn)}
                            </A>
                        </div>
                    </div>
                }
                .into_any(),
                Viewer::NotAdmin => view! {
                    <div class="card" role="alert" data-testid="admin-only">
                        <p>{move || i18n.t(Msg::AdminOnly)}</p>
                    </div>
                }
                .into_any(),
                Viewer::Admin => view! { <AdminTabs /> }.into_any(),
            }}
        </section>
    }
}

#[component]
fn AdminTabs() -> impl IntoView {
    let i18n = use_i18n();
    let tab = RwSignal::new(Tab::Offerings);
    // The review queue's offering filter, set from an offering's "待审核" button.
    let review_offering = RwSignal::new(None::<String>);
    let tab_button = move |which: Tab, msg: Msg, id: &'static str, panel: &'static str| {
        view! {
            <button
                type="button"
                role="tab"
                class="seg"
                id=id
                aria-controls=panel
                aria-selected=move || (tab.get() == which).to_string()
                tabindex=move || if tab.get() == which { "0" } else { "-1" }
                on:click=move |_| tab.set(which)
            >
                {move || i18n.t(msg)}
            </button>
        }
    };
    let on_review = Callback::new(move |offering_id: String| {
        review_offering.set(Some(offering_id));
        tab.set(Tab::Reviews);
    });
    view! {
        <div class="segmented" role="tablist">
            {tab_button(Tab::Offerings, Msg::AdminTabOfferings, "tab-offerings", "panel-offerings")}
            {tab_button(Tab::Reviews, Msg::AdminTabReviews, "tab-reviews", "panel-reviews")}
            {tab_button(Tab::Users, Msg::AdminTabUsers, "tab-users", "panel-users")}
        </div>
        {move || match tab.get() {
            Tab::Offerings => view! {
                <div role="tabpanel" id="panel-offerings" aria-labelledby="tab-offerings">
                    <p class="hint only-narrow">{move || i18n.t(Msg::AdminWideOnly)}</p>
                    <OfferingsPanel on_review=on_review />
                </div>
            }
            .into_any(),
            Tab::Reviews => view! {
                <div role="tabpanel" id="panel-reviews" aria-labelledby="tab-reviews">
                    <ReviewsPanel offering=review_offering />
                </div>
            }
            .into_any(),
            Tab::Users => view! {
                <div role="tabpanel" id="panel-users" aria-labelledby="tab-users">
                    <UsersPanel />
                </div>
            }
            .into_any(),
        }}
    }
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
fn UsersPanel() -> impl IntoView {
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
enum Saved {
    Idle,
    Busy,
    Ok,
    Failed(Msg),
}

impl Saved {
    fn error(self) -> Option<Msg> {
        match self {
            Self::Failed(m) => Some(m),
            _ => None,
        }
    }
    fn ok(self) -> Option<Msg> {
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
                <h3 class="card-title">
                    {user.display_name.clone()}
                    {is_me.then(|| view! { <span class="quiet">{move || i18n.t(Msg::ThisIsYou)}</span> })}
                </h3>
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

/// Where an organizer's assignments stand.
#[derive(Debug, Clone, PartialEq)]
enum Loaded {
    Loading,
    Ready,
    Failed(Msg),
}

/// The offerings an organizer runs, chosen from the catalogue this device has.
#[component]
fn AssignmentsEditor(user_id: String) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let catalogue = use_catalogue();
    let user_id = StoredValue::new(user_id);
    let loaded = RwSignal::new(Loaded::Loading);
    let selected = RwSignal::new(Vec::<String>::new());
    // Venues are not edited here, but a save sends them back unchanged.
    let venues = RwSignal::new(Vec::<String>::new());
    let status = RwSignal::new(Saved::Idle);

    let load = move || {
        let Some(token) = session.token() else {
            return;
        };
        loaded.set(Loaded::Loading);
        leptos::task::spawn_local(async move {
            let id = user_id.get_value();
            match session.guard(&token, api::assignments(&token, &id).await) {
                Ok(a) => {
                    selected.set(a.offering_ids);
                    venues.set(a.venue_ids);
                    loaded.set(Loaded::Ready);
                }
                Err(e) => loaded.set(Loaded::Failed(admin_error_msg(&e))),
            }
        });
    };
    load();

    let save = move |_| {
        let Some(token) = session.token() else {
            return;
        };
        if status.get_untracked() == Saved::Busy {
            return;
        }
        let body = Assignments {
            offering_ids: selected.get_untracked(),
            venue_ids: venues.get_untracked(),
        };
        status.set(Saved::Busy);
        leptos::task::spawn_local(async move {
            let id = user_id.get_value();
            match session.guard(&token, api::set_assignments(&token, &id, &body).await) {
                Ok(a) => {
                    selected.set(a.offering_ids);
                    venues.set(a.venue_ids);
                    status.set(Saved::Ok);
                }
                Err(e) => status.set(Saved::Failed(admin_error_msg(&e))),
            }
        });
    };

    let options = Signal::derive(move || {
        let lang = i18n.lang.get();
        catalogue
            .catalogue
            .with(|c| selected.with(|s| offering_choices(&c.offerings, s, lang)))
    });
    let summary = move || {
        i18n.f(
            Msg::AssignmentsTitle,
            &[&selected.with(Vec::len).to_string()],
        )
    };

    view! {
        <details class="assignments" data-testid="assignments">
            <summary>{summary}</summary>
            {move || match loaded.get() {
                Loaded::Loading => view! {
                    <p class="empty" aria-busy="true">{move || i18n.t(Msg::Loading)}</p>
                }
                .into_any(),
                Loaded::Failed(msg) => view! {
                    <div class="banner banner-error" role="alert">
                        <span>{move || i18n.t(msg)}</span>
                        <button type="button" class="button" on:click=move |_| load()>
                            {move || i18n.t(Msg::Retry)}
                        </button>
                    </div>
                }
                .into_any(),
                Loaded::Ready => view! {
                    <Show when=move || options.with(Vec::is_empty)>
                        <p class="hint">{move || i18n.t(Msg::NoOfferingsKnown)}</p>
                    </Show>
                    <ChoiceList
                        legend=Signal::derive(move || i18n.t(Msg::AssignmentsLegend).to_owned())
                        options=options
                        selected=selected
                        id_prefix=format!("offerings-{}", user_id.get_value())
                    />
                    <Show when=move || !venues.with(Vec::is_empty)>
                        <p class="hint">
                            {move || i18n.f(Msg::AssignmentsVenues, &[&venues.with(Vec::len).to_string()])}
                        </p>
                    </Show>
                    <div class="actions">
                        <button
                            type="button"
                            class="button button-primary"
                            aria-busy=move || (status.get() == Saved::Busy).then_some("true")
                            disabled=move || status.get() == Saved::Busy
                            on:click=save
                        >
                            {move || i18n.t(Msg::SaveAssignments)}
                        </button>
                    </div>
                    <FormMessage message=Signal::derive(move || status.get().error()) testid="assignments-error" />
                    <FormMessage message=Signal::derive(move || status.get().ok()) error=false testid="assignments-saved" />
                }
                .into_any(),
            }}
        </details>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::tests::server;
    use domain::ErrorCode;

    /// As the catalogue sends it (fields the server may add later take their defaults).
    fn offering(id: &str) -> OfferingSummary {
        serde_json::from_value(serde_json::json!({
            "id": id, "kind": "course", "title": format!("课程 {id}"), "summary": "",
            "category": "书法", "venue_id": "v1",
            "starts_at": "2026-12-03T19:00:00+08:00", "ends_at": "2026-12-03T21:00:00+08:00",
            "sessions": 8, "capacity": 20, "seats_taken": 0,
            "signup_closes_at": "2026-12-01T20:00:00+08:00", "volunteer_hours": null
        }))
        .unwrap()
    }

    #[test]
    fn assigned_programmes_missing_from_the_catalogue_stay_choosable() {
        let choices = offering_choices(
            &[offering("a"), offering("b")],
            &["b".into(), "gone".into()],
            Lang::Zh,
        );
        let values: Vec<_> = choices.iter().map(|c| c.value.as_str()).collect();
        assert_eq!(values, ["a", "b", "gone"]);
        assert_eq!(
            choices[0].detail.as_deref(),
            Some("青年夜校 · 12月3日 周四 19:00")
        );
        assert_eq!(choices[2].label, "列表外的项目 gone");
    }

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
