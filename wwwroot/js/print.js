// The print button on an entry's page. Listens on the document, so it keeps working after enhanced navigation.
// Without JavaScript the button is hidden (a noscript style in the page head) and the browser's own print works.
document.addEventListener("click", function (event) {
  if (event.target instanceof Element && event.target.closest("[data-print]")) window.print();
});
