//! The results area's state, shared with components as one context value: the language, who
//! is signed in, the surveys and sites, and the survey on screen. What one survey's screen
//! shows (filters, results, cross-tab, comparison, downloads) lives in its components.

use leptos::prelude::*;
use voci_core::{SiteTree, Survey};

use crate::api::{self, Failure, Me, User};
use crate::i18n::Lang;

/// The interface language, shared with the respondents' app.
const LANG_KEY: &str = "voci.lang";

/// Something that needs doing, loading or done.
#[derive(Debug, Clone, PartialEq)]
pub enum Load<T> {
    Idle,
    Loading,
    Ready(T),
    Failed(Failure),
}

/// Why the sign-in form is on screen, when it is not the first visit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notice {
    /// A request answered 401: the login session ended.
    SessionEnded,
    /// The browser holds a collection tablet's token, not a user's login.
    Device,
    /// The collector could not be reached to ask who is signed in.
    Offline,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Session {
    /// Asking the collector (`GET /api/me`).
    Checking,
    SignedOut(Option<Notice>),
    SignedIn(User),
}

/// The surveys (every version) and sites, read once signed in.
#[derive(Debug, Clone, PartialEq)]
pub struct Catalog {
    pub surveys: Vec<Survey>,
    pub sites: SiteTree,
}

#[derive(Debug, Clone, Copy)]
pub struct Area {
    pub lang: RwSignal<Lang>,
    pub session: RwSignal<Session>,
    pub catalog: RwSignal<Load<Catalog>>,
    /// The survey on screen; `None` is the list.
    pub survey: RwSignal<Option<String>>,
}

pub fn use_area() -> Area {
    expect_context::<Area>()
}

fn storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

impl Area {
    pub fn provide() -> Self {
        let lang = storage()
            .and_then(|s| s.get_item(LANG_KEY).ok().flatten())
            .and_then(|l| Lang::parse(&l))
            .unwrap_or_default();
        let this = Self {
            lang: RwSignal::new(lang),
            session: RwSignal::new(Session::Checking),
            catalog: RwSignal::new(Load::Idle),
            survey: RwSignal::new(None),
        };
        provide_context(this);
        this
    }

    /// Asks the collector who is signed in (a login cookie may still be valid).
    pub fn boot(self) {
        leptos::task::spawn_local(async move {
            match api::me().await {
                Ok(Me::User(user)) => self.signed_in(user),
                Ok(Me::Device {}) => self.session.set(Session::SignedOut(Some(Notice::Device))),
                Err(Failure::Offline) => {
                    self.session.set(Session::SignedOut(Some(Notice::Offline)));
                }
                Err(_) => self.session.set(Session::SignedOut(None)),
            }
        });
    }

    /// After a login: the user, then the surveys and sites.
    pub fn signed_in(self, user: User) {
        self.session.set(Session::SignedIn(user));
        self.catalog.set(Load::Loading);
        leptos::task::spawn_local(async move {
            let loaded = async {
                Ok(Catalog {
                    surveys: api::surveys().await?,
                    sites: api::sites().await?,
                })
            }
            .await;
            match loaded {
                Ok(c) => self.catalog.set(Load::Ready(c)),
                Err(e) => self.failed(e, |e| self.catalog.set(Load::Failed(e))),
            }
        });
    }

    pub fn sign_out(self) {
        leptos::task::spawn_local(async move {
            // Signed out here whatever the collector says: the cookie expires by itself.
            let _ = api::logout().await;
            self.survey.set(None);
            self.catalog.set(Load::Idle);
            self.session.set(Session::SignedOut(None));
        });
    }

    /// A failed call: a 401 ends the session here too; anything else goes to `show`.
    pub fn failed(self, failure: Failure, show: impl FnOnce(Failure)) {
        if failure == Failure::SignedOut {
            self.survey.set(None);
            self.catalog.set(Load::Idle);
            self.session
                .set(Session::SignedOut(Some(Notice::SessionEnded)));
        } else {
            show(failure);
        }
    }

    /// The signed-in user's role, untracked (for actions).
    pub fn user(self) -> Option<User> {
        self.session.with(|s| match s {
            Session::SignedIn(u) => Some(u.clone()),
            _ => None,
        })
    }

    pub fn set_lang(self, lang: Lang) {
        self.lang.set(lang);
        if let Some(s) = storage() {
            let _ = s.set_item(LANG_KEY, lang.code());
        }
    }

    pub fn open(self, survey: String) {
        self.survey.set(Some(survey));
    }

    pub fn close(self) {
        self.survey.set(None);
    }
}
