//! Which of the client's two builds serves a page.
//!
//! Every young person downloads the main build; the staff screens (an organizer's venue mode,
//! the admin's screens) are a second build under `/staff/` that only organizers and admins
//! fetch. The server picks the right `index.html` for a path with this rule, the app uses it
//! to hand a path it does not serve to the other build, and the service worker keeps the same
//! list (`app/sw.js`, `STAFF_ROUTES`).

/// The two builds of the client.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Bundle {
    /// Lists, details, sign-up, 我的, hours: what everyone downloads.
    Main,
    /// Venue mode and the admin's screens.
    Staff,
}

/// The first path segments the staff build owns.
pub const STAFF_ROUTES: [&str; 2] = ["venue", "admin"];

/// The folder (and URL prefix) of the staff build's files.
pub const STAFF_DIR: &str = "staff";

/// The build that serves `path` (a URL path, without query or fragment).
pub fn bundle_for_path(path: &str) -> Bundle {
    let first = path.trim_start_matches('/').split('/').next().unwrap_or("");
    if STAFF_ROUTES.contains(&first) {
        Bundle::Staff
    } else {
        Bundle::Main
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn staff_paths_are_the_venue_and_admin_screens() {
        for path in [
            "/venue",
            "/venue/",
            "/venue/act-1",
            "/admin",
            "/admin/users",
        ] {
            assert_eq!(bundle_for_path(path), Bundle::Staff, "{path}");
        }
    }

    #[test]
    fn everything_else_is_the_main_build() {
        for path in [
            "/",
            "",
            "/courses",
            "/me",
            "/me/hours/2026/certificate",
            "/o/venue",
            "/venues",
            "/administer",
            "/signin",
        ] {
            assert_eq!(bundle_for_path(path), Bundle::Main, "{path}");
        }
    }
}
