//! The form that starts a kiosk session: site, class or group, survey, starting language and
//! the youth worker's PIN.

use crate::components::{
    AnySignal, CollectAny, at,
    attrs::{AriaAttributes, GlobalAttributes},
    ev, ev_submit,
    home::SitePicker,
    memo, option, r, screen_head, trx, tx,
    welcome::survey_languages,
};
use leptos::prelude::*;
use voci_core::SurveyId;

use crate::catalog::CatalogState;
use crate::i18n::{self, Key, UiLang};
use crate::kiosk::{Form, GROUP_MAX, PIN_MAX, SetupError};
use crate::state::use_app;

#[component]
pub fn KioskSetup() -> impl IntoView {
    let app = use_app();
    let lang = app.lang;
    let Some(catalog) = app.catalog.with_untracked(|c| match c {
        CatalogState::Ready(c, _) => Some(c.clone()),
        _ => None,
    }) else {
        return view! { <p class="info">{tx(lang, Key::Loading)}</p> }.into_any();
    };
    let surveys: Vec<voci_core::Survey> = catalog.current().into_iter().cloned().collect();
    let survey = AnySignal::new(None::<SurveyId>);
    let picked_lang = AnySignal::new(None::<UiLang>);
    let group = AnySignal::new(String::new());
    let pin = AnySignal::new(String::new());
    let pin_again = AnySignal::new(String::new());
    let error = AnySignal::new(None::<SetupError>);

    // The starting language: the one picked if the survey has it, else the survey's first.
    let list = surveys.clone();
    let languages = memo(move || {
        let chosen = survey.get()?;
        list.iter().find(|s| s.id == chosen).map(survey_languages)
    });
    let language = move || {
        let options = languages.get().unwrap_or_else(|| vec![lang.get()]);
        picked_lang
            .get()
            .filter(|l| options.contains(l))
            .or_else(|| options.first().copied())
            .unwrap_or_default()
    };

    let survey_options = surveys
        .iter()
        .map(|s| {
            let id = s.id.to_string();
            let (title, default) = (s.title.clone(), s.default_language().to_owned());
            option(id, r(|| false), trx(lang, title, default))
        })
        .collect_any();
    let language_options = move || {
        languages
            .get()
            .unwrap_or_else(|| vec![lang.get()])
            .into_iter()
            .map(|l| option(l.code(), r(move || language() == l), l.name()))
            .collect_any()
    };

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let form = Form {
            site: app.site.get_untracked(),
            group: group.get_untracked(),
            survey: survey.get_untracked(),
            language: language().code().to_owned(),
            pin: pin.get_untracked(),
            pin_again: pin_again.get_untracked(),
        };
        error.set(app.start_kiosk(&form).err());
    };
    view! {
        <section class="kiosk-setup" data-testid="kiosk-setup">
            {move || screen_head(app, lang.get(), Key::KioskSetupTitle)}
            <p class="hint">{tx(lang, Key::KioskSetupHint)}</p>
            <form on:submit={ev_submit(submit)} {at("novalidate", true)}>
                <SitePicker sites=catalog.sites.clone()/>
                <div class="field">
                    <label {at("for", "kiosk-group")}>{tx(lang, Key::Group)}</label>
                    <input
                        id="kiosk-group"
                        {at("type", "text")}
                        data-testid="kiosk-group"
                        {at("maxlength", GROUP_MAX.to_string())}
                        aria-describedby="kiosk-group-hint"
                        on:input=ev(move |ev| group.set(event_target_value(&ev)))
                    />
                    <p class="hint" id="kiosk-group-hint">{tx(lang, Key::GroupHint)}</p>
                </div>
                <div class="field">
                    <label {at("for", "kiosk-survey")}>{tx(lang, Key::Survey)}</label>
                    <select
                        id="kiosk-survey"
                        data-testid="kiosk-survey"
                        on:change=ev(move |ev| survey.set(SurveyId::parse(event_target_value(&ev)).ok()))
                    >
                        {option("", r(|| false), tx(lang, Key::ChooseSurvey))}
                        {survey_options}
                    </select>
                </div>
                <div class="field">
                    <label {at("for", "kiosk-language")}>{tx(lang, Key::StartLanguage)}</label>
                    <select
                        id="kiosk-language"
                        data-testid="kiosk-language"
                        on:change=ev(move |ev| picked_lang.set(UiLang::parse(&event_target_value(&ev))))
                    >
                        {crate::components::rv(language_options)}
                    </select>
                </div>
                <div class="field">
                    <label {at("for", "kiosk-pin")}>{tx(lang, Key::Pin)}</label>
                    <input
                        id="kiosk-pin"
                        {at("type", "password")}
                        inputmode="numeric"
                        {at("autocomplete", "new-password")}
                        {at("maxlength", PIN_MAX.to_string())}
                        data-testid="kiosk-pin"
                        on:input=ev(move |ev| pin.set(event_target_value(&ev)))
                    />
                </div>
                <div class="field">
                    <label {at("for", "kiosk-pin-again")}>{tx(lang, Key::PinAgain)}</label>
                    <input
                        id="kiosk-pin-again"
                        {at("type", "password")}
                        inputmode="numeric"
                        {at("autocomplete", "new-password")}
                        {at("maxlength", PIN_MAX.to_string())}
                        data-testid="kiosk-pin-again"
                        on:input=ev(move |ev| pin_again.set(event_target_value(&ev)))
                    />
                </div>
                <p role="alert" class="setup-error">
                    {move || error.get().map(|e| view! {
                        <span class="error" data-testid="kiosk-error">{i18n::setup_error(lang.get(), e)}</span>
                    }.into_any())}
                </p>
                <button {at("type", "submit")} class="primary" data-testid="kiosk-start">{tx(lang, Key::KioskStart)}</button>
            </form>
        </section>
    }
    .into_any()
}
