//! Many concurrent requests, one database round trip. A surge of check-ins makes the same small
//! query or insert hundreds of times a second; each costs a hand-off to a database thread and back,
//! and on SQLite a commit. A [`Batcher`] queues the requests for one task, which serves everything
//! waiting with one statement (group commit for writes, one `IN (…)` lookup for reads) and answers
//! each caller when that statement has finished.

use sea_orm::DatabaseConnection;
use std::collections::HashSet;
use std::future::Future;
use std::sync::OnceLock;
use tokio::sync::{mpsc, oneshot};

/// Requests served by one statement at most: below both backends' limit on bound parameters.
pub(crate) const MAX_BATCH: usize = 256;

/// One kind of batched work.
pub(crate) trait Job: Send + Sync + 'static {
    type Request: Send + 'static;
    type Answer: Send + 'static;
    /// Serves a batch: one answer per request, in order.
    fn run(
        db: &DatabaseConnection,
        batch: &[Self::Request],
    ) -> impl Future<Output = Vec<Result<Self::Answer, String>>> + Send;
}

type Waiting<J> = (<J as Job>::Request, oneshot::Sender<Result<<J as Job>::Answer, String>>);

/// Started by the first request, so that building an `App` needs no runtime; its task ends when
/// the last `App` holding it is dropped.
pub(crate) struct Batcher<J: Job>(OnceLock<mpsc::Sender<Waiting<J>>>);

impl<J: Job> Default for Batcher<J> {
    fn default() -> Self {
        Batcher(OnceLock::new())
    }
}

impl<J: Job> Batcher<J> {
    pub async fn call(&self, db: &DatabaseConnection, request: J::Request) -> Result<J::Answer, String> {
        let queue = self.0.get_or_init(|| {
            let (tx, rx) = mpsc::channel(4 * MAX_BATCH);
            tokio::spawn(serve::<J>(db.clone(), rx));
            tx
        });
        let (done, answer) = oneshot::channel();
        let stopped = || "the batch task has stopped".to_string();
        queue.send((request, done)).await.map_err(|_| stopped())?;
        answer.await.map_err(|_| stopped())?
    }
}

async fn serve<J: Job>(db: DatabaseConnection, mut rx: mpsc::Receiver<Waiting<J>>) {
    let mut waiting = Vec::with_capacity(MAX_BATCH);
    while rx.recv_many(&mut waiting, MAX_BATCH).await > 0 {
        let (requests, callers): (Vec<_>, Vec<_>) = waiting.drain(..).unzip();
        let answers = J::run(&db, &requests).await;
        debug_assert_eq!(answers.len(), callers.len());
        for (caller, answer) in callers.into_iter().zip(answers) {
            // A caller that gave up (client gone) no longer listens; nothing to do.
            let _ = caller.send(answer);
        }
    }
}

/// The distinct values of an `IN (…)` list, the last repeated up to the next power of two: the
/// statement then has one of a few shapes whatever the batch's size, and each connection prepares
/// each shape once (prepared statements are kept by their SQL) instead of most batches anew. A
/// repeated value matches nothing more.
pub(crate) fn fixed_shape<'a>(values: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let mut distinct: Vec<&str> = values.collect::<HashSet<_>>().into_iter().collect();
    if let Some(&last) = distinct.last() {
        distinct.resize(distinct.len().next_power_of_two(), last);
    }
    distinct
}
