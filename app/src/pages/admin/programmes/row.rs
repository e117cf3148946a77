//! One offering in the programmes list: its facts and state, and its actions (待审核, edit,
//! publish, export the sign-ups as CSV, cancel with a reason).

use super::kind_msg;
use crate::{
    account::general_error_msg,
    api,
    components::field::OutcomeMessage,
    dom, format,
    i18n::{Lang, Msg, StaffMsg, use_i18n},
    pages::workbook::{WorkbookButton, clean_title, offering_file_name, offering_path},
    state::session::use_session,
};
use domain::{OfferingStatus, admin::AdminOffering};
use leptos::{ev::SubmitEvent, prelude::*};

fn status_msg(status: OfferingStatus) -> Msg {
    match status {
        OfferingStatus::Draft => Msg::OfferingDraft,
        OfferingStatus::Cancelled => Msg::OfferingCancelledTag,
        OfferingStatus::Published => Msg::OfferingPublished,
    }
}

/// A file name for the CSV: the title without characters file systems refuse.
pub fn csv_file_name(lang: Lang, title: &str) -> String {
    match clean_title(title) {
        Some(clean) => Msg::CsvFileName.fill(lang, &[&clean]),
        None => "registrations.csv".to_owned(),
    }
}

/// One offering in the list with its actions.
#[component]
pub(super) fn OfferingRow(
    offering: AdminOffering,
    venue: String,
    on_edit: Callback<AdminOffering>,
    on_changed: Callback<AdminOffering>,
    on_review: Callback<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let o = StoredValue::new(offering.clone());
    let id = offering.offering.id.clone();
    let cancelling = RwSignal::new(false);
    let course_open = RwSignal::new(false);
    let mixer_open = RwSignal::new(false);
    let mixer = offering.offering.kind() == domain::OfferingKind::Mixer
        && offering.offering.status != OfferingStatus::Draft;
    let lottery = offering.offering.kind() == domain::OfferingKind::Course
        && offering.offering.plan.allocation == domain::registration::Allocation::Lottery
        && !offering.offering.status.eq(&OfferingStatus::Draft);
    let reason = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let message = RwSignal::new(None::<(bool, Msg)>);
    let s = &offering.offering;
    let status = s.status;
    let is_draft = status == OfferingStatus::Draft;
    let is_cancelled = status == OfferingStatus::Cancelled;
    let pending = offering.pending_reviews;

    let publish = move |_| {
        let Some(token) = session.token() else { return };
        busy.set(true);
        leptos::task::spawn_local(async move {
            let id = o.with_value(|o| o.offering.id.clone());
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
        let Ok(why) = domain::admin::parse_reason(&reason.get_untracked(), true).map(str::to_owned)
        else {
            message.set(Some((false, Msg::CancelReasonNeeded)));
            return;
        };
        busy.set(true);
        leptos::task::spawn_local(async move {
            let id = o.with_value(|o| o.offering.id.clone());
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
            let (id, title) =
                o.with_value(|o| (o.offering.id.clone(), o.offering.plan.title.clone()));
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
            o.with_value(|o| o.offering.starts_at()),
            o.with_value(|o| o.offering.ends_at()),
        )
    };
    let seats = move || {
        let lang = i18n.lang.get();
        o.with_value(|o| {
            let s = o.offering.total();
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
        <li class="card admin-offering" data-testid="admin-offering" data-id=id.clone() data-status=s.status.as_str()>
            <div class="card-tags">
                <span class=if is_cancelled { "tag tag-warn" } else if is_draft { "tag tag-soft" } else { "tag" } data-testid="offering-status">
                    {move || i18n.t(status_msg(status))}
                </span>
                <span class="tag tag-soft">{move || i18n.t(kind_msg(o.with_value(|o| o.offering.kind())))}</span>
                <span class="tag tag-soft">{s.plan.category.clone()}</span>
                {s.plan.requires_approval.then(|| view! { <span class="tag tag-soft">{move || i18n.t(Msg::NeedsApproval)}</span> })}
            </div>
            <h2 class="card-title">{s.plan.title.clone()}</h2>
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
                {lottery.then(|| view! {
                    <button type="button" class="button" data-testid="open-course" on:click=move |_| course_open.update(|o| *o = !*o)>
                        {move || i18n.t(Msg::CourseManage)}
                    </button>
                })}
                {mixer.then(|| view! {
                    <button type="button" class="button" data-testid="open-mixer" on:click=move |_| mixer_open.update(|o| *o = !*o)>
                        {move || i18n.s(StaffMsg::MixerManage)}
                    </button>
                })}
                <button type="button" class="button" disabled=move || busy.get() on:click=export data-testid="export-csv">
                    {move || i18n.t(Msg::ExportCsv)}
                </button>
                <WorkbookButton
                    label=Signal::derive(move || i18n.s(StaffMsg::RegistrationsXlsx).to_owned())
                    path=Signal::derive(move || offering_path(&o.with_value(|o| o.offering.id.clone()), "registrations.xlsx"))
                    file_name=Signal::derive(move || offering_file_name(i18n.lang.get(), StaffMsg::RegistrationsFileName, &o.with_value(|o| o.offering.plan.title.clone())))
                    testid="export-xlsx"
                />
                {(!is_cancelled).then(|| view! {
                    <button type="button" class="button" on:click=move |_| { cancelling.set(true); message.set(None); }>
                        {move || i18n.t(Msg::CancelOffering)}
                    </button>
                })}
            </div>
            {
                let id = id.clone();
                move || course_open.get().then(|| view! { <super::course::CoursePanel offering_id=id.clone() title=o.with_value(|o| o.offering.plan.title.clone()) /> })
            }
            {move || mixer_open.get().then(|| view! { <super::mixer::MixerPanel offering=o.get_value() /> })}
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
}
