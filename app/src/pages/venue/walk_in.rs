//! 现场报名: registering someone who turns up without signing up, while places remain, and
//! checking them in; the server gives the seat if one is still free when the device syncs. At a
//! mixer the walk-in's gender is required: it decides the pool (only within its quota) and the
//! badge's numbering, which the server gives with the place.

use super::mixer;
use crate::{
    i18n::{Msg, StaffMsg, use_i18n},
    state::venue::use_venue,
};
use domain::{Offering, programme::mixer::Gender};
use engine::venue::OfferingVenue;
use leptos::{ev::SubmitEvent, prelude::*};

/// 现场报名: someone who turns up without signing up, while places remain.
#[component]
pub(super) fn WalkIn(offering: Memo<Option<Offering>>, here: Memo<OfferingVenue>) -> impl IntoView {
    let i18n = use_i18n();
    let venue = use_venue();
    let name = RwSignal::new(String::new());
    let last4 = RwSignal::new(String::new());
    let gender = RwSignal::new(None::<Gender>);
    let message = RwSignal::new(None::<(bool, String)>);
    let offering_id = StoredValue::new(
        offering
            .with_untracked(|o| o.as_ref().map(|o| o.id.clone()))
            .unwrap_or_default(),
    );
    let at_mixer = Memo::new(move |_| offering.with(|o| mixer::is_mixer(o.as_ref())));
    let left = Memo::new(move |_| {
        let local = here.with(|h| h.local_walk_ins) as u32;
        let seats = offering.with(|o| {
            o.as_ref()
                .and_then(|o| o.pool(domain::PoolKey::All))
                .map_or(0, |p| p.seats_left())
        });
        seats.saturating_sub(local)
    });
    // At a mixer: [men, women].
    let left_by_gender = Memo::new(move |_| {
        offering.with(|o| {
            o.as_ref().map_or([0, 0], |o| {
                here.with(|h| Gender::ALL.map(|g| mixer::walk_in_left(o, h, g)))
            })
        })
    });
    let any_left = move || {
        if at_mixer.get() {
            left_by_gender.get().iter().any(|n| *n > 0)
        } else {
            left.get() > 0
        }
    };
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let lang = i18n.lang.get_untracked();
        let n = name.get_untracked();
        let digits = last4.get_untracked().trim().to_owned();
        if domain::account::parse_display_name(&n).is_err() {
            message.set(Some((false, Msg::WalkInNameNeeded.text(lang).to_owned())));
            crate::dom::focus("walkin-name");
            return;
        }
        if !(digits.is_empty() || (digits.len() == 4 && digits.bytes().all(|b| b.is_ascii_digit())))
        {
            message.set(Some((false, Msg::WalkInLast4Invalid.text(lang).to_owned())));
            crate::dom::focus("walkin-last4");
            return;
        }
        let mixer = at_mixer.get_untracked();
        let chosen = gender.get_untracked();
        if mixer {
            let Some(g) = chosen else {
                message.set(Some((
                    false,
                    StaffMsg::WalkInGenderNeeded.text(lang).to_owned(),
                )));
                crate::dom::focus("walkin-gender-male");
                return;
            };
            let i = usize::from(g == Gender::Female);
            if left_by_gender.get_untracked()[i] == 0 {
                message.set(Some((
                    false,
                    StaffMsg::WalkInGenderFull.text(lang).to_owned(),
                )));
                return;
            }
        } else if left.get_untracked() == 0 {
            message.set(Some((false, Msg::WalkInFull.text(lang).to_owned())));
            return;
        }
        let for_pool = chosen.filter(|_| mixer);
        // At a course the walk-in is checked in to today's lesson; a day without one has none.
        let (course, lesson) = offering.with_untracked(|o| {
            (
                o.as_ref()
                    .is_some_and(|o| o.kind() == domain::OfferingKind::Course),
                o.as_ref().and_then(super::lesson_today),
            )
        });
        if course && lesson.is_none() {
            message.set(Some((false, Msg::VenueNoLessonToday.text(lang).to_owned())));
            return;
        }
        leptos::task::spawn_local(async move {
            match venue
                .walk_in(&offering_id.get_value(), &n, &digits, for_pool, lesson)
                .await
            {
                Ok(()) => {
                    name.set(String::new());
                    last4.set(String::new());
                    gender.set(None);
                    let done = if mixer {
                        StaffMsg::WalkInDoneMixer.fill(lang, &[n.trim()])
                    } else {
                        Msg::WalkInDone.fill(lang, &[n.trim()])
                    };
                    message.set(Some((true, done)));
                }
                Err(e) => message.set(Some((false, e.text(lang)))),
            }
        });
    };
    let left_text = move || {
        if at_mixer.get() {
            let [men, women] = left_by_gender.get();
            i18n.sf(
                StaffMsg::WalkInLeftMixer,
                &[&men.to_string(), &women.to_string()],
            )
        } else {
            i18n.f(Msg::WalkInLeft, &[&left.get().to_string()])
        }
    };
    let gender_choice = move |g: Gender, label: StaffMsg| {
        let id = match g {
            Gender::Male => "walkin-gender-male",
            Gender::Female => "walkin-gender-female",
        };
        view! {
            <label class="check" for=id>
                <input
                    type="radio"
                    id=id
                    name="walkin-gender"
                    value=g.as_str()
                    prop:checked=move || gender.get() == Some(g)
                    on:change=move |_| gender.set(Some(g))
                />
                <span>{move || i18n.s(label)}</span>
            </label>
        }
    };
    view! {
        <form class="card form" novalidate=true on:submit=on_submit data-testid="walk-in">
            <h2 class="card-title">{move || i18n.t(Msg::WalkInTitle)}</h2>
            <p class="hint" data-testid="walk-in-left">{left_text}</p>
            <div class="field">
                <label class="field-label" for="walkin-name">{move || i18n.t(Msg::FieldDisplayName)}</label>
                <input
                    class="input"
                    id="walkin-name"
                    autocomplete="off"
                    maxlength=domain::account::MAX_NAME_CHARS.to_string()
                    prop:value=move || name.get()
                    on:input=move |ev| name.set(event_target_value(&ev))
                />
            </div>
            <Show when=move || at_mixer.get()>
                <fieldset class="choices choices-inline gender-choice" data-testid="walk-in-gender">
                    <legend class="choices-legend">{move || i18n.s(StaffMsg::WalkInGender)}</legend>
                    {gender_choice(Gender::Male, StaffMsg::GenderMale)}
                    {gender_choice(Gender::Female, StaffMsg::GenderFemale)}
                </fieldset>
            </Show>
            <div class="field">
                <label class="field-label" for="walkin-last4">{move || i18n.t(Msg::WalkInLast4)}</label>
                <input
                    class="input"
                    id="walkin-last4"
                    inputmode="numeric"
                    autocomplete="off"
                    maxlength="4"
                    prop:value=move || last4.get()
                    on:input=move |ev| last4.set(event_target_value(&ev))
                />
            </div>
            {move || message.get().map(|(ok, text)| view! {
                <div
                    class=if ok { "form-message form-message-ok" } else { "form-message form-message-error" }
                    role=if ok { "status" } else { "alert" }
                    data-testid="walk-in-message"
                >
                    {text}
                </div>
            })}
            <button type="submit" class="button button-primary" disabled=move || !any_left()>
                {move || i18n.t(Msg::WalkInSubmit)}
            </button>
        </form>
    }
}
