// Live progress of a solve: Server-Sent Events, falling back to polling; the page works without it.
(function () {
  const box = document.getElementById("run");
  if (!box) return;
  const id = box.dataset.run;
  const names = {queued: "i kø", running: "beregner", finished: "ferdig", cancelled: "avbrutt",
                 failed: "feilet", interrupted: "avbrutt av omstart"};
  // as the server's num filter (api/templating.py, roster.terms.rounded): «41 107», «9,5»; a half
  // rounds away from zero from the number as written (2.675 → 2,68), where toFixed reads its binary
  const num = (x, d) => {
    if (x === null || x === undefined) return "–";
    const rounded = Math.sign(x) * Math.round(Math.abs(x) * 10 ** d * (1 + Number.EPSILON)) / 10 ** d;
    const [whole, part] = (Object.is(rounded, -0) ? 0 : rounded).toFixed(d).split(".");
    return whole.replace(/\B(?=(\d{3})+$)/g, " ") + (part ? "," + part : "");
  };
  const pct = (x) => x === null || x === undefined ? "–" : num(100 * x, 1) + " %";
  const gapLabels = JSON.parse(box.dataset.gapLabels);  // by level: what the figure is about (pages.GAP_LABELS)
  let lastSolutions = Number(box.dataset.solutions);  // the rows the server already listed
  // The status line is a live region: it is written only when it changes, so it is not announced twice a second.
  const status = document.getElementById("status");
  function show(run) {
    const text = names[run.status] || run.status;
    if (status.textContent !== text) status.textContent = text;
    document.getElementById("bar").value = run.clock || run.elapsed || 0;
    document.getElementById("elapsed").textContent = num(run.clock || run.elapsed, 1);
    document.getElementById("gap").textContent = pct(run.gap);
    document.getElementById("gap-label").textContent = gapLabels[run.level] || gapLabels[0];
    document.getElementById("objective").textContent = num(run.objective, 0);
    document.getElementById("bound").textContent = num(run.bound, 0);
    document.getElementById("level").textContent = run.level;
    document.getElementById("level-note").hidden = !run.level;
    document.getElementById("open").textContent = run.open_slots === null ? "–" : run.open_slots;
    document.getElementById("solutions").textContent = run.solutions;
    document.getElementById("message").textContent = run.message;
    if (run.solutions !== lastSolutions && run.objective !== null) {
      lastSolutions = run.solutions;
      const row = document.createElement("tr");
      [num(run.elapsed, 1), run.level || "hele", num(run.objective, 0), num(run.bound, 0), pct(run.gap), run.open_slots]
        .forEach((v) => { const td = document.createElement("td"); td.textContent = v; row.appendChild(td); });
      document.querySelector("#history tbody").appendChild(row);
    }
  }
  function done(run) {
    show(run);
    const cancel = document.getElementById("cancel");
    // focus was on «Stopp …» (or nowhere): it goes to the result, not back to the top of the page
    const lost = !document.activeElement || document.activeElement === document.body ||
      (cancel && cancel.contains(document.activeElement));
    let target = document.getElementById("status-line");
    let detail = "";
    if (run.roster_id) {
      const text = run.kind === "omplanlegging" ? "Se endringene" : "Se vaktplanen";
      const link = document.createElement("a");
      link.className = "button";
      link.href = "/vaktplaner/" + run.roster_id;
      link.textContent = text;
      document.getElementById("result").replaceChildren(link);
      target = link;
      const open = run.open_slots === null || run.open_slots === undefined ? null : run.open_slots;
      detail = (open === null ? "" : " – " + (open === 0 ? "ingen" : num(open, 0)) + " ubesatte plasser") +
        ". Lenken «" + text + "» står under.";
    } else if (run.message) {
      detail = " – " + run.message.split("\n")[0];
    }
    if (lost) target.focus();
    if (cancel) cancel.remove();
    document.getElementById("status-detail").textContent = detail;
    document.getElementById("bar").value = document.getElementById("bar").max;
  }
  if (!["queued", "running"].includes(box.dataset.status)) return;
  function poll() {
    fetch("/api/runs/" + id).then((r) => r.json()).then((run) => {
      if (["queued", "running"].includes(run.status)) { show(run); setTimeout(poll, 1000); } else { done(run); }
    }).catch(() => setTimeout(poll, 3000));
  }
  if (!window.EventSource) { poll(); return; }
  const source = new EventSource("/api/runs/" + id + "/events");
  source.addEventListener("progress", (e) => show(JSON.parse(e.data)));
  source.addEventListener("end", (e) => { source.close(); done(JSON.parse(e.data)); });
  source.onerror = () => { source.close(); poll(); };
})();
