//! Start-up as library functions: open the catalog and the database, build the router, serve.

use std::future::Future;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use tokio::net::TcpListener;
use voci_core::Diagnostic;

use crate::api;
use crate::audit;
use crate::auth::{self, AuthState, Security, TokenError};
use crate::catalog::{Catalog, CatalogError};
use crate::static_files;
use crate::store::{Store, StoreError};

/// The database file's name in the data folder.
pub const DB_FILE: &str = "voci.sqlite3";

/// Where the collector finds its inputs and keeps its data.
#[derive(Debug, Clone)]
pub struct Config {
    /// Survey files, focus-group guides and `sites.toml`.
    pub surveys_dir: PathBuf,
    /// Holds the database; created when missing.
    pub data_dir: PathBuf,
    /// The built app (`index.html`, `sw.js`, ...).
    pub app_dir: PathBuf,
}

impl Config {
    pub fn db_path(&self) -> PathBuf {
        self.data_dir.join(DB_FILE)
    }
}

/// A collector ready to serve, and what to tell the person who started it.
#[derive(Debug)]
pub struct Opened {
    pub state: AppState,
    /// The admin token, when this start made it (the first start with this database).
    pub new_admin_token: Option<String>,
    pub db_path: PathBuf,
    /// Survey versions loaded.
    pub surveys: usize,
    /// Focus-group guide versions loaded.
    pub guides: usize,
    /// Places responses can be collected at.
    pub sites: usize,
    /// Responses already in the database.
    pub responses: u64,
    /// Focus-group sessions already in the database.
    pub sessions: u64,
    /// Warnings about the survey files (errors stop the start instead).
    pub warnings: Vec<Diagnostic>,
}

/// Why the collector cannot start. Its `Display` says what to fix, listing every diagnostic.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Catalog(#[from] CatalogError),
    #[error("cannot create the data folder {}", path.display())]
    DataDir {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "there is no database at {} (check --data; voci serve creates it on first start)",
        path.display()
    )]
    NoDatabase { path: PathBuf },
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Token(#[from] TokenError),
}

/// Loads the survey and guide files, then opens (or creates) the database and makes the admin token on
/// first start. Nothing is created when the survey files have errors.
pub fn open(config: &Config) -> Result<Opened, StartError> {
    let (catalog, warnings) = Catalog::load(&config.surveys_dir)?;
    std::fs::create_dir_all(&config.data_dir).map_err(|source| StartError::DataDir {
        path: config.data_dir.clone(),
        source,
    })?;
    let db_path = config.db_path();
    let store = Store::open(&db_path)?;
    let new_admin_token = auth::ensure_token(&store)?;
    audit::record_catalog(&store, &catalog)?;
    let (responses, sessions) = (store.count()?, store.session_count()?);
    let (surveys, guides) = (catalog.surveys().len(), catalog.guides().len());
    let sites = catalog.site_count();
    Ok(Opened {
        state: AppState::new(catalog, store, config.app_dir.clone()),
        new_admin_token,
        db_path,
        surveys,
        guides,
        sites,
        responses,
        sessions,
        warnings,
    })
}

/// Replaces the admin token of the database in `data_dir`; returns the new token.
pub fn reset_admin_token(data_dir: &Path) -> Result<String, StartError> {
    let path = data_dir.join(DB_FILE);
    if !path.is_file() {
        return Err(StartError::NoDatabase { path });
    }
    let store = Store::open(&path)?;
    Ok(auth::reset_token(&store)?)
}

/// What every handler can reach. Cloning is cheap.
#[derive(Debug, Clone)]
pub struct AppState(Arc<Inner>);

#[derive(Debug)]
struct Inner {
    catalog: Catalog,
    store: Store,
    app_dir: PathBuf,
    /// `GET /api/surveys`, `GET /api/guides` and `GET /api/sites` never change while running:
    /// serialised once.
    surveys_json: Bytes,
    guides_json: Bytes,
    sites_json: Bytes,
    /// Security settings and rate limiters.
    auth: AuthState,
}

impl AppState {
    fn new(catalog: Catalog, store: Store, app_dir: PathBuf) -> Self {
        let surveys_json = serde_json::to_vec(catalog.surveys()).expect("surveys serialise");
        let guides_json = serde_json::to_vec(catalog.guides()).expect("guides serialise");
        let sites_json = serde_json::to_vec(catalog.sites()).expect("sites serialise");
        Self(Arc::new(Inner {
            catalog,
            store,
            app_dir,
            surveys_json: surveys_json.into(),
            guides_json: guides_json.into(),
            sites_json: sites_json.into(),
            auth: AuthState::new(Security::default()),
        }))
    }

    /// The same state with other security settings (limits, HTTPS cookies). Call it before
    /// serving: it needs the only handle to the state.
    pub fn with_security(mut self, security: Security) -> Self {
        Arc::get_mut(&mut self.0)
            .expect("security is set before the state is shared")
            .auth = AuthState::new(security);
        self
    }

    pub(crate) fn auth(&self) -> &AuthState {
        &self.0.auth
    }

    pub fn catalog(&self) -> &Catalog {
        &self.0.catalog
    }

    pub fn app_dir(&self) -> &Path {
        &self.0.app_dir
    }

    pub(crate) fn store(&self) -> &Store {
        &self.0.store
    }

    pub(crate) fn surveys_json(&self) -> &Bytes {
        &self.0.surveys_json
    }

    pub(crate) fn guides_json(&self) -> &Bytes {
        &self.0.guides_json
    }

    pub(crate) fn sites_json(&self) -> &Bytes {
        &self.0.sites_json
    }
}

/// The whole HTTP surface: `/api/...`, and the app's files for every other path.
pub fn router(state: AppState) -> Router {
    let files = static_files::service(state.app_dir());
    Router::new()
        .nest("/api", api::routes(state))
        .fallback_service(files)
}

/// Serves on `listener` until `shutdown` completes, then finishes the requests under way.
pub async fn run(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    // The client's address is what logins and open surveys are rate-limited by.
    let app = router(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await
}
