//! Fetches made elsewhere, as they are stored: every transaction that stores snapshots
//! sends `NOTIFY` on one channel (delivered at its commit), and a dashboard keeps one
//! connection of its own listening to it, instead of polling the database. That connection
//! is also how a dashboard learns that the server went away, and came back.

use std::time::Duration;

use futures_util::StreamExt;
use tokio::sync::mpsc::UnboundedSender;
use tokio_postgres::{AsyncMessage, GenericClient};

use super::{PgUrl, open_connection};
use crate::store::StoreChange;

/// The channel snapshot writes notify.
const CHANNEL: &str = "xingtu_dash_stored";

/// The first wait before connecting again after the server was lost; doubles up to 30 s.
const RETRY_FIRST: Duration = Duration::from_secs(1);
const RETRY_MAX: Duration = Duration::from_secs(30);

/// Tells those listening that snapshots were stored (part of the storing transaction).
pub async fn notify_stored(client: &impl GenericClient) -> Result<(), tokio_postgres::Error> {
    client
        .execute(&format!("NOTIFY {CHANNEL}"), &[])
        .await
        .map(drop)
}

/// Listens on its own thread and connection until `changes` is closed; a lost connection is
/// reported and made again, with a growing wait.
pub fn follow(url: PgUrl, changes: UnboundedSender<StoreChange>) {
    let spawned = std::thread::Builder::new()
        .name("store-listener".into())
        .spawn(move || {
            match tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            {
                Ok(runtime) => runtime.block_on(listen(&url, &changes)),
                Err(e) => tracing::error!("the store listener has no runtime: {e}"),
            }
        });
    if let Err(e) = spawned {
        tracing::error!("cannot start the store listener: {e}");
    }
}

async fn listen(url: &PgUrl, changes: &UnboundedSender<StoreChange>) {
    let mut lost = false;
    let mut wait = RETRY_FIRST;
    loop {
        let why = match listen_once(url, changes, &mut lost).await {
            // Nobody follows any more.
            None => return,
            Some(why) => why,
        };
        tracing::warn!("store listener: {why}");
        if !lost {
            lost = true;
            if changes.send(StoreChange::Lost(why)).is_err() {
                return;
            }
        }
        tokio::select! {
            _ = tokio::time::sleep(wait) => {}
            _ = changes.closed() => return,
        }
        wait = (wait * 2).min(RETRY_MAX);
    }
}

/// One connection's worth of listening: `None` once nobody follows, else why it ended.
async fn listen_once(
    url: &PgUrl,
    changes: &UnboundedSender<StoreChange>,
    lost: &mut bool,
) -> Option<String> {
    let (client, mut connection) = match open_connection(url).await {
        Ok(pair) => pair,
        Err(e) => return Some(e.to_string()),
    };
    let (heard, mut hearing) = tokio::sync::mpsc::unbounded_channel();
    // The connection is driven here: its messages carry the notifications.
    let driver = tokio::spawn(async move {
        let mut messages = futures_util::stream::poll_fn(move |cx| connection.poll_message(cx));
        while let Some(message) = messages.next().await {
            let event = match message {
                Ok(AsyncMessage::Notification(_)) => Ok(()),
                Ok(_) => continue,
                Err(e) => Err(e.to_string()),
            };
            let failed = event.is_err();
            if heard.send(event).is_err() || failed {
                return;
            }
        }
    });
    let listening = client.batch_execute(&format!("LISTEN {CHANNEL}")).await;
    let why = match listening {
        Err(e) => Some(e.to_string()),
        Ok(()) => {
            // Back from a loss, the dashboard hears so (it may have found out already, by a
            // try of its own). Either way, what was stored while nobody listened (before the
            // first LISTEN, or while reconnecting) is read once: no notification tells of it.
            let back = std::mem::take(lost).then_some(StoreChange::Back);
            let sent = back
                .into_iter()
                .chain([StoreChange::Stored])
                .all(|change| changes.send(change).is_ok());
            if !sent {
                None
            } else {
                loop {
                    tokio::select! {
                        event = hearing.recv() => match event {
                            Some(Ok(())) => {
                                if changes.send(StoreChange::Stored).is_err() {
                                    break None;
                                }
                            }
                            Some(Err(e)) => break Some(e),
                            None => break Some("the connection was lost".to_owned()),
                        },
                        _ = changes.closed() => break None,
                    }
                }
            }
        }
    };
    driver.abort();
    why
}
