//! Offerings for the app's tests, described as one flat object (kind, capacity, seats taken,
//! hours side by side: the shape devices saved before programme kinds, and the shortest to
//! write) and brought into today's shape by the store's own data step.

use domain::Offering;

/// The offering a flat description stands for.
pub fn from_flat(flat: serde_json::Value) -> Offering {
    let json = engine::store::upgrade::offering_v2(&flat.to_string());
    serde_json::from_str(&json).expect("a flat offering the data step reads")
}
