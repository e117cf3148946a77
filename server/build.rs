//! `sqlx::migrate!` embeds `migrations/` at compile time; a migration added later must rebuild
//! the crate too (sqlx's advice), or an incremental build would run without it.

fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
