/* LAPOR! embed: <script src="https://<host>/embed.js" data-agency="<code>" async></script>
   Inserts an iframe with the report form aimed at that agency (and, with
   data-badge="true", the agency's response figures). No dependencies; the
   iframe tells its height through postMessage, and each side accepts
   messages only from the other's origin. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !script.src) return;
  var app = new URL(script.src).origin;
  var agency = script.getAttribute("data-agency") || "";
  var lang = script.getAttribute("data-lang") === "en" ? "en" : "id";
  if (!/^[a-z0-9.\-]{2,64}$/.test(agency)) return;
  var box = document.createElement("div");
  box.className = "lapor-embed";
  var frame = document.createElement("iframe");
  var address = app + "/embed/" + encodeURIComponent(agency) + "?lang=" + lang + "&parent=" + encodeURIComponent(location.origin);
  frame.src = address;
  frame.title = lang === "en" ? "File a report with LAPOR!" : "Buat laporan melalui LAPOR!";
  frame.loading = "lazy";
  frame.style.cssText = "width:100%;border:0;min-height:480px;display:block";
  frame.setAttribute("referrerpolicy", "strict-origin");
  box.appendChild(frame);
  if (script.getAttribute("data-badge") === "true") {
    var badge = document.createElement("p");
    badge.className = "lapor-embed-badge";
    box.insertBefore(badge, frame);
    fetch(app + "/api/v1/agencies/" + encodeURIComponent(agency) + "/figures", { credentials: "omit" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (f) {
        if (!f) return;
        var share = f.responded_percent === null ? "-" : f.responded_percent + "%";
        badge.textContent = lang === "en"
          ? f.name + ": " + f.responded + " of " + f.received + " reports answered (" + share + ")"
          : f.name + ": " + f.responded + " dari " + f.received + " laporan ditanggapi (" + share + ")";
      })
      .catch(function () {});
  }
  window.addEventListener("message", function (event) {
    if (event.origin !== app || event.source !== frame.contentWindow) return;
    var data = event.data;
    if (data && data.type === "lapor:height" && typeof data.height === "number" && data.height > 0 && data.height < 20000) {
      frame.style.height = Math.ceil(data.height) + "px";
    }
  });
  frame.addEventListener("load", function () {
    frame.contentWindow.postMessage({ type: "lapor:hello" }, app);
  });
  script.parentNode.insertBefore(box, script.nextSibling);
})();
