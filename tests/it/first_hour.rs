//! The first hour (issue 14): finding the way in, waiting for approval, the admins'
//! decisions, changing an email address and a new member's first steps.

mod applying;
mod checklist;
mod email_change;
mod way_in;
