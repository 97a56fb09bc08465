// Clip page (templates/clips/detail.html): each comment's time seeks the video; "Use current
// time" fills the comment's time from the video. Works after HTMX swaps (delegated events).
(function () {
  "use strict";
  function video() { return document.getElementById("clip-video"); }
  function label(seconds) {
    var whole = Math.floor(seconds);
    var s = whole % 60;
    return Math.floor(whole / 60) + ":" + (s < 10 ? "0" : "") + s;
  }
  document.addEventListener("click", function (event) {
    var seek = event.target.closest(".clip-seek");
    if (seek) {
      var v = video();
      if (!v) return;
      v.currentTime = parseFloat(seek.dataset.seek) || 0;
      v.focus();
      var playing = v.play();
      if (playing && playing.catch) playing.catch(function () {});
      return;
    }
    if (event.target.closest("#clip-use-time")) {
      var player = video();
      var input = document.getElementById("id_at");
      if (player && input) { input.value = label(player.currentTime || 0); input.focus(); }
    }
  });
})();
