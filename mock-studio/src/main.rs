//! `mock-studio [--addr 127.0.0.1:8787] [--now RFC3339] [--default-per-page N] [--no-seed]
//! [--demo-contracts] [--demo-mini-days] [--public-base URL] [--fault JSON]... [--studio-cookie NAME=VALUE --csrf-token TOKEN]`
//!
//! Serves the demo studio at /api/v1 on the address given, prints one line when it listens,
//! and stops cleanly on SIGTERM or Ctrl-C.
//!
//! `--demo-contracts` adds to the demo's seven session types the Newborn Studio Session, whose
//! clients sign a contract while booking (and its coupon NEWBORN10); `scripts/run.sh` (the
//! README's demo) runs with it. Without it, the seven types the older tests count.
//! `--demo-mini-days` adds the Holiday Mini Sessions, open on three Saturdays only (a few of
//! their slots already booked), which the widget shows as a sign-up sheet of days.
//!
//! By default it is the public booking part (public mode): no login, CORS for any origin.
//! Given both `--studio-cookie NAME=VALUE` (the owner's session cookie) and `--csrf-token
//! TOKEN`, it plays the studio's own API behind its owner's login (studio mode), for testing
//! a gateway: every API request needs that cookie (401 `unauthorized` without it), every
//! write also the `X-CSRF-Token` header (401 `csrf_failed`), no answer carries CORS headers
//! (OPTIONS gets 405), and session types show their private fields. The cookie's value and
//! the token are never printed.

use std::process::ExitCode;

use mock_studio::faults::FaultRule;
use mock_studio::http::{serve, AppState};
use mock_studio::login::StudioLogin;
use mock_studio::studio::{Clock, StudioConfig};

const USAGE: &str = "usage: mock-studio [--addr HOST:PORT] [--now RFC3339] [--default-per-page N] [--no-seed] [--demo-contracts]
                   [--demo-mini-days] [--public-base URL] [--fault JSON]... [--studio-cookie NAME=VALUE --csrf-token TOKEN]
  --demo-contracts: adds the Newborn Studio Session (published; its clients sign a contract while booking) and its
  coupon NEWBORN10; without it, the demo's seven session types, none of which asks for a signature.
  --demo-mini-days: adds the Holiday Mini Sessions (published; twenty-minute slots on three Saturdays only, some
  already booked), which the widget shows as a sign-up sheet of days.
  --studio-cookie and --csrf-token (both or neither): studio mode, the studio's own API behind its owner's login:
  the session cookie NAME=VALUE on every API request, the X-CSRF-Token header on writes, no CORS.";

struct Args {
    addr: String,
    config: StudioConfig,
    public_base: Option<String>,
    faults: Vec<FaultRule>,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args { addr: "127.0.0.1:8787".into(), config: StudioConfig::default(), public_base: None, faults: vec![] };
    let (mut studio_cookie, mut csrf_token) = (None, None);
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = |name: &str| it.next().ok_or_else(|| format!("{name} needs a value"));
        match flag.as_str() {
            "--addr" => args.addr = value("--addr")?,
            "--now" => {
                let v = value("--now")?;
                let t = chrono::DateTime::parse_from_rfc3339(&v).map_err(|e| format!("--now {v}: {e}"))?;
                args.config.clock = Clock::Fixed(t.with_timezone(&chrono::Utc));
            }
            "--default-per-page" => {
                let v = value("--default-per-page")?;
                args.config.default_per_page = v.parse().ok().filter(|n| (1..=100).contains(n)).ok_or("--default-per-page takes 1 to 100")?;
            }
            "--no-seed" => args.config.seed_bookings = false,
            "--demo-contracts" => args.config.demo_contracts = true,
            "--demo-mini-days" => args.config.demo_mini_days = true,
            "--public-base" => args.public_base = Some(value("--public-base")?.trim_end_matches('/').to_string()),
            "--fault" => {
                let v = value("--fault")?;
                let rule: FaultRule = serde_json::from_str(&v).map_err(|e| format!("--fault {v}: {e}"))?;
                rule.validate().map_err(|e| format!("--fault {v}: {e}"))?;
                args.faults.push(rule);
            }
            "--studio-cookie" => studio_cookie = Some(value("--studio-cookie")?),
            "--csrf-token" => csrf_token = Some(value("--csrf-token")?),
            "-h" | "--help" => return Err(USAGE.into()),
            other => return Err(format!("unknown argument {other}\n{USAGE}")),
        }
    }
    args.config.login = match (studio_cookie, csrf_token) {
        (None, None) => None,
        (Some(cookie), Some(token)) => Some(StudioLogin::new(&cookie, &token)?),
        _ => return Err(format!("--studio-cookie and --csrf-token go together: give both (studio mode) or neither\n{USAGE}")),
    };
    Ok(args)
}

#[tokio::main]
async fn main() -> ExitCode {
    let mut args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let listener = match tokio::net::TcpListener::bind(&args.addr).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("mock-studio: cannot listen on {}: {e}", args.addr);
            return ExitCode::from(1);
        }
    };
    let local = listener.local_addr().map(|a| a.to_string()).unwrap_or(args.addr.clone());
    args.config.public_base = args.public_base.take().unwrap_or_else(|| format!("http://{local}"));
    let mode = match &args.config.login {
        Some(login) => format!(" (studio mode: the cookie {} on every API request, X-CSRF-Token on writes, no CORS)", login.cookie_name()),
        None => String::new(),
    };
    let state = AppState::new(args.config);
    for rule in args.faults {
        let _ = state.faults().add(rule);
    }
    println!("mock-studio listening on http://{local}/api/v1{mode}");
    serve(listener, state, shutdown_signal()).await;
    println!("mock-studio stopped");
    ExitCode::SUCCESS
}

async fn shutdown_signal() {
    #[cfg(unix)]
    {
        let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).expect("SIGTERM handler");
        tokio::select! {
            _ = term.recv() => {}
            _ = tokio::signal::ctrl_c() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = tokio::signal::ctrl_c().await;
}
