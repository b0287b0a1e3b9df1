//! `studio-gateway [--config FILE] [--check-config]`
//! `studio-gateway [--config FILE] waitlist list [SESSION_TYPE_ID]`
//! `studio-gateway [--config FILE] waitlist forget EMAIL`
//!
//! Reads its settings (a TOML file, then the `STUDIO_GATEWAY_*` environment: see
//! `config::env`), prints one line when it listens, writes one JSON log line per request to
//! standard output, and stops gracefully on SIGTERM or Ctrl-C. `--check-config` only reads
//! and checks the settings, and prints them with the credentials redacted.
//!
//! `waitlist list` prints who waits for what (of one session type, or all); `waitlist
//! forget` erases a person: every entry, offer and queued e-mail of that address (for their
//! data-protection requests). Both need only the database (`STUDIO_GATEWAY_DATABASE_URL`).

use std::process::ExitCode;

use studio_gateway::config::{env, Config};
use studio_gateway::Gateway;

const USAGE: &str = "usage: studio-gateway [--config FILE] [--check-config]
       studio-gateway [--config FILE] waitlist list [SESSION_TYPE_ID]
       studio-gateway [--config FILE] waitlist forget EMAIL";

fn main() -> ExitCode {
    let mut file = std::env::var(env::CONFIG).ok();
    let mut check_only = false;
    let mut command: Vec<String> = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--config" => file = args.next(),
            "--check-config" => check_only = true,
            "waitlist" => {
                command.push(arg);
                command.extend(args.by_ref());
            }
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
    if !command.is_empty() {
        return waitlist_command(text.as_deref(), &command[1..]);
    }
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
        let gateway = match Gateway::open(config).await {
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

/// `waitlist list [SESSION_TYPE_ID]` and `waitlist forget EMAIL`, on the waitlist's database.
fn waitlist_command(file: Option<&str>, args: &[String]) -> ExitCode {
    // A command it does not know opens no database (nor makes one).
    if !matches!(args.iter().map(String::as_str).collect::<Vec<_>>().as_slice(), ["list"] | ["list", _] | ["forget", _]) {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    }
    let url = match studio_gateway::config::database_url(file, |name| std::env::var(name).ok()) {
        Ok(u) => u,
        Err(e) => {
            eprintln!("studio-gateway: {e}");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("studio-gateway: {e}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(async move {
        let store = match studio_gateway::waitlist::Store::open(&url).await {
            Ok(s) => s,
            Err(e) => {
                eprintln!("studio-gateway: the waitlist's database: {e}");
                return ExitCode::FAILURE;
            }
        };
        let done = match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
            ["list"] | ["list", _] => store.list(args.get(1).map(String::as_str)).await.map(|entries| {
                if entries.is_empty() {
                    println!("Nobody is waiting.");
                }
                for e in entries {
                    let joined =
                        chrono::DateTime::from_timestamp_millis(e.joined_at).map(|t| t.format("%Y-%m-%d %H:%M UTC").to_string()).unwrap_or_default();
                    let days = if e.dates.is_empty() { "any day".to_string() } else { e.dates.join(", ") };
                    let name = format!("{} {}", e.first_name, e.last_name);
                    println!(
                        "{}\t{}\t{} <{}>\t{}\t{}\tjoined {joined}",
                        e.session_type_id,
                        e.session_type_name,
                        name.trim(),
                        e.email,
                        e.status,
                        days
                    );
                }
            }),
            ["forget", email] => {
                store.forget(email).await.map(|n| println!("Forgot {email}: {n} waitlist entr{} erased.", if n == 1 { "y" } else { "ies" }))
            }
            _ => {
                eprintln!("{USAGE}");
                return ExitCode::from(2);
            }
        };
        store.close().await;
        match done {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("studio-gateway: {e}");
                ExitCode::FAILURE
            }
        }
    })
}
