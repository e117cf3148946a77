//! A button that downloads an .xlsx the server writes (the exports of an offering, the year's
//! hours, the dashboard's tables, the year-end workbook) and saves it under a Chinese name,
//! saying what happened: saved, offline, not allowed. The staff build's screens only.

use crate::{
    account::general_error_msg,
    api,
    i18n::{AnyMsg, Msg, StaffMsg, use_i18n},
    state::session::{SessionState, use_session},
};
use leptos::prelude::*;

/// The .xlsx media type.
pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// A title fit for a file name: without the characters file systems refuse, at most 40
/// characters; `None` when nothing is left.
pub fn clean_title(title: &str) -> Option<String> {
    let clean: String = title
        .chars()
        .filter(|c| {
            !matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|') && !c.is_control()
        })
        .take(40)
        .collect();
    let clean = clean.trim();
    (!clean.is_empty()).then(|| clean.to_owned())
}

/// An offering's workbook's name: `msg` filled with its title (`export` when the title leaves
/// nothing).
pub fn offering_file_name(lang: crate::i18n::Lang, msg: StaffMsg, title: &str) -> String {
    msg.fill(
        lang,
        &[&clean_title(title).unwrap_or_else(|| "export".into())],
    )
}

/// An offering's export path under `/api/v1/offerings/{id}` (its organizers and admins).
pub fn offering_path(id: &str, file: &str) -> String {
    format!("/api/v1/offerings/{}/{file}", api::encode_query_value(id))
}

/// Downloads the workbook at `path` and saves it as `name`; what happened, in words. (The
/// session is passed in: an async task has no reactive owner to read the context from.)
pub async fn save_xlsx(session: SessionState, token: &str, path: &str, name: &str) -> AnyMsg {
    match session.guard(token, api::download(token, path).await) {
        Ok(bytes) => match crate::dom::download_bytes(name, XLSX, &bytes) {
            Ok(()) => StaffMsg::XlsxSaved.into(),
            Err(e) => {
                leptos::logging::warn!("saving the workbook failed: {e}");
                StaffMsg::XlsxSaveFailed.into()
            }
        },
        Err(e) => general_error_msg(&e, Msg::AdminNeedsNetworkOfferings).into(),
    }
}

/// The button, with its own message under it.
#[component]
pub fn WorkbookButton(
    /// The button's words.
    label: Signal<String>,
    /// The API path of the workbook (with its query).
    path: Signal<String>,
    /// The file's name.
    file_name: Signal<String>,
    /// For tests.
    testid: &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let busy = RwSignal::new(false);
    let message = RwSignal::new(None::<AnyMsg>);
    let click = move |_| {
        let Some(token) = session.token() else { return };
        busy.set(true);
        message.set(None);
        let (path, name) = (path.get_untracked(), file_name.get_untracked());
        leptos::task::spawn_local(async move {
            let said = save_xlsx(session, &token, &path, &name).await;
            busy.set(false);
            message.set(Some(said));
        });
    };
    view! {
        <span class="workbook">
            <button type="button" class="button" data-testid=testid disabled=move || busy.get() on:click=click>
                {move || label.get()}
            </button>
            {move || message.get().map(|m| view! {
                <span class="hint" role="status" data-testid=format!("{testid}-message")>{move || m.text(i18n.lang.get())}</span>
            })}
        </span>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_lose_what_file_systems_refuse() {
        assert_eq!(clean_title("河小青·护河").as_deref(), Some("河小青·护河"));
        assert_eq!(clean_title("a/b:c?").as_deref(), Some("abc"));
        assert_eq!(clean_title(" /?: "), None);
        assert_eq!(
            clean_title(&"长".repeat(60)).map(|t| t.chars().count()),
            Some(40)
        );
        assert_eq!(
            offering_file_name(
                crate::i18n::Lang::Zh,
                StaffMsg::AttendanceFileName,
                "书法/入门"
            ),
            "书法入门-出勤表.xlsx"
        );
        assert_eq!(
            offering_path("c 1", "draw.xlsx"),
            "/api/v1/offerings/c%201/draw.xlsx"
        );
    }
}
