//! 管理后台 · 活动管理: every offering (drafts, published, cancelled) with create, edit, publish,
//! cancel (with the reason every registrant is told), the sign-ups as CSV, and the editor for
//! every field including the custom questions and the assigned organizers. Needs the network:
//! these are the admin's own writes, answered at once by the server.

use crate::{
    account::{FieldErrors, error_for, general_error_msg},
    api::{self, OfferingWrite},
    components::{
        choice_list::{Choice, ChoiceList},
        field::{CheckField, FormMessage, OutcomeMessage, SelectField, TextAreaField, TextField},
    },
    dom, format,
    i18n::{Lang, Msg, use_i18n},
    offering_form::{OfferingForm, QuestionDraft, error_msg, move_item, new_question},
    state::session::use_session,
};
use domain::{
    OfferingKind, Role, Venue,
    activity::{AdminOffering, QuestionKind},
    registration::Allocation,
};
use leptos::{ev::SubmitEvent, prelude::*};

/// Where a request stands.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Load<T> {
    Loading,
    Ready(T),
    Failed(Msg),
}

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

pub(super) fn kind_msg(kind: OfferingKind) -> Msg {
    match kind {
        OfferingKind::Activity => Msg::KindActivity,
        OfferingKind::Course => Msg::KindCourse,
        OfferingKind::Mixer => Msg::KindMixer,
    }
}

fn status_msg(status: &str) -> Msg {
    match status {
        "draft" => Msg::OfferingDraft,
        "cancelled" => Msg::OfferingCancelledTag,
        _ => Msg::OfferingPublished,
    }
}

fn question_kind_msg(kind: QuestionKind) -> Msg {
    match kind {
        QuestionKind::SingleChoice => Msg::QuestionSingle,
        QuestionKind::MultipleChoice => Msg::QuestionMultiple,
        QuestionKind::Text => Msg::QuestionText,
        QuestionKind::YesNo => Msg::QuestionYesNo,
    }
}

const QUESTION_KINDS: [(QuestionKind, &str); 4] = [
    (QuestionKind::SingleChoice, "single_choice"),
    (QuestionKind::MultipleChoice, "multiple_choice"),
    (QuestionKind::Text, "text"),
    (QuestionKind::YesNo, "yes_no"),
];

/// A file name for the CSV: the title without characters file systems refuse.
pub fn csv_file_name(lang: Lang, title: &str) -> String {
    let clean: String = title
        .chars()
        .filter(|c| {
            !matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|') && !c.is_control()
        })
        .take(40)
        .collect();
    let clean = clean.trim();
    if clean.is_empty() {
        "registrations.csv".to_owned()
    } else {
        Msg::CsvFileName.fill(lang, &[clean])
    }
}

/// The list, or the editor.
#[component]
pub(super) fn OfferingsPanel(
    /// Opens the review queue for an offering.
    on_review: Callback<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let list = RwSignal::new(Load::<Vec<AdminOffering>>::Loading);
    let venues = RwSignal::new(Vec::<Venue>::new());
    // None: the list; Some(None): a new offering; Some(Some(o)): editing o.
    let editing = RwSignal::new(None::<Option<AdminOffering>>);
    let flash = RwSignal::new(None::<Msg>);

    let load = move || {
        let Some(token) = session.token() else {
            return;
        };
        list.set(Load::Loading);
        leptos::task::spawn_local(async move {
            let (offerings, vs) =
                futures::join!(api::admin_offerings(&token), api::admin_venues(&token));
            match session.guard(&token, offerings) {
                Ok(o) => list.set(Load::Ready(o)),
                Err(e) => list.set(Load::Failed(general_error_msg(
                    &e,
                    Msg::AdminNeedsNetworkOfferings,
                ))),
            }
            if let Ok(vs) = vs {
                venues.set(vs);
            }
        });
    };
    load();

    let replace = move |o: AdminOffering| {
        list.update(|l| {
            if let Load::Ready(items) = l {
                match items.iter_mut().find(|x| x.summary.id == o.summary.id) {
                    Some(x) => *x = o,
                    None => {
                        items.push(o);
                        domain::sort::sort_by_key(items, |x| x.summary.starts_at);
                    }
                }
            }
        });
    };
    let on_done = Callback::new(move |saved: Option<AdminOffering>| {
        if let Some(o) = saved {
            replace(o);
            flash.set(Some(Msg::Saved));
        }
        editing.set(None);
    });
    let on_changed = Callback::new(move |o: AdminOffering| replace(o));
    let on_edit = Callback::new(move |o: AdminOffering| {
        flash.set(None);
        editing.set(Some(Some(o)));
    });

    let venue_name =
        move |id: &str| venues.with(|vs| vs.iter().find(|v| v.id == id).map(|v| v.name.clone()));

    // Rows keyed by offering, each following its own: publishing or cancelling one offering
    // leaves another row's cancel form, with the reason being typed, as it is. (刷新, which the
    // admin presses, starts the list afresh.)
    let shape = Memo::new(move |_| {
        list.with(|l| match l {
            Load::Loading => Load::Loading,
            Load::Failed(msg) => Load::Failed(*msg),
            Load::Ready(items) => Load::Ready(items.is_empty()),
        })
    });
    let ids = Memo::new(move |_| {
        list.with(|l| match l {
            Load::Ready(items) => items.iter().map(|o| o.summary.id.clone()).collect(),
            _ => Vec::new(),
        })
    });
    let row = move |id: String| {
        let offering = Memo::new(move |_| {
            list.with(|l| match l {
                Load::Ready(items) => items.iter().find(|o| o.summary.id == id).cloned(),
                _ => None,
            })
        });
        let shown = Memo::new(move |_| {
            offering
                .get()
                .map(|o| (venue_name(&o.summary.venue_id).unwrap_or_default(), o))
        });
        move || {
            shown.get().map(|(venue, o)| {
                view! { <OfferingRow offering=o venue=venue on_edit=on_edit on_changed=on_changed on_review=on_review /> }
            })
        }
    };
    let list_view = move || {
        match shape.get() {
        Load::Loading => view! { <p class="empty" aria-busy="true">{move || i18n.t(Msg::Loading)}</p> }.into_any(),
        Load::Failed(msg) => view! {
            <div class="banner banner-error" role="alert" data-testid="offerings-error">
                <span>{move || i18n.t(msg)}</span>
                <button type="button" class="button" on:click=move |_| load()>{move || i18n.t(Msg::Retry)}</button>
            </div>
        }
        .into_any(),
        Load::Ready(true) => view! {
            <p class="empty" data-testid="offerings-empty">{move || i18n.t(Msg::NoOfferingsYet)}</p>
        }
        .into_any(),
        Load::Ready(false) => view! {
            <ul class="admin-offerings">
                <For each=move || ids.get() key=|id| id.clone() children=row />
            </ul>
        }
        .into_any(),
    }
    };

    move || {
        match editing.get() {
        Some(initial) => view! { <OfferingEditor initial=initial venues=venues on_done=on_done /> }.into_any(),
        None => view! {
            <div class="toolbar">
                <button
                    type="button"
                    class="button button-primary"
                    data-testid="new-offering"
                    on:click=move |_| {
                        flash.set(None);
                        editing.set(Some(None));
                    }
                >
                    {move || i18n.t(Msg::NewOffering)}
                </button>
                <button type="button" class="button" on:click=move |_| load()>{move || i18n.t(Msg::Refresh)}</button>
            </div>
            <FormMessage message=flash error=false testid="offerings-flash" />
            {list_view}
        }
        .into_any(),
    }
    }
}

/// One offering in the list with its actions.
#[component]
fn OfferingRow(
    offering: AdminOffering,
    venue: String,
    on_edit: Callback<AdminOffering>,
    on_changed: Callback<AdminOffering>,
    on_review: Callback<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let o = StoredValue::new(offering.clone());
    let id = offering.summary.id.clone();
    let cancelling = RwSignal::new(false);
    let reason = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let message = RwSignal::new(None::<(bool, Msg)>);
    let s = &offering.summary;
    let status = s.status.clone();
    let is_draft = status == "draft";
    let is_cancelled = status == "cancelled";
    let pending = offering.pending_reviews;

    let publish = move |_| {
        let Some(token) = session.token() else { return };
        busy.set(true);
        leptos::task::spawn_local(async move {
            let id = o.with_value(|o| o.summary.id.clone());
            let result = session.guard(&token, api::publish_offering(&token, &id).await);
            busy.set(false);
            match result {
                Ok(updated) => on_changed.run(updated),
                Err(e) => message.set(Some((
                    false,
                    general_error_msg(&e, Msg::AdminNeedsNetworkOfferings),
                ))),
            }
        });
    };
    let confirm_cancel = move |ev: SubmitEvent| {
        ev.prevent_default();
        let Some(token) = session.token() else { return };
        let Ok(why) =
            domain::activity::parse_reason(&reason.get_untracked(), true).map(str::to_owned)
        else {
            message.set(Some((false, Msg::CancelReasonNeeded)));
            return;
        };
        busy.set(true);
        leptos::task::spawn_local(async move {
            let id = o.with_value(|o| o.summary.id.clone());
            let result = session.guard(&token, api::cancel_offering(&token, &id, &why).await);
            busy.set(false);
            match result {
                Ok(updated) => {
                    cancelling.set(false);
                    on_changed.run(updated);
                }
                Err(e) => message.set(Some((
                    false,
                    general_error_msg(&e, Msg::AdminNeedsNetworkOfferings),
                ))),
            }
        });
    };
    let export = move |_| {
        let Some(token) = session.token() else { return };
        busy.set(true);
        message.set(None);
        leptos::task::spawn_local(async move {
            let (id, title) = o.with_value(|o| (o.summary.id.clone(), o.summary.title.clone()));
            let result = session.guard(&token, api::registrations_csv(&token, &id).await);
            busy.set(false);
            match result {
                Ok(csv) => {
                    match dom::download(
                        &csv_file_name(i18n.lang.get_untracked(), &title),
                        "text/csv;charset=utf-8",
                        &csv,
                    ) {
                        Ok(()) => message.set(Some((true, Msg::CsvSaved))),
                        Err(e) => {
                            leptos::logging::warn!("saving the CSV failed: {e}");
                            message.set(Some((false, Msg::ErrUnexpected)));
                        }
                    }
                }
                Err(e) => message.set(Some((
                    false,
                    general_error_msg(&e, Msg::AdminNeedsNetworkOfferings),
                ))),
            }
        });
    };

    let when = move || {
        format::time_range(
            i18n.lang.get(),
            o.with_value(|o| o.summary.starts_at),
            o.with_value(|o| o.summary.ends_at),
        )
    };
    let seats = move || {
        let lang = i18n.lang.get();
        o.with_value(|o| {
            let s = &o.summary;
            let base =
                Msg::SeatsTaken.fill(lang, &[&s.seats_taken.to_string(), &s.capacity.to_string()]);
            if s.waitlist_len > 0 {
                format!(
                    "{base} · {}",
                    Msg::WaitlistCount.fill(lang, &[&s.waitlist_len.to_string()])
                )
            } else {
                base
            }
        })
    };
    let reason_id = format!("cancel-reason-{id}");
    view! {
        <li class="card admin-offering" data-testid="admin-offering" data-id=id.clone() data-status=s.status.clone()>
            <div class="card-tags">
                <span class=if is_cancelled { "tag tag-warn" } else if is_draft { "tag tag-soft" } else { "tag" } data-testid="offering-status">
                    {move || i18n.t(status_msg(&status))}
                </span>
                <span class="tag tag-soft">{move || i18n.t(kind_msg(o.with_value(|o| o.summary.kind)))}</span>
                <span class="tag tag-soft">{s.category.clone()}</span>
                {s.requires_approval.then(|| view! { <span class="tag tag-soft">{move || i18n.t(Msg::NeedsApproval)}</span> })}
            </div>
            <h3 class="card-title">{s.title.clone()}</h3>
            <p class="card-meta">{when}</p>
            <p class="card-meta">{venue}</p>
            <p class="card-meta">{seats}</p>
            {s.cancel_reason.clone().filter(|_| is_cancelled).map(|r| view! {
                <p class="card-meta">{move || i18n.f(Msg::StatusOfferingCancelled, &[&r])}</p>
            })}
            <div class="actions">
                {(pending > 0).then(|| {
                    let id = id.clone();
                    view! {
                        <button type="button" class="button" data-testid="open-reviews" on:click=move |_| on_review.run(id.clone())>
                            {move || i18n.f(Msg::PendingReviews, &[&pending.to_string()])}
                        </button>
                    }
                })}
                {(!is_cancelled).then(|| view! {
                    <button type="button" class="button" on:click=move |_| on_edit.run(o.get_value())>{move || i18n.t(Msg::Edit)}</button>
                })}
                {is_draft.then(|| view! {
                    <button type="button" class="button button-primary" disabled=move || busy.get() on:click=publish>{move || i18n.t(Msg::Publish)}</button>
                })}
                <button type="button" class="button" disabled=move || busy.get() on:click=export data-testid="export-csv">
                    {move || i18n.t(Msg::ExportCsv)}
                </button>
                {(!is_cancelled).then(|| view! {
                    <button type="button" class="button" on:click=move |_| { cancelling.set(true); message.set(None); }>
                        {move || i18n.t(Msg::CancelOffering)}
                    </button>
                })}
            </div>
            <Show when=move || cancelling.get()>
                <form class="form cancel-form" novalidate=true on:submit=confirm_cancel>
                    <div class="field">
                        <label class="field-label" for=reason_id.clone()>{move || i18n.t(Msg::CancelReason)}</label>
                        <p class="field-hint">{move || i18n.t(Msg::CancelReasonHint)}</p>
                        <textarea
                            class="input textarea"
                            id=reason_id.clone()
                            rows="2"
                            maxlength="200"
                            prop:value=move || reason.get()
                            on:input=move |ev| reason.set(event_target_value(&ev))
                        ></textarea>
                    </div>
                    <div class="actions">
                        <button type="submit" class="button button-danger" disabled=move || busy.get()>{move || i18n.t(Msg::ConfirmCancelOffering)}</button>
                        <button type="button" class="button" on:click=move |_| cancelling.set(false)>{move || i18n.t(Msg::CancelKeepShort)}</button>
                    </div>
                </form>
            </Show>
            <OutcomeMessage outcome=message />
        </li>
    }
}

/// The editor fields, one signal each (so the shared field components can bind them).
#[derive(Clone, Copy)]
struct Fields {
    kind: RwSignal<String>,
    title: RwSignal<String>,
    summary: RwSignal<String>,
    category: RwSignal<String>,
    venue_id: RwSignal<String>,
    starts_at: RwSignal<String>,
    ends_at: RwSignal<String>,
    signup_opens_at: RwSignal<String>,
    signup_closes_at: RwSignal<String>,
    sessions: RwSignal<String>,
    capacity: RwSignal<String>,
    volunteer_hours: RwSignal<String>,
    planned_hours: RwSignal<String>,
    min_share_percent: RwSignal<String>,
    requires_approval: RwSignal<bool>,
    waitlist_enabled: RwSignal<bool>,
    allocation: RwSignal<String>,
    questions: RwSignal<Vec<QuestionDraft>>,
    organizers: RwSignal<Vec<String>>,
}

impl Fields {
    fn new(f: OfferingForm) -> Self {
        Self {
            kind: RwSignal::new(f.kind.as_str().to_owned()),
            title: RwSignal::new(f.title),
            summary: RwSignal::new(f.summary),
            category: RwSignal::new(f.category),
            venue_id: RwSignal::new(f.venue_id),
            starts_at: RwSignal::new(f.starts_at),
            ends_at: RwSignal::new(f.ends_at),
            signup_opens_at: RwSignal::new(f.signup_opens_at),
            signup_closes_at: RwSignal::new(f.signup_closes_at),
            sessions: RwSignal::new(f.sessions),
            capacity: RwSignal::new(f.capacity),
            volunteer_hours: RwSignal::new(f.volunteer_hours),
            planned_hours: RwSignal::new(f.planned_hours),
            min_share_percent: RwSignal::new(f.min_share_percent),
            requires_approval: RwSignal::new(f.requires_approval),
            waitlist_enabled: RwSignal::new(f.waitlist_enabled),
            allocation: RwSignal::new(f.allocation.as_str().to_owned()),
            questions: RwSignal::new(f.questions),
            organizers: RwSignal::new(f.organizer_ids),
        }
    }

    fn form(&self) -> OfferingForm {
        OfferingForm {
            kind: OfferingKind::parse(&self.kind.get_untracked()).unwrap_or(OfferingKind::Activity),
            title: self.title.get_untracked(),
            summary: self.summary.get_untracked(),
            category: self.category.get_untracked(),
            venue_id: self.venue_id.get_untracked(),
            starts_at: self.starts_at.get_untracked(),
            ends_at: self.ends_at.get_untracked(),
            signup_opens_at: self.signup_opens_at.get_untracked(),
            signup_closes_at: self.signup_closes_at.get_untracked(),
            sessions: self.sessions.get_untracked(),
            capacity: self.capacity.get_untracked(),
            volunteer_hours: self.volunteer_hours.get_untracked(),
            planned_hours: self.planned_hours.get_untracked(),
            min_share_percent: self.min_share_percent.get_untracked(),
            requires_approval: self.requires_approval.get_untracked(),
            waitlist_enabled: self.waitlist_enabled.get_untracked(),
            allocation: Allocation::parse(&self.allocation.get_untracked()).unwrap_or_default(),
            questions: self.questions.get_untracked(),
            organizer_ids: self.organizers.get_untracked(),
        }
    }
}

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
fn OfferingEditor(
    initial: Option<AdminOffering>,
    /// The venues to choose from; they may arrive after the editor opened (a slow network), and
    /// then fill its list without rebuilding it.
    #[prop(into)]
    venues: Signal<Vec<Venue>>,
    on_done: Callback<Option<AdminOffering>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let editing_id = initial.as_ref().map(|o| o.summary.id.clone());
    let published = initial
        .as_ref()
        .is_some_and(|o| o.summary.status == "published");
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
                <TextField id="capacity" label=Msg::FieldCapacity value=f.capacity error=field_error("capacity") inputmode="numeric" maxlength=6 />
                <TextField id="sessions" label=Msg::FieldSessions value=f.sessions error=field_error("sessions") inputmode="numeric" maxlength=3 />
                <TextField id="volunteer_hours" label=Msg::FieldVolunteerHours hint=Msg::FieldVolunteerHoursHint value=f.volunteer_hours error=field_error("volunteer_hours") inputmode="numeric" maxlength=3 />
                <TextField id="planned_hours" label=Msg::FieldPlannedHours hint=Msg::FieldPlannedHoursHint value=f.planned_hours error=field_error("planned_hours") inputmode="numeric" maxlength=6 />
                <TextField id="min_share_percent" label=Msg::FieldMinShare hint=Msg::FieldMinShareHint value=f.min_share_percent error=field_error("min_share_percent") inputmode="numeric" maxlength=3 />
                <SelectField id="allocation" label=Msg::FieldAllocation value=f.allocation options=allocations error=field_error("allocation") />
            </div>
            <CheckField id="requires_approval" label=Msg::FieldRequiresApproval checked=f.requires_approval error=field_error("requires_approval") />
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

/// One question in the editor, found by its id (so reordering keeps what was typed).
#[component]
fn QuestionEditor(
    id: String,
    questions: RwSignal<Vec<QuestionDraft>>,
    errors: RwSignal<FieldErrors>,
) -> impl IntoView {
    let i18n = use_i18n();
    let qid = StoredValue::new(id.clone());
    let index = move || questions.with(|qs| qs.iter().position(|q| q.id == qid.get_value()));
    let get = move |read: fn(&QuestionDraft) -> String| {
        questions.with(|qs| {
            qs.iter()
                .find(|q| q.id == qid.get_value())
                .map(read)
                .unwrap_or_default()
        })
    };
    let update = move |change: Box<dyn FnOnce(&mut QuestionDraft)>| {
        questions.update(|qs| {
            if let Some(q) = qs.iter_mut().find(|q| q.id == qid.get_value()) {
                change(q);
            }
        });
    };
    let kind = move || {
        questions
            .with(|qs| qs.iter().find(|q| q.id == qid.get_value()).map(|q| q.kind))
            .unwrap_or(QuestionKind::Text)
    };
    let required =
        move || questions.with(|qs| qs.iter().any(|q| q.id == qid.get_value() && q.required));
    let is_choice = move || {
        matches!(
            kind(),
            QuestionKind::SingleChoice | QuestionKind::MultipleChoice
        )
    };
    let error = move || {
        let i = index()?;
        errors.with(|e| error_for(e, &format!("questions.{i}")))
    };
    let label_id = format!("question-{id}-label");
    let kind_id = format!("question-{id}-kind");
    let options_id = format!("question-{id}-options");
    let required_id = format!("question-{id}-required");
    let lang_kinds = move |lang: Lang| {
        QUESTION_KINDS
            .iter()
            .map(|(k, v)| (*k, *v, question_kind_msg(*k).text(lang)))
            .collect::<Vec<_>>()
    };
    view! {
        <li class="question-edit" data-testid="question-edit" class:field-invalid=move || error().is_some()>
            <div class="field">
                <label class="field-label" for=label_id.clone()>
                    {move || i18n.f(Msg::QuestionNumber, &[&index().map(|i| i + 1).unwrap_or(0).to_string()])}
                </label>
                <input
                    class="input"
                    id=label_id.clone()
                    maxlength="100"
                    prop:value=move || get(|q| q.label.clone())
                    on:input=move |ev| {
                        let v = event_target_value(&ev);
                        update(Box::new(move |q| q.label = v));
                    }
                />
            </div>
            <div class="field">
                <label class="field-label" for=kind_id.clone()>{move || i18n.t(Msg::QuestionKindLabel)}</label>
                <select
                    class="input select"
                    id=kind_id.clone()
                    on:change=move |ev| {
                        let v = event_target_value(&ev);
                        if let Some((k, _)) = QUESTION_KINDS.iter().find(|(_, s)| *s == v) {
                            let k = *k;
                            update(Box::new(move |q| q.kind = k));
                        }
                    }
                >
                    {move || {
                        let current = kind();
                        lang_kinds(i18n.lang.get())
                            .into_iter()
                            .map(|(k, v, text)| view! { <option value=v selected=k == current>{text}</option> })
                            .collect_view()
                    }}
                </select>
            </div>
            <Show when=is_choice>
                <div class="field">
                    <label class="field-label" for=options_id.clone()>{move || i18n.t(Msg::QuestionOptions)}</label>
                    <p class="field-hint">{move || i18n.t(Msg::QuestionOptionsHint)}</p>
                    <textarea
                        class="input textarea"
                        id=options_id.clone()
                        rows="3"
                        prop:value=move || get(|q| q.options.clone())
                        on:input=move |ev| {
                            let v = event_target_value(&ev);
                            update(Box::new(move |q| q.options = v));
                        }
                    ></textarea>
                </div>
            </Show>
            <label class="check">
                <input
                    type="checkbox"
                    id=required_id
                    prop:checked=required
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        update(Box::new(move |q| q.required = on));
                    }
                />
                <span>{move || i18n.t(Msg::QuestionRequired)}</span>
            </label>
            {move || error().map(|m| view! { <p class="field-error" role="alert">{i18n.t(m)}</p> })}
            <div class="actions">
                <button
                    type="button"
                    class="button"
                    disabled=move || index() == Some(0)
                    on:click=move |_| {
                        if let Some(i) = index() {
                            questions.update(|qs| move_item(qs, i, true));
                        }
                    }
                >
                    {move || i18n.t(Msg::MoveUp)}
                </button>
                <button
                    type="button"
                    class="button"
                    disabled=move || index().is_some_and(|i| i + 1 >= questions.with(Vec::len))
                    on:click=move |_| {
                        if let Some(i) = index() {
                            questions.update(|qs| move_item(qs, i, false));
                        }
                    }
                >
                    {move || i18n.t(Msg::MoveDown)}
                </button>
                <button
                    type="button"
                    class="button"
                    on:click=move |_| questions.update(|qs| qs.retain(|q| q.id != qid.get_value()))
                >
                    {move || i18n.t(Msg::RemoveQuestion)}
                </button>
            </div>
        </li>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_files_are_named_after_the_title() {
        assert_eq!(
            csv_file_name(Lang::Zh, "河小青·护河"),
            "河小青·护河-报名表.csv"
        );
        assert_eq!(csv_file_name(Lang::En, "a/b:c?"), "abc-sign-ups.csv");
        assert_eq!(csv_file_name(Lang::Zh, "///"), "registrations.csv");
    }

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
