//! A coupon check: what a code takes off a published session type's price. Asked afresh every
//! time: the studio counts a code's uses, so a kept answer could call a code good that has
//! just been used up. Coupon checks have a stricter rate limit of their own (see `guards`).

use std::sync::Arc;

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use studio_booking_core::facts;
use studio_booking_core::models::{has_id_shape, SESSION_TYPE_ID_PREFIX};
use studio_booking_core::paths;
use studio_booking_core::validation::coupon_shape;

use super::{passed_on, route, ApiError, Gateway};
use crate::public;

/// Whether a code is one the gateway asks the studio about: exactly of the core's coupon
/// shape (1 to 64 letters, digits, `-` or `_`), as sent. Codes are words a photographer makes
/// up (`SUMMER20`, `NEWBORN10`); anything else (a dot, a slash, a space, an escape) is no code
/// of theirs and never reaches the studio, and nothing in a code of this shape needs escaping.
fn is_coupon_code(code: &str) -> bool {
    coupon_shape(code) == Some(code)
}

/// `GET /session_types/{id}/coupons/{code}`. A code of another shape (or a path that is not
/// text) is refused here with 404 `coupon_not_found`, an id of another shape with 404
/// `not_found`.
async fn coupon(State(g): State<Arc<Gateway>>, path: Result<Path<(String, String)>, PathRejection>) -> Result<Response, ApiError> {
    let Path((id, code)) = path.map_err(|_| ApiError::CouponNotFound)?;
    if !has_id_shape(&id, SESSION_TYPE_ID_PREFIX) {
        return Err(ApiError::NotFound);
    }
    if !is_coupon_code(&code) {
        return Err(ApiError::CouponNotFound);
    }
    g.published(&id).await?;
    let answer = g.studio.get(&paths::coupon("", &id, &code)).await?;
    passed_on(&answer, public::coupon)
}

/// The coupon check's route.
pub(super) fn router() -> Router<Arc<Gateway>> {
    Router::new().route(&route(facts::COUPON), get(coupon))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coupon_codes_are_read_strictly() {
        for good in ["SUMMER20", "a", "new-born_10", &"X".repeat(64)] {
            assert!(is_coupon_code(good), "{good}");
        }
        for bad in ["", "../x", "..", "%2e%2e", "a/b", "a b", " a", "a\n", "a.b", "é20", "a?b=1", "a#b", &"X".repeat(65)] {
            assert!(!is_coupon_code(bad), "{bad}");
        }
        assert_eq!(paths::coupon("", "set_A", "JUNIPER20"), "/session_types/set_A/coupons/JUNIPER20");
    }
}
