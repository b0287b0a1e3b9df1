//! One screen per step of the booking.

pub mod session_type_skeleton;
pub mod booked;
pub mod date_time;
pub mod details;
pub mod payment;
pub mod review;
pub mod session_types;
pub mod on_demand;
