//! [`Store`] over the connection thread: each method moves what it needs into a job, and
//! hands the answer over the way the interface says (callbacks run on the caller's thread).

use chrono::{DateTime, Utc};

use super::snapshots::{self, Rows};
use super::{PgStore, alerts, batches, claims, trends};
use crate::alerts::{Alert, Observation};
use crate::store::history::MS_PER_DAY;
use crate::store::{CacheEntry, ItemRow, Record, Snapshot, Store, StoreError};
use crate::store::{ClaimAsk, ClaimOutcome, ClaimRow, SharedHalt};
use crate::trend::{DayValue, StoredTrend};

impl Store for PgStore {
    fn record(&mut self, records: &[Record<'_>]) -> Result<(), StoreError> {
        if records.is_empty() {
            return Ok(());
        }
        self.call(snapshots::insert(Rows::of(records)))?;
        Ok(())
    }

    fn latest_report(&self, item_id: &str) -> Result<Option<CacheEntry>, StoreError> {
        let id = item_id.to_owned();
        let found =
            self.call(move |c| Box::pin(async move { snapshots::latest_report(c, &id).await }))?;
        Ok(found.and_then(|(millis, text)| snapshots::cache_entry(item_id, millis, &text)))
    }

    fn each_snapshot(
        &self,
        item_id: &str,
        since: Option<DateTime<Utc>>,
        each: &mut dyn FnMut(Snapshot) -> bool,
    ) -> Result<(), StoreError> {
        let id = item_id.to_owned();
        let series =
            self.call(move |c| Box::pin(async move { snapshots::series(c, &id, since).await }))?;
        for snapshot in series {
            if !each(snapshot) {
                break;
            }
        }
        Ok(())
    }

    fn each_row(
        &self,
        item_ids: &[String],
        spark_points: usize,
        each: &mut dyn FnMut(ItemRow),
    ) -> Result<(), StoreError> {
        let ids = item_ids.to_vec();
        let rows = self.call(move |c| {
            Box::pin(async move { snapshots::item_rows(c, &ids, spark_points).await })
        })?;
        rows.into_iter().for_each(each);
        Ok(())
    }

    fn change_marker(&self) -> Result<i64, StoreError> {
        Ok(self.call(|c| Box::pin(snapshots::change_marker(c)))?)
    }

    fn changed_since(&self, marker: i64) -> Result<(i64, Vec<String>), StoreError> {
        Ok(self.call(move |c| Box::pin(snapshots::changed_since(c, marker)))?)
    }

    fn record_trend(
        &mut self,
        item_id: &str,
        fetched_at: DateTime<Utc>,
        days: &[DayValue],
    ) -> Result<(), StoreError> {
        let (id, days) = (item_id.to_owned(), days.to_vec());
        let at = fetched_at.timestamp_millis();
        Ok(self.call(move |c| Box::pin(async move { trends::record(c, &id, at, &days).await }))?)
    }

    fn trend(&self, item_id: &str) -> Result<Option<StoredTrend>, StoreError> {
        let id = item_id.to_owned();
        Ok(self.call(move |c| Box::pin(async move { trends::read(c, &id).await }))?)
    }

    fn observe_alerts(&mut self, observations: &[Observation]) -> Result<Vec<Alert>, StoreError> {
        let observations = observations.to_vec();
        Ok(self.call(move |c| Box::pin(async move { alerts::observe(c, &observations).await }))?)
    }

    fn recent_alerts(&self, limit: usize) -> Result<Vec<Alert>, StoreError> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        Ok(self.call(move |c| Box::pin(alerts::recent(c, limit)))?)
    }

    fn prune(&mut self, keep_days: u32, now: DateTime<Utc>) -> Result<usize, StoreError> {
        let cutoff = now
            .timestamp_millis()
            .saturating_sub(i64::from(keep_days) * MS_PER_DAY);
        let deleted = self.call(move |c| Box::pin(snapshots::prune(c, cutoff)))?;
        Ok(usize::try_from(deleted).unwrap_or(usize::MAX))
    }

    fn each_fresh(
        &self,
        item_ids: &[String],
        since: DateTime<Utc>,
        each: &mut dyn FnMut(&str),
    ) -> Result<(), StoreError> {
        let ids = item_ids.to_vec();
        let fresh =
            self.call(move |c| Box::pin(async move { snapshots::fresh(c, &ids, since).await }))?;
        fresh.iter().for_each(|id| each(id));
        Ok(())
    }

    fn each_published(
        &self,
        item_ids: &[String],
        each: &mut dyn FnMut(&str, DateTime<Utc>),
    ) -> Result<(), StoreError> {
        let ids = item_ids.to_vec();
        let published =
            self.call(move |c| Box::pin(async move { snapshots::published(c, &ids).await }))?;
        published.iter().for_each(|(id, at)| each(id, *at));
        Ok(())
    }

    fn begin_batch(&mut self, started_at: DateTime<Utc>) -> Result<i64, StoreError> {
        let at = started_at.timestamp_millis();
        Ok(self.call(move |c| Box::pin(batches::begin(c, at)))?)
    }

    fn finish_batch(
        &mut self,
        id: i64,
        finished_at: DateTime<Utc>,
        own_fetches: u64,
    ) -> Result<bool, StoreError> {
        let end = finished_at.timestamp_millis();
        Ok(self.call(move |c| Box::pin(batches::finish(c, id, end, own_fetches)))?)
    }

    fn learn_price(
        &mut self,
        id: i64,
        cost: crate::account::Amount,
        calls: u64,
        currency: Option<&str>,
    ) -> Result<(), StoreError> {
        let calls = i64::try_from(calls).unwrap_or(i64::MAX);
        let currency = currency.map(str::to_owned);
        Ok(self.call(move |c| {
            Box::pin(async move { batches::learn(c, id, cost, calls, currency.as_deref()).await })
        })?)
    }

    fn price_per_call(&self) -> Result<Option<crate::account::PricePerCall>, StoreError> {
        Ok(self.call(|c| Box::pin(batches::price(c)))?)
    }

    fn claim(&mut self, ask: &ClaimAsk<'_>) -> Result<ClaimOutcome, StoreError> {
        let (item_id, holder) = (ask.item_id.to_owned(), ask.holder.to_owned());
        let (now, lease, fresh_since, asked_at) =
            (ask.now, ask.lease, ask.fresh_since, ask.asked_at);
        Ok(self.call(move |c| {
            Box::pin(async move {
                // The ask waited in the connection's queue: it is decided as of when it runs,
                // so an answer stored meanwhile does not look like one from the future.
                let ask = ClaimAsk {
                    item_id: &item_id,
                    holder: &holder,
                    now: now.max(Utc::now()),
                    lease,
                    fresh_since,
                    asked_at,
                };
                claims::claim(c, &ask).await
            })
        })?)
    }

    fn release(
        &mut self,
        item_id: &str,
        holder: &str,
        failure: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let (id, holder) = (item_id.to_owned(), holder.to_owned());
        let failure = failure.map(str::to_owned);
        let now = now.timestamp_millis();
        Ok(self.call(move |c| {
            Box::pin(async move { claims::release(c, &id, &holder, failure.as_deref(), now).await })
        })?)
    }

    fn live_claims(&self, now: DateTime<Utc>) -> Result<Vec<(String, ClaimRow)>, StoreError> {
        let now = now.timestamp_millis();
        Ok(self.call(move |c| Box::pin(async move { claims::live(c, now).await }))?)
    }

    fn record_halt(&mut self, halt: &SharedHalt) -> Result<(), StoreError> {
        let halt = halt.clone();
        Ok(self.call(move |c| Box::pin(async move { claims::record_halt(c, &halt).await }))?)
    }

    fn shared_halt(&self) -> Result<Option<SharedHalt>, StoreError> {
        Ok(self.call(|c| Box::pin(async move { claims::shared_halt(&*c).await }))?)
    }

    fn clear_halt(&mut self) -> Result<Option<SharedHalt>, StoreError> {
        Ok(self.call(|c| Box::pin(async move { claims::clear_halt(c).await }))?)
    }
}
