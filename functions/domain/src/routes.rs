//! Every component's routes, as data: one table per component.
//!
//! A table lists `(method, path pattern, route)` with the full path as a
//! client sends it (`:name` is one path segment). Each component binds its
//! table's routes to handlers with a `match` on the route enum, which the
//! compiler checks is exhaustive; `lapor_platform::routes::serve` answers
//! from the table. So every component answers alike:
//!
//! - an unknown path is 404, a known path with another method is 405 with
//!   `Allow` listing that path's methods (HEAD wherever GET is);
//! - HEAD is served wherever GET is, as GET (the host sends no body);
//! - matching follows Spin's rules (the `routefinder` crate, as Spin uses):
//!   a literal segment wins over a `:param`, trailing slashes are ignored.
//!
//! The tables compile natively, so the integration test `tests/routes.rs`
//! checks them against `spin.toml` in both directions. To add a route: add
//! its line `Method "path" => Variant` to the component's `table!` here, its
//! arm to the component's `match`, and a `[[trigger.http]]` route to
//! `spin.toml` if no existing one reaches it.

/// The methods a table can name (HEAD follows from GET).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Method {
    Get,
    Post,
    Put,
    Delete,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
        }
    }
}

/// One route of a table.
#[derive(Debug, Clone, Copy)]
pub struct Entry<R> {
    pub method: Method,
    /// The full path pattern, e.g. `/api/v1/reports/:id/attachments`.
    pub path: &'static str,
    pub route: R,
}

const fn entry<R>(method: Method, path: &'static str, route: R) -> Entry<R> {
    Entry { method, path, route }
}

/// A component's routes.
#[derive(Debug)]
pub struct Table<R: 'static> {
    /// The component's id in `spin.toml`.
    pub component: &'static str,
    pub entries: &'static [Entry<R>],
    /// A `spin.toml` wildcard route this component serves only to answer
    /// 404 for whatever no other route claims (`health`'s `/api/...`).
    pub catch_all: Option<&'static str>,
}

/// What a request resolved to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolution<R> {
    Found(Found<R>),
    /// No pattern of the table matches the path.
    NotFound,
    /// The path is known, the method is not: the `Allow` header's methods.
    MethodNotAllowed { allow: Vec<&'static str> },
}

/// A matched route with its `:name` segments (as sent, not decoded).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found<R> {
    pub route: R,
    /// The request was HEAD, served as GET.
    pub head: bool,
    pub params: Vec<(String, String)>,
}

impl<R> Found<R> {
    /// The value of segment `:name`; empty if the pattern has none.
    pub fn param(&self, name: &str) -> &str {
        self.params.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str()).unwrap_or("")
    }
}

/// A table without its route type: what the spin.toml check reads.
#[derive(Debug, Clone)]
pub struct Listing {
    pub component: &'static str,
    pub routes: Vec<(Method, &'static str)>,
    pub catch_all: Option<&'static str>,
}

impl<R: Copy> Table<R> {
    /// Resolves a request's method and path (without the query).
    pub fn resolve(&self, method: &str, path: &str) -> Resolution<R> {
        let mut patterns: Vec<&'static str> = Vec::new();
        for entry in self.entries {
            if !patterns.contains(&entry.path) {
                patterns.push(entry.path);
            }
        }
        let mut router = routefinder::Router::new();
        for (index, pattern) in patterns.iter().enumerate() {
            router.add(*pattern, index).expect("route patterns are checked by the unit tests");
        }
        let Some(best) = router.best_match(path) else { return Resolution::NotFound };
        let pattern = patterns[*best.handler()];
        let here = || self.entries.iter().filter(move |e| e.path == pattern);
        let head = method == "HEAD";
        let wanted = if head { "GET" } else { method };
        match here().find(|e| e.method.as_str() == wanted) {
            Some(entry) => Resolution::Found(Found {
                route: entry.route,
                head,
                params: best.captures().iter().map(|(name, value)| (name.to_string(), value.to_string())).collect(),
            }),
            None => Resolution::MethodNotAllowed { allow: allow(here().map(|e| e.method)) },
        }
    }

    pub fn listing(&self) -> Listing {
        Listing {
            component: self.component,
            routes: self.entries.iter().map(|e| (e.method, e.path)).collect(),
            catch_all: self.catch_all,
        }
    }
}

impl Listing {
    /// The `Allow` methods of path pattern `pattern`.
    pub fn allow(&self, pattern: &str) -> Vec<&'static str> {
        allow(self.routes.iter().filter(|(_, p)| *p == pattern).map(|(m, _)| *m))
    }
}

/// The `Allow` methods, in a fixed order, with HEAD after GET.
fn allow(methods: impl Iterator<Item = Method>) -> Vec<&'static str> {
    let mut methods: Vec<Method> = methods.collect();
    methods.sort();
    methods.dedup();
    let mut names = Vec::new();
    for method in methods {
        names.push(method.as_str());
        if method == Method::Get {
            names.push("HEAD");
        }
    }
    names
}

/// Every component's table.
pub fn tables() -> Vec<Listing> {
    vec![
        HEALTH.listing(),
        REPORTS.listing(),
        ENGAGEMENT.listing(),
        AGENCIES.listing(),
        WEB.listing(),
        ASSETS.listing(),
        WORKFLOW.listing(),
        SLA_SWEEP.listing(),
        CALENDAR.listing(),
        NOTIFY.listing(),
        MESSAGING.listing(),
        STATS.listing(),
        OPEN311.listing(),
    ]
}

use Method::{Delete, Get, Post, Put};

/// Declares a component's route enum and its table in one go, so that every
/// route is named once: `METHOD "path" => Variant`.
macro_rules! table {
    ($(#[$doc:meta])* $table:ident: $route:ident = $component:literal $(, catch_all $catch:literal)? {
        $($method:ident $path:literal => $variant:ident,)+
    }) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum $route {
            $($variant,)+
        }

        $(#[$doc])*
        pub static $table: Table<$route> = Table {
            component: $component,
            entries: &[$(entry($method, $path, $route::$variant),)+],
            catch_all: table!(@catch $($catch)?),
        };
    };
    (@catch) => { None };
    (@catch $catch:literal) => { Some($catch) };
}

table! {
    /// `health`; it also answers 404 for every `/api/` address nothing else claims.
    HEALTH: Health = "health", catch_all "/api/..." {
        Get "/api/v1/health" => Health,
    }
}

table! {
    /// `reports`: filing, the public list, tracking, attachments, the reporter's replies and rating.
    REPORTS: Reports = "reports" {
        Post "/api/v1/reports" => Create,
        Get "/api/v1/reports" => List,
        Get "/api/v1/reports/:id" => Read,
        Post "/api/v1/reports/:id/attachments" => Upload,
        Get "/api/v1/reports/:id/attachments/:attachment" => Download,
        Post "/api/v1/reports/:id/replies" => Reply,
        Post "/api/v1/reports/:id/rating" => Rate,
    }
}

table! {
    /// `engagement`: citizen identities, supports, comments and their moderation, follows.
    ENGAGEMENT: Engagement = "engagement" {
        Post "/api/v1/citizens" => CreateCitizen,
        Post "/api/v1/citizens/verify" => Verify,
        Get "/api/v1/citizens/me" => Me,
        Get "/api/v1/reports/:id/supports" => SupportStatus,
        Post "/api/v1/reports/:id/supports" => Support,
        Delete "/api/v1/reports/:id/supports" => WithdrawSupport,
        Get "/api/v1/reports/:id/comments" => Comments,
        Post "/api/v1/reports/:id/comments" => Comment,
        Get "/api/v1/reports/:id/follows" => Follows,
        Post "/api/v1/reports/:id/follows" => Follow,
        Delete "/api/v1/reports/:id/follows" => Unfollow,
        Get "/api/v1/comments" => ReviewQueue,
        Post "/api/v1/comments/:comment/flags" => Flag,
        Post "/api/v1/comments/:comment/hide" => Hide,
        Post "/api/v1/comments/:comment/restore" => Restore,
    }
}

table! {
    /// `agencies`: the public directory, and the category taxonomy (administrators change it).
    AGENCIES: Agencies = "agencies" {
        Get "/api/v1/agencies" => List,
        Get "/api/v1/agencies/:code" => Read,
        // An embed badge's figures: public, readable cross-origin (CORS, no credentials).
        Get "/api/v1/agencies/:code/figures" => Figures,
        // Which websites may frame the agency's embedded form (administrators).
        Get "/api/v1/agencies/:code/embed-origins" => EmbedOrigins,
        Put "/api/v1/agencies/:code/embed-origins" => SetEmbedOrigins,
        Get "/api/v1/categories" => Categories,
        Post "/api/v1/categories" => AddCategory,
        Get "/api/v1/categories/:code" => Category,
        Put "/api/v1/categories/:code" => ChangeCategory,
        Delete "/api/v1/categories/:code" => RetireCategory,
    }
}

table! {
    /// `web`: the public pages (HTML): home, how the service works, privacy, the
    /// lookup form (`?id=` redirects to the page), the report form (its post
    /// files the report), the tracking page with its forms, the browsable
    /// list of public reports, agencies' embedded form; and the staff console under `/staf`.
    WEB: Web = "web" {
        Get "/" => Home,
        Get "/cara-kerja" => HowItWorks,
        Get "/privasi" => Privacy,
        Get "/lapor" => Lookup,
        Get "/lapor/baru" => ReportForm,
        Post "/lapor/baru" => FileReport,
        Get "/lapor/:id" => Tracking,
        // The agencies' live league table and each agency's public figures.
        Get "/kinerja" => Performance,
        // The dashboard's short address: the console's session cookie is
        // scoped to `/staf`, so the dashboard itself lives there.
        Get "/dashboard" => Dashboard,
        Get "/instansi/:code" => AgencyPerformance,
        // An agency's embedded report form (inside an iframe on its website).
        Get "/embed/:agency" => Embed,
        Post "/embed/:agency" => FileEmbed,
        // The staff console (`web`'s `console` module).
        Get "/staf" => StaffHome,
        Get "/staf/masuk" => StaffSignInForm,
        Post "/staf/masuk" => StaffSignIn,
        Post "/staf/keluar" => StaffSignOut,
        Get "/staf/verifikasi" => StaffIntake,
        Get "/staf/verifikasi/:id" => StaffIntakeReport,
        Post "/staf/verifikasi/:id/teruskan" => StaffVerify,
        Post "/staf/verifikasi/:id/tunda" => StaffHold,
        Post "/staf/verifikasi/:id/arsipkan" => StaffArchive,
        Get "/staf/kotak-masuk" => StaffInbox,
        Get "/staf/kotak-masuk/:id" => StaffInboxReport,
        Post "/staf/kotak-masuk/:id/tugaskan" => StaffAssign,
        Post "/staf/kotak-masuk/:id/alihkan" => StaffForward,
        Post "/staf/kotak-masuk/:id/tanggapi" => StaffRespond,
        Get "/staf/komentar" => StaffComments,
        Post "/staf/komentar/:comment/sembunyikan" => StaffHide,
        Post "/staf/komentar/:comment/tampilkan" => StaffRestore,
        Get "/staf/akun" => StaffAccounts,
        Post "/staf/akun" => StaffCreateAccount,
        Post "/staf/akun/:id/cabut" => StaffRevokeAccount,
        Get "/staf/kalender" => StaffCalendar,
        Post "/staf/kalender" => StaffAddHoliday,
        Post "/staf/kalender/:date/hapus" => StaffRemoveHoliday,
        Get "/staf/kategori" => StaffCategories,
        Post "/staf/kategori" => StaffAddCategory,
        Post "/staf/kategori/:code/ubah" => StaffRenameCategory,
        Post "/staf/kategori/:code/pensiunkan" => StaffRetireCategory,
        Post "/staf/kategori/:code/pulihkan" => StaffRestoreCategory,
        Get "/staf/embed" => StaffEmbed,
        Post "/staf/embed/:agency" => StaffSetEmbed,
        Get "/staf/dasbor" => StaffDashboard,
        Get "/staf/dasbor/ringkasan" => StaffWeeklyList,
        Get "/staf/dasbor/ringkasan/:week" => StaffWeekly,
        Get "/staf/notifikasi" => StaffDeadLetter,
        Post "/staf/notifikasi/:id/kirim-ulang" => StaffRequeue,
        Get "/laporan" => Browse,
        // The tracking page's forms (POST, then 303 back to the page).
        Post "/lapor/:id/dukung" => Support,
        Post "/lapor/:id/komentar" => Comment,
        Post "/lapor/:id/komentar/:comment/tandai" => Flag,
        Post "/lapor/:id/kawal" => Follow,
        Post "/lapor/:id/telepon" => Phone,
        Post "/lapor/:id/pelapor" => ClaimReporter,
        Post "/lapor/:id/balas" => Reply,
        Post "/lapor/:id/nilai" => Rate,
        Post "/lapor/:id/lampiran" => Upload,
    }
}

table! {
    /// `assets`: the pages' CSS (and later scripts), under content-hashed names.
    ASSETS: Assets = "assets" {
        Get "/static/:name" => File,
        // The embed snippet's script: a fixed address agency sites link to,
        // so it is cached briefly and revalidated, not forever.
        Get "/embed.js" => EmbedScript,
    }
}

table! {
    /// `workflow`: staff accounts, the administrators' intake, the agencies' inbox, the dead letter.
    WORKFLOW: Workflow = "workflow" {
        Post "/api/v1/staff" => CreateStaff,
        Delete "/api/v1/staff/:id" => RevokeStaff,
        Get "/api/v1/admin/reports" => AdminQueue,
        Get "/api/v1/admin/reports/:id" => AdminRead,
        Post "/api/v1/admin/reports/:id/verify" => Verify,
        Post "/api/v1/admin/reports/:id/hold" => Hold,
        Post "/api/v1/admin/reports/:id/archive" => Archive,
        Get "/api/v1/admin/notifications" => DeadLetter,
        Post "/api/v1/admin/notifications/:n/retry" => Retry,
        Get "/api/v1/agency/reports" => Inbox,
        Get "/api/v1/agency/reports/:id" => AgencyRead,
        Post "/api/v1/agency/reports/:id/assign" => Assign,
        Post "/api/v1/agency/reports/:id/forward" => Forward,
        Post "/api/v1/agency/reports/:id/responses" => Respond,
    }
}

table! {
    /// `sla-sweep`: the scheduler's (or CronJob's) call.
    SLA_SWEEP: SlaSweep = "sla-sweep" {
        Post "/internal/sla/sweep" => Sweep,
    }
}

table! {
    /// `calendar`: the non-working days (admins change them).
    CALENDAR: Calendar = "calendar" {
        Get "/api/v1/calendar/holidays" => List,
        Put "/api/v1/calendar/holidays/:date" => Put,
        Delete "/api/v1/calendar/holidays/:date" => Delete,
    }
}

table! {
    /// `stats`: the public statistics, their CSV, the league table's JSON; the rebuild (admins); the weekly summaries (scheduler).
    STATS: Stats = "stats" {
        Get "/api/v1/stats/national" => National,
        Get "/api/v1/stats/agencies/:code" => Agency,
        Get "/api/v1/stats/categories" => Categories,
        Get "/api/v1/stats/regions" => Regions,
        Get "/api/v1/stats/regions/:code" => Region,
        Get "/api/v1/stats/channels" => Channels,
        Get "/api/v1/stats/league" => League,
        Get "/api/v1/stats/export.csv" => Export,
        Post "/api/v1/admin/stats/rebuild" => Rebuild,
        // The scheduler's (or a CronJob's) weekly call: store last week's summaries.
        Post "/internal/stats/weekly" => Weekly,
    }
}

table! {
    /// `notify`: the scheduler's (or CronJob's) delivery call.
    NOTIFY: Notify = "notify" {
        Post "/internal/notifications/deliver" => Deliver,
    }
}

table! {
    /// `messaging`: SMS and WhatsApp come in (signed provider webhooks).
    MESSAGING: Messaging = "messaging" {
        Post "/webhooks/sms/twilio" => Twilio,
        Post "/webhooks/sms/gateway" => Gateway,
        Get "/webhooks/whatsapp" => WhatsappVerify,
        Post "/webhooks/whatsapp" => Whatsapp,
    }
}

table! {
    /// `open311`: Open311 GeoReport v2 for existing 311 apps. The last segment
    /// `:file` is a resource and its format (`requests.json`, `7K3QD-M2X9C.xml`;
    /// `lapor_domain::open311::format::split`): discovery, services, requests
    /// (POST files one with a partner's `api_key`), one service's definition,
    /// one request, a token's request. Administrators issue and revoke the keys.
    OPEN311: Open311 = "open311" {
        Get "/open311/v2/:file" => Resource,
        Post "/open311/v2/:file" => Create,
        Get "/open311/v2/services/:file" => Service,
        Get "/open311/v2/requests/:file" => Request,
        Get "/open311/v2/tokens/:file" => Token,
        Post "/api/v1/open311/keys" => IssueKey,
        Delete "/api/v1/open311/keys/:name" => RevokeKey,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found<R>(resolution: Resolution<R>) -> Found<R> {
        match resolution {
            Resolution::Found(found) => found,
            _ => panic!("not found"),
        }
    }

    #[test]
    fn every_table_is_well_formed() {
        for table in tables() {
            let mut seen = std::collections::HashSet::new();
            let mut router = routefinder::Router::new();
            for (method, path) in &table.routes {
                assert!(path.starts_with('/') && (*path == "/" || !path.ends_with('/')), "{}: {path}", table.component);
                assert!(seen.insert((*method, *path)), "{}: {} {path} twice", table.component, method.as_str());
                router.add(*path, ()).unwrap_or_else(|e| panic!("{}: {path}: {e}", table.component));
            }
        }
        let names: Vec<_> = tables().iter().map(|t| t.component).collect();
        let mut unique = names.clone();
        unique.dedup();
        assert_eq!(names, unique);
    }

    #[test]
    fn a_known_route_is_found_with_its_segments() {
        let hit = found(REPORTS.resolve("GET", "/api/v1/reports/7K3QD-M2X9C/attachments/a%2Fb"));
        assert_eq!((hit.route, hit.head), (Reports::Download, false));
        assert_eq!(hit.param("id"), "7K3QD-M2X9C");
        assert_eq!(hit.param("attachment"), "a%2Fb", "segments are passed on as sent");
        assert_eq!(hit.param("nope"), "");
        assert_eq!(found(REPORTS.resolve("POST", "/api/v1/reports")).route, Reports::Create);
        assert_eq!(found(REPORTS.resolve("GET", "/api/v1/reports")).route, Reports::List);
        assert_eq!(found(AGENCIES.resolve("GET", "/api/v1/agencies/pemkot-32.73")).param("code"), "pemkot-32.73");
    }

    #[test]
    fn trailing_slashes_are_ignored() {
        assert_eq!(found(REPORTS.resolve("GET", "/api/v1/reports/")).route, Reports::List);
        assert_eq!(found(AGENCIES.resolve("GET", "/api/v1/agencies/x/")).param("code"), "x");
    }

    #[test]
    fn literal_segments_win_over_parameters() {
        assert_eq!(found(ENGAGEMENT.resolve("GET", "/api/v1/citizens/me")).route, Engagement::Me);
        assert_eq!(found(ENGAGEMENT.resolve("POST", "/api/v1/citizens/verify")).route, Engagement::Verify);
        assert_eq!(found(ENGAGEMENT.resolve("POST", "/api/v1/comments/12/hide")).route, Engagement::Hide);
        assert_eq!(found(ENGAGEMENT.resolve("POST", "/api/v1/comments/12/restore")).route, Engagement::Restore);
    }

    #[test]
    fn head_is_served_wherever_get_is() {
        let hit = found(HEALTH.resolve("HEAD", "/api/v1/health"));
        assert_eq!((hit.route, hit.head), (Health::Health, true));
        assert_eq!(found(WORKFLOW.resolve("HEAD", "/api/v1/admin/reports")).route, Workflow::AdminQueue);
        assert_eq!(
            ENGAGEMENT.resolve("HEAD", "/api/v1/citizens/verify"),
            Resolution::MethodNotAllowed { allow: vec!["POST"] },
            "no HEAD where there is no GET"
        );
    }

    #[test]
    fn unknown_paths_are_not_found() {
        for path in ["/api/v1/reports/x/nonsense", "/api/v1/reports//x", "/api/v1/reportsx", "/api/v1/agencies/a/b", "/", ""] {
            assert_eq!(REPORTS.resolve("GET", path), Resolution::NotFound, "{path}");
            assert_eq!(AGENCIES.resolve("POST", path), Resolution::NotFound, "{path}");
        }
        assert_eq!(HEALTH.resolve("GET", "/api/v1/health/extra"), Resolution::NotFound);
        assert_eq!(WORKFLOW.resolve("GET", "/api/v1/admin/reports/x/assign"), Resolution::NotFound);
    }

    #[test]
    fn the_home_page_is_the_root_alone() {
        assert_eq!(found(WEB.resolve("GET", "/")).route, Web::Home);
        assert_eq!(found(WEB.resolve("HEAD", "/cara-kerja/")).route, Web::HowItWorks);
        assert_eq!(WEB.resolve("GET", "/nonsense"), Resolution::NotFound);
        assert_eq!(found(ASSETS.resolve("GET", "/static/app.0123456789.css")).param("name"), "app.0123456789.css");
        let request = found(OPEN311.resolve("GET", "/open311/v2/requests/7K3QD-M2X9C.xml"));
        assert_eq!((request.route, request.param("file")), (Open311::Request, "7K3QD-M2X9C.xml"));
        assert_eq!(found(OPEN311.resolve("GET", "/open311/v2/requests.json")).route, Open311::Resource);
        assert_eq!(found(OPEN311.resolve("POST", "/open311/v2/requests.json")).route, Open311::Create);
        assert_eq!(OPEN311.resolve("GET", "/open311/v2/requests/a/b.json"), Resolution::NotFound);
        assert_eq!(ASSETS.resolve("GET", "/static/a/b"), Resolution::NotFound);
    }

    fn allow<R: std::fmt::Debug>(resolution: Resolution<R>) -> String {
        match resolution {
            Resolution::MethodNotAllowed { allow } => allow.join(", "),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_known_path_with_another_method_names_the_methods_it_takes() {
        assert_eq!(allow(HEALTH.resolve("POST", "/api/v1/health")), "GET, HEAD");
        assert_eq!(allow(REPORTS.resolve("PUT", "/api/v1/reports")), "GET, HEAD, POST");
        assert_eq!(allow(REPORTS.resolve("DELETE", "/api/v1/reports/x/rating")), "POST");
        assert_eq!(allow(ENGAGEMENT.resolve("PUT", "/api/v1/reports/x/follows")), "GET, HEAD, POST, DELETE");
        assert_eq!(allow(CALENDAR.resolve("GET", "/api/v1/calendar/holidays/2026-01-01")), "PUT, DELETE");
        assert_eq!(allow(SLA_SWEEP.resolve("GET", "/internal/sla/sweep")), "POST");
        assert_eq!(allow(WEB.resolve("POST", "/lapor/x")), "GET, HEAD");
        assert_eq!(allow(WEB.resolve("PUT", "/lapor/baru")), "GET, HEAD, POST");
        assert_eq!(found(WEB.resolve("GET", "/lapor/baru")).route, Web::ReportForm, "a literal segment wins over :id");
        assert_eq!(allow(AGENCIES.resolve("POST", "/api/v1/categories/kesehatan")), "GET, HEAD, PUT, DELETE");
        assert_eq!(allow(WEB.resolve("POST", "/")), "GET, HEAD");
        assert_eq!(allow(REPORTS.resolve("get", "/api/v1/reports")), "GET, HEAD, POST", "methods are case-sensitive");
        assert_eq!(ENGAGEMENT.listing().allow("/api/v1/reports/:id/supports"), ["GET", "HEAD", "POST", "DELETE"]);
    }
}
