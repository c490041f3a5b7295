// Progressive enhancement: a search box above each doctor picker hides the names that do not match.
// Without JavaScript the picker is a plain select, sorted by name.
(function () {
  const fold = (s) => s.toLocaleLowerCase("nb").normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  document.querySelectorAll("input.picker-filter").forEach((box) => {
    const select = document.getElementById(box.dataset.picker);
    if (!select) return;
    box.hidden = false;
    box.addEventListener("input", () => {
      const words = fold(box.value).split(/\s+/).filter(Boolean);
      let first = null;
      Array.from(select.options).forEach((o) => {
        const show = !o.value || words.every((w) => fold(o.text).includes(w));
        o.hidden = !show;
        if (show && o.value && !first) first = o;
      });
      if (first && (select.selectedIndex <= 0 || select.options[select.selectedIndex].hidden)) first.selected = true;
    });
  });
})();
