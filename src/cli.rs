//! The commands: serve (default), migrate, admin create, demo.

use std::io::{IsTerminal, Read};
use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, bail};
use sqlx::PgPool;
use tokio::net::TcpListener;

use crate::auth::{db as auth_db, password};
use crate::config::{AdminCommand, Cli, Command, Config, LedgerCommand, LogFormat};
use crate::embedded::{self, EmbeddedPostgres};
use crate::notify::mailer::Mailer;
use crate::notify::retention;
use crate::spaces::db as spaces_db;
use crate::spaces::model::{Role, SignupMode, Status, valid_slug};
use crate::web::gate::CpuGate;
use crate::web::session::db as session_db;
use crate::web::state::{AppState, Settings};
use crate::{db, demo, web};

pub fn init_logging(format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| "info,sqlx=warn,tower_http=info".into());
    // Colour only on a terminal: a file or a pipe gets plain text.
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::stderr().is_terminal())
        .with_writer(std::io::stderr);
    let _ = match format {
        LogFormat::Pretty => builder.try_init(),
        LogFormat::Json => builder.json().flatten_event(true).try_init(),
    };
}

pub async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let config = cli.config;
    if matches!(cli.command, Some(Command::Health)) {
        // Asks the running app; needs no database of its own.
        return Ok(health(config.bind).await);
    }
    let (urls, embedded) = match &config.database_url {
        Some(url) => {
            let migrate = config.migrate_database_url.clone();
            let urls = Urls {
                migrate: migrate.unwrap_or_else(|| url.clone()),
                app: url.clone(),
            };
            (urls, None)
        }
        None => {
            let dir = config.data_dir.clone();
            let pg = tokio::task::spawn_blocking(move || EmbeddedPostgres::start(&dir)).await??;
            embedded::ensure_database(&pg).await?;
            let urls = Urls {
                migrate: pg.url_as(embedded::OWNER, embedded::DATABASE),
                app: pg.url_as(embedded::APP, embedded::DATABASE),
            };
            (urls, Some(pg))
        }
    };
    let outcome = dispatch(cli.command.unwrap_or(Command::Serve), &config, &urls).await;
    if let Some(pg) = embedded {
        tokio::task::spawn_blocking(move || pg.stop()).await??;
    }
    outcome
}

/// Where to connect: as the schema's owner to migrate, as the app's role for the rest.
struct Urls {
    migrate: String,
    app: String,
}

async fn dispatch(command: Command, config: &Config, urls: &Urls) -> anyhow::Result<ExitCode> {
    let owner = db::connect(&urls.migrate, 2).await?;
    db::migrate(&owner).await?;
    owner.close().await;
    if matches!(command, Command::Migrate) {
        println!("Migrations are up to date.");
        return Ok(ExitCode::SUCCESS);
    }
    let pool = db::connect(&urls.app, config.db_pool_size).await?;
    match command {
        Command::Migrate | Command::Health => {}
        Command::Serve => serve(pool, config).await?,
        Command::Admin {
            command:
                AdminCommand::Create {
                    space,
                    email,
                    name,
                    space_name,
                },
        } => {
            let password = read_password(&email)?;
            create_admin(
                &pool,
                &space,
                space_name.as_deref(),
                &email,
                &name,
                &password,
            )
            .await?;
            println!("{email} is an admin of /s/{space}.");
        }
        Command::Ledger {
            command: LedgerCommand::Verify { space },
        } => {
            let space_id = match &space {
                Some(slug) => Some(
                    spaces_db::space_by_slug(&pool, slug)
                        .await?
                        .with_context(|| format!("there is no space {slug}"))?
                        .id,
                ),
                None => None,
            };
            let report = crate::ledger::verify(&pool, space_id).await?;
            print!("{}", report.text());
            if !report.ok() {
                return Ok(ExitCode::FAILURE);
            }
        }
        Command::Demo { seed_only } => {
            demo::seed(&pool).await?;
            println!(
                "The demo space is ready at {}/s/{}. Every demo account's password is: {}",
                config.base_url(),
                demo::SLUG,
                demo::PASSWORD
            );
            println!("Sign in as the admin with {}.", demo::ADMIN_EMAIL);
            if !seed_only {
                serve(pool, config).await?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Whether the app listening on `bind` answers /readyz with 200 within a few seconds.
pub async fn health(bind: SocketAddr) -> ExitCode {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    // A wildcard address is reached through loopback.
    let mut target = bind;
    if target.ip().is_unspecified() {
        target.set_ip(match target {
            SocketAddr::V4(_) => std::net::Ipv4Addr::LOCALHOST.into(),
            SocketAddr::V6(_) => std::net::Ipv6Addr::LOCALHOST.into(),
        });
    }
    let ask = async {
        let mut stream = tokio::net::TcpStream::connect(target).await?;
        stream
            .write_all(b"GET /readyz HTTP/1.0\r\nHost: localhost\r\n\r\n")
            .await?;
        let mut reply = Vec::new();
        stream.read_to_end(&mut reply).await?;
        Ok::<_, std::io::Error>(reply)
    };
    match tokio::time::timeout(Duration::from_secs(3), ask).await {
        Ok(Ok(reply))
            if reply.starts_with(b"HTTP/1.0 200") || reply.starts_with(b"HTTP/1.1 200") =>
        {
            println!("ready");
            ExitCode::SUCCESS
        }
        Ok(Ok(reply)) => {
            let first = reply.split(|b| *b == b'\n').next().unwrap_or_default();
            eprintln!("not ready: {}", String::from_utf8_lossy(first).trim());
            ExitCode::FAILURE
        }
        Ok(Err(err)) => {
            eprintln!("not ready: {err}");
            ExitCode::FAILURE
        }
        Err(_) => {
            eprintln!("not ready: no answer within 3 s");
            ExitCode::FAILURE
        }
    }
}

/// Serves until SIGTERM or SIGINT, then finishes the requests in flight.
pub async fn serve(pool: PgPool, config: &Config) -> anyhow::Result<()> {
    let key = db::instance_key(&pool, config.secret_key.as_deref()).await?;
    let state = AppState::new(pool.clone(), Settings::from_config(config, key));
    spawn_background(&state, config)?;
    serve_metrics(&state, config).await?;
    let listener = TcpListener::bind(config.bind)
        .await
        .with_context(|| format!("cannot listen on {}", config.bind))?;
    tracing::info!("Swapdesk is listening on {}", config.base_url());
    axum::serve(
        listener,
        web::app(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await?;
    tracing::info!("Swapdesk stopped");
    pool.close().await;
    Ok(())
}

/// Serves /metrics on its own address, so the public one never shows it. The default
/// address may be taken (another instance on this machine): that is logged, not fatal.
async fn serve_metrics(state: &AppState, config: &Config) -> anyhow::Result<()> {
    let Some((address, chosen)) = config.metrics_address()? else {
        return Ok(());
    };
    let listener = match TcpListener::bind(address).await {
        Ok(listener) => listener,
        Err(err) if !chosen => {
            tracing::warn!(%address, error = %err, "metrics are not served: the default address is taken (set METRICS_BIND)");
            return Ok(());
        }
        Err(err) => {
            return Err(err).with_context(|| format!("cannot listen on {address} for metrics"));
        }
    };
    tracing::info!("metrics are served at http://{address}/metrics");
    let app = web::metrics_app(state.clone());
    tokio::spawn(async move {
        if let Err(err) = axum::serve(listener, app).await {
            tracing::warn!(error = %err, "the metrics server stopped");
        }
    });
    Ok(())
}

/// Housekeeping that every instance runs: expired sessions and spent throttles, email texts
/// and read notifications past their keeping (`notify::retention`), held credits past their
/// timeout, and mail when SMTP is set.
pub fn spawn_background(state: &AppState, config: &Config) -> anyhow::Result<()> {
    let db = state.db.clone();
    let idle = state.settings.session_idle_secs;
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(600));
        loop {
            tick.tick().await;
            match session_db::delete_expired_sessions(&db, idle).await {
                Ok(n) if n > 0 => tracing::info!(sessions = n, "expired sessions removed"),
                Ok(_) => {}
                Err(err) => tracing::warn!(error = %err, "session clean-up failed"),
            }
            match auth_db::purge_throttles(&db).await {
                Ok(n) if n > 0 => tracing::info!(throttles = n, "spent throttles removed"),
                Ok(_) => {}
                Err(err) => tracing::warn!(error = %err, "throttle clean-up failed"),
            }
            retention::tidy(&db, time::OffsetDateTime::now_utc()).await;
        }
    });
    tokio::spawn(crate::ledger::service::expire_holds_forever(
        state.db.clone(),
    ));
    tokio::spawn(crate::marketplace::jobs::run_forever(state.db.clone()));
    tokio::spawn(crate::admin::overview::snapshot::refresh_forever(
        state.db.clone(),
    ));
    tokio::spawn(crate::notify::jobs::run_forever(
        state.db.clone(),
        crate::notify::jobs::Links {
            base_url: state.settings.base_url.clone(),
            key: state.settings.key.clone(),
        },
    ));
    crate::notify::delivering_by_smtp(config.smtp_url.is_some());
    if let Some(url) = &config.smtp_url {
        let mailer = Mailer::new(url, &config.smtp_from).context("SMTP_URL is not usable")?;
        tokio::spawn(mailer.run(state.db.clone()));
    } else {
        tracing::info!("SMTP_URL is not set: email stays in the outbox and the log");
    }
    Ok(())
}

async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}

/// From standard input when it is not a terminal; otherwise asked for, twice.
fn read_password(email: &str) -> anyhow::Result<String> {
    if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password(format!("Password for {email}: "))?;
        let second = rpassword::prompt_password("Type it again: ")?;
        if first != second {
            bail!("the two passwords differ");
        }
        Ok(first)
    } else {
        let mut text = String::new();
        std::io::stdin().read_to_string(&mut text)?;
        Ok(text.lines().next().unwrap_or("").to_owned())
    }
}

/// Creates the space if it is missing, then makes the person (new, or existing with this
/// password) its active admin.
pub async fn create_admin(
    pool: &PgPool,
    slug: &str,
    space_name: Option<&str>,
    email: &str,
    name: &str,
    password_text: &str,
) -> anyhow::Result<()> {
    if !valid_slug(slug) {
        bail!("the space slug must be 1–40 lower-case letters, digits and inner hyphens");
    }
    if !crate::web::form::looks_like_email(email) {
        bail!("{email} does not look like an email address");
    }
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 80 {
        bail!("the name must be 1–80 characters");
    }
    let gate = CpuGate::for_this_machine();
    let existing = auth_db::credentials_by_email(pool, email).await?;
    if let Some(found) = &existing {
        if !password::verify(&gate, password_text, found.password_hash.as_deref()).await? {
            bail!("{email} already has an account, and that is not its password");
        }
    } else if let Some(problem) = password::policy_problem(password_text, email, name) {
        bail!("{problem}");
    }
    let hash = password::hash(&gate, password_text).await?;
    let mut tx = pool.begin().await?;
    let (space, _) = spaces_db::ensure_space(
        &mut tx,
        slug,
        space_name.unwrap_or(slug),
        SignupMode::Approval,
    )
    .await?;
    let person = match existing {
        Some(found) => found.id,
        None => auth_db::create_person(&mut tx, email, name, Some(&hash), true)
            .await?
            .context("the account was created meanwhile; run the command again")?,
    };
    if spaces_db::add_membership(&mut tx, space, person, Role::Admin, Status::Active)
        .await?
        .is_none()
    {
        spaces_db::set_role_status(&mut *tx, space, person, Role::Admin, Status::Active).await?;
    }
    crate::audit::record(
        &mut *tx,
        Some(space),
        Some(person),
        "admin.created_from_cli",
        &format!("person:{person}"),
        serde_json::json!({}),
        None,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
