//! Theme tags for the note or quote being typed: the guide's themes and those typed during the
//! session as toggles, and a field to type a new one.

use crate::components::{
    AnySignal, CollectAny, at,
    attrs::{AriaAttributes, GlobalAttributes},
    button, click, ev, ev_key, memo, r,
};
use leptos::prelude::*;

use super::{ft, ftx};
use crate::focus::{Composer, use_focus};
use crate::i18n::FocusKey;
use crate::state::use_app;

#[component]
pub fn ThemePicker(composer: Composer) -> impl IntoView {
    let app = use_app();
    let focus = use_focus();
    let lang = app.lang;
    let name = match composer {
        Composer::Note => "note",
        Composer::Quote => "quote",
    };
    let options = memo(move || {
        let l = lang.get();
        focus
            .run
            .with(|r| r.as_ref().map(|r| r.themes(l.code())).unwrap_or_default())
    });
    let tags = memo(move || {
        focus.run.with(|r| {
            r.as_ref()
                .map(|r| r.tags(composer).to_vec())
                .unwrap_or_default()
        })
    });
    let chips = move || {
        options
            .get()
            .into_iter()
            .map(|t| {
                let (id, theme) = (t.id.clone(), t.id.clone());
                let pressed = move || tags.with(|tags| tags.contains(&id));
                view! {
                    <button
                        class=if t.typed { "theme typed" } else { "theme" }
                        data-testid=format!("theme-{name}-{}", t.id)
                        aria-pressed=r(move || pressed().to_string())
                        on:click=click(move |_| focus.edit(|r, _| r.toggle_theme(composer, &theme)))
                    >
                        {t.label}
                    </button>
                }
                .into_any()
            })
            .collect_any()
    };
    // The label being typed: a few letters, kept only until added.
    let typed = AnySignal::new(String::new());
    let add = move || {
        let label = typed.get_untracked();
        focus.edit(|r, _| {
            r.add_theme(composer, &label);
        });
        typed.set(String::new());
    };
    let input_id = format!("new-theme-{name}");
    view! {
        <fieldset class="themes">
            <legend>{ftx(lang, FocusKey::Themes)}</legend>
            <div class="chips">{crate::components::rv(chips)}</div>
            <div class="new-theme">
                <label {at("for", input_id.clone())} class="visually-hidden">{ftx(lang, FocusKey::NewTheme)}</label>
                <input
                    {at("type", "text")}
                    id=input_id.clone()
                    data-testid={input_id}
                    {at("maxlength", "80")}
                    {at("placeholder", r(ft(lang, FocusKey::NewTheme)))}
                    prop:value=r(move || typed.get())
                    on:input=ev(move |ev| typed.set(event_target_value(&ev)))
                    on:keydown=ev_key(move |ev| {
                        if ev.key() == "Enter" {
                            ev.prevent_default();
                            add();
                        }
                    })
                />
                {button("secondary small", format!("add-theme-{name}"), ftx(lang, FocusKey::AddTheme), click(move |_| add()))}
            </div>
        </fieldset>
    }.into_any()
}
