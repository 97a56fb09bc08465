// The time page's "Log time" form carries a key made by the server when it showed the form
// (client_id): the same key sent twice logs the time once. Going Back to a page the form was
// already sent from may fetch the page again, with a new key; so the key is kept with the
// history entry (history.state), and a page shown again for that entry sends the key it had
// the first time. A new visit (a link, a reload of a new page) keeps the new key.
(function () {
  "use strict";

  var input = document.querySelector("#time-log-form input[name=client_id]");
  if (!input || !window.history || typeof window.history.replaceState !== "function") return;

  var state = window.history.state;
  var kept = state && typeof state === "object" ? state.timeLogKey : null;
  if (kept) {
    input.value = kept;
  } else if (input.value) {
    var next = Object.assign({}, state && typeof state === "object" ? state : {}, { timeLogKey: input.value });
    window.history.replaceState(next, "");
  }
})();
