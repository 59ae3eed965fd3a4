// Progressive enhancement for the finder: without JavaScript the address bar is the link.
document.querySelectorAll("[data-copy-link]").forEach((button) => {
  if (!navigator.clipboard) return;
  button.hidden = false;
  const label = button.textContent;
  button.addEventListener("click", async () => {
    await navigator.clipboard.writeText(button.dataset.copyLink);
    button.textContent = button.dataset.copiedLabel || "✓";
    setTimeout(() => { button.textContent = label; }, 2000);
  });
});
