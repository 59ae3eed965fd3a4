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

  const wide = window.matchMedia("(min-width: 52rem)");

  // What the server cannot know or render: the width, the clipboard, what the reader opened.
  function enhance(previous) {
    const button = finder.querySelector("[data-copy-link]");
    if (button && navigator.clipboard) button.hidden = false;
    finder.querySelectorAll("[data-count-label]").forEach((submit) => {
      submit.textContent = submit.dataset.countLabel;
    });
    finder.querySelectorAll("details[id]").forEach((details) => {
      const before = previous && previous.querySelector(`details[id="${details.id}"]`);
      if (before) details.open = before.open;
    });
    const panel = finder.querySelector("[data-filters]");
    if (panel && wide.matches) panel.open = true;
    finder.querySelectorAll("[data-facet-search]").forEach((search) => {
      search.closest(".facet__search").hidden = false;
      const before = previous && previous.querySelector(`#${search.id}`);
      if (before && before.value) {
        search.value = before.value;
        findOptions(search);
      }
    });
  }

  const folded = (text) => text.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();

  // A long facet's search box: the options whose name has the words typed, or the short list.
  function findOptions(search) {
    const words = folded(search.value.trim());
    search.closest(".facet").querySelectorAll(".facet__options li").forEach((item) => {
      item.dataset.short ??= item.hidden ? "hidden" : "shown";
      const checked = item.querySelector("input").checked;
      if (!words) item.hidden = item.dataset.short === "hidden" && !checked;
      else item.hidden = !checked && !folded(item.textContent).includes(words);
    });
  }

  function show(view, { focusResults = false, closePanel = false } = {}) {
    const next = view.cloneNode(true);
    const hadFocus = finder.contains(document.activeElement);
    const focused = hadFocus && !focusResults && document.activeElement.id;
    // The control the reader touched stays where it was on the screen.
    const anchor = focused && document.getElementById(focused);
    const anchorTop = anchor && anchor.getBoundingClientRect().top;
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
    const previous = finder;
    finder.replaceWith(next);
    finder = next;
    enhance(previous);
    if (closePanel && !wide.matches) finder.querySelector("[data-filters]").open = false;
    live.textContent = next.dataset.sentence;
    const again = focused && document.getElementById(focused);
    if (again) {
      again.focus({ preventScroll: true });
      window.scrollBy(0, again.getBoundingClientRect().top - anchorTop);
    } else if (hadFocus || focusResults) {
      const results = document.getElementById("results");
      results.focus();
      if (focusResults) results.scrollIntoView({ block: "start" });
    }
  }

  async function load(url, { push = true, focusResults = false, closePanel = false } = {}) {
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
    show(view, { focusResults, closePanel });
  }

  function submit(form, options) {
    const url = new URL(form.action);
    url.search = new URLSearchParams(new FormData(form));
    load(url, options);
  }

  document.addEventListener("change", (event) => {
    const control = event.target;
    if (!finder.contains(control)) return;
    if (control.type === "checkbox" || control.tagName === "SELECT") submit(control.form);
  });

  document.addEventListener("submit", (event) => {
    if (!finder.contains(event.target)) return;
    event.preventDefault();
    // "Show results" leads to them, on a phone past the folded filters; Enter in the search box
    // leaves the reader there, to refine the words.
    const pressed = event.submitter && event.submitter === document.activeElement;
    submit(event.target, { focusResults: pressed, closePanel: pressed });
  });

  document.addEventListener("input", (event) => {
    if (event.target.matches("[data-facet-search]") && finder.contains(event.target)) {
      findOptions(event.target);
    }
  });

  wide.addEventListener("change", () => {
    const panel = finder.querySelector("[data-filters]");
    if (panel && wide.matches) panel.open = true;
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

  enhance(null);
})();
