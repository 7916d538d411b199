//! Words of joining a space and a member's first visit.

pub const JOIN_LINK_OPEN: &str = "Anyone with this address can join straight away. Share it in your welcome email, on your website or on a poster by the door.";
pub const JOIN_LINK_APPROVAL: &str = "Anyone with this address can apply to join; an admin approves each application. Share it in your welcome email, on your website or on a poster by the door.";
pub const JOIN_LINK_INVITE: &str =
    "Only people you invite can join. Make an invitation link for each of them.";

pub fn approved_notice(name: &str) -> String {
    format!("{name} is approved and is now a member. They have been emailed.")
}

pub fn declined_notice(name: &str) -> String {
    format!("{name}'s application is declined. They have been emailed.")
}
