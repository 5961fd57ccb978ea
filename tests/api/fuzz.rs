//! Schema-driven fuzzing of every operation of `/api/openapi.json`, as a role that may call it
//! (the matrix's table says which): path parameters, query parameters and JSON bodies built
//! from the document's schemas and then broken (huge, negative, non-numeric, `%00`, unicode,
//! impossible dates, wrong types, nulls, missing and extra fields, deep nesting, big strings).
//!
//! Every answer is below 500; every error is in our shape; and a refused request (4xx) changes
//! the row count of no table — except that a failed login or re-authentication (401
//! `invalid_credentials` / `wrong_password`, 429) may record the failure and its audit entry.
//!
//! The generator is seeded: the seed is printed, and `MUTU_FUZZ_SEED=<seed>` repeats a run.
//! Multipart uploads get their path and query fuzzed only (their bodies belong to their own
//! tests).

use crate::matrix::{Outcome, ROLES, TABLE, arrange, destructive, expected, fill_path, multipart_body, query_pair};
use domain::Role;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use reqwest::{Method, StatusCode};
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;
use std::time::Instant;
use tests::openapi::{Body, Location, Operation, Spec, date_kind};
use tests::{Backend, DEMO_PASSWORD, TestApp, on_both_databases, spawn_app};

on_both_databases!(fuzzed_requests_get_4xx_in_our_shape_and_refusals_write_nothing);

/// Requests per operation: about 5,500 in all, under a minute per database on a 2-core machine.
const PER_OPERATION: usize = 80;
/// Requests for an operation that ends the caller's login (each needs a fresh login).
const PER_DESTRUCTIVE_OPERATION: usize = 4;
/// The JSON body limit of the API (`http::JSON_BODY_LIMIT`): big strings are sized around it.
const BODY_LIMIT: usize = 1024 * 1024;

/// Path and query values for integers.
const INTEGERS: &[&str] = &[
    "0",
    "-1",
    "1",
    "2147483647",
    "2147483648",
    "-2147483649",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775809",
    "18446744073709551616",
    "99999999999999999999999999",
    "1.5",
    "1e3",
    "0x1f",
    "+1",
    "-0",
    "%20",
    "abc",
    "",
    "%00",
    "1%00",
    "%D9%A1",
    "%EF%BC%91",
    "1;DROP%20TABLE%20users",
];
/// Path and query values for text.
const TEXTS: &[&str] = &[
    "%00",
    "a%00b",
    "%C0%80",
    "%FF%FE",
    "%F0%9F%98%80",
    "%E2%80%AE",
    "..",
    "%2e%2e%2f%2e%2e",
    "%2F",
    "%27%20OR%20%271%27%3D%271",
    "%3Cscript%3E",
    "%25",
    "%",
    "%ZZ",
    "+",
    "",
    "x",
    "%0D%0ASet-Cookie:%20a=b",
];
/// Query values for dates and timestamps.
const DATES: &[&str] = &[
    "-0001-01-01",
    "99999-01-01",
    "2026-02-30",
    "0000-00-00",
    "2026-13-01",
    "1899-12-31",
    "1900-01-01",
    "9999-12-31",
    "0001-01-01",
    "2026-1-1",
    "2026-01-01T00:00:00Z",
    "2026-01-01T25:61:61Z",
    "%2B002026-01-01",
    "2026-01-01%00",
    "",
    "%00",
    "1e10",
    "9999-12-31T23:59:59-23:59",
    "0001-01-01T00:00:00%2B14:00",
];
const BOOLEANS: &[&str] = &["true", "false", "1", "0", "yes", "", "%00", "TRUE"];

/// Cursors: garbage, and well-formed ones holding extreme positions.
fn cursors() -> Vec<String> {
    use base64::Engine;
    let b64 = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
    vec![
        "x".into(),
        "%00".into(),
        "====".into(),
        b64("k:9223372036854775807"),
        b64("k:-9223372036854775808"),
        b64("k:2147483648"),
        b64("t:-9223372036854775808:1"),
        b64("t:9223372036854775807:2147483648"),
        b64("t:-8334632851200000000:1"),
        b64("t:-377705116800000000:1"),
        b64("e:-377705116800000000:1"),
        b64("f:0:-377705116800000000:1"),
        b64("e:0:9223372036854775807"),
        b64("t:253402300800000000:-1"),
        b64("t:0:0:0"),
        b64("\u{0}"),
    ]
}

/// One generated request.
struct Case {
    method: Method,
    path: String,
    body: Payload,
}

enum Payload {
    None,
    Json(Value),
    Raw(Vec<u8>),
    Multipart,
}

impl Case {
    fn describe(&self) -> String {
        let body = match &self.body {
            Payload::None => String::new(),
            Payload::Json(value) => value.to_string(),
            Payload::Raw(bytes) => format!("raw {:?}", String::from_utf8_lossy(bytes)),
            Payload::Multipart => "multipart".into(),
        };
        let body: String = body.chars().take(400).collect();
        format!("{} {} {body}", self.method, self.path.chars().take(400).collect::<String>())
    }
}

/// A fuzzed value for a path or query parameter of `schema`'s type.
fn fuzz_param(rng: &mut StdRng, spec: &Spec, schema: &Value, name: &str) -> String {
    let format = spec.concrete(schema).get("format").and_then(Value::as_str).map(str::to_owned);
    if date_kind(format.as_deref(), name).is_some() && rng.gen_bool(0.7) {
        return DATES.choose(rng).copied().unwrap_or_default().to_owned();
    }
    if name == "cursor" && rng.gen_bool(0.7) {
        return cursors().choose(rng).cloned().unwrap_or_default();
    }
    match (spec.type_of(schema).as_str(), rng.gen_range(0..10)) {
        (_, 0) => "9".repeat(rng.gen_range(20..2000)),
        (_, 1) => "%41".repeat(rng.gen_range(100..1500)),
        ("integer" | "number", _) => INTEGERS.choose(rng).copied().unwrap_or_default().to_owned(),
        ("boolean", _) => BOOLEANS.choose(rng).copied().unwrap_or_default().to_owned(),
        _ => TEXTS.choose(rng).copied().unwrap_or_default().to_owned(),
    }
}

/// The operation's path, valid or with one parameter broken.
fn fuzz_path(rng: &mut StdRng, spec: &Spec, operation: &Operation, valid: &str) -> String {
    let params: Vec<_> = operation.params.iter().filter(|p| p.location == Location::Path).collect();
    if params.is_empty() || rng.gen_bool(0.6) {
        return valid.to_owned();
    }
    let param = params.choose(rng).expect("a path parameter");
    let template: Vec<&str> = operation.path.split('/').collect();
    let concrete: Vec<&str> = valid.split('/').collect();
    let value = fuzz_param(rng, spec, &param.schema, &param.name);
    template
        .iter()
        .zip(concrete)
        .map(|(t, c)| if *t == format!("{{{}}}", param.name) { value.clone() } else { c.to_owned() })
        .collect::<Vec<_>>()
        .join("/")
}

/// A query string from the documented parameters: each present or not, valid or broken, plus
/// now and then an unknown or repeated one.
fn fuzz_query(rng: &mut StdRng, spec: &Spec, operation: &Operation) -> String {
    let mut pairs = Vec::new();
    for param in operation.params.iter().filter(|p| p.location == Location::Query) {
        if !param.required && rng.gen_bool(0.5) {
            continue;
        }
        if rng.gen_bool(0.35) {
            pairs.push(query_pair(&param.name, &spec.example(&param.schema, &param.name)));
        } else {
            pairs.push(format!("{}={}", param.name, fuzz_param(rng, spec, &param.schema, &param.name)));
        }
        if rng.gen_bool(0.05) {
            pairs.push(format!("{}={}", param.name, fuzz_param(rng, spec, &param.schema, &param.name)));
        }
    }
    match rng.gen_range(0..20) {
        0 => pairs.push("unknown=1".into()),
        1 => pairs.push("%00=1".into()),
        2 => pairs.push("a[b]=1&&=&==".into()),
        _ => {}
    }
    pairs.join("&")
}

/// A full example of `schema`: every property, optional ones too.
fn full_example(spec: &Spec, schema: &Value, name: &str, depth: usize) -> Value {
    let concrete = spec.concrete(schema);
    if depth > 6 {
        return spec.example(concrete, name);
    }
    match spec.type_of(concrete).as_str() {
        "object" if concrete.get("enum").is_none() => {
            let (properties, _) = spec.object_fields(concrete);
            let mut out = Map::new();
            for (field, field_schema) in properties {
                out.insert(field.clone(), full_example(spec, &field_schema, &field, depth + 1));
            }
            Value::Object(out)
        }
        "array" => {
            let items = concrete.get("items").cloned().unwrap_or(json!({}));
            json!([full_example(spec, &items, name, depth + 1)])
        }
        _ => spec.example(concrete, name),
    }
}

/// Every path (as JSON pointers) in `value`.
fn pointers(value: &Value, here: String, out: &mut Vec<String>) {
    out.push(here.clone());
    match value {
        Value::Object(map) => map
            .iter()
            .for_each(|(k, v)| pointers(v, format!("{here}/{}", k.replace('~', "~0").replace('/', "~1")), out)),
        Value::Array(items) => items.iter().enumerate().for_each(|(i, v)| pointers(v, format!("{here}/{i}"), out)),
        _ => {}
    }
}

/// A value of some other shape, or a hostile one of the same.
fn odd_value(rng: &mut StdRng, near: &Value) -> Value {
    let big = |rng: &mut StdRng| "x".repeat(rng.gen_range(BODY_LIMIT / 2..BODY_LIMIT + 1024));
    match rng.gen_range(0..26) {
        0 => Value::Null,
        1 => json!(true),
        2 => json!(0),
        3 => json!(-1),
        4 => json!(i64::MAX),
        5 => json!(i64::MIN),
        6 => json!(u64::MAX),
        7 => json!(1.5),
        8 => json!(1e308),
        9 => json!(2147483648i64),
        10 => json!(""),
        11 => json!("\u{0}"),
        12 => json!(format!("{}\u{0}", near.as_str().unwrap_or("a"))),
        13 => json!("x".repeat(rng.gen_range(1_000..70_000))),
        14 => json!(big(rng)),
        15 => json!([]),
        16 => json!({}),
        17 => json!([near.clone(), near.clone()]),
        18 => json!("-0001-01-01"),
        19 => json!("99999-12-31"),
        20 => json!("2026-02-30"),
        21 => json!("0001-01-01T00:00:00Z"),
        22 => json!("2026-11-02T25:61:00+07:00"),
        23 => json!("\u{202e}\u{feff}é漢字😀"),
        24 => json!(" "),
        _ => json!("<script>alert(1)</script>'; DROP TABLE users; --"),
    }
}

/// `value` with one to three things broken: a field removed, replaced by an odd value, an
/// extra field, an array blown up.
fn mutate(rng: &mut StdRng, mut value: Value) -> Value {
    for _ in 0..rng.gen_range(1..=3) {
        let mut all = Vec::new();
        pointers(&value, String::new(), &mut all);
        let Some(target) = all.choose(rng).cloned() else { break };
        let (parent, key) = match target.rsplit_once('/') {
            Some((parent, key)) => (parent.to_owned(), key.replace("~1", "/").replace("~0", "~")),
            None => (String::new(), String::new()),
        };
        match rng.gen_range(0..8) {
            0 if !target.is_empty() => {
                if let Some(Value::Object(map)) = value.pointer_mut(&parent) {
                    map.remove(&key);
                }
            }
            1 => {
                if let Some(Value::Object(map)) = value.pointer_mut(&target) {
                    map.insert(format!("extra_{}", rng.gen_range(0..100)), json!("x"));
                }
            }
            2 => {
                if let Some(Value::Array(items)) = value.pointer_mut(&target)
                    && let Some(first) = items.first().cloned()
                {
                    items.extend(std::iter::repeat_n(first, rng.gen_range(10..3_000)));
                }
            }
            _ => {
                let near = value.pointer(&target).cloned().unwrap_or(Value::Null);
                let odd = odd_value(rng, &near);
                match value.pointer_mut(&target) {
                    Some(slot) => *slot = odd,
                    None => value = odd,
                }
            }
        }
    }
    value
}

/// Bytes that are not a body of the right shape at all.
fn garbage(rng: &mut StdRng, example: &Value) -> Payload {
    let first_field = example.as_object().and_then(|m| m.keys().next().cloned()).unwrap_or_else(|| "id".into());
    match rng.gen_range(0..12) {
        0 => Payload::Raw(Vec::new()),
        1 => Payload::Raw(b"{".to_vec()),
        2 => Payload::Raw(b"null".to_vec()),
        3 => Payload::Raw(b"[]".to_vec()),
        4 => Payload::Raw(vec![b'{', b'"', 0xff, 0xfe, b'"', b':', b'1', b'}']),
        5 => Payload::Raw(format!("{{\"{first_field}\": 1e400}}").into_bytes()),
        6 => Payload::Raw(format!("{{\"{first_field}\": 99999999999999999999999999}}").into_bytes()),
        7 => Payload::Raw(format!("{}{}", "[".repeat(10_000), "]".repeat(10_000)).into_bytes()),
        8 => Payload::Raw(format!("{} trailing", example).into_bytes()),
        9 => Payload::Raw(format!("{{\"{first_field}\": \"a\\u0000b\", \"{first_field}\": 1}}").into_bytes()),
        10 => Payload::Raw(format!("{{\"{first_field}\": \"\\ud800\"}}").into_bytes()),
        _ => {
            let mut nested = json!("x");
            for _ in 0..rng.gen_range(100..200) {
                nested = json!({ "a": nested });
            }
            Payload::Json(nested)
        }
    }
}

/// Values that make a generated body reach further than its first check: real ids of the demo
/// data, a real form's answers, times in the recent past. Applied to most examples (not all:
/// the schema's own values are fuzz input too).
struct Hints(Map<String, Value>);

impl Hints {
    async fn new(app: &TestApp, ids: &crate::matrix::Ids, admin: &str) -> Hints {
        let users = app.get("/api/users?limit=500", admin).await.body;
        let id_of = |name: &str| {
            users["items"]
                .as_array()
                .and_then(|u| u.iter().find(|u| u["username"] == name))
                .map(|u| u["id"].clone())
                .unwrap_or(Value::Null)
        };
        let form = app.get(&format!("/api/scoring-forms/{}", ids.form), admin).await.body;
        let answers: Vec<Value> = form["sections"]
            .as_array()
            .into_iter()
            .flatten()
            .flat_map(|s| s["parameters"].as_array().cloned().unwrap_or_default())
            .map(|p| json!({ "parameter": p["key"], "value": "pass" }))
            .collect();
        let now = chrono::Utc::now();
        let recent = (now - chrono::Duration::hours(2)).to_rfc3339();
        let day = |days: i64| (now + chrono::Duration::days(days)).format("%Y-%m-%d").to_string();
        let mut hints = Map::new();
        hints.insert("agent_id".into(), id_of("agent1"));
        hints.insert("qco_ids".into(), json!([id_of("qco1"), id_of("qco2")]));
        hints.insert("form_id".into(), json!(ids.form));
        hints.insert("team_id".into(), json!(ids.team));
        hints.insert("parent_code".into(), json!(crate::matrix::P01));
        hints.insert("answers".into(), json!(answers));
        hints.insert("sections".into(), form["sections"].clone());
        hints.insert("call_at".into(), json!(recent));
        hints.insert("recared_at".into(), json!(recent));
        hints.insert("from".into(), json!(day(-30)));
        hints.insert("to".into(), json!(day(0)));
        hints.insert("effective_date".into(), json!(day(3)));
        hints.insert("planned_effective_date".into(), json!(day(3)));
        hints.insert("per_agent".into(), json!(2));
        hints.insert("version".into(), json!(1));
        hints.insert("row_version".into(), json!(1));
        hints.insert("retention_months".into(), json!(24));
        Hints(hints)
    }

    /// Puts the hinted values into `value`'s objects, each with probability 4/5.
    fn apply(&self, rng: &mut StdRng, value: &mut Value) {
        match value {
            Value::Object(map) => {
                for (key, item) in map.iter_mut() {
                    match self.0.get(key) {
                        Some(hint) if rng.gen_bool(0.8) => *item = hint.clone(),
                        _ => self.apply(rng, item),
                    }
                }
            }
            Value::Array(items) => items.iter_mut().for_each(|item| self.apply(rng, item)),
            _ => {}
        }
    }
}

fn fuzz_body(rng: &mut StdRng, spec: &Spec, operation: &Operation, hints: &Hints) -> Payload {
    match &operation.body {
        Body::None => {
            if rng.gen_bool(0.1) {
                Payload::Json(json!({ "unexpected": "\u{0}" }))
            } else {
                Payload::None
            }
        }
        Body::Multipart => Payload::Multipart,
        Body::Json(schema) => {
            let mut example =
                if rng.gen_bool(0.5) { full_example(spec, schema, "", 0) } else { spec.example(schema, "") };
            hints.apply(rng, &mut example);
            match rng.gen_range(0..10) {
                0 => Payload::Json(example),
                1..=7 => Payload::Json(mutate(rng, example)),
                _ => garbage(rng, &example),
            }
        }
    }
}

/// What is wrong with an error answer's shape, if anything.
fn shape_problem(reply: &tests::Reply) -> Option<String> {
    if !reply.body["error"].is_string() || !reply.body["message"].is_string() {
        return Some("not in our error shape".into());
    }
    if let Some(fields) = reply.body.get("fields")
        && !fields.as_object().is_some_and(|f| f.values().all(Value::is_string))
    {
        return Some("fields is not an object of strings".into());
    }
    let text = reply.body.to_string().to_lowercase();
    ["sqlite", "postgres", "select ", "insert ", "panicked", "/root/", "backend/src", "sqlx"]
        .iter()
        .find(|leak| text.contains(*leak))
        .map(|leak| format!("{leak} leaked"))
}

/// Tables a refused login or re-authentication may write (api.md: failures are counted and
/// audited).
const FAILURE_TABLES: &[&str] = &["audit_log", "audit_head", "login_failures"];

async fn send(app: &TestApp, case: &Case, operation: &Operation, token: Option<&str>) -> tests::Reply {
    match send_once(app, case, operation, token).await {
        Ok(reply) => reply,
        // A pooled connection that the server closed after refusing a too large body (413
        // without reading it) fails the next request sent on it: send that one again.
        Err(_) => match send_once(app, case, operation, token).await {
            Ok(reply) => reply,
            Err(err) => tests::Reply {
                status: StatusCode::from_u16(599).expect("status"),
                headers: Default::default(),
                body: json!(err.to_string()),
            },
        },
    }
}

async fn send_once(
    app: &TestApp,
    case: &Case,
    operation: &Operation,
    token: Option<&str>,
) -> Result<tests::Reply, reqwest::Error> {
    let mut request = app.client.request(case.method.clone(), app.url(&case.path));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    request = match &case.body {
        Payload::None => request,
        Payload::Json(value) => request.json(value),
        Payload::Raw(bytes) => request.header("content-type", "application/json").body(bytes.clone()),
        Payload::Multipart => request.multipart(multipart_body(operation)),
    };
    Ok(TestApp::reply(request.send().await?).await)
}

async fn fuzzed_requests_get_4xx_in_our_shape_and_refusals_write_nothing(backend: Backend) {
    let app = spawn_app(backend).await;
    let seed: u64 = std::env::var("MUTU_FUZZ_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or_else(rand::random);
    eprintln!("fuzz seed {seed} on {backend:?} (MUTU_FUZZ_SEED={seed} repeats this run)");
    let mut rng = StdRng::seed_from_u64(seed);
    let spec = Spec::new(app.request::<()>(Method::GET, "/api/openapi.json", None, None).await.body);
    let ids = arrange(&app).await;
    let mut tokens = BTreeMap::new();
    for (role, username) in ROLES {
        tokens.insert(role.as_str(), app.token(username).await);
    }
    // Logins for the operations that end one, made now: by the time they run, the fuzzed
    // signing requests (wrong passwords) may have locked the account out of logging in.
    let mut spare = Vec::new();
    for row in TABLE.iter().filter(|r| destructive(r.op)) {
        let (target, seen) = row.targets[0];
        if let Some((_, username)) =
            ROLES.iter().find(|(r, _)| expected(row, seen, Some(*r), target) == Outcome::Reached)
        {
            for _ in 0..PER_DESTRUCTIVE_OPERATION {
                spare.push(app.login(username, DEMO_PASSWORD).await.access_token);
            }
        }
    }
    let hints = Hints::new(&app, &ids, &tokens["admin"]).await;
    let started = Instant::now();
    let mut statuses: BTreeMap<u16, usize> = BTreeMap::new();
    let mut failures = Vec::new();
    let tables = app.table_names().await;
    let mut counts = app.counts_of(&tables).await;
    let mut operations = spec.operations();
    operations.sort_by_key(|o| destructive(&o.key()));
    for operation in &operations {
        let row = TABLE
            .iter()
            .find(|r| r.op == operation.key())
            .unwrap_or_else(|| panic!("{} is not in the matrix's table", operation.key()));
        let (target, seen) = row.targets[0];
        // The first role that passes the role check and sees the resource.
        let role: Option<Role> =
            ROLES.iter().map(|(r, _)| *r).find(|r| expected(row, seen, Some(*r), target) == Outcome::Reached);
        let public = role.is_none() && expected(row, seen, None, target) == Outcome::Any;
        assert!(role.is_some() || public, "{}: no role may call it", row.op);
        let valid_path = fill_path(operation, target, &ids);
        let runs = if destructive(row.op) { PER_DESTRUCTIVE_OPERATION } else { PER_OPERATION };
        for _ in 0..runs {
            let path = fuzz_path(&mut rng, &spec, operation, &valid_path);
            let query = fuzz_query(&mut rng, &spec, operation);
            let body = fuzz_body(&mut rng, &spec, operation, &hints);
            let case = Case {
                method: operation.method.clone(),
                path: if query.is_empty() { path } else { format!("{path}?{query}") },
                body,
            };
            let token = match role {
                // A login of its own, so that ending it ends nothing else.
                Some(_) if destructive(row.op) => Some(spare.pop().expect("a spare login")),
                Some(role) => tokens.get(role.as_str()).cloned(),
                None => None,
            };
            let reply = send(&app, &case, operation, token.as_deref()).await;
            *statuses.entry(reply.status.as_u16()).or_default() += 1;
            let who = role.map(Role::as_str).unwrap_or("no token");
            let context = || format!("seed {seed}: {} as {who}", case.describe());
            if reply.status.as_u16() >= 500 {
                failures.push(format!("{}: {} {}", context(), reply.status, reply.body));
                counts = app.counts_of(&tables).await;
                continue;
            }
            let after = app.counts_of(&tables).await;
            if reply.status.is_client_error() {
                if let Some(problem) = shape_problem(&reply) {
                    failures.push(format!("{}: {} {problem}: {}", context(), reply.status, reply.body));
                }
                let failed_attempt = matches!(
                    (reply.status, reply.error()),
                    (StatusCode::UNAUTHORIZED, "wrong_password" | "invalid_credentials")
                        | (StatusCode::TOO_MANY_REQUESTS, _)
                );
                let changed: Vec<_> = after
                    .iter()
                    .filter(|(table, n)| counts.get(*table) != Some(n))
                    .filter(|(table, _)| !(failed_attempt && FAILURE_TABLES.contains(&table.as_str())))
                    .map(|(table, n)| format!("{table}: {} → {n}", counts.get(table).copied().unwrap_or(0)))
                    .collect();
                if !changed.is_empty() {
                    failures.push(format!("{}: {} {} but wrote {changed:?}", context(), reply.status, reply.error()));
                }
            }
            counts = after;
        }
    }
    let elapsed = started.elapsed();
    let total: usize = statuses.values().sum();
    eprintln!("fuzz on {backend:?}: {total} requests in {:.1} s, by status {statuses:?}", elapsed.as_secs_f64());
    assert_eq!(app.request::<()>(Method::GET, "/api/health", None, None).await.status, StatusCode::OK, "still serving");
    let verify = app.get("/api/audit/verify", &tokens["admin"]).await;
    assert_eq!(verify.body["ok"], true, "the audit chain holds: {}", verify.body);
    assert!(
        failures.is_empty(),
        "{} of {total} fuzzed requests failed (seed {seed}):\n{}",
        failures.len(),
        failures.iter().take(40).cloned().collect::<Vec<_>>().join("\n")
    );
}
