// Material wraps the copy button of each code block in a <nav>, so a page with several code blocks
// has several unnamed navigation landmarks (axe: landmark-unique) that lead nowhere. One button is
// not navigation: take the landmark role away, the button (titled "Copy to clipboard") stays.
(function () {
  function unlandmark(nav) {
    if (!nav.hasAttribute("role")) nav.setAttribute("role", "none");
  }
  // Material adds the button to the code block's <pre> after the page has loaded: watch each <pre>
  // for new children only (watching the whole page would also see every node KaTeX adds: on the
  // print page that cost a 360 ms task).
  var watch = new MutationObserver(function (records) {
    records.forEach(function (r) {
      r.addedNodes.forEach(function (n) {
        if (n.nodeType === 1 && n.matches("nav.md-code__nav")) unlandmark(n);
      });
    });
  });
  document.querySelectorAll("pre").forEach(function (pre) {
    pre.querySelectorAll(":scope > nav.md-code__nav").forEach(unlandmark);
    watch.observe(pre, { childList: true });
  });
})();
