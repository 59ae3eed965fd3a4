// Progressive enhancement for the finder. Without JavaScript the form submits and the chips and
// page links load pages, as they always do. With it, the results and facets follow the filters in
// place: the same URL, asked with `X-Requested-With: finder`, returns only the finder's fragment
// (after the server's redirect to the canonical URL, which goes in the address bar).
(() => {
  const live = document.getElementById("results-summary");
  let finder = document.querySelector("[data-finder]");
  if (!finder || !live) return;

  const here = (url) => url.pathname + url.search;
  // What each visited URL showed, so that Back and Forward restore it exactly and at once.
  const views = new Map([[here(location), finder.cloneNode(true)]]);
  let shown = here(location);
  let pending = null;

  function showCopyButton() {
    const button = finder.querySelector("[data-copy-link]");
    if (button && navigator.clipboard) button.hidden = false;
  }

  function show(view, { focusResults = false } = {}) {
    const next = view.cloneNode(true);
    const hadFocus = finder.contains(document.activeElement);
    const focused = hadFocus && !focusResults && document.activeElement.id;
    // The sentence is the page's heading and the start of its title.
    const { title, sentence } = finder.dataset;
    if (document.title.startsWith(title)) {
      document.title = next.dataset.title + document.title.slice(title.length);
    }
    document.querySelectorAll("h1, h2").forEach((heading) => {
      if (heading.textContent === sentence) heading.textContent = next.dataset.sentence;
    });
    // The language switcher keeps the filters shown, e.g. /fr/initiatives/?country=be.
    document.querySelectorAll("a[data-language]").forEach((link) => {
      const code = link.dataset.language;
      link.href = next.dataset[`url${code[0].toUpperCase()}${code.slice(1)}`] ?? link.href;
    });
    finder.replaceWith(next);
    finder = next;
    live.textContent = next.dataset.sentence;
    showCopyButton();
    const again = focused && document.getElementById(focused);
    if (again && !again.disabled) {
      again.focus();
    } else if (hadFocus || focusResults) {
      const results = document.getElementById("results");
      results.focus();
      if (focusResults) results.scrollIntoView({ block: "start" });
    }
  }

  async function load(url, { push = true, focusResults = false } = {}) {
    pending?.abort();
    const request = (pending = new AbortController());
    finder.setAttribute("aria-busy", "true");
    let response, html;
    try {
      response = await fetch(url, {
        headers: { "X-Requested-With": "finder" },
        // Kept out of the HTTP cache: Chrome would show the fragment when Back leads to its URL.
        cache: "no-store",
        signal: request.signal,
      });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      html = await response.text();
    } catch (error) {
      if (error.name !== "AbortError") location.assign(url);
      return;
    }
    const template = document.createElement("template");
    template.innerHTML = html;
    const view = template.content.querySelector("[data-finder]");
    if (!view) {
      location.assign(url);
      return;
    }
    const canonical = new URL(response.url);
    views.set(here(canonical), view);
    if (push) history.pushState(null, "", canonical);
    shown = here(canonical);
    show(view, { focusResults });
  }

  function submit(form) {
    const url = new URL(form.action);
    url.search = new URLSearchParams(new FormData(form));
    load(url);
  }

  document.addEventListener("change", (event) => {
    const control = event.target;
    if (!finder.contains(control)) return;
    if (control.type === "checkbox" || control.tagName === "SELECT") submit(control.form);
  });

  document.addEventListener("submit", (event) => {
    if (!finder.contains(event.target)) return;
    event.preventDefault();
    submit(event.target);
  });

  document.addEventListener("click", (event) => {
    const link = event.target.closest(".chips--active a, .pagination a, .facet__toggle a");
    if (!link || !finder.contains(link)) return;
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) {
      return;
    }
    event.preventDefault();
    // "Show all" keeps the focus on its link, which then reads "Show fewer".
    load(new URL(link.href), { focusResults: !link.closest(".facet__toggle") });
  });

  document.addEventListener("click", async (event) => {
    const button = event.target.closest("[data-copy-link]");
    if (!button) return;
    await navigator.clipboard.writeText(button.dataset.copyLink);
    button.dataset.label ??= button.textContent;
    button.textContent = button.dataset.copiedLabel;
    setTimeout(() => { button.textContent = button.dataset.label; }, 2000);
  });

  window.addEventListener("popstate", () => {
    // A jump to #results is a history entry too, but not a new view.
    if (here(location) === shown) return;
    shown = here(location);
    const view = views.get(shown);
    if (view) {
      pending?.abort();
      show(view);
    } else {
      load(new URL(location.href), { push: false });
    }
  });

  showCopyButton();
})();
