//! Route matching for the HTTP trigger, with Spin's rules.
//!
//! Spin builds its router on the `routefinder` crate; so does this module, so
//! that precedence (exact over parameter over wildcard, longest prefix first)
//! is the same by construction rather than by imitation.

use std::collections::BTreeMap;

use anyhow::{anyhow, Result};

use crate::manifest::{HttpTrigger, Route};

/// Paths under this prefix are answered by the runtime itself.
pub const WELL_KNOWN_PREFIX: &str = "/.well-known/spin/";

#[derive(Debug, Clone)]
struct Handler {
    component_id: String,
    /// The route as written in the manifest, e.g. `/static/...`.
    raw_route: String,
}

/// A route that was defined twice; the later definition wins, as in Spin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DuplicateRoute {
    pub route: String,
    pub replaced_component: String,
    pub effective_component: String,
}

pub struct Router {
    inner: routefinder::Router<Handler>,
}

/// What a request path resolved to, with everything the Spin headers need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteMatch {
    pub component_id: String,
    pub raw_route: String,
    /// `:name` captures, in route order.
    pub params: Vec<(String, String)>,
    /// The part of the path matched by a trailing `/...`, with its leading
    /// slash; empty for exact routes.
    pub path_info: String,
}

impl RouteMatch {
    /// The match Spin synthesises for a service-chaining request: the whole
    /// path goes to the component as if its route were `/...`.
    pub fn synthetic(component_id: &str, path: &str) -> Self {
        Self {
            component_id: component_id.to_string(),
            raw_route: "/...".to_string(),
            params: Vec::new(),
            path_info: path.to_string(),
        }
    }

    /// The route without its trailing wildcard (`spin-component-route`).
    pub fn route_prefix(&self) -> &str {
        self.raw_route.strip_suffix("/...").unwrap_or(&self.raw_route)
    }
}

impl Router {
    /// Builds the router; private routes are left out (reachable only by chaining).
    pub fn build(triggers: &[HttpTrigger]) -> Result<(Self, Vec<DuplicateRoute>)> {
        let mut by_route: BTreeMap<String, (usize, Handler)> = BTreeMap::new();
        let mut duplicates = Vec::new();
        for (order, trigger) in triggers.iter().enumerate() {
            let Route::Path(raw_route) = &trigger.route else { continue };
            let handler = Handler {
                component_id: trigger.component.clone(),
                raw_route: raw_route.clone(),
            };
            let key = normalise(raw_route);
            if let Some((_, replaced)) = by_route.insert(key, (order, handler)) {
                duplicates.push(DuplicateRoute {
                    route: raw_route.clone(),
                    replaced_component: replaced.component_id,
                    effective_component: trigger.component.clone(),
                });
            }
        }
        let mut entries: Vec<_> = by_route.into_values().collect();
        entries.sort_by_key(|(order, _)| *order);

        let mut inner = routefinder::Router::new();
        for (_, handler) in entries {
            let spec = to_routefinder_spec(&handler.raw_route);
            inner.add(spec.as_str(), handler.clone()).map_err(|e| {
                anyhow!(
                    "cannot parse route {:?} of component `{}`: {e}",
                    handler.raw_route,
                    handler.component_id
                )
            })?;
        }
        Ok((Self { inner }, duplicates))
    }

    /// The component for a request path (without query), if any.
    pub fn route(&self, path: &str) -> Option<RouteMatch> {
        let best = self.inner.best_match(path)?;
        let handler = best.handler();
        let captures = best.captures();
        let params = captures
            .iter()
            .map(|(name, value)| (name.to_string(), value.to_string()))
            .collect();
        // Spin has always included trailing slashes in the path info,
        // which routefinder drops; restore them the way Spin does.
        let path_info = match captures.wildcard() {
            None => String::new(),
            Some(rest) => match (rest.is_empty(), path.ends_with('/')) {
                (true, false) => String::new(),
                (true, true) => "/".to_string(),
                (false, false) => format!("/{rest}"),
                (false, true) => format!("/{rest}/"),
            },
        };
        Some(RouteMatch {
            component_id: handler.component_id.clone(),
            raw_route: handler.raw_route.clone(),
            params,
            path_info,
        })
    }
}

/// Strips one trailing slash, as Spin does before comparing routes.
fn normalise(route: &str) -> String {
    match route.strip_suffix('/') {
        Some(stripped) if !stripped.is_empty() => stripped.to_string(),
        _ => route.to_string(),
    }
}

fn to_routefinder_spec(raw_route: &str) -> String {
    match raw_route.strip_suffix("/...") {
        Some(prefix) => format!("{prefix}/*"),
        None => normalise(raw_route),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn router(routes: &[(&str, &str)]) -> Router {
        let triggers: Vec<HttpTrigger> = routes
            .iter()
            .map(|(route, component)| HttpTrigger {
                id: None,
                route: Route::Path(route.to_string()),
                component: component.to_string(),
            })
            .collect();
        Router::build(&triggers).unwrap().0
    }

    fn component(r: &Router, path: &str) -> Option<String> {
        r.route(path).map(|m| m.component_id)
    }

    #[test]
    fn route_table() {
        let r = router(&[
            ("/...", "catch-all"),
            ("/api/...", "api"),
            ("/api/v1/health", "health"),
            ("/api/v1/reports/:id", "report"),
            ("/api/v1/reports/:id/comments", "comments"),
            ("/api/v1/reports/...", "reports-wild"),
            ("/static/...", "files"),
        ]);
        let table = [
            ("/api/v1/health", "health"),           // exact beats every wildcard
            ("/api/v1/health/x", "api"),            // no exact: longest wildcard prefix
            ("/api/v1/reports/ABC", "report"),      // parameter beats wildcard
            ("/api/v1/reports/ABC/comments", "comments"),
            ("/api/v1/reports/ABC/other", "reports-wild"),
            ("/api/v2", "api"),
            ("/api", "api"),                         // `/api/...` also matches `/api`
            ("/static/css/site.css", "files"),
            ("/", "catch-all"),
            ("/anything/else", "catch-all"),
        ];
        for (path, expected) in table {
            assert_eq!(component(&r, path).as_deref(), Some(expected), "path {path}");
        }
    }

    #[test]
    fn exact_route_matches_only_itself() {
        let r = router(&[("/cart", "cart"), ("/cart/checkout", "checkout")]);
        assert_eq!(component(&r, "/cart").as_deref(), Some("cart"));
        assert_eq!(component(&r, "/cart/checkout").as_deref(), Some("checkout"));
        assert_eq!(component(&r, "/cart/other"), None);
        assert_eq!(component(&r, "/"), None);
    }

    #[test]
    fn longest_prefix_wins_regardless_of_order() {
        for routes in [
            vec![("/one/...", "1"), ("/one/two/...", "2"), ("/one/two/three/...", "3")],
            vec![("/one/two/three/...", "3"), ("/one/two/...", "2"), ("/one/...", "1")],
        ] {
            let r = router(&routes);
            assert_eq!(component(&r, "/one/two/three/four").as_deref(), Some("3"));
            assert_eq!(component(&r, "/one/two/x").as_deref(), Some("2"));
            assert_eq!(component(&r, "/one/x").as_deref(), Some("1"));
        }
    }

    #[test]
    fn path_info_and_params() {
        let r = router(&[("/static/...", "files"), ("/users/:user_id/posts/:post", "posts")]);
        let m = r.route("/static/css/a.css").unwrap();
        assert_eq!(m.path_info, "/css/a.css");
        assert_eq!(m.route_prefix(), "/static");
        assert_eq!(r.route("/static/dir/").unwrap().path_info, "/dir/");
        assert_eq!(r.route("/static").unwrap().path_info, "");
        assert_eq!(r.route("/static/").unwrap().path_info, "/");
        let m = r.route("/users/42/posts/7").unwrap();
        assert_eq!(
            m.params,
            vec![("user_id".to_string(), "42".to_string()), ("post".to_string(), "7".to_string())]
        );
        assert_eq!(m.path_info, "");
        assert_eq!(m.route_prefix(), "/users/:user_id/posts/:post");
    }

    #[test]
    fn private_routes_are_not_routable_and_duplicates_keep_the_last() {
        let triggers = vec![
            HttpTrigger {
                id: None,
                route: Route::Private(crate::manifest::PrivateRoute { private: true }),
                component: "worker".into(),
            },
            HttpTrigger { id: None, route: Route::Path("/a".into()), component: "first".into() },
            HttpTrigger { id: None, route: Route::Path("/a".into()), component: "second".into() },
        ];
        let (r, duplicates) = Router::build(&triggers).unwrap();
        assert_eq!(component(&r, "/a").as_deref(), Some("second"));
        assert_eq!(
            duplicates,
            vec![DuplicateRoute {
                route: "/a".into(),
                replaced_component: "first".into(),
                effective_component: "second".into()
            }]
        );
        assert!(r.route("/worker").is_none());
    }

    #[test]
    fn synthetic_match_sends_the_whole_path() {
        let m = RouteMatch::synthetic("worker", "/jobs/1");
        assert_eq!(m.path_info, "/jobs/1");
        assert_eq!(m.raw_route, "/...");
        assert_eq!(m.route_prefix(), "");
    }
}
