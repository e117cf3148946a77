//! Devices (`clients`) and the outcomes of their mutations, as the sync writer's push keeps
//! them: the statements [`Writing`](super::writing::Writing) holds prepared for `sync::push`.

/// A device's first claim, already at the progress its push ends with (held by [`Writing`]).
pub(crate) const CLAIM_CLIENT: &str =
    "INSERT INTO clients (id, user_id, last_mutation_id, visibility_epoch, clock_skew_ms,
                          created_at, last_seen_at)
     SELECT ?1, ?2, ?3, visibility_epoch, ?4, ?5, ?5 FROM users WHERE id = ?2
     ON CONFLICT (id) DO NOTHING";

/// A device's owner and progress, if its account still exists (held by [`Writing`]).
pub(crate) const KNOWN_CLIENT: &str = "SELECT user_id, last_mutation_id FROM clients
      WHERE id = ?1 AND EXISTS (SELECT 1 FROM users WHERE id = ?2)";

/// A known device's progress after its push (held by [`Writing`]).
pub(crate) const CLIENT_PROGRESS: &str =
    "UPDATE clients SET last_mutation_id = ?1, last_seen_at = ?2, clock_skew_ms = ?3
      WHERE id = ?4";

/// A mutation's outcome, kept to answer the same mutation again (held by [`Writing`]).
pub(crate) const LOG_MUTATION: &str =
    "INSERT INTO client_mutations (client_id, mutation_id, name, outcome, created_at, received_at)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
