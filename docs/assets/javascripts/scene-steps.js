// The steps of an animation (figures_src/embed.py writes them from its chapters track):
// "Step k of N: title" follows the video as it plays, and each step's button plays from there.
// Without this script the step list stays hidden; the video, its captions and its transcript
// work without it.
function setUpSceneSteps() {
  document.querySelectorAll("nav.sav-steps[data-video]").forEach(function (nav) {
    if (nav.dataset.ready) return;
    var video = document.getElementById(nav.dataset.video);
    if (!video) return;
    nav.dataset.ready = "1";
    var now = nav.querySelector(".sav-steps__now");
    var buttons = Array.prototype.slice.call(nav.querySelectorAll("button[data-start]"));
    var starts = buttons.map(function (b) { return parseFloat(b.dataset.start); });
    var shown = -1;
    var pending = false;  // a jump waiting for its part of the video: the old time must not show meanwhile

    function show(k) {
      if (k === shown) return;
      shown = k;
      buttons.forEach(function (b, i) {
        if (i === k) b.setAttribute("aria-current", "step");
        else b.removeAttribute("aria-current");
      });
      now.textContent = "Step " + (k + 1) + " of " + buttons.length + ": " +
        buttons[k].textContent.replace(/^\s*\d+\s*/, "");
    }

    function stepAt(t) {
      var k = 0;
      for (var i = 0; i < starts.length; i++) if (t + 0.001 >= starts[i]) k = i;
      return k;
    }

    // Seek to t once the video can go there. A server without range requests (`mkdocs serve`,
    // `python -m http.server`) lets the browser seek only within what it has downloaded, and
    // sometimes not even there once the whole file has arrived: then play the downloaded file
    // from memory (a blob: URL is always seekable). Try on each download event and, as the
    // last of those is not always sent, every 250 ms.
    var retry = null;
    var fromMemory = false;
    function seekTo(t) {
      function canGo() {
        for (var r = 0; r < video.seekable.length; r++) {
          if (video.seekable.start(r) <= t && t <= video.seekable.end(r)) return true;
        }
        return false;
      }
      function stop() {
        clearInterval(retry);
        ["progress", "canplaythrough", "suspend"].forEach(function (e) { video.removeEventListener(e, go); });
      }
      function playFromMemory() {
        fromMemory = true;
        fetch(video.currentSrc)
          .then(function (r) { return r.blob(); })
          .then(function (blob) { video.src = URL.createObjectURL(blob); video.load(); })
          .catch(function () { stop(); pending = false; });
      }
      function go() {
        if (!canGo()) {
          var downloaded = video.networkState === video.NETWORK_IDLE && video.readyState >= video.HAVE_ENOUGH_DATA;
          if (downloaded && !fromMemory && video.currentSrc.indexOf("blob:") !== 0) playFromMemory();
          return false;
        }
        stop();
        pending = false;
        video.currentTime = t;
        var played = video.play();
        if (played && played.catch) played.catch(function () {});
        return true;
      }
      stop();  // a jump asked for before the last one arrived replaces it
      if (go()) return;
      video.preload = "auto";  // preload="none" has loaded nothing yet
      ["progress", "canplaythrough", "suspend"].forEach(function (e) { video.addEventListener(e, go); });
      retry = setInterval(go, 250);
      if (video.readyState === 0) video.load();
    }

    buttons.forEach(function (b, i) {
      b.addEventListener("click", function () {
        show(i);
        pending = true;
        seekTo(starts[i] + 0.05);  // just inside the step, so that its own caption shows
      });
    });
    function follow() { if (!pending) show(stepAt(video.currentTime)); }
    video.addEventListener("timeupdate", follow);
    video.addEventListener("seeked", follow);
    show(0);
    nav.hidden = false;
  });
}
if (typeof document$ !== "undefined") {
  document$.subscribe(setUpSceneSteps);
} else {
  document.addEventListener("DOMContentLoaded", setUpSceneSteps);
}
