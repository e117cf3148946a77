//! The sync writer: one task, one connection, group commit.
//!
//! Pushes queue here. The writer takes every push waiting (up to a batch), runs each in its own
//! savepoint inside one `BEGIN IMMEDIATE` transaction, commits once (synchronous=FULL: durable),
//! and only then answers each push. A rush of many clients costs one fsync per batch instead of
//! one per request, and since SQLite has one writer anyway nothing is lost by serialising here.

use super::push;
use crate::error::ApiError;
use domain::sync::{PushRequest, PushResponse};
use sqlx::{Connection, SqliteConnection, sqlite::SqliteConnectOptions};
use tokio::sync::{mpsc, oneshot};

/// Pushes taken into one transaction at most.
const MAX_BATCH: usize = 256;

struct Job {
    user_id: String,
    request: PushRequest,
    reply: oneshot::Sender<Result<PushResponse, ApiError>>,
}

/// A handle for queueing pushes.
#[derive(Clone)]
pub struct Writer {
    jobs: mpsc::Sender<Job>,
}

impl Writer {
    /// Opens the writer's connection and starts its task; the task ends when every handle
    /// is dropped.
    pub async fn start(
        options: &SqliteConnectOptions,
    ) -> Result<(Self, tokio::task::JoinHandle<()>), sqlx::Error> {
        let conn = SqliteConnection::connect_with(options).await?;
        let (jobs, rx) = mpsc::channel(4096);
        let task = tokio::spawn(run(conn, rx));
        Ok((Self { jobs }, task))
    }

    /// Applies a push; answers after its transaction is durable.
    pub async fn push(
        &self,
        user_id: String,
        request: PushRequest,
    ) -> Result<PushResponse, ApiError> {
        let (reply, answer) = oneshot::channel();
        self.jobs
            .send(Job {
                user_id,
                request,
                reply,
            })
            .await
            .map_err(|_| ApiError::new(domain::ErrorCode::Unavailable, "the server is stopping"))?;
        answer
            .await
            .map_err(|_| ApiError::new(domain::ErrorCode::Unavailable, "the server is stopping"))?
    }
}

async fn run(mut conn: SqliteConnection, mut rx: mpsc::Receiver<Job>) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    while rx.recv_many(&mut batch, MAX_BATCH).await > 0 {
        let jobs = std::mem::take(&mut batch);
        let replies = match commit_batch(&mut conn, &jobs).await {
            Ok(results) => results,
            Err(e) => {
                tracing::error!(error = %e, pushes = jobs.len(), "sync batch failed; nothing was applied");
                jobs.iter()
                    .map(|_| Err(ApiError::Db(clone_err(&e))))
                    .collect()
            }
        };
        for (job, result) in jobs.into_iter().zip(replies) {
            // The client may have gone; its mutations are applied and it will learn so next time.
            let _ = job.reply.send(result);
        }
    }
    let _ = conn.close().await;
}

fn clone_err(e: &sqlx::Error) -> sqlx::Error {
    sqlx::Error::Protocol(e.to_string())
}

async fn commit_batch(
    conn: &mut SqliteConnection,
    jobs: &[Job],
) -> Result<Vec<Result<PushResponse, ApiError>>, sqlx::Error> {
    let now_ms = time::OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000;
    let now_ms = i64::try_from(now_ms).unwrap_or(i64::MAX);
    let mut tx = conn.begin_with("BEGIN IMMEDIATE").await?;
    let mut results = Vec::with_capacity(jobs.len());
    for job in jobs {
        // Each push in its own savepoint: a failing push leaves the others whole.
        let mut sp = tx.begin().await?;
        match push::apply(&mut sp, &job.user_id, &job.request, now_ms).await {
            Ok(result) => {
                sp.commit().await?;
                results.push(result);
            }
            Err(e) => {
                sp.rollback().await?;
                tracing::error!(error = %e, "a push failed; rolled back");
                results.push(Err(ApiError::Db(e)));
            }
        }
    }
    tx.commit().await?;
    Ok(results)
}
