//! A young person at a mixer: their private profile (asked only to sign up for a mixer, edited
//! at `/me/mixer-profile`), and beyond what every registration shows, the badge after check-in,
//! the picks during the pick window (queued like any action, offline too) and afterwards their
//! own matches, never who picked them.

use crate::{
    account::{FieldErrors, error_for, field_error_msg},
    components::field::{CheckField, SelectField, TextAreaField, TextField},
    i18n::{Lang, Msg, use_i18n},
    nav::A,
    state::{registrations::use_registrations, sync::use_sync},
};
use domain::{
    programme::mixer::{
        Badge, ContactKind, Education, Gender, MAX_INTRO, MAX_NICKNAME, MAX_OCCUPATION,
        MixerProfile, PickWindow,
    },
    registration::RegistrationStatus,
};
use leptos::{ev::SubmitEvent, prelude::*};

/// `男 03`, `女 07`.
pub fn badge_text(lang: Lang, b: Badge) -> String {
    let gender = match b.gender {
        Gender::Male => Msg::BadgeMale,
        Gender::Female => Msg::BadgeFemale,
    };
    format!("{} {:02}", gender.text(lang), b.number)
}

fn education_msg(e: Education) -> Msg {
    match e {
        Education::HighSchool => Msg::EducationHighSchool,
        Education::Associate => Msg::EducationAssociate,
        Education::Bachelor => Msg::EducationBachelor,
        Education::Master => Msg::EducationMaster,
        Education::Doctorate => Msg::EducationDoctorate,
    }
}

/// What the form holds, as typed; read into a profile by [`ProfileDraft::read`].
#[derive(Clone, Copy)]
struct ProfileDraft {
    nickname: RwSignal<String>,
    gender: RwSignal<String>,
    education: RwSignal<String>,
    occupation: RwSignal<String>,
    height: RwSignal<String>,
    intro: RwSignal<String>,
    contact: RwSignal<String>,
    wechat: RwSignal<String>,
    single: RwSignal<bool>,
}

impl ProfileDraft {
    fn new(p: Option<&MixerProfile>) -> Self {
        Self {
            nickname: RwSignal::new(p.map(|p| p.nickname.clone()).unwrap_or_default()),
            gender: RwSignal::new(p.map(|p| p.gender.as_str()).unwrap_or("").to_owned()),
            education: RwSignal::new(
                p.map_or(Education::Bachelor, |p| p.education)
                    .as_str()
                    .to_owned(),
            ),
            occupation: RwSignal::new(p.map(|p| p.occupation.clone()).unwrap_or_default()),
            height: RwSignal::new(
                p.and_then(|p| p.height_cm)
                    .map(|h| h.to_string())
                    .unwrap_or_default(),
            ),
            intro: RwSignal::new(p.map(|p| p.intro.clone()).unwrap_or_default()),
            contact: RwSignal::new(
                p.map_or(ContactKind::Phone, |p| p.contact_kind)
                    .as_str()
                    .to_owned(),
            ),
            wechat: RwSignal::new(p.map(|p| p.wechat_id.clone()).unwrap_or_default()),
            single: RwSignal::new(p.is_some_and(|p| p.single)),
        }
    }

    /// The profile, or every field at fault (the domain's checks, the declaration included).
    fn read(&self) -> Result<MixerProfile, FieldErrors> {
        let mut errors: FieldErrors = Vec::new();
        let gender = Gender::parse(&self.gender.get_untracked());
        if gender.is_none() {
            errors.push(("gender".into(), Msg::ErrRequired));
        }
        let height = self.height.get_untracked();
        let height_cm = match height.trim() {
            "" => None,
            h => match h.parse::<u16>() {
                Ok(h) => Some(h),
                Err(_) => {
                    errors.push(("height_cm".into(), Msg::ErrHeight));
                    None
                }
            },
        };
        let profile = MixerProfile {
            nickname: self.nickname.get_untracked(),
            gender: gender.unwrap_or(Gender::Female),
            education: Education::parse(&self.education.get_untracked())
                .unwrap_or(Education::Bachelor),
            occupation: self.occupation.get_untracked(),
            height_cm,
            intro: self.intro.get_untracked(),
            contact_kind: ContactKind::parse(&self.contact.get_untracked())
                .unwrap_or(ContactKind::Phone),
            wechat_id: self.wechat.get_untracked(),
            single: self.single.get_untracked(),
        }
        .normalized();
        if let Err(found) = profile.validate() {
            for e in found {
                let msg = match (e.field, e.code) {
                    ("height_cm", _) => Msg::ErrHeight,
                    ("wechat_id", _) => Msg::ErrWechatId,
                    (f, c) => field_error_msg(f, c),
                };
                if !errors.iter().any(|(f, _)| f == e.field) {
                    errors.push((e.field.to_owned(), msg));
                }
            }
        }
        if !profile.single {
            errors.push(("single".into(), Msg::ErrSingleRequired));
        }
        if errors.is_empty() {
            Ok(profile)
        } else {
            Err(errors)
        }
    }
}

/// The profile form: written on the device (offline too), sent with the next sync. `done` runs
/// once it is queued.
#[component]
pub fn MixerProfileForm(#[prop(optional)] done: Option<Callback<()>>) -> impl IntoView {
    let i18n = use_i18n();
    let registrations = use_registrations();
    let current = registrations.mixer_profile.get_untracked();
    let draft = ProfileDraft::new(current.as_ref().map(|(p, _)| p));
    let errors = RwSignal::new(FieldErrors::new());
    let saved = RwSignal::new(false);
    let failed = RwSignal::new(None::<String>);
    let err =
        move |field: &'static str| Signal::derive(move || errors.with(|e| error_for(e, field)));
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        saved.set(false);
        match draft.read() {
            Err(found) => {
                if let Some((field, _)) = found.first() {
                    crate::dom::focus(field);
                }
                errors.set(found);
            }
            Ok(profile) => {
                errors.set(Vec::new());
                leptos::task::spawn_local(async move {
                    match registrations.save_profile(profile).await {
                        Ok(()) => {
                            saved.set(true);
                            if let Some(done) = done {
                                done.run(());
                            }
                        }
                        Err(e) => failed.set(Some(e.text(i18n.lang.get_untracked()))),
                    }
                });
            }
        }
    };
    let genders = Signal::derive(move || {
        let lang = i18n.lang.get();
        let mut options = vec![(String::new(), Msg::ChooseOne.text(lang).to_owned())];
        options.extend(Gender::ALL.iter().map(|g| {
            let msg = match g {
                Gender::Male => Msg::PoolMale,
                Gender::Female => Msg::PoolFemale,
            };
            (g.as_str().to_owned(), msg.text(lang).to_owned())
        }));
        options
    });
    let educations = Signal::derive(move || {
        let lang = i18n.lang.get();
        Education::ALL
            .iter()
            .map(|e| {
                (
                    e.as_str().to_owned(),
                    education_msg(*e).text(lang).to_owned(),
                )
            })
            .collect::<Vec<_>>()
    });
    let contacts = Signal::derive(move || {
        let lang = i18n.lang.get();
        vec![
            ("phone".to_owned(), Msg::ContactPhone.text(lang).to_owned()),
            (
                "wechat".to_owned(),
                Msg::ContactWechat.text(lang).to_owned(),
            ),
        ]
    });
    view! {
        <form class="card form" novalidate=true on:submit=on_submit data-testid="mixer-profile-form">
            <h2 class="card-title">{move || i18n.t(Msg::MixerProfileTitle)}</h2>
            <p class="hint">{move || i18n.t(Msg::MixerProfilePrivacy)}</p>
            <TextField id="nickname" label=Msg::FieldNickname value=draft.nickname error=err("nickname") hint=Msg::NicknameHint maxlength=MAX_NICKNAME />
            <SelectField id="gender" label=Msg::FieldGender value=draft.gender options=genders error=err("gender") />
            <SelectField id="education" label=Msg::FieldEducation value=draft.education options=educations error=err("education") />
            <TextField id="occupation" label=Msg::FieldOccupation value=draft.occupation error=err("occupation") maxlength=MAX_OCCUPATION />
            <TextField id="height_cm" label=Msg::FieldHeight value=draft.height error=err("height_cm") inputmode="numeric" maxlength=3 />
            <TextAreaField id="intro" label=Msg::FieldIntro value=draft.intro error=err("intro") maxlength=MAX_INTRO rows=3 />
            <SelectField id="contact_kind" label=Msg::FieldContact value=draft.contact options=contacts error=err("contact_kind") />
            <Show when=move || draft.contact.get() == "wechat">
                <TextField id="wechat_id" label=Msg::FieldWechat value=draft.wechat error=err("wechat_id") maxlength=20 />
            </Show>
            <p class="hint">{move || i18n.t(Msg::ContactSharedOnlyOnMatch)}</p>
            <CheckField id="single" label=Msg::DeclareSingle checked=draft.single error=err("single") />
            {move || failed.get().map(|e| view! { <p class="banner banner-error" role="alert">{e}</p> })}
            <Show when=move || saved.get()>
                <p class="form-message form-message-ok" role="status" data-testid="mixer-profile-saved">
                    {move || i18n.t(Msg::MixerProfileSaved)}
                </p>
            </Show>
            <button type="submit" class="button button-primary button-block" data-testid="mixer-profile-save">
                {move || i18n.t(Msg::MixerProfileSave)}
            </button>
        </form>
    }
}

/// `/me/mixer-profile`: the profile on its own page.
#[component]
pub fn MixerProfilePage() -> impl IntoView {
    let i18n = use_i18n();
    let registrations = use_registrations();
    let sync = use_sync();
    let pending = Memo::new(move |_| {
        registrations
            .mixer_profile
            .with(|p| p.as_ref().is_some_and(|(_, pending)| *pending))
    });
    view! {
        <section class="page" data-testid="mixer-profile-page">
            <A href="/me" attr:class="button button-quiet back-link">{move || i18n.t(Msg::MeTitleBack)}</A>
            <h1 class="page-title">{move || i18n.t(Msg::MixerProfileTitle)}</h1>
            <Show when=move || pending.get()>
                <p class="hint hint-warn" data-testid="mixer-profile-pending">{move || i18n.t(Msg::NotYetSubmitted)}</p>
            </Show>
            // Built once the device's data is read, so the form starts from the saved profile.
            {move || sync.ready.get().then(|| view! { <MixerProfileForm /> })}
        </section>
    }
}

/// The mixer parts of the registration `registration_id`: the badge, the picks, the matches.
#[component]
pub fn MixerParts(registration_id: String) -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let registrations = use_registrations();
    let reg = Memo::new(move |_| {
        registrations
            .list
            .with(|l| l.iter().find(|r| r.id == registration_id).cloned())
    });
    move || {
        let lang = i18n.lang.get();
        let r = reg.get()?;
        if r.status != RegistrationStatus::Confirmed {
            return None;
        }
        let o = sync.offering(&r.offering_id)?;
        let rules = o.plan.programme.mixer()?.clone();
        let window = registrations.pick_window(&r.offering_id);
        let Some(badge) = r.mixer.badge else {
            return Some(
                view! { <p class="hint" data-testid="mixer-hint">{Msg::MixerAfterCheckin.text(lang)}</p> }
                    .into_any(),
            );
        };
        let head = view! {
            <p class="mixer-badge" data-testid="mixer-badge">
                {Msg::MyBadge.text(lang)} " " <strong>{badge_text(lang, badge)}</strong>
            </p>
        };
        let body = if window == PickWindow::Closed {
            view! { <Matches registration=r.clone() /> }.into_any()
        } else {
            view! { <PickForm registration=r.clone() picks=rules.picks window=window /> }.into_any()
        };
        Some(
            view! { <div class="mixer-parts" data-testid="mixer-parts">{head}{body}</div> }
                .into_any(),
        )
    }
}

/// The person's matches after the close: nickname, badge and the contact the other chose to
/// share; or that there is none.
#[component]
fn Matches(registration: engine::view::RegistrationView) -> impl IntoView {
    let i18n = use_i18n();
    let lang = i18n.lang.get_untracked();
    if registration.mixer.matches.is_empty() {
        return view! { <p class="hint" data-testid="mixer-no-match">{Msg::MixerNoMatch.text(lang)}</p> }
            .into_any();
    }
    let cards = registration
        .mixer
        .matches
        .iter()
        .map(|m| {
            let kind = match m.contact_kind {
                ContactKind::Phone => Msg::ContactPhone,
                ContactKind::Wechat => Msg::ContactWechat,
            };
            view! {
                <li class="mixer-match" data-testid="mixer-match">
                    <strong data-testid="match-nickname">{m.nickname.clone()}</strong>
                    " · " <span>{badge_text(lang, m.badge)}</span>
                    <br />
                    <span>{kind.text(lang)} "："</span>
                    <span class="match-contact" data-testid="match-contact">{m.contact.clone()}</span>
                </li>
            }
        })
        .collect_view();
    view! {
        <h3 class="section-title">{Msg::MixerMatchesTitle.text(lang)}</h3>
        <ul class="mixer-matches" data-testid="mixer-matches">{cards}</ul>
    }
    .into_any()
}

/// Picks, from the people present (badge and nickname), at most `picks`; changeable until the
/// window closes; queued and marked as not yet submitted until the server has them.
#[component]
fn PickForm(
    registration: engine::view::RegistrationView,
    picks: u8,
    window: PickWindow,
) -> impl IntoView {
    let i18n = use_i18n();
    let registrations = use_registrations();
    let lang = i18n.lang.get_untracked();
    let chosen = RwSignal::new(
        registration
            .mixer
            .picks
            .iter()
            .map(|b| b.code())
            .collect::<Vec<_>>(),
    );
    let error = RwSignal::new(None::<String>);
    let limit = usize::from(picks);
    let id = registration.id.clone();
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let badges: Vec<Badge> = chosen
            .get_untracked()
            .iter()
            .filter_map(|c| Badge::parse(c))
            .collect();
        if badges.len() > limit {
            error.set(Some(
                Msg::TooManyPicks.fill(i18n.lang.get_untracked(), &[&limit.to_string()]),
            ));
            return;
        }
        error.set(None);
        let id = id.clone();
        leptos::task::spawn_local(async move {
            let result = registrations.pick(&id, badges).await;
            error.set(result.err().map(|e| e.text(i18n.lang.get_untracked())));
        });
    };
    let people = registration
        .mixer
        .present
        .iter()
        .map(|p| {
            let code = p.badge.code();
            let (c1, c2) = (code.clone(), code.clone());
            let label = if p.nickname.is_empty() {
                badge_text(lang, p.badge)
            } else {
                format!("{} · {}", badge_text(lang, p.badge), p.nickname)
            };
            view! {
                <label class="check">
                    <input
                        type="checkbox"
                        id=format!("pick-{code}")
                        value=code.clone()
                        prop:checked=move || chosen.with(|s| s.contains(&c1))
                        prop:disabled=move || chosen.with(|s| s.len() >= limit && !s.contains(&c2))
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            chosen.update(|s| crate::components::choice_list::toggle(s, &code, on));
                        }
                    />
                    <span class="check-text">{label}</span>
                </label>
            }
        })
        .collect_view();
    let nobody = registration.mixer.present.is_empty();
    let pending = registration.mixer.picks_pending;
    view! {
        <form class="form mixer-picks" novalidate=true on:submit=on_submit data-testid="pick-form">
            <h3 class="section-title">{Msg::PickTitle.fill(lang, &[&limit.to_string()])}</h3>
            <p class="hint">{if window == PickWindow::Open { Msg::PickOpenHint } else { Msg::PickNotOpenHint }.text(lang)}</p>
            {nobody.then(|| view! { <p class="empty">{Msg::NobodyPresentYet.text(lang)}</p> })}
            <fieldset class="choices" data-testid="pick-people">
                <legend class="choices-legend">{Msg::PresentPeople.text(lang)}</legend>
                {people}
            </fieldset>
            {pending.then(|| view! { <p class="hint hint-warn" data-testid="picks-pending">{Msg::PicksNotYetSubmitted.text(lang)}</p> })}
            {move || error.get().map(|e| view! { <p class="banner banner-error" role="alert">{e}</p> })}
            <button type="submit" class="button button-primary button-block" data-testid="pick-submit">
                {Msg::PickSubmit.text(lang)}
            </button>
            <p class="hint">{Msg::PickPrivacy.text(lang)}</p>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn badges_read_as_the_gender_and_two_digits() {
        let b = Badge {
            gender: Gender::Female,
            number: 7,
        };
        assert_eq!(badge_text(Lang::Zh, b), "女 07");
        assert_eq!(badge_text(Lang::En, b), "F 07");
    }
}
