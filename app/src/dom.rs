//! The few direct browser operations the screens need: moving focus, saving a file, reading a
//! saved setting, handing a page over to the other build, reloading. They do nothing natively,
//! where there is no DOM (unit tests).

/// Moves keyboard focus to the element with `id` (the first field with an error, so people
/// using a screen reader or a keyboard land on what needs fixing).
pub fn focus(id: &str) {
    #[cfg(target_arch = "wasm32")]
    {
        use wasm_bindgen::JsCast;
        if let Some(el) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id(id))
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = el.focus();
        }
    }
    #[cfg(not(target_arch = "wasm32"))]
    let _ = id;
}

/// Opens the browser's print dialog (the print styles lay the page out for A4).
pub fn print() {
    #[cfg(target_arch = "wasm32")]
    if let Some(Err(e)) = web_sys::window().map(|w| w.print()) {
        leptos::logging::warn!("printing failed: {e:?}");
    }
}

/// Saves `contents` as a file named `file_name` through a temporary `<a download>`; the
/// browser shows its usual download.
pub fn download(file_name: &str, mime: &str, contents: &str) -> Result<(), String> {
    save(file_name, mime, Contents::Text(contents))
}

/// [`download`] for bytes (a workbook).
pub fn download_bytes(file_name: &str, mime: &str, contents: &[u8]) -> Result<(), String> {
    save(file_name, mime, Contents::Bytes(contents))
}

#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
enum Contents<'a> {
    Text(&'a str),
    Bytes(&'a [u8]),
}

fn save(file_name: &str, mime: &str, contents: Contents<'_>) -> Result<(), String> {
    #[cfg(target_arch = "wasm32")]
    {
        use wasm_bindgen::{JsCast, JsValue};
        let err = |e: JsValue| format!("{e:?}");
        let part: JsValue = match contents {
            Contents::Text(t) => JsValue::from_str(t),
            Contents::Bytes(b) => js_sys::Uint8Array::from(b).into(),
        };
        let parts = js_sys::Array::of1(&part);
        let options = web_sys::BlobPropertyBag::new();
        options.set_type(mime);
        let blob =
            web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).map_err(err)?;
        let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(err)?;
        let document = web_sys::window()
            .and_then(|w| w.document())
            .ok_or("no document")?;
        let a: web_sys::HtmlAnchorElement = document
            .create_element("a")
            .map_err(err)?
            .dyn_into()
            .map_err(|_| "not an anchor".to_owned())?;
        a.set_href(&url);
        a.set_download(file_name);
        a.set_hidden(true);
        let body = document.body().ok_or("no body")?;
        body.append_child(&a).map_err(err)?;
        a.click();
        a.remove();
        // Revoking at once can cancel the download in some browsers; a minute later the
        // browser has long read the data.
        let revoke = wasm_bindgen::closure::Closure::once_into_js(move || {
            let _ = web_sys::Url::revoke_object_url(&url);
        });
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(
                revoke.unchecked_ref(),
                60_000,
            );
        }
        Ok(())
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = (file_name, mime, contents);
        Err("no browser".into())
    }
}

/// The `sessionStorage` key that remembers a hand-over to the other build, so a build that
/// comes back instead (the other one could not be loaded) says so instead of looping.
const HANDOVER_KEY: &str = "qt-handover";

/// Loads `href` (a page of the other build) in place of this page. Returns false, and does
/// nothing, when the last hand-over to this same `href` brought this build back: the other
/// build is not available (offline and never saved); the next call tries again.
pub fn hand_over(href: &str) -> bool {
    #[cfg(target_arch = "wasm32")]
    {
        let Some(window) = web_sys::window() else {
            return false;
        };
        let storage = window.session_storage().ok().flatten();
        let last = storage
            .as_ref()
            .and_then(|s| s.get_item(HANDOVER_KEY).ok().flatten());
        if last.as_deref() == Some(href) {
            if let Some(s) = &storage {
                let _ = s.remove_item(HANDOVER_KEY);
            }
            return false;
        }
        if let Some(s) = &storage {
            let _ = s.set_item(HANDOVER_KEY, href);
        }
        window.location().replace(href).is_ok()
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = (href, HANDOVER_KEY);
        false
    }
}

/// Called when a build starts: if it serves the current path, a hand-over has arrived.
pub fn arrived(this: domain::bundle::Bundle) {
    #[cfg(target_arch = "wasm32")]
    if let Some(window) = web_sys::window() {
        let path = window.location().pathname().unwrap_or_default();
        if domain::bundle::bundle_for_path(&path) == this
            && let Ok(Some(s)) = window.session_storage()
        {
            let _ = s.remove_item(HANDOVER_KEY);
        }
    }
    #[cfg(not(target_arch = "wasm32"))]
    let _ = this;
}

/// A small setting saved as JSON in local storage (`gloo_storage::LocalStorage::set`), if it
/// is there and readable. Parsed with `engine::from_json` rather than `LocalStorage::get`,
/// which would instantiate serde_json's `from_str` reader in the wasm just for settings.
pub fn saved_setting<T: serde::de::DeserializeOwned>(key: &str) -> Option<T> {
    saved_raw(key).and_then(|s| engine::from_json(&s).ok())
}

/// The text saved under `key` on this device, if any (none natively: the server's first
/// render is nobody's device).
pub fn saved_raw(key: &str) -> Option<String> {
    #[cfg(target_arch = "wasm32")]
    {
        use gloo_storage::{LocalStorage, Storage};
        LocalStorage::raw().get_item(key).ok().flatten()
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = key;
        None
    }
}

/// Reloads the page.
pub fn reload() {
    #[cfg(target_arch = "wasm32")]
    if let Some(window) = web_sys::window() {
        let _ = window.location().reload();
    }
}

/// The page the server drew on a first visit (`crate::first`): its shell and its data, to be
/// removed once the app has drawn its own.
pub struct Prerendered(#[cfg(target_arch = "wasm32")] Vec<web_sys::Element>);

impl Prerendered {
    /// The server-drawn shells now in `<body>` and the page's data (none on a page the service
    /// worker answered).
    pub fn find() -> Self {
        #[cfg(target_arch = "wasm32")]
        {
            let document = leptos::prelude::document();
            let mut found = Vec::new();
            if let Some(body) = document.body() {
                let children = body.children();
                for i in 0..children.length() {
                    if let Some(el) = children
                        .item(i)
                        .filter(|e| e.class_list().contains("shell"))
                    {
                        found.push(el);
                    }
                }
            }
            if !found.is_empty() {
                found.extend(document.get_element_by_id(crate::first::ELEMENT_ID));
            }
            Self(found)
        }
        #[cfg(not(target_arch = "wasm32"))]
        Self()
    }

    /// Whether there is no drawn page.
    pub fn is_empty(&self) -> bool {
        #[cfg(target_arch = "wasm32")]
        return self.0.is_empty();
        #[cfg(not(target_arch = "wasm32"))]
        true
    }

    /// Removes them, and shows what the app drew in their place.
    pub fn remove(self) {
        #[cfg(target_arch = "wasm32")]
        {
            for el in self.0 {
                el.remove();
            }
            if let Some(html) = leptos::prelude::document().document_element() {
                let _ = html.class_list().remove_1(crate::first::PERSONAL_CLASS);
            }
        }
    }
}

/// Runs `f` once the browser has painted what is on screen now (at once natively).
pub fn after_paint(f: impl FnOnce() + 'static) {
    #[cfg(target_arch = "wasm32")]
    leptos::prelude::request_animation_frame(move || {
        // The frame's callbacks run before its paint; a task queued from them runs after it.
        leptos::prelude::set_timeout(f, std::time::Duration::ZERO);
    });
    #[cfg(not(target_arch = "wasm32"))]
    f();
}
