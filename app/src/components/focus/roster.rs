//! The roster: participants by code (P1, P2, ...), the guide's fields about them (never names),
//! and a consent tick each. The consent text to read out is shown above.

use crate::components::{CollectAny, Show, at, button, click, ev, memo, option, r, trx};
use leptos::prelude::*;
use voci_core::guide::ParticipantField;

use super::ftx;
use crate::focus::{FocusState, use_focus};
use crate::i18n::{FocusKey, UiLang};
use crate::state::use_app;

#[component]
pub fn Roster() -> impl IntoView {
    let app = use_app();
    let focus = use_focus();
    let lang = app.lang;
    let (fields, consent, default) = focus.run.with_untracked(|r| {
        r.as_ref().map_or((Vec::new(), None, String::new()), |r| {
            let g = r.guide();
            let default = g.languages.first().cloned().unwrap_or_default();
            (g.participant_fields.clone(), g.consent.clone(), default)
        })
    });
    let codes = memo(move || {
        focus.run.with(|r| {
            r.as_ref().map_or_else(Vec::new, |r| {
                r.session()
                    .participants
                    .iter()
                    .map(|p| p.code.clone())
                    .collect::<Vec<_>>()
            })
        })
    });
    let d = default.clone();
    let consent_text = consent.map(|text| {
        view! {
            <div class="notice consent-read">
                <p><strong>{ftx(lang, FocusKey::ConsentRead)}</strong></p>
                <p data-testid="consent-text">{trx(lang, text, d)}</p>
            </div>
        }
        .into_any()
    });
    let rows = move || {
        let (fields, default) = (fields.clone(), default.clone());
        codes
            .get()
            .into_iter()
            .map(move |code| participant(focus, lang, code, &fields, &default))
            .collect_any()
    };
    view! {
        <section class="roster" data-testid="roster">
            <h2>{ftx(lang, FocusKey::Roster)}</h2>
            {consent_text}
            <Show when=move || codes.with(Vec::is_empty)>
                <p class="info">{ftx(lang, FocusKey::NoParticipants)}</p>
            </Show>
            <ul class="participants">{crate::components::rv(rows)}</ul>
            {button("secondary", "add-participant", ftx(lang, FocusKey::AddParticipant), click(move |_| focus.edit(|r, _| {
                r.add_participant();
            })))}
        </section>
    }.into_any()
}

/// One participant: the code, the guide's fields, the consent tick.
fn participant(
    focus: FocusState,
    lang: RwSignal<UiLang>,
    code: String,
    fields: &[ParticipantField],
    default: &str,
) -> impl IntoView + use<> {
    let selects = fields
        .iter()
        .map(|f| {
            let field = f.id.to_string();
            let id = format!("participant-{code}-{field}");
            let (c, fid) = (code.clone(), field.clone());
            let chosen = move || {
                focus.run.with(|r| {
                    r.as_ref()
                        .and_then(|r| r.participant(&c)?.fields.get(&fid).cloned())
                        .unwrap_or_default()
                })
            };
            let options = f
                .choices
                .iter()
                .map(|choice| {
                    let (value, chosen) = (choice.id.to_string(), chosen.clone());
                    let this = value.clone();
                    let (label, d) = (choice.label.clone(), default.to_owned());
                    option(value, r(move || chosen() == this), trx(lang, label, d))
                })
                .collect_any();
            let (label, d) = (f.label.clone(), default.to_owned());
            let (c, fid) = (code.clone(), field.clone());
            let empty = chosen.clone();
            view! {
                <label class="participant-field">
                    <span>{trx(lang, label, d)}</span>
                    <select
                        data-testid=id
                        on:change=ev(move |ev| {
                            let value = event_target_value(&ev);
                            let choice = (!value.is_empty()).then_some(value);
                            focus.edit(|r, _| r.set_field(&c, &fid, choice));
                        })
                    >
                        {option("", r(move || empty().is_empty()), ftx(lang, FocusKey::NotSaid))}
                        {options}
                    </select>
                </label>
            }
            .into_any()
        })
        .collect_any();
    let c = code.clone();
    let consented = move || {
        focus.run.with(|r| {
            r.as_ref()
                .and_then(|r| r.participant(&c))
                .is_some_and(|p| p.consent)
        })
    };
    let c = code.clone();
    view! {
        <li class="participant" data-testid=format!("participant-{code}")>
            <strong class="code">{code.clone()}</strong>
            {selects}
            <label class="choice consent-tick">
                <input
                    {at("type", "checkbox")}
                    data-testid=format!("consent-{code}")
                    prop:checked=r(consented)
                    on:change=ev(move |ev| {
                        let on = event_target_checked(&ev);
                        focus.edit(|r, _| r.set_consent(&c, on));
                    })
                />
                <span>{ftx(lang, FocusKey::Consent)}</span>
            </label>
        </li>
    }
    .into_any()
}
