//! The API's OpenAPI 3.1 description, served at `GET /api/v1/openapi.json`.
//!
//! It is built from [`super::api_entries`]: each route's method, path and [`Access`] rule come
//! from the same entry the router mounts, and each entry carries its [`Doc`] (what it reads and
//! answers, by Rust type: the schemas are derived from the wire types with `utoipa::ToSchema`, the
//! domain's behind its `openapi` feature). So a route cannot be mounted without a description, and
//! a description cannot say other than the types the handler uses.

use super::Entry;
use crate::auth::Access;
use axum::http::Method;
use domain::ErrorBody;
use utoipa::{
    IntoParams, ToSchema,
    openapi::{
        ArrayBuilder, ComponentsBuilder, ContentBuilder, InfoBuilder, ObjectBuilder, OpenApi,
        OpenApiBuilder, Ref, RefOr, Required, ResponseBuilder, Schema, Type,
        extensions::ExtensionsBuilder,
        path::{
            HttpMethod, OperationBuilder, ParameterBuilder, ParameterIn, PathItem, PathsBuilder,
        },
        request_body::RequestBodyBuilder,
        security::{HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme},
    },
};

/// The schemas a description refers to, collected as it is built.
type Schemas = Vec<(String, RefOr<Schema>)>;

/// A schema by reference, its own and those it refers to added to `schemas`.
type SchemaFn = fn(&mut Schemas) -> RefOr<Schema>;

/// What a route answers when it succeeds.
#[derive(Clone, Copy)]
pub(super) enum Answer {
    /// A JSON body of this schema, with this status.
    Json(u16, SchemaFn),
    /// No body (204).
    Empty,
    /// An Excel workbook (a download).
    Xlsx,
    /// A CSV file (a download).
    Csv,
}

/// One route's description beside its entry in [`super::api_entries`].
#[derive(Clone, Copy)]
pub(super) struct Doc {
    summary: &'static str,
    query: Option<fn() -> Vec<utoipa::openapi::path::Parameter>>,
    body: Option<SchemaFn>,
    answer: Answer,
    /// Refusals beside those its access rule, body, query and path give (409, 429, …).
    refusals: &'static [(u16, &'static str)],
}

fn reference<T: ToSchema>(schemas: &mut Schemas) -> RefOr<Schema> {
    T::schemas(schemas);
    schemas.push((T::name().into_owned(), T::schema()));
    Ref::from_schema_name(T::name()).into()
}

fn list<T: ToSchema>(schemas: &mut Schemas) -> RefOr<Schema> {
    ArrayBuilder::new().items(reference::<T>(schemas)).into()
}

/// A JSON value whose shape the server does not fix (the audit log's rows, the personal
/// export): any object.
fn any_object(_: &mut Schemas) -> RefOr<Schema> {
    ObjectBuilder::new().schema_type(Type::Object).into()
}

fn any_objects(schemas: &mut Schemas) -> RefOr<Schema> {
    ArrayBuilder::new().items(any_object(schemas)).into()
}

fn params<T: IntoParams>() -> Vec<utoipa::openapi::path::Parameter> {
    T::into_params(|| Some(ParameterIn::Query))
}

impl Doc {
    /// A route answering `T` as JSON with 200.
    pub(super) fn json<T: ToSchema>(summary: &'static str) -> Self {
        Self::answering(summary, Answer::Json(200, reference::<T>))
    }

    /// A route answering a JSON array of `T` with 200.
    pub(super) fn list<T: ToSchema>(summary: &'static str) -> Self {
        Self::answering(summary, Answer::Json(200, list::<T>))
    }

    /// A route answering a JSON object of no fixed shape.
    pub(super) fn object(summary: &'static str) -> Self {
        Self::answering(summary, Answer::Json(200, any_object))
    }

    /// A route answering a JSON array of objects of no fixed shape.
    pub(super) fn objects(summary: &'static str) -> Self {
        Self::answering(summary, Answer::Json(200, any_objects))
    }

    /// A route answering 204 with no body.
    pub(super) fn empty(summary: &'static str) -> Self {
        Self::answering(summary, Answer::Empty)
    }

    /// A route answering an Excel download.
    pub(super) fn xlsx(summary: &'static str) -> Self {
        Self::answering(summary, Answer::Xlsx)
    }

    /// A route answering a CSV download.
    pub(super) fn csv(summary: &'static str) -> Self {
        Self::answering(summary, Answer::Csv)
    }

    fn answering(summary: &'static str, answer: Answer) -> Self {
        Self {
            summary,
            query: None,
            body: None,
            answer,
            refusals: &[],
        }
    }

    /// Answers 201 (created) rather than 200.
    pub(super) fn created(mut self) -> Self {
        if let Answer::Json(_, schema) = self.answer {
            self.answer = Answer::Json(201, schema);
        }
        self
    }

    /// Reads a JSON body of `T`.
    pub(super) fn body<T: ToSchema>(mut self) -> Self {
        self.body = Some(reference::<T>);
        self
    }

    /// Reads its query string as `T`.
    pub(super) fn query<T: IntoParams>(mut self) -> Self {
        self.query = Some(params::<T>);
        self
    }

    /// May also refuse with these statuses, for these reasons.
    pub(super) fn refuses(mut self, refusals: &'static [(u16, &'static str)]) -> Self {
        self.refusals = refusals;
        self
    }
}

/// The name of the access rule on the wire (`x-access`).
fn access_name(access: Access) -> &'static str {
    match access {
        Access::Public => "public",
        Access::SignedIn => "signed_in",
        Access::Admin => "admin",
        Access::OrganizerOfOffering => "organizer_of_offering",
    }
}

fn access_text(access: Access) -> &'static str {
    match access {
        Access::Public => "Anyone, signed in or not.",
        Access::SignedIn => "Any signed-in person (a session's bearer token), on their own data.",
        Access::Admin => "Admins only (a session's bearer token).",
        Access::OrganizerOfOffering => {
            "Admins, and organizers assigned to the offering in the path (directly or through \
             its venue); a session's bearer token."
        }
    }
}

fn http_method(method: &Method) -> HttpMethod {
    match *method {
        Method::GET => HttpMethod::Get,
        Method::POST => HttpMethod::Post,
        Method::PUT => HttpMethod::Put,
        Method::DELETE => HttpMethod::Delete,
        Method::PATCH => HttpMethod::Patch,
        Method::HEAD => HttpMethod::Head,
        Method::OPTIONS => HttpMethod::Options,
        Method::TRACE => HttpMethod::Trace,
        // api_entries uses none other; a test checks every entry appears in the document.
        _ => HttpMethod::Get,
    }
}

/// The `{name}` segments of an axum path.
fn path_params(path: &str) -> impl Iterator<Item = &str> {
    path.split('/')
        .filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
}

fn operation_id(method: &Method, path: &str) -> String {
    let words: Vec<&str> = path
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty() && *w != "v1")
        .collect();
    format!("{}_{}", method.as_str().to_lowercase(), words.join("_"))
}

/// The status an error answer's description names.
fn error_text(status: u16) -> &'static str {
    match status {
        400 => "Bad input: a malformed body or query, or a field that fails its check.",
        401 => "No valid session: sign in (again).",
        403 => "Signed in, but this route is not for this person.",
        404 => "No such resource.",
        409 => "Not in the state this needs.",
        413 => "The body is larger than the server accepts.",
        415 => "The body is not JSON.",
        429 => "Too many attempts; see Retry-After.",
        500 => "Our fault; the cause is in the server's log, never in the answer.",
        _ => "Refused.",
    }
}

/// The description of `entries`. Two types described under one name would be one schema in
/// it, the second's answers checked against the first's shape (found by schemathesis: the
/// year-end report's programmes and the programme rules were both `Programme`): a debug build
/// (every test) stops on that; see [`build`].
pub(super) fn document(entries: &[Entry]) -> OpenApi {
    let (doc, clashes) = build(entries);
    debug_assert!(
        clashes.is_empty(),
        "schema names given to more than one type: {clashes:?}"
    );
    doc
}

/// The schemas by name, each once, and the names that two different schemas were given.
fn components_of(mut schemas: Schemas) -> (Schemas, Vec<String>) {
    schemas.sort_by(|a, b| a.0.cmp(&b.0));
    let mut clashes: Vec<String> = Vec::new();
    let mut once = Schemas::new();
    for (name, schema) in schemas {
        match once.last() {
            Some((kept, first)) if *kept == name => {
                if *first != schema && clashes.last() != Some(&name) {
                    clashes.push(name);
                }
            }
            _ => once.push((name, schema)),
        }
    }
    (once, clashes)
}

/// The description of `entries`, and the schema names given to more than one type.
fn build(entries: &[Entry]) -> (OpenApi, Vec<String>) {
    let mut schemas = Schemas::new();
    let error = reference::<ErrorBody>(&mut schemas);
    let mut paths = PathsBuilder::new();
    for e in entries {
        let doc = &e.doc;
        let path = format!("/api{}", e.path);
        let mut op = OperationBuilder::new()
            .operation_id(Some(operation_id(&e.method, e.path)))
            .summary(Some(doc.summary))
            .description(Some(format!("Access: {}", access_text(e.access))))
            .extensions(Some(
                ExtensionsBuilder::new()
                    .add("x-access", access_name(e.access))
                    .build(),
            ));
        if e.access != Access::Public {
            op = op.security(SecurityRequirement::new::<_, [&str; 0], &str>(
                "session",
                [],
            ));
        }
        let mut errors: Vec<(u16, &'static str)> = vec![(500, error_text(500))];
        for name in path_params(e.path) {
            op = op.parameter(
                ParameterBuilder::new()
                    .name(name)
                    .parameter_in(ParameterIn::Path)
                    .required(Required::True)
                    .schema(Some(ObjectBuilder::new().schema_type(Type::String))),
            );
            errors.push((404, error_text(404)));
        }
        if let Some(query) = doc.query {
            for p in query() {
                op = op.parameter(p);
            }
            errors.push((400, error_text(400)));
        }
        if let Some(body) = doc.body {
            op = op.request_body(Some(
                RequestBodyBuilder::new()
                    .content(
                        "application/json",
                        ContentBuilder::new()
                            .schema(Some(body(&mut schemas)))
                            .build(),
                    )
                    .required(Some(Required::True))
                    .build(),
            ));
            for s in [400, 413, 415] {
                errors.push((s, error_text(s)));
            }
        }
        match e.access {
            Access::Public => {}
            Access::SignedIn => errors.push((401, error_text(401))),
            Access::Admin => {
                errors.extend([401, 403].map(|s| (s, error_text(s))));
            }
            Access::OrganizerOfOffering => {
                errors.extend([401, 403, 404].map(|s| (s, error_text(s))));
            }
        }
        errors.extend_from_slice(doc.refusals);
        op = match doc.answer {
            Answer::Json(status, schema) => op.response(
                status.to_string(),
                ResponseBuilder::new().description("Done.").content(
                    "application/json",
                    ContentBuilder::new()
                        .schema(Some(schema(&mut schemas)))
                        .build(),
                ),
            ),
            Answer::Empty => op.response("204", ResponseBuilder::new().description("Done.")),
            Answer::Xlsx => op.response(
                "200",
                ResponseBuilder::new().description("The workbook.").content(
                    crate::xlsx::CONTENT_TYPE,
                    ContentBuilder::new()
                        .schema(Some(
                            ObjectBuilder::new()
                                .schema_type(Type::String)
                                .content_media_type(crate::xlsx::CONTENT_TYPE),
                        ))
                        .build(),
                ),
            ),
            Answer::Csv => op.response(
                "200",
                ResponseBuilder::new().description("The CSV file.").content(
                    "text/csv",
                    ContentBuilder::new()
                        .schema(Some(ObjectBuilder::new().schema_type(Type::String)))
                        .build(),
                ),
            ),
        };
        errors.sort_by_key(|(s, _)| *s);
        errors.dedup_by_key(|(s, _)| *s);
        for (status, text) in errors {
            op = op.response(
                status.to_string(),
                ResponseBuilder::new().description(text).content(
                    "application/json",
                    ContentBuilder::new().schema(Some(error.clone())).build(),
                ),
            );
        }
        paths = paths.path(path, PathItem::new(http_method(&e.method), op.build()));
    }
    let mut components = ComponentsBuilder::new().security_scheme(
        "session",
        SecurityScheme::Http(
            HttpBuilder::new()
                .scheme(HttpAuthScheme::Bearer)
                .description(Some(
                    "The session token that POST /api/v1/auth/login or /signup answers.",
                ))
                .build(),
        ),
    );
    let (schemas, clashes) = components_of(schemas);
    for (name, schema) in schemas {
        components = components.schema(name, schema);
    }
    let doc = OpenApiBuilder::new()
        .info(
            InfoBuilder::new()
                .title("Qingtuan (青团) API")
                .version(env!("CARGO_PKG_VERSION"))
                .description(Some(
                    "Every route of the server's JSON API, generated from its route table. Each \
                     operation's `x-access` is the rule the router applies in front of it. Every \
                     error answer is the one error shape (`ErrorBody`).",
                ))
                .build(),
        )
        .paths(paths.build())
        .components(Some(components.build()))
        .build();
    (doc, clashes)
}

#[cfg(test)]
mod tests {
    use super::super::{api_entries, api_table, openapi_document};
    use super::*;
    use serde_json::Value;
    use std::collections::BTreeSet;

    fn described() -> Value {
        serde_json::from_str(openapi_document()).expect("the description is JSON")
    }

    const METHODS: [&str; 8] = [
        "get", "put", "post", "delete", "options", "head", "patch", "trace",
    ];

    #[test]
    fn every_route_is_described_and_every_description_is_a_route() {
        let doc = described();
        let routes: BTreeSet<(String, String)> = api_table()
            .into_iter()
            .map(|(m, p, _)| (m.as_str().to_lowercase(), format!("/api{p}")))
            .collect();
        let mut operations = BTreeSet::new();
        for (path, item) in doc["paths"].as_object().expect("paths") {
            for (method, _) in item.as_object().expect("a path item") {
                assert!(METHODS.contains(&method.as_str()), "{path}: {method}");
                operations.insert((method.clone(), path.clone()));
            }
        }
        let undescribed: Vec<_> = routes.difference(&operations).collect();
        let unrouted: Vec<_> = operations.difference(&routes).collect();
        assert!(
            undescribed.is_empty(),
            "routes without a description: {undescribed:?}"
        );
        assert!(
            unrouted.is_empty(),
            "descriptions without a route: {unrouted:?}"
        );
        assert_eq!(operations.len(), api_table().len(), "a route twice");
    }

    #[test]
    fn each_operation_carries_its_routes_access_rule_and_its_parameters() {
        let doc = described();
        for e in api_entries() {
            let path = format!("/api{}", e.path);
            let op = &doc["paths"][&path][e.method.as_str().to_lowercase()];
            assert_eq!(op["x-access"], access_name(e.access), "{path}");
            let security = op.get("security");
            if e.access == Access::Public {
                assert!(security.is_none(), "{path}: {security:?}");
            } else {
                assert_eq!(
                    op["security"][0]["session"],
                    serde_json::json!([]),
                    "{path}"
                );
                assert!(op["responses"].get("401").is_some(), "{path}");
            }
            if matches!(e.access, Access::Admin | Access::OrganizerOfOffering) {
                assert!(op["responses"].get("403").is_some(), "{path}");
            }
            let declared: BTreeSet<&str> = op["parameters"]
                .as_array()
                .map(|ps| {
                    ps.iter()
                        .filter(|p| p["in"] == "path")
                        .map(|p| p["name"].as_str().unwrap_or_default())
                        .collect()
                })
                .unwrap_or_default();
            let in_path: BTreeSet<&str> = path_params(e.path).collect();
            assert_eq!(declared, in_path, "{path}");
            let answers = op["responses"].as_object().expect("responses");
            assert!(
                answers.keys().any(|s| s.starts_with('2')),
                "{path}: no success answer"
            );
            for (status, answer) in answers {
                if status.starts_with('4') || status.starts_with('5') {
                    assert_eq!(
                        answer["content"]["application/json"]["schema"]["$ref"],
                        "#/components/schemas/ErrorBody",
                        "{path} {status}"
                    );
                }
            }
        }
    }

    fn refs<'a>(v: &'a Value, out: &mut Vec<&'a str>) {
        match v {
            Value::Object(map) => {
                for (k, v) in map {
                    match (k.as_str(), v) {
                        ("$ref", Value::String(r)) => out.push(r),
                        _ => refs(v, out),
                    }
                }
            }
            Value::Array(items) => items.iter().for_each(|v| refs(v, out)),
            _ => {}
        }
    }

    #[test]
    fn the_description_is_openapi_3_1_and_every_reference_resolves() {
        let doc = described();
        assert!(
            doc["openapi"]
                .as_str()
                .is_some_and(|v| v.starts_with("3.1.")),
            "{}",
            doc["openapi"]
        );
        assert!(doc["info"]["title"].is_string() && doc["info"]["version"].is_string());
        assert_eq!(
            doc["components"]["securitySchemes"]["session"]["scheme"],
            "bearer"
        );
        let mut found = Vec::new();
        refs(&doc, &mut found);
        assert!(found.len() > 50, "{}", found.len());
        for r in found {
            let name = r
                .strip_prefix("#/components/schemas/")
                .unwrap_or_else(|| panic!("{r}"));
            assert!(
                doc["components"]["schemas"].get(name).is_some(),
                "{r} does not resolve"
            );
        }
        // The error codes are the domain's, every one.
        let codes = &doc["components"]["schemas"]["ErrorCode"]["enum"];
        assert_eq!(
            codes.as_array().map(Vec::len),
            Some(domain::ErrorCode::ALL.len()),
            "{codes}"
        );
    }

    /// Why `value` is not of `schema` (empty: it is), for the part of JSON Schema 2020-12 the
    /// description uses: `$ref` into the components, `type` (one or several), `enum`, `const`,
    /// `properties`, `required`, `additionalProperties`, `items`, `oneOf`, `anyOf`, `allOf`,
    /// `minimum`, `maximum`; `format` is not checked.
    fn breaks(doc: &Value, schema: &Value, value: &Value, at: &str) -> Vec<String> {
        let mut out = Vec::new();
        let Some(rules) = schema.as_object() else {
            if schema == &Value::Bool(false) {
                out.push(format!("{at}: nothing is allowed here"));
            }
            return out;
        };
        if let Some(r) = rules.get("$ref").and_then(Value::as_str) {
            let name = r
                .strip_prefix("#/components/schemas/")
                .expect("a component");
            out.extend(breaks(doc, &doc["components"]["schemas"][name], value, at));
        }
        if let Some(types) = rules.get("type") {
            let is = |t: &Value| match t.as_str() {
                Some("null") => value.is_null(),
                Some("boolean") => value.is_boolean(),
                Some("integer") => value.is_i64() || value.is_u64(),
                Some("number") => value.is_number(),
                Some("string") => value.is_string(),
                Some("array") => value.is_array(),
                Some("object") => value.is_object(),
                other => panic!("{at}: type {other:?}"),
            };
            let fits = match types {
                Value::Array(ts) => ts.iter().any(is),
                t => is(t),
            };
            if !fits {
                out.push(format!("{at}: {value} is not of type {types}"));
            }
        }
        if let Some(options) = rules.get("enum").and_then(Value::as_array)
            && !options.contains(value)
        {
            out.push(format!("{at}: {value} is not one of {options:?}"));
        }
        if let Some(c) = rules.get("const")
            && c != value
        {
            out.push(format!("{at}: {value} is not {c}"));
        }
        if let Some(n) = value.as_f64() {
            if let Some(min) = rules.get("minimum").and_then(Value::as_f64)
                && n < min
            {
                out.push(format!("{at}: {n} < {min}"));
            }
            if let Some(max) = rules.get("maximum").and_then(Value::as_f64)
                && n > max
            {
                out.push(format!("{at}: {n} > {max}"));
            }
        }
        if let Some(fields) = value.as_object() {
            let properties = rules.get("properties").and_then(Value::as_object);
            let required = rules.get("required").and_then(Value::as_array);
            for name in required.into_iter().flatten() {
                let name = name.as_str().expect("a name");
                if !fields.contains_key(name) {
                    out.push(format!("{at}: no {name}"));
                }
            }
            for (name, v) in fields {
                let inner = format!("{at}.{name}");
                match properties.and_then(|p| p.get(name)) {
                    Some(s) => out.extend(breaks(doc, s, v, &inner)),
                    None => {
                        if let Some(extra) = rules.get("additionalProperties") {
                            out.extend(breaks(doc, extra, v, &inner));
                        }
                    }
                }
            }
        }
        if let (Some(items), Some(values)) = (rules.get("items"), value.as_array()) {
            for (i, v) in values.iter().enumerate() {
                out.extend(breaks(doc, items, v, &format!("{at}[{i}]")));
            }
        }
        let fitting = |key: &str| {
            rules.get(key).and_then(Value::as_array).map(|options| {
                let fits = options
                    .iter()
                    .filter(|s| breaks(doc, s, value, at).is_empty());
                (options.len(), fits.count())
            })
        };
        if let Some((n, fit)) = fitting("oneOf")
            && fit != 1
        {
            out.push(format!("{at}: {fit} of its oneOf's {n} fit {value}"));
        }
        if let Some((_, 0)) = fitting("anyOf") {
            out.push(format!("{at}: none of its anyOf fit {value}"));
        }
        for s in rules
            .get("allOf")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            out.extend(breaks(doc, s, value, at));
        }
        out
    }

    /// Why `value` is not what `method path` answers with `status` (empty: it is).
    fn breaks_answer(method: &str, path: &str, status: u16, value: &Value) -> Vec<String> {
        let doc = described();
        let schema = &doc["paths"][path][method]["responses"][status.to_string()]["content"]["application/json"]
            ["schema"];
        assert!(
            schema.is_object(),
            "{method} {path} answers no {status} JSON"
        );
        breaks(&doc, schema, value, "answer")
    }

    /// The checker itself refuses what breaks a schema (so the tests below can fail).
    #[test]
    fn the_schema_check_finds_what_breaks_a_schema() {
        let doc = described();
        let error = serde_json::json!({ "$ref": "#/components/schemas/ErrorBody" });
        let good = serde_json::json!({ "error": "not_found", "message": "no" });
        assert_eq!(breaks(&doc, &error, &good, "e"), Vec::<String>::new());
        let mut wrong_code = good.clone();
        wrong_code["error"] = "no_such_code".into();
        assert_eq!(breaks(&doc, &error, &wrong_code, "e").len(), 1);
        let mut no_message = good.clone();
        no_message.as_object_mut().unwrap().remove("message");
        assert_eq!(breaks(&doc, &error, &no_message, "e"), ["e: no message"]);
        let one_of = serde_json::json!({ "oneOf": [{ "type": "string" }, { "type": "integer" }] });
        assert!(breaks(&doc, &one_of, &Value::from(1), "o").is_empty());
        assert_eq!(breaks(&doc, &one_of, &Value::Null, "o").len(), 1);
    }

    /// Found by schemathesis (the admin run): the year-end report's top programmes went out
    /// described as the programme rules (both types were `Programme`), whose `oneOf` no row fits.
    #[test]
    fn the_year_end_report_is_what_its_schema_says() {
        use domain::numbers::{Dashboard, Figures, Period, Programme, Ratio, Report, Row};
        let figures = Figures {
            events: 3,
            attendances: 40,
            people: 30,
            rating: Ratio { num: 9, den: 2 },
            ..Figures::default()
        };
        let programme = Programme {
            offering_id: "o1".into(),
            title: "书法".into(),
            kind: domain::OfferingKind::Course,
            venue_id: "v1".into(),
            category: "青年夜校".into(),
            attendances: 40,
            rating: Ratio { num: 9, den: 2 },
        };
        let report = Report {
            year: 2026,
            dashboard: Dashboard {
                period: Some(Period::year(2026)),
                total: figures.clone(),
                months: vec![Row {
                    key: "2026-03".into(),
                    figures: figures.clone(),
                }],
                venues: vec![Row {
                    key: "v1".into(),
                    figures: figures.clone(),
                }],
                categories: Vec::new(),
            },
            kinds: vec![Row {
                key: "course".into(),
                figures,
            }],
            venue_names: [("v1".to_string(), "滨江青年之家".to_string())].into(),
            top_attendance: vec![programme.clone()],
            top_rating: vec![programme],
        };
        let answer = serde_json::to_value(&report).unwrap();
        assert_eq!(
            breaks_answer("get", "/api/v1/admin/report", 200, &answer),
            Vec::<String>::new()
        );
    }

    /// Found by schemathesis's admin run: the audit log answers a list of records (it was
    /// described as one object), and publishing an offering whose status does not allow it
    /// answers 400 (not described).
    #[test]
    fn the_audit_log_is_a_list_and_publishing_names_its_400() {
        let records = serde_json::json!([{
            "id": 1, "actor_id": "u1", "action": "offering.publish", "target": "o1",
            "before": null, "after": { "status": "published" }, "at": 1_780_000_000
        }]);
        assert_eq!(
            breaks_answer("get", "/api/v1/admin/audit", 200, &records),
            Vec::<String>::new()
        );
        assert!(!breaks_answer("get", "/api/v1/admin/audit", 200, &records[0]).is_empty());
        let doc = described();
        let publish = &doc["paths"]["/api/v1/admin/offerings/{offering_id}/publish"]["post"];
        assert!(publish["responses"].get("400").is_some(), "{publish}");
    }

    /// No schema name is given to two types (the report's programmes and the programme rules
    /// once were both `Programme`: one was dropped, and its answers checked against the other).
    #[test]
    fn each_schema_name_is_one_type() {
        let (_, clashes) = build(&api_entries());
        assert_eq!(clashes, Vec::<String>::new());
        let one = |t: Type| -> RefOr<Schema> { ObjectBuilder::new().schema_type(t).into() };
        let (once, clashes) = components_of(vec![
            ("A".into(), one(Type::String)),
            ("B".into(), one(Type::String)),
            ("A".into(), one(Type::String)),
            ("B".into(), one(Type::Integer)),
            ("B".into(), one(Type::Boolean)),
        ]);
        assert_eq!(once.len(), 2);
        assert_eq!(clashes, ["B"]);
    }

    /// Found by schemathesis: the attendance and draw workbooks of an offering that is not a
    /// course answer 409, which the description did not name.
    #[test]
    fn the_course_workbooks_name_their_409() {
        let doc = described();
        for path in [
            "/api/v1/offerings/{offering_id}/attendance.xlsx",
            "/api/v1/offerings/{offering_id}/draw.xlsx",
        ] {
            assert!(
                doc["paths"][path]["get"]["responses"].get("409").is_some(),
                "{path}"
            );
        }
    }
}
