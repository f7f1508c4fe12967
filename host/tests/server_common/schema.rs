//! The served OpenAPI document, and validation against its schemas.

use serde_json::{json, Value};
use tokensign::node::openapi as node_openapi;

/// The served OpenAPI document.
pub fn openapi() -> Value {
    serde_json::from_str(node_openapi::document()).expect("openapi parses")
}

/// Validates `value` against `#/components/schemas/<name>` of the OpenAPI
/// document, resolving `$ref`s inside the document.
pub fn assert_schema(name: &str, value: &Value) {
    let doc = openapi();
    assert!(
        doc["components"]["schemas"].get(name).is_some(),
        "no schema {name}"
    );
    let schema = json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$ref": format!("#/components/schemas/{name}"),
        "components": doc["components"].clone(),
    });
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    if let Err(e) = validator.validate(value) {
        panic!("{value} does not match schema {name}: {e}");
    }
}
