//! The `mutu` binary: `mutu serve [--demo]` (the default) and `mutu user add`.

use anyhow::Context;
use clap::{Parser, Subcommand};
use mutu_backend::config::{self, Settings};
use mutu_backend::{App, Config};
use std::io::Read;

#[derive(Parser)]
#[command(name = "mutu", about = "Mutu: QC audit and document control for the CT-0 / PRANPC call centre", version)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// Every setting, also read from its `MUTU_*` variable.
    #[command(flatten)]
    settings: Settings,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the API and the browser app (reads MUTU_* variables; migrates on start).
    Serve {
        /// Load the demo data once (idempotent).
        #[arg(long)]
        demo: bool,
    },
    /// Manage accounts from the command line.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create an account; the password is read from standard input.
    Add {
        #[arg(long)]
        username: String,
        #[arg(long)]
        role: String,
        #[arg(long, default_value = "")]
        full_name: String,
        #[arg(long, default_value = "")]
        position: String,
        /// The team's name.
        #[arg(long)]
        team: Option<String>,
    },
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("MUTU_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn,sea_orm=warn,tower_http=info")),
        )
        .init();
    let cli: Cli = config::parse(std::env::args_os()).unwrap_or_else(|error| error.exit());
    let config = cli.settings.config()?;
    match cli.command.unwrap_or(Command::Serve { demo: false }) {
        Command::Serve { demo } => serve(config, &cli.settings.bind, demo).await,
        Command::User { command: UserCommand::Add { username, role, full_name, position, team } } => {
            let mut password = String::new();
            std::io::stdin().read_to_string(&mut password).context("reading the password from standard input")?;
            let password = password.trim_end_matches(['\n', '\r']).to_owned();
            let app = App::start(config).await?;
            let user = mutu_backend::users::service::create_from_cli(
                &app.state,
                &username,
                &password,
                &role,
                &full_name,
                &position,
                team.as_deref(),
            )
            .await?;
            println!("created user {} ({}) with id {}", user.username, user.role, user.id);
            Ok(())
        }
    }
}

async fn serve(config: Config, bind: &str, demo: bool) -> anyhow::Result<()> {
    tracing::info!(config = ?config, "starting");
    if !config.static_dir.join("index.html").exists() {
        tracing::warn!(dir = %config.static_dir.display(), "the browser app is not built here: run `cargo xtask dist` (or `cargo xtask run`)");
    }
    let app = App::start(config).await?;
    if demo {
        app.load_demo().await.context("loading the demo data")?;
        tracing::info!("demo data loaded: log in as admin / mutu-demo-2024");
    }
    app.spawn_background();
    let listener = tokio::net::TcpListener::bind(bind).await.with_context(|| format!("cannot listen on {bind}"))?;
    let address = listener.local_addr()?;
    println!("Mutu is running at http://{address}  (Ctrl-C to stop)");
    mutu_backend::serve(listener, &app).await
}
