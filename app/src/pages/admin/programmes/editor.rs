//! The programme editor: creates or edits an offering, every field with its error, the
//! custom questions and the assigned organizers; checked on the device, then by the server.

use super::{fields::Fields, kind_msg, questions::QuestionEditor};
use crate::{
    account::{FieldErrors, error_for, general_error_msg},
    api::{self, OfferingWrite},
    components::{
        choice_list::{Choice, ChoiceList},
        field::{CheckField, FormMessage, SelectField, TextAreaField, TextField},
    },
    dom, format,
    i18n::{Msg, StaffMsg, use_i18n},
    offering_form::{OfferingForm, QuestionDraft, error_msg, new_question},
    pages::admin::Load,
    state::session::use_session,
};
use domain::{OfferingKind, Role, Venue, admin::AdminOffering, registration::Allocation};
use leptos::{ev::SubmitEvent, prelude::*};

/// Categories offered as suggestions (the committees' own words); any other may be typed.
const CATEGORIES: [&str; 8] = [
    "河小青",
    "垃圾分类",
    "希望小屋",
    "敬老助残",
    "社区服务",
    "讲座",
    "竞赛",
    "实习",
];

/// The input to focus for an error on `field`.
fn input_for(field: &str, questions: &[QuestionDraft]) -> String {
    match field
        .strip_prefix("questions.")
        .and_then(|i| i.parse::<usize>().ok())
    {
        Some(i) => questions
            .get(i)
            .map(|q| format!("question-{}-label", q.id))
            .unwrap_or_else(|| "questions".into()),
        None => field.to_owned(),
    }
}

/// Creates or edits an offering.
#[component]
pub(super) fn OfferingEditor(
    initial: Option<AdminOffering>,
    /// The venues to choose from; they may arrive after the editor opened (a slow network), and
    /// then fill its list without rebuilding it.
    #[prop(into)]
    venues: Signal<Vec<Venue>>,
    on_done: Callback<Option<AdminOffering>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let editing_id = initial.as_ref().map(|o| o.offering.id.clone());
    let published = initial
        .as_ref()
        .is_some_and(|o| o.offering.status == domain::OfferingStatus::Published);
    let form = initial
        .as_ref()
        .map(OfferingForm::from_offering)
        .unwrap_or_else(|| OfferingForm::blank(format::now()));
    let f = Fields::new(form);
    // A new offering takes the first venue, as soon as the venues are known.
    Effect::new(move |_| {
        venues.with(|vs| {
            if f.venue_id.get_untracked().is_empty()
                && let Some(v) = vs.first()
            {
                f.venue_id.set(v.id.clone());
            }
        })
    });
    let errors = RwSignal::new(FieldErrors::new());
    let message = RwSignal::new(None::<Msg>);
    let busy = RwSignal::new(false);
    let field_error =
        move |field: &'static str| Signal::derive(move || errors.with(|e| error_for(e, field)));
    let editing_id = StoredValue::new(editing_id);

    // Organizers to choose from: everyone with the role (and whoever is assigned already).
    let organizer_users = RwSignal::new(Load::<Vec<Choice>>::Loading);
    if let Some(token) = session.token() {
        leptos::task::spawn_local(async move {
            let result = session.guard(&token, api::search_users_up_to(&token, "", 200).await);
            organizer_users.set(match result {
                Ok(users) => Load::Ready(
                    users
                        .into_iter()
                        .filter(|u| u.roles.contains(&Role::Organizer))
                        .map(|u| Choice {
                            value: u.id,
                            label: u.display_name,
                            detail: Some(u.phone),
                        })
                        .collect(),
                ),
                Err(e) => Load::Failed(general_error_msg(&e, Msg::AdminNeedsNetworkOfferings)),
            });
        });
    }
    let organizer_options = Signal::derive(move || {
        let mut choices = match organizer_users.get() {
            Load::Ready(c) => c,
            _ => Vec::new(),
        };
        for id in f.organizers.get() {
            if !choices.iter().any(|c| c.value == id) {
                choices.push(Choice {
                    value: id.clone(),
                    label: id,
                    detail: None,
                });
            }
        }
        choices
    });

    let save = move |publish: bool| {
        let Some(token) = session.token() else { return };
        if busy.get_untracked() {
            return;
        }
        let form = f.form();
        let draft = match form.draft() {
            Ok(d) => d,
            Err(found) => {
                if let Some((field, _)) = found.first() {
                    dom::focus(&input_for(field, &form.questions));
                }
                errors.set(
                    found
                        .into_iter()
                        .map(|(field, code)| {
                            let msg = error_msg(&field, code);
                            (field, msg)
                        })
                        .collect(),
                );
                message.set(Some(Msg::FormHasErrors));
                return;
            }
        };
        errors.set(FieldErrors::new());
        message.set(None);
        busy.set(true);
        let body = OfferingWrite {
            draft,
            publish,
            organizer_ids: form.organizer_ids.clone(),
        };
        leptos::task::spawn_local(async move {
            let result = match editing_id.get_value() {
                Some(id) => api::update_offering(&token, &id, &body).await,
                None => api::create_offering(&token, &body).await,
            };
            busy.set(false);
            match session.guard(&token, result) {
                Ok(saved) => on_done.run(Some(saved)),
                Err(e) => match e.field_error() {
                    Some((field, code)) => {
                        dom::focus(&input_for(field, &form.questions));
                        errors.set(vec![(field.to_owned(), error_msg(field, code))]);
                        message.set(Some(Msg::FormHasErrors));
                    }
                    None => {
                        message.set(Some(general_error_msg(&e, Msg::AdminNeedsNetworkOfferings)))
                    }
                },
            }
        });
    };
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        save(published);
    };

    let kinds = Signal::derive(move || {
        let lang = i18n.lang.get();
        OfferingKind::ALL
            .iter()
            .map(|k| (k.as_str().to_owned(), kind_msg(*k).text(lang).to_owned()))
            .collect::<Vec<_>>()
    });
    let venue_options = Signal::derive(move || {
        venues.with(|vs| {
            vs.iter()
                .map(|v| (v.id.clone(), v.name.clone()))
                .collect::<Vec<_>>()
        })
    });
    let allocations = Signal::derive(move || {
        let lang = i18n.lang.get();
        vec![
            (
                Allocation::FirstCome.as_str().to_owned(),
                Msg::AllocationFirstCome.text(lang).to_owned(),
            ),
            (
                Allocation::Lottery.as_str().to_owned(),
                Msg::AllocationLottery.text(lang).to_owned(),
            ),
        ]
    });
    let questions_error = move || errors.with(|e| error_for(e, "questions"));
    // A new offering takes review by its kind's default when its kind is chosen: a mixer's
    // sign-ups are reviewed (an admin reads each profile). An edited one keeps its own.
    if editing_id.with_value(Option::is_none) {
        let chosen = StoredValue::new(f.kind.get_untracked());
        Effect::new(move |_| {
            let kind = f.kind.get();
            if chosen.with_value(|k| *k != kind) {
                f.requires_approval.set(OfferingForm::review_by_default(
                    OfferingKind::parse(&kind).unwrap_or(OfferingKind::Activity),
                ));
                chosen.set_value(kind);
            }
        });
    }
    let is = move |kind: OfferingKind| f.kind.with(|k| k == kind.as_str());

    view! {
        <form class="card form offering-editor" novalidate=true on:submit=on_submit data-testid="offering-editor">
            <h2 class="card-title">
                {move || i18n.t(if editing_id.with_value(Option::is_some) { Msg::EditOffering } else { Msg::NewOffering })}
            </h2>
            <div class="form-grid">
                <SelectField id="kind" label=Msg::FieldKind value=f.kind options=kinds error=field_error("kind") />
                <TextField id="title" label=Msg::FieldTitle value=f.title error=field_error("title") maxlength=60 />
                <div class="field" class:field-invalid=move || field_error("category").with(Option::is_some)>
                    <label class="field-label" for="category">{move || i18n.t(Msg::FieldCategory)}</label>
                    <input
                        class="input"
                        id="category"
                        list="category-suggestions"
                        maxlength="20"
                        aria-invalid=move || field_error("category").with(Option::is_some).then_some("true")
                        prop:value=move || f.category.get()
                        on:input=move |ev| f.category.set(event_target_value(&ev))
                    />
                    <datalist id="category-suggestions">
                        {CATEGORIES.iter().map(|c| view! { <option value=*c></option> }).collect_view()}
                    </datalist>
                    {move || field_error("category").get().map(|m| view! { <p class="field-error" role="alert">{i18n.t(m)}</p> })}
                </div>
                <SelectField id="venue_id" label=Msg::FieldVenue value=f.venue_id options=venue_options error=field_error("venue_id") />
            </div>
            <TextAreaField id="summary" label=Msg::FieldSummary value=f.summary error=field_error("summary") maxlength=2000 />
            <div class="form-grid">
                <TextField id="starts_at" label=Msg::FieldStartsAt value=f.starts_at error=field_error("starts_at") kind="datetime-local" />
                <TextField id="ends_at" label=Msg::FieldEndsAt value=f.ends_at error=field_error("ends_at") kind="datetime-local" />
                <TextField id="signup_opens_at" label=Msg::FieldSignupOpens hint=Msg::FieldSignupOpensHint value=f.signup_opens_at error=field_error("signup_opens_at") kind="datetime-local" />
                <TextField id="signup_closes_at" label=Msg::FieldSignupCloses value=f.signup_closes_at error=field_error("signup_closes_at") kind="datetime-local" />
                // What belongs to one kind shows for that kind only.
                <Show
                    when=move || is(OfferingKind::Mixer)
                    fallback=move || view! {
                        <TextField id="capacity" label=Msg::FieldCapacity value=f.capacity error=field_error("capacity") inputmode="numeric" maxlength=6 />
                    }
                >
                    // A mixer: places per gender, an age range, picks.
                    <NumberField id="capacity" label=StaffMsg::FieldCapacityMale value=f.capacity error=field_error("capacity") maxlength=6 />
                    <TextField id="capacity_female" label=Msg::FieldCapacityFemale value=f.capacity_female error=field_error("capacity_female") inputmode="numeric" maxlength=6 />
                    <NumberField id="min_age" label=StaffMsg::FieldMinAge hint=StaffMsg::FieldAgeHint value=f.min_age error=field_error("min_age") maxlength=2 />
                    <NumberField id="max_age" label=StaffMsg::FieldMaxAge hint=StaffMsg::FieldAgeHint value=f.max_age error=field_error("max_age") maxlength=2 />
                    <NumberField id="picks" label=StaffMsg::FieldPicks hint=StaffMsg::FieldPicksHint value=f.picks error=field_error("picks") maxlength=2 />
                </Show>
                <Show when=move || is(OfferingKind::Course)>
                    <TextField id="sessions" label=Msg::FieldSessions value=f.sessions error=field_error("sessions") inputmode="numeric" maxlength=3 />
                    <SelectField id="allocation" label=Msg::FieldAllocation value=f.allocation options=allocations error=field_error("allocation") />
                </Show>
                <Show when=move || is(OfferingKind::Activity)>
                    <TextField id="volunteer_hours" label=Msg::FieldVolunteerHours hint=Msg::FieldVolunteerHoursHint value=f.volunteer_hours error=field_error("volunteer_hours") inputmode="numeric" maxlength=3 />
                    <TextField id="planned_hours" label=Msg::FieldPlannedHours hint=Msg::FieldPlannedHoursHint value=f.planned_hours error=field_error("planned_hours") inputmode="numeric" maxlength=6 />
                    <TextField id="min_share_percent" label=Msg::FieldMinShare hint=Msg::FieldMinShareHint value=f.min_share_percent error=field_error("min_share_percent") inputmode="numeric" maxlength=3 />
                </Show>
            </div>
            <CheckField id="requires_approval" label=Msg::FieldRequiresApproval checked=f.requires_approval error=field_error("requires_approval") />
            <Show when=move || is(OfferingKind::Mixer)>
                <p class="field-hint" data-testid="mixer-review-hint">{move || i18n.s(StaffMsg::FieldMixerReviewHint)}</p>
            </Show>
            <CheckField id="waitlist_enabled" label=Msg::FieldWaitlist checked=f.waitlist_enabled error=field_error("waitlist_enabled") />

            <fieldset class="fieldset-plain" id="questions" data-testid="questions-editor">
                <legend class="choices-legend">{move || i18n.t(Msg::QuestionsTitle)}</legend>
                <p class="field-hint">{move || i18n.t(Msg::QuestionsHint)}</p>
                {move || questions_error().map(|m| view! { <p class="field-error" role="alert">{i18n.t(m)}</p> })}
                <ol class="question-list">
                    <For each=move || f.questions.get() key=|q| q.id.clone() let:q>
                        <QuestionEditor id=q.id.clone() questions=f.questions errors=errors />
                    </For>
                </ol>
                <div class="actions">
                    <button
                        type="button"
                        class="button"
                        data-testid="add-question"
                        disabled=move || f.questions.with(|qs| new_question(qs).is_none())
                        on:click=move |_| f.questions.update(|qs| {
                            if let Some(q) = new_question(qs) {
                                qs.push(q);
                            }
                        })
                    >
                        {move || i18n.t(Msg::AddQuestion)}
                    </button>
                </div>
            </fieldset>

            {move || match organizer_users.get() {
                Load::Failed(msg) => view! { <p class="form-message form-message-error" role="alert">{i18n.t(msg)}</p> }.into_any(),
                Load::Loading => view! { <p class="hint" aria-busy="true">{i18n.t(Msg::Loading)}</p> }.into_any(),
                Load::Ready(_) => view! {
                    <ChoiceList
                        legend=Signal::derive(move || i18n.t(Msg::AssignedOrganizers).to_owned())
                        options=organizer_options
                        selected=f.organizers
                        id_prefix="organizer".to_owned()
                    />
                    <Show when=move || organizer_options.with(Vec::is_empty)>
                        <p class="hint">{move || i18n.t(Msg::NoOrganizers)}</p>
                    </Show>
                }
                .into_any(),
            }}

            <FormMessage message=message testid="editor-message" />
            <div class="actions">
                {if published {
                    view! {
                        <button type="submit" class="button button-primary" disabled=move || busy.get()>{move || i18n.t(Msg::SaveChanges)}</button>
                    }
                    .into_any()
                } else {
                    view! {
                        <button type="button" class="button" disabled=move || busy.get() on:click=move |_| save(false) data-testid="save-draft">
                            {move || i18n.t(Msg::SaveDraft)}
                        </button>
                        <button type="button" class="button button-primary" disabled=move || busy.get() on:click=move |_| save(true) data-testid="save-publish">
                            {move || i18n.t(Msg::SaveAndPublish)}
                        </button>
                    }
                    .into_any()
                }}
                <button type="button" class="button" on:click=move |_| on_done.run(None)>{move || i18n.t(Msg::CancelKeepShort)}</button>
            </div>
        </form>
    }
}

/// A number field whose label and hint are the staff build's texts (a mixer's).
#[component]
fn NumberField(
    id: &'static str,
    label: StaffMsg,
    value: RwSignal<String>,
    #[prop(into)] error: Signal<Option<Msg>>,
    #[prop(optional)] hint: Option<StaffMsg>,
    maxlength: usize,
) -> impl IntoView {
    let i18n = use_i18n();
    let described = move || {
        let mut ids = Vec::new();
        if hint.is_some() {
            ids.push(format!("{id}-hint"));
        }
        if error.with(Option::is_some) {
            ids.push(format!("{id}-error"));
        }
        (!ids.is_empty()).then(|| ids.join(" "))
    };
    view! {
        <div class="field" class:field-invalid=move || error.with(Option::is_some)>
            <label class="field-label" for=id>{move || i18n.s(label)}</label>
            {hint.map(|h| view! { <p class="field-hint" id=format!("{id}-hint")>{move || i18n.s(h)}</p> })}
            <input
                class="input"
                id=id
                name=id
                autocomplete="off"
                inputmode="numeric"
                maxlength=maxlength.to_string()
                aria-invalid=move || error.with(Option::is_some).then_some("true")
                aria-describedby=described
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
            />
            {move || error.get().map(|msg| view! {
                <p class="field-error" id=format!("{id}-error") role="alert" data-testid=format!("{id}-error")>{i18n.t(msg)}</p>
            })}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::questions::QuestionKind;

    #[test]
    fn errors_on_a_question_focus_its_label() {
        let q = QuestionDraft {
            id: "q7".into(),
            label: String::new(),
            kind: QuestionKind::Text,
            options: String::new(),
            required: false,
        };
        assert_eq!(input_for("questions.0", &[q]), "question-q7-label");
        assert_eq!(input_for("questions.3", &[]), "questions");
        assert_eq!(input_for("capacity", &[]), "capacity");
    }
}
