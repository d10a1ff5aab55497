// Login and register pages: the SMS button's countdown and the captcha refresh.
(function () {
  "use strict";

  function countdown(button, seconds) {
    if (button.dataset.counting) return;
    var label = button.dataset.label || button.textContent;
    var template = button.dataset.waitText || "%s s";
    var left = seconds;
    button.dataset.label = label;
    button.dataset.counting = "1";
    (function tick() {
      if (left <= 0) {
        button.disabled = false;
        button.textContent = label;
        delete button.dataset.counting;
        return;
      }
      // htmx re-enables the button after its request; keep it disabled while counting.
      button.disabled = true;
      button.textContent = template.replace("%s", left);
      left -= 1;
      setTimeout(tick, 1000);
    })();
  }

  document.body.addEventListener("pm:sms-countdown", function (event) {
    var button = event.target.closest ? event.target.closest("[data-sms-button]") : null;
    var detail = event.detail || {};
    var seconds = parseInt(detail.seconds || (detail.value && detail.value.seconds) || 60, 10);
    if (button) countdown(button, seconds);
  });

  document.addEventListener("click", function (event) {
    var image = event.target.closest && event.target.closest("[data-captcha]");
    if (image) image.src = image.dataset.src + "?t=" + Date.now();
  });
})();
