// "Back to results" on an initiative's page, for a reader who came from a list of this site:
// the link leads back to the exact view they left (filters, search, sort, page). Without
// JavaScript, or when they came from elsewhere, the link stays hidden and Back does the same.
(() => {
  const back = document.querySelector("[data-back-to-results]");
  if (!back || !document.referrer) return;
  const from = new URL(document.referrer);
  const list = /^(\/fr)?\/(initiatives|countries\/[a-z]{2}|sectors\/[\w-]+|networks\/[\w-]+|facilitators\/[\w-]+)\/$/;
  if (from.origin !== location.origin || !list.test(from.pathname)) return;
  back.querySelector("a").href = from.pathname + from.search;
  back.hidden = false;
})();
