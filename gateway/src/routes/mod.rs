//! The gateway's HTTP surface: exactly the contract's public endpoints under `/api/v1` (the
//! published session types, their month and day availability, a coupon check, a booking, and
//! a client's own session seen, cancelled or moved with its manage token), `/healthz` and
//! `/metrics`. Every other path or method is refused here and never reaches the studio. The
//! gateway builds each studio URL itself from what it parsed and checked (the core's
//! paths), so nothing a visitor writes in a path, a query or a header is passed on as written.
//!
//! One file per resource, each with its own router, merged in [`router`]: `catalogue`
//! (session types and availability), `booking`, `coupons`, `client` (a client's own
//! session); `guards` holds what every request passes first (paths, the client's address,
//! the rate limits, the log line). Every handler answers a refusal or a failure with an
//! [`ApiError`], so every error body is the contract's.

mod booking;
mod catalogue;
mod client;
mod coupons;
mod error;
mod guards;
mod waitlist;
mod words;

use std::sync::Arc;
use std::time::Duration;

use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{middleware, Json, Router};
use serde_json::{json, Value};
use studio_booking_core::paths;
use tokio::sync::Mutex;
use tower_http::compression::CompressionLayer;
use tower_http::cors::{AllowOrigin, CorsLayer};

use crate::config::{Config, Origins};
use crate::metrics::Metrics;
use crate::upstream::{Answer, Login, Studio, UpstreamError};

pub(crate) use booking::core_value;
pub(crate) use catalogue::day_path;
pub use error::ApiError;

/// Where the gateway serves the contract's API: the path of the contract's server URL, so that
/// a widget pointed at the gateway asks the very paths it would ask a studio.
pub const API_BASE: &str = "/api/v1";

/// What every handler shares: the settings, the studio's client, the counters, and the short
/// lived caches and rate limits (the only state; several instances may run side by side).
pub struct Gateway {
    /// The settings it was started with (the request deadline and the header deadline are
    /// read by [`crate::serve`] too).
    pub config: Config,
    /// The studio's API, with the photographer's login.
    pub studio: Studio,
    /// The counters `/metrics` shows (tests and the load benchmark read them too).
    pub metrics: Arc<Metrics>,
    catalog: Mutex<Option<catalogue::Catalog>>,
    /// Month and day availability by the studio path asked, for `availability_ttl`.
    availability: moka::future::Cache<String, Answer>,
    limits: guards::Limits,
    /// The waitlist, where its settings are given (its database and e-mail); None: the
    /// gateway keeps no state of its own.
    pub waitlist: Option<Arc<crate::offers::Waitlist>>,
}

impl Gateway {
    /// A gateway for these settings; Err when the studio's client cannot be made of them (a
    /// cookie or CSRF token that is no header value).
    pub fn new(config: Config) -> Result<Arc<Gateway>, String> {
        let metrics = Arc::new(Metrics::default());
        let studio = Studio::new(&config.upstream, &config.cookie, &config.csrf_token, config.upstream_timeout, metrics.clone())?;
        let availability =
            moka::future::Cache::builder().max_capacity(20_000).time_to_live(config.availability_ttl.max(Duration::from_millis(1))).build();
        let limits = guards::Limits::new(&config);
        Ok(Arc::new(Gateway { config, studio, metrics, catalog: Mutex::new(None), availability, limits, waitlist: None }))
    }

    /// A gateway for these settings with its waitlist, where they give one: its database
    /// opened (migrations run) and its timers started (the mail's sender, offers that ran
    /// out, the watch of the studio). Needs a Tokio runtime.
    pub async fn open(config: Config) -> Result<Arc<Gateway>, String> {
        let waitlist = match &config.waitlist {
            Some(settings) => Some(Arc::new(crate::offers::Waitlist::open(settings.clone()).await?)),
            None => None,
        };
        let mut g = Gateway::new(config)?;
        Arc::get_mut(&mut g).expect("not shared yet").waitlist = waitlist;
        crate::offers::start(g.clone())?;
        Ok(g)
    }
}

/// The gateway's route of one of the core's path templates (interface.json's, whose `{name}`
/// placeholders are axum's own syntax): under [`API_BASE`], without the template's query.
fn route(template: &str) -> String {
    paths::join(API_BASE, template.split('?').next().unwrap_or(template))
}

/// An answer the gateway writes itself, in JSON: never kept by a browser or a proxy, since it
/// may hold a client's session or change from one request to the next.
fn json_answer(status: StatusCode, body: Value) -> Response {
    (status, [(header::CACHE_CONTROL, "no-store")], Json(body)).into_response()
}

/// An answer of `{"data": …}`, the contract's envelope.
fn data_answer(status: StatusCode, data: Value) -> Response {
    json_answer(status, json!({"data": data}))
}

/// A studio's 200 answer of `{"data": …}` passed on with the public fields of its `data`
/// (`keep`, an allowlist of [`crate::public`]); any other answer as the studio's error.
fn passed_on(answer: &Answer, keep: fn(&Value) -> Value) -> Result<Response, ApiError> {
    if answer.status != 200 {
        return Err(ApiError::from_studio(answer));
    }
    let body: Value = serde_json::from_slice(&answer.body).map_err(|_| ApiError::Unreadable)?;
    let data = body.get("data").map(keep).ok_or(ApiError::Unreadable)?;
    Ok(data_answer(StatusCode::OK, data))
}

/// `/healthz`: 200 while the studio accepts the gateway's login, 503 once it has refused it
/// (or cannot be reached), so the photographer learns it before their clients do.
async fn healthz(axum::extract::State(g): axum::extract::State<Arc<Gateway>>) -> Response {
    let probe = g.studio.get(&paths::session_types_page("", 1)).await;
    let (status, state) = match (probe, g.studio.login()) {
        (Err(UpstreamError::LoginRefused), _) | (_, Login::Refused) => (StatusCode::SERVICE_UNAVAILABLE, "studio_login_refused"),
        (Ok(a), _) if a.status == 200 => (StatusCode::OK, "ok"),
        _ => (StatusCode::SERVICE_UNAVAILABLE, "studio_unreachable"),
    };
    json_answer(status, json!({"status": state}))
}

/// `/metrics`: the counters, in Prometheus' text format.
async fn metrics(axum::extract::State(g): axum::extract::State<Arc<Gateway>>) -> Response {
    (StatusCode::OK, [(header::CONTENT_TYPE, "text/plain; version=0.0.4")], g.metrics.render()).into_response()
}

/// Any path the gateway does not offer: not there, whatever the studio has.
async fn fallback() -> ApiError {
    ApiError::NotFound
}

/// A path it offers, asked with another method.
async fn method_not_allowed() -> ApiError {
    ApiError::MethodNotAllowed
}

/// The whole gateway as an axum router: each resource's routes, merged, behind the guards.
pub fn router(g: Arc<Gateway>) -> Router {
    let cors = CorsLayer::new()
        .allow_methods([Method::GET, Method::POST])
        .allow_headers([
            header::CONTENT_TYPE,
            header::ACCEPT,
            header::HeaderName::from_static("idempotency-key"),
            header::HeaderName::from_static("manage-token"),
            header::HeaderName::from_static("offer-token"),
        ])
        .expose_headers([header::RETRY_AFTER])
        .max_age(Duration::from_secs(600));
    let cors = match &g.config.allowed_origins {
        Origins::Any => cors.allow_origin(AllowOrigin::any()),
        Origins::Exactly(list) => cors.allow_origin(AllowOrigin::list(list.iter().filter_map(|o| HeaderValue::from_str(o).ok()))),
    };
    Router::new()
        .merge(catalogue::router())
        .merge(coupons::router())
        .merge(booking::router())
        .merge(client::router())
        .merge(waitlist::router())
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics))
        .fallback(fallback)
        // After the merge: it applies to the routes there are.
        .method_not_allowed_fallback(method_not_allowed)
        .layer(axum::extract::DefaultBodyLimit::max(g.config.max_body_bytes))
        .layer(CompressionLayer::new())
        .layer(cors)
        .layer(middleware::from_fn_with_state(g.clone(), guards::guard))
        .layer(middleware::from_fn_with_state(g.clone(), guards::deadline))
        .with_state(g)
}

#[cfg(test)]
mod tests {
    use super::*;
    use studio_booking_core::facts;

    #[test]
    fn the_routes_are_the_cores_paths_under_the_api_base() {
        assert_eq!(route(facts::SESSION_TYPES_PAGE), "/api/v1/session_types/");
        assert_eq!(route(facts::COUPON), "/api/v1/session_types/{id}/coupons/{code}");
        assert_eq!(route(facts::SESSIONS), "/api/v1/sessions");
        assert_eq!(route(facts::SESSION), "/api/v1/sessions/{id}");
        assert_eq!(route(facts::CANCEL_SESSION), "/api/v1/sessions/{id}/cancel");
        assert_eq!(route(facts::RESCHEDULE_SESSION), "/api/v1/sessions/{id}/reschedule");
    }
}
