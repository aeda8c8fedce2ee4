/* Inside the embed iframe: tell the embedding page our height, only ever to
   the origin the server checked (data-parent-origin), and answer its
   "hello" only when it comes from that origin. */
(function () {
  "use strict";
  var parentOrigin = document.documentElement.getAttribute("data-parent-origin");
  if (!parentOrigin || window.parent === window) return;
  function tell() {
    window.parent.postMessage({ type: "lapor:height", height: document.documentElement.scrollHeight }, parentOrigin);
  }
  window.addEventListener("message", function (event) {
    if (event.origin === parentOrigin && event.source === window.parent && event.data && event.data.type === "lapor:hello") tell();
  });
  if (window.ResizeObserver) new ResizeObserver(tell).observe(document.body);
  window.addEventListener("load", tell);
  tell();
})();
