//! `mail-catcher [--smtp 127.0.0.1:2525] [--http 127.0.0.1:8025]`
//!
//! A local SMTP server for the demo: point the gateway's `STUDIO_GATEWAY_SMTP_URL` at
//! `smtp://127.0.0.1:2525` and read what it sends at <http://127.0.0.1:8025/> (or as JSON at
//! `/messages`). Prints one line when it listens; stops on Ctrl-C or SIGTERM.

use std::process::ExitCode;

use mock_studio::mail_catcher::Catcher;

const USAGE: &str = "usage: mail-catcher [--smtp HOST:PORT] [--http HOST:PORT]
  --smtp: where to take mail (default 127.0.0.1:2525); --http: where to show it (default 127.0.0.1:8025)";

#[tokio::main]
async fn main() -> ExitCode {
    let (mut smtp, mut http) = ("127.0.0.1:2525".to_string(), "127.0.0.1:8025".to_string());
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let slot = match arg.as_str() {
            "--smtp" => &mut smtp,
            "--http" => &mut http,
            "-h" | "--help" => {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            _ => {
                eprintln!("unknown argument `{arg}`\n{USAGE}");
                return ExitCode::from(2);
            }
        };
        match args.next() {
            Some(value) => *slot = value,
            None => {
                eprintln!("`{arg}` needs HOST:PORT\n{USAGE}");
                return ExitCode::from(2);
            }
        }
    }
    let catcher = match Catcher::start_with_http(&smtp, Some(&http)).await {
        Ok(c) => c,
        Err(e) => {
            eprintln!("mail-catcher: cannot listen: {e}");
            return ExitCode::FAILURE;
        }
    };
    let http_addr = catcher.http_addr().map(|a| a.to_string()).unwrap_or_default();
    println!("mail-catcher: SMTP on {}, messages at http://{http_addr}/", catcher.smtp_addr());
    shutdown().await;
    catcher.stop().await;
    ExitCode::SUCCESS
}

async fn shutdown() {
    #[cfg(unix)]
    {
        let mut term = match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(t) => t,
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
                return;
            }
        };
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
