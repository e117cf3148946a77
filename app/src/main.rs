//! The wasm entry point Trunk builds.

fn main() {
    app::start();
}
