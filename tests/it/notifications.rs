//! Notifications (SPEC §7): every event tells the right people once, in its own
//! transaction; the inbox and its unread count; email choices, the daily digest,
//! unsubscribing, the admins' outbox, retention and real SMTP delivery.

mod credits;
mod delivery;
mod digest;
mod events;
mod inbox;
mod outbox;
mod unsubscribe;
