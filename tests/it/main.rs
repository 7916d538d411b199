//! Swapdesk's one integration-test binary. Every test gets its own PostgreSQL database.

#![expect(clippy::unwrap_used, reason = "tests fail loudly by design")]

mod helpers;

mod accounts;
mod admin_audit;
mod admin_disputes;
mod admin_import;
mod admin_members;
mod admin_overview;
mod admin_settings_slug;
mod audit;
mod browser;
mod cli;
mod credits;
mod csrf;
mod dashboard;
mod directory;
mod embedded;
mod first_hour;
mod forms;
mod joining;
mod leaving;
mod ledger;
mod marketplace;
mod moderation;
mod notifications;
mod ops;
mod password_policy;
mod rooms;
mod routes;
mod security;
mod smtp;
mod tenancy;
mod trades;
mod units;
