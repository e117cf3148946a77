//! 我的: the account (profile, password, a copy of my data, signing out, deleting the
//! account) when signed in, sign-in and sign-up when not; then language, what this device
//! keeps, and about the app.

use crate::nav::A;
use crate::{
    account::{
        EXPORT_FILE_NAME, FieldErrors, check_password_change, error_for, field_error_msg,
        general_error_msg,
    },
    api,
    components::{
        field::{CheckField, FormMessage, TextField, clear_error_on_edit},
        lang_switch::LangSwitch,
        registration_bar::{Registered, RegistrationBar},
        role_tags::RoleTags,
    },
    dom,
    i18n::{Lang, Msg, use_i18n},
    pages::course_learner::CourseParts,
    pages::mixer_participant::MixerParts,
    state::{
        catalogue::use_catalogue, registrations::use_registrations, session::use_session,
        sync::use_sync,
    },
    status_text,
};
use domain::{
    ErrorCode, Role,
    account::{DeleteAccount, MAX_PASSWORD_CHARS, PasswordChange},
};
use leptos::{ev::SubmitEvent, prelude::*};

/// The account when signed in, then settings and information about this device.
#[component]
pub fn Me() -> impl IntoView {
    let i18n = use_i18n();
    let state = use_catalogue();
    let session = use_session();
    let sync = use_sync();
    // What just happened (signed out, account deleted): outlives the account cards.
    let flash = RwSignal::new(None::<Msg>);
    let signed_in = Memo::new(move |_| session.session.with(Option::is_some));
    let saved = move || state.catalogue.with(|c| c.offerings.len());
    view! {
        <section class="page">
            <h1 class="page-title">{move || i18n.t(Msg::MeTitle)}</h1>
            <FormMessage message=flash error=false testid="me-flash" />
            <Show when=move || signed_in.get() fallback=SignedOutCard>
                <MyHoursCard />
                <LeagueCard />
                <VenueModeCard />
                <MyRegistrationsCard />
                <ProfileCard />
                <ChangePasswordCard />
                <ExportCard />
                <SignOutCard flash=flash />
                <DeleteAccountCard flash=flash />
            </Show>
            <div class="card">
                <h2 class="card-title">{move || i18n.t(Msg::Language)}</h2>
                <LangSwitch />
            </div>
            <div class="card" data-testid="storage-card">
                <h2 class="card-title">{move || i18n.t(Msg::StorageTitle)}</h2>
                <p>
                    {move || match state.persistent.get() {
                        Some(false) => i18n.t(Msg::StorageUnavailable).to_owned(),
                        Some(true) => i18n.f(Msg::StorageSaved, &[&saved().to_string()]),
                        None => i18n.t(Msg::Loading).to_owned(),
                    }}
                </p>
                {move || match sync.persisted.get() {
                    Some(true) => Some(view! { <p class="hint">{i18n.t(Msg::StoragePersisted)}</p> }.into_any()),
                    Some(false) => Some(view! {
                        <p class="hint hint-warn" data-testid="storage-not-persisted">
                            {i18n.t(Msg::StorageNotPersisted)}
                        </p>
                    }.into_any()),
                    None => None,
                }}
            </div>
            <div class="card">
                <h2 class="card-title">{move || i18n.t(Msg::AboutTitle)}</h2>
                <p>{move || i18n.t(Msg::AboutText)}</p>
                <div class="actions">
                    <A href="/privacy" attr:class="button">{move || i18n.t(Msg::PrivacyLink)}</A>
                </div>
            </div>
        </section>
    }
}

/// A row of 我的报名, as shown.
#[derive(Debug, Clone, PartialEq)]
struct MyRow {
    lang: Lang,
    title: String,
    href: String,
    has_ticket: bool,
    /// A course: its own parts follow the state.
    course: bool,
    mixer: bool,
    registered: Registered,
}

/// 我的报名: every registration on this device, newest first, with its state and a cancel.
#[component]
fn MyRegistrationsCard() -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let registrations = use_registrations();
    let catalogue = use_catalogue();
    let error = RwSignal::new(None::<String>);
    // What each row shows, compared before the rows are drawn again: a sync or a list refresh
    // that changes nothing here leaves the rows (and a 取消报名 waiting for its confirmation) as
    // they are.
    let shown = Memo::new(move |_| {
        let lang = i18n.lang.get();
        registrations
            .list
            .get()
            .into_iter()
            .map(|r| {
                let title = catalogue
                    .title(&r.offering_id)
                    .or_else(|| sync.offering(&r.offering_id).map(|o| o.plan.title))
                    .unwrap_or_else(|| Msg::UnknownProgramme.text(lang).to_owned());
                MyRow {
                    lang,
                    title,
                    href: format!("/o/{}", crate::api::encode_query_value(&r.offering_id)),
                    has_ticket: r.ticket.is_some() && crate::agenda::has_place(r.status),
                    course: sync
                        .offering(&r.offering_id)
                        .is_some_and(|o| o.kind() == domain::OfferingKind::Course),
                    mixer: sync
                        .offering(&r.offering_id)
                        .is_some_and(|o| o.kind() == domain::OfferingKind::Mixer),
                    registered: Registered {
                        label: status_text::registration(lang, &r),
                        note: status_text::registration_note(lang, &r),
                        pending: r.pending,
                        cancellable: domain::signup::may_cancel(r.status),
                        live: true,
                        id: r.id.clone(),
                    },
                }
            })
            .collect::<Vec<_>>()
    });
    let rows = move || {
        shown
            .get()
            .into_iter()
            .map(|row| {
                let MyRow {
                    lang,
                    title,
                    href,
                    has_ticket,
                    course,
                    mixer,
                    registered,
                } = row;
                let course = course.then(|| {
                    view! { <CourseParts registration_id=registered.id.clone() /> }
                });
                let mixer = mixer.then(|| {
                    view! { <MixerParts registration_id=registered.id.clone() /> }
                });
                let on_cancel = Callback::new(move |id: String| {
                    leptos::task::spawn_local(async move {
                        let result = registrations.cancel(&id).await;
                        error.set(result.err().map(|e| e.text(lang)));
                    });
                });
                view! {
                    <li class="my-registration" data-testid="my-registration">
                        <A href=href attr:class="my-registration-title">
                            {title}
                            {has_ticket.then(|| view! { <span class="tag">{Msg::HasTicket.text(lang)}</span> })}
                        </A>
                        <RegistrationBar
                            lang=lang
                            signed_in=true
                            sign_in_href=String::new()
                            registered=Some(registered)
                            can_sign_up=false
                            on_request=Callback::new(|()| {})
                            on_cancel=on_cancel
                        />
                        {course}
                        {mixer}
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <div class="card" data-testid="my-registrations">
            <h2 class="card-title">{move || i18n.t(Msg::MyRegistrations)}</h2>
            {move || error.get().map(|e| view! { <p class="banner banner-error" role="alert">{e}</p> })}
            <Show
                when=move || registrations.list.with(|r| !r.is_empty())
                fallback=move || view! { <p class="hint">{move || i18n.t(Msg::NoRegistrations)}</p> }
            >
                <ul class="my-registrations">{rows}</ul>
            </Show>
        </div>
    }
}

/// 我的志愿时长: this year's total, and the way to the ledger.
#[component]
fn MyHoursCard() -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let registrations = use_registrations();
    let year = crate::format::current_year();
    let total = Memo::new(move |_| {
        registrations.list.with(|regs| {
            sync.offerings.with(|offerings| {
                let now = crate::format::now().unix_timestamp();
                crate::hours::ledger(regs, offerings, year, now).total_minutes
            })
        })
    });
    view! {
        <div class="card" data-testid="my-hours-card">
            <h2 class="card-title">{move || i18n.t(Msg::HoursTitle)}</h2>
            <p>
                {move || {
                    let lang = i18n.lang.get();
                    Msg::HoursThisYear.fill(
                        lang,
                        &[&year.to_string(), &crate::hours::duration(lang, total.get())],
                    )
                }}
            </p>
            <div class="actions">
                <A href="/me/hours" attr:class="button" attr:data-testid="my-hours-link">{move || i18n.t(Msg::OpenHours)}</A>
                <A href="/me/mixer-profile" attr:class="button" attr:data-testid="my-mixer-profile-link">{move || i18n.t(Msg::MixerProfileLink)}</A>
            </div>
        </div>
    }
}

/// 入团进度: for those aged 14–28 this year (by year of birth), this year's volunteer hours in
/// effect against 20 and League-lesson class hours against 8, with what is still missing.
#[component]
fn LeagueCard() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let sync = use_sync();
    let registrations = use_registrations();
    let year = crate::format::current_year();
    let birth_year = Memo::new(move |_| session.user().map(|u| u.birth_year));
    let progress = Memo::new(move |_| {
        registrations.list.with(|regs| {
            sync.offerings.with(|offerings| {
                let now = crate::format::now().unix_timestamp();
                crate::hours::league_progress(regs, offerings, year, now)
            })
        })
    });
    move || {
        // Unknown until the profile is on the device: nothing rather than a wrong figure.
        let birth = birth_year.get()?;
        let lang = i18n.lang.get();
        if !domain::league::in_age_range(birth, year) {
            return Some(
                view! {
                    <div class="card" data-testid="league-card">
                        <h2 class="card-title">{Msg::LeagueTitle.text(lang)}</h2>
                        <p class="hint">{Msg::LeagueAgeOut.text(lang)}</p>
                    </div>
                }
                .into_any(),
            );
        }
        let p = progress.get();
        let mut missing = Vec::new();
        if p.missing_minutes() > 0 {
            missing.push(
                Msg::LeagueMissingHours
                    .fill(lang, &[&crate::hours::duration(lang, p.missing_minutes())]),
            );
        }
        if p.missing_class_hours() > 0 {
            missing
                .push(Msg::LeagueMissingClass.fill(lang, &[&p.missing_class_hours().to_string()]));
        }
        let status = if missing.is_empty() {
            Msg::LeagueMet.text(lang).to_owned()
        } else {
            Msg::LeagueMissing.fill(lang, &[&missing.join("，")])
        };
        Some(
            view! {
                <div class="card" data-testid="league-card" data-minutes=p.volunteer_minutes data-class-hours=p.class_hours>
                    <h2 class="card-title">{Msg::LeagueTitle.text(lang)}</h2>
                    <p>{Msg::LeagueVolunteer.fill(lang, &[&year.to_string(), &crate::hours::duration(lang, p.volunteer_minutes)])}</p>
                    <p>{Msg::LeagueClass.fill(lang, &[&p.class_hours.to_string()])}</p>
                    <p data-testid="league-missing">{status}</p>
                    <p class="hint">{Msg::LeagueExplained.text(lang)}</p>
                </div>
            }
            .into_any(),
        )
    }
}

/// 现场签到, for organizers.
#[component]
fn VenueModeCard() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let organizer = Memo::new(move |_| {
        session
            .user()
            .is_some_and(|u| u.has(Role::Organizer) || u.has(Role::Admin))
    });
    view! {
        <Show when=move || organizer.get()>
            <div class="card" data-testid="venue-mode-card">
                <h2 class="card-title">{move || i18n.t(Msg::VenueTitle)}</h2>
                <p class="hint">{move || i18n.t(Msg::VenueIntro)}</p>
                <div class="actions">
                    <A href="/venue" attr:class="button button-primary" attr:data-testid="open-venue">{move || i18n.t(Msg::OpenVenue)}</A>
                </div>
            </div>
        </Show>
    }
}

/// Signed out: what an account is for, and the ways in.
#[component]
fn SignedOutCard() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="card" data-testid="signed-out-card">
            <p>{move || i18n.t(Msg::MeSignedOutIntro)}</p>
            <div class="actions">
                <A href="/signin" attr:class="button button-primary">{move || i18n.t(Msg::SignIn)}</A>
                <A href="/signup" attr:class="button">{move || i18n.t(Msg::SignUp)}</A>
            </div>
        </div>
    }
}

/// Name, phone, year of birth and roles, as last seen from the server.
#[component]
fn ProfileCard() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let user = Memo::new(move |_| session.user());
    move || {
        user.get().map(|u| {
            let is_admin = u.has(Role::Admin);
            view! {
                <div class="card" data-testid="profile-card">
                    <h2 class="card-title">{move || i18n.t(Msg::ProfileTitle)}</h2>
                    <dl class="facts">
                        <dt>{move || i18n.t(Msg::ProfileName)}</dt>
                        <dd data-testid="profile-name">{u.display_name.clone()}</dd>
                        <dt>{move || i18n.t(Msg::ProfilePhone)}</dt>
                        <dd data-testid="profile-phone">{u.phone.clone()}</dd>
                        <dt>{move || i18n.t(Msg::ProfileBirthYear)}</dt>
                        <dd>{u.birth_year}</dd>
                        <dt>{move || i18n.t(Msg::ProfileRoles)}</dt>
                        <dd><RoleTags roles=u.roles.clone() /></dd>
                    </dl>
                    {is_admin.then(|| view! {
                        <div class="actions">
                            <A href="/admin" attr:class="button">{move || i18n.t(Msg::OpenAdmin)}</A>
                        </div>
                    })}
                </div>
            }
        })
    }
}

/// The current password, and the new one twice.
#[component]
fn ChangePasswordCard() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let repeat = RwSignal::new(String::new());
    let errors = RwSignal::new(FieldErrors::new());
    let failed = RwSignal::new(None::<Msg>);
    let done = RwSignal::new(None::<Msg>);
    let busy = RwSignal::new(false);
    let field_error =
        move |field: &'static str| Signal::derive(move || errors.with(|e| error_for(e, field)));
    clear_error_on_edit(errors, "current_password", current);
    clear_error_on_edit(errors, "new_password", new);
    clear_error_on_edit(errors, "repeat_password", repeat);

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let Some(token) = session.token() else {
            return;
        };
        if busy.get_untracked() {
            return;
        }
        done.set(None);
        failed.set(None);
        let phone = session
            .session
            .with_untracked(|s| s.as_ref().map(|s| s.user.phone.clone()))
            .unwrap_or_default();
        let change = PasswordChange {
            current_password: current.get_untracked(),
            new_password: new.get_untracked(),
        };
        if let Err(found) = check_password_change(
            &change.current_password,
            &change.new_password,
            &repeat.get_untracked(),
            &phone,
        ) {
            if let Some((field, _)) = found.first() {
                dom::focus(field);
            }
            errors.set(found);
            return;
        }
        errors.set(FieldErrors::new());
        busy.set(true);
        leptos::task::spawn_local(async move {
            let result = session.guard(&token, api::change_password(&token, &change).await);
            busy.set(false);
            match result {
                Ok(()) => {
                    current.set(String::new());
                    new.set(String::new());
                    repeat.set(String::new());
                    done.set(Some(Msg::PasswordChanged));
                }
                Err(e) if e.code() == Some(ErrorCode::InvalidCredentials) => {
                    errors.set(vec![("current_password".into(), Msg::WrongCurrentPassword)]);
                    dom::focus("current_password");
                }
                Err(e) => match e.field_error() {
                    Some((field, code)) => {
                        errors.set(vec![(field.to_owned(), field_error_msg(field, code))]);
                    }
                    None => failed.set(Some(general_error_msg(&e, Msg::NeedsNetwork))),
                },
            }
        });
    };

    view! {
        <form class="card form" novalidate=true on:submit=on_submit data-testid="password-form">
            <h2 class="card-title">{move || i18n.t(Msg::ChangePasswordTitle)}</h2>
            <TextField
                id="current_password"
                label=Msg::FieldCurrentPassword
                value=current
                error=field_error("current_password")
                kind="password"
                autocomplete="current-password"
                maxlength=MAX_PASSWORD_CHARS
            />
            <TextField
                id="new_password"
                label=Msg::FieldNewPassword
                hint=Msg::FieldPasswordHint
                value=new
                error=field_error("new_password")
                kind="password"
                autocomplete="new-password"
                maxlength=MAX_PASSWORD_CHARS
            />
            <TextField
                id="repeat_password"
                label=Msg::FieldRepeatPassword
                value=repeat
                error=field_error("repeat_password")
                kind="password"
                autocomplete="new-password"
                maxlength=MAX_PASSWORD_CHARS
            />
            <FormMessage message=failed testid="password-error" />
            <FormMessage message=done error=false testid="password-done" />
            <button
                type="submit"
                class="button button-primary"
                aria-busy=move || busy.get().then_some("true")
                disabled=move || busy.get()
            >
                {move || i18n.t(if busy.get() { Msg::PleaseWait } else { Msg::ChangePasswordSubmit })}
            </button>
        </form>
    }
}

/// 下载我的数据: everything the server keeps, saved as a JSON file.
#[component]
fn ExportCard() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let busy = RwSignal::new(false);
    let failed = RwSignal::new(None::<Msg>);
    let done = RwSignal::new(false);
    let export = move |_| {
        let Some(token) = session.token() else {
            return;
        };
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        failed.set(None);
        done.set(false);
        leptos::task::spawn_local(async move {
            let result = session.guard(&token, api::export_my_data(&token).await);
            busy.set(false);
            match result {
                Ok(json) => match dom::download(EXPORT_FILE_NAME, "application/json", &json) {
                    Ok(()) => done.set(true),
                    Err(e) => {
                        leptos::logging::warn!("saving the export failed: {e}");
                        failed.set(Some(Msg::ErrUnexpected));
                    }
                },
                Err(e) => failed.set(Some(general_error_msg(&e, Msg::NeedsNetwork))),
            }
        });
    };
    view! {
        <div class="card" data-testid="export-card">
            <h2 class="card-title">{move || i18n.t(Msg::ExportTitle)}</h2>
            <p>{move || i18n.t(Msg::ExportText)}</p>
            <FormMessage message=failed testid="export-error" />
            <Show when=move || done.get()>
                <div class="form-message form-message-ok" role="status" data-testid="export-done">
                    {move || i18n.f(Msg::ExportDone, &[EXPORT_FILE_NAME])}
                </div>
            </Show>
            <div class="actions">
                <button
                    type="button"
                    class="button"
                    aria-busy=move || busy.get().then_some("true")
                    disabled=move || busy.get()
                    on:click=export
                >
                    {move || i18n.t(if busy.get() { Msg::PleaseWait } else { Msg::ExportButton })}
                </button>
            </div>
        </div>
    }
}

/// 退出登录 (this device, works offline) and 退出所有设备 (needs the server).
#[component]
fn SignOutCard(flash: RwSignal<Option<Msg>>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let busy = RwSignal::new(false);
    let failed = RwSignal::new(None::<Msg>);
    let sign_out = move |_| {
        session.sign_out();
        flash.set(Some(Msg::SignedOut));
    };
    let sign_out_all = move |_| {
        let Some(token) = session.token() else {
            return;
        };
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        failed.set(None);
        leptos::task::spawn_local(async move {
            let result = session.guard(&token, api::logout_all(&token).await);
            busy.set(false);
            match result {
                Ok(()) => {
                    session.forget();
                    flash.set(Some(Msg::SignedOutAll));
                }
                Err(e) => failed.set(Some(general_error_msg(&e, Msg::NeedsNetwork))),
            }
        });
    };
    view! {
        <div class="card" data-testid="sign-out-card">
            <h2 class="card-title">{move || i18n.t(Msg::SessionsTitle)}</h2>
            <p class="hint">{move || i18n.t(Msg::SignOutAllHint)}</p>
            <FormMessage message=failed testid="sign-out-error" />
            <div class="actions">
                <button type="button" class="button" on:click=sign_out>
                    {move || i18n.t(Msg::SignOut)}
                </button>
                <button
                    type="button"
                    class="button"
                    aria-busy=move || busy.get().then_some("true")
                    disabled=move || busy.get()
                    on:click=sign_out_all
                >
                    {move || i18n.t(if busy.get() { Msg::PleaseWait } else { Msg::SignOutAll })}
                </button>
            </div>
        </div>
    }
}

/// 注销账号: the password again and an explicit confirmation.
#[component]
fn DeleteAccountCard(flash: RwSignal<Option<Msg>>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let password = RwSignal::new(String::new());
    let confirmed = RwSignal::new(false);
    let errors = RwSignal::new(FieldErrors::new());
    let failed = RwSignal::new(None::<Msg>);
    let busy = RwSignal::new(false);
    let field_error =
        move |field: &'static str| Signal::derive(move || errors.with(|e| error_for(e, field)));
    clear_error_on_edit(errors, "delete_password", password);
    clear_error_on_edit(errors, "delete_confirm", confirmed);

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let Some(token) = session.token() else {
            return;
        };
        if busy.get_untracked() {
            return;
        }
        failed.set(None);
        let mut found = FieldErrors::new();
        if password.with_untracked(String::is_empty) {
            found.push(("delete_password".into(), Msg::ErrRequired));
        }
        if !confirmed.get_untracked() {
            found.push(("delete_confirm".into(), Msg::ErrConfirmRequired));
        }
        if let Some((field, _)) = found.first() {
            dom::focus(field);
            errors.set(found);
            return;
        }
        errors.set(FieldErrors::new());
        busy.set(true);
        let request = DeleteAccount {
            password: password.get_untracked(),
        };
        leptos::task::spawn_local(async move {
            let result = session.guard(&token, api::delete_account(&token, &request).await);
            busy.set(false);
            match result {
                Ok(()) => {
                    session.forget();
                    flash.set(Some(Msg::AccountDeleted));
                }
                Err(e) if e.code() == Some(ErrorCode::InvalidCredentials) => {
                    errors.set(vec![("delete_password".into(), Msg::WrongPassword)]);
                    dom::focus("delete_password");
                }
                Err(e) => failed.set(Some(general_error_msg(&e, Msg::NeedsNetwork))),
            }
        });
    };

    view! {
        <form class="card form card-danger" novalidate=true on:submit=on_submit data-testid="delete-form">
            <h2 class="card-title">{move || i18n.t(Msg::DeleteTitle)}</h2>
            <p class="hint">{move || i18n.t(Msg::DeleteWarning)}</p>
            <TextField
                id="delete_password"
                label=Msg::FieldPassword
                value=password
                error=field_error("delete_password")
                kind="password"
                autocomplete="current-password"
                maxlength=MAX_PASSWORD_CHARS
            />
            <CheckField
                id="delete_confirm"
                label=Msg::DeleteConfirmLabel
                checked=confirmed
                error=field_error("delete_confirm")
            />
            <FormMessage message=failed testid="delete-error" />
            <button
                type="submit"
                class="button button-danger"
                aria-busy=move || busy.get().then_some("true")
                disabled=move || busy.get()
            >
                {move || i18n.t(if busy.get() { Msg::PleaseWait } else { Msg::DeleteSubmit })}
            </button>
        </form>
    }
}
