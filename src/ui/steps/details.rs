use leptos::prelude::*;

use crate::core::flow::{Action, ClientField};
use crate::core::models::{FieldType, IntakeField};
use crate::core::validation::{answer_key, Answer};
use crate::intl::words::Msg;
use crate::ui::context::use_booking;
use crate::ui::nav_buttons::NavButtons;
use crate::ui::notice::step_notice;
use crate::ui::text;

fn field_id(key: &str) -> String {
    format!("sb-f-{}", key.replace(|c: char| !c.is_ascii_alphanumeric(), "-"))
}

/// The message beside a field, announced when it appears.
#[component]
fn FieldError(key: String) -> impl IntoView {
    let booking = use_booking();
    let id = format!("{}-error", field_id(&key));
    let message = move || booking.flow.with(|f| f.errors.get(&key).map(|p| text::problem(booking.words, p)));
    view! { <p class="sb-field-error" id=id>{message}</p> }
}

/// One of the visitor's own fields (name, e-mail, phone).
#[component]
fn ClientInput(field: ClientField, label: Msg, kind: &'static str, autocomplete: &'static str, required: bool) -> impl IntoView {
    let booking = use_booking();
    let key = field.key();
    let id = field_id(key);
    let value = move || {
        booking.flow.with(|f| match field {
            ClientField::FirstName => f.client.first_name.clone(),
            ClientField::LastName => f.client.last_name.clone(),
            ClientField::Email => f.client.email.clone(),
            ClientField::Phone => f.client.phone.clone(),
        })
    };
    let invalid = move || booking.flow.with(|f| f.errors.contains_key(key));
    view! {
        <div class="sb-field">
            <label for=id.clone()>{booking.words.text(label)}{(!required).then(|| view! { <span class="sb-optional">{booking.words.text(Msg::Optional)}</span> })}</label>
            <input id=id.clone() type=kind autocomplete=autocomplete required=required
                aria-invalid=move || invalid().to_string() aria-describedby=format!("{id}-error")
                prop:value=value
                on:input=move |ev| booking.send(Action::EditClient(field, event_target_value(&ev)))
                on:blur=move |_| booking.send(Action::LeaveField(key.to_string()))/>
            <FieldError key=key.to_string()/>
        </div>
    }
}

/// One intake question, asked with the control its type calls for (an unknown type as text).
#[component]
fn IntakeInput(field: IntakeField) -> impl IntoView {
    let booking = use_booking();
    let key = answer_key(&field.id);
    let id = field_id(&key);
    let described = format!("{id}-error{}", if field.description.is_some() { format!(" {id}-help") } else { String::new() });
    let fid = field.id.clone();
    let answer = move || booking.flow.with(|f| f.answers.get(&fid).cloned());
    let invalid = {
        let key = key.clone();
        move || booking.flow.with(|f| f.errors.contains_key(&key))
    };
    let leave = {
        let key = key.clone();
        move || booking.send(Action::LeaveField(key.clone()))
    };
    let edit = {
        let fid = field.id.clone();
        move |a: Answer| booking.send(Action::EditAnswer(fid.clone(), a))
    };
    let help = field.description.clone().map(|d| view! { <p class="sb-help" id=format!("{id}-help")>{d}</p> });
    let optional = (!field.required).then(|| view! { <span class="sb-optional">{booking.words.text(Msg::Optional)}</span> });
    let text_value = {
        let answer = answer.clone();
        move || answer().map(|a| a.text().to_string()).unwrap_or_default()
    };
    let control = match &field.field_type {
        FieldType::Checkbox => {
            let checked = {
                let answer = answer.clone();
                move || matches!(answer(), Some(Answer::Checked(true)))
            };
            let edit = edit.clone();
            let leave = leave.clone();
            return view! {
                <div class="sb-field sb-check">
                    <input id=id.clone() type="checkbox" required=field.required aria-invalid=move || invalid().to_string()
                        aria-describedby=described prop:checked=checked
                        on:change=move |ev| { edit(Answer::Checked(event_target_checked(&ev))); leave() }/>
                    <label for=id.clone()>{field.question_text.clone()}{optional}</label>
                    {help}
                    <FieldError key=key.clone()/>
                </div>
            }
            .into_any();
        }
        FieldType::Radio | FieldType::MultiSelect => {
            let multi = field.field_type == FieldType::MultiSelect;
            let options = field
                .options
                .clone()
                .into_iter()
                .enumerate()
                .map(|(i, o)| {
                    let oid = format!("{id}-{i}");
                    let value = o.value.clone();
                    let current = answer.clone();
                    let checked_answer = answer.clone();
                    let is_on = move || match checked_answer() {
                        Some(Answer::Text(v)) => v == value,
                        Some(Answer::Chosen(items)) => items.contains(&value),
                        _ => false,
                    };
                    let edit = edit.clone();
                    let leave = leave.clone();
                    let value = o.value.clone();
                    view! {
                        <div class="sb-option">
                            <input id=oid.clone() type=if multi { "checkbox" } else { "radio" } name=id.clone() value=o.value.clone()
                                prop:checked=is_on
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    if multi {
                                        let mut items = match current() { Some(Answer::Chosen(v)) => v, _ => vec![] };
                                        items.retain(|v| *v != value);
                                        if on { items.push(value.clone()); }
                                        edit(Answer::Chosen(items));
                                    } else {
                                        edit(Answer::Text(value.clone()));
                                    }
                                    leave();
                                }/>
                            <label for=oid>{o.label.clone()}</label>
                        </div>
                    }
                })
                .collect_view();
            return view! {
                <fieldset class="sb-field sb-choices" aria-invalid=move || invalid().to_string() aria-describedby=described>
                    <legend>{field.question_text.clone()}{optional}</legend>
                    {help}
                    {options}
                    <FieldError key=key.clone()/>
                </fieldset>
            }
            .into_any();
        }
        FieldType::Select => {
            let edit = edit.clone();
            let options = field
                .options
                .iter()
                .map(|o| {
                    let v = o.value.clone();
                    let tv = text_value.clone();
                    view! { <option value=o.value.clone() selected=move || tv() == v>{o.label.clone()}</option> }
                })
                .collect_view();
            view! {
                <select id=id.clone() required=field.required aria-invalid=move || invalid().to_string() aria-describedby=described
                    on:change=move |ev| edit(Answer::Text(event_target_value(&ev)))
                    on:blur=move |_| leave()>
                    <option value="">{booking.words.text(Msg::ChoosePlaceholder)}</option>
                    {options}
                </select>
            }
            .into_any()
        }
        FieldType::Textarea => view! {
            <textarea id=id.clone() required=field.required rows="4" placeholder=field.placeholder.clone().unwrap_or_default()
                aria-invalid=move || invalid().to_string() aria-describedby=described prop:value=text_value
                on:input=move |ev| edit(Answer::Text(event_target_value(&ev)))
                on:blur=move |_| leave()></textarea>
        }
        .into_any(),
        kind => {
            let (input_type, mode, auto) = match kind {
                FieldType::Email => ("email", "email", "email"),
                FieldType::Phone => ("tel", "tel", "tel"),
                FieldType::Number => ("text", "decimal", "off"),
                FieldType::Date => ("date", "none", "off"),
                _ => ("text", "text", "off"),
            };
            view! {
                <input id=id.clone() type=input_type inputmode=mode autocomplete=auto required=field.required
                    placeholder=field.placeholder.clone().unwrap_or_default()
                    aria-invalid=move || invalid().to_string() aria-describedby=described prop:value=text_value
                    on:input=move |ev| edit(Answer::Text(event_target_value(&ev)))
                    on:blur=move |_| leave()/>
            }
            .into_any()
        }
    };
    view! {
        <div class="sb-field">
            <label for=id.clone()>{field.question_text.clone()}{optional}</label>
            {help}
            {control}
            <FieldError key=key.clone()/>
        </div>
    }
    .into_any()
}

/// The visitor's details and the studio's intake questions, in the studio's order.
#[component]
pub fn DetailsStep() -> impl IntoView {
    let booking = use_booking();
    let fields = booking.flow.with_untracked(|f| f.intake_fields());
    view! {
        <form class="sb-form" part="form" novalidate on:submit=move |ev| { ev.prevent_default(); booking.send(Action::Continue) }>
            {step_notice(booking)}
            {if text::family_name_first(booking.words) {
                view! { <div class="sb-row">
                    <ClientInput field=ClientField::LastName label=Msg::LastName kind="text" autocomplete="family-name" required=true/>
                    <ClientInput field=ClientField::FirstName label=Msg::FirstName kind="text" autocomplete="given-name" required=true/>
                </div> }.into_any()
            } else {
                view! { <div class="sb-row">
                    <ClientInput field=ClientField::FirstName label=Msg::FirstName kind="text" autocomplete="given-name" required=true/>
                    <ClientInput field=ClientField::LastName label=Msg::LastName kind="text" autocomplete="family-name" required=true/>
                </div> }.into_any()
            }}
            <div class="sb-row">
                <ClientInput field=ClientField::Email label=Msg::Email kind="email" autocomplete="email" required=true/>
                <ClientInput field=ClientField::Phone label=Msg::Phone kind="tel" autocomplete="tel" required=false/>
            </div>
            {fields.into_iter().map(|f| view! { <IntakeInput field=f/> }).collect_view()}
            <NavButtons/>
        </form>
    }
}
