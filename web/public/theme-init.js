// Applies the remembered light/dark choice before the first paint, so the page does not flash.
try {
  var t = localStorage.getItem('vigil.theme');
  if (t === 'light' || t === 'dark') document.documentElement.dataset.theme = t;
} catch (e) {
  /* storage may be disabled: the system preference applies */
}
