//! The sync protocol's server side: pushes go through one writer that commits many requests'
//! mutations together (group commit), pulls read what the caller may see since their cursor.

pub mod pull;
pub mod push;
pub mod writer;
