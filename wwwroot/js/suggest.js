// Name completions for the search box, when JavaScript is available; the form works the same without it.
// Anything that looks like a number (an ID number, a credit code, a case number) is never sent.
// Listens on the document, so that it keeps working when enhanced navigation replaces the page's content.
(function () {
  if (!window.fetch) return;
  var timer = null, last = "", controller = null;
  document.addEventListener("input", function (event) {
    var input = event.target;
    if (!input || input.id !== "q") return;
    var list = document.getElementById("q-suggestions");
    if (!list) return;
    clearTimeout(timer);
    timer = setTimeout(function () {
      var q = input.value.trim();
      if (q === last) return;
      last = q;
      if (q.length === 0 || /[0-9]{4,}/.test(q) || q.length > 50) { list.replaceChildren(); return; }
      if (controller) controller.abort();
      controller = new AbortController();
      fetch("/api/v1/suggest?q=" + encodeURIComponent(q), { signal: controller.signal, headers: { "Accept": "application/json" } })
        .then(function (r) { return r.ok ? r.json() : { suggestions: [] }; })
        .then(function (data) {
          var options = (data.suggestions || []).map(function (s) {
            var o = document.createElement("option");
            o.value = s.name; // textual: a name cannot inject markup
            return o;
          });
          list.replaceChildren.apply(list, options);
        })
        .catch(function () { /* offline or aborted: the plain form still works */ });
    }, 120);
  });
})();
