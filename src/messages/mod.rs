//! User-facing words that code chooses (SPEC §11.1): error pages, validation messages and
//! flash notices. Page copy lives in templates; everything here is ready for a catalogue.
//! One file per theme, all re-exported here, so every word is `messages::X` wherever it lives.

mod administering;
mod errors;
mod importing;
mod joining;
mod notices;
mod notifying;
mod pages;
mod rooms;
mod trading;
mod validation;

pub use administering::*;
pub use errors::*;
pub use importing::*;
pub use joining::*;
pub use notices::*;
pub use notifying::*;
pub use pages::*;
pub use rooms::*;
pub use trading::*;
pub use validation::*;
