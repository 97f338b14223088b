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
  let WORD = {}; // status id -> its word, from the model view (the same in CLI, diagrams, report)
  const STATUS_RANK = { held: 0, may_remain: 1, deleted: 2, expired: 3, transient: 4 };

  /** An element with properties and children; strings become text nodes, never markup. */
  function el(tag, props = {}, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props)) {
      if (value === undefined || value === null) continue;
      if (key === "class") node.className = value;
      else if (key.startsWith("data-") || key.startsWith("aria-") || key === "role" || key === "scope") node.setAttribute(key, value);
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
  const state = { interaction: null, requests: {}, at: null, selected: null, expand: [], hide: [], q: "" };
  let fromUrl = false; // the URL named an interaction: else the model's featured question

  function readUrl() {
    const params = new URLSearchParams(location.search);
    state.interaction = params.get("interaction");
    fromUrl = state.interaction !== null;
    for (const spec of params.getAll("delete")) {
      const [id, time] = spec.split("@");
      state.requests[id] = { on: true, time: time || "" };
    }
    state.at = params.get("at");
    state.expand = params.getAll("expand");
    state.hide = params.getAll("hide");
    state.q = params.get("q") || "";
    for (const kind of ["copy", "party", "user"]) {
      if (params.get(kind)) state.selected = { kind, id: params.get(kind) };
    }
  }

  function applyFeatured() {
    const featured = model.featured;
    if (fromUrl || !featured || !featured.interaction) return;
    state.interaction = featured.interaction;
    for (const spec of featured.delete) {
      const [id, time] = spec.split("@");
      state.requests[id] = { on: true, time: time || "" };
    }
    state.at = featured.at;
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

  function viewQuery() {
    const params = query();
    for (const party of state.expand) params.append("expand", party);
    for (const word of state.hide) params.append("hide", word);
    return params;
  }

  function writeUrl() {
    const params = viewQuery();
    params.set("interaction", state.interaction);
    if (state.q) params.set("q", state.q);
    if (state.selected) params.set(state.selected.kind, state.selected.id);
    history.replaceState(null, "", `?${params}`);
  }

  const enc = encodeURIComponent;
  const copyPath = (id) => id.split("/").map(enc).join("/");

  // ---- controls --------------------------------------------------------------------------
  function openDrawer(open) {
    $("controls").classList.toggle("open", open);
    $("controls-toggle").setAttribute("aria-expanded", String(open));
    if (open) $("interaction").focus();
    else $("controls-toggle").focus();
  }

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
      state.expand = [];
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
    $("at-latest").addEventListener("click", () => {
      state.at = null;
      update();
    });
    $("controls-toggle").addEventListener("click", () => openDrawer(!$("controls").classList.contains("open")));
    $("controls-close").addEventListener("click", () => openDrawer(false));
    $("detail-close").addEventListener("click", clearSelection);

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
    buildFilters();
  }

  // ---- the diagram's filters, search, open and close -------------------------------------
  function checkbox(word, label, container) {
    const box = el("input", { type: "checkbox", checked: !state.hide.includes(word), "data-filter": word });
    box.addEventListener("change", () => setHidden(word, !box.checked));
    container.append(el("label", { class: "check" }, box, label));
  }

  function setHidden(word, hide) {
    state.hide = state.hide.filter((w) => w !== word);
    if (hide) state.hide.push(word);
    state.hide.sort();
    for (const box of document.querySelectorAll(`input[data-filter="${word}"]`)) box.checked = !hide;
    $("hide-transient").checked = state.hide.includes("status:transient");
    update();
  }

  function buildFilters() {
    for (const status of model.statuses) checkbox(`status:${status}`, WORD[status], $("filter-status"));
    for (const confidence of model.confidences) checkbox(`confidence:${confidence}`, confidence, $("filter-confidence"));
    for (const [id, party] of Object.entries(model.parties)) checkbox(`party:${id}`, party.name, $("filter-party"));
    const transient = $("hide-transient");
    transient.checked = state.hide.includes("status:transient");
    transient.addEventListener("change", () => setHidden("status:transient", transient.checked));
    $("expand-all").addEventListener("click", () => {
      state.expand = ["*"];
      update();
    });
    $("collapse-all").addEventListener("click", () => {
      state.expand = [];
      update();
    });
    const search = $("search");
    search.value = state.q;
    search.addEventListener("input", () => {
      state.q = search.value;
      writeUrl();
      showMatches();
    });
    search.addEventListener("keydown", (event) => {
      if (event.key === "Enter") {
        const first = $("search-results").querySelector("button");
        if (first) first.click();
      } else if (event.key === "Escape") {
        search.value = "";
        state.q = "";
        writeUrl();
        showMatches();
      }
    });
  }

  function toggleParty(party) {
    if (state.expand.includes("*")) {
      state.expand = Object.keys(partiesShown()).filter((p) => p !== party).sort();
    } else if (state.expand.includes(party)) {
      state.expand = state.expand.filter((p) => p !== party);
    } else {
      state.expand = [...state.expand, party].sort();
    }
    update();
  }

  function partiesShown() {
    const shown = {};
    for (const copy of current.trace.copies) shown[copy.party] = true;
    return shown;
  }

  /** Copies whose holder, record, party or id holds every word typed. */
  function matches() {
    const words = state.q.toLowerCase().split(/\s+/).filter(Boolean);
    if (!words.length || !current) return [];
    return current.trace.copies.filter((copy) => {
      const text = [copy.id, nameOf.holder(copy.holder), nameOf.record(copy.record), nameOf.party(copy.party)].join(" ").toLowerCase();
      return words.every((word) => text.includes(word));
    });
  }

  function showMatches() {
    const found = matches();
    const list = $("search-results");
    list.replaceChildren(...found.slice(0, 12).map((copy) => el("li", {},
      el("button", { type: "button", "data-copy": copy.id, onclick: () => select("copy", copy.id) },
        `${nameOf.record(copy.record)} at ${nameOf.holder(copy.holder)} · ${WORD[copy.status]}`))));
    if (found.length > 12) list.append(el("li", { class: "hint" }, `and ${found.length - 12} more`));
    if (state.q.trim() && !found.length) list.append(el("li", { class: "hint" }, "nothing found"));
    panzoom.markMatches(found.map((copy) => copy.id));
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

  /** A question that cannot be answered: say why, and dim the last answer (it is not this one's). */
  function showError(message) {
    const box = $("error");
    box.textContent = message ? `${message}. The answer below is for the last question that worked.` : "";
    box.hidden = !message;
    for (const id of ["answer", "diagram", "parties", "copies"]) $(id).classList.toggle("stale", Boolean(message));
  }

  let current = null;

  async function refresh() {
    const mine = ++generation;
    const params = viewQuery();
    body.classList.add("busy");
    try {
      const view = await getJson(`/api/view/${enc(state.interaction)}?${params}`);
      if (mine !== generation) return;
      current = view;
      showError("");
      render(view, query());
      if (state.selected) await showDetail(mine, query());
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
    interaction: (id) => (model.interactions.find((i) => i.id === id) || { name: id }).name,
  };

  function status(word) {
    return el("span", { class: `status status-${word}` }, WORD[word] || word);
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

  function renderHoldings(table, element = $("holdings"), copies = true) {
    const head = element.tHead;
    const rows = element.tBodies[0];
    head.replaceChildren(el("tr", {},
      el("th", { scope: "col" }, "company"),
      table.records.map((record) => el("th", { scope: "col", "data-record": record.id }, record.name))));
    rows.replaceChildren();
    if (!table.rows.length) {
      rows.append(el("tr", {}, el("td", { colSpan: table.records.length + 1 }, "No company received a record of this interaction.")));
    }
    // the first screen holds the answer: a long list of companies shows its first ones
    const FIRST = 8;
    const open = element.dataset.all === "1";
    const shown = open ? table.rows : table.rows.slice(0, FIRST);
    for (const row of shown) {
      rows.append(el("tr", { "data-party": row.party },
        el("th", { scope: "row" }, copies ? partyButton(row.party) : el("span", {}, row.name),
          el("span", { class: "count" }, row.remaining ? `${row.remaining} may still hold` : "holds none")),
        table.records.map((record) => {
          const cell = row.cells[record.id];
          if (!cell) return el("td", { class: "none", "aria-label": "never received" }, "·");
          const words = [status(cell.status), el("span", { class: "conf" }, cell.confidence)];
          if (!copies) return el("td", { "data-record": record.id }, el("span", { class: "cell" }, words));
          return el("td", { "data-record": record.id },
            el("button", {
              type: "button", class: "cell", "data-copy": cell.copies[0],
              "aria-label": `${record.name} at ${nameOf.party(row.party)}: ${WORD[cell.status]}, ${cell.confidence}`,
              onclick: () => select("copy", cell.copies[0]),
            }, words));
        })));
    }
    if (shown.length < table.rows.length) {
      const more = el("button", { type: "button", class: "link", id: element.id ? `${element.id}-more` : undefined, onclick: () => {
        element.dataset.all = "1";
        renderHoldings(table, element, copies);
      } }, `show all ${table.rows.length} companies`);
      rows.append(el("tr", { class: "more" }, el("td", { colSpan: table.records.length + 1 }, more)));
    }
  }

  /** The second model's answer to the same question, beside the first's (serve -m A -m B). */
  function renderCompare(other) {
    const box = $("compare");
    box.closest(".answer-block").classList.toggle("comparing", Boolean(other));
    $("model-a").hidden = !other;
    if (!other) {
      box.hidden = true;
      return;
    }
    box.hidden = false;
    if (other.missing) {
      box.replaceChildren(el("h2", { id: "compare-title" }, other.model), el("p", {}, other.missing));
      return;
    }
    const table = el("table", { class: "holdings", id: "holdings-b" }, el("thead"), el("tbody"));
    renderHoldings(other.holdings, table, false);
    const changed = other.changes.map((c) => el("li", { "data-copy": c.copy },
      el("code", {}, c.copy), `: ${c.before || "not there"} → ${c.after || "not there"}`));
    box.replaceChildren(...[
      el("h2", { id: "compare-title", class: "model-name" }, other.model),
      el("p", { class: "headline", id: "headline-b" }, other.headline.text),
      el("div", { class: "table-scroll", tabIndex: 0, role: "region", "aria-label": `${other.model}: what each company may still hold` }, table),
      other.skipped.length ? el("p", { class: "hint" }, `Not in this model, so not applied: ${other.skipped.join(", ")}.`) : null,
      el("h3", {}, changed.length ? `${changed.length} ${changed.length === 1 ? "copy differs" : "copies differ"} from ${model.model}` : `No copy differs from ${model.model}`),
      el("a", { id: "diff-link", href: `/api/diff/${enc(state.interaction)}.svg?${query()}`, target: "_blank", rel: "noopener" }, "the differences as a drawing"),
      changed.length ? el("ul", { class: "changes" }, changed) : null,
    ].filter(Boolean));
  }

  function render(view, params) {
    const trace = view.trace;
    const change = el("button", { type: "button", class: "link", onclick: () => openDrawer(true) }, "change");
    $("question").replaceChildren(el("b", {}, nameOf.interaction(state.interaction)), ` · status on day ${parseInt(trace.at, 10)} · `, change);
    $("headline").textContent = view.headline.text;
    $("summary").textContent = view.summary;
    renderHoldings(view.holdings);
    renderCompare(view.compare);
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
    showMatches();
    markSelected();
  }

  // ---- the detail sheet ------------------------------------------------------------------
  let opener = null; // what had the focus when the sheet opened: it gets it back on close

  function select(kind, id) {
    if (kind !== "user" && $("detail").hidden) opener = document.activeElement;
    state.selected = { kind, id };
    writeUrl();
    showDetail(generation, query());
  }

  function clearSelection() {
    state.selected = null;
    writeUrl();
    showNothing();
    if (opener && document.contains(opener)) opener.focus();
    opener = null;
  }

  function showNothing() {
    $("detail").hidden = true;
    body.classList.remove("sheet-open");
    $("detail-body").replaceChildren();
    $("ledger-view").hidden = true;
    $("ledger-view").replaceChildren();
    markSelected();
  }

  function showSheet(parts) {
    $("detail-body").replaceChildren(...parts);
    $("detail").hidden = false;
    $("detail").scrollTop = 0;
    body.classList.add("sheet-open");
  }

  async function showDetail(mine, params) {
    const { kind, id } = state.selected;
    // an answer that arrives after Esc or another click is for a selection no longer made
    const stale = () => mine !== generation || !state.selected || state.selected.kind !== kind || state.selected.id !== id;
    const url = {
      copy: () => `/api/copy/${enc(state.interaction)}/${copyPath(id)}?${params}`,
      party: () => `/api/party/${enc(state.interaction)}/${enc(id)}?${params}`,
      user: () => `/api/user/${enc(id)}`,
    }[kind]();
    let data;
    try {
      data = await getJson(url);
    } catch (error) {
      if (stale()) return;
      if (kind === "user") {
        $("ledger-view").replaceChildren(el("h2", { id: "detail-user" }, id), el("p", { id: "detail-error" }, error.message));
        $("ledger-view").hidden = false;
        return;
      }
      state.selected = null;
      writeUrl();
      showNothing();
      return;
    }
    if (stale()) return;
    if (kind === "user") {
      let letters = [];
      try {
        letters = await getJson(`/api/letters/${enc(id)}`);
      } catch (error) {
        letters = [];
      }
      if (stale()) return;
      $("detail").hidden = true;
      body.classList.remove("sheet-open");
      const back = el("button", { type: "button", class: "close", id: "ledger-close", onclick: clearSelection }, "Back to the question");
      $("ledger-view").replaceChildren(...userDetail(data), ...lettersPart(id, letters), back);
      $("ledger-view").hidden = false;
      markSelected();
      return;
    }
    $("ledger-view").hidden = true;
    const show = { copy: copyDetail, party: partyDetail }[kind];
    showSheet(show(data));
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
      el("h2", { id: "detail-user", "data-user": view.user }, `The records of ${view.user}`),
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

  // the erasure letters this person can send, one per party that may still hold their copies
  function lettersPart(user, letters) {
    if (!letters.length) return [];
    return [
      el("h3", {}, "Letters you can send"),
      el("p", {}, "One erasure request per party (GDPR Art. 15, 17 and 19; CCPA), in Markdown: tracer never sends them."),
      el("ul", { class: "plain letters" }, letters.map((letter) => el("li", { "data-letter": letter.party },
        el("a", { href: `/letters/${enc(user)}/${enc(letter.party)}.md`, download: letter.file }, `${letter.name}`),
        ` (${letter.copies} ${letter.copies === 1 ? "copy" : "copies"} from ${letter.events} ${letter.events === 1 ? "request" : "requests"})`))),
    ];
  }

  function markSelected(copyView) {
    for (const node of document.querySelectorAll(".selected")) node.classList.remove("selected");
    for (const node of document.querySelectorAll(".on-path")) node.classList.remove("on-path");
    if (!state.selected || state.selected.kind === "user") return;
    const attribute = state.selected.kind === "copy" ? "data-copy" : "data-party";
    for (const node of document.querySelectorAll(`tr[${attribute}], g[${attribute}]`)) {
      if (node.getAttribute(attribute) === state.selected.id) node.classList.add("selected");
    }
    if (state.selected.kind === "copy") panzoom.markCopy(state.selected.id);
    if (copyView) panzoom.markPath(copyView.path);
  }

  // Esc clears: the search's own Esc first, then an open drawer, then the selection
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape" || event.target === $("search")) return;
    if ($("controls").classList.contains("open")) openDrawer(false);
    else if (state.selected) clearSelection();
  });

  // ---- the diagram: Graphviz's SVG, panned and zoomed by its viewBox ---------------------
  const panzoom = (() => {
    const box = $("diagram");
    const MIN_TEXT = 10.5; // CSS px: the smallest text at the default zoom
    const NATURAL = 4 / 3; // CSS px per point: Graphviz's own size
    let svg = null;
    let full = null; // the drawing's own box
    let view = null; // the part shown
    let moved = false; // by the user: keep it across updates
    let placed = {}; // copy id -> drawn node name
    let smallest = 12; // the drawing's smallest font size, in its own units
    let sized = false; // the panel's height fitted to a new interaction's drawing

    function rect() {
      return box.getBoundingClientRect();
    }

    /** ``area`` widened or heightened to the panel's shape (what "meet" would show). */
    function shaped(area) {
      const r = rect();
      if (r.width < 1 || r.height < 1) return { ...area }; // not laid out (hidden): as is
      const aspect = r.width / r.height;
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
      view = shaped(full);
      moved = false;
      apply();
    }

    /** The default view: the whole drawing when its text is readable so, else as much of it as
     * keeps the smallest text at MIN_TEXT px, starting from the left (where the user is). */
    function readable() {
      if (!full) return;
      const r = rect();
      const whole = shaped(full);
      const scale = r.width / whole.w; // px per unit when fitted
      const wanted = MIN_TEXT / smallest;
      if (r.width < 1) {
        view = whole;
      } else if (scale > NATURAL) {
        // a small drawing at its natural size, in the middle: not blown up to the panel
        const w = r.width / NATURAL;
        const h = r.height / NATURAL;
        view = { x: full.x - (w - full.w) / 2, y: full.y - (h - full.h) / 2, w, h };
      } else if (scale >= wanted) {
        view = whole;
      } else {
        const w = r.width / wanted;
        const h = r.height / wanted;
        const y = full.h > h ? full.y : full.y - (h - full.h) / 2;
        view = { x: full.x, y, w, h };
      }
      moved = false;
      apply();
    }

    function zoom(factor, clientX, clientY) {
      if (!svg) return;
      const r = rect();
      const px = clientX === undefined ? 0.5 : (clientX - r.left) / r.width;
      const py = clientY === undefined ? 0.5 : (clientY - r.top) / r.height;
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
      const w = rect().width * 0.75; // Graphviz draws in points: 1 px = 0.75 pt
      zoom(view.w / w);
    }

    /** Bring ``node`` into the view, if it is out of it. */
    function reveal(node) {
      if (!svg || !node) return;
      const r = rect();
      const n = node.getBoundingClientRect();
      if (n.left >= r.left && n.right <= r.right && n.top >= r.top && n.bottom <= r.bottom) return;
      const scale = view.w / r.width;
      const dx = (n.left + n.width / 2 - (r.left + r.width / 2)) * scale;
      const dy = (n.top + n.height / 2 - (r.top + r.height / 2)) * scale;
      view = { ...view, x: view.x + dx, y: view.y + dy };
      moved = true;
      apply();
    }

    function activate(node) {
      if (node.dataset.copy) select("copy", node.dataset.copy);
      else if (node.dataset.box) {
        select("party", node.dataset.box);
        toggleParty(node.dataset.box);
      } else if (node.dataset.cluster) toggleParty(node.dataset.cluster);
    }

    function focusable(node, label) {
      node.setAttribute("tabindex", "0");
      node.setAttribute("role", "button");
      node.setAttribute("aria-label", label);
      node.classList.add("clickable");
      node.addEventListener("click", () => clicked() && activate(node));
      node.addEventListener("focus", () => reveal(node));
    }

    function show(diagram) {
      const keep = moved && svg ? view : null;
      placed = diagram.placed || {};
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
      // Graphviz's own tooltips are links with a title: keep the words, lose the links
      for (const link of svg.querySelectorAll("a")) {
        const words = link.getAttribute("xlink:title") || link.getAttribute("title");
        const parent = link.parentNode;
        while (link.firstChild) parent.insertBefore(link.firstChild, link);
        link.remove();
        if (words && parent.closest("g.node, g.edge")) parent.closest("g.node, g.edge").dataset.tip = words;
      }
      const vb = svg.viewBox.baseVal;
      full = { x: vb.x, y: vb.y, w: vb.width, h: vb.height };
      const sizes = [...svg.querySelectorAll("text")].map((t) => parseFloat(t.getAttribute("font-size"))).filter((n) => n > 0);
      smallest = sizes.length ? Math.min(...sizes) : 12;
      svg.removeAttribute("width");
      svg.removeAttribute("height");
      svg.setAttribute("preserveAspectRatio", "xMidYMid meet");
      svg.setAttribute("role", "group");
      svg.setAttribute("aria-label", "Diagram: where the copies went");
      for (const title of svg.querySelectorAll("g > title")) {
        // Graphviz titles are drawing ids; the node's own words go in its aria-label
        title.dataset.name = title.textContent;
      }
      for (const node of svg.querySelectorAll("g.node")) {
        const title = node.querySelector("title");
        const name = title && title.dataset.name;
        const copy = name && diagram.nodes[name];
        const party = name && diagram.parties[name];
        if (copy) {
          node.setAttribute("data-copy", copy);
          const [holder, record] = copy.split("/");
          const found = current.trace.copies.find((c) => c.id === copy);
          focusable(node, `${nameOf.record(record)} at ${nameOf.holder(holder)}: ${found ? WORD[found.status] : ""}`);
        } else if (party) {
          node.setAttribute("data-party", party);
          node.dataset.box = party;
          focusable(node, `${nameOf.party(party)}: ${node.dataset.tip || ""} Press Enter to open.`);
        }
        if (title) title.textContent = node.dataset.tip || "";
      }
      for (const cluster of svg.querySelectorAll("g.cluster")) {
        const title = cluster.querySelector("title");
        const party = title && diagram.clusters[title.dataset.name];
        if (title) title.textContent = "";
        if (!party) continue;
        cluster.setAttribute("data-party", party);
        const label = cluster.querySelector("text");
        if (label) {
          const handle = document.createElementNS("http://www.w3.org/2000/svg", "g");
          label.replaceWith(handle);
          handle.append(label);
          handle.dataset.cluster = party;
          focusable(handle, `${nameOf.party(party)}, opened: press Enter to close`);
        }
      }
      for (const edge of svg.querySelectorAll("g.edge")) {
        const title = edge.querySelector("title");
        if (title) {
          edge.dataset.name = title.dataset.name;
          title.textContent = edge.dataset.tip || "";
        }
      }
      box.replaceChildren(svg);
      if (!sized) {
        // as tall as the drawing needs at a readable size, within the window
        const r = rect();
        const scale = Math.min(Math.max(r.width / full.w, MIN_TEXT / smallest), NATURAL);
        const wanted = full.h * scale + 16;
        box.style.height = `${Math.round(Math.min(Math.max(wanted, 240), window.innerHeight * 0.7))}px`;
        sized = true;
      }
      if (keep) {
        view = keep;
        moved = true;
        apply();
      } else {
        readable();
      }
    }

    function markPath(path) {
      if (!svg) return;
      const names = new Set(path.map((step) => `${placed[step.from]}->${placed[step.to]}`));
      for (const edge of svg.querySelectorAll("g.edge")) {
        if (names.has(edge.dataset.name)) edge.classList.add("on-path");
      }
    }

    /** The selected copy's node, or the box of its party when that is closed. */
    function markCopy(copy) {
      if (!svg || !placed[copy]) return;
      for (const node of svg.querySelectorAll("g.node")) {
        const title = node.querySelector("title");
        if (title && title.dataset.name === placed[copy]) {
          node.classList.add("selected");
          if (!moved) reveal(node);
        }
      }
    }

    function markMatches(copies) {
      if (!svg) return;
      const names = new Set(copies.map((copy) => placed[copy]));
      for (const node of svg.querySelectorAll("g.node")) {
        const title = node.querySelector("title");
        node.classList.toggle("match", Boolean(title && names.has(title.dataset.name)));
      }
    }

    // arrow keys move the focus to the nearest box or copy in that direction
    box.addEventListener("keydown", (event) => {
      const moves = { ArrowRight: [1, 0], ArrowLeft: [-1, 0], ArrowDown: [0, 1], ArrowUp: [0, -1] };
      const from = document.activeElement;
      if (event.key === "Enter" && from && from.closest && box.contains(from)) {
        event.preventDefault();
        activate(from);
        return;
      }
      const move = moves[event.key];
      if (!move || !svg || !box.contains(from)) return;
      event.preventDefault();
      const at = from.getBoundingClientRect();
      const cx = at.left + at.width / 2;
      const cy = at.top + at.height / 2;
      let best = null;
      let bestScore = Infinity;
      for (const node of svg.querySelectorAll("[tabindex]")) {
        if (node === from) continue;
        const r = node.getBoundingClientRect();
        const dx = r.left + r.width / 2 - cx;
        const dy = r.top + r.height / 2 - cy;
        const along = dx * move[0] + dy * move[1];
        if (along <= 1) continue;
        const score = along + 2 * Math.abs(dx * move[1] + dy * move[0]);
        if (score < bestScore) {
          best = node;
          bestScore = score;
        }
      }
      if (best) best.focus();
    });

    // drag to pan, pinch to zoom; a drag is not a click
    const pointers = new Map();
    let drag = null;
    let pinch = null;
    let dragged = false;
    const clicked = () => !dragged;
    box.addEventListener("pointerdown", (event) => {
      if (!svg || (event.pointerType === "mouse" && event.button !== 0)) return;
      pointers.set(event.pointerId, { x: event.clientX, y: event.clientY });
      if (pointers.size === 2) {
        const [a, b] = [...pointers.values()];
        pinch = { distance: Math.hypot(a.x - b.x, a.y - b.y), view: { ...view } };
        drag = null;
      } else {
        drag = { x: event.clientX, y: event.clientY, view: { ...view } };
        dragged = false;
      }
    });
    box.addEventListener("pointermove", (event) => {
      if (!pointers.has(event.pointerId)) return;
      pointers.set(event.pointerId, { x: event.clientX, y: event.clientY });
      if (pinch && pointers.size === 2) {
        const [a, b] = [...pointers.values()];
        const distance = Math.hypot(a.x - b.x, a.y - b.y);
        if (distance > 0 && pinch.distance > 0) {
          view = { ...pinch.view };
          zoom(distance / pinch.distance, (a.x + b.x) / 2, (a.y + b.y) / 2);
          dragged = true;
        }
        return;
      }
      if (!drag) return;
      const dx = event.clientX - drag.x;
      const dy = event.clientY - drag.y;
      if (!dragged && Math.hypot(dx, dy) < 4) return;
      if (!dragged) box.setPointerCapture(event.pointerId);
      dragged = true;
      box.classList.add("dragging");
      const r = rect();
      view = { ...drag.view, x: drag.view.x - (dx * view.w) / r.width, y: drag.view.y - (dy * view.h) / r.height };
      moved = true;
      apply();
    });
    const stop = (event) => {
      pointers.delete(event.pointerId);
      if (pointers.size < 2) pinch = null;
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
    // the panel narrows when a sheet opens beside it, or the window turns: an untouched view
    // is laid out again (its text stays readable), a moved one keeps its centre and scale
    let width = 0; // the panel's width when the view was last laid out
    new ResizeObserver(() => {
      const r = rect();
      if (svg && view && width > 0 && r.width > 0) {
        if (!moved) readable();
        else {
          // the same scale about the same centre: text keeps its size
          const scale = width / view.w;
          const cx = view.x + view.w / 2;
          const cy = view.y + view.h / 2;
          view = { x: cx - r.width / scale / 2, y: cy - r.height / scale / 2, w: r.width / scale, h: r.height / scale };
          apply();
        }
      }
      width = r.width;
    }).observe(box);
    $("zoom-in").addEventListener("click", () => zoom(1.25));
    $("zoom-out").addEventListener("click", () => zoom(0.8));
    $("zoom-fit").addEventListener("click", fit);
    $("zoom-actual").addEventListener("click", actual);

    return { show, markPath, markCopy, markMatches, reset: () => { moved = false; sized = false; } };
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
    WORD = model.status_words;
    applyFeatured();
    buildControls();
    update();
  })();
})();
