// Copy buttons: <button data-copy="INPUT_ID"> copies that input's value; a polite live region
// ([data-copy-status]) says what happened. Without the clipboard API the text is selected instead.
(function () {
  "use strict";
  function say(text) {
    var status = document.querySelector("[data-copy-status]");
    if (status) status.textContent = text;
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy]");
    if (!button) return;
    var input = document.getElementById(button.getAttribute("data-copy"));
    if (!input) return;
    input.focus();
    input.select();
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(input.value).then(
        function () { say("Link copied."); },
        function () { say("Could not copy: the link is selected, copy it by hand."); }
      );
    } else {
      say("The link is selected: copy it by hand.");
    }
  });
})();
