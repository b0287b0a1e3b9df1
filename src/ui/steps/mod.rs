//! One screen per step of the booking.

pub mod booked;
pub mod contract;
pub mod date_time;
pub mod details;
pub mod manage;
pub mod on_demand;
pub mod payment;
pub mod review;
pub mod session_type_skeleton;
pub mod session_types;
