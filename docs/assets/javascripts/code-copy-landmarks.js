// Material wraps the copy button of each code block in a <nav>, so a page with several code blocks
// has several unnamed navigation landmarks (axe: landmark-unique) that lead nowhere. One button is
// not navigation: take the landmark role away, the button (titled "Copy to clipboard") stays.
(function () {
  function unlandmark() {
    document.querySelectorAll("nav.md-code__nav:not([role])").forEach(function (nav) {
      nav.setAttribute("role", "none");
    });
  }
  // Material adds the buttons after the page has loaded, and again after an instant page change.
  new MutationObserver(unlandmark).observe(document.body, { childList: true, subtree: true });
  unlandmark();
})();
