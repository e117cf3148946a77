//! Navigation inside the app: the current address, links that change it without a page load,
//! the browser's back and forward buttons, and the table of screens.
//!
//! This replaces `leptos_router`, which cost about 40 KB of the compressed client (measured on a
//! minimal app of this stack: 41 KB brotli for two routes) for what the app uses of it: a flat
//! table of a dozen paths with `:name` segments, links, a redirect after signing in, and the
//! query string. Every same-origin link click is handled here, as the router did: plain
//! `<a href>` elements navigate in place too.

use leptos::prelude::*;

/// A screen of the table.
pub type Page = fn() -> AnyView;

/// The path (percent-encoded, as the address bar has it) and the query (without `?`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Address {
    pub(crate) path: String,
    search: String,
}

/// The current address, as signals.
#[derive(Debug, Clone, Copy)]
pub struct Location {
    /// The path, percent-encoded (`/o/act-1`).
    pub pathname: Memo<String>,
    /// The query string without its `?` (empty when there is none).
    pub search: Memo<String>,
}

/// Decoded `name=value` pairs: a query string, or the `:name` segments of the matched path.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParamsMap(Vec<(String, String)>);

impl ParamsMap {
    /// The first value of `key`.
    pub fn get(&self, key: &str) -> Option<String> {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
    }

    /// The pairs of a query string (`a=1&b=x%20y`, with or without its `?`).
    pub fn from_query(search: &str) -> Self {
        let pairs = search
            .trim_start_matches('?')
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|p| {
                let (k, v) = p.split_once('=').unwrap_or((p, ""));
                (decode(k, true), decode(v, true))
            })
            .collect();
        Self(pairs)
    }
}

#[derive(Clone, Copy)]
struct Nav {
    address: RwSignal<Address>,
}

#[derive(Clone, Copy)]
struct Params(Memo<ParamsMap>);

/// Percent-decoding (and `+` as a space in a query). Invalid escapes and bytes that do not
/// make UTF-8 are kept as they are, never an error: an address is anyone's input.
fn decode(s: &str, plus_is_space: bool) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let hex = |at: usize| bytes.get(at).and_then(|&c| char::from(c).to_digit(16));
        match b {
            b'%' => match (hex(i + 1), hex(i + 2)) {
                (Some(h), Some(l)) => {
                    // Two hex digits: at most 0xFF.
                    out.push(u8::try_from(h * 16 + l).unwrap_or(b'%'));
                    i += 3;
                    continue;
                }
                _ => out.push(b),
            },
            b'+' if plus_is_space => out.push(b' '),
            _ => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_owned())
}

/// The address of `href` (a path with an optional query; a fragment is dropped), normalised:
/// no trailing slash except for the root.
pub(crate) fn address_of(href: &str) -> Address {
    let href = href.split('#').next().unwrap_or_default();
    let (path, search) = href.split_once('?').unwrap_or((href, ""));
    let path = match path.trim_end_matches('/') {
        "" => "/".to_owned(),
        p => p.to_owned(),
    };
    Address {
        path,
        search: search.to_owned(),
    }
}

/// Whether `path` fits `pattern` (`/o/:id`); the `:name` segments, decoded, when it does.
pub(crate) fn match_path(pattern: &str, path: &str) -> Option<ParamsMap> {
    let mut params = Vec::new();
    let mut want = pattern.split('/');
    let mut have = path.split('/');
    loop {
        match (want.next(), have.next()) {
            (None, None) => return Some(ParamsMap(params)),
            (Some(w), Some(h)) => {
                if let Some(name) = w.strip_prefix(':') {
                    if h.is_empty() {
                        return None;
                    }
                    params.push((name.to_owned(), decode(h, false)));
                } else if w != h {
                    return None;
                }
            }
            _ => return None,
        }
    }
}

/// The first route of `routes` that fits `path`, with its parameters.
fn choose(routes: &[(&'static str, Page)], path: &str) -> Option<(usize, ParamsMap)> {
    routes
        .iter()
        .enumerate()
        .find_map(|(i, (pattern, _))| Some((i, match_path(pattern, path)?)))
}

/// Whether a link to `href` marks the current page (`aria-current`): the same path with
/// `exact`, else the current path is `href`'s or under it.
fn is_current(href: &str, path: &str, exact: bool) -> bool {
    let href = address_of(href).path;
    if exact || href == "/" {
        return href == path;
    }
    path == href
        || path
            .strip_prefix(&href)
            .is_some_and(|rest| rest.starts_with('/'))
}

/// The browser's current address.
fn browser_address() -> Address {
    #[cfg(target_arch = "wasm32")]
    {
        let location = window().location();
        let path = location.pathname().unwrap_or_else(|_| "/".into());
        let search = location.search().unwrap_or_default();
        address_of(&format!("{path}{search}"))
    }
    #[cfg(not(target_arch = "wasm32"))]
    FIRST_ADDRESS.with(|a| address_of(&a.borrow()))
}

#[cfg(not(target_arch = "wasm32"))]
thread_local! {
    /// Natively (the server's first render, unit tests), the address the app is drawn at.
    static FIRST_ADDRESS: std::cell::RefCell<String> = std::cell::RefCell::new("/".into());
}

/// Natively, draws the app at `href` (a path with an optional query) from now on.
#[cfg(not(target_arch = "wasm32"))]
pub fn set_first_address(href: &str) {
    FIRST_ADDRESS.with(|a| *a.borrow_mut() = href.to_owned());
}

impl Nav {
    /// Moves to `href` (a path on this origin): a new history entry, the new address in the
    /// signals, the page scrolled to its top.
    fn go(self, href: &str) {
        let to = address_of(href);
        #[cfg(target_arch = "wasm32")]
        {
            use wasm_bindgen::JsValue;
            let url = if to.search.is_empty() {
                to.path.clone()
            } else {
                format!("{}?{}", to.path, to.search)
            };
            if let Ok(history) = window().history() {
                let _ = history.push_state_with_url(&JsValue::NULL, "", Some(&url));
            }
        }
        self.address.set(to);
        #[cfg(target_arch = "wasm32")]
        window().scroll_to_with_x_and_y(0.0, 0.0);
    }
}

/// Follows a click on a same-origin link in place, as a router does: not with a modifier key
/// or another button, not for `target`, `download` or `rel="external"` links, and not for a
/// link with a `#fragment` (the browser scrolls to it).
#[cfg(target_arch = "wasm32")]
fn on_click(nav: Nav, ev: web_sys::MouseEvent) {
    use wasm_bindgen::JsCast;
    if ev.default_prevented()
        || ev.button() != 0
        || ev.meta_key()
        || ev.alt_key()
        || ev.ctrl_key()
        || ev.shift_key()
    {
        return;
    }
    let path = ev.composed_path();
    let Some(a) =
        (0..path.length()).find_map(|i| path.get(i).dyn_into::<web_sys::HtmlAnchorElement>().ok())
    else {
        return;
    };
    let external = a
        .get_attribute("rel")
        .is_some_and(|rel| rel.split_ascii_whitespace().any(|r| r == "external"));
    if !a.target().is_empty() || a.has_attribute("download") || external {
        return;
    }
    let Ok(url) = web_sys::Url::new(&a.href()) else {
        return;
    };
    if Some(url.origin()) != window().location().origin().ok() || !url.hash().is_empty() {
        return;
    }
    ev.prevent_default();
    nav.go(&format!("{}{}", url.pathname(), url.search()));
}

/// Provides the current address to everything inside, and follows links and the back and
/// forward buttons.
#[component]
pub fn Router(children: Children) -> impl IntoView {
    let nav = Nav {
        address: RwSignal::new(browser_address()),
    };
    provide_context(nav);
    #[cfg(target_arch = "wasm32")]
    {
        let clicks = window_event_listener(leptos::ev::click, move |ev| on_click(nav, ev));
        let history = window_event_listener(leptos::ev::popstate, move |_| {
            nav.address.set(browser_address());
        });
        on_cleanup(move || {
            clicks.remove();
            history.remove();
        });
    }
    children()
}

/// The screen of the first route that fits the current path, else `fallback`. A screen is
/// built again only when the route changes; its `:name` parameters are signals
/// ([`use_params_map`]).
#[component]
pub fn Routes(routes: &'static [(&'static str, Page)], fallback: Page) -> impl IntoView {
    let nav = expect_context::<Nav>();
    let chosen = Memo::new(move |_| nav.address.with(|a| choose(routes, &a.path)));
    let route = Memo::new(move |_| chosen.with(|c| c.as_ref().map(|(i, _)| *i)));
    let params =
        Memo::new(move |_| chosen.with(|c| c.as_ref().map(|(_, p)| p.clone()).unwrap_or_default()));
    provide_context(Params(params));
    move || match route.get() {
        Some(i) => (routes[i].1)(),
        None => fallback(),
    }
}

/// A link inside the app. With `exact`, `aria-current="page"` only on that very path; without,
/// also under it (never for `/`).
#[component]
pub fn A(
    /// Where it goes: a path on this origin, with an optional query.
    #[prop(into)]
    href: Signal<String>,
    /// Current only on this exact path.
    #[prop(optional)]
    exact: bool,
    children: Children,
) -> impl IntoView {
    let nav = expect_context::<Nav>();
    let current = move || {
        let here = nav
            .address
            .with(|a| is_current(&href.get(), &a.path, exact));
        here.then_some("page")
    };
    view! { <a href=href aria-current=current>{children()}</a> }
}

/// The current address.
pub fn use_location() -> Location {
    let nav = expect_context::<Nav>();
    Location {
        pathname: Memo::new(move |_| nav.address.with(|a| a.path.clone())),
        search: Memo::new(move |_| nav.address.with(|a| a.search.clone())),
    }
}

/// The matched route's `:name` parameters, decoded.
pub fn use_params_map() -> Memo<ParamsMap> {
    expect_context::<Params>().0
}

/// The query string's parameters, decoded.
pub fn use_query_map() -> Memo<ParamsMap> {
    let nav = expect_context::<Nav>();
    Memo::new(move |_| nav.address.with(|a| ParamsMap::from_query(&a.search)))
}

/// A function that moves to a path on this origin, as a followed link does.
pub fn use_navigate() -> impl Fn(&str) + Clone + 'static {
    let nav = expect_context::<Nav>();
    move |href: &str| nav.go(href)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page() -> AnyView {
        ().into_any()
    }

    const ROUTES: &[(&str, Page)] = &[
        ("/", page),
        ("/me", page),
        ("/me/hours", page),
        ("/me/hours/:year/certificate", page),
        ("/o/:id", page),
    ];

    #[test]
    fn paths_choose_their_route_and_its_parameters() {
        let chosen = |path: &str| choose(ROUTES, &address_of(path).path);
        assert_eq!(chosen("/").map(|c| c.0), Some(0));
        assert_eq!(chosen("/me/").map(|c| c.0), Some(1));
        assert_eq!(chosen("/me/hours?x=1").map(|c| c.0), Some(2));
        let (i, params) = chosen("/me/hours/2026/certificate").unwrap();
        assert_eq!((i, params.get("year")), (3, Some("2026".into())));
        let (i, params) = chosen("/o/act%20river%E9%9D%92").unwrap();
        assert_eq!((i, params.get("id")), (4, Some("act river青".into())));
        assert_eq!(chosen("/o/"), None, "an empty parameter does not match");
        assert_eq!(chosen("/o/a/b"), None);
        assert_eq!(chosen("/nowhere"), None);
        assert_eq!(chosen("/me/hours/2026"), None);
    }

    #[test]
    fn queries_decode_and_bad_escapes_stay_as_they_are() {
        let q = ParamsMap::from_query("?next=%2Fo%2Fact-1%3Fx%3D1&name=a+b&flag&bad=%zz%4");
        assert_eq!(q.get("next").as_deref(), Some("/o/act-1?x=1"));
        assert_eq!(q.get("name").as_deref(), Some("a b"));
        assert_eq!(q.get("flag").as_deref(), Some(""));
        assert_eq!(q.get("bad").as_deref(), Some("%zz%4"));
        assert_eq!(q.get("missing"), None);
        assert_eq!(ParamsMap::from_query(""), ParamsMap::default());
        // Not UTF-8 once decoded: kept as written.
        assert_eq!(
            ParamsMap::from_query("x=%FF").get("x").as_deref(),
            Some("%FF")
        );
    }

    #[test]
    fn links_mark_the_current_page() {
        assert!(is_current("/", "/", true));
        assert!(
            !is_current("/", "/me", false),
            "the root is never current below it"
        );
        assert!(is_current("/me", "/me", true));
        assert!(!is_current("/me", "/me/hours", true));
        assert!(is_current("/me", "/me/hours", false));
        assert!(!is_current("/me", "/meetings", false));
        assert!(is_current("/admin?tab=x", "/admin", true));
    }

    #[test]
    fn addresses_lose_their_fragment_and_trailing_slash() {
        let a = address_of("/me/hours/?y=1#top");
        assert_eq!((a.path.as_str(), a.search.as_str()), ("/me/hours", "y=1"));
        assert_eq!(address_of("").path, "/");
        assert_eq!(address_of("//").path, "/");
    }
}
