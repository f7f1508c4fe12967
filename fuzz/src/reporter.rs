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

/// The labels a run reports, in order: `run` is given the function to
/// report to.
pub fn collect(run: impl FnOnce(&mut dyn FnMut(String))) -> Vec<String> {
    let mut out = Vec::new();
    run(&mut |label| out.push(label));
    out
}

/// Every input of a target's committed corpus (the state lists' tests
/// replay them).
pub fn committed_corpus(target: &str) -> Vec<Vec<u8>> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("corpus")
        .join(target);
    std::fs::read_dir(dir)
        .expect("the committed corpus")
        .map(|e| std::fs::read(e.expect("an entry").path()).expect("an input"))
        .collect()
}
