//! The studio gateway: a server between booking widgets and a photographer's studio API.
//! It holds the studio's login (the session cookie and CSRF token), exposes only what a
//! visitor may see and do (the contract's public endpoints, published session types, their
//! public fields), checks a booking with the booking core's own rules before the studio sees
//! it, and refuses everything else. Without the waitlist, no state of its own beyond
//! short-lived caches: several instances run behind any load balancer. With it (SMTP and a
//! booking page set), its state is in a database they may share ([`waitlist`], [`offers`]).

pub mod config;
pub mod mail;
pub mod metrics;
pub mod offers;
pub mod public;
pub mod routes;
pub mod upstream;
pub mod waitlist;

use std::sync::Arc;

pub use routes::{router, ApiError, Gateway};

/// The most a request's line and headers may take, in bytes (hyper's buffer).
pub const MAX_HEAD_BYTES: usize = 16 * 1024;

/// Serves the gateway on `listener` until `shutdown` resolves, then finishes the requests
/// under way (graceful shutdown, at most 10 s). Connections are HTTP/1.1 (behind the
/// photographer's HTTPS proxy) with a deadline for the headers (`header_timeout`: a client
/// that trickles them to hold connections open is cut off) and a limit on their size.
pub async fn serve(
    listener: tokio::net::TcpListener,
    gateway: Arc<Gateway>,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    use hyper_util::rt::{TokioIo, TokioTimer};
    use tower::ServiceExt;
    let header_timeout = gateway.config.header_timeout;
    let app = router(gateway);
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    tokio::pin!(shutdown);
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let (stream, peer) = match accepted {
                    Ok(c) => c,
                    Err(_) => {
                        // Out of file descriptors, or a reset before accept: a moment, then on.
                        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
                        continue;
                    }
                };
                let app = app.clone();
                let service = hyper::service::service_fn(move |mut request: hyper::Request<hyper::body::Incoming>| {
                    request.extensions_mut().insert(axum::extract::ConnectInfo(peer));
                    app.clone().oneshot(request.map(axum::body::Body::new))
                });
                let mut builder = hyper::server::conn::http1::Builder::new();
                builder.timer(TokioTimer::new()).header_read_timeout(header_timeout).max_buf_size(MAX_HEAD_BYTES.max(8192));
                let connection = graceful.watch(builder.serve_connection(TokioIo::new(stream), service));
                tokio::spawn(async move {
                    let _ = connection.await;
                });
            }
            () = &mut shutdown => break,
        }
    }
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(std::time::Duration::from_secs(10)) => {}
    }
    Ok(())
}
