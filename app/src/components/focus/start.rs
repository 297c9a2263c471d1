//! The start form: which guide, where, when, which group, who facilitates (initials only).

use crate::components::{
    AnySignal, CollectAny, at, attrs::GlobalAttributes, button, click, ev, option, r, text, trx, tx,
};
use leptos::prelude::*;
use voci_core::SiteId;

use super::ftx;
use crate::browser;
use crate::catalog::CatalogState;
use crate::focus::{StartField, StartForm as Form, use_focus};
use crate::i18n::{FocusKey, Key};
use crate::state::use_app;

#[component]
pub fn StartForm() -> impl IntoView {
    let app = use_app();
    let focus = use_focus();
    let lang = app.lang;
    let (guides, sites) = app.catalog.with_untracked(|c| match c {
        CatalogState::Ready(c, _) => (
            c.guides()
                .current()
                .into_iter()
                .map(|g| {
                    let default = g.languages.first().cloned().unwrap_or_default();
                    (g.id.to_string(), g.title.clone(), default)
                })
                .collect::<Vec<_>>(),
            c.sites
                .flatten()
                .into_iter()
                .map(|(depth, s)| (s.id.to_string(), depth, s.name.clone()))
                .collect::<Vec<_>>(),
        ),
        _ => (Vec::new(), Vec::new()),
    });
    let form = AnySignal::new(Form {
        guide: match guides.as_slice() {
            [(only, ..)] => only.clone(),
            _ => String::new(),
        },
        site: app.site.get_untracked(),
        date: browser::today(),
        ..Form::default()
    });
    let no_guides = guides.is_empty();
    let guide_options = guides
        .into_iter()
        .map(|(id, title, default)| {
            let value = id.clone();
            let selected = move || form.with(|f| f.guide == value);
            option(id, r(selected), trx(lang, title, default))
        })
        .collect_any();
    let site_options = sites
        .into_iter()
        .map(|(id, depth, name)| {
            let value = id.clone();
            let selected =
                move || form.with(|f| f.site.as_ref().is_some_and(|s| s.as_str() == value));
            let indent = "\u{a0}\u{a0}\u{a0}".repeat(depth);
            option(id, r(selected), format!("{indent}{name}"))
        })
        .collect_any();
    let problem = move |field: StartField, key: FocusKey, testid: &'static str| {
        move || {
            focus.start_problems.with(|p| p.contains(&field)).then(|| {
                view! {
                    <p class="error" role="alert" data-testid=testid>{ftx(lang, key)}</p>
                }
                .into_any()
            })
        }
    };
    let text_field = move |testid: &'static str,
                           label: FocusKey,
                           kind: &'static str,
                           get: fn(&Form) -> String,
                           set: fn(&mut Form, String)| {
        view! {
            <label {at("for", testid)}>{ftx(lang, label)}</label>
            <input
                {at("type", kind)}
                id=testid
                data-testid=testid
                prop:value=r(move || form.with(get))
                on:input=ev(move |ev| form.update(|f| set(f, event_target_value(&ev))))
            />
        }
        .into_any()
    };
    view! {
        <section class="focus-start" data-testid="focus-start">
            <div class="runner-head">
                <h1>{ftx(lang, FocusKey::StartTitle)}</h1>
                {button("secondary small", "home", text(lang, Key::BackHome), click(move |_| focus.go_home()))}
            </div>
            {no_guides.then(|| view! { <p class="info" data-testid="focus-no-guides">{ftx(lang, FocusKey::NoGuides)}</p> }.into_any())}
            <div class="field">
                <label {at("for", "focus-guide")}>{ftx(lang, FocusKey::Guide)}</label>
                <select
                    id="focus-guide"
                    data-testid="focus-guide"
                    on:change=ev(move |ev| form.update(|f| f.guide = event_target_value(&ev)))
                >
                    {option("", r(move || form.with(|f| f.guide.is_empty())), ftx(lang, FocusKey::ChooseGuide))}
                    {guide_options}
                </select>
                {problem(StartField::Guide, FocusKey::NeedGuide, "focus-problem-guide")}
            </div>
            <div class="field">
                <label {at("for", "focus-site")}>{tx(lang, Key::Site)}</label>
                <select
                    id="focus-site"
                    data-testid="focus-site"
                    on:change=ev(move |ev| form.update(|f| f.site = SiteId::parse(event_target_value(&ev)).ok()))
                >
                    {option("", r(move || form.with(|f| f.site.is_none())), tx(lang, Key::ChooseSite))}
                    {site_options}
                </select>
                {problem(StartField::Site, FocusKey::NeedSite, "focus-problem-site")}
            </div>
            <div class="field">
                {text_field("focus-date", FocusKey::Date, "date", |f| f.date.clone(), |f, v| f.date = v)}
                {problem(StartField::Date, FocusKey::BadDate, "focus-problem-date")}
            </div>
            <div class="field">
                {text_field("focus-group-type", FocusKey::GroupType, "text", |f| f.group_type.clone(), |f, v| f.group_type = v)}
                <p class="hint">{ftx(lang, FocusKey::GroupTypeHint)}</p>
                {problem(StartField::GroupType, FocusKey::NeedGroupType, "focus-problem-group-type")}
            </div>
            <div class="field">
                {text_field("focus-facilitator", FocusKey::Facilitator, "text", |f| f.facilitator.clone(), |f, v| f.facilitator = v)}
                {problem(StartField::Facilitator, FocusKey::InitialsOnly, "focus-problem-facilitator")}
            </div>
            <div class="field">
                {text_field("focus-co-facilitator", FocusKey::CoFacilitator, "text", |f| f.co_facilitator.clone(), |f, v| f.co_facilitator = v)}
                {problem(StartField::CoFacilitator, FocusKey::InitialsOnly, "focus-problem-co-facilitator")}
            </div>
            <nav class="pager">
                <span class="spacer"></span>
                {button("primary", "focus-begin", ftx(lang, FocusKey::Begin), click(move |_| focus.start(&form.get_untracked())))}
            </nav>
        </section>
    }.into_any()
}
