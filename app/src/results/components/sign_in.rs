//! Signing in: name and password to `POST /api/login`, which sets the login cookie. Wrong
//! credentials, the lockout after too many attempts (429) and a collector out of reach are
//! said next to the form, and the focus goes to the message.

use leptos::prelude::*;

use super::failure;
use crate::api::{self, Failure, Me};
use crate::i18n::{self, Key};
use crate::state::{Notice, Session, use_area};

/// What the form says after an attempt.
#[derive(Debug, Clone, PartialEq)]
enum Outcome {
    Missing,
    Wrong,
    Device,
    Failed(Failure),
}

#[component]
pub fn SignIn() -> impl IntoView {
    let area = use_area();
    let lang = area.lang;
    let name = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let outcome = RwSignal::new(None::<Outcome>);
    let message = NodeRef::<leptos::html::P>::new();
    let notice = move || {
        area.session.with(|s| match s {
            Session::SignedOut(Some(n)) => Some(*n),
            _ => None,
        })
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let (n, p) = (name.get_untracked(), password.get_untracked());
        if n.trim().is_empty() || p.is_empty() {
            outcome.set(Some(Outcome::Missing));
            return;
        }
        busy.set(true);
        outcome.set(None);
        leptos::task::spawn_local(async move {
            let result = api::login(n.trim(), &p).await;
            busy.set(false);
            match result {
                Ok(Me::User(user)) => {
                    password.set(String::new());
                    area.signed_in(user);
                }
                Ok(Me::Device {}) => outcome.set(Some(Outcome::Device)),
                Err(Failure::SignedOut) => outcome.set(Some(Outcome::Wrong)),
                Err(f) => outcome.set(Some(Outcome::Failed(f))),
            }
            if let Some(p) = message.get_untracked() {
                let _ = p.focus();
            }
        });
    };
    let said = move || {
        let l = lang.get();
        outcome.with(|o| match o {
            None => String::new(),
            Some(Outcome::Missing) => i18n::t(l, Key::MissingCredentials).to_owned(),
            Some(Outcome::Wrong) => i18n::t(l, Key::WrongPassword).to_owned(),
            Some(Outcome::Device) => i18n::t(l, Key::NotAUser).to_owned(),
            Some(Outcome::Failed(f)) => failure(l, f),
        })
    };
    let kind = move || {
        outcome.with(|o| match o {
            Some(Outcome::Failed(Failure::RateLimited(_))) => "locked",
            Some(Outcome::Wrong) => "wrong",
            Some(_) => "error",
            None => "",
        })
    };
    let before = move || {
        let l = lang.get();
        notice().map(|n| {
            let key = match n {
                Notice::SessionEnded => Key::SessionEnded,
                Notice::Device => Key::NotAUser,
                Notice::Offline => Key::Offline,
            };
            view! { <p class="notice" data-testid="sign-in-notice">{i18n::t(l, key)}</p> }
        })
    };
    let t = move |key| move || i18n::t(lang.get(), key);
    view! {
        <section class="sign-in" data-testid="sign-in">
            <h1 tabindex="-1">{t(Key::SignInTitle)}</h1>
            <p class="hint">{t(Key::SignInHint)}</p>
            {before}
            <form on:submit=submit novalidate>
                <div class="field">
                    <label for="user-name">{t(Key::Name)}</label>
                    <input
                        type="text"
                        id="user-name"
                        name="username"
                        data-testid="user-name"
                        autocomplete="username"
                        autocapitalize="none"
                        spellcheck="false"
                        prop:value=move || name.get()
                        on:input=move |ev| name.set(event_target_value(&ev))
                    />
                </div>
                <div class="field">
                    <label for="user-password">{t(Key::Password)}</label>
                    <input
                        type="password"
                        id="user-password"
                        name="password"
                        data-testid="user-password"
                        autocomplete="current-password"
                        prop:value=move || password.get()
                        on:input=move |ev| password.set(event_target_value(&ev))
                    />
                </div>
                <button class="primary" type="submit" data-testid="sign-in-submit" disabled=move || busy.get()>
                    {move || i18n::t(lang.get(), if busy.get() { Key::SigningIn } else { Key::SignIn })}
                </button>
            </form>
            <p
                class="error"
                class:hidden=move || outcome.with(Option::is_none)
                role="alert"
                tabindex="-1"
                data-testid="sign-in-error"
                data-kind=kind
                node_ref=message
            >
                {said}
            </p>
            <p><a class="link" href="/">{t(Key::BackToApp)}</a></p>
        </section>
    }
}
