//! One screen per step of the booking.

pub mod session_type_skeleton;
pub mod session_types;
