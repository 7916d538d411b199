//! Swapdesk: a barter marketplace and mutual-credit ledger for co-working spaces.
//!
//! A tour, one line per module:

/// Admin pages: applications, invitations and space settings.
pub mod admin;
/// The append-only audit log of admin actions and security events.
pub mod audit;
/// Accounts: sign-in, sessions, passwords, resets, email confirmation, rate limits.
pub mod auth;
/// The command-line commands: serve, migrate, admin create, demo.
pub mod cli;
/// Every setting, from environment variables and flags.
pub mod config;
/// The connection pool and migrations.
pub mod db;
/// The demo space that `swapdesk demo` seeds.
pub mod demo;
/// The embedded PostgreSQL cluster used when DATABASE_URL is unset.
pub mod embedded;
/// The credit ledger: accounts, transfers, holds, statements, verify.
pub mod ledger;
/// The marketplace: offers and requests, and their search.
pub mod marketplace;
/// Member profiles: view, edit your own, here today, generated avatars.
pub mod members;
/// Words the code chooses: error pages, validation messages, notices.
pub mod messages;
/// Reports and moderation: members report, admins hide or restore with a reason.
pub mod moderation;
/// Email: the outbox and the SMTP worker.
pub mod notify;
/// Rooms: opening hours, day and week grids, bookings paid through the ledger, cancelling.
pub mod rooms;
/// Skills, categories and the directory search.
pub mod skills;
/// Spaces and memberships: landing, space home, joining, invitations.
pub mod spaces;
/// Trades: proposals, escrow through the ledger, timeline, thread, kudos.
pub mod trades;
/// HTTP glue: router, layers, errors, sessions, CSRF, forms, metrics.
pub mod web;
