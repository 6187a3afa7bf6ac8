// Small behaviours of our own pages. No inline script anywhere: the Content-Security-Policy forbids it.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-action='print']");
  if (button) {
    event.preventDefault();
    window.print();
  }
});
