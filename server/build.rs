//! `sqlx::migrate!` embeds `migrations/` and `migrations-pg/` at compile time; a migration added
//! later must rebuild the crate too (sqlx's advice), or an incremental build would run without it.

fn main() {
    println!("cargo:rerun-if-changed=migrations");
    println!("cargo:rerun-if-changed=migrations-pg");
}
