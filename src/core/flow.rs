//! The booking flow as a state machine: where the visitor is and what they chose. Views send
//! [`Action`]s; [`Flow::apply`] decides what changes and what each change clears.

/// The steps of a booking, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Step {
    SessionType,
    DateTime,
    Details,
    Payment,
    Review,
    Booked,
}

impl Step {
    /// The steps shown in the step indicator (the confirmation is not one of them).
    pub const SHOWN: [Step; 5] = [Step::SessionType, Step::DateTime, Step::Details, Step::Payment, Step::Review];

    /// The step's name in the indicator.
    pub fn label(self) -> &'static str {
        use crate::text;
        match self {
            Step::SessionType => text::STEP_SESSION,
            Step::DateTime => text::STEP_DATE_TIME,
            Step::Details => text::STEP_DETAILS,
            Step::Payment => text::STEP_PAYMENT,
            Step::Review => text::STEP_REVIEW,
            Step::Booked => text::STEP_BOOKED,
        }
    }
}

/// What a visitor can do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Picks a session type (by id).
    ChooseSessionType(String),
}

/// Where the visitor is and what they chose so far.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flow {
    pub step: Step,
    pub session_type_id: Option<String>,
}

impl Default for Flow {
    fn default() -> Self {
        Flow { step: Step::SessionType, session_type_id: None }
    }
}

impl Flow {
    /// Applies an action.
    pub fn apply(&mut self, action: Action) {
        match action {
            Action::ChooseSessionType(id) => {
                self.session_type_id = Some(id);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn starts_at_the_session_types_and_remembers_the_choice() {
        let mut f = Flow::default();
        assert_eq!(f.step, Step::SessionType);
        f.apply(Action::ChooseSessionType("set_A".into()));
        assert_eq!(f.session_type_id.as_deref(), Some("set_A"));
        f.apply(Action::ChooseSessionType("set_B".into()));
        assert_eq!(f.session_type_id.as_deref(), Some("set_B"));
        assert_eq!(Step::SHOWN.len(), 5);
        assert!(Step::SessionType < Step::Review);
    }
}
