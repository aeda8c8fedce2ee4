//! The route tables (`lapor_domain::routes`) against `spin.toml`, in both
//! directions, with Spin's matching rules (the runner's router: exact over
//! `:param` over `/...`, longest prefix first); then, over HTTP, the answers
//! every table promises: 405 with `Allow` for another method, HEAD as GET.

use integration_tests::{workspace_root, TestApp};
use lapor_domain::routes::{tables, Listing, Method};
use reqwest::Method as HttpMethod;
use runner::manifest::{HttpTrigger, Route};
use runner::routes::Router;

/// `spin.toml`'s `[[trigger.http]]` routes, as `(route, component)`.
fn manifest_routes() -> Vec<(String, String)> {
    let text = std::fs::read_to_string(workspace_root().join("spin.toml")).unwrap();
    let manifest: toml::Table = toml::from_str(&text).unwrap();
    let triggers = manifest["trigger"]["http"].as_array().expect("[[trigger.http]] routes");
    triggers
        .iter()
        .filter_map(|t| Some((t.get("route")?.as_str()?.to_string(), t["component"].as_str().unwrap().to_string())))
        .collect()
}

fn spin_router(routes: &[(String, String)]) -> Router {
    let triggers: Vec<HttpTrigger> = routes
        .iter()
        .map(|(route, component)| HttpTrigger { id: None, route: Route::Path(route.clone()), component: component.clone() })
        .collect();
    let (router, duplicates) = Router::build(&triggers).unwrap();
    assert!(duplicates.is_empty(), "spin.toml defines a route twice: {duplicates:?}");
    router
}

/// A path a pattern matches: each `:name` segment becomes `sample-name`.
fn sample(pattern: &str) -> String {
    pattern
        .split('/')
        .map(|segment| match segment.strip_prefix(':') {
            Some(name) => format!("sample-{name}"),
            None => segment.to_string(),
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// What `lapor_domain::routes` would resolve, without its route type.
fn serves(table: &Listing, path: &str) -> bool {
    let mut router = routefinder::Router::new();
    for (_, pattern) in &table.routes {
        router.add(*pattern, ()).unwrap();
    }
    router.best_match(path).is_some()
}

/// Every table route reaches its own component through spin.toml.
fn unreachable_table_routes(routes: &[(String, String)]) -> Vec<String> {
    let router = spin_router(routes);
    let mut problems = Vec::new();
    for table in tables() {
        for (method, pattern) in &table.routes {
            let path = sample(pattern);
            match router.route(&path) {
                Some(m) if m.component_id == table.component => {}
                other => problems.push(format!(
                    "{} {pattern} of `{}` reaches {:?} through spin.toml",
                    method.as_str(),
                    table.component,
                    other.map(|m| (m.component_id, m.raw_route))
                )),
            }
        }
    }
    problems
}

/// Every spin.toml route reaches a component whose table serves it.
fn unserved_manifest_routes(routes: &[(String, String)]) -> Vec<String> {
    let router = spin_router(routes);
    let tables = tables();
    let mut problems = Vec::new();
    for (route, component) in routes {
        let Some(table) = tables.iter().find(|t| &t.component == component) else {
            problems.push(format!("{route}: component `{component}` has no route table"));
            continue;
        };
        let served = match route.strip_suffix("/...") {
            // Some table route must be reached through this very wildcard,
            // unless the wildcard is the component's declared catch-all.
            Some(_) => {
                table.catch_all == Some(route.as_str())
                    || table.routes.iter().any(|(_, pattern)| {
                        router.route(&sample(pattern)).is_some_and(|m| &m.raw_route == route && &m.component_id == component)
                    })
            }
            None => {
                let path = sample(route);
                serves(table, &path) && router.route(&path).is_some_and(|m| &m.raw_route == route)
            }
        };
        if !served {
            problems.push(format!("{route} -> `{component}`: its table serves nothing through this route"));
        }
    }
    problems
}

#[test]
fn every_table_route_is_reachable_through_spin_toml() {
    let problems = unreachable_table_routes(&manifest_routes());
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn every_spin_toml_route_reaches_a_table_that_serves_it() {
    let routes = manifest_routes();
    let problems = unserved_manifest_routes(&routes);
    assert!(problems.is_empty(), "{problems:#?}");
    // Every component with a route has a table, and every table a route.
    for table in tables() {
        assert!(routes.iter().any(|(_, c)| c == table.component), "table `{}` has no spin.toml route", table.component);
    }
}

#[test]
fn the_catch_all_takes_what_no_other_route_claims() {
    let router = spin_router(&manifest_routes());
    let catch_alls: Vec<_> = tables().into_iter().filter_map(|t| Some((t.catch_all?, t.component))).collect();
    assert_eq!(catch_alls, [("/api/...", "health")]);
    for path in ["/api", "/api/v2/reports", "/api/v1/nope", "/api/v1/health/extra", "/api/v1/calendar"] {
        let m = router.route(path).unwrap();
        assert_eq!((m.component_id.as_str(), m.raw_route.as_str()), ("health", "/api/..."), "{path}");
    }
}

#[test]
fn the_checks_catch_a_route_missing_on_either_side() {
    let routes = manifest_routes();
    // Table routes whose spin.toml route is gone: `reports`' wildcard takes them.
    let without: Vec<_> = routes.iter().filter(|(r, _)| r != "/api/v1/reports/:id/supports").cloned().collect();
    let problems = unreachable_table_routes(&without);
    assert_eq!(problems.len(), 3, "{problems:#?}");
    assert!(problems.iter().all(|p| p.contains("/api/v1/reports/:id/supports of `engagement` reaches Some((\"reports\"")), "{problems:#?}");
    // A spin.toml route that no table serves.
    let mut extra = routes.clone();
    extra.push(("/api/v1/reports/:id/nonsense".into(), "engagement".into()));
    extra.push(("/api/v1/nowhere/...".into(), "workflow".into()));
    let problems = unserved_manifest_routes(&extra);
    assert_eq!(problems.len(), 2, "{problems:#?}");
}

/// The type of a component's error answers: pages for `web`, the spec's
/// error list under Open311's `/open311/` (JSON unless the address ends in
/// `.xml`), problem details everywhere else.
fn error_type(component: &str, path: &str) -> &'static str {
    match component {
        "web" => "text/html; charset=utf-8",
        "open311" if path.starts_with("/open311/") => "application/json; charset=utf-8",
        _ => "application/problem+json",
    }
}

#[tokio::test]
async fn every_path_answers_another_method_with_405_and_its_allow_list() {
    let app = TestApp::spawn().await;
    for table in tables() {
        for (_, pattern) in &table.routes {
            let path = sample(pattern);
            let response = app.client.request(HttpMethod::PATCH, app.url(&path)).send().await.unwrap();
            assert_eq!(response.status(), 405, "PATCH {path}");
            assert_eq!(response.headers()["allow"], table.allow(pattern).join(", ").as_str(), "PATCH {path}");
            let content_type = response.headers()["content-type"].to_str().unwrap().to_string();
            assert_eq!(content_type, error_type(table.component, &path), "PATCH {path}");
        }
    }
    app.stop().await;
}

#[tokio::test]
async fn head_answers_as_get_without_a_body_on_every_get_route() {
    let app = TestApp::spawn().await;
    for table in tables() {
        for (method, pattern) in &table.routes {
            if *method != Method::Get {
                continue;
            }
            let path = sample(pattern);
            let get = app.client.get(app.url(&path)).send().await.unwrap();
            let head = app.client.head(app.url(&path)).send().await.unwrap();
            assert_eq!(head.status(), get.status(), "HEAD {path}");
            assert_ne!(head.status(), 405, "HEAD {path}");
            for name in ["content-type", "content-length", "cache-control", "content-language"] {
                assert_eq!(head.headers().get(name), get.headers().get(name), "HEAD {path}: {name}");
            }
            assert!(head.bytes().await.unwrap().is_empty(), "HEAD {path} has a body");
        }
    }
    app.stop().await;
}

#[tokio::test]
async fn a_path_below_any_route_is_404_in_its_components_form() {
    let app = TestApp::spawn().await;
    let router = spin_router(&manifest_routes());
    let tables = tables();
    for table in &tables {
        for (method, pattern) in &table.routes {
            let path = format!("{}/nonsense", sample(pattern));
            let owner = router.route(&path).and_then(|m| tables.iter().find(|t| t.component == m.component_id));
            if owner.is_some_and(|owner| serves(owner, &path)) {
                continue; // another route of the table, e.g. `/api/v1/reports/:id`
            }
            let response = app.client.request(HttpMethod::from_bytes(method.as_str().as_bytes()).unwrap(), app.url(&path)).send().await.unwrap();
            assert_eq!(response.status(), 404, "{} {path}", method.as_str());
            let content_type = response.headers().get("content-type").map(|v| v.to_str().unwrap().to_string());
            let expected = match router.route(&path) {
                None => None, // no spin.toml route: the host's own empty 404
                Some(m) => Some(error_type(&m.component_id, &path)),
            };
            assert_eq!(content_type.as_deref(), expected, "{} {path}", method.as_str());
        }
    }
    app.stop().await;
}
