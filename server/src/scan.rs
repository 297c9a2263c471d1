//! Reading every response of a selection on all cores: this thread reads the payloads from
//! the database in batches, worker threads turn each batch into a value (CSV bytes, a tally),
//! and the values come back here in the order the batches were read, so the result is the
//! same as reading them one by one. Memory stays bounded: each worker has at most
//! [`DEPTH`] batches in hand.

use std::ops::ControlFlow;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::thread;

use crate::store::{ResponseFilter, Store, StoreError};

/// Responses per batch: enough that handing a batch over costs nothing next to its work.
const BATCH: usize = 1024;

/// Batches a worker may hold (queued, in work, or done and waiting to be taken).
const DEPTH: usize = 2;

/// Payloads read together, in one buffer.
#[derive(Debug, Default)]
pub struct Batch {
    text: String,
    ends: Vec<usize>,
}

impl Batch {
    fn push(&mut self, payload: &str) {
        self.text.push_str(payload);
        self.ends.push(self.text.len());
    }

    fn len(&self) -> usize {
        self.ends.len()
    }

    /// The payloads, in the order read.
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        let starts = std::iter::once(0).chain(self.ends.iter().copied());
        starts
            .zip(&self.ends)
            .map(|(start, &end)| &self.text[start..end])
    }
}

/// Calls `work` on batches of the payloads `filter` selects, on as many threads as there are
/// cores, and `take` with each batch's value in the order the batches were read. Stops at the
/// first error of either.
pub fn ordered<T: Send, E: From<StoreError> + Send>(
    store: &Store,
    filter: &ResponseFilter,
    work: impl Fn(&Batch) -> Result<T, E> + Sync,
    mut take: impl FnMut(T) -> Result<(), E>,
) -> Result<(), E> {
    let workers = thread::available_parallelism().map_or(1, |n| n.get().min(4));
    thread::scope(|scope| {
        let mut pipeline = Pipeline {
            to: Vec::with_capacity(workers),
            from: Vec::with_capacity(workers),
            sent: 0,
            taken: 0,
        };
        for _ in 0..workers {
            let (to, batches) = sync_channel::<Batch>(DEPTH);
            let (values, from) = sync_channel::<Result<T, E>>(DEPTH);
            let work = &work;
            scope.spawn(move || {
                for batch in batches {
                    if values.send(work(&batch)).is_err() {
                        break;
                    }
                }
            });
            pipeline.to.push(to);
            pipeline.from.push(from);
        }
        let mut failure = None;
        let mut batch = Batch::default();
        store.for_each_response(filter, |payload| {
            batch.push(payload);
            if batch.len() < BATCH {
                return ControlFlow::Continue(());
            }
            match pipeline.send(std::mem::take(&mut batch), &mut take) {
                Ok(()) => ControlFlow::Continue(()),
                Err(e) => {
                    failure = Some(e);
                    ControlFlow::Break(())
                }
            }
        })?;
        if let Some(e) = failure {
            return Err(e);
        }
        if batch.len() > 0 {
            pipeline.send(batch, &mut take)?;
        }
        pipeline.finish(&mut take)
        // Leaving the scope closes the channels and joins the workers.
    })
}

/// The channels to and from the workers; batch `i` goes to worker `i % workers`.
struct Pipeline<T, E> {
    to: Vec<SyncSender<Batch>>,
    from: Vec<Receiver<Result<T, E>>>,
    sent: usize,
    taken: usize,
}

impl<T, E> Pipeline<T, E> {
    fn send(&mut self, batch: Batch, take: &mut impl FnMut(T) -> Result<(), E>) -> Result<(), E> {
        // Every worker holds DEPTH batches: wait for the oldest (so no send below blocks).
        if self.sent - self.taken == self.to.len() * DEPTH {
            self.take_one(take)?;
        }
        self.to[self.sent % self.to.len()]
            .send(batch)
            .expect("a worker runs until its channel closes");
        self.sent += 1;
        Ok(())
    }

    fn take_one(&mut self, take: &mut impl FnMut(T) -> Result<(), E>) -> Result<(), E> {
        let value = self.from[self.taken % self.from.len()]
            .recv()
            .expect("a worker answers every batch it was given")?;
        self.taken += 1;
        take(value)
    }

    fn finish(mut self, take: &mut impl FnMut(T) -> Result<(), E>) -> Result<(), E> {
        while self.taken < self.sent {
            self.take_one(take)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{NewRecord, NewResponse};

    /// A store holding `n` responses to survey `s`, their payloads numbered in order.
    fn stored(n: usize) -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("voci.sqlite3")).unwrap();
        let records = (0..n)
            .map(|i| {
                NewRecord::Response(NewResponse {
                    id: format!("r{i}"),
                    survey: "s".into(),
                    version: "1".into(),
                    site: "a".into(),
                    payload: i.to_string(),
                })
            })
            .collect();
        store.save_all(records).unwrap();
        (dir, store)
    }

    fn filter() -> ResponseFilter {
        ResponseFilter {
            survey: "s".into(),
            ..Default::default()
        }
    }

    #[derive(Debug, PartialEq)]
    enum Failure {
        Store,
        At(usize),
    }

    impl From<StoreError> for Failure {
        fn from(_: StoreError) -> Self {
            Failure::Store
        }
    }

    #[test]
    fn batches_come_back_in_the_order_read() {
        // More batches than the workers hold at once, and a last one not full.
        let n = BATCH * 11 + 7;
        let (_dir, store) = stored(n);
        let mut seen = Vec::new();
        let mut sizes = Vec::new();
        ordered::<_, Failure>(
            &store,
            &filter(),
            |batch| Ok(batch.iter().map(|p| p.parse::<usize>().unwrap()).collect()),
            |numbers: Vec<usize>| {
                sizes.push(numbers.len());
                seen.extend(numbers);
                Ok(())
            },
        )
        .unwrap();
        assert_eq!(seen, (0..n).collect::<Vec<_>>());
        assert_eq!(sizes.last(), Some(&7));
    }

    #[test]
    fn the_first_failure_stops_the_scan() {
        let (_dir, store) = stored(BATCH * 9);
        let mut taken = 0;
        let failed = ordered::<(), Failure>(
            &store,
            &filter(),
            |batch| match batch.iter().next() {
                Some(first) if first == (BATCH * 3).to_string() => Err(Failure::At(3)),
                _ => Ok(()),
            },
            |()| {
                taken += 1;
                Ok(())
            },
        );
        assert_eq!(failed, Err(Failure::At(3)));
        assert_eq!(taken, 3, "the batches before the failing one were taken");
        let refused =
            ordered::<(), Failure>(&store, &filter(), |_| Ok(()), |()| Err(Failure::At(0)));
        assert_eq!(refused, Err(Failure::At(0)));
        let (_dir, empty) = stored(0);
        let mut called = false;
        ordered::<(), Failure>(
            &empty,
            &filter(),
            |_| Ok(()),
            |()| {
                called = true;
                Ok(())
            },
        )
        .unwrap();
        assert!(!called, "no responses, no batch");
    }
}
