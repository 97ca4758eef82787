// mkreport serve: the page edits the input data; the server checks it with the
// same code as `mkreport check` and answers with problems, figures and a preview.
// No rule of the report is computed here. Text from the file is only ever set
// as .value or .textContent, never as markup. Nothing the file holds is dropped
// here: a value of another kind than its field is shown read-only where it
// stands and sent back unchanged until the clerk deletes it.
(() => {
  "use strict";
  const token = document.querySelector('meta[name="mkreport-token"]').content;
  const form = document.getElementById("form");
  const statusLine = document.getElementById("status");
  const summary = document.getElementById("summary");
  const notice = document.getElementById("notice");
  const preview = document.getElementById("preview");
  const layout = document.getElementById("layout");
  const nextProblem = document.getElementById("next-problem");
  const draftBar = document.getElementById("draft");
  // Narrow windows show the form or the preview (tabs); wide ones show both.
  const narrow = window.matchMedia("(max-width: 1199px)");
  let data = {};
  let signature = "";
  let timer = null;
  let asked = 0;
  let dirty = false;
  let lastState = null;
  let version = null; // the file's version this page is based on; every save names it
  let misplaced = new Set(); // key paths holding a value of another kind than their field
  let kept = new Set(); // top-level keys the form keeps without offering them (格式, 表头调整 …)
  let targets = []; // where each problem is shown, in order: the top's 「下一处问题」 visits them
  let visited = -1;
  let dropped = null; // last year's report dropped or chosen on the page, until kept as 上年报告
  let draftWarning = "";
  const PREVIOUS = "上年报告";

  const $$ = (selector, root = document) => Array.from(root.querySelectorAll(selector));
  const key = (path) => JSON.stringify(path);

  const OFFLINE = "连接不上 mkreport：命令窗口是否已经关闭？重新运行 mkreport serve，再用它打开的地址。";

  async function post(path, options) {
    try {
      return await fetch(path, { method: "POST", ...options });
    } catch (error) {
      throw new Error(OFFLINE);
    }
  }

  async function call(path, body, raw = false) {
    const response = await post(path, {
      headers: { "Content-Type": "application/json", "X-Mkreport-Token": token },
      body: JSON.stringify(body),
    });
    if (raw && response.ok) return response;
    const text = await response.text();
    let value;
    try { value = JSON.parse(text); } catch (e) { value = { error: text }; }
    if (!response.ok) {
      const error = new Error(value.error || response.statusText);
      error.info = value;
      error.status = response.status;
      throw error;
    }
    return value;
  }

  // A message over the form; ``choices`` are [label, action] pairs offered as buttons.
  function say(message, kind = "info", choices = []) {
    notice.hidden = !message;
    notice.className = kind;
    notice.textContent = message || "";
    if (choices.length) {
      const row = document.createElement("div");
      row.className = "choices";
      for (const [label, action] of choices) row.append(button(label, label, () => { say(""); action(); }));
      notice.append(row);
    }
  }

  // -- data by key path --------------------------------------------------------

  function getAt(path) {
    let value = data;
    for (const step of path) {
      if (value === null || typeof value !== "object") return undefined;
      value = value[step];
    }
    return value;
  }

  const isObject = (value) => value !== null && typeof value === "object" && !Array.isArray(value);

  function setAt(path, value) {
    let node = data;
    for (let i = 0; i < path.length - 1; i++) {
      const step = path[i];
      if (node[step] === undefined || node[step] === null) node[step] = {};
      else if (!isObject(node[step])) return; // a value of another kind is never overwritten from below
      node = node[step];
    }
    const last = path[path.length - 1];
    const current = node[last];
    if (current && typeof current === "object" && !Array.isArray(current) && "数量" in current) {
      current["数量"] = value === undefined ? "" : value; // a count with its 备注 keeps the note
    } else if (value === undefined) {
      delete node[last];
    } else {
      node[last] = value;
    }
  }

  function deleteAt(path) {
    const parent = getAt(path.slice(0, -1));
    const last = path[path.length - 1];
    if (Array.isArray(parent)) parent.splice(last, 1);
    else if (isObject(parent)) delete parent[last];
  }

  function shown(value) {
    if (value && typeof value === "object" && !Array.isArray(value) && "数量" in value) value = value["数量"];
    return value === undefined || value === null ? "" : String(value);
  }

  // -- the form ----------------------------------------------------------------

  async function loadForm() {
    const response = await post("/api/form", {
      headers: { "Content-Type": "application/json", "X-Mkreport-Token": token },
      body: JSON.stringify({ data }),
    });
    if (!response.ok) throw new Error("表单读取失败");
    // Our own template's markup, every text in it escaped by the server.
    form.innerHTML = await response.text();
    signature = form.querySelector("#fields").dataset.signature;
    kept = new Set(JSON.parse(form.querySelector("#fields").dataset.kept || "[]"));
    $$("col[data-w]", form).forEach((col) => { col.style.width = col.dataset.w + "%"; });
    fill();
  }

  function fill() {
    const wrong = misfits();
    misplaced = new Set(wrong.map(key));
    $$(".misplaced", form).forEach((e) => e.remove());
    // A figure the file leaves out is 0 (「没有的不写」), and is saved as 0.
    $$("input[data-path], select[data-path]", form).forEach((input) => {
      const path = JSON.parse(input.dataset.path);
      const value = getAt(path);
      input.disabled = blocked(path);
      if (input.disabled) input.value = "";
      else input.value = value === undefined && input.classList.contains("fig") && !input.dataset.auto ? "0" : shown(value);
    });
    $$(".list-field", form).forEach(renderList);
    wrong.forEach(place);
    placeholders();
    offerPrevious();
  }

  // Examples that match the report's year: a 2025 report is published in January 2026.
  function placeholders() {
    const year = parseInt(getAt(["年度"]), 10);
    if (!year) return;
    $$('input[data-kind="date"]', form).forEach((input) => { input.placeholder = `${year + 1}-01-20`; });
  }

  // -- values the form has no place for ------------------------------------------
  // A paragraph where sub-keys belong, a list where one figure belongs, a key the
  // format does not know: kept in the data as it is (the check reports it at its
  // key), shown read-only with a button to delete it; the fields under it wait.

  function kindOf(element) {
    if (element.matches("fieldset")) return "object";
    if (element.matches(".list-field")) return element.dataset.kind;
    if (element.matches("input.fig")) return "figure";
    return "scalar";
  }

  function elements() {
    const found = new Map();
    $$("[data-path]", form).forEach((e) => {
      if (!e.classList.contains("col-msg") && !found.has(e.dataset.path)) found.set(e.dataset.path, e);
    });
    return found;
  }

  const scalar = (value) => value === null || typeof value !== "object";
  const noted = (value) => isObject(value) && "数量" in value &&
    Object.entries(value).every(([k, v]) => (k === "数量" || k === "备注") && scalar(v));

  function itemFits(kind, item) {
    if (kind !== "headed") return scalar(item);
    if (!isObject(item) || Object.keys(item).length !== 1) return false;
    const paragraphs = Object.values(item)[0];
    return scalar(paragraphs) || (Array.isArray(paragraphs) && paragraphs.every(scalar));
  }

  function misfits() {
    const kinds = new Map();
    for (const [k, element] of elements()) {
      const path = JSON.parse(k);
      for (let i = 1; i < path.length; i++) {
        const above = key(path.slice(0, i));
        if (!kinds.has(above)) kinds.set(above, "object");
      }
      kinds.set(k, kindOf(element));
    }
    const out = [];
    const walk = (value, path) => {
      if (value === undefined || value === null) return;
      const kind = path.length ? kinds.get(key(path)) : "object";
      if (kind === undefined) {
        if (!(path.length === 1 && kept.has(path[0]))) out.push(path);
      } else if (kind === "object") {
        if (!isObject(value)) out.push(path);
        else Object.keys(value).forEach((k) => walk(value[k], [...path, k]));
      } else if (kind === "scalar") {
        if (!scalar(value)) out.push(path);
      } else if (kind === "figure") {
        if (!scalar(value) && !noted(value)) out.push(path);
      } else if (isObject(value)) {
        out.push(path); // a list field holding sub-keys; its items are judged one by one in renderList
      }
    };
    walk(data, []);
    return out;
  }

  function blocked(path) {
    for (let i = 1; i <= path.length; i++) if (misplaced.has(key(path.slice(0, i)))) return true;
    return false;
  }

  // The value as plain lines, for reading and copying: text as it is, a list one
  // item a line, sub-keys as 「键: 值」.
  function plain(value, indent = "") {
    if (Array.isArray(value)) {
      return value.map((item) => indent + "- " + plain(item, indent + "  ").trimStart()).join("\n");
    }
    if (isObject(value)) {
      return Object.entries(value).map(([k, v]) => scalar(v) ? `${indent}${k}: ${shown(v)}`
        : `${indent}${k}:\n${plain(v, indent + "  ")}`).join("\n");
    }
    return indent + shown(value);
  }

  function misplacedBox(path, value, note) {
    const box = document.createElement("div");
    box.className = "misplaced";
    const label = document.createElement("div");
    label.className = "label";
    label.textContent = note;
    const text = document.createElement("textarea");
    text.readOnly = true;
    text.rows = 2;
    text.value = typeof value === "string" ? value : plain(value);
    text.dataset.item = key(path);
    requestAnimationFrame(() => grow(text));
    box.append(label, text);
    return box;
  }

  function place(path) {
    const where = "「" + path.join(".") + "」";
    const box = misplacedBox(path, getAt(path),
      `${where}下的内容不是这里应填的样子，页面无法在这里编辑它；保存时原样保留。` +
      "需要时把它复制到合适的位置，再删除它：");
    box.append(button("删除这项内容", "从文件中删除这项内容", () => {
      if (!window.confirm(`删除${where}下的这项内容？保存后文件中就没有它了。`)) return;
      deleteAt(path);
      fill();
      changed();
    }));
    const found = elements();
    const above = path.slice();
    let anchor;
    while (above.length && !(anchor = found.get(key(above)))) above.pop();
    const section = anchor && anchor.closest("fieldset.table-section");
    if (!anchor) form.querySelector("#fields").prepend(box);
    else if (section) section.querySelector(".table-msgs").before(box);
    else if (anchor.matches("fieldset")) anchor.querySelector("legend").after(box);
    else if (anchor.matches(".list-field")) anchor.querySelector(".items").before(box);
    else (anchor.closest("label.field") || anchor).after(box);
  }

  function items(path) {
    const value = getAt(path);
    if (Array.isArray(value)) return value;
    return value === undefined || value === null || value === "" ? [] : [value];
  }

  function button(text, title, action) {
    const b = document.createElement("button");
    b.type = "button";
    b.textContent = text;
    b.title = title;
    b.addEventListener("click", action);
    return b;
  }

  function area(value, path, onInput) {
    const t = document.createElement("textarea");
    t.rows = 2;
    t.value = value;
    t.dataset.item = key(path);
    t.addEventListener("input", () => { grow(t); onInput(t.value); });
    requestAnimationFrame(() => grow(t));
    return t;
  }

  function grow(t) {
    t.style.height = "auto";
    t.style.height = t.scrollHeight + 2 + "px";
  }

  // Move up, move down, remove: ``after`` stores the list and draws it again.
  function tools(list, i, after) {
    const box = document.createElement("span");
    box.className = "tools";
    box.append(
      button("↑", "上移", () => { if (i > 0) { [list[i - 1], list[i]] = [list[i], list[i - 1]]; after(); } }),
      button("↓", "下移", () => { if (i < list.length - 1) { [list[i + 1], list[i]] = [list[i], list[i + 1]]; after(); } }),
      button("✕", "删除", () => { list.splice(i, 1); after(); }),
    );
    return box;
  }

  function store(path, list) {
    setAt(path, list.length ? list : undefined);
    changed();
  }

  function renderList(field) {
    const path = JSON.parse(field.dataset.path);
    const box = field.querySelector(".items");
    const add = field.querySelector(".add");
    box.replaceChildren();
    add.disabled = blocked(path);
    if (add.disabled) return; // the value there is shown read-only (see place)
    const list = items(path).slice();
    const rerender = () => { store(path, list); renderList(field); };
    list.forEach((item, i) => {
      const row = document.createElement("div");
      row.className = "item";
      if (!itemFits(field.dataset.kind, item)) {
        const shape = field.dataset.kind === "headed" ? "「小标题: 段落」" : "一段文字";
        row.append(misplacedBox([...path, i], item, `第 ${i + 1} 项不是${shape}，页面无法在这里编辑它；保存时原样保留：`),
          tools(list, i, rerender));
      } else if (field.dataset.kind === "headed") {
        const heading = Object.keys(item && typeof item === "object" ? item : { "": item })[0] || "";
        let paragraphs = item && typeof item === "object" ? item[heading] : item;
        paragraphs = Array.isArray(paragraphs) ? paragraphs.slice() : paragraphs ? [paragraphs] : [];
        const title = document.createElement("input");
        title.type = "text";
        title.className = "heading";
        title.placeholder = "小标题";
        title.value = heading;
        title.dataset.item = key([...path, i]);
        const keep = () => { list[i] = { [title.value]: paragraphs.slice() }; store(path, list); };
        title.addEventListener("input", keep);
        const inner = document.createElement("div");
        inner.className = "paragraphs";
        const drawParagraphs = () => {
          inner.replaceChildren();
          paragraphs.forEach((text, k) => {
            const line = document.createElement("div");
            line.className = "item";
            line.append(area(text, [...path, i, k], (v) => { paragraphs[k] = v; keep(); }),
              tools(paragraphs, k, () => { keep(); drawParagraphs(); }));
            inner.append(line);
          });
          inner.append(button("＋ 添加一段", "在这个小标题下添加一段", () => { paragraphs.push(""); keep(); drawParagraphs(); }));
        };
        drawParagraphs();
        row.append(title, tools(list, i, rerender), inner);
      } else {
        row.append(area(typeof item === "string" ? item : shown(item), [...path, i], (v) => { list[i] = v; store(path, list); }),
          tools(list, i, rerender));
      }
      box.append(row);
    });
    add.onclick = () => {
      list.push(field.dataset.kind === "headed" ? { "": [""] } : "");
      rerender();
      const last = $$("textarea, input.heading", box).filter((e) => e.closest(".item").parentElement === box);
      if (last.length) last[last.length - 1].focus();
    };
  }

  function edited(event) {
    const input = event.target;
    if (!input.matches("input[data-path], select[data-path]")) return;
    const path = JSON.parse(input.dataset.path);
    let value = input.value;
    if (input.dataset.type === "year") value = parseInt(value, 10);
    else if (value.trim() === "" && (input.dataset.auto || !input.classList.contains("fig"))) value = undefined;
    setAt(path, value);
    if (input.dataset.type === "year") {
      placeholders();
      dirty = true;
      clearTimeout(timer);
      check(true); // another year may mean the other format: its tables
      return;
    }
    changed();
  }
  form.addEventListener("input", edited);
  form.addEventListener("change", (event) => { if (event.target.matches("select")) edited(event); }); // a year chosen from the list

  // -- checking ----------------------------------------------------------------

  function changed() {
    dirty = true;
    // Until the clerk answers the draft's offer, new changes are not kept in the draft.
    if (!draftBar.hidden && !draftBar.querySelector(".urgent")) {
      const urgent = document.createElement("div");
      urgent.className = "urgent";
      urgent.textContent = "请先选择「恢复草稿」或「丢弃草稿」：在这之前，页面上的新改动不会存进草稿（保存仍然可以）。";
      draftBar.prepend(urgent);
    }
    statusLine.textContent = "有改动，未保存";
    clearTimeout(timer);
    timer = setTimeout(check, 250);
  }

  async function check(reformat = false) {
    const mine = ++asked;
    let state;
    try {
      state = await call("/api/check", { data, reformat });
    } catch (error) {
      say(error.message, "error");
      return;
    }
    if (mine !== asked) return; // a later check is on its way
    if ((state.draft_warning || "") !== draftWarning) {
      draftWarning = state.draft_warning || "";
      if (draftWarning) say(draftWarning, "warning");
    }
    if (state.data) {
      data = state.data;
      if (state.signature === signature) fill();
    }
    if (state.signature !== signature) await loadForm();
    show(state);
  }

  function show(state) {
    lastState = state;
    const totals = state.totals || {};
    $$("[data-cell]", form).forEach((cell) => {
      const text = state.cells[cell.dataset.cell];
      const why = totals[cell.dataset.cell.split(":")[0]] || "";
      if (cell.tagName === "INPUT") {
        cell.placeholder = text === undefined ? "" : text;
      } else {
        cell.textContent = text === undefined ? "？" : text;
        cell.title = text === undefined ? why : "";
      }
    });
    // A table whose totals cannot be computed says why, above it.
    $$("table[data-table]", form).forEach((table) => {
      const why = table.querySelector("td.calc, input[data-auto]") ? totals[table.dataset.table] : "";
      $$(".totals-note", table.closest("fieldset")).forEach((note) => {
        // Said again under a tall table (table 三), where its totals row is.
        note.hidden = !why || (note.matches(".bottom") && table.offsetHeight < 400);
        note.textContent = why ? "？ " + why : "";
      });
    });
    showProblems(state.problems);
    const parts = [];
    parts.push(state.errors ? `${state.errors} 处错误` : "没有错误");
    if (state.warnings) parts.push(`${state.warnings} 处警告`);
    parts.push(dirty ? "有改动，未保存" : state.saved ? "已保存" : "尚未保存");
    statusLine.textContent = parts.join(" · ");
    refreshPreview();
  }

  function previewShown() {
    return preview.getClientRects().length > 0;
  }

  function refreshPreview() {
    if (!lastState || !previewShown()) return;
    // Keep the place being read: the preview reloads on every change.
    let y = 0;
    try { y = preview.contentWindow.scrollY; } catch (e) { y = 0; }
    preview.onload = () => { try { preview.contentWindow.scrollTo(0, y); } catch (e) { /* not loaded */ } };
    preview.src = `/preview?t=${encodeURIComponent(token)}&v=${asked}`;
  }

  const said = (problem) => (problem.shown || problem.message) + (problem.hint ? "（" + problem.hint + "）" : "");

  function message(problem) {
    const box = document.createElement("div");
    box.className = "msg " + (problem.severity === "错误" ? "error" : "warning");
    box.textContent = (problem.severity === "错误" ? "✕ " : "！ ") + said(problem);
    return box;
  }

  // -- messages beside the cells -------------------------------------------------
  // A figure's message goes in a row of its own right under the figure's row, so
  // it is on screen whenever the figure is. Cells of the rows above that span
  // past that row (「三、本年度办理结果」) are stretched over the message row.

  function clearRowMessages() {
    $$("tr.row-msg", form).forEach((row) => row.remove());
    $$("[data-span]", form).forEach((cell) => {
      cell.rowSpan = +cell.dataset.span;
      delete cell.dataset.span;
    });
  }

  function rowMessage(table, r, boxes) {
    const row = table.querySelector(`tr[data-row="${r}"]`);
    if (!row) return;
    let covered = 0;
    $$("th[data-r], td[data-r]", table).forEach((cell) => {
      const top = +cell.dataset.r;
      const span = +(cell.dataset.span || cell.rowSpan);
      if (top <= r && top + span - 1 > r) {
        if (!cell.dataset.span) cell.dataset.span = span;
        cell.rowSpan += 1;
        covered += cell.colSpan;
      }
    });
    const line = document.createElement("tr");
    line.className = "row-msg";
    const cell = document.createElement("td");
    cell.colSpan = $$("col", table).length - covered;
    cell.append(...boxes);
    line.append(cell);
    row.after(line);
  }

  function showProblems(problems) {
    clearRowMessages();
    $$(".bad, .warn", form).forEach((e) => e.classList.remove("bad", "warn"));
    $$(".msg", form).forEach((e) => e.remove());
    $$(".col-msg", form).forEach((e) => { e.textContent = ""; e.removeAttribute("title"); });
    $$("table input.fig[title]", form).forEach((e) => e.removeAttribute("title"));
    const fields = new Map();
    $$("[data-path]", form).forEach((e) => { if (!e.classList.contains("col-msg") && !fields.has(e.dataset.path)) fields.set(e.dataset.path, e); });
    const items = new Map($$("[data-item]", form).map((e) => [e.dataset.item, e]));
    const columns = new Map($$(".col-msg", form).map((e) => [e.dataset.path, e]));
    const rows = new Map(); // table row → its messages
    summary.replaceChildren();
    targets = [];
    const list = document.createElement("ol");
    for (const problem of problems) {
      const mark = problem.severity === "错误" ? "bad" : "warn";
      // A column of table 三 that does not balance is marked under that column.
      const column = problem.column ? columns.get(key(problem.path.slice(0, 2))) : undefined;
      if (column) {
        column.textContent = mark === "bad" ? "✕" : "！";
        column.title = said(problem);
        column.classList.add(mark);
        column.closest("fieldset").querySelector(".table-msgs").append(message(problem));
      }
      let path = problem.path.slice();
      let target = items.get(key(path));
      while (!target && path.length) {
        target = fields.get(key(path));
        if (!target) path.pop();
      }
      const entry = document.createElement("li");
      entry.className = mark;
      const named = problem.key && !said(problem).includes("「" + problem.key.split(".").pop() + "」");
      entry.textContent = (named ? "「" + problem.key + "」" : "") + said(problem);
      list.append(entry);
      if (!target || target === form) continue;
      targets.push(target);
      entry.tabIndex = 0;
      entry.addEventListener("click", () => jump(target));
      entry.addEventListener("keydown", (event) => { if (event.key === "Enter") jump(target); });
      if (target.matches("table input")) {
        const cell = target.closest("td");
        cell.classList.add(mark);
        target.classList.add(mark);
        target.title = said(problem);
        if (!column) {
          const table = target.closest("table");
          const where = table.dataset.table + ":" + target.dataset.r;
          if (!rows.has(where)) rows.set(where, [table, +target.dataset.r, []]);
          rows.get(where)[2].push(message(problem));
        }
      } else if (target.matches("input, select, textarea")) {
        target.classList.add(mark);
        const field = target.closest(".field, .item") || target.parentElement;
        field.classList.add(mark);
        target.parentElement.append(message(problem));
      } else if (target.matches("fieldset.table-section")) {
        if (!column) target.querySelector(".table-msgs").append(message(problem));
      } else {
        target.classList.add(mark);
        target.append(message(problem));
      }
    }
    for (const [table, r, boxes] of rows.values()) rowMessage(table, r, boxes);
    if (problems.length) {
      const head = document.createElement("div");
      head.className = "summary-head";
      const errors = problems.filter((p) => p.severity === "错误").length;
      head.textContent = `共 ${problems.length} 处问题` + (errors ? `（${errors} 处错误）` : "") +
        "，点一条转到那里；页面上方的「下一处问题」也可以逐个转到：";
      summary.append(head, list);
    }
    // 「下一处问题」 goes on from the problem the cursor is in, if it is in one.
    const here = targets.indexOf(document.activeElement);
    if (here >= 0) visited = here;
    else if (visited >= targets.length) visited = -1;
    nextProblem.hidden = !targets.length;
    nextProblem.textContent = "✕ 下一处问题";
  }

  // Bring a marked field into view (on the 「填写」 tab) and put the cursor in it.
  function jump(target) {
    if (layout.dataset.tab !== "form") showTab("form");
    target.scrollIntoView({ block: "center" });
    const focusable = target.matches("input, select, textarea, button") ? target
      : target.querySelector("input:not([disabled]), textarea, select, button");
    if (focusable) focusable.focus({ preventScroll: true });
  }

  nextProblem.addEventListener("click", () => {
    if (!targets.length) return;
    visited = (visited + 1) % targets.length;
    jump(targets[visited]);
  });

  // -- tabs (narrow windows) and the preview switch (wide ones) ---------------------

  function showTab(name) {
    layout.dataset.tab = name;
    document.getElementById("tab-form").setAttribute("aria-selected", String(name === "form"));
    document.getElementById("tab-preview").setAttribute("aria-selected", String(name === "preview"));
    if (name === "form" && lastState) show(lastState); // laid out again now that it is shown
    else refreshPreview();
  }
  document.getElementById("tab-form").addEventListener("click", () => showTab("form"));
  document.getElementById("tab-preview").addEventListener("click", () => showTab("preview"));
  narrow.addEventListener("change", refreshPreview);

  // -- Excel habits in the tables ------------------------------------------------

  function cellsOf(table) {
    const index = new Map();
    $$("input.fig", table).forEach((input) => index.set(input.dataset.r + ":" + input.dataset.c, input));
    return index;
  }

  // Typing into a figure replaces it, as in a spreadsheet: a click (anywhere in
  // the cell) or Tab into it selects the whole figure, so 「0」 then 3 gives 3,
  // not 30 or 03. A second click in the same cell places the cursor to edit.
  form.addEventListener("mousedown", (event) => {
    const input = event.target;
    if (event.button !== 0 || !input.matches("input.fig") || input.disabled || document.activeElement === input) return;
    event.preventDefault();
    input.focus();
    input.select();
  });
  form.addEventListener("focusin", (event) => {
    const input = event.target;
    if (!input.matches("input.fig")) return;
    input.select();
    // A marked figure brings its message (the row under it) into view with it.
    const next = input.closest("tr") && input.closest("tr").nextElementSibling;
    if (input.matches(".bad, .warn") && next && next.matches(".row-msg")) next.scrollIntoView({ block: "nearest" });
  });

  form.addEventListener("keydown", (event) => {
    const input = event.target;
    if (!input.matches("table input.fig")) return;
    let dr = 0;
    let dc = 0;
    if (event.key === "ArrowUp" || (event.key === "Enter" && event.shiftKey)) dr = -1;
    else if (event.key === "ArrowDown" || event.key === "Enter") dr = 1;
    else if (event.key === "ArrowLeft" && input.selectionStart === 0 && input.selectionEnd === 0) dc = -1;
    else if (event.key === "ArrowRight" && input.selectionStart === input.value.length) dc = 1;
    else return;
    const index = cellsOf(input.closest("table"));
    let r = +input.dataset.r;
    let c = +input.dataset.c;
    for (let step = 0; step < 60; step++) {
      r += dr;
      c += dc;
      if (r < 0 || c < 0) break;
      const next = index.get(r + ":" + c);
      if (next) {
        event.preventDefault();
        next.focus();
        next.select();
        return;
      }
    }
    if (event.key === "Enter") event.preventDefault();
  });

  form.addEventListener("paste", (event) => {
    const input = event.target;
    if (!input.matches("table input.fig")) return;
    const text = (event.clipboardData || window.clipboardData).getData("text/plain").replace(/\r/g, "").replace(/\n$/, "");
    if (!/[\t\n]/.test(text)) return;
    event.preventDefault();
    const index = cellsOf(input.closest("table"));
    const r0 = +input.dataset.r;
    const c0 = +input.dataset.c;
    let filled = 0;
    text.split("\n").forEach((line, i) => {
      line.split("\t").forEach((value, j) => {
        const target = index.get((r0 + i) + ":" + (c0 + j));
        if (!target || target.disabled) return; // a computed total, or a cell under a misplaced value
        target.value = value.trim();
        const path = JSON.parse(target.dataset.path);
        setAt(path, target.value === "" && target.dataset.auto ? undefined : target.value);
        filled += 1;
      });
    });
    say(`已粘贴 ${filled} 格`);
    changed();
  });

  // -- save, downloads, last year's report ---------------------------------------

  // Every save names the version of the file this page was based on. When the
  // file has been saved from another page (or changed by another program) since,
  // the server refuses; the clerk chooses to load the file as it is now (losing
  // this page's changes) or to save this page over it.
  async function save(confirmed = false, base = version) {
    try {
      const result = await call("/api/save", { data, confirmed, version: base });
      version = result.version;
      dirty = false;
      const told = `已保存到 ${result.saved}` + (result.errors ? `（还有 ${result.errors} 处错误，可以以后再改）` : "");
      say(result.warning ? told + "。" + result.warning : told, result.warning ? "warning" : "info");
      if (lastState) { lastState.saved = true; show(lastState); }
    } catch (error) {
      const info = error.info || {};
      if (info.confirm) {
        if (window.confirm(error.message)) return save(true, base);
        say("没有保存：文件保持原样，页面上的改动还在（也存在草稿里）。");
        return;
      }
      if (info.stale) {
        say(error.message, "error", [
          ["重新载入", () => load(true)],
          ["仍然保存（覆盖）", () => save(confirmed, info.version === undefined ? null : info.version)],
        ]);
        return;
      }
      say(error.message, "error");
    }
  }

  async function output(kind) {
    say("正在生成……");
    try {
      const response = await call("/api/output", { data, kind }, true);
      const blob = await response.blob();
      const disposition = response.headers.get("Content-Disposition") || "";
      const name = decodeURIComponent((disposition.match(/filename\*=UTF-8''(.+)$/) || [, "报告" + kind])[1]);
      const link = document.createElement("a");
      link.href = URL.createObjectURL(blob);
      link.download = name;
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(link.href), 10000);
      say(`已生成 ${name}`);
    } catch (error) {
      say(error.message, "error");
    }
  }

  async function startFrom(file) {
    if (dirty && !window.confirm("按上年报告开始，会替换页面上已经填写的内容。确定吗？")) return;
    let value;
    try {
      value = await upload("/api/start-from", file);
    } catch (error) {
      say(error.message, "error");
      return;
    }
    data = value.data;
    await loadForm();
    dirty = true;
    dropped = file;
    offerPrevious();
    say(`已按 ${file.name} 填好机关名称、联系方式和上年结转的件数；请填写今年的数字和内容，然后保存。` +
      `\n要用 ${file.name} 核对今年的上年结转等数字吗？程序会把它复制到报告文件所在的文件夹。`, "info",
    [[`用它核对（复制为「上年报告-${file.name}」）`, () => keepPrevious(file)], ["不用", () => {}]]);
    check();
  }

  async function upload(path, file) {
    say(`正在读取 ${file.name}……`);
    const response = await post(path, {
      headers: { "Content-Type": "application/octet-stream", "X-Mkreport-Token": token, "X-Filename": encodeURIComponent(file.name) },
      body: file,
    });
    const value = await response.json();
    if (!response.ok) throw new Error(value.error);
    return value;
  }

  // Last year's report as 上年报告: the server keeps it beside the file (a copy
  // named 「上年报告-原文件名」, or the file itself when it is already there) and
  // answers the name to write.
  async function keepPrevious(file) {
    let value;
    try {
      value = await upload("/api/previous", file);
    } catch (error) {
      say(error.message, "error");
      return;
    }
    setAt([PREVIOUS], value.name);
    dropped = null;
    fill();
    changed();
    say(value.copied
      ? `已把 ${file.name} 复制为「${value.name}」，放在报告文件所在的文件夹里，并填入「上年报告」；检查时会与它核对上年结转等数字。`
      : `已填入「上年报告」：${value.name}（报告文件所在的文件夹里已有这个文件）；检查时会与它核对上年结转等数字。`);
  }

  function offerPrevious() {
    const box = form.querySelector(".previous-offer");
    if (!box) return;
    box.replaceChildren();
    box.hidden = !dropped || Boolean(getAt([PREVIOUS]));
    if (box.hidden) return;
    box.append(`刚才拖入的 ${dropped.name} 可以用来核对：`,
      button(`用它核对`, `把 ${dropped.name} 复制到报告文件所在的文件夹，填入「上年报告」`, () => keepPrevious(dropped)));
  }

  form.addEventListener("click", (event) => {
    const field = event.target.closest(".previous-field");
    if (!field) return;
    if (event.target.matches(".choose-previous")) field.querySelector(".previous-file").click();
    if (event.target.matches(".clear-previous")) {
      setAt([PREVIOUS], undefined);
      fill();
      changed();
    }
  });
  form.addEventListener("change", (event) => {
    if (!event.target.matches(".previous-file") || !event.target.files.length) return;
    const file = event.target.files[0];
    event.target.value = "";
    keepPrevious(file);
  });

  document.getElementById("save").addEventListener("click", () => save());
  $$("[data-output]").forEach((b) => b.addEventListener("click", () => output(b.dataset.output)));
  document.addEventListener("keydown", (event) => {
    if ((event.ctrlKey || event.metaKey) && event.key === "s") { event.preventDefault(); save(); }
  });
  document.getElementById("show-preview").addEventListener("change", (event) => {
    preview.closest("aside").hidden = !event.target.checked;
    layout.classList.toggle("wide", !event.target.checked);
    refreshPreview();
  });
  const drop = document.getElementById("drop");
  const pick = document.getElementById("pick");
  drop.addEventListener("click", () => pick.click());
  drop.addEventListener("keydown", (event) => {
    if (event.key === "Enter" || event.key === " ") { event.preventDefault(); pick.click(); }
  });
  pick.addEventListener("change", () => {
    if (!pick.files.length) return;
    const file = pick.files[0];
    pick.value = "";
    startFrom(file);
  });
  document.addEventListener("dragover", (event) => { event.preventDefault(); document.body.classList.add("dragging"); });
  document.addEventListener("dragleave", () => document.body.classList.remove("dragging"));
  document.addEventListener("drop", (event) => {
    event.preventDefault();
    document.body.classList.remove("dragging");
    if (event.dataTransfer.files.length) startFrom(event.dataTransfer.files[0]);
  });
  window.addEventListener("beforeunload", (event) => { if (dirty) { event.preventDefault(); event.returnValue = ""; } });

  // The file as it is now: at the start, and when the clerk reloads it.
  async function load(again = false) {
    try {
      const state = await call("/api/state", {});
      data = state.data;
      version = state.version;
      dirty = false;
      await loadForm();
      show(state);
      if (state.hand_edited) {
        say("这个文件是手工编辑过的。可以在这里修改；保存时会按 mkreport init 的格式重写，文件中自己加的注释不会保留。");
      } else if (again) {
        say("已重新载入文件现在的内容。");
      }
      offerDraft(state.draft);
    } catch (error) {
      say(error.message, "error");
    }
  }

  // A draft left from before (the server was stopped, or the page closed, with
  // changes not saved): restored or discarded only when the clerk says so.
  function offerDraft(draft) {
    draftBar.replaceChildren();
    draftBar.hidden = !draft;
    if (!draft) return;
    const text = document.createElement("div");
    text.textContent = draft.error || `上次有没有保存的改动，存在草稿「${draft.name}」里（${draft.when}）。` +
      "「恢复草稿」把它填回页面（检查无误后再保存）；「丢弃草稿」删除它，页面保持文件现在的内容。";
    const row = document.createElement("div");
    row.className = "choices";
    if (draft.data) {
      row.append(button("恢复草稿", "把草稿的内容填回页面", async () => {
        data = draft.data;
        draftBar.hidden = true;
        await call("/api/draft", { restore: true });
        await loadForm();
        dirty = true;
        say(`已恢复草稿「${draft.name}」的内容。检查无误后请点「保存」。`);
        check();
      }));
    }
    row.append(button("丢弃草稿", "删除草稿文件", async () => {
      if (!window.confirm(`删除草稿「${draft.name}」？其中没有保存的改动会丢失。`)) return;
      await call("/api/draft", { restore: false });
      draftBar.hidden = true;
      say(`已删除草稿「${draft.name}」。`);
    }));
    draftBar.append(text, row);
  }

  load();
})();
