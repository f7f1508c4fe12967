//! Schemas of the document: a validator of one, and the component a
//! `$ref` names.

use serde_json::Value;

/// A validator of `schema` (which may `$ref` the document's components).
pub fn validator(doc: &Value, schema: &Value) -> jsonschema::Validator {
    let schema = serde_json::json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "allOf": [schema],
        "components": doc["components"].clone(),
    });
    jsonschema::validator_for(&schema).expect("schema compiles")
}

/// `schema`, or the component it is a `$ref` to.
pub fn resolve<'a>(doc: &'a Value, schema: &'a Value) -> &'a Value {
    match schema["$ref"].as_str() {
        Some(name) => {
            &doc["components"]["schemas"][name.trim_start_matches("#/components/schemas/")]
        }
        None => schema,
    }
}
