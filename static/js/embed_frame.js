// In an embedded list (templates/embeds/embed.html): tell the page that frames it how tall it
// is, whenever that changes, so that its loader (static/js/embed.js) shows it whole. The
// height is no secret: any page may hear it.
(function () {
  "use strict";
  if (window.parent === window || !window.ResizeObserver) {
    return;
  }
  var page = document.documentElement;
  var posted = 0;
  new ResizeObserver(function () {
    var height = Math.ceil(page.getBoundingClientRect().height);
    if (height !== posted) {
      posted = height;
      window.parent.postMessage({ probonoEmbedHeight: height }, "*");
    }
  }).observe(page);
})();
