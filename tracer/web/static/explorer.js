/* The explorer's page: hand-written, no library, nothing fetched but this server's own API.
 *
 * Every name from the model reaches the page as text (textContent, createTextNode), never as
 * markup; the only markup inserted is the SVG Graphviz drew, parsed as XML, under a
 * Content-Security-Policy that runs no inline script.
 */
"use strict";

(() => {
  const body = document.body;

  // The model file is watched: when its version changes (edited, fixed, broken), reload.
  // The state lives in the URL, so a reload shows the same interaction, requests and time.
  const loadedVersion = body.dataset.version;
  let polling = false;
  setInterval(async () => {
    if (polling) return;
    polling = true;
    try {
      const response = await fetch("/api/version", { cache: "no-store" });
      if (response.ok) {
        const { version } = await response.json();
        if (version !== loadedVersion) location.reload();
      }
    } catch (error) {
      // the server is restarting or gone: keep asking
    } finally {
      polling = false;
    }
  }, 1000);

  if (body.dataset.page === "skills") {
    // the skills page is answered by the server: these controls only navigate to it
    const go = (params) => { location.search = `?${params}`; };
    const q = document.getElementById("skill-q");
    const find = () => go(new URLSearchParams({ q: q.value }));
    document.getElementById("skill-find").addEventListener("click", find);
    q.addEventListener("keydown", (event) => { if (event.key === "Enter") find(); });
    document.getElementById("reach-go").addEventListener("click", () => {
      const params = new URLSearchParams({ record: document.getElementById("reach-record").value });
      const request = document.getElementById("reach-delete").value;
      if (request) params.append("delete", request);
      go(params);
    });
    return;
  }
  if (body.dataset.page !== "explorer") return;

  const $ = (id) => document.getElementById(id);
  const STATUS_WORD = {
    held: "held",
    may_remain: "may remain",
    deleted: "deleted",
    expired: "expired",
    transient: "never stored",
  };
  const STATUS_RANK = { held: 0, may_remain: 1, deleted: 2, expired: 3, transient: 4 };

  /** An element with properties and children; strings become text nodes, never markup. */
  function el(tag, props = {}, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props)) {
      if (value === undefined || value === null) continue;
      if (key === "class") node.className = value;
      else if (key.startsWith("data-") || key.startsWith("aria-")) node.setAttribute(key, value);
      else node[key] = value;
    }
    for (const child of children.flat()) {
      if (child === undefined || child === null || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function humanDays(days) {
    if (days >= 365 && days % 365 === 0) return `${days / 365} y`;
    if (days >= 60) return `≈ ${Math.round(days / 30)} months`;
    if (days >= 14 && days % 7 === 0) return `${days / 7} weeks`;
    return days === 1 ? "1 day" : `${days} days`;
  }

  // ---- state, kept in the URL ----------------------------------------------------------
  let model = null;
  const state = { interaction: null, requests: {}, at: null, selected: null };

  function readUrl() {
    const params = new URLSearchParams(location.search);
    state.interaction = params.get("interaction");
    for (const spec of params.getAll("delete")) {
      const [id, time] = spec.split("@");
      state.requests[id] = { on: true, time: time || "" };
    }
    state.at = params.get("at");
    for (const kind of ["copy", "party", "user"]) {
      if (params.get(kind)) state.selected = { kind, id: params.get(kind) };
    }
  }

  function query() {
    const params = new URLSearchParams();
    for (const deletion of model.deletions) {
      const request = state.requests[deletion.id];
      if (!request || !request.on) continue;
      const time = request.time.trim();
      params.append("delete", time && time !== deletion.after ? `${deletion.id}@${time}` : deletion.id);
    }
    if (state.at !== null) params.set("at", state.at);
    return params;
  }

  function writeUrl() {
    const params = query();
    params.set("interaction", state.interaction);
    if (state.selected) params.set(state.selected.kind, state.selected.id);
    history.replaceState(null, "", `?${params}`);
  }

  const enc = encodeURIComponent;
  const copyPath = (id) => id.split("/").map(enc).join("/");

  // ---- controls --------------------------------------------------------------------------
  function buildControls() {
    const picker = $("interaction");
    for (const interaction of model.interactions) {
      picker.append(el("option", { value: interaction.id }, `${interaction.name} (${interaction.id})`));
    }
    if (model.catalogue) {
      // a catalogue skill chosen on the skills page is traced like any interaction
      const known = model.interactions.some((i) => i.id === state.interaction);
      if (state.interaction && state.interaction.startsWith("skill:") && !known) {
        model.interactions.push({ id: state.interaction, name: state.interaction });
        picker.append(el("option", { value: state.interaction }, `a catalogue skill (${state.interaction})`));
      }
      picker.after(el("a", { href: "/skills", id: "skills-link" }, `find one of ${model.catalogue.skills} skills…`));
    }
    if (!model.interactions.some((i) => i.id === state.interaction)) {
      state.interaction = model.interactions.length ? model.interactions[0].id : null;
    }
    picker.value = state.interaction;
    picker.addEventListener("change", () => {
      state.interaction = picker.value;
      state.selected = null;
      panzoom.reset();
      update();
    });

    const list = $("request-list");
    model.deletions.forEach((deletion, index) => {
      const request = (state.requests[deletion.id] ||= { on: false, time: "" });
      const box = el("input", { type: "checkbox", id: `request-${index}`, checked: request.on, "data-request": deletion.id });
      const time = el("input", {
        type: "text",
        value: request.time || deletion.after || "",
        placeholder: deletion.after || "0d",
        size: 5,
        "aria-label": `time of ${deletion.id}`,
        "data-request-time": deletion.id,
        title: deletion.after ? `scheduled: happens at ${deletion.after}` : "days after the interaction",
      });
      box.addEventListener("change", () => {
        request.on = box.checked;
        update();
      });
      time.addEventListener("input", () => {
        request.time = time.value;
        if (request.on) update();
      });
      const who = deletion.after ? `scheduled after ${deletion.after}` : deletion.by ? `by ${deletion.by}` : "on request";
      list.append(
        el("div", { class: "request" },
          box,
          el("label", { htmlFor: box.id }, el("span", { class: "name" }, deletion.name), el("code", {}, deletion.id), el("span", { class: "hint" }, who)),
          time),
      );
    });

    const slider = $("at");
    slider.max = String(model.horizon);
    slider.addEventListener("input", () => {
      state.at = `${slider.value}d`;
      showAt(Number(slider.value), true);
      update();
    });
    if (model.ledger) {
      const form = $("user-search");
      const about = model.ledger;
      $("ledger-about").textContent = `(${about.file}: ${about.users} users, ${about.events} events, status at ${about.at})`;
      if (state.selected && state.selected.kind === "user") $("user").value = state.selected.id;
      form.hidden = false;
      form.addEventListener("submit", (event) => {
        event.preventDefault();
        const user = $("user").value.trim();
        if (user) select("user", user);
      });
    }
    $("at-latest").addEventListener("click", () => {
      state.at = null;
      update();
    });
  }

  function showAt(days, explicit) {
    $("at-value").textContent = `${days}d (${humanDays(days)})${explicit ? "" : ", the latest request"}`;
    $("at-latest").disabled = !explicit;
  }

  // ---- fetching, the newest answer wins ------------------------------------------------
  let timer = null;
  let generation = 0;

  function update() {
    writeUrl();
    clearTimeout(timer);
    timer = setTimeout(refresh, 40);
  }

  async function getJson(url) {
    const response = await fetch(url, { cache: "no-store" });
    const data = await response.json();
    if (!response.ok) throw new Error(data.error || `${response.status} ${response.statusText}`);
    return data;
  }

  function showError(message) {
    const box = $("error");
    box.textContent = message || "";
    box.hidden = !message;
  }

  let current = null;

  async function refresh() {
    const mine = ++generation;
    const params = query();
    body.classList.add("busy");
    try {
      const view = await getJson(`/api/view/${enc(state.interaction)}?${params}`);
      if (mine !== generation) return;
      current = view;
      showError("");
      render(view, params);
      if (state.selected) await showDetail(mine, params);
      else showNothing();
    } catch (error) {
      if (mine === generation) showError(error.message);
    } finally {
      if (mine === generation) {
        body.classList.remove("busy");
        body.dataset.ready = String(mine);
      }
    }
  }

  // ---- rendering -------------------------------------------------------------------------
  const nameOf = {
    party: (id) => (model.parties[id] ? model.parties[id].name : id),
    holder: (id) => (model.holders[id] ? model.holders[id].name : id),
    record: (id) => (model.records[id] ? model.records[id].name : id),
  };

  function status(word) {
    return el("span", { class: `status status-${word}` }, STATUS_WORD[word] || word);
  }

  function copyButton(id, label) {
    const [holder, record] = id.split("/");
    return el("button", { type: "button", class: "link copy-link", "data-copy": id, title: id, onclick: () => select("copy", id) },
      label || `${nameOf.record(record)} at ${nameOf.holder(holder)}`);
  }

  function partyButton(id) {
    return el("button", { type: "button", class: "link party-link", "data-party": id, title: id, onclick: () => select("party", id) }, nameOf.party(id));
  }

  function sourceLink(id, sources) {
    const source = sources[id];
    if (!source) return el("span", { class: "source", title: "not in the model's sources" }, id);
    const words = [source.publisher, source.date].filter(Boolean).join(", ");
    const title = words ? `${source.title} (${words})` : source.title;
    if (!source.url) return el("span", { class: "source", title }, id);
    return el("a", { class: "source", href: source.url, title, target: "_blank", rel: "noopener noreferrer" }, id);
  }

  function evidence(ids, sources) {
    const parts = [];
    ids.forEach((id, i) => {
      if (i) parts.push(", ");
      parts.push(sourceLink(id, sources));
    });
    return parts.length ? parts : ["-"];
  }

  function render(view, params) {
    const trace = view.trace;
    $("summary").textContent = view.summary;
    const at = parseInt(trace.at, 10);
    $("at").value = String(at);
    showAt(at, state.at !== null);
    $("diagram-link").href = `/api/diagram/${enc(state.interaction)}.svg?${params}`;
    panzoom.show(view.diagram);

    const parties = $("parties").tBodies[0];
    parties.replaceChildren();
    const entries = Object.entries(trace.parties);
    if (!entries.length) {
      parties.append(el("tr", {}, el("td", { colSpan: 3 }, "After these requests, no party can access any copy.")));
    }
    for (const [party, reach] of entries) {
      const cell = (ids) => el("td", {}, ids.length ? el("ul", { class: "plain" }, ids.map((id) => el("li", {}, copyButton(id)))) : "-");
      parties.append(el("tr", { "data-party": party }, el("td", {}, partyButton(party), el("code", {}, party)), cell(reach.held), cell(reach.may_remain)));
    }

    const copies = $("copies").tBodies[0];
    copies.replaceChildren();
    const sorted = [...trace.copies].sort((a, b) => STATUS_RANK[a.status] - STATUS_RANK[b.status] || (a.id < b.id ? -1 : 1));
    for (const copy of sorted) {
      copies.append(
        el("tr", { "data-copy": copy.id, class: `row-${copy.status}` },
          el("td", {}, copyButton(copy.id), el("code", {}, copy.id)),
          el("td", {}, partyButton(copy.party)),
          el("td", {}, status(copy.status)),
          el("td", { class: "reason" }, copy.reason),
          el("td", {}, evidence(copy.evidence, model.sources)),
          el("td", {}, copy.confidence)),
      );
    }
    markSelected();
  }

  // ---- the detail panel ------------------------------------------------------------------
  function select(kind, id) {
    state.selected = { kind, id };
    writeUrl();
    showDetail(generation, query());
  }

  function showNothing() {
    $("detail").replaceChildren(
      el("h2", {}, "Details"),
      el("p", { class: "hint" }, "Click a copy to see the path that put it there, its rule and its sources; click a party to see everything it can still reach."),
    );
    markSelected();
  }

  async function showDetail(mine, params) {
    const { kind, id } = state.selected;
    const url = {
      copy: () => `/api/copy/${enc(state.interaction)}/${copyPath(id)}?${params}`,
      party: () => `/api/party/${enc(state.interaction)}/${enc(id)}?${params}`,
      user: () => `/api/user/${enc(id)}`,
    }[kind]();
    let data;
    try {
      data = await getJson(url);
    } catch (error) {
      if (mine !== generation) return;
      if (kind === "user") {
        $("detail").replaceChildren(el("h2", {}, id), el("p", { id: "detail-error" }, error.message));
        return;
      }
      state.selected = null;
      writeUrl();
      showNothing();
      return;
    }
    if (mine !== generation) return;
    const show = { copy: copyDetail, party: partyDetail, user: userDetail }[kind];
    $("detail").replaceChildren(...show(data));
    markSelected(kind === "copy" ? data : null);
  }

  function row(term, ...value) {
    return [el("dt", {}, term), el("dd", {}, ...value)];
  }

  function copyDetail(view) {
    const copy = view.copy;
    const sources = view.sources;
    const rule = view.rule;
    const parts = [
      el("h2", {}, view.record.name),
      el("p", { class: "where" }, `at ${view.holder.name} (${view.holder.kind}), run by `, partyButton(view.party.id)),
      el("p", { id: "detail-copy", "data-copy": copy.id }, el("code", {}, copy.id), " ", status(copy.status)),
      el("p", { class: "reason" }, copy.reason),
      el("dl", {},
        row("confidence", copy.confidence),
        row("evidence", ...evidence(copy.evidence, sources)),
        row("who can access", ...copy.access.flatMap((p, i) => (i ? [", ", partyButton(p)] : [partyButton(p)])))),
      el("h3", {}, "Rule"),
    ];
    if (rule) {
      parts.push(el("dl", {},
        row("kept for", rule.for.replace("_", " ")),
        row("deleted by", rule.deleted_by.join(", ") || "no request"),
        rule.unclear_for.length ? row("unclear for", rule.unclear_for.join(", ")) : [],
        row("evidence", ...evidence(rule.evidence, sources)),
        row("confidence", rule.confidence),
        rule.note ? row("note", rule.note) : []));
    } else {
      parts.push(el("p", {}, `${view.holder.name} has no retention rule for ${view.record.name}: kept for an unknown time.`));
    }
    parts.push(el("h3", {}, "Path"));
    if (!view.path.length) {
      parts.push(el("p", {}, "Created here when the interaction starts."));
    } else {
      parts.push(el("ol", { class: "path" }, view.path.map((step) => el("li", {},
        el("b", {}, step.id), ` (${step.kind}) `,
        copyButton(step.from, step.from), " → ", el("code", {}, step.to),
        el("br"),
        el("span", { class: "hint" }, `deletion ${step.deletion} · ${step.confidence} · `),
        ...evidence(step.evidence, sources),
        step.note ? el("div", { class: "note" }, step.note) : null))));
    }
    if (view.also_fed_by.length) {
      parts.push(el("p", {}, "Also reached by: ", view.also_fed_by.map((edge) => edge.id).join(", ")));
    }
    parts.push(el("h3", {}, "Sources"));
    const ids = Object.keys(sources);
    parts.push(ids.length
      ? el("ul", { class: "sources" }, ids.map((id) => {
        const source = sources[id];
        const words = [source.publisher, source.date].filter(Boolean).join(", ");
        const title = source.url
          ? el("a", { href: source.url, target: "_blank", rel: "noopener noreferrer" }, source.title)
          : el("span", {}, source.title);
        return el("li", { "data-source": id }, title, words ? ` (${words})` : "", " ", el("code", {}, id));
      }))
      : el("p", {}, "No source is cited: this rests on the model's assumption."));
    return parts;
  }

  function partyDetail(view) {
    const party = view.party;
    const total = view.held.length + view.may_remain.length;
    const list = (lines) => el("ul", { class: "reach" }, lines.map((line) => el("li", {},
      copyButton(line.id, `${line.record_name} at ${line.holder_name}`), " ", status(line.status),
      el("div", { class: "reason" }, line.reason))));
    return [
      el("h2", { id: "detail-party", "data-party": party.id }, party.name),
      el("p", { class: "where" }, el("code", {}, party.id), ` · ${party.role.replace("_", " ")}`),
      el("p", {}, total
        ? `can still reach ${total} ${total === 1 ? "copy" : "copies"}: ${view.held.length} held, ${view.may_remain.length} that may remain.`
        : "can reach nothing from this interaction any more."),
      view.held.length ? [el("h3", {}, "Held"), list(view.held)] : [],
      view.may_remain.length ? [el("h3", {}, "May remain"), list(view.may_remain)] : [],
    ].flat();
  }

  function userDetail(view) {
    const copies = view.copies;
    const events = new Set(copies.map((copy) => copy.event)).size;
    const where = (id) => {
      const [holder, record] = id.split("/");
      return el("li", { title: id }, `${nameOf.record(record)} at ${nameOf.holder(holder)}`);
    };
    const cell = (ids) => el("td", {}, ids.length ? el("ul", { class: "plain" }, ids.map(where)) : "-");
    const parties = Object.entries(view.parties);
    const counts = {};
    for (const copy of copies) counts[copy.status] = (counts[copy.status] || 0) + 1;
    const parts = [
      el("h2", { id: "detail-user", "data-user": view.user }, view.user),
      el("p", {}, `${copies.length} ${copies.length === 1 ? "copy" : "copies"} from ${events} ${events === 1 ? "event" : "events"} in the ledger, status at ${view.at}: `,
        Object.keys(STATUS_RANK).filter((word) => counts[word]).flatMap((word, i) => [i ? ", " : "", `${counts[word]} `, status(word)])),
      el("h3", {}, "Who can still access them"),
      parties.length
        ? el("table", { class: "user-parties" },
          el("thead", {}, el("tr", {}, el("th", {}, "party"), el("th", {}, "held"), el("th", {}, "may remain"))),
          el("tbody", {}, parties.map(([party, reach]) => el("tr", { "data-user-party": party },
            el("td", {}, nameOf.party(party), el("code", {}, party)), cell(reach.held), cell(reach.may_remain)))))
        : el("p", {}, "No party can still access any of them."),
    ];
    const shown = copies.slice(0, 300);
    parts.push(el("details", { class: "user-copies" },
      el("summary", {}, `Every copy${copies.length > shown.length ? ` (the first ${shown.length})` : ""}`),
      el("ul", { class: "reach" }, shown.map((copy) => el("li", {},
        el("code", {}, `${copy.event} · ${copy.interaction}`), " ", copy.id, " ", status(copy.status),
        el("div", { class: "reason" }, copy.reason))))));
    return parts;
  }

  function markSelected(copyView) {
    for (const node of document.querySelectorAll(".selected")) node.classList.remove("selected");
    for (const node of document.querySelectorAll(".on-path")) node.classList.remove("on-path");
    if (!state.selected || state.selected.kind === "user") return;
    const attribute = state.selected.kind === "copy" ? "data-copy" : "data-party";
    for (const node of document.querySelectorAll(`tr[${attribute}], g[${attribute}]`)) {
      if (node.getAttribute(attribute) === state.selected.id) node.classList.add("selected");
    }
    if (copyView) panzoom.markPath(copyView.path);
  }

  // ---- the diagram: Graphviz's SVG, panned and zoomed by its viewBox ---------------------
  const panzoom = (() => {
    const box = $("diagram");
    let svg = null;
    let full = null; // the drawing's own box
    let view = null; // the part shown
    let moved = false; // by the user: keep it across updates
    let nodeOf = {}; // copy id -> drawn node name
    let sized = false; // the panel's height fitted to a new interaction's drawing

    function fitted(area) {
      const rect = box.getBoundingClientRect();
      if (rect.width < 1 || rect.height < 1) return { ...area }; // not laid out (hidden): as is
      const aspect = rect.width / rect.height;
      let { x, y, w, h } = area;
      if (w / h > aspect) {
        const grown = w / aspect;
        y -= (grown - h) / 2;
        h = grown;
      } else {
        const grown = h * aspect;
        x -= (grown - w) / 2;
        w = grown;
      }
      return { x, y, w, h };
    }

    function apply() {
      if (svg) svg.setAttribute("viewBox", `${view.x} ${view.y} ${view.w} ${view.h}`);
    }

    function fit() {
      if (!full) return;
      view = fitted(full);
      moved = false;
      apply();
    }

    function zoom(factor, clientX, clientY) {
      if (!svg) return;
      const rect = box.getBoundingClientRect();
      const px = clientX === undefined ? 0.5 : (clientX - rect.left) / rect.width;
      const py = clientY === undefined ? 0.5 : (clientY - rect.top) / rect.height;
      const x = view.x + px * view.w;
      const y = view.y + py * view.h;
      const w = Math.min(Math.max(view.w / factor, full.w / 50), full.w * 4);
      const h = w * (view.h / view.w);
      view = { x: x - px * w, y: y - py * h, w, h };
      moved = true;
      apply();
    }

    function actual() {
      if (!svg) return;
      const rect = box.getBoundingClientRect();
      const w = rect.width * 0.75; // Graphviz draws in points: 1 px = 0.75 pt
      zoom(view.w / w);
    }

    function show(diagram) {
      const keep = moved && svg ? view : null;
      nodeOf = {};
      if (!diagram.svg) {
        svg = null;
        full = null;
        box.replaceChildren(el("p", { class: "no-diagram", id: "no-diagram" }, diagram.problem));
        return;
      }
      const parsed = new DOMParser().parseFromString(diagram.svg, "image/svg+xml");
      const drawn = parsed.documentElement;
      if (drawn.nodeName !== "svg") {
        box.replaceChildren(el("p", { class: "no-diagram" }, "The diagram could not be read."));
        return;
      }
      svg = document.importNode(drawn, true);
      for (const bad of svg.querySelectorAll("script, foreignObject")) bad.remove();
      const vb = svg.viewBox.baseVal;
      full = { x: vb.x, y: vb.y, w: vb.width, h: vb.height };
      svg.removeAttribute("width");
      svg.removeAttribute("height");
      svg.setAttribute("preserveAspectRatio", "xMidYMid meet");
      svg.setAttribute("role", "img");
      for (const node of svg.querySelectorAll("g.node")) {
        const title = node.querySelector("title");
        const copy = title && diagram.nodes[title.textContent];
        if (!copy) continue;
        nodeOf[copy] = title.textContent;
        node.setAttribute("data-copy", copy);
        node.classList.add("clickable");
        node.addEventListener("click", () => clicked() && select("copy", copy));
      }
      for (const cluster of svg.querySelectorAll("g.cluster")) {
        const title = cluster.querySelector("title");
        const party = title && diagram.clusters[title.textContent];
        if (!party) continue;
        cluster.setAttribute("data-party", party);
        const label = cluster.querySelector("text");
        if (label) {
          label.classList.add("clickable");
          label.addEventListener("click", () => clicked() && select("party", party));
        }
      }
      box.replaceChildren(svg);
      if (!sized) {
        // as tall as the drawing needs at the panel's width, within reason; then the reader's
        // (the panel resizes by its corner)
        const width = box.getBoundingClientRect().width;
        const wanted = (width * full.h) / full.w + 16;
        box.style.height = `${Math.round(Math.min(Math.max(wanted, 280), window.innerHeight * 0.75))}px`;
        sized = true;
      }
      if (keep) {
        view = keep;
        moved = true;
        apply();
      } else {
        fit();
      }
    }

    function markPath(path) {
      const names = new Set(path.map((step) => `${nodeOf[step.from]}->${nodeOf[step.to]}`));
      if (!svg) return;
      for (const edge of svg.querySelectorAll("g.edge")) {
        const title = edge.querySelector("title");
        if (title && names.has(title.textContent)) edge.classList.add("on-path");
      }
    }

    // drag to pan; a drag is not a click
    let drag = null;
    let dragged = false;
    const clicked = () => !dragged;
    box.addEventListener("pointerdown", (event) => {
      if (!svg || event.button !== 0) return;
      drag = { x: event.clientX, y: event.clientY, view: { ...view } };
      dragged = false;
    });
    box.addEventListener("pointermove", (event) => {
      if (!drag) return;
      const dx = event.clientX - drag.x;
      const dy = event.clientY - drag.y;
      if (!dragged && Math.hypot(dx, dy) < 4) return;
      if (!dragged) box.setPointerCapture(event.pointerId);
      dragged = true;
      box.classList.add("dragging");
      const rect = box.getBoundingClientRect();
      view = { ...drag.view, x: drag.view.x - (dx * view.w) / rect.width, y: drag.view.y - (dy * view.h) / rect.height };
      moved = true;
      apply();
    });
    const stop = () => {
      drag = null;
      box.classList.remove("dragging");
    };
    box.addEventListener("pointerup", stop);
    box.addEventListener("pointercancel", stop);
    box.addEventListener("wheel", (event) => {
      if (!svg) return;
      event.preventDefault();
      zoom(Math.exp(-event.deltaY * 0.0015), event.clientX, event.clientY);
    }, { passive: false });
    window.addEventListener("resize", () => {
      if (svg && view) {
        view = fitted(view);
        apply();
      }
    });
    $("zoom-in").addEventListener("click", () => zoom(1.25));
    $("zoom-out").addEventListener("click", () => zoom(0.8));
    $("zoom-fit").addEventListener("click", fit);
    $("zoom-actual").addEventListener("click", actual);

    return { show, markPath, reset: () => { moved = false; sized = false; } };
  })();

  // ---- start -----------------------------------------------------------------------------
  (async () => {
    readUrl();
    try {
      model = await getJson("/api/model");
    } catch (error) {
      showError(error.message);
      return;
    }
    buildControls();
    update();
  })();
})();
