// Progressive enhancement: a search box above each doctor picker narrows its list of names.
// Without JavaScript the picker is a plain select, sorted by name, with its own label.
// The list is rebuilt (not hidden options: iOS shows those anyway). When the chosen name no longer
// matches, the first match is chosen, a change event is sent and the live region beside the box
// says so («3 treff; valgt: Berit Hagen»). Enter in the box moves to the list; it never sends the form.
(function () {
  const fold = (s) => s.toLocaleLowerCase("nb").normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  document.querySelectorAll("input.picker-filter").forEach((box) => {
    const select = document.getElementById(box.dataset.picker);
    if (!select) return;
    const status = document.getElementById(box.dataset.picker + "-treff");
    const all = Array.from(select.options);
    let timer = null;
    const say = (text) => {  // after a pause in the typing, so a screen reader is not talked over
      if (!status) return;
      clearTimeout(timer);
      timer = setTimeout(() => { status.textContent = text; }, 400);
    };
    box.hidden = false;
    box.addEventListener("input", () => {
      const words = fold(box.value).split(/\s+/).filter(Boolean);
      const before = select.value;
      const shown = all.filter((o) => !o.value || words.every((w) => fold(o.text).includes(w)));
      select.replaceChildren(...shown);
      const matches = shown.filter((o) => o.value);
      const kept = matches.find((o) => o.value === before);
      if (kept) kept.selected = true;
      else if (matches.length && words.length) matches[0].selected = true;
      else shown[0].selected = true;  // the empty choice («– velg lege –»)
      const count = matches.length === 1 ? "1 treff" : matches.length ? matches.length + " treff" : "Ingen treff";
      if (select.value !== before) {
        select.dispatchEvent(new Event("change", {bubbles: true}));
        say(count + "; valgt: " + (select.value ? select.options[select.selectedIndex].text : "ingen"));
      } else {
        say(words.length ? count : "");
      }
    });
    box.addEventListener("keydown", (e) => {
      if (e.key === "Enter") {
        e.preventDefault();
        select.focus();
      }
    });
  });
})();
