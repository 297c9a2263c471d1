//! The guide's structured tables (a logical framework: problem, objective, ...), filled in
//! together: one row per item, one text per column.

use crate::components::{CollectAny, at, attrs::AriaAttributes, button, click, ev, memo, r, trx};
use leptos::prelude::*;
use voci_core::guide::TableDef;

use super::ftx;
use crate::focus::{FocusState, use_focus};
use crate::i18n::{FocusKey, UiLang};
use crate::state::use_app;

#[component]
pub fn Tables() -> impl IntoView {
    let app = use_app();
    let focus = use_focus();
    let lang = app.lang;
    let (tables, default) = focus.run.with_untracked(|r| {
        r.as_ref().map_or((Vec::new(), String::new()), |r| {
            let g = r.guide();
            (
                g.tables.clone(),
                g.languages.first().cloned().unwrap_or_default(),
            )
        })
    });
    tables
        .into_iter()
        .map(|t| table(focus, lang, t, default.clone()))
        .collect_any()
}

fn table(
    focus: FocusState,
    lang: RwSignal<UiLang>,
    def: TableDef,
    default: String,
) -> impl IntoView + use<> {
    let id = def.id.to_string();
    let t = id.clone();
    let rows = memo(move || {
        focus
            .run
            .with(|r| r.as_ref().map_or(0, |r| r.rows(&t).len()))
    });
    let (title, d) = (def.title.clone(), default.clone());
    let heads = def
        .columns
        .iter()
        .map(|c| {
            let (label, d) = (c.label.clone(), default.clone());
            view! { <th {at("scope", "col")}>{trx(lang, label, d)}</th> }.into_any()
        })
        .collect_any();
    let columns: Vec<String> = def.columns.iter().map(|c| c.id.to_string()).collect();
    let t = id.clone();
    let body = move || {
        (0..rows.get())
            .map(|row| {
                let cells = columns
                    .iter()
                    .map(|col| {
                        let (t, c, t2, c2) = (t.clone(), col.clone(), t.clone(), col.clone());
                        let value = move || {
                            focus.run.with(|r| {
                                r.as_ref()
                                    .and_then(|r| r.rows(&t).get(row)?.get(&c).cloned())
                                    .unwrap_or_default()
                            })
                        };
                        view! {
                            <td>
                                <textarea
                                    {at("rows", "2")}
                                    data-testid=format!("cell-{t2}-{row}-{c2}")
                                    aria-label=c2.clone()
                                    prop:value=r(value)
                                    on:input=ev(move |ev| {
                                        let text = event_target_value(&ev);
                                        focus.edit(|r, _| r.set_cell(&t2, row, &c2, text));
                                    })
                                ></textarea>
                            </td>
                        }.into_any()
                    })
                    .collect_any();
                let (t, testid) = (t.clone(), format!("row-{t}-{row}"));
                let remove = format!("remove-row-{t}-{row}");
                view! {
                    <tr data-testid=testid>
                        {cells}
                        <td>
                            {button("secondary small", remove, ftx(lang, FocusKey::RemoveRow), click(move |_| focus.edit(|r, _| r.remove_row(&t, row))))}
                        </td>
                    </tr>
                }.into_any()
            })
            .collect_any()
    };
    let t = id.clone();
    view! {
        <section class="focus-table" data-testid=format!("table-{id}")>
            <h2>{trx(lang, title, d)}</h2>
            <div class="table-scroll">
                <table>
                    <thead><tr>{heads}<th></th></tr></thead>
                    <tbody>{crate::components::rv(body)}</tbody>
                </table>
            </div>
            {button("secondary", format!("add-row-{id}"), ftx(lang, FocusKey::AddRow), click(move |_| focus.edit(|r, _| r.add_row(&t))))}
        </section>
    }.into_any()
}
