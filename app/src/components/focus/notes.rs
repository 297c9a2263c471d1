//! Free notes on the prompt on screen: those taken so far, and the one being typed with its
//! theme tags. The note's time is when its first word was typed.

use crate::components::{CollectAny, at, attrs::GlobalAttributes, button, click, ev, memo, r};
use leptos::prelude::*;
use voci_core::guide::Note;

use super::ftx;
use super::themes::ThemePicker;
use crate::focus::timer::clock;
use crate::focus::{Composer, FocusState, use_focus};
use crate::i18n::{FocusKey, UiLang};
use crate::state::use_app;

#[component]
pub fn Notes() -> impl IntoView {
    let app = use_app();
    let focus = use_focus();
    let lang = app.lang;
    let here = memo(move || {
        focus
            .run
            .with(|r| r.as_ref().map(|r| r.notes_here()).unwrap_or_default())
    });
    let text = memo(move || {
        focus.run.with(|r| {
            r.as_ref()
                .map(|r| r.draft().note.text.clone())
                .unwrap_or_default()
        })
    });
    let items = move || {
        here.get()
            .into_iter()
            .map(|(i, n)| entry(focus, lang, i, n))
            .collect_any()
    };
    view! {
        <section class="notes" data-testid="notes">
            <h2>{ftx(lang, FocusKey::Notes)}</h2>
            <ul class="entries" data-testid="notes-here">{crate::components::rv(items)}</ul>
            <label {at("for", "note-text")}>{ftx(lang, FocusKey::NoteText)}</label>
            <textarea
                id="note-text"
                data-testid="note-text"
                {at("rows", "4")}
                {at("maxlength", "10000")}
                prop:value=r(move || text.get())
                on:input=ev(move |ev| {
                    let typed = event_target_value(&ev);
                    focus.edit(|r, now| r.set_note_text(typed, now));
                })
            ></textarea>
            <ThemePicker composer=Composer::Note/>
            <button
                class="primary"
                data-testid="add-note"
                prop:disabled=r(move || text.with(|t| t.trim().is_empty()))
                on:click=click(move |_| focus.edit(|r, _| {
                    r.add_note();
                }))
            >
                {ftx(lang, FocusKey::AddNote)}
            </button>
        </section>
    }
    .into_any()
}

/// A theme's label as shown on an entry.
pub fn theme_labels(focus: FocusState, lang: UiLang, tags: &[String]) -> String {
    focus.run.with_untracked(|r| {
        let Some(r) = r.as_ref() else {
            return String::new();
        };
        let themes = r.themes(lang.code());
        tags.iter()
            .map(|t| {
                themes
                    .iter()
                    .find(|o| &o.id == t)
                    .map_or(t.as_str(), |o| o.label.as_str())
            })
            .collect::<Vec<_>>()
            .join(" · ")
    })
}

fn entry(
    focus: FocusState,
    lang: RwSignal<UiLang>,
    index: usize,
    note: Note,
) -> impl IntoView + use<> {
    let tags = note.themes.clone();
    let themes = move || theme_labels(focus, lang.get(), &tags);
    view! {
        <li data-testid=format!("note-{index}") data-themes=note.themes.join(" ")>
            <span class="offset">{clock(u64::from(note.offset))}</span>
            <span class="text">{note.text}</span>
            <span class="tags">{crate::components::rv(themes)}</span>
            {button("secondary small", format!("remove-note-{index}"), ftx(lang, FocusKey::Remove), click(move |_| focus.edit(|r, _| r.remove_note(index))))}
        </li>
    }.into_any()
}
