//! The periodic jobs' claims (`job_runs`, migration 0016): which process ran each job for which
//! period, so that several server processes on one database run each period's job once.
//!
//! A run for period P claims it with [`claim_on`] inside the transaction of its work: the
//! claim moves the job's row up to P only if it is below P. The first transaction to commit
//! runs the job; every later one (SQLite: after the first released the write lock; PostgreSQL
//! under READ COMMITTED: the upsert waits for the row's lock and then sees P) changes no row
//! and does nothing. A run that fails rolls its claim back with its work, so the period stays
//! to be claimed. One statement, the same text on both databases.

/// Claims `?1` for period `?2` by `?3` at `?4`: one row changed if nobody had this period yet.
pub const CLAIM: &str = "INSERT INTO job_runs (job, period, ran_by, ran_at)
                         VALUES (?1, ?2, ?3, ?4)
                         ON CONFLICT (job) DO UPDATE SET period = excluded.period,
                                                         ran_by = excluded.ran_by,
                                                         ran_at = excluded.ran_at
                          WHERE job_runs.period < excluded.period";

/// Claims `job`'s run for `period` for the process `ran_by` at `now` (Unix seconds), inside the
/// caller's transaction; whether this caller got it (false: period already run, or a later one).
pub fn claim_on(
    conn: &crate::db::sql::Conn,
    job: &str,
    period: i64,
    ran_by: &str,
    now: i64,
) -> crate::db::sql::Result<bool> {
    let changed = conn
        .prepare_cached(CLAIM)?
        .execute(crate::db::sql::params![job, period, ran_by, now])?;
    Ok(changed == 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn each_period_is_claimed_once_and_a_rolled_back_claim_is_free_again() {
        let (_dir, db) = super::super::test_database().await;
        let conn = crate::db::sql::Conn::Sqlite(super::super::open_writer(&db.options).unwrap());
        assert!(
            claim_on(&conn, "sweep", 10, "a", 600).unwrap(),
            "the first claim"
        );
        assert!(!claim_on(&conn, "sweep", 10, "b", 601).unwrap(), "taken");
        assert!(
            !claim_on(&conn, "sweep", 9, "b", 601).unwrap(),
            "an older period"
        );
        assert!(
            claim_on(&conn, "other", 10, "b", 601).unwrap(),
            "jobs are apart"
        );
        conn.execute_batch("BEGIN IMMEDIATE").unwrap();
        assert!(claim_on(&conn, "sweep", 11, "b", 660).unwrap());
        conn.execute_batch("ROLLBACK").unwrap();
        assert!(
            claim_on(&conn, "sweep", 11, "a", 661).unwrap(),
            "a failed run leaves its period to claim"
        );
        let row: (i64, String, i64) = conn
            .query_row(
                "SELECT period, ran_by, ran_at FROM job_runs WHERE job = 'sweep'",
                [],
                |r| r.tuple(),
            )
            .unwrap();
        assert_eq!(row, (11, "a".to_owned(), 661));
    }
}
