//! Every result carries its explanation: the inputs, the rule applied and the outcome.

use serde::Serialize;

use crate::pack::{PackRef, RulePack};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fact {
    pub name: String,
    pub value: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Explanation {
    /// The rule applied, with the regulation it comes from.
    pub rule: String,
    /// The rule pack whose values were used.
    pub pack: PackRef,
    pub inputs: Vec<Fact>,
    /// How the inputs led to the outcome, step by step.
    pub reasons: Vec<String>,
    pub outcome: String,
}

impl Explanation {
    pub(crate) fn new(rule: impl Into<String>, pack: &RulePack) -> Self {
        Self {
            rule: rule.into(),
            pack: pack.reference(),
            inputs: Vec::new(),
            reasons: Vec::new(),
            outcome: String::new(),
        }
    }

    pub(crate) fn input(mut self, name: impl Into<String>, value: impl ToString) -> Self {
        self.inputs.push(Fact { name: name.into(), value: value.to_string() });
        self
    }

    pub(crate) fn reason(mut self, reason: impl Into<String>) -> Self {
        self.reasons.push(reason.into());
        self
    }

    pub(crate) fn outcome(mut self, outcome: impl ToString) -> Self {
        self.outcome = outcome.to_string();
        self
    }
}

/// A result with its explanation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Explained<T> {
    pub value: T,
    pub explanation: Explanation,
}
