//! The staff build's wasm entry point (venue mode and the admin's screens), built by Trunk from
//! `app/staff.html` into `dist/staff/`.

fn main() {
    app::start_staff();
}
