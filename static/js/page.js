/* Small behaviours some pages ask for with data attributes, kept out of the HTML so that the
   Content-Security-Policy can refuse every inline handler: [data-print] prints the page,
   [data-select-on-focus] selects its text (a secret to copy). */
"use strict";
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-print]")) window.print();
});
document.addEventListener("focusin", function (event) {
  if (event.target.matches("[data-select-on-focus]")) event.target.select();
});
