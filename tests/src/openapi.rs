//! The served OpenAPI document as test input: its operations, and request values built from its
//! schemas (`$ref`s resolved, required fields filled with values of the right type, enums'
//! first value), for the authorization matrix and the fuzz test.

use reqwest::Method;
use serde_json::{Map, Value, json};

/// A wrong password that is well-formed, for every signing field: a role that may sign gets
/// 401 `wrong_password` and nothing changes.
pub const WRONG_PASSWORD: &str = "not-the-password-1";

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    Path,
    Query,
}

/// One documented parameter.
#[derive(Debug, Clone)]
pub struct Param {
    pub name: String,
    pub location: Location,
    pub required: bool,
    pub schema: Value,
}

/// What an operation takes as its body.
#[derive(Debug, Clone)]
pub enum Body {
    None,
    Json(Value),
    Multipart,
}

/// One documented operation.
#[derive(Debug, Clone)]
pub struct Operation {
    pub method: Method,
    /// The path template as documented (`/api/cases/{id}`).
    pub path: String,
    pub params: Vec<Param>,
    pub body: Body,
    /// Whether the document asks for a bearer token.
    pub secured: bool,
}

impl Operation {
    /// `GET /api/cases/{id}`, the key of the tables in the tests.
    pub fn key(&self) -> String {
        format!("{} {}", self.method, self.path)
    }
}

/// The document.
pub struct Spec {
    pub doc: Value,
}

impl Spec {
    pub fn new(doc: Value) -> Spec {
        Spec { doc }
    }

    /// Every operation, sorted by path and method.
    pub fn operations(&self) -> Vec<Operation> {
        let mut out = Vec::new();
        let paths = self.doc["paths"].as_object().expect("the document has paths");
        for (path, item) in paths {
            for (name, method) in [
                ("get", Method::GET),
                ("post", Method::POST),
                ("put", Method::PUT),
                ("patch", Method::PATCH),
                ("delete", Method::DELETE),
            ] {
                let Some(op) = item.get(name) else { continue };
                let params = op["parameters"]
                    .as_array()
                    .map(|list| {
                        list.iter()
                            .map(|p| Param {
                                name: p["name"].as_str().unwrap_or_default().to_owned(),
                                location: if p["in"] == "path" { Location::Path } else { Location::Query },
                                required: p["required"].as_bool().unwrap_or(false),
                                schema: p["schema"].clone(),
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                let content = &op["requestBody"]["content"];
                let body = if let Some(json) = content.get("application/json") {
                    Body::Json(json["schema"].clone())
                } else if content.get("multipart/form-data").is_some() {
                    Body::Multipart
                } else {
                    Body::None
                };
                let secured = op["security"].as_array().is_some_and(|s| !s.is_empty());
                out.push(Operation { method: method.clone(), path: path.clone(), params, body, secured });
            }
        }
        out.sort_by(|a, b| (&a.path, a.method.as_str()).cmp(&(&b.path, b.method.as_str())));
        out
    }

    /// `schema` with its `$ref` followed (repeatedly).
    pub fn resolve<'a>(&'a self, mut schema: &'a Value) -> &'a Value {
        for _ in 0..32 {
            let Some(reference) = schema.get("$ref").and_then(Value::as_str) else { return schema };
            let pointer = reference.trim_start_matches('#');
            schema = self.doc.pointer(pointer).unwrap_or_else(|| panic!("unresolved {reference}"));
        }
        schema
    }

    /// The non-null alternative of a schema (`oneOf`/`anyOf` with `null`, `type: [T, "null"]`),
    /// resolved.
    pub fn concrete<'a>(&'a self, schema: &'a Value) -> &'a Value {
        let schema = self.resolve(schema);
        for key in ["oneOf", "anyOf"] {
            if let Some(list) = schema.get(key).and_then(Value::as_array)
                && let Some(first) = list.iter().find(|s| s.get("type").and_then(Value::as_str) != Some("null"))
            {
                return self.concrete(first);
            }
        }
        schema
    }

    /// The schema's type, the first one that is not `null`.
    pub fn type_of(&self, schema: &Value) -> String {
        let schema = self.concrete(schema);
        match schema.get("type") {
            Some(Value::String(t)) => t.clone(),
            Some(Value::Array(types)) => {
                types.iter().filter_map(Value::as_str).find(|t| *t != "null").unwrap_or("null").to_owned()
            }
            _ if schema.get("properties").is_some() || schema.get("allOf").is_some() => "object".into(),
            _ if schema.get("enum").is_some() => "string".into(),
            _ => "any".into(),
        }
    }

    /// The properties and required names of an object schema (`allOf` merged).
    pub fn object_fields(&self, schema: &Value) -> (Map<String, Value>, Vec<String>) {
        let schema = self.concrete(schema);
        let mut properties = schema["properties"].as_object().cloned().unwrap_or_default();
        let mut required: Vec<String> = schema["required"]
            .as_array()
            .map(|r| r.iter().filter_map(|n| n.as_str().map(str::to_owned)).collect())
            .unwrap_or_default();
        if let Some(parts) = schema.get("allOf").and_then(Value::as_array) {
            for part in parts {
                let (p, r) = self.object_fields(part);
                properties.extend(p);
                required.extend(r);
            }
        }
        (properties, required)
    }

    /// A value of the right type for `schema`: required fields only, enums' first value, dates
    /// and timestamps where the format or the field's name says so, [`WRONG_PASSWORD`] for
    /// passwords. `name` is the field or parameter name.
    pub fn example(&self, schema: &Value, name: &str) -> Value {
        let schema = self.concrete(schema);
        let example = schema.get("example").or_else(|| schema.get("examples").and_then(|e| e.get(0)));
        if let Some(example) = example.filter(|e| !e.is_null()) {
            return example.clone();
        }
        if let Some(first) = schema.get("enum").and_then(Value::as_array).and_then(|e| e.iter().find(|v| !v.is_null()))
        {
            return first.clone();
        }
        match self.type_of(schema).as_str() {
            "object" => {
                let (properties, required) = self.object_fields(schema);
                let mut out = Map::new();
                for field in required {
                    let field_schema = properties.get(&field).cloned().unwrap_or(json!({}));
                    out.insert(field.clone(), self.example(&field_schema, &field));
                }
                Value::Object(out)
            }
            "array" => json!([]),
            "integer" => json!(schema.get("minimum").and_then(Value::as_i64).unwrap_or(1).max(1)),
            "number" => json!(1.0),
            "boolean" => json!(false),
            "string" => json!(example_text(schema.get("format").and_then(Value::as_str), name)),
            _ => json!("x"),
        }
    }
}

/// What a date or timestamp field is, by its documented format or else by its name.
pub fn date_kind(format: Option<&str>, name: &str) -> Option<&'static str> {
    match format {
        Some("date") => return Some("date"),
        Some("date-time") => return Some("date-time"),
        _ => {}
    }
    if matches!(name, "from" | "to" | "through") || name.ends_with("_date") {
        Some("date")
    } else if name == "at" || name.ends_with("_at") {
        Some("date-time")
    } else {
        None
    }
}

fn example_text(format: Option<&str>, name: &str) -> String {
    match date_kind(format, name) {
        Some("date") => "2026-11-02".into(),
        Some(_) => "2026-11-02T08:00:00+07:00".into(),
        None if name.contains("password") => WRONG_PASSWORD.into(),
        None => "Teks uji".into(),
    }
}
