//! `fermyon:spin/variables@2.0.0`: a component reads its own variables.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::bindings::fermyon::spin::variables::{Error, Host};
use crate::manifest::is_snake_case;

pub struct VariablesHost {
    /// The component's variables, already expanded from their templates.
    values: Arc<BTreeMap<String, String>>,
}

impl VariablesHost {
    pub fn new(values: Arc<BTreeMap<String, String>>) -> Self {
        Self { values }
    }

    fn lookup(&self, name: &str) -> Result<String, Error> {
        if !is_snake_case(name) {
            return Err(Error::InvalidName(format!(
                "{name:?} is not a valid variable name (lower_snake_case)"
            )));
        }
        self.values
            .get(name)
            .cloned()
            .ok_or_else(|| Error::Undefined(format!("no variable named {name:?} in this component")))
    }
}

impl Host for VariablesHost {
    async fn get(&mut self, name: String) -> wasmtime::Result<Result<String, Error>> {
        Ok(self.lookup(&name))
    }
}
