// The report form's enhancements; the form works fully without them.
// - a live character count under every textarea[data-count] (its maximum);
// - a copy button beside every [data-copy] (the tracking ID, the token);
// - focus on the error summary when the form came back with errors.
(function () {
  'use strict';
  var en = document.documentElement.lang === 'en';
  function text(id, english) { return en ? english : id; }

  Array.prototype.forEach.call(document.querySelectorAll('textarea[data-count]'), function (area) {
    var max = parseInt(area.getAttribute('data-count'), 10);
    var out = document.createElement('p');
    out.className = 'count';
    out.id = area.id + '-count';
    out.setAttribute('aria-live', 'polite');
    area.parentNode.insertBefore(out, area.nextSibling);
    var described = area.getAttribute('aria-describedby');
    area.setAttribute('aria-describedby', (described ? described + ' ' : '') + out.id);
    function update() {
      // Count characters as the server does (code points, not UTF-16 units).
      var n = Array.from(area.value).length;
      out.textContent = n + ' / ' + max + ' ' + text('karakter', 'characters');
      out.classList.toggle('over', n > max);
    }
    area.addEventListener('input', update);
    update();
  });

  if (navigator.clipboard) {
    Array.prototype.forEach.call(document.querySelectorAll('[data-copy]'), function (el) {
      var button = document.createElement('button');
      button.type = 'button';
      button.className = 'copy';
      button.textContent = text('Salin', 'Copy');
      var status = document.createElement('span');
      status.setAttribute('role', 'status');
      status.className = 'copied';
      button.addEventListener('click', function () {
        navigator.clipboard.writeText(el.textContent.trim()).then(function () {
          status.textContent = text('Tersalin', 'Copied');
        });
      });
      el.parentNode.appendChild(document.createTextNode(' '));
      el.parentNode.appendChild(button);
      el.parentNode.appendChild(status);
    });
  }

  var summary = document.getElementById('ringkasan');
  if (summary) summary.focus();
})();
