//! Ports to external providers. Each port is a trait with a production client written to the
//! provider's published protocol and a local implementation that `just run` uses so every flow
//! works on one machine.

pub mod email;
pub mod payments;
pub mod storage;
pub mod video;
