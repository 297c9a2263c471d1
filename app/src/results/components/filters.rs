//! The filters: a place at any level (district, municipality, school: the user's own and
//! below), a date range, a survey version. Applying them reloads the results, and the
//! downloads, cross-tab and comparison use them too.

use leptos::callback::Callback;
use leptos::prelude::*;

use crate::i18n::{self, Key};
use crate::query::{Selection, field};
use crate::state::use_area;

/// A site the user may choose: depth (for the indent), path, name.
pub type SiteOption = (usize, String, String);

#[component]
pub fn Filters(
    sites: Vec<SiteOption>,
    versions: Vec<String>,
    on_apply: Callback<Selection>,
) -> impl IntoView {
    let lang = use_area().lang;
    let site = RwSignal::new(String::new());
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let version = RwSignal::new(String::new());
    let group = RwSignal::new(String::new());
    let apply = move || {
        on_apply.run(Selection {
            site: field(&site.get_untracked()),
            from: field(&from.get_untracked()),
            to: field(&to.get_untracked()),
            version: field(&version.get_untracked()),
            group: field(&group.get_untracked()),
        });
    };
    let clear = move |_| {
        for s in [site, from, to, version, group] {
            s.set(String::new());
        }
        apply();
    };
    let t = move |key| move || i18n::t(lang.get(), key);
    let site_options = sites
        .into_iter()
        .map(|(depth, id, name)| {
            let indent = "\u{a0}\u{a0}\u{a0}".repeat(depth);
            let value = id.clone();
            view! {
                <option value=id selected=move || site.with(|s| *s == value)>
                    {format!("{indent}{name}")}
                </option>
            }
        })
        .collect_view();
    let version_options = versions
        .into_iter()
        .map(|v| {
            let (value, text) = (v.clone(), v.clone());
            view! { <option value=v selected=move || version.with(|s| *s == value)>{text}</option> }
        })
        .collect_view();
    let date = move |id: &'static str, key: Key, value: RwSignal<String>| {
        view! {
            <div class="field">
                <label for=id>{t(key)}</label>
                <input
                    type="date"
                    id=id
                    data-testid=id
                    prop:value=move || value.get()
                    on:change=move |ev| value.set(event_target_value(&ev))
                    on:input=move |ev| value.set(event_target_value(&ev))
                />
            </div>
        }
    };
    view! {
        <form
            class="filters"
            data-testid="filters"
            on:submit=move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                apply();
            }
        >
            <h2>{t(Key::Filters)}</h2>
            <div class="field">
                <label for="filter-site">{t(Key::Site)}</label>
                <select
                    id="filter-site"
                    data-testid="filter-site"
                    on:change=move |ev| site.set(event_target_value(&ev))
                >
                    <option value="" selected=move || site.with(String::is_empty)>{t(Key::AllSites)}</option>
                    {site_options}
                </select>
            </div>
            <div class="dates">
                {date("filter-from", Key::From, from)}
                {date("filter-to", Key::To, to)}
            </div>
            <div class="field">
                <label for="filter-version">{t(Key::Version)}</label>
                <select
                    id="filter-version"
                    data-testid="filter-version"
                    on:change=move |ev| version.set(event_target_value(&ev))
                >
                    <option value="" selected=move || version.with(String::is_empty)>{t(Key::AllVersions)}</option>
                    {version_options}
                </select>
            </div>
            <div class="field">
                <label for="filter-group">{t(Key::Group)}</label>
                <input
                    type="text"
                    id="filter-group"
                    data-testid="filter-group"
                    prop:value=move || group.get()
                    on:input=move |ev| group.set(event_target_value(&ev))
                />
            </div>
            <div class="actions">
                <button class="primary" type="submit" data-testid="filter-apply">{t(Key::Apply)}</button>
                <button class="secondary" type="button" data-testid="filter-clear" on:click=clear>
                    {t(Key::ClearFilters)}
                </button>
            </div>
        </form>
    }
}
