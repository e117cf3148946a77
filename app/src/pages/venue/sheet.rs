//! 纸质签到表 (`/venue/{offering}/sheet`, `?lesson=N` for a course's lesson): the paper fallback
//! venues still want, from the roster already on the device (so it prints offline too): the
//! title, when and where, a QR code back to the offering's page, and one line per person
//! with their name, masked phone, and columns for the time and a signature; blank lines at
//! the end for walk-ins. Laid out for A4 by the print styles.

use super::OrganizerOnly;
use crate::{
    api, format,
    i18n::{Lang, Msg, StaffMsg, use_i18n},
    nav::{A, use_params_map, use_query_map},
    qr,
    state::{sync::use_sync, venue::use_venue},
};
use engine::venue::Person;
use leptos::prelude::*;

/// Blank lines printed after the roster, for people who sign on paper at the door.
pub const BLANK_LINES: usize = 8;

/// The phone as the sheet shows it: masked (`138****1234`), else `尾号 1234`, else nothing.
pub fn masked_phone(lang: Lang, p: &Person) -> String {
    match (&p.phone, &p.phone_last4) {
        (Some(masked), _) => masked.clone(),
        (None, Some(last4)) => StaffMsg::SheetLast4.fill(lang, &[last4]),
        (None, None) => String::new(),
    }
}

/// The lesson in the query, if it is one of the course's (`None` for other kinds).
pub fn lesson_of(raw: Option<&str>, lessons: usize) -> Option<u32> {
    raw?.parse::<u32>()
        .ok()
        .filter(|n| *n >= 1 && (*n as usize) <= lessons)
}

/// The page.
#[component]
pub fn SignInSheet() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let query = use_query_map();
    let id = params.with_untracked(|p| p.get("id").unwrap_or_default());
    let here = format!("/venue/{}/sheet", api::encode_query_value(&id));
    let back = format!("/venue/{}", api::encode_query_value(&id));
    view! {
        <section class="page sheet-page">
            <A href=back attr:class="button button-quiet back-link no-print">{move || i18n.s(StaffMsg::SheetBack)}</A>
            <OrganizerOnly here=here>
                <Sheet offering_id=id.clone() lesson=Signal::derive(move || query.with(|q| q.get("lesson"))) />
            </OrganizerOnly>
        </section>
    }
}

#[component]
fn Sheet(offering_id: String, lesson: Signal<Option<String>>) -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let venue = use_venue();
    let id = StoredValue::new(offering_id);
    let offering = Memo::new(move |_| sync.offering(&id.get_value()));
    let print = move |_| crate::dom::print();
    move || {
        let lang = i18n.lang.get();
        let Some(o) = offering.get() else {
            return view! { <p class="hint" data-testid="venue-unknown">{Msg::VenueOfferingUnknown.text(lang)}</p> }.into_any();
        };
        let lessons = o.plan.programme.course().map_or(0, |c| c.lessons.len());
        let chosen = if lessons > 0 {
            lesson_of(lesson.get().as_deref(), lessons)
                .or_else(|| super::lesson_today(&o))
                .or(Some(1))
        } else {
            None
        };
        let people = venue
            .data
            .with(|v| v.offering(&id.get_value(), chosen).people);
        let when = match (chosen, o.plan.programme.course()) {
            (Some(n), Some(c)) => c
                .lessons
                .get(n as usize - 1)
                .map(|l| format::time_range(lang, l.starts_at, l.ends_at))
                .unwrap_or_default(),
            _ => format::time_range(lang, o.starts_at(), o.ends_at()),
        };
        let place = sync
            .venue_of(&o.plan.venue_id)
            .map(|v| v.name)
            .unwrap_or_default();
        let link = api::url(&format!("/o/{}", api::encode_query_value(&o.id)));
        let code = qr::svg(&link);
        let rows = people
            .iter()
            .enumerate()
            .map(|(i, a)| {
                view! {
                    <tr data-testid="sheet-row">
                        <td class="num">{i + 1}</td>
                        <td>{a.person.display_name.clone()}</td>
                        <td class="sheet-phone">{masked_phone(lang, &a.person)}</td>
                        <td class="sheet-blank"></td>
                        <td class="sheet-sign"></td>
                    </tr>
                }
            })
            .collect::<Vec<_>>();
        let start = people.len();
        let blanks = (0..BLANK_LINES)
            .map(|i| {
                view! {
                    <tr class="sheet-empty">
                        <td class="num">{start + i + 1}</td>
                        <td></td>
                        <td></td>
                        <td class="sheet-blank"></td>
                        <td class="sheet-sign"></td>
                    </tr>
                }
            })
            .collect::<Vec<_>>();
        let lesson_choice = (lessons > 0).then(|| {
            let here = id.get_value();
            view! {
                <nav class="sheet-lessons no-print" aria-label=StaffMsg::SheetLessons.text(lang)>
                    {(1..=lessons as u32).map(|n| {
                        let href = format!("/venue/{}/sheet?lesson={n}", api::encode_query_value(&here));
                        let current = (chosen == Some(n)).then_some("page");
                        view! { <A href=href attr:class="button" attr:aria-current=current>{Msg::VenueLessonToday.fill(lang, &[&n.to_string()])}</A> }
                    }).collect::<Vec<_>>()}
                </nav>
            }
        });
        view! {
            <div class="toolbar no-print">
                <button type="button" class="button button-primary" data-testid="sheet-print" on:click=print>{StaffMsg::SheetPrint.text(lang)}</button>
            </div>
            {lesson_choice}
            <article class="sheet" data-testid="sign-in-sheet">
                <header class="sheet-head">
                    <div>
                        <h1 class="sheet-title" data-testid="sheet-title">{StaffMsg::SheetTitle.fill(lang, &[&o.plan.title])}</h1>
                        {chosen.map(|n| view! { <p class="sheet-meta" data-testid="sheet-lesson">{Msg::VenueLessonToday.fill(lang, &[&n.to_string()])}</p> })}
                        <p class="sheet-meta">{when} " · " {place}</p>
                        <p class="sheet-meta">{StaffMsg::SheetCount.fill(lang, &[&people.len().to_string()])}</p>
                    </div>
                    {code.map(|svg| view! {
                        <figure class="sheet-qr" data-testid="sheet-qr">
                            <div class="sheet-qr-code" inner_html=svg></div>
                            <figcaption>{StaffMsg::SheetQr.text(lang)}</figcaption>
                        </figure>
                    })}
                </header>
                <table class="table sheet-table">
                    <thead>
                        <tr>
                            <th scope="col" class="num">{StaffMsg::SheetNo.text(lang)}</th>
                            <th scope="col">{StaffMsg::SheetName.text(lang)}</th>
                            <th scope="col">{StaffMsg::SheetPhone.text(lang)}</th>
                            <th scope="col">{StaffMsg::SheetTime.text(lang)}</th>
                            <th scope="col">{StaffMsg::SheetSignature.text(lang)}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}{blanks}</tbody>
                </table>
            </article>
        }
        .into_any()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(phone: Option<&str>, last4: Option<&str>) -> Person {
        Person {
            registration_id: "r".into(),
            offering_id: "o".into(),
            display_name: "张三".into(),
            phone: phone.map(Into::into),
            phone_last4: last4.map(Into::into),
            status: domain::registration::RegistrationStatus::Confirmed,
            walk_in: false,
            source: engine::venue::Source::Roster,
            badge: None,
            gender: None,
        }
    }

    #[test]
    fn phones_are_printed_masked_never_whole() {
        assert_eq!(
            masked_phone(Lang::Zh, &person(Some("138****1234"), Some("1234"))),
            "138****1234"
        );
        assert_eq!(
            masked_phone(Lang::Zh, &person(None, Some("1234"))),
            "尾号 1234"
        );
        assert_eq!(masked_phone(Lang::Zh, &person(None, None)), "");
    }

    #[test]
    fn only_a_lesson_of_the_course_is_chosen() {
        assert_eq!(lesson_of(Some("2"), 3), Some(2));
        assert_eq!(lesson_of(Some("4"), 3), None);
        assert_eq!(lesson_of(Some("0"), 3), None);
        assert_eq!(lesson_of(Some("x"), 3), None);
        assert_eq!(lesson_of(None, 3), None);
    }
}
