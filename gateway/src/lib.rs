//! The studio gateway: a server between booking widgets and a photographer's studio API.
//! It holds the studio's login (the session cookie and CSRF token), exposes only what a
//! visitor may see and do (the contract's public endpoints, published session types, their
//! public fields), checks a booking with the booking core's own rules before the studio sees
//! it, and refuses everything else. No state of its own beyond short-lived caches: several
//! instances run behind any load balancer.

pub mod config;
pub mod metrics;
pub mod public;
pub mod routes;
pub mod upstream;

use std::sync::Arc;

pub use routes::{router, Gateway};

/// Serves the gateway on `listener` until `shutdown` resolves, then finishes the requests
/// under way (graceful shutdown).
pub async fn serve(
    listener: tokio::net::TcpListener,
    gateway: Arc<Gateway>,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let app = router(gateway).into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, app).with_graceful_shutdown(shutdown).await
}
