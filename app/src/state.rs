//! The app's state and the actions buttons trigger, shared with components as one context value.
//!
//! Components read these signals and call these methods; the rules live in `runner`, `storage`
//! and `sync`.

use leptos::prelude::*;
use voci_core::outbox_file::OutboxFile;
use voci_core::{SiteId, SurveyId};

use crate::browser;
use crate::catalog::{self, Catalog, CatalogState, Source};
use crate::i18n::{self, Key, UiLang};
use crate::net;
use crate::runner::Runner;
use crate::storage::{self, LocalStore, Store};
use crate::sync::OutboxSync;

/// Which screen is showing.
#[derive(Debug, Clone, PartialEq)]
pub enum Screen {
    Home,
    /// The running questionnaire (its state is [`AppState::runner`]).
    Running,
    /// After a submit; the next respondent gets the same survey and site.
    Thanks {
        survey: SurveyId,
        site: SiteId,
    },
}

/// A message the person holding the tablet must see.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notice {
    SiteRequired,
    SaveFailed,
}

#[derive(Debug, Clone, Copy)]
pub struct AppState {
    pub lang: RwSignal<UiLang>,
    pub catalog: RwSignal<CatalogState>,
    pub screen: RwSignal<Screen>,
    pub runner: RwSignal<Option<Runner>>,
    /// The chosen site, remembered across sessions.
    pub site: RwSignal<Option<SiteId>>,
    pub notice: RwSignal<Option<Notice>>,
    pub sync: OutboxSync,
    /// Whether the draft left by the last session has been looked at.
    draft_checked: StoredValue<bool>,
}

pub fn use_app() -> AppState {
    expect_context::<AppState>()
}

impl AppState {
    pub fn provide() -> Self {
        let store = LocalStore;
        let lang = store
            .get(storage::LANG_KEY)
            .and_then(|l| UiLang::parse(&l))
            .unwrap_or_default();
        let site = store
            .get(storage::SITE_KEY)
            .and_then(|s| SiteId::parse(s).ok());
        let this = Self {
            lang: RwSignal::new(lang),
            catalog: RwSignal::new(CatalogState::Loading),
            screen: RwSignal::new(Screen::Home),
            runner: RwSignal::new(None),
            site: RwSignal::new(site),
            notice: RwSignal::new(None),
            sync: OutboxSync::provide(),
            draft_checked: StoredValue::new(false),
        };
        provide_context(this);
        this
    }

    /// Start-up: the kept catalog at once (offline start), then a fresh one, then a sync.
    pub fn boot(self) {
        browser::ask_persistent_storage();
        if let Some(kept) = storage::load_catalog(&LocalStore) {
            self.show_catalog(kept, Source::Kept);
        }
        self.refresh_catalog();
        self.sync.listen();
        self.sync.trigger();
    }

    /// Downloads surveys and sites; on failure keeps what there is.
    pub fn refresh_catalog(self) {
        leptos::task::spawn_local(async move {
            let surveys = fetch_parsed("/api/surveys", catalog::parse_surveys).await;
            let sites = fetch_parsed("/api/sites", catalog::parse_sites).await;
            let kept = storage::load_catalog(&LocalStore);
            match catalog::merge(surveys, sites, kept) {
                Some((c, source)) => {
                    if source == Source::Collector {
                        // A full storage only costs the offline start; the app still runs.
                        let _ = storage::save_catalog(&LocalStore, &c);
                    }
                    self.show_catalog(c, source);
                }
                None => self.catalog.set(CatalogState::Missing),
            }
        });
    }

    fn show_catalog(self, c: Catalog, source: Source) {
        if self
            .site
            .with_untracked(|s| s.as_ref().is_some_and(|s| c.sites.find(s).is_none()))
        {
            self.site.set(None);
        }
        if !self.draft_checked.get_value() {
            self.draft_checked.set_value(true);
            self.reopen_draft(&c);
        }
        self.catalog.set(CatalogState::Ready(c, source));
    }

    /// Reopens the response a reload interrupted, on its page with its answers.
    fn reopen_draft(self, c: &Catalog) {
        let Some(draft) = storage::load_draft(&LocalStore) else {
            return;
        };
        if let Some(lang) = UiLang::parse(&draft.language) {
            self.lang.set(lang);
        }
        if let Some(r) = Runner::from_draft(draft, c) {
            self.runner.set(Some(r));
            self.screen.set(Screen::Running);
        }
    }

    pub fn set_lang(self, lang: UiLang) {
        self.lang.set(lang);
        let _ = LocalStore.set(storage::LANG_KEY, lang.code());
        self.save_draft();
    }

    pub fn set_site(self, site: Option<SiteId>) {
        match &site {
            Some(s) => {
                let _ = LocalStore.set(storage::SITE_KEY, s.as_str());
                self.notice.set(None);
            }
            None => LocalStore.remove(storage::SITE_KEY),
        }
        self.site.set(site);
    }

    /// Starts a blank response of `survey` at the chosen site.
    pub fn start(self, survey: &SurveyId) {
        let Some(site) = self.site.get_untracked() else {
            self.notice.set(Some(Notice::SiteRequired));
            return;
        };
        self.start_at(survey, site);
    }

    fn start_at(self, survey: &SurveyId, site: SiteId) {
        let found = self.catalog.with_untracked(|c| match c {
            CatalogState::Ready(c, _) => c.latest(survey.as_str()).cloned(),
            _ => None,
        });
        let Some(survey) = found else {
            self.screen.set(Screen::Home);
            return;
        };
        self.notice.set(None);
        self.runner
            .set(Some(Runner::new(survey, site, browser::new_response_id())));
        self.save_draft();
        self.screen.set(Screen::Running);
        browser::scroll_to_top();
    }

    /// Changes the running response and keeps the draft in step.
    pub fn edit(self, f: impl FnOnce(&mut Runner)) {
        self.runner.update(|r| {
            if let Some(r) = r {
                f(r);
            }
        });
        self.save_draft();
    }

    fn save_draft(self) {
        let lang = self.lang.get_untracked();
        self.runner.with_untracked(|r| {
            if let Some(r) = r {
                // If storage is full the respondent can still finish; only a reload would lose it.
                let _ = storage::save_draft(&LocalStore, &r.draft(lang.code()));
            }
        });
    }

    pub fn next(self) {
        let mut moved = false;
        self.edit(|r| moved = r.next());
        if moved {
            browser::scroll_to_top();
        } else {
            browser::scroll_to_first_error();
        }
    }

    pub fn back(self) {
        self.edit(Runner::back);
        browser::scroll_to_top();
    }

    /// Validates, queues the response, and shows the thank-you screen.
    pub fn submit(self) {
        let lang = self.lang.get_untracked();
        let mut finished = None;
        self.edit(|r| finished = r.finish(lang.code(), browser::now_rfc3339()));
        let Some(response) = finished else {
            browser::scroll_to_first_error();
            return;
        };
        if storage::enqueue(&LocalStore, &response).is_err() {
            self.notice.set(Some(Notice::SaveFailed));
            return;
        }
        storage::delete_draft(&LocalStore);
        self.notice.set(None);
        self.screen.set(Screen::Thanks {
            survey: response.survey,
            site: response.site,
        });
        self.runner.set(None);
        self.sync.refresh();
        self.sync.trigger();
        browser::scroll_to_top();
    }

    /// Back to home, discarding this respondent's answers once confirmed.
    pub fn leave(self) {
        if !browser::confirm(i18n::t(self.lang.get_untracked(), Key::ConfirmLeave)) {
            return;
        }
        storage::delete_draft(&LocalStore);
        self.go_home();
    }

    pub fn go_home(self) {
        self.notice.set(None);
        self.screen.set(Screen::Home);
        self.runner.set(None);
        browser::scroll_to_top();
    }

    /// Downloads the queued responses as an outbox file the collector imports. They stay queued:
    /// the collector stores each id once, so sending them later as well does no harm.
    pub fn export_outbox(self) {
        let responses: Vec<_> = storage::queued(&LocalStore)
            .into_iter()
            .filter_map(|(_, r)| r.ok())
            .collect();
        if responses.is_empty() {
            return;
        }
        let now = browser::now_rfc3339();
        let file = OutboxFile::new(responses, now.clone());
        let name = format!("voci-outbox-{}.json", now.get(..10).unwrap_or("export"));
        let _ = browser::download(&name, &file.to_json(), "application/json");
    }

    /// Kiosk flow: a blank response of the same survey and site.
    pub fn next_respondent(self) {
        if let Screen::Thanks { survey, site } = self.screen.get_untracked() {
            self.start_at(&survey, site);
        }
    }
}

/// `GET url` parsed by `parse`; `None` when offline, on an HTTP error or on unreadable JSON.
async fn fetch_parsed<T, E>(url: &str, parse: impl Fn(&str) -> Result<T, E>) -> Option<T> {
    let reply = net::get(url).await.ok().filter(net::Reply::ok)?;
    parse(&reply.body).ok()
}
