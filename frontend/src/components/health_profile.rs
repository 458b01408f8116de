//! A patient's health profile, as the patient and their doctors see it: the flags the answers
//! raised and whether each counts now, doctors' overrides with who and why, and the answers.

use leptos::prelude::*;
use rxgate_api_types::health::{FlagOverrideView, HealthProfile, PatientFlagView};

use crate::format;

/// The badge of a flag's state (whether it counts for eligibility now), and where that comes
/// from.
pub fn flag_state(flag: &PatientFlagView) -> (&'static str, &'static str, &'static str) {
    match (flag.effective, flag.from_answers) {
        (true, true) => ("badge badge-warn", "Active", "From the answers."),
        (true, false) => ("badge badge-warn", "Active", "Raised by a doctor."),
        (false, true) => ("badge", "Cleared", "From the answers, cleared by a doctor."),
        (false, false) => ("badge", "Not active", "Cleared by a doctor."),
    }
}

/// Small labels for flags in lists, e.g. on a doctor's patient list.
#[component]
pub fn FlagChips(
    /// `(code, label)` of each flag.
    flags: Vec<(String, String)>,
    /// The accessible name of the list.
    label: String,
) -> impl IntoView {
    if flags.is_empty() {
        return view! { <p class="muted">"No flags"</p> }.into_any();
    }
    view! {
        <ul class="chips" aria-label=label>
            {flags
                .into_iter()
                .map(|(code, text)| view! { <li class="chip" data-flag=code>{text}</li> })
                .collect_view()}
        </ul>
    }
    .into_any()
}

/// The whole profile: flags, overrides and answers, each in its own card. `whose` is how the
/// text names the patient ("your", "the patient's").
#[component]
pub fn HealthProfileView(profile: HealthProfile, whose: &'static str) -> impl IntoView {
    let labels: Vec<(String, String)> = profile
        .flags
        .iter()
        .map(|f| (f.code.clone(), f.label.clone()))
        .collect();
    let label_of = move |code: &str| {
        labels
            .iter()
            .find(|(c, _)| c == code)
            .map_or_else(|| code.to_owned(), |(_, l)| l.clone())
    };
    let submitted = match (&profile.submitted_at, profile.submissions) {
        (Some(at), n) => format!(
            "Last submitted {} ({}){}.",
            format::date_time(at),
            match (&profile.questionnaire, profile.version) {
                (Some(name), Some(v)) => format!("{name}, version {v}"),
                (Some(name), None) => name.clone(),
                _ => "questionnaire".to_owned(),
            },
            if n > 1 {
                format!("; submitted {n} times in all")
            } else {
                String::new()
            }
        ),
        (None, _) => "The health questionnaire has not been submitted yet.".to_owned(),
    };
    let overrides = profile
        .overrides
        .into_iter()
        .map(|o| {
            let label = label_of(&o.flag);
            view! { <OverrideItem item=o label /> }
        })
        .collect::<Vec<_>>();
    let no_overrides = overrides.is_empty();

    view! {
        <div class="card stack" aria-labelledby="flags-title">
            <h2 id="flags-title">"Flags"</h2>
            <p class="muted">
                "Flags come from " {whose} " answers and decide which medicines are suitable. "
                "A doctor can raise or clear a flag, with a reason."
            </p>
            {if profile.flags.is_empty() {
                view! { <p class="empty">"No flags: nothing limits which medicines are suitable."</p> }
                    .into_any()
            } else {
                view! {
                    <ul class="item-list" aria-label="Flags">
                        {profile.flags.into_iter().map(|flag| view! { <FlagItem flag /> }).collect_view()}
                    </ul>
                }
                    .into_any()
            }}
        </div>
        <div class="card stack" aria-labelledby="overrides-title">
            <h2 id="overrides-title">"Doctors' overrides"</h2>
            {if no_overrides {
                view! { <p class="muted">"No doctor has changed a flag."</p> }.into_any()
            } else {
                view! { <ul class="item-list" aria-label="Doctors' overrides">{overrides}</ul> }
                    .into_any()
            }}
        </div>
        <div class="card stack" aria-labelledby="answers-title">
            <h2 id="answers-title">"Answers"</h2>
            <p class="muted">{submitted}</p>
            {(!profile.answers.is_empty())
                .then(|| {
                    view! {
                        <dl class="facts answers" aria-label="Answers">
                            {profile
                                .answers
                                .into_iter()
                                .map(|a| view! { <dt>{a.label}</dt><dd>{a.display}</dd> })
                                .collect_view()}
                        </dl>
                    }
                })}
        </div>
    }
}

#[component]
fn FlagItem(flag: PatientFlagView) -> impl IntoView {
    let (class, state, why) = flag_state(&flag);
    view! {
        <li class="item" data-testid="flag" data-flag=flag.code.clone()>
            <div class="item-main">
                <p class="item-title">{flag.label.clone()} " " <span class=class>{state}</span></p>
                <p class="muted">{flag.description.clone()} " " {why}</p>
            </div>
        </li>
    }
}

#[component]
fn OverrideItem(item: FlagOverrideView, label: String) -> impl IntoView {
    let (class, change) = if item.raised {
        ("badge badge-warn", "Raised")
    } else {
        ("badge badge-ok", "Cleared")
    };
    let doctor = item
        .doctor_name
        .clone()
        .unwrap_or_else(|| "A doctor".to_owned());
    view! {
        <li class="item" data-testid="override">
            <div class="item-main">
                <p class="item-title">{label} " " <span class=class>{change}</span></p>
                <p>"By " {doctor} ", " {format::date_time(&item.created_at)}</p>
                <p class="muted">"Reason: " {item.reason.clone()}</p>
            </div>
        </li>
    }
}
