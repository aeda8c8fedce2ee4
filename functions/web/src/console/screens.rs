//! The console's screens and form posts. Each post: CSRF check, the form
//! parsed into the API's command (`lapor_domain::fields::from_form`), the
//! API's own action (`lapor_actions`), then 303 with a flash, or the page
//! again with what was refused (409: the current state, to review; 422: the
//! field errors).

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use lapor_domain::command::Verdict;
use lapor_actions::{accounts, agency, categories, holidays, intake, moderation, views, Done};
use lapor_domain::agency::TimeZone;
use lapor_domain::calendar::HolidayKind;
use lapor_domain::codes::AgencyCode;
use lapor_domain::command::{Archive, Assign, CreateStaff, Forward, Hold, Respond, SetHoliday, Verify};
use lapor_domain::engagement::{CommentState, ReviewQueue};
use lapor_domain::fields::from_form;
use lapor_domain::invalid::Invalid;
use lapor_domain::lifecycle::{ArchiveReason, Status};
use lapor_domain::privacy::{ReporterIdentity, Visibility};
use lapor_domain::routes::{Found, Web};
use lapor_domain::session::{self, CSRF_FIELD};
use lapor_domain::staff::{Decision, Principal, Role, StaffAction};
use lapor_domain::text::ModerationReason;
use lapor_domain::view::QueueItem;
use lapor_platform::auth::forbidden;
use lapor_platform::db::Db;
use lapor_platform::request::ApiRequest;
use lapor_platform::response::ApiError;
use lapor_platform::store::{self, StaffScope};
use lapor_platform::{calendar, clock, engagement, paging, sessions, sla, staff as staff_data};
use maud::{html, Markup};
use spin_sdk::http::Response;

use super::pages::{self, csrf, document, role_name, when, Notice, Screen};
use super::{check_post, done, form_pairs, page, redirect, refused_post, Flash, Staff};
use crate::layout::{Ctx, Typed};

const PAGE: u32 = 50;

pub fn route(ctx: &Ctx, request: &ApiRequest, found: &Found<Web>, route: Web, staff: &Staff, now: DateTime<Utc>) -> Result<Response, ApiError> {
    let id = found.param("id");
    if request.method == "POST" {
        let form = form_pairs(request);
        if let Err(why) = check_post(staff, request, &form) {
            return Ok(refused_post(ctx, why));
        }
        return match route {
            Web::StaffAddCategory | Web::StaffRenameCategory | Web::StaffRetireCategory | Web::StaffRestoreCategory => {
                category_post(ctx, route, staff, found.param("code"), &form, &clock::timestamp(now))
            }
            Web::StaffSetEmbed => embed_post(ctx, request, staff, found.param("agency"), &form, &clock::timestamp(now)),
            Web::StaffRequeue => requeue_post(ctx, staff, id, &clock::timestamp(now)),
            _ => post(ctx, route, staff, id, found, &form, now),
        };
    }
    match route {
        Web::StaffHome => Ok(redirect(&ctx.href(match staff.principal.role {
            Role::Admin => "/staf/verifikasi",
            // Leaders read; their first screen is the dashboard.
            Role::Executive => "/staf/dasbor",
            _ => "/staf/kotak-masuk",
        }))),
        Web::StaffDashboard => super::dashboard::dashboard(ctx, request, staff),
        Web::StaffWeeklyList => super::dashboard::weekly_list(ctx, request, staff),
        Web::StaffWeekly => super::dashboard::weekly_summary(ctx, request, staff, found.param("week")),
        Web::StaffIntake => intake_queue(ctx, request, staff),
        Web::StaffIntakeReport => intake_report(ctx, staff, id, now, None),
        Web::StaffInbox => inbox(ctx, request, staff),
        Web::StaffInboxReport => agency_report(ctx, staff, id, now, None),
        Web::StaffComments => comments(ctx, request, staff),
        Web::StaffAccounts => accounts_page(ctx, staff, None),
        Web::StaffCalendar => calendar_page(ctx, request, staff, now, None),
        Web::StaffCategories => categories_page(ctx, staff, request.query("topik"), None),
        Web::StaffEmbed => embed_page(ctx, request, staff, request.query("agency").unwrap_or(""), None),
        Web::StaffDeadLetter => dead_letter_page(ctx, request, staff, None),
        _ => Err(ApiError::not_found(ctx.lang)),
    }
}

fn post(ctx: &Ctx, route: Web, staff: &Staff, id: &str, found: &Found<Web>, form: &[(String, String)], now: DateTime<Utc>) -> Result<Response, ApiError> {
    let lang = ctx.lang;
    let principal = &staff.principal;
    let now_text = clock::timestamp(now);
    // The form's own fields are no command fields.
    let body = |flags: &[&str]| from_form(form, flags, &[CSRF_FIELD, "version"]);
    let expected = form.iter().find(|(k, _)| k == "version").and_then(|(_, v)| v.trim().parse::<i64>().ok());
    let invalid = |errors: Vec<Invalid>| ApiError::validation(lang, &errors);
    match route {
        Web::StaffSignOut => {
            let db = Db::open()?;
            sessions::revoke(&db, staff.session.id, &now_text)?;
            let mut response = redirect(&ctx.href("/staf/masuk?keluar=1"));
            response.set_header("set-cookie", session::set_cookie(None));
            Ok(response)
        }
        Web::StaffVerify | Web::StaffHold | Web::StaffArchive => {
            let db = Db::open()?;
            let result = match route {
                Web::StaffVerify => Verify::parse(&body(&[])).map_err(invalid).and_then(|c| intake::verify(&db, principal, id, &c, expected, now, lang)),
                Web::StaffHold => Hold::parse(&body(&[])).map_err(invalid).and_then(|c| intake::hold(&db, principal, id, &c, expected, &now_text, lang)),
                _ => Archive::parse(&body(&[])).map_err(invalid).and_then(|c| intake::archive(&db, principal, id, &c, expected, &now_text, lang)),
            };
            drop(db);
            after_action(ctx, staff, result, "/staf/verifikasi", |notice| intake_report(ctx, staff, id, now, Some(notice)))
        }
        Web::StaffAssign | Web::StaffForward | Web::StaffRespond => {
            let db = Db::open()?;
            let result = match route {
                Web::StaffAssign => Assign::parse(&body(&[])).map_err(invalid).and_then(|c| agency::assign(&db, principal, id, &c, expected, &now_text, lang)),
                Web::StaffForward => Forward::parse(&body(&[])).map_err(invalid).and_then(|c| agency::forward(&db, principal, id, &c, expected, now, lang).map(|(done, _)| done)),
                _ => Respond::parse(&body(&["final"])).map_err(invalid).and_then(|c| agency::respond(&db, principal, id, &c, expected, now, lang)),
            };
            drop(db);
            let back = format!("/staf/kotak-masuk/{id}");
            after_action(ctx, staff, result, &back, |notice| agency_report(ctx, staff, id, now, Some(notice)))
        }
        Web::StaffHide | Web::StaffRestore => {
            let comment = found.param("comment");
            let reason = form
                .iter()
                .find(|(k, v)| k == "reason" && !v.trim().is_empty())
                .map(|(_, v)| ModerationReason::parse("reason", v))
                .transpose()
                .map_err(|e| invalid(vec![e]))?;
            let which = if route == Web::StaffHide { Verdict::Hide } else { Verdict::Restore };
            let db = Db::open()?;
            let (_, state) = moderation::moderate(&db, principal, comment, which, reason.as_ref(), &now_text, lang)?;
            let queue = form.iter().find(|(k, _)| k == "queue").map(|(_, v)| v.as_str()).filter(|q| *q == "flagged").unwrap_or("hidden");
            let flash = if state == CommentState::Visible { Flash::new("Komentar ditampilkan kembali.", "The comment is shown again.") } else { Flash::new("Komentar disembunyikan.", "The comment is hidden.") };
            done(ctx, staff, &format!("/staf/komentar?state={queue}"), flash)
        }
        Web::StaffCreateAccount => {
            let result = CreateStaff::parse(&body(&[])).map_err(invalid).and_then(|c| {
                let db = Db::open()?;
                accounts::create(&db, principal, &c, now, lang)
            });
            match result {
                Ok(created) => {
                    let mut flash = Flash::new(
                        format!("Akun {} ({}) dibuat.", created.name, created.role.as_str()),
                        format!("Account {} ({}) created.", created.name, created.role.as_str()),
                    );
                    flash.secret = Some(created.token);
                    done(ctx, staff, "/staf/akun", flash)
                }
                Err(e) => match refusal(ctx, e) {
                    Ok((status, notice)) => accounts_page(ctx, staff, Some((status, notice))),
                    Err(e) => Err(e),
                },
            }
        }
        Web::StaffRevokeAccount => {
            let db = Db::open()?;
            accounts::revoke(&db, principal, id, &now_text, lang)?;
            done(ctx, staff, "/staf/akun", Flash::new("Akun dicabut, beserta token dan sesinya.", "Account revoked, with its tokens and sessions."))
        }
        Web::StaffAddHoliday | Web::StaffRemoveHoliday => {
            let raw_date = if route == Web::StaffAddHoliday {
                form.iter().find(|(k, _)| k == "date").map(|(_, v)| v.trim().to_string()).unwrap_or_default()
            } else {
                found.param("date").to_string()
            };
            let date = NaiveDate::parse_from_str(&raw_date, "%Y-%m-%d")
                .map_err(|_| invalid(vec![Invalid::new("date", "Tanggal harus berbentuk YYYY-MM-DD.", "The date must be YYYY-MM-DD.")]));
            let db = Db::open()?;
            let result = match route {
                Web::StaffAddHoliday => date.and_then(|date| {
                    let command = SetHoliday::parse(&from_form(form, &[], &[CSRF_FIELD, "date"])).map_err(invalid)?;
                    holidays::set(&db, principal, date, &command, lang).map(|_| date)
                }),
                _ => date.and_then(|date| holidays::delete(&db, principal, date, lang).map(|_| date)),
            };
            match result {
                Ok(date) => {
                    let flash = if route == Web::StaffAddHoliday {
                        Flash::new(format!("{date} dicatat sebagai hari libur."), format!("{date} recorded as a non-working day."))
                    } else {
                        Flash::new(format!("{date} kembali menjadi hari kerja (jika bukan akhir pekan)."), format!("{date} is a working day again (unless a weekend)."))
                    };
                    done(ctx, staff, &format!("/staf/kalender?year={}", date.year()), flash)
                }
                Err(e) => match refusal(ctx, e) {
                    Ok((status, notice)) => calendar_page(ctx, &ApiRequest { query: Vec::new(), ..empty_request() }, staff, now, Some((status, notice))),
                    Err(e) => Err(e),
                },
            }
        }
        _ => Err(ApiError::not_found(lang)),
    }
}

fn empty_request() -> ApiRequest {
    ApiRequest { method: "GET".into(), path: String::new(), query: Vec::new(), raw_query: String::new(), headers: Vec::new(), body: Vec::new(), lang: lapor_domain::lang::Lang::Id }
}

/// A 409 or 422 as a notice for the page the form was on; anything else stays an error.
fn refusal(ctx: &Ctx, error: ApiError) -> Result<(u16, Notice), ApiError> {
    match error {
        ApiError::Problem(problem, _) if problem.status == 409 => Ok((
            409,
            Notice {
                heading: ctx.t("Laporan telah berubah", "The report has changed").to_string(),
                text: format!(
                    "{} {}",
                    problem.detail,
                    ctx.t(
                        "Keadaan terkini ditampilkan di bawah. Tinjau dulu, lalu putuskan lagi.",
                        "Its current state is shown below. Please review it, then decide again."
                    )
                ),
                errors: Vec::new(),
            },
        )),
        ApiError::Problem(problem, _) if problem.status == 422 => Ok((
            422,
            Notice {
                heading: ctx.t("Periksa isian formulir", "Please check the form").to_string(),
                text: problem.detail.clone(),
                errors: problem.errors.iter().map(|e| format!("{}: {}", e.field, e.message)).collect(),
            },
        )),
        other => Err(other),
    }
}

fn after_action(
    ctx: &Ctx,
    staff: &Staff,
    result: Result<Done, ApiError>,
    back: &str,
    again: impl FnOnce((u16, Notice)) -> Result<Response, ApiError>,
) -> Result<Response, ApiError> {
    match result {
        Ok(result) => {
            let flash = Flash::new(
                format!("Laporan {} kini berstatus: {}.", result.tracking_id, result.status.label(lapor_domain::lang::Lang::Id)),
                format!("Report {} is now: {}.", result.tracking_id, result.status.label(lapor_domain::lang::Lang::En)),
            );
            done(ctx, staff, back, flash)
        }
        Err(e) => again(refusal(ctx, e)?),
    }
}

fn require(principal: &Principal, action: StaffAction, agency: Option<&str>, ctx: &Ctx) -> Result<(), ApiError> {
    match principal.may(action, agency) {
        Decision::Allow => Ok(()),
        Decision::Forbidden => Err(forbidden(ctx.lang)),
        Decision::NotFound => Err(ApiError::not_found(ctx.lang)),
    }
}

fn version_field(version: i64) -> Markup {
    html! { input type="hidden" name="version" value=(version); }
}

/// A queue's rows (from `store::list_for_staff`) as a list, each with its
/// running deadline in the responsible zone, in words.
fn queue_list(ctx: &Ctx, db: &Db, rows: &[(i64, QueueItem)], base: &str) -> Result<Markup, ApiError> {
    let mut items = Vec::new();
    for (_, item) in rows {
        let agency = item.agency.as_deref();
        let (label, due, zone) = if let Some(due) = &item.verification_due {
            (ctx.t("Verifikasi sebelum", "Verify by"), Some(due.clone()), TimeZone::Wib)
        } else if let Some(due) = &item.response_due {
            (ctx.t("Tanggapi sebelum", "Respond by"), Some(due.clone()), sla::zone_of(db, agency)?)
        } else if let Some(due) = &item.completion_due {
            (ctx.t("Selesai sebelum", "Complete by"), Some(due.clone()), sla::zone_of(db, agency)?)
        } else {
            ("", None, TimeZone::Wib)
        };
        let status = Status::from_stored(&item.status).map(|s| s.label(ctx.lang)).unwrap_or("");
        items.push(html! {
            li {
                a href=(ctx.href(&format!("{base}/{}", item.tracking_id))) { strong { (Typed(&item.title)) } }
                " · " (item.tracking_id) " · " (status)
                span.due { (ctx.t("Masuk", "Filed")) " " (when(ctx, &item.created_at, TimeZone::Wib)) }
                @if let Some(due) = due { span.due { (label) " " strong { (when(ctx, &due, zone)) } } }
                @if let Some(unit) = &item.unit { span.due { (ctx.t("Unit", "Unit")) " " (Typed(unit)) } }
            }
        });
    }
    Ok(html! {
        @if items.is_empty() { p.muted { (ctx.t("Tidak ada laporan di sini.", "No reports here.")) } }
        @else { ol.queue { @for item in items { (item) } } }
    })
}

fn status_tabs(ctx: &Ctx, counts: &[(Status, i64)], current: Option<Status>, link: impl Fn(Status) -> String) -> Markup {
    html! {
        ul.tabs aria-label=(ctx.t("Status", "Status")) {
            @for (status, n) in counts {
                li {
                    @if Some(*status) == current {
                        a href=(ctx.href(&link(*status))) aria-current="page" { (status.label(ctx.lang)) " (" (n) ")" }
                    } @else {
                        a href=(ctx.href(&link(*status))) { (status.label(ctx.lang)) " (" (n) ")" }
                    }
                }
            }
        }
    }
}

/// `/staf/verifikasi`: the intake queue, oldest first, with deadlines.
fn intake_queue(ctx: &Ctx, request: &ApiRequest, staff: &Staff) -> Result<Response, ApiError> {
    intake::require_intake(&staff.principal, ctx.lang)?;
    let status = request.query("status").and_then(|s| Status::parse("status", s).ok()).unwrap_or(Status::Submitted);
    let after = paging::time_cursor(request)?;
    let db = Db::open()?;
    let scope = StaffScope::default();
    let mut rows = store::list_for_staff(&db, Some(status), &scope, after.as_ref(), PAGE + 1)?;
    let next = paging::next_page(&mut rows, PAGE, |(id, item)| paging::time_cursor_of(&item.created_at, *id));
    let counts = store::staff_counts(&db, &scope)?;
    let list = queue_list(ctx, &db, &rows, "/staf/verifikasi")?;
    let content = html! {
        h1 { (ctx.t("Antrean verifikasi", "Verification queue")) }
        p { (ctx.t("Terlama di atas. Batas waktu verifikasi: 3 hari kerja (WIB).", "Oldest first. Verification deadline: 3 working days (WIB).")) }
        (status_tabs(ctx, &counts, Some(status), |s| format!("/staf/verifikasi?status={}", s.as_str())))
        (list)
        @if let Some(next) = next {
            p { a href=(ctx.href(&format!("/staf/verifikasi?status={}&cursor={next}", status.as_str()))) { (ctx.t("Halaman berikutnya", "Next page")) } }
        }
    };
    Ok(page(ctx, 200, document(ctx, Some(staff), ctx.t("Antrean verifikasi", "Verification queue"), Screen::Intake, content)))
}

fn select_privacy(ctx: &Ctx) -> Markup {
    html! {
        label for="visibility" { (ctx.t("Naikkan visibilitas (opsional)", "Raise visibility (optional)")) }
        select #visibility name="visibility" {
            option value="" { (ctx.t("Tetap", "Keep")) }
            @for v in Visibility::ALL { option value=(v.as_str()) { (v.as_str()) } }
        }
        label for="reporter_identity" { (ctx.t("Naikkan perlindungan identitas (opsional)", "Raise identity protection (optional)")) }
        select #reporter_identity name="reporter_identity" {
            option value="" { (ctx.t("Tetap", "Keep")) }
            @for i in ReporterIdentity::ALL { option value=(i.as_str()) { (i.as_str()) } }
        }
    }
}

/// `/staf/verifikasi/{id}`: the handling screen: verify, hold, archive.
fn intake_report(ctx: &Ctx, staff: &Staff, raw_id: &str, now: DateTime<Utc>, notice: Option<(u16, Notice)>) -> Result<Response, ApiError> {
    let lang = ctx.lang;
    intake::require_intake(&staff.principal, lang)?;
    let db = Db::open()?;
    let state = intake::load(&db, raw_id, lang)?;
    let stored = store::find_report(&db, &state.tracking_id)?.ok_or_else(|| ApiError::not_found(lang))?;
    let view = views::staff_view(&db, &stored, &state, &staff.principal, &clock::timestamp(now))?;
    let zone = sla::zone_of(&db, state.agency.as_deref())?;
    let base = format!("/staf/verifikasi/{}", state.tracking_id);
    let open = matches!(state.status, Status::Submitted | Status::OnHold);
    let suggested = view.report.suggested_agency.clone().or(view.report.agency.clone()).unwrap_or_default();
    let (status, notice) = match notice { Some((s, n)) => (s, Some(n)), None => (200, None) };
    let content = html! {
        @if let Some(n) = &notice { (pages::notice(n)) }
        (pages::report(ctx, &view, zone))
        @if open {
            div.actions {
                section aria-labelledby="verify-h" {
                    h2 #verify-h { (ctx.t("Verifikasi dan teruskan", "Verify and dispatch")) }
                    form.stack method="post" action=(ctx.href(&format!("{base}/teruskan"))) {
                        (csrf(staff)) (version_field(view.version))
                        label for="agency" { (ctx.t("Instansi (kode)", "Agency (code)")) }
                        input #agency name="agency" value=(suggested) required aria-describedby="agency-hint";
                        p.hint #agency-hint { (ctx.t("Misalnya pemkot-32.73. Daftar: /api/v1/agencies", "For example pemkot-32.73. Directory: /api/v1/agencies")) }
                        label for="category" { (ctx.t("Kategori (opsional)", "Category (optional)")) }
                        input #category name="category" value=(view.report.category.clone().unwrap_or_default());
                        (select_privacy(ctx))
                        button type="submit" { (ctx.t("Verifikasi dan teruskan", "Verify and dispatch")) }
                    }
                }
                section aria-labelledby="hold-h" {
                    h2 #hold-h { (ctx.t("Tunda: minta keterangan pelapor", "Hold: ask the reporter")) }
                    form.stack method="post" action=(ctx.href(&format!("{base}/tunda"))) {
                        (csrf(staff)) (version_field(view.version))
                        label for="hold-reason" { (ctx.t("Pertanyaan untuk pelapor", "Question for the reporter")) }
                        textarea #hold-reason name="reason" rows="3" required {}
                        button type="submit" { (ctx.t("Tunda", "Hold")) }
                    }
                }
                section aria-labelledby="archive-h" {
                    h2 #archive-h { (ctx.t("Arsipkan", "Archive")) }
                    form.stack method="post" action=(ctx.href(&format!("{base}/arsipkan"))) {
                        (csrf(staff)) (version_field(view.version))
                        label for="archive-reason" { (ctx.t("Alasan", "Reason")) }
                        select #archive-reason name="reason" required {
                            @for reason in ArchiveReason::ALL { option value=(reason.as_str()) { (reason.as_str()) } }
                        }
                        label for="duplicate_of" { (ctx.t("Duplikat dari (nomor pelacakan, hanya untuk alasan duplicate)", "Duplicate of (tracking ID, only for reason duplicate)")) }
                        input #duplicate_of name="duplicate_of";
                        button.danger type="submit" { (ctx.t("Arsipkan", "Archive")) }
                    }
                }
            }
        }
        p { a href=(ctx.href("/staf/verifikasi")) { (ctx.t("Kembali ke antrean", "Back to the queue")) } }
    };
    Ok(page(ctx, status, document(ctx, Some(staff), &view.report.title, Screen::Intake, content)))
}

/// `/staf/kotak-masuk`: an agency's inbox by status and unit.
fn inbox(ctx: &Ctx, request: &ApiRequest, staff: &Staff) -> Result<Response, ApiError> {
    let lang = ctx.lang;
    let principal = &staff.principal;
    let agency = match principal.role {
        Role::Admin => request.query("agency").map(str::trim).filter(|a| !a.is_empty()).and_then(|a| AgencyCode::parse("agency", a).ok()).map(|a| a.as_str().to_string()),
        _ => principal.agency.clone(),
    };
    let status = request.query("status").and_then(|s| Status::parse("status", s).ok());
    let unit = request.query("unit").map(str::trim).filter(|u| !u.is_empty()).map(str::to_string);
    let after = paging::time_cursor(request)?;
    let db = Db::open()?;
    let Some(agency) = agency else {
        let content = html! {
            h1 { (ctx.t("Kotak masuk instansi", "Agency inbox")) }
            form.stack method="get" action="/staf/kotak-masuk" {
                @if ctx.lang_in_address { input type="hidden" name="lang" value=(ctx.lang.tag()); }
                label for="agency" { (ctx.t("Instansi (kode)", "Agency (code)")) }
                input #agency name="agency" required;
                button type="submit" { (ctx.t("Buka", "Open")) }
            }
        };
        return Ok(page(ctx, 200, document(ctx, Some(staff), ctx.t("Kotak masuk", "Inbox"), Screen::Inbox, content)));
    };
    let scope = StaffScope { agency: Some(&agency), unit: unit.as_deref() };
    let mut rows = store::list_for_staff(&db, status, &scope, after.as_ref(), PAGE + 1)?;
    let next = paging::next_page(&mut rows, PAGE, |(id, item)| paging::time_cursor_of(&item.created_at, *id));
    let counts = store::staff_counts(&db, &scope)?;
    let units = store::units(&db, &agency)?;
    let name = store::find_agency(&db, &agency)?.map(|a| a.name).unwrap_or_else(|| agency.clone());
    let query_of = |status: Option<Status>| {
        let mut q = Vec::new();
        if principal.role == Role::Admin { q.push(format!("agency={agency}")); }
        if let Some(s) = status { q.push(format!("status={}", s.as_str())); }
        if let Some(u) = &unit { q.push(format!("unit={u}")); }
        format!("/staf/kotak-masuk?{}", q.join("&"))
    };
    let list = queue_list(ctx, &db, &rows, "/staf/kotak-masuk")?;
    let _ = lang;
    let content = html! {
        h1 { (ctx.t("Kotak masuk", "Inbox")) ": " (Typed(&name)) }
        (status_tabs(ctx, &counts, status, |s| query_of(Some(s))))
        p { a href=(ctx.href(&query_of(None))) { (ctx.t("Semua status", "Every status")) } }
        form.stack method="get" action="/staf/kotak-masuk" {
            @if ctx.lang_in_address { input type="hidden" name="lang" value=(ctx.lang.tag()); }
            @if principal.role == Role::Admin { input type="hidden" name="agency" value=(agency); }
            @if let Some(s) = status { input type="hidden" name="status" value=(s.as_str()); }
            label for="unit" { (ctx.t("Unit kerja", "Work unit")) }
            select #unit name="unit" {
                option value="" { (ctx.t("Semua unit", "Every unit")) }
                @for (code, unit_name) in &units {
                    @if unit.as_deref() == Some(code.as_str()) { option value=(code) selected { (Typed(unit_name)) } }
                    @else { option value=(code) { (Typed(unit_name)) } }
                }
            }
            button type="submit" { (ctx.t("Saring", "Filter")) }
        }
        (list)
        @if let Some(next) = next {
            p { a href=(ctx.href(&format!("{}&cursor={next}", query_of(status)))) { (ctx.t("Halaman berikutnya", "Next page")) } }
        }
    };
    Ok(page(ctx, 200, document(ctx, Some(staff), ctx.t("Kotak masuk", "Inbox"), Screen::Inbox, content)))
}

/// `/staf/kotak-masuk/{id}`: the report with assign, forward and respond.
fn agency_report(ctx: &Ctx, staff: &Staff, raw_id: &str, now: DateTime<Utc>, notice: Option<(u16, Notice)>) -> Result<Response, ApiError> {
    let lang = ctx.lang;
    let principal = &staff.principal;
    let db = Db::open()?;
    let state = agency::authorized(&db, principal, raw_id, StaffAction::ReadAgencyReport, lang)?;
    let stored = store::find_report(&db, &state.tracking_id)?.ok_or_else(|| ApiError::not_found(lang))?;
    let view = views::staff_view(&db, &stored, &state, principal, &clock::timestamp(now))?;
    let zone = sla::zone_of(&db, state.agency.as_deref())?;
    let units = match &state.agency { Some(a) => store::units(&db, a)?, None => Vec::new() };
    let may = |action| principal.may(action, state.agency.as_deref()) == Decision::Allow;
    let open = matches!(state.status, Status::Dispatched | Status::Responded);
    let base = format!("/staf/kotak-masuk/{}", state.tracking_id);
    let (status, notice) = match notice { Some((s, n)) => (s, Some(n)), None => (200, None) };
    let content = html! {
        @if let Some(n) = &notice { (pages::notice(n)) }
        (pages::report(ctx, &view, zone))
        @if open {
            div.actions {
                @if may(StaffAction::Respond) {
                    section aria-labelledby="respond-h" {
                        h2 #respond-h { (ctx.t("Tanggapi", "Respond")) }
                        form.stack method="post" action=(ctx.href(&format!("{base}/tanggapi"))) {
                            (csrf(staff)) (version_field(view.version))
                            label for="response-body" { (ctx.t("Tanggapan untuk pelapor", "Response to the reporter")) }
                            textarea #response-body name="body" rows="4" required {}
                            label.check for="final" { input #final type="checkbox" name="final" value="true"; (ctx.t("Tanggapan akhir: laporan selesai", "Final response: the report is completed")) }
                            button type="submit" { (ctx.t("Kirim tanggapan", "Send response")) }
                        }
                    }
                }
                @if may(StaffAction::Assign) {
                    section aria-labelledby="assign-h" {
                        h2 #assign-h { (ctx.t("Tugaskan ke unit kerja", "Assign to a work unit")) }
                        form.stack method="post" action=(ctx.href(&format!("{base}/tugaskan"))) {
                            (csrf(staff)) (version_field(view.version))
                            label for="assign-unit" { (ctx.t("Unit kerja", "Work unit")) }
                            select #assign-unit name="unit" required {
                                @for (code, name) in &units { option value=(code) { (Typed(name)) } }
                            }
                            button type="submit" { (ctx.t("Tugaskan", "Assign")) }
                        }
                    }
                }
                @if may(StaffAction::Forward) {
                    section aria-labelledby="forward-h" {
                        h2 #forward-h { (ctx.t("Alihkan ke instansi lain", "Forward to another agency")) }
                        form.stack method="post" action=(ctx.href(&format!("{base}/alihkan"))) {
                            (csrf(staff)) (version_field(view.version))
                            label for="forward-agency" { (ctx.t("Instansi tujuan (kode)", "Receiving agency (code)")) }
                            input #forward-agency name="agency" required;
                            label for="forward-reason" { (ctx.t("Alasan (hanya untuk petugas)", "Reason (staff only)")) }
                            textarea #forward-reason name="reason" rows="2" required {}
                            button type="submit" { (ctx.t("Alihkan", "Forward")) }
                        }
                    }
                }
            }
        }
        p { a href=(ctx.href("/staf/kotak-masuk")) { (ctx.t("Kembali ke kotak masuk", "Back to the inbox")) } }
    };
    Ok(page(ctx, status, document(ctx, Some(staff), &view.report.title, Screen::Inbox, content)))
}

/// `/staf/komentar?state=hidden|flagged`: the moderation queues.
fn comments(ctx: &Ctx, request: &ApiRequest, staff: &Staff) -> Result<Response, ApiError> {
    let principal = &staff.principal;
    require(principal, StaffAction::Moderate, principal.agency.as_deref(), ctx).map_err(|_| forbidden(ctx.lang))?;
    let state = request.query("state").unwrap_or("hidden");
    let queue = ReviewQueue::parse("state", Some(state)).unwrap_or(ReviewQueue::Hidden);
    let state = if queue == ReviewQueue::Flagged { "flagged" } else { "hidden" };
    let db = Db::open()?;
    let rows = engagement::review_queue(&db, queue, principal.agency.as_deref(), 0, PAGE)?;
    let content = html! {
        h1 { (ctx.t("Moderasi komentar", "Comment moderation")) }
        ul.tabs {
            @for (q, id, en) in [("hidden", "Disembunyikan", "Hidden"), ("flagged", "Ditandai", "Flagged")] {
                li {
                    @if q == state { a href=(ctx.href(&format!("/staf/komentar?state={q}"))) aria-current="page" { (ctx.t(id, en)) } }
                    @else { a href=(ctx.href(&format!("/staf/komentar?state={q}"))) { (ctx.t(id, en)) } }
                }
            }
        }
        @if rows.is_empty() { p.muted { (ctx.t("Tidak ada komentar di antrean ini.", "No comments in this queue.")) } }
        ol.queue {
            @for (report, comment) in &rows {
                li {
                    p { strong { (Typed(comment.display_name.as_deref().unwrap_or("-"))) } " · " (Typed(report)) " · " (comment.state.as_str())
                        " · " (ctx.t("tanda terbuka", "open flags")) " " (comment.open_flags) }
                    p.body { (Typed(&comment.body)) }
                    @for (path, label, class) in [("sembunyikan", ctx.t("Sembunyikan", "Hide"), "danger"), ("tampilkan", ctx.t("Tampilkan", "Restore"), "secondary")] {
                        form.inline method="post" action=(ctx.href(&format!("/staf/komentar/{}/{path}", comment.public_id))) {
                            (csrf(staff))
                            input type="hidden" name="queue" value=(state);
                            button class=(class) type="submit" { (label) }
                        }
                        " "
                    }
                }
            }
        }
    };
    Ok(page(ctx, 200, document(ctx, Some(staff), ctx.t("Moderasi komentar", "Comment moderation"), Screen::Comments, content)))
}

/// `/staf/akun`: accounts (admins: all; coordinators: their agency's).
fn accounts_page(ctx: &Ctx, staff: &Staff, notice: Option<(u16, Notice)>) -> Result<Response, ApiError> {
    let principal = &staff.principal;
    let scope = match principal.role {
        Role::Admin => None,
        Role::Coordinator => principal.agency.clone(),
        _ => return Err(forbidden(ctx.lang)),
    };
    let db = Db::open()?;
    let rows = staff_data::list_active(&db, scope.as_deref(), 200)?;
    let (status, notice) = match notice { Some((s, n)) => (s, Some(n)), None => (200, None) };
    let content = html! {
        @if let Some(n) = &notice { (pages::notice(n)) }
        h1 { (ctx.t("Akun staf", "Staff accounts")) }
        section aria-labelledby="create-h" {
            h2 #create-h { (ctx.t("Buat akun", "Create an account")) }
            form.stack method="post" action=(ctx.href("/staf/akun")) {
                (csrf(staff))
                label for="role" { (ctx.t("Peran", "Role")) }
                select #role name="role" required {
                    @for role in Role::ALL { @if principal.role == Role::Admin || role != Role::Admin { option value=(role.as_str()) { (role_name(ctx, role)) } } }
                }
                label for="name" { (ctx.t("Nama", "Name")) }
                input #name name="name" required;
                label for="new-agency" { (ctx.t("Instansi (kode; kosong untuk administrator)", "Agency (code; empty for administrators)")) }
                input #new-agency name="agency" value=(scope.clone().unwrap_or_default());
                label for="new-unit" { (ctx.t("Unit kerja (kode, opsional)", "Work unit (code, optional)")) }
                input #new-unit name="unit";
                button type="submit" { (ctx.t("Buat akun", "Create account")) }
            }
        }
        h2 { (ctx.t("Akun aktif", "Active accounts")) }
        table {
            thead { tr { th scope="col" { (ctx.t("Nama", "Name")) } th scope="col" { (ctx.t("Peran", "Role")) } th scope="col" { (ctx.t("Instansi / unit", "Agency / unit")) } th scope="col" { (ctx.t("Tindakan", "Action")) } } }
            tbody {
                @for row in &rows {
                    tr {
                        td { (Typed(&row.name)) }
                        td { (role_name(ctx, row.role)) }
                        td { (Typed(row.agency.as_deref().unwrap_or("-"))) @if let Some(u) = &row.unit { " / " (Typed(u)) } }
                        td {
                            @if row.public_id != principal.id {
                                form.inline method="post" action=(ctx.href(&format!("/staf/akun/{}/cabut", row.public_id))) {
                                    (csrf(staff))
                                    button.danger type="submit" aria-label=(format!("{} {}", ctx.t("Cabut", "Revoke"), row.name)) { (ctx.t("Cabut", "Revoke")) }
                                }
                            } @else { (ctx.t("(Anda)", "(you)")) }
                        }
                    }
                }
            }
        }
    };
    Ok(page(ctx, status, document(ctx, Some(staff), ctx.t("Akun staf", "Staff accounts"), Screen::Accounts, content)))
}

/// `/staf/kalender?year=`: the non-working days of a year; add and remove.
fn calendar_page(ctx: &Ctx, request: &ApiRequest, staff: &Staff, now: DateTime<Utc>, notice: Option<(u16, Notice)>) -> Result<Response, ApiError> {
    intake::require_intake(&staff.principal, ctx.lang)?;
    let year = request.query("year").and_then(|y| y.trim().parse::<i32>().ok()).filter(|y| (2000..=2100).contains(y)).unwrap_or_else(|| clock::latest_indonesian_date(now).year());
    let db = Db::open()?;
    let days = calendar::holidays_in_year(&db, year)?;
    let (status, notice) = match notice { Some((s, n)) => (s, Some(n)), None => (200, None) };
    let content = html! {
        @if let Some(n) = &notice { (pages::notice(n)) }
        h1 { (ctx.t("Kalender hari kerja", "Working-day calendar")) " " (year) }
        p {
            a href=(ctx.href(&format!("/staf/kalender?year={}", year - 1))) { "← " (year - 1) } " · "
            a href=(ctx.href(&format!("/staf/kalender?year={}", year + 1))) { (year + 1) " →" }
        }
        section aria-labelledby="add-h" {
            h2 #add-h { (ctx.t("Tambah hari libur", "Add a non-working day")) }
            form.stack method="post" action=(ctx.href("/staf/kalender")) {
                (csrf(staff))
                label for="date" { (ctx.t("Tanggal", "Date")) }
                input #date type="date" name="date" required;
                label for="holiday-name" { (ctx.t("Nama", "Name")) }
                input #holiday-name name="name" required;
                label for="kind" { (ctx.t("Jenis", "Kind")) }
                select #kind name="kind" {
                    option value=(HolidayKind::Holiday.as_str()) { (ctx.t("Hari libur", "Holiday")) }
                    option value=(HolidayKind::CutiBersama.as_str()) { (ctx.t("Cuti bersama", "Collective leave")) }
                }
                button type="submit" { (ctx.t("Simpan", "Save")) }
            }
        }
        h2 { (ctx.t("Hari libur", "Non-working days")) }
        table {
            thead { tr { th scope="col" { (ctx.t("Tanggal", "Date")) } th scope="col" { (ctx.t("Nama", "Name")) } th scope="col" { (ctx.t("Jenis", "Kind")) } th scope="col" { (ctx.t("Tindakan", "Action")) } } }
            tbody {
                @for day in &days {
                    tr {
                        td { (day.date) } td { (Typed(&day.name)) } td { (Typed(&day.kind)) }
                        td {
                            form.inline method="post" action=(ctx.href(&format!("/staf/kalender/{}/hapus", day.date))) {
                                (csrf(staff))
                                button.secondary type="submit" aria-label=(format!("{} {}", ctx.t("Hapus", "Remove"), day.date)) { (ctx.t("Hapus", "Remove")) }
                            }
                        }
                    }
                }
            }
        }
    };
    Ok(page(ctx, status, document(ctx, Some(staff), ctx.t("Kalender", "Calendar"), Screen::Calendar, content)))
}

/// A form refused with field errors (422): which form, each message in the
/// page's language beside its field, and the values as sent.
pub struct Refused {
    pub form: String,
    pub errors: Vec<(String, String)>,
    pub values: Vec<(String, String)>,
}

impl Refused {
    fn value(&self, form: &str, name: &str) -> Option<&str> {
        (self.form == form).then(|| self.values.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())).flatten()
    }
}

/// Field errors in the page's language: from a parse (`Invalid`) or from an
/// action's 422.
fn field_errors(ctx: &Ctx, invalid: &[Invalid]) -> Vec<(String, String)> {
    invalid.iter().map(|e| (e.field.clone(), ctx.t(&e.id, &e.en).to_string())).collect()
}

/// An action's 422 as field errors; anything else stays an error.
fn field_errors_of(error: ApiError) -> Result<Vec<(String, String)>, ApiError> {
    match error {
        ApiError::Problem(problem, _) if problem.status == 422 => Ok(problem.errors.iter().map(|e| (e.field.clone(), e.message.clone())).collect()),
        other => Err(other),
    }
}

/// The errors of `field` beside it (`id` for `aria-describedby`).
fn beside(errors: &[(String, String)], field: &str, id: &str) -> Markup {
    html! {
        @let mine: Vec<&String> = errors.iter().filter(|(f, _)| f == field).map(|(_, m)| m).collect();
        @if !mine.is_empty() {
            p.error id=(id) { @for (i, m) in mine.iter().enumerate() { @if i > 0 { br; } (Typed(m)) } }
        }
    }
}

fn errs_for<'a>(refused: Option<&'a Refused>, form: &str) -> &'a [(String, String)] {
    match refused {
        Some(r) if r.form == form => &r.errors,
        _ => &[],
    }
}

/// A labelled text input with its errors beside it.
fn text_field(errors: &[(String, String)], id: &str, name: &str, label: &str, value: &str, required: bool) -> Markup {
    let error_id = format!("{id}-error");
    let has = errors.iter().any(|(f, _)| f == name);
    html! {
        label for=(id) { (label) }
        (beside(errors, name, &error_id))
        input id=(id) name=(name) value=(value) required[required] aria-invalid=[has.then_some("true")] aria-describedby=[has.then_some(error_id.as_str())];
    }
}

/// `/staf/kategori`: topics and their sub-topics (retired ones marked);
/// add, rename, retire, restore.
/// The taxonomy: every topic with its sub-topics' names, and the editing
/// forms of one topic and its sub-topics at a time (`?topik=`; the first
/// topic by default), so the page stays light with hundreds of categories.
fn categories_page(ctx: &Ctx, staff: &Staff, topic: Option<&str>, refused: Option<(u16, Option<Notice>, Option<Refused>)>) -> Result<Response, ApiError> {
    intake::require_intake(&staff.principal, ctx.lang)?;
    let db = Db::open()?;
    let all = lapor_platform::categories::list(&db, true)?;
    let topics: Vec<_> = all.iter().filter(|c| c.parent.is_none()).collect();
    let (status, notice, refused) = match refused { Some((s, n, r)) => (s, n, r), None => (200, None, None) };
    let refused = refused.as_ref();
    // The topic whose forms are open: asked for, or the one a refused form
    // belongs to, or the first.
    let topic_of = |code: &str| all.iter().find(|c| c.code == code).map(|c| c.parent.clone().unwrap_or_else(|| c.code.clone()));
    let selected = topic
        .and_then(topic_of)
        .or_else(|| refused.and_then(|r| topic_of(&r.form)))
        .or_else(|| topics.first().map(|t| t.code.clone()))
        .unwrap_or_default();
    let add_errors = errs_for(refused, "add");
    let add_value = |name: &str| refused.and_then(|r| r.value("add", name)).unwrap_or("").to_string();
    let chosen_parent = add_value("parent");
    let row = |c: &lapor_domain::view::CategoryView| {
        let form_id = format!("rename-{}", c.code);
        let errors = errs_for(refused, &c.code);
        let value = |name: &str, stored: &str| refused.and_then(|r| r.value(&c.code, name)).unwrap_or(stored).to_string();
        let base = format!("/staf/kategori/{}", c.code);
        html! {
            p {
                strong { (Typed(c.name(ctx.lang))) } " · " code { (Typed(&c.code)) }
                @if let Some(at) = &c.retired_at {
                    " · " span.retired { (ctx.t("Tidak dipakai sejak", "Retired since")) " " (when(ctx, at, TimeZone::Wib)) }
                }
            }
            details open[!errors.is_empty()] {
                summary { (ctx.t("Ubah nama", "Rename")) span.visually-hidden { " " (Typed(&c.code)) } }
                form.stack method="post" action=(ctx.href(&format!("{base}/ubah"))) {
                    (csrf(staff))
                    (text_field(errors, &format!("{form_id}-id"), "name_id", ctx.t("Nama (Bahasa Indonesia)", "Name (Indonesian)"), &value("name_id", &c.name_id), true))
                    (text_field(errors, &format!("{form_id}-en"), "name_en", ctx.t("Nama (Inggris)", "Name (English)"), &value("name_en", &c.name_en), true))
                    (beside(errors, "", &format!("{form_id}-error")))
                    button type="submit" { (ctx.t("Simpan nama", "Save names")) }
                }
            }
            @if c.retired_at.is_none() {
                form.inline method="post" action=(ctx.href(&format!("{base}/pensiunkan"))) {
                    (csrf(staff))
                    button.danger type="submit" aria-label=(format!("{} {}", ctx.t("Hentikan pemakaian", "Retire"), c.code)) { (ctx.t("Hentikan pemakaian", "Retire")) }
                }
            } @else {
                (beside(errors, "retired", &format!("{form_id}-retired")))
                form.inline method="post" action=(ctx.href(&format!("{base}/pulihkan"))) {
                    (csrf(staff))
                    button.secondary type="submit" aria-label=(format!("{} {}", ctx.t("Pulihkan", "Restore"), c.code)) { (ctx.t("Pulihkan", "Restore")) }
                }
            }
        }
    };
    let content = html! {
        @if let Some(n) = &notice { (pages::notice(n)) }
        h1 { (ctx.t("Kategori laporan", "Report categories")) }
        p { (ctx.t(
            "Kode kategori tetap selamanya: laporan menyimpannya. Kategori yang tidak dipakai lagi tetap ada dan dapat dipulihkan; menghentikan sebuah topik juga menutup sub-topiknya untuk laporan baru.",
            "Category codes are permanent: reports keep them. A retired category stays and can be restored; retiring a topic closes its sub-topics to new reports too.",
        )) }
        section aria-labelledby="add-category-h" {
            h2 #add-category-h { (ctx.t("Tambah kategori", "Add a category")) }
            @if !add_errors.is_empty() {
                div.errors role="alert" { p { (ctx.t("Periksa isian yang ditandai di bawah.", "Please check the fields marked below.")) } }
            }
            form.stack method="post" action=(ctx.href("/staf/kategori")) {
                (csrf(staff))
                label for="category-code" { (ctx.t("Kode", "Code")) }
                p.hint #category-code-hint { (ctx.t("Huruf kecil, angka dan tanda hubung, misalnya kesehatan-gigi. Tidak dapat diubah kemudian.", "Lower-case letters, digits and hyphens, for example kesehatan-gigi. It cannot be changed later.")) }
                (beside(add_errors, "code", "category-code-error"))
                @let code_bad = add_errors.iter().any(|(f, _)| f == "code");
                input #category-code name="code" value=(add_value("code")) required aria-invalid=[code_bad.then_some("true")]
                    aria-describedby=(if code_bad { "category-code-hint category-code-error" } else { "category-code-hint" });
                label for="category-parent" { (ctx.t("Topik induk", "Parent topic")) }
                (beside(add_errors, "parent", "category-parent-error"))
                @let parent_bad = add_errors.iter().any(|(f, _)| f == "parent");
                select #category-parent name="parent" aria-invalid=[parent_bad.then_some("true")] aria-describedby=[parent_bad.then_some("category-parent-error")] {
                    option value="" { (ctx.t("(tidak ada: topik baru)", "(none: a new topic)")) }
                    @for t in topics.iter().filter(|t| t.retired_at.is_none()) {
                        option value=(t.code) selected[chosen_parent == t.code] { (Typed(t.name(ctx.lang))) " (" (Typed(&t.code)) ")" }
                    }
                }
                (text_field(add_errors, "category-name-id", "name_id", ctx.t("Nama (Bahasa Indonesia)", "Name (Indonesian)"), &add_value("name_id"), true))
                (text_field(add_errors, "category-name-en", "name_en", ctx.t("Nama (Inggris)", "Name (English)"), &add_value("name_en"), true))
                button type="submit" { (ctx.t("Tambah kategori", "Add category")) }
            }
        }
        h2 { (ctx.t("Topik dan sub-topik", "Topics and sub-topics")) }
        ul.queue.categories {
            @for t in &topics {
                @let subs: Vec<_> = all.iter().filter(|c| c.parent.as_deref() == Some(t.code.as_str())).collect();
                li {
                    @if t.code == selected {
                        (row(t))
                        @if !subs.is_empty() {
                            ul.sub aria-label=(format!("{} {}", ctx.t("Sub-topik", "Sub-topics"), t.name(ctx.lang))) {
                                @for s in subs { li { (row(s)) } }
                            }
                        }
                    } @else {
                        p {
                            a href=(ctx.href(&format!("/staf/kategori?topik={}", t.code))) { strong { (Typed(t.name(ctx.lang))) } }
                            " · " code { (Typed(&t.code)) }
                            @if t.retired_at.is_some() { " · " span.retired { (ctx.t("tidak dipakai", "retired")) } }
                        }
                        @if !subs.is_empty() {
                            p.hint { @for (i, s) in subs.iter().enumerate() { @if i > 0 { ", " } (Typed(&s.code)) } }
                        }
                    }
                }
            }
        }
    };
    Ok(page(ctx, status, document(ctx, Some(staff), ctx.t("Kategori", "Categories"), Screen::Categories, content)))
}

fn category_post(ctx: &Ctx, route: Web, staff: &Staff, raw_code: &str, form: &[(String, String)], now: &str) -> Result<Response, ApiError> {
    use lapor_domain::codes::CategoryCode;
    use lapor_domain::command::{AddCategory, ChangeCategory};
    let lang = ctx.lang;
    let principal = &staff.principal;
    intake::require_intake(principal, lang)?;
    let values: Vec<(String, String)> = form.iter().filter(|(k, _)| k != CSRF_FIELD).cloned().collect();
    let body = from_form(form, &[], &[CSRF_FIELD]);
    let db = Db::open()?;
    let (form_name, result) = match route {
        Web::StaffAddCategory => {
            let result = match AddCategory::parse(&body) {
                Err(e) => Err((422, field_errors(ctx, &e))),
                Ok(c) => match categories::add(&db, principal, &c, now, lang) {
                    Ok(added) => Ok(added.code),
                    // The code exists: said beside the code field.
                    Err(ApiError::Problem(p, _)) if p.status == 409 => Err((409, vec![("code".to_string(), p.detail.clone())])),
                    Err(e) => Err((422, field_errors_of(e)?)),
                },
            };
            ("add".to_string(), result)
        }
        _ => {
            let code = CategoryCode::parse("code", raw_code).map_err(|_| ApiError::not_found(lang))?;
            let change = match route {
                Web::StaffRenameCategory => ChangeCategory::parse(&body).map_err(|e| (422, field_errors(ctx, &e))),
                Web::StaffRetireCategory => Ok(ChangeCategory { name_id: None, name_en: None, retired: Some(true) }),
                _ => Ok(ChangeCategory { name_id: None, name_en: None, retired: Some(false) }),
            };
            let result = match change {
                Ok(change) => match categories::change(&db, principal, &code, &change, now, lang) {
                    Ok(_) => Ok(code.as_str().to_string()),
                    Err(e) => Err((422, field_errors_of(e)?)),
                },
                Err(errors) => Err(errors),
            };
            (code.as_str().to_string(), result)
        }
    };
    // Back to the topic the category belongs to, its forms open.
    let topic = match &result {
        Ok(code) => lapor_platform::categories::find(&db, code)?.map(|c| c.parent.unwrap_or(c.code)).unwrap_or_default(),
        Err(_) => String::new(),
    };
    drop(db);
    match result {
        Ok(code) => {
            let flash = match route {
                Web::StaffAddCategory => Flash::new(format!("Kategori {code} ditambahkan."), format!("Category {code} added.")),
                Web::StaffRenameCategory => Flash::new(format!("Nama kategori {code} diubah."), format!("Category {code} renamed.")),
                Web::StaffRetireCategory => Flash::new(format!("Kategori {code} tidak dipakai lagi untuk laporan baru."), format!("Category {code} is retired for new reports.")),
                _ => Flash::new(format!("Kategori {code} dipakai lagi."), format!("Category {code} is restored.")),
            };
            done(ctx, staff, &format!("/staf/kategori?topik={topic}"), flash)
        }
        Err((status, errors)) => categories_page(ctx, staff, None, Some((status, None, Some(Refused { form: form_name, errors, values })))),
    }
}

/// The agency an embed screen names: by code, else the directory's
/// matches of the words typed.
enum Chosen {
    None,
    Agency(lapor_platform::store::AgencyRow),
    Matches(Vec<lapor_platform::store::AgencyRow>),
}

fn choose_agency(db: &Db, raw: &str, lang: lapor_domain::lang::Lang) -> Result<Chosen, ApiError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(Chosen::None);
    }
    if let Ok(agency) = lapor_actions::embeds::agency(db, raw, lang) {
        return Ok(Chosen::Agency(agency));
    }
    let words = match lapor_platform::request::search_words(lang, raw) {
        Ok(words) => words,
        Err(_) => return Ok(Chosen::Matches(Vec::new())),
    };
    let filter = lapor_platform::store::AgencyFilter { words, ..Default::default() };
    Ok(Chosen::Matches(store::list_agencies(db, &filter, 20)?))
}

/// `/staf/embed?agency=`: an agency's allowed embed origins, the snippet
/// for its website, and the form replacing the list.
fn embed_page(ctx: &Ctx, request: &ApiRequest, staff: &Staff, raw_agency: &str, refused: Option<(u16, Refused)>) -> Result<Response, ApiError> {
    let lang = ctx.lang;
    intake::require_intake(&staff.principal, lang)?;
    let db = Db::open()?;
    let chosen = choose_agency(&db, raw_agency, lang)?;
    let (mut status, refused) = match refused { Some((s, r)) => (s, Some(r)), None => (200, None) };
    if matches!(&chosen, Chosen::Matches(m) if m.is_empty()) {
        status = 404;
    }
    let site = super::site_origin(request);
    let current = match &chosen {
        Chosen::Agency(agency) => Some(lapor_actions::embeds::origins(&db, &staff.principal, &agency.code, lang)?.1),
        _ => None,
    };
    drop(db);
    let errors = errs_for(refused.as_ref(), "origins");
    let content = html! {
        h1 { (ctx.t("Sematan di situs instansi", "Embeds on agency websites")) }
        p { (ctx.t(
            "Sebuah instansi memasang formulir laporan di situsnya dengan satu baris kode. Di sini Anda menentukan situs mana yang boleh menampilkannya.",
            "An agency puts the report form on its website with one line of code. Here you choose which websites may show it.",
        )) }
        form.stack method="get" action="/staf/embed" {
            @if ctx.lang_in_address { input type="hidden" name="lang" value=(ctx.lang.tag()); }
            label for="embed-agency" { (ctx.t("Instansi (kode atau kata pencarian)", "Agency (code or search words)")) }
            input #embed-agency type="search" name="agency" value=(raw_agency.trim()) required aria-describedby="embed-agency-hint";
            p.hint #embed-agency-hint { (ctx.t("Misalnya pemkot-32.73 atau \"kota bandung\".", "For example pemkot-32.73 or \"kota bandung\".")) }
            button type="submit" { (ctx.t("Cari", "Search")) }
        }
        @match &chosen {
            Chosen::None => {}
            Chosen::Matches(matches) => {
                @if matches.is_empty() {
                    div.errors role="alert" { p { (ctx.t("Tidak ada instansi yang cocok di direktori.", "No agency in the directory matches.")) } }
                } @else {
                    h2 { (ctx.t("Pilih instansi", "Choose an agency")) }
                    ul {
                        @for a in matches {
                            li { a href=(ctx.href(&format!("/staf/embed?agency={}", a.code))) { (Typed(&a.name)) } " · " code { (Typed(&a.code)) } }
                        }
                    }
                }
            }
            Chosen::Agency(agency) => {
                @let view = current.as_ref().expect("the agency's origins");
                h2 { (Typed(&agency.name)) " · " code { (Typed(&agency.code)) } }
                h3 { (ctx.t("Situs yang diizinkan", "Allowed websites")) }
                @if view.origins.is_empty() {
                    p { (ctx.t("Semua situs boleh menyematkan formulir instansi ini.", "Any website may embed this agency's form.")) }
                } @else {
                    ul { @for o in &view.origins { li { code { (Typed(o)) } } } }
                }
                h3 { (ctx.t("Kode untuk situs instansi", "Code for the agency's website")) }
                p #snippet-hint { (ctx.t("Salin baris ini ke halaman situs instansi:", "Copy this line into a page of the agency's website:")) }
                pre.snippet aria-describedby="snippet-hint" {
                    code { (format!("<script src=\"{site}/embed.js\" data-agency=\"{}\" async></script>", agency.code)) }
                }
                h3 { (ctx.t("Ganti daftar situs", "Replace the list")) }
                @if !errors.is_empty() {
                    div.errors role="alert" { p { (ctx.t("Daftar tidak disimpan: periksa baris yang disebut di bawah.", "The list was not saved: check the lines named below.")) } }
                }
                form.stack method="post" action=(ctx.href(&format!("/staf/embed/{}", agency.code))) {
                    (csrf(staff))
                    label for="origins" { (ctx.t("Origin yang diizinkan, satu per baris", "Allowed origins, one per line")) }
                    p.hint #origins-hint { (ctx.t(
                        "Misalnya https://bandung.go.id (skema dan nama host, tanpa jalur). Kosongkan agar semua situs boleh.",
                        "For example https://bandung.go.id (scheme and host name, no path). Leave it empty to allow any website.",
                    )) }
                    (beside(errors, "origins", "origins-error"))
                    @let raw = refused.as_ref().and_then(|r| r.value("origins", "origins").map(str::to_string)).unwrap_or_else(|| view.origins.join("\n"));
                    textarea #origins name="origins" rows="6" aria-invalid=[(!errors.is_empty()).then_some("true")]
                        aria-describedby=(if errors.is_empty() { "origins-hint" } else { "origins-hint origins-error" }) { (raw) }
                    button type="submit" { (ctx.t("Simpan daftar", "Save the list")) }
                }
            }
        }
    };
    Ok(page(ctx, status, document(ctx, Some(staff), ctx.t("Sematan", "Embeds"), Screen::Embeds, content)))
}

/// `POST /staf/embed/{agency} {origins}`: one origin per line, parsed as the
/// API's `{"origins": [...]}`; a refused line is named by its number.
fn embed_post(ctx: &Ctx, request: &ApiRequest, staff: &Staff, raw_agency: &str, form: &[(String, String)], now: &str) -> Result<Response, ApiError> {
    use lapor_domain::command::SetEmbedOrigins;
    let lang = ctx.lang;
    intake::require_intake(&staff.principal, lang)?;
    let raw = form.iter().find(|(k, _)| k == "origins").map(|(_, v)| v.clone()).unwrap_or_default();
    // The lines that hold something, with their numbers in the textarea.
    let lines: Vec<(usize, String)> = raw.lines().enumerate().map(|(i, l)| (i + 1, l.trim().to_string())).filter(|(_, l)| !l.is_empty()).collect();
    let mut body = serde_json::Map::new();
    body.insert("origins".into(), serde_json::Value::Array(lines.iter().map(|(_, l)| serde_json::Value::String(l.clone())).collect()));
    let db = Db::open()?;
    let agency = lapor_actions::embeds::agency(&db, raw_agency, lang)?;
    let errors = match SetEmbedOrigins::parse(&body) {
        Ok(command) => match lapor_actions::embeds::set(&db, &staff.principal, &agency.code, &command, now, lang) {
            Ok(view) => {
                drop(db);
                let flash = if view.origins.is_empty() {
                    Flash::new(format!("Semua situs kini boleh menyematkan formulir {}.", agency.code), format!("Any website may now embed the form of {}.", agency.code))
                } else {
                    Flash::new(format!("Daftar situs {} disimpan ({} origin).", agency.code, view.origins.len()), format!("The list of {} is saved ({} origins).", agency.code, view.origins.len()))
                };
                return done(ctx, staff, &format!("/staf/embed?agency={}", agency.code), flash);
            }
            Err(e) => field_errors_of(e)?,
        },
        Err(invalid) => field_errors(ctx, &invalid),
    };
    drop(db);
    // `origins[i]` is the i-th line that holds something: named by its number and text.
    let errors = errors
        .into_iter()
        .map(|(field, message)| {
            let line = field.strip_prefix("origins[").and_then(|r| r.strip_suffix(']')).and_then(|i| i.parse::<usize>().ok()).and_then(|i| lines.get(i));
            let message = match line {
                Some((n, text)) => format!("{} {n} ({text}): {message}", ctx.t("Baris", "Line")),
                None => message,
            };
            ("origins".to_string(), message)
        })
        .collect();
    let refused = Refused { form: "origins".into(), errors, values: vec![("origins".into(), raw)] };
    embed_page(ctx, request, staff, &agency.code, Some((422, refused)))
}

/// `/staf/notifikasi?cursor=`: the dead letter (addresses masked), oldest
/// first, each with "send again".
fn dead_letter_page(ctx: &Ctx, request: &ApiRequest, staff: &Staff, notice: Option<(u16, Notice)>) -> Result<Response, ApiError> {
    let lang = ctx.lang;
    intake::require_intake(&staff.principal, lang)?;
    let after = paging::row_cursor(request)?;
    let db = Db::open()?;
    let mut items = lapor_actions::notifications::dead_letters(&db, &staff.principal, after, PAGE + 1, lang)?;
    let next = paging::next_page(&mut items, PAGE, |row| paging::row_cursor_of(row.id));
    drop(db);
    let (status, notice) = match notice { Some((s, n)) => (s, Some(n)), None => (200, None) };
    let content = html! {
        @if let Some(n) = &notice { (pages::notice(n)) }
        h1 { (ctx.t("Pemberitahuan gagal terkirim", "Undelivered notifications")) }
        p { (ctx.t(
            "Pemberitahuan yang tetap gagal setelah semua percobaan. Alamat disamarkan. Kirim ulang setelah penyebabnya diperbaiki (misalnya penyedia sudah dikonfigurasi); kode masuk tidak pernah dikirim ulang.",
            "Notifications that still failed after every attempt. Addresses are masked. Send one again once the cause is fixed (for example a provider is configured); sign-in codes are never re-sent.",
        )) }
        @if items.is_empty() { p.muted { (ctx.t("Tidak ada pemberitahuan yang gagal.", "No undelivered notifications.")) } }
        ol.queue {
            @for item in &items {
                li {
                    p {
                        strong { "#" (item.id) } " · " (item.kind.as_str())
                        @if let Some(event) = &item.event { " · " (Typed(event)) }
                        @if let Some(report) = &item.report { " · " (ctx.t("laporan", "report")) " " (Typed(report)) }
                    }
                    p {
                        (item.channel.unwrap_or("-")) " · " (Typed(&item.address))
                        " · " (ctx.t("percobaan", "attempts")) " " (item.attempts.unwrap_or(0))
                        @if let Some(at) = &item.created_at { span.due { (ctx.t("Dibuat", "Created")) " " (when(ctx, at, TimeZone::Wib)) } }
                        @if let Some(error) = &item.last_error { span.due { (ctx.t("Galat terakhir", "Last error")) ": " (Typed(error)) } }
                    }
                    form.inline method="post" action=(ctx.href(&format!("/staf/notifikasi/{}/kirim-ulang", item.id))) {
                        (csrf(staff))
                        button type="submit" aria-label=(format!("{} #{}", ctx.t("Kirim ulang", "Send again"), item.id)) { (ctx.t("Kirim ulang", "Send again")) }
                    }
                }
            }
        }
        @if let Some(next) = next {
            p { a href=(ctx.href(&format!("/staf/notifikasi?cursor={next}"))) { (ctx.t("Halaman berikutnya", "Next page")) } }
        }
    };
    Ok(page(ctx, status, document(ctx, Some(staff), ctx.t("Pemberitahuan gagal", "Undelivered notifications"), Screen::DeadLetter, content)))
}

fn requeue_post(ctx: &Ctx, staff: &Staff, raw_id: &str, now: &str) -> Result<Response, ApiError> {
    let lang = ctx.lang;
    intake::require_intake(&staff.principal, lang)?;
    let id: i64 = raw_id.trim().parse().map_err(|_| ApiError::not_found(lang))?;
    let db = Db::open()?;
    let result = lapor_actions::notifications::requeue(&db, &staff.principal, id, now, lang);
    drop(db);
    match result {
        Ok(_) => done(ctx, staff, "/staf/notifikasi", Flash::new(format!("Pemberitahuan #{id} kembali ke antrean pengiriman."), format!("Notification #{id} is back in the delivery queue."))),
        Err(ApiError::Problem(problem, _)) if problem.status == 409 => {
            let notice = Notice { heading: ctx.t("Tidak dikirim ulang", "Not sent again").to_string(), text: problem.detail.clone(), errors: Vec::new() };
            dead_letter_page(ctx, &empty_request(), staff, Some((409, notice)))
        }
        Err(e) => Err(e),
    }
}
