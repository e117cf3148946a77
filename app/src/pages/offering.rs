//! An offering's details (`/o/{id}`): description, time, place, places, questions; signing up
//! with the answers (offline too), the registration's state with the organizer's or admin's
//! reason, cancelling, and once confirmed the ticket with its QR code and a calendar file.
//! Everything comes from the device, so it all works in airplane mode.

use super::activities::save_calendar;
use crate::nav::{A, use_params_map};
use crate::{
    account::sign_in_href,
    agenda,
    components::{
        question_form::{QuestionForm, question_input_id},
        registration_bar::{Registered, RegistrationBar},
        ticket_card::TicketCard,
    },
    dom, format,
    i18n::{Msg, use_i18n},
    pages::course_learner::CourseParts,
    pages::mixer_participant::{MixerParts, MixerProfileForm},
    qr,
    state::{
        catalogue::{CatalogueStatus, use_catalogue},
        registrations::use_registrations,
        session::use_session,
        sync::use_sync,
    },
    status_text,
};
use domain::{
    Offering, OfferingKind,
    questions::{AnswerError, check_answers},
};
use leptos::{ev::SubmitEvent, prelude::*};
use serde_json::{Map, Value};

/// The text for an answer that does not pass.
pub fn answer_error_msg(e: &AnswerError) -> Msg {
    match e.code {
        "required" => Msg::ErrRequired,
        "too_long" => Msg::ErrAnswerTooLong,
        _ => Msg::ErrInvalidValue,
    }
}

/// Why signing up is not offered now, if it is not: the one sign-up decision
/// (`domain::signup`), read for this page.
/// `term_full`: the person already holds as many courses of the term as allowed; `who`: the
/// pool their place would come from and why a mixer's conditions keep them out, if they do
/// (`state::registrations::mixer_applicant`).
pub fn closed_reason(
    o: &Offering,
    term_full: bool,
    who: (
        Option<domain::PoolKey>,
        Option<domain::registration::RejectReason>,
    ),
    now: time::OffsetDateTime,
) -> Option<Msg> {
    use domain::registration::RejectReason;
    use domain::signup::{Applicant, Closed, Offer};
    let applicant = Applicant {
        has_live: false,
        pool: who.0,
        term_full,
        ineligible: who.1,
    };
    match Offer::of(o, &applicant, now.unix_timestamp()) {
        Offer::Closed(Closed::Cancelled) => Some(Msg::SignupCancelledOffering),
        Offer::Closed(Closed::Draft) => Some(Msg::SignupNotPublished),
        Offer::Closed(Closed::NotYetOpen(_)) => Some(Msg::SignupNotOpenYet),
        Offer::Closed(Closed::Over) => Some(Msg::ReasonClosedSentence),
        Offer::Full => Some(Msg::SignupFull),
        Offer::NotEligible | Offer::Ineligible(RejectReason::NoProfile) => {
            Some(Msg::SignupNeedsMixerProfile)
        }
        Offer::Ineligible(RejectReason::NotDeclared) => Some(Msg::SignupNotDeclared),
        Offer::Ineligible(RejectReason::AgeRange) => Some(Msg::SignupAgeRange),
        Offer::Ineligible(_) => Some(Msg::ReasonNotEligible),
        Offer::TermFull => Some(Msg::ReasonTermLimit),
        Offer::Open(_) | Offer::Registered => None,
    }
}

/// Places left, pool by pool (a mixer's per gender, or only the person's own pool when
/// `only` names it), with the waitlist where one is open.
pub fn seats_text(lang: crate::i18n::Lang, o: &Offering, only: Option<domain::PoolKey>) -> String {
    let pools: Vec<String> = o
        .plan
        .quotas
        .iter()
        .filter(|q| only.is_none_or(|p| p == q.pool))
        .filter_map(|q| {
            let p = o.pool(q.pool)?;
            let left = p.seats_left();
            let seats = if left == 0 {
                Msg::SeatsFull.fill(lang, &[&p.capacity.to_string()])
            } else {
                Msg::SeatsLeft.fill(lang, &[&left.to_string(), &p.capacity.to_string()])
            };
            let seats = if left == 0 && o.plan.waitlist_enabled {
                format!(
                    "{seats} · {}",
                    Msg::WaitlistOpen.fill(lang, &[&p.waitlist_len.to_string()])
                )
            } else {
                seats
            };
            Some(match q.pool {
                domain::PoolKey::All => seats,
                domain::PoolKey::Male => format!("{} {seats}", Msg::PoolMale.text(lang)),
                domain::PoolKey::Female => format!("{} {seats}", Msg::PoolFemale.text(lang)),
            })
        })
        .collect();
    pools.join("；")
}

fn list_href(kind: OfferingKind) -> &'static str {
    match kind {
        OfferingKind::Activity => "/",
        OfferingKind::Course => "/courses",
        OfferingKind::Mixer => "/mixers",
    }
}

/// The details page.
#[component]
pub fn OfferingPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let sync = use_sync();
    let catalogue = use_catalogue();
    let id = Memo::new(move |_| params.with(|p| p.get("id").unwrap_or_default()));
    let offering = Memo::new(move |_| sync.offering(&id.get()));
    let known = Memo::new(move |_| offering.with(Option::is_some));
    // The page is built once per offering shown. What a sync changes in it (the places left,
    // a title) is drawn again inside it, part by part, so the answers being typed into the
    // sign-up form and a 取消报名 waiting for its confirmation stay as they are.
    move || match known.get().then(|| offering.get_untracked()).flatten() {
        Some(first) => {
            let _ = id.get();
            let current = Memo::new(move |last: Option<&Offering>| {
                offering
                    .get()
                    .or_else(|| last.cloned())
                    .unwrap_or_else(|| first.clone())
            });
            view! { <Details offering=current /> }.into_any()
        }
        None => {
            let loading = matches!(
                catalogue.status.get(),
                CatalogueStatus::Loading | CatalogueStatus::Cached
            ) && !sync.ready.get();
            view! {
                <section class="page">
                    <h1 class="page-title">{move || i18n.t(Msg::OfferingTitle)}</h1>
                    {if loading {
                        view! { <p class="empty" aria-busy="true">{move || i18n.t(Msg::Loading)}</p> }.into_any()
                    } else {
                        view! {
                            <div class="card" data-testid="offering-missing">
                                <p>{move || i18n.t(Msg::OfferingMissing)}</p>
                                <div class="actions">
                                    <A href="/" attr:class="button">{move || i18n.t(Msg::BackHome)}</A>
                                </div>
                            </div>
                        }
                        .into_any()
                    }}
                </section>
            }
            .into_any()
        }
    }
}

#[component]
fn Details(offering: Memo<Offering>) -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let session = use_session();
    let (id, kind) = offering.with_untracked(|o| (o.id.clone(), o.kind()));
    let back = list_href(kind);
    // How many have applied for a course given by draw: from the public results, when online
    // (nothing is shown offline or before it arrives).
    let lottery =
        offering.with_untracked(|o| o.plan.allocation == domain::registration::Allocation::Lottery);
    // On a first visit the page came with them.
    let first = lottery
        .then(|| crate::first::take_course_results(&id))
        .flatten()
        .map(|r| (r.applications, r.capacity));
    let seeded = first.is_some();
    let applied = RwSignal::new(first);
    if lottery && !seeded {
        let id = id.clone();
        leptos::task::spawn_local(async move {
            if let Ok(r) = crate::api::course_results(&id).await {
                applied.set(Some((r.applications, r.capacity)));
            }
        });
    }
    // A mixer shows the places left for the person's own gender, once their profile says it.
    let registrations = use_registrations();
    let own_pool = Memo::new(move |_| {
        registrations.mixer_profile.with(|p| {
            let gender = p.as_ref().map(|(p, _)| p.gender)?;
            offering.with(|o| o.plan.programme.mixer().map(|_| gender.pool()))
        })
    });
    let facts = move || {
        let lang = i18n.lang.get();
        let o = offering.get();
        let venue = sync.venue_of(&o.plan.venue_id);
        let place = venue.as_ref().map(|v| v.name.clone()).unwrap_or_default();
        let address = venue.map(|v| v.address).unwrap_or_default();
        let lottery = o.plan.allocation == domain::registration::Allocation::Lottery;
        let seats = if lottery {
            Msg::LotteryPlaces.fill(lang, &[&o.total().capacity.to_string()])
        } else {
            seats_text(lang, &o, own_pool.get())
        };
        let window = match o.plan.signup_opens_at {
            Some(t) => format!(
                "{} – {}",
                format::date_time(lang, t),
                format::date_time(lang, o.plan.signup_closes_at)
            ),
            None => {
                Msg::SignupCloses.fill(lang, &[&format::date_time(lang, o.plan.signup_closes_at)])
            }
        };
        view! {
            <dl class="facts offering-facts">
                <dt>{Msg::FactWhen.text(lang)}</dt>
                <dd data-testid="offering-when">{format::time_range(lang, o.starts_at(), o.ends_at())}</dd>
                <dt>{Msg::FactWhere.text(lang)}</dt>
                <dd>
                    {if place.is_empty() { Msg::VenueUnknown.text(lang).to_owned() } else { place }}
                    {(!address.is_empty()).then(|| view! { <br /><small class="quiet">{address}</small> })}
                </dd>
                <dt>{Msg::FactPlaces.text(lang)}</dt>
                <dd data-testid="offering-seats">{seats}</dd>
                <dt>{if lottery { Msg::FactApplications } else { Msg::FactSignup }.text(lang)}</dt>
                <dd data-testid="offering-window">{window}</dd>
                {move || applied.get().map(|(n, places)| view! {
                    <dt>{Msg::FactApplied.text(i18n.lang.get())}</dt>
                    <dd data-testid="offering-applied">
                        {Msg::AppliedCount.fill(i18n.lang.get(), &[&n.to_string(), &places.to_string()])}
                    </dd>
                })}
                {o.plan.programme.activity().and_then(|a| a.volunteer_hours).map(|h| view! {
                    <dt>{Msg::FactHours.text(lang)}</dt>
                    <dd>{Msg::HoursValue.fill(lang, &[&h.to_string()])}</dd>
                })}
                {o.plan.programme.course().map(|c| {
                    let lessons = (1u32..)
                        .zip(&c.lessons)
                        .map(|(n, l)| view! {
                            <li>
                                <span class="lesson-name">{Msg::LessonNumber.fill(lang, &[&n.to_string()])}</span>
                                " "
                                <span>{format::time_range(lang, l.starts_at, l.ends_at)}</span>
                            </li>
                        })
                        .collect_view();
                    view! {
                        {(!c.teacher.trim().is_empty()).then(|| view! {
                            <dt>{Msg::FactTeacher.text(lang)}</dt>
                            <dd data-testid="offering-teacher">{c.teacher.clone()}</dd>
                        })}
                        {(!c.term.trim().is_empty()).then(|| view! {
                            <dt>{Msg::FactTerm.text(lang)}</dt>
                            <dd>{c.term.clone()}</dd>
                        })}
                        <dt>{Msg::FactLessons.text(lang)}</dt>
                        <dd>
                            {Msg::Sessions.fill(lang, &[&c.lessons.len().to_string()])}
                            <ol class="lesson-list" data-testid="offering-lessons">{lessons}</ol>
                        </dd>
                    }
                })}
                {o.plan.programme.mixer().map(|m| view! {
                    <dt>{Msg::FactAgeRange.text(lang)}</dt>
                    <dd data-testid="offering-ages">{Msg::AgeRangeValue.fill(lang, &[&m.min_age.to_string(), &m.max_age.to_string()])}</dd>
                    <dt>{Msg::FactPicks.text(lang)}</dt>
                    <dd>{Msg::PicksValue.fill(lang, &[&m.picks.to_string()])}</dd>
                })}
                {o.plan.requires_approval.then(|| view! {
                    <dt>{Msg::FactApproval.text(lang)}</dt>
                    <dd>{Msg::ApprovalExplained.text(lang)}</dd>
                })}
            </dl>
        }
    };
    let head = move || {
        let lang = i18n.lang.get();
        offering.with(|o| {
            let cancelled = (o.status == domain::OfferingStatus::Cancelled).then(|| {
                let reason = o.cancel_reason.clone().unwrap_or_default();
                view! {
                    <p class="banner banner-error" role="alert" data-testid="offering-cancelled">
                        {Msg::StatusOfferingCancelled.fill(lang, &[&reason])}
                    </p>
                }
            });
            view! {
                <div class="card-tags">
                    <span class="tag">{o.plan.category.clone()}</span>
                    {o.plan.requires_approval.then(|| view! { <span class="tag tag-soft">{Msg::NeedsApproval.text(lang)}</span> })}
                </div>
                <h1 class="page-title offering-title">{o.plan.title.clone()}</h1>
                {cancelled}
            }
        })
    };
    let description = move || {
        let lang = i18n.lang.get();
        offering.with(|o| {
            (!o.plan.summary.trim().is_empty()).then(|| {
                view! {
                    <h2 class="section-title">{Msg::Description.text(lang)}</h2>
                    <p class="offering-summary">{o.plan.summary.clone()}</p>
                }
            })
        })
    };
    // The ticket shows no counts: it is drawn again only when something it shows changed.
    let for_ticket = Memo::new(move |_| {
        let mut o = offering.get();
        o.counts.clear();
        o
    });
    let signed_in = Memo::new(move |_| session.session.with(Option::is_some));
    let sign_in = sign_in_href(&format!("/o/{}", crate::api::encode_query_value(&id)));
    view! {
        <section class="page offering-page" data-testid="offering-page" data-id=id.clone()>
            <A href=back attr:class="button button-quiet back-link">{move || i18n.t(Msg::BackToList)}</A>
            // At the door the ticket is what is wanted: it comes first.
            <Show when=move || signed_in.get()>
                <TicketSection offering=for_ticket />
            </Show>
            <div class="card">
                {head}
                {facts}
                {description}
                {lottery.then(|| view! {
                    <p class="hint">{move || i18n.t(Msg::LotteryExplained)}</p>
                    <A
                        href=format!("/courses/{}/results", crate::api::encode_query_value(&id))
                        attr:class="text-link"
                        attr:data-testid="offering-results-link"
                    >
                        {move || i18n.t(Msg::ResultsLink)}
                    </A>
                })}
            </div>
            <Show
                when=move || signed_in.get()
                fallback=move || view! {
                    <div class="card">
                        <p>{move || i18n.t(Msg::SignInToSignUpHint)}</p>
                        <div class="actions">
                            <A href=sign_in.clone() attr:class="button button-primary">
                                {move || i18n.t(Msg::SignInToSignUp)}
                            </A>
                        </div>
                    </div>
                }
            >
                <Registration offering=offering />
            </Show>
        </section>
    }
}

/// The person's registration for this offering, or the form to sign up.
#[component]
fn Registration(offering: Memo<Offering>) -> impl IntoView {
    let i18n = use_i18n();
    let registrations = use_registrations();
    let id = offering.with_untracked(|o| o.id.clone());
    let action_error = RwSignal::new(None::<String>);
    let registration = Memo::new(move |_| registrations.for_offering(&id));
    let live =
        Memo::new(move |_| registration.with(|r| r.as_ref().is_some_and(|r| r.status.is_live())));
    let on_cancel = Callback::new(move |id: String| {
        leptos::task::spawn_local(async move {
            let result = registrations.cancel(&id).await;
            action_error.set(result.err().map(|e| e.text(i18n.lang.get_untracked())));
        });
    });
    let state = move || {
        let lang = i18n.lang.get();
        registration.get().map(|r| {
            let registered = Registered {
                label: status_text::registration(lang, &r),
                note: status_text::registration_note(lang, &r),
                pending: r.pending,
                cancellable: domain::signup::may_cancel(r.status),
                live: r.status.is_live(),
                id: r.id.clone(),
            };
            let o = offering.get_untracked();
            let queued_application = (r.status
                == domain::registration::RegistrationStatus::PendingSync
                && o.plan.allocation == domain::registration::Allocation::Lottery)
                .then(|| {
                    let closes = format::date_time(lang, o.plan.signup_closes_at);
                    view! {
                        <p class="hint hint-warn" data-testid="application-queued">
                            {Msg::ApplicationQueued.fill(lang, &[&closes])}
                        </p>
                    }
                });
            let course = (o.kind() == OfferingKind::Course).then(|| {
                view! { <CourseParts registration_id=r.id.clone() /> }
            });
            let mixer = (o.kind() == OfferingKind::Mixer).then(|| {
                view! { <MixerParts registration_id=r.id.clone() /> }
            });
            view! {
                <div class="card" data-testid="my-state">
                    <h2 class="card-title">{Msg::MyRegistration.text(lang)}</h2>
                    <RegistrationBar
                        lang=lang
                        signed_in=true
                        sign_in_href=String::new()
                        registered=Some(registered)
                        can_sign_up=false
                        on_request=Callback::new(|()| {})
                        on_cancel=on_cancel
                    />
                    {queued_application}
                    {course}
                    {mixer}
                </div>
            }
        })
    };
    view! {
        {move || action_error.get().map(|e| view! { <p class="banner banner-error" role="alert">{e}</p> })}
        {state}
        <Show when=move || !live.get()>
            <SignupForm offering=offering action_error=action_error />
        </Show>
    }
}

/// The ticket with its QR code, once the registration holds a place; a calendar file beside it.
#[component]
fn TicketSection(offering: Memo<Offering>) -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let registrations = use_registrations();
    let session = use_session();
    let id = offering.with_untracked(|o| o.id.clone());
    let registration = Memo::new(move |_| registrations.for_offering(&id));
    let ticket = move || {
        let lang = i18n.lang.get();
        let r = registration.get()?;
        if !agenda::has_place(r.status) {
            return None;
        }
        let o = offering.get();
        Some(match r.ticket.clone() {
            Some(ticket) => {
                let svg = qr::svg(&ticket);
                let name = session.user().map(|u| u.display_name).unwrap_or_default();
                let place = sync
                    .venue_of(&o.plan.venue_id)
                    .map(|v| v.name)
                    .unwrap_or_else(|| Msg::VenueUnknown.text(lang).to_owned());
                let id = r.id.clone();
                let calendar_failed = RwSignal::new(false);
                view! {
                    <TicketCard
                        ticket=ticket
                        qr_svg=svg
                        name=name
                        title=o.plan.title.clone()
                        when=format::time_range(lang, o.starts_at(), o.ends_at())
                        place=place
                    />
                    <div class="card calendar-card">
                        <p class="hint">{Msg::CalendarHint.text(lang)}</p>
                        <div class="actions">
                            <button
                                type="button"
                                class="button"
                                data-testid="add-to-calendar"
                                on:click=move |_| calendar_failed.set(!save_calendar(&registrations, &sync, &id))
                            >
                                {Msg::AddToCalendar.text(lang)}
                            </button>
                        </div>
                        <Show when=move || calendar_failed.get()>
                            <p class="field-error" role="alert">{move || i18n.t(Msg::ErrUnexpected)}</p>
                        </Show>
                    </div>
                }
                .into_any()
            }
            None => view! {
                <p class="card hint" data-testid="ticket-pending">{Msg::TicketAfterSync.text(lang)}</p>
            }
            .into_any(),
        })
    };
    view! { {ticket} }
}

/// The questions and the sign-up button, or why signing up is closed. The answers outlive
/// changes to the offering: if a sync closes signing up and it opens again, or changes the
/// questions, what was typed is still there.
#[component]
fn SignupForm(offering: Memo<Offering>, action_error: RwSignal<Option<String>>) -> impl IntoView {
    let i18n = use_i18n();
    let registrations = use_registrations();
    let answers = RwSignal::new(Map::<String, Value>::new());
    let error = RwSignal::new(None::<(String, Msg)>);
    let busy = RwSignal::new(false);
    // Editing the answer at fault clears its error.
    Effect::new(move |ran: Option<()>| {
        answers.track();
        if ran.is_some() {
            error.set(None);
        }
    });
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let offering = offering.get_untracked();
        let given = answers.get_untracked();
        if let Err(e) = check_answers(&offering.plan.questions, &given) {
            dom::focus(&question_input_id(&e.question_id));
            error.set(Some((e.question_id.clone(), answer_error_msg(&e))));
            return;
        }
        busy.set(true);
        leptos::task::spawn_local(async move {
            let result = registrations.request(&offering, given).await;
            busy.set(false);
            action_error.set(result.err().map(|e| e.text(i18n.lang.get_untracked())));
        });
    };
    let sync = use_sync();
    // The term limit, from the courses this person holds (as the request's prediction reads it).
    let term_full = Memo::new(move |_| {
        let held: Vec<Offering> = registrations.list.with(|regs| {
            regs.iter()
                .filter(|g| g.status.is_live())
                .filter_map(|g| sync.offering(&g.offering_id))
                .collect()
        });
        offering.with(|o| domain::signup::term_full(o, &held))
    });
    // A mixer's conditions, from the person's profile and birth year (as the request's
    // prediction reads them).
    let session = use_session();
    let who = Memo::new(move |_| {
        let birth_year = session
            .session
            .with(|s| s.as_ref().map(|s| s.user.birth_year));
        registrations.mixer_profile.with(|p| {
            offering.with(|o| {
                crate::state::registrations::mixer_applicant(
                    o,
                    p.as_ref().map(|(p, _)| p),
                    birth_year,
                    format::now().year(),
                )
            })
        })
    });
    let closed = Memo::new(move |_| {
        offering.with(|o| closed_reason(o, term_full.get(), who.get(), format::now()))
    });
    let questions = Memo::new(move |_| offering.with(|o| o.plan.questions.clone()));
    // A question an admin took out since it was answered takes its answer with it: the answer
    // would be refused with nothing on screen to correct.
    Effect::new(move |_| {
        questions.with(|qs| {
            let stale =
                answers.with_untracked(|a| a.keys().any(|k| !qs.iter().any(|q| q.id == *k)));
            if stale {
                answers.update(|a| a.retain(|k, _| qs.iter().any(|q| q.id == *k)));
            }
        })
    });
    let requires_approval = Memo::new(move |_| offering.with(|o| o.plan.requires_approval));
    let lottery = Memo::new(move |_| {
        offering.with(|o| o.plan.allocation == domain::registration::Allocation::Lottery)
    });
    let waitlist = Memo::new(move |_| {
        offering.with(|o| {
            o.total().seats_left() == 0
                && o.plan.allocation != domain::registration::Allocation::Lottery
                && o.plan.waitlist_enabled
                && !o.plan.requires_approval
        })
    });
    let form = move || {
        let questions = questions.get();
        let has_questions = !questions.is_empty();
        view! {
            <form class="card form" novalidate=true on:submit=on_submit data-testid="signup-form">
                <h2 class="card-title">{move || i18n.t(Msg::SignupFormTitle)}</h2>
                {has_questions.then(|| view! { <p class="hint">{move || i18n.t(Msg::QuestionsIntro)}</p> })}
                <QuestionForm questions=questions answers=answers error=error />
                {move || requires_approval.get().then(|| view! { <p class="hint">{i18n.t(Msg::ApprovalExplained)}</p> })}
                <button
                    type="submit"
                    class="button button-primary button-block"
                    aria-busy=move || busy.get().then_some("true")
                    disabled=move || busy.get()
                >
                    {move || {
                        i18n.t(if lottery.get() {
                            Msg::ApplyLottery
                        } else if waitlist.get() {
                            Msg::JoinWaitlist
                        } else {
                            Msg::SubmitSignup
                        })
                    }}
                </button>
                <p class="hint">{move || i18n.t(Msg::SignupOfflineHint)}</p>
            </form>
        }
    };
    move || match closed.get() {
        // A mixer asks for the profile (or its declaration) right here, then offers sign-up.
        Some(msg @ (Msg::SignupNeedsMixerProfile | Msg::SignupNotDeclared)) => view! {
            <p class="card hint" data-testid="signup-closed">{move || i18n.t(msg)}</p>
            <MixerProfileForm />
        }
        .into_any(),
        Some(msg) => view! {
            <p class="card hint" data-testid="signup-closed">{move || i18n.t(msg)}</p>
        }
        .into_any(),
        None => form().into_any(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn offering(status: &str, left: u32, waitlist: bool) -> Offering {
        crate::test_offering::from_flat(serde_json::json!({
            "id": "a", "kind": "activity", "title": "t", "summary": "", "category": "c",
            "venue_id": "v", "starts_at": "2026-12-05T09:00:00+08:00",
            "ends_at": "2026-12-05T11:00:00+08:00", "sessions": 1, "capacity": 10,
            "seats_taken": 10 - left, "signup_closes_at": "2026-12-04T20:00:00+08:00",
            "volunteer_hours": 2, "status": status, "waitlist_enabled": waitlist,
            "signup_opens_at": "2026-11-20T09:00:00+08:00"
        }))
    }

    const ALL: (
        Option<domain::PoolKey>,
        Option<domain::registration::RejectReason>,
    ) = (Some(domain::PoolKey::All), None);

    #[test]
    fn signing_up_is_offered_only_while_it_can_succeed() {
        let now = datetime!(2026-12-01 10:00 +8);
        assert_eq!(
            closed_reason(&offering("published", 3, false), false, ALL, now),
            None
        );
        assert_eq!(
            closed_reason(&offering("published", 0, true), false, ALL, now),
            None
        );
        assert_eq!(
            closed_reason(&offering("published", 0, false), false, ALL, now),
            Some(Msg::SignupFull)
        );
        assert_eq!(
            closed_reason(&offering("cancelled", 3, false), false, ALL, now),
            Some(Msg::SignupCancelledOffering)
        );
        assert_eq!(
            closed_reason(&offering("draft", 3, false), false, ALL, now),
            Some(Msg::SignupNotPublished)
        );
        assert_eq!(
            closed_reason(
                &offering("published", 3, false),
                false,
                ALL,
                datetime!(2026-12-04 20:00 +8)
            ),
            Some(Msg::ReasonClosedSentence)
        );
        assert_eq!(
            closed_reason(
                &offering("published", 3, false),
                false,
                ALL,
                datetime!(2026-11-19 10:00 +8)
            ),
            Some(Msg::SignupNotOpenYet)
        );
    }

    #[test]
    fn answer_errors_have_texts() {
        let e = |code| AnswerError {
            question_id: "q".into(),
            code,
        };
        assert_eq!(answer_error_msg(&e("required")), Msg::ErrRequired);
        assert_eq!(answer_error_msg(&e("too_long")), Msg::ErrAnswerTooLong);
        assert_eq!(answer_error_msg(&e("not_an_option")), Msg::ErrInvalidValue);
    }
}
