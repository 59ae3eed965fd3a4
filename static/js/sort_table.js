// Sorts a table marked data-sortable in place: each header's link, which reloads the page
// sorted (?sort=), becomes a button; aria-sort tells which column orders the rows.
(function () {
  "use strict";

  function sortBy(table, header) {
    const key = header.dataset.sortKey;
    const descending = header.dataset.sortDirection === "descending";
    const body = table.tBodies[0];
    const rows = Array.from(body.rows);
    // Equal counts keep the order of names, which the server worked out in the page's language.
    rows.sort(function (a, b) {
      const difference = Number(a.dataset[key]) - Number(b.dataset[key]);
      return (descending ? -difference : difference) || a.dataset.name - b.dataset.name;
    });
    rows.forEach(function (row) {
      body.appendChild(row);
    });
    table.querySelectorAll("th[data-sort-key]").forEach(function (other) {
      if (other === header) {
        other.setAttribute("aria-sort", other.dataset.sortDirection);
      } else {
        other.removeAttribute("aria-sort");
      }
    });
    const url = new URL(window.location.href);
    if (key === "name") {
      url.searchParams.delete("sort");
    } else {
      url.searchParams.set("sort", key);
    }
    window.history.replaceState(null, "", url);
  }

  document.querySelectorAll("table[data-sortable]").forEach(function (table) {
    table.querySelectorAll("th[data-sort-key]").forEach(function (header) {
      const link = header.querySelector("a[data-sort-label]");
      const button = document.createElement("button");
      button.type = "button";
      button.className = "sort-button";
      button.textContent = link.textContent;
      button.addEventListener("click", function () {
        sortBy(table, header);
      });
      link.replaceWith(button);
    });
  });
})();
