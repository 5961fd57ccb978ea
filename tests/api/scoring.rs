//! API scenarios of the scoring part.

/// Every operation of this part, as `METHOD /path` in the OpenAPI document (checked by
/// `http::openapi_documents_exactly_the_routes_that_exist`).
pub const ROUTES: &[&str] = &[];
