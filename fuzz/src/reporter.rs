//! Where a stateful target reports the states its steps reach
//! (`coverage.sh states`): nowhere when fuzzing, to a function for the
//! report and the tests.

/// Where a run reports the states it reaches: nowhere when fuzzing (no
/// label is even written), or to a function (the report, the tests).
pub struct Reporter<'a>(pub Option<&'a mut dyn FnMut(String)>);

impl Reporter<'_> {
    /// Nobody listens: what a fuzz run uses.
    pub const NONE: Reporter<'static> = Reporter(None);

    /// Whether anyone listens (work done only for the report is skipped
    /// when nobody does).
    pub fn listening(&self) -> bool {
        self.0.is_some()
    }

    /// Reports the label `label` makes, if anyone listens.
    pub fn say(&mut self, label: impl FnOnce() -> String) {
        if let Some(report) = &mut self.0 {
            report(label());
        }
    }
}
