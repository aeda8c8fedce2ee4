//! Messages from basic phones: SMS (Twilio, Indonesian aggregators) and
//! WhatsApp (the Cloud API, or Twilio). Pure rules, so every one of them is
//! tested natively; the `messaging` component verifies, de-duplicates and
//! applies.
//!
//! - [`signature`]: each provider's webhook signature, checked in constant time;
//! - [`inbound`]: each provider's payload read into one [`inbound::Inbound`];
//! - [`grammar`]: a message's text read as a [`grammar::Command`] (LAPOR, CEK,
//!   BALAS, NILAI, DUKUNG, IKUTI, BERHENTI, BANTUAN and their English synonyms);
//! - [`reply`]: what the citizen is answered, fitted to one SMS segment.

pub mod grammar;
pub mod inbound;
pub mod reply;
pub mod signature;
