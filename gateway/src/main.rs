//! `studio-gateway [--config FILE] [--check-config]`
//!
//! Reads its settings (a TOML file, then the `STUDIO_GATEWAY_*` environment: see
//! `config::env`), prints one line when it listens, writes one JSON log line per request to
//! standard output, and stops gracefully on SIGTERM or Ctrl-C. `--check-config` only reads
//! and checks the settings, and prints them with the credentials redacted.

use std::process::ExitCode;

use studio_gateway::config::{env, Config};
use studio_gateway::Gateway;

const USAGE: &str = "usage: studio-gateway [--config FILE] [--check-config]";

fn main() -> ExitCode {
    let mut file = std::env::var(env::CONFIG).ok();
    let mut check_only = false;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--config" => file = args.next(),
            "--check-config" => check_only = true,
            "-h" | "--help" => {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            other => {
                eprintln!("unknown argument {other}\n{USAGE}");
                return ExitCode::from(2);
            }
        }
    }
    let read = |path: &str| std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"));
    let text = match file.as_deref().map(read).transpose() {
        Ok(t) => t,
        Err(e) => {
            eprintln!("studio-gateway: {e}");
            return ExitCode::from(2);
        }
    };
    let config = match Config::load(text.as_deref(), |name| std::env::var(name).ok(), read) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("studio-gateway: {e}");
            return ExitCode::from(2);
        }
    };
    if check_only {
        println!("studio-gateway: the settings are usable: {}", config.summary());
        return ExitCode::SUCCESS;
    }
    tracing_subscriber::fmt().json().with_current_span(false).with_target(false).init();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("studio-gateway: {e}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(async move {
        let listen = config.listen;
        let gateway = match Gateway::new(config) {
            Ok(g) => g,
            Err(e) => {
                eprintln!("studio-gateway: {e}");
                return ExitCode::from(2);
            }
        };
        let listener = match tokio::net::TcpListener::bind(listen).await {
            Ok(l) => l,
            Err(e) => {
                eprintln!("studio-gateway: cannot listen on {listen}: {e}");
                return ExitCode::FAILURE;
            }
        };
        let shown = listener.local_addr().map(|a| a.to_string()).unwrap_or_else(|_| listen.to_string());
        println!("studio-gateway listening on http://{shown}");
        let shutdown = async {
            let ctrl_c = tokio::signal::ctrl_c();
            #[cfg(unix)]
            {
                let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).expect("SIGTERM handler");
                tokio::select! { _ = ctrl_c => {}, _ = term.recv() => {} }
            }
            #[cfg(not(unix))]
            let _ = ctrl_c.await;
        };
        match studio_gateway::serve(listener, gateway, shutdown).await {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("studio-gateway: {e}");
                ExitCode::FAILURE
            }
        }
    })
}
