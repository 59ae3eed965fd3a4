// Shows a list of Pro Bono Directory on a partner's page, where it is pasted as
//   <script src="https://<directory>/static/js/embed.js" data-partner="<slug>"
//           data-view="?country=pt&sector=legal" data-theme="dark" async></script>
// It inserts the list's iframe after itself, and sets the iframe's height to the list's, which
// the list posts (static/js/embed_frame.js); only the directory's own iframe is listened to.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !script.dataset.partner) {
    return;
  }
  var directory = new URL(script.src).origin;
  var language = /^[a-z]{2}$/.test(script.dataset.lang || "") ? "/" + script.dataset.lang : "";
  var src = new URL(language + "/embed/" + encodeURIComponent(script.dataset.partner) + "/", directory);
  src.search = script.dataset.view || "";
  if (script.dataset.theme) {
    src.searchParams.set("theme", script.dataset.theme);
  }
  var frame = document.createElement("iframe");
  frame.src = src.href;
  frame.title = script.dataset.title || "Pro bono initiatives";
  frame.loading = "lazy";
  frame.style.width = "100%";
  frame.style.height = "24rem";
  frame.style.border = "0";
  script.parentNode.insertBefore(frame, script.nextSibling);

  window.addEventListener("message", function (event) {
    if (event.origin !== directory || event.source !== frame.contentWindow) {
      return;
    }
    var height = event.data && event.data.probonoEmbedHeight;
    if (typeof height === "number" && height > 0 && height < 100000) {
      frame.style.height = Math.ceil(height) + "px";
    }
  });
})();
