//! The scanner: 签到 or 签退, a ticket typed, pasted or read by the camera (where the browser
//! has BarcodeDetector), checked on the device against the ticket keys, and the result card.

use super::checkin::Desk;
use crate::{
    components::venue_parts::{ScanResultCard, Tone},
    i18n::Msg,
    status_text,
};
use domain::hours::ScanKind;
use engine::venue::Refusal;
use leptos::{ev::SubmitEvent, prelude::*};

#[cfg(target_arch = "wasm32")]
mod camera {
    use wasm_bindgen::prelude::*;

    #[wasm_bindgen(module = "/src/scanner.js")]
    extern "C" {
        #[wasm_bindgen(js_name = canScan)]
        pub fn can_scan() -> bool;
        #[wasm_bindgen(js_name = startScan)]
        pub fn start_scan(video_id: &str, on_code: &js_sys::Function, on_error: &js_sys::Function);
        #[wasm_bindgen(js_name = stopScan)]
        pub fn stop_scan();
    }
}

fn can_scan() -> bool {
    #[cfg(target_arch = "wasm32")]
    {
        camera::can_scan()
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        false
    }
}

fn stop_scan() {
    #[cfg(target_arch = "wasm32")]
    camera::stop_scan();
}

/// Starts the camera; `on_code` gets the first QR code read, `on_error` why it could not.
fn start_scan(on_code: impl FnOnce(String) + 'static, on_error: impl FnOnce(String) + 'static) {
    #[cfg(target_arch = "wasm32")]
    {
        use wasm_bindgen::{JsCast, closure::Closure};
        let code = Closure::once_into_js(on_code);
        let error = Closure::once_into_js(on_error);
        camera::start_scan(VIDEO_ID, code.unchecked_ref(), error.unchecked_ref());
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = on_code;
        on_error("no camera".into());
    }
}

const VIDEO_ID: &str = "scanner-video";

/// The text for a refused ticket.
pub fn refusal_msg(r: &Refusal) -> (Msg, &'static str) {
    match r {
        Refusal::NoKeys => (Msg::ScanNoKeys, "no-keys"),
        Refusal::Invalid => (Msg::ScanInvalid, "invalid"),
        Refusal::WrongOffering => (Msg::ScanWrongOffering, "wrong-offering"),
        Refusal::Void { .. } => (Msg::ScanVoid, "void"),
    }
}

/// The mode switch, the ticket form with the camera, and the last scan's result.
#[component]
pub(super) fn Scanner(desk: Desk) -> impl IntoView {
    let Desk {
        i18n,
        venue,
        offering_id: id,
        mode,
        result,
        ..
    } = desk;
    let code = RwSignal::new(String::new());
    let scanning = RwSignal::new(false);
    on_cleanup(stop_scan);

    // A ticket typed, pasted or read by the camera.
    let check_code = move |text: String| {
        let lang = i18n.lang.get_untracked();
        let text = text.trim().to_owned();
        if text.is_empty() {
            return desk.shown(
                Tone::Error,
                "empty",
                Msg::ScanEnterCode.text(lang).to_owned(),
                None,
            );
        }
        match venue
            .data
            .with_untracked(|v| v.admit(&text, &id.get_value()))
        {
            Ok(a) => {
                code.set(String::new());
                desk.record(a.registration_id, a.name, mode.get_untracked(), a.on_roster);
            }
            Err(refusal) => {
                let (msg, outcome) = refusal_msg(&refusal);
                let detail = match &refusal {
                    Refusal::Void { name, status } => Some(format!(
                        "{name} · {}",
                        status_text::roster_status(lang, *status)
                    )),
                    _ => None,
                };
                desk.shown(Tone::Error, outcome, msg.text(lang).to_owned(), detail);
            }
        }
    };

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        check_code(code.get_untracked());
    };

    let start_camera = move |_| {
        scanning.set(true);
        result.set(None);
        start_scan(
            move |text| {
                scanning.set(false);
                check_code(text);
            },
            move |why| {
                scanning.set(false);
                let lang = i18n.lang.get_untracked();
                desk.shown(
                    Tone::Error,
                    "camera",
                    Msg::CameraFailed.fill(lang, &[&why]),
                    None,
                );
            },
        );
    };

    let mode_button = move |which: ScanKind, msg: Msg| {
        view! {
            <button
                type="button"
                role="tab"
                class="seg"
                aria-selected=move || (mode.get() == which).to_string()
                on:click=move |_| mode.set(which)
            >
                {move || i18n.t(msg)}
            </button>
        }
    };

    let submit_label = move || {
        i18n.t(match mode.get() {
            ScanKind::In => Msg::VerifyAndCheckIn,
            ScanKind::Out => Msg::VerifyAndCheckOut,
        })
    };

    view! {
        <div class="segmented" role="tablist" aria-label=move || i18n.t(Msg::ScanMode)>
            {mode_button(ScanKind::In, Msg::ModeCheckIn)}
            {mode_button(ScanKind::Out, Msg::ModeCheckOut)}
        </div>
        <form class="card form scan-form" novalidate=true on:submit=on_submit data-testid="scan-form">
            <div class="field">
                <label class="field-label" for="ticket-code">{move || i18n.t(Msg::TicketCodeLabel)}</label>
                <textarea
                    class="input textarea ticket-input"
                    id="ticket-code"
                    rows="2"
                    autocomplete="off"
                    spellcheck="false"
                    maxlength=domain::ticket::MAX_TICKET_LEN.to_string()
                    placeholder=move || i18n.t(Msg::TicketCodePlaceholder)
                    prop:value=move || code.get()
                    on:input=move |ev| code.set(event_target_value(&ev))
                ></textarea>
            </div>
            <div class="actions">
                <button type="submit" class="button button-primary" data-testid="verify-ticket">{submit_label}</button>
                <Show when=can_scan>
                    <button type="button" class="button" data-testid="camera" on:click=start_camera>
                        {move || i18n.t(Msg::ScanWithCamera)}
                    </button>
                </Show>
            </div>
            <Show when=move || scanning.get()>
                <div class="scanner">
                    <video id=VIDEO_ID class="scanner-video" muted=true playsinline=true></video>
                    <button
                        type="button"
                        class="button"
                        on:click=move |_| {
                            stop_scan();
                            scanning.set(false);
                        }
                    >
                        {move || i18n.t(Msg::StopCamera)}
                    </button>
                </div>
            </Show>
        </form>
        <ScanResultCard result=result />
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    #[test]
    fn refusals_have_their_own_words() {
        assert_eq!(refusal_msg(&Refusal::Invalid).0.text(Lang::Zh), "无效票");
        assert_eq!(
            refusal_msg(&Refusal::WrongOffering).0.text(Lang::Zh),
            "不是本活动的票"
        );
        assert_eq!(refusal_msg(&Refusal::NoKeys).1, "no-keys");
    }
}
