//! The main build's wasm entry point (everyone's app), built by Trunk from `app/index.html`.

fn main() {
    app::start();
}
