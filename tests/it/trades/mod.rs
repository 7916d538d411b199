//! Trades (SPEC §3.2–3.5) against real PostgreSQL: the rule table of §3.3a on its own, each
//! of its rows through the service, every other action refused, races, the clock, kudos,
//! suspension and reversal, and what the pages refuse.
//!
//! The world: Ana is an admin who is party to none of the trades, Bea receives the work and
//! pays, Cy does the work, and Dan is a member with nothing to do with them.

mod rules;
mod table;
