//! The `mutu` binary: `mutu serve [--demo]` (the default), `mutu user add`, and backups:
//! `mutu backup --to FILE`, `mutu backup --verify FILE`, `mutu restore --from FILE --to URL`.

use anyhow::Context;
use clap::{Parser, Subcommand};
use mutu_backend::config::{self, Settings};
use mutu_backend::{App, Config};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

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
    /// Back up the database of MUTU_DATABASE_URL into one archive while it serves, or verify an
    /// archive (docs/backup.md).
    Backup {
        /// The archive to write; it must not exist yet.
        #[arg(long, value_name = "FILE", required_unless_present = "verify", conflicts_with = "verify")]
        to: Option<PathBuf>,
        /// Verify FILE by restoring it into a scratch database (deleted after) and print a report.
        #[arg(long, value_name = "FILE")]
        verify: Option<PathBuf>,
    },
    /// Restore an archive into an empty database and verify it there.
    Restore {
        /// The archive `mutu backup` made.
        #[arg(long, value_name = "FILE")]
        from: PathBuf,
        /// The empty target: `sqlite://FILE?mode=rwc` or `postgres://USER:PASSWORD@HOST/DB`.
        #[arg(long, value_name = "DATABASE_URL")]
        to: String,
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
        Command::Backup { to: Some(to), .. } => one_line("backup", backup(config, &to).await),
        Command::Backup { verify: Some(file), .. } => match verify(config, &file).await {
            Ok(true) => Ok(()),
            Ok(false) => std::process::exit(1),
            Err(error) => one_line("backup --verify", Err(error)),
        },
        Command::Backup { .. } => unreachable!("clap requires --to or --verify"),
        Command::Restore { from, to } => one_line("restore", restore(config, &from, &to).await),
    }
}

/// Ends the process with one line naming the command and the whole reason, and exit status 1.
fn one_line(command: &str, result: anyhow::Result<()>) -> anyhow::Result<()> {
    if let Err(error) = result {
        let reason = format!("{error:#}").replace('\n', " ");
        eprintln!("mutu {command}: {reason}");
        std::process::exit(1);
    }
    Ok(())
}

async fn backup(config: Config, to: &Path) -> anyhow::Result<()> {
    let app = App::start(config).await?;
    let made = mutu_backend::backup::backup(&app.state, to).await?;
    let m = &made.manifest;
    println!("backup     {} ({} bytes)", to.display(), made.size);
    println!("archive    {}, schema {}, Mutu {}", m.archive_id, m.schema_version, m.mutu_version);
    println!("tables     {}, rows {}", m.parts.len(), m.rows_total());
    println!("audit      {} entries, head {}", m.audit.seq, m.audit.head);
    println!("manifest   sha256 {}", made.manifest_sha256);
    Ok(())
}

async fn restore(config: Config, from: &Path, to: &str) -> anyhow::Result<()> {
    let key = Arc::new(mutu_backend::audit::key::load_existing(&config)?);
    let restored = mutu_backend::backup::restore(from, to, key, mutu_backend::backup::Purpose::Restore)
        .await
        .map_err(|failed| failed.error)?;
    let m = &restored.manifest;
    println!("restored   {} into {}", from.display(), mutu_backend::audit::chain::database_identity(to));
    println!("tables     {}, rows {} (counts match the manifest)", m.parts.len(), restored.rows);
    println!("audit      {} entries replayed to head {}", restored.audit_entries, m.audit.head);
    println!("result     OK");
    Ok(())
}

/// Prints the report of `mutu backup --verify` and records its result in the register of
/// MUTU_DATABASE_URL's database when that holds the backup. Returns whether the archive passed.
async fn verify(config: Config, file: &Path) -> anyhow::Result<bool> {
    use mutu_backend::backup::register::{Outcome, record_verification};
    let key = Arc::new(mutu_backend::audit::key::load_existing(&config)?);
    let result = mutu_backend::backup::verify(file, key).await;
    let (manifest, problem, rows) = match &result {
        Ok(restored) => (Some(&restored.manifest), None, restored.rows),
        Err(failed) => (failed.manifest.as_ref(), Some(format!("{:#}", failed.error).replace('\n', " ")), 0),
    };
    println!("archive    {}", file.display());
    if let Some(m) = manifest {
        println!(
            "made       {} by Mutu {} (schema {}), from {}",
            m.made_at, m.mutu_version, m.schema_version, m.engine
        );
        println!("tables     {}, rows {}", m.parts.len(), m.rows_total());
        println!("audit      {} entries, head {}", m.audit.seq, m.audit.head);
    }
    match &problem {
        None => println!(
            "result     OK: restored into a scratch SQLite database; integrity, foreign keys, row counts and the audit \
             chain verified"
        ),
        Some(reason) => println!("result     FAILED: {reason}"),
    }
    if let Some(m) = manifest {
        let identity = mutu_backend::audit::chain::database_identity(&config.database_url);
        let outcome = Outcome { kind: "verify", problem: problem.clone(), rows_total: rows };
        let recorded = match sqlite_file_missing(&config.database_url) {
            true => Err(anyhow::anyhow!("there is no database at {identity} (MUTU_DATABASE_URL)")),
            false => match App::start(config).await {
                Ok(app) => {
                    record_verification(&app.state, &m.archive_id, &outcome).await.map_err(|e| anyhow::anyhow!("{e:?}"))
                }
                Err(error) => Err(error),
            },
        };
        match recorded {
            Ok(true) => println!("recorded   in the backup register of {identity}"),
            Ok(false) => println!("recorded   no: the backup register of {identity} does not hold this backup"),
            Err(error) => println!("recorded   no: {}", format!("{error:#}").replace('\n', " ")),
        }
    }
    Ok(problem.is_none())
}

/// Whether `url` names an SQLite file that does not exist (opening it would create it).
fn sqlite_file_missing(url: &str) -> bool {
    let Some(rest) = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:")) else { return false };
    let path = rest.split('?').next().unwrap_or(rest);
    !Path::new(path).exists()
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
